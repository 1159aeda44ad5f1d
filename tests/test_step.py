"""Step and MultiStep (step.py)."""

from __future__ import annotations

import numpy as np
import pytest

from annealing import MultiStep, Step


def test_step_is_torch_step_lr() -> None:
    s = Step(start=1.0, every=30, factor=0.1)
    assert [s(t) for t in (0, 29, 29.999, 30, 59, 60)] == [1.0, 1.0, 1.0, 0.1, 0.1, 0.1**2]
    assert s.steps is None


def test_step_factor_zero_and_one() -> None:
    assert [Step(1.0, 10, 0.0)(t) for t in (0, 9, 10, 100)] == [1.0, 1.0, 0.0, 0.0]
    assert Step(0.5, 10, 1.0)(10**6) == 0.5


def test_step_fractional_every() -> None:
    s = Step(start=1.0, every=2.5, factor=0.5)
    assert [s(t) for t in (0, 2.4, 2.5, 5, 7.4)] == [1.0, 1.0, 0.5, 0.25, 0.25]


def test_multistep_new_value_at_the_milestone() -> None:
    # torch MultiStepLR and optax piecewise_constant: left-closed
    s = MultiStep(start=1.0, milestones=(30, 80), factor=0.5)
    assert [s(t) for t in (0, 29.9, 30, 79, 80, 1000)] == [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
    assert s.steps == 80


def test_multistep_duplicate_milestones_stack() -> None:
    # peer-schedulers.md (b) 20: torch MultiStepLR decays twice at a milestone listed twice
    s = MultiStep(start=1.0, milestones=[10, 10, 20], factor=0.5)
    assert s.milestones == (10, 10, 20)
    assert [s(t) for t in (9, 10, 20)] == [1.0, 0.25, 0.125]


def test_multistep_arrays() -> None:
    s = MultiStep(start=2.0, milestones=(1, 3), factor=0.5)
    np.testing.assert_array_equal(s(np.array([0, 1, 2, 3, 4])), [2.0, 1.0, 1.0, 0.5, 0.5])


def test_multistep_without_milestones_is_constant() -> None:
    s = MultiStep(start=0.3, milestones=())
    assert s(0) == s(10**6) == 0.3 and s.steps is None


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: Step(1.0, 0), ValueError, "Step: every must be a finite number > 0, got 0"),
        (lambda: Step(1.0, 10, 1.5), ValueError, r"Step: factor must be a number in \[0, 1\]"),
        (lambda: Step(-1.0, 10), ValueError, "Step: start must be a finite number >= 0"),
        (
            lambda: MultiStep(1.0, (30, 10)),
            ValueError,
            "MultiStep: milestones must be non-decreasing, got",
        ),
        (
            lambda: MultiStep(1.0, (-1, 10)),
            ValueError,
            r"MultiStep: milestones\[0\] must be a finite number >= 0, got -1",
        ),
        (lambda: MultiStep(1.0, 30), TypeError, "MultiStep: milestones must be a sequence"),
        (lambda: MultiStep(1.0, "30"), TypeError, "MultiStep: milestones must be a sequence"),
        (lambda: MultiStep(1.0, (10,), -0.1), ValueError, "MultiStep: factor must be a number"),
    ],
)
def test_bad_arguments(make: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match="^" + message):
        make()  # type: ignore[operator]
