"""Piecewise (piecewise.py): constant (left/right) and interpolated."""

from __future__ import annotations

import numpy as np
import pytest

from annealing import Piecewise

POINTS = ((0, 1.0), (10, 0.5), (20, 0.1))


def test_constant_left_new_value_at_the_point() -> None:
    # torch MultiStepLR, optax piecewise_constant_schedule (peer-schedulers.md (b) 19)
    s = Piecewise(POINTS)
    assert [s(t) for t in (0, 9.99, 10, 19, 20, 100)] == [1.0, 1.0, 0.5, 0.5, 0.1, 0.1]
    assert s.steps == 20


def test_constant_right_old_value_at_the_point() -> None:
    # Keras PiecewiseConstantDecay: the new value starts just after a boundary
    s = Piecewise(POINTS, side="right")
    assert [s(t) for t in (0, 10, 10.01, 20, 20.5)] == [1.0, 1.0, 0.5, 0.5, 0.1]
    np.testing.assert_array_equal(s(np.array([0, 10, 10.01, 20, 20.5])), [1, 1, 0.5, 0.5, 0.1])


def test_before_the_first_point_is_its_value() -> None:
    for interpolation in ("constant", "linear", "cosine"):
        s = Piecewise(((5, 2.0), (10, 1.0)), interpolation=interpolation)
        assert s(0) == 2.0 and s(4.9) == 2.0 and s(5) == 2.0 and s(11) == 1.0


def test_linear_interpolation() -> None:
    s = Piecewise(((0, 0.0), (10, 1.0), (30, 0.0)), interpolation="linear")
    assert [s(t) for t in (0, 2.5, 10, 20, 25, 30, 40)] == [0.0, 0.25, 1.0, 0.5, 0.25, 0.0, 0.0]


def test_cosine_interpolation_is_a_half_cosine_per_leg() -> None:
    s = Piecewise(((0, 1.0), (10, 0.0), (20, 1.0)), interpolation="cosine")
    assert s(5) == pytest.approx(0.5, rel=1e-15) and s(15) == pytest.approx(0.5, rel=1e-15)
    assert s(10) == 0.0 and s(20) == 1.0
    assert s(2) == pytest.approx(0.5 * (1 + np.cos(np.pi * 0.2)), rel=1e-15)


def test_single_point_is_constant() -> None:
    s = Piecewise(((0, 0.3),), interpolation="linear")
    assert s(0) == s(1e9) == 0.3 and s.steps == 0


def test_points_are_normalised_to_tuples() -> None:
    s = Piecewise([[0, 1.0], [10, 0.5]])
    assert s.points == ((0, 1.0), (10, 0.5)) and s == Piecewise(((0, 1.0), (10, 0.5)))


def test_array_agrees_with_scalar_for_every_mode() -> None:
    t = np.linspace(0, 40, 801)
    for interpolation in ("constant", "linear", "cosine"):
        for side in ("left", "right"):
            s = Piecewise(((3, 1.0), (10, 0.5), (22, 0.05), (30, 0.2)), interpolation, side)
            np.testing.assert_allclose(s(t), [s(float(x)) for x in t], rtol=1e-15, atol=0)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"points": ()}, ValueError, r"Piecewise: points must hold at least one"),
        ({"points": 5}, TypeError, r"Piecewise: points must be a sequence of \(step, value\)"),
        ({"points": ((0, 1.0, 2),)}, TypeError, r"Piecewise: points must be a sequence of"),
        ({"points": ((10, 1.0), (5, 0.5))}, ValueError, r"Piecewise: points' steps must be"),
        ({"points": ((0, 1.0), (0, 0.5))}, ValueError, r"Piecewise: points' steps must be"),
        ({"points": ((-1, 1.0),)}, ValueError, r"Piecewise: points' steps\[0\] must be"),
        ({"points": ((0, -1.0),)}, ValueError, r"Piecewise: points\[0\] value must be"),
        ({"interpolation": "cubic"}, ValueError, r"Piecewise: interpolation must be one of"),
        ({"side": "middle"}, ValueError, r"Piecewise: side must be one of 'left', 'right'"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], error: type[Exception], message: str) -> None:
    args: dict[str, object] = {"points": POINTS, **kwargs}
    with pytest.raises(error, match="^" + message):
        Piecewise(**args)  # type: ignore[arg-type]


def test_interpolation_over_a_subnormal_gap_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^Piecewise: points' steps must be at least 2.2"):
        Piecewise(((0, 1.0), (1e-310, 0.0)), interpolation="cosine")
    assert Piecewise(((0, 1.0), (1e-310, 0.0)))(1.0) == 0.0  # constant needs no length
