"""WSD (wsd.py): warmup, stable, decay."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from annealing import WSD


def test_the_trapezoid() -> None:
    s = WSD(peak=1.0, warmup=10, stable=80, decay=10)
    assert [s(t) for t in (0, 5, 10, 50, 90, 95, 100, 200)] == [
        0.0,
        0.5,
        1.0,
        1.0,
        1.0,
        0.5,
        0.0,
        0.0,
    ]
    assert s.steps == 100


def test_decay_shapes() -> None:
    half = {"linear": 0.5, "cosine": 0.5, "1-sqrt": 1 - math.sqrt(0.5)}
    for shape, value in half.items():
        s = WSD(peak=1.0, warmup=0, stable=10, decay=20, decay_shape=shape)
        assert s(20) == pytest.approx(value, rel=1e-15), shape
        assert s(30) == 0.0
    s = WSD(peak=1.0, warmup=0, stable=0, decay=4, decay_shape="cosine")
    assert s(1) == pytest.approx(0.5 * (1 + math.cos(math.pi / 4)), rel=1e-15)


def test_start_and_end_levels() -> None:
    s = WSD(peak=2.0, warmup=4, stable=0, decay=4, start=1.0, end=0.5)
    assert [s(t) for t in (0, 2, 4, 6, 8, 9)] == [1.0, 1.5, 2.0, 1.25, 0.5, 0.5]


def test_warmup_shapes_mirror_the_decay() -> None:
    for shape in ("linear", "cosine", "1-sqrt"):
        s = WSD(1.0, warmup=10, stable=0, decay=10, warmup_shape=shape, decay_shape=shape)
        for t in (0.0, 2.5, 5.0, 7.5):
            assert s(t) == pytest.approx(s(20 - t), rel=1e-14, abs=1e-300), (shape, t)


def test_warmup_from_zero_keeps_relative_precision_at_fractional_steps() -> None:
    # regression: the warmup ran backwards from warmup − t, which rounds (2e-11 relative here)
    s = WSD(peak=0.01, warmup=891, stable=10, decay=10)
    exact = Fraction(0.01) * Fraction(0.001) / 891
    for value in (s(0.001), float(s(np.array([0.001]))[0])):
        assert abs(Fraction(value) - exact) / exact < 4e-16


def test_no_warmup_and_no_stable() -> None:
    s = WSD(peak=1.0, warmup=0, stable=0, decay=10)
    assert s(0) == 1.0 and s(5) == 0.5 and s.steps == 10


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"decay": 0}, "WSD: decay must be a finite number > 0, got 0"),
        ({"warmup": -1}, "WSD: warmup must be a finite number >= 0, got -1"),
        ({"stable": float("inf")}, "WSD: stable must be a finite number >= 0, got inf"),
        ({"decay_shape": "exp"}, "WSD: decay_shape must be one of 'linear', 'cosine', '1-sqrt'"),
        ({"warmup_shape": "x"}, "WSD: warmup_shape must be one of"),
        ({"end": -0.1}, "WSD: end must be a finite number >= 0, got -0.1"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"peak": 1.0, "warmup": 10, "stable": 10, "decay": 10, **kwargs}
    with pytest.raises(ValueError, match="^" + message):
        WSD(**args)  # type: ignore[arg-type]


def test_lengths_must_sum_to_a_finite_number() -> None:
    with pytest.raises(ValueError, match=r"^WSD: warmup \+ stable \+ decay must be a finite"):
        WSD(1.0, 1e308, 1e308, 10)
    with pytest.raises(ValueError, match=r"^WSD: warmup must be 0 or a normal number"):
        WSD(1.0, 1e-310, 10, 10)
