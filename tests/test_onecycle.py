"""OneCycle (onecycle.py): two and three phases, cosine and linear legs."""

from __future__ import annotations

import numpy as np
import pytest

from annealing import OneCycle


def test_defaults_are_pytorch_defaults() -> None:
    # pct_start 0.3, div 25, final_div 1e4: from peak/25 up to peak, down to peak/2.5e5
    s = OneCycle(peak=1.0, steps=100)
    assert s(0) == 0.04 and s(30) == 1.0 and s(100) == pytest.approx(4e-6, rel=1e-15)
    assert s(1000) == s(100) and s.steps == 100


def test_cosine_legs_are_half_cosines() -> None:
    s = OneCycle(peak=1.0, steps=100, pct_start=0.2, div=10.0, final_div=10.0)
    assert s(10) == pytest.approx(0.55, rel=1e-15)  # halfway up from 0.1 to 1
    assert s(60) == pytest.approx(0.505, rel=1e-15)  # halfway down from 1 to 0.01


def test_linear_legs() -> None:
    s = OneCycle(peak=1.0, steps=100, pct_start=0.25, div=4.0, final_div=2.0, shape="linear")
    assert [s(t) for t in (0, 12.5, 25, 62.5, 100)] == [0.25, 0.625, 1.0, 0.5625, 0.125]


def test_three_phase_returns_to_the_start_then_falls() -> None:
    s = OneCycle(peak=1.0, steps=100, pct_start=0.25, shape="linear", three_phase=True)
    assert s(0) == 0.04 and s(25) == 1.0 and s(50) == 0.04
    assert s(100) == pytest.approx(4e-6, rel=1e-15)
    assert s(75) == pytest.approx((0.04 + 4e-6) / 2, rel=1e-14)


def test_monotonic_legs() -> None:
    s = OneCycle(peak=0.1, steps=1000)
    up, down = s(np.arange(0, 301)), s(np.arange(300, 1001))
    assert (np.diff(up) > 0).all() and (np.diff(down) < 0).all()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"pct_start": 0.0}, ValueError, r"OneCycle: pct_start must be a number in \(0, 1.0\)"),
        ({"pct_start": 1.0}, ValueError, r"OneCycle: pct_start must be a number in \(0, 1.0\)"),
        (
            {"pct_start": 0.5, "three_phase": True},
            ValueError,
            r"OneCycle: pct_start must be a number in \(0, 0.5\), got 0.5",
        ),
        ({"div": 0.5}, ValueError, "OneCycle: div must be a number >= 1, got 0.5"),
        ({"final_div": 0}, ValueError, "OneCycle: final_div must be a number >= 1, got 0"),
        ({"shape": "exp"}, ValueError, "OneCycle: shape must be one of 'cosine', 'linear'"),
        ({"three_phase": "yes"}, TypeError, "OneCycle: three_phase must be True or False"),
        ({"steps": 0}, ValueError, "OneCycle: steps must be a finite number > 0, got 0"),
        ({"steps": 5e-324}, ValueError, "OneCycle: steps must be a finite number > 0 and normal"),
        (
            {"steps": 3e-308, "pct_start": 1e-20},  # pct_start · steps underflows to 0
            ValueError,
            r"OneCycle: steps must be large enough to split at pct_start \(1e-20\), got 3e-308",
        ),
        ({"peak": -1}, ValueError, "OneCycle: peak must be a finite number >= 0, got -1"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], error: type[Exception], message: str) -> None:
    args: dict[str, object] = {"peak": 1.0, "steps": 100, **kwargs}
    with pytest.raises(error, match="^" + message):
        OneCycle(**args)  # type: ignore[arg-type]


def test_a_leg_of_subnormal_length_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^OneCycle: steps must be large enough to split"):
        OneCycle(1.0, 1e-300, pct_start=1e-10)
