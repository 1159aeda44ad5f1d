"""Warp and Offset (warp.py): the bent clock and the moved one."""

from __future__ import annotations

import numpy as np
import pytest

from annealing import Cyclic, Linear, MultiStep, Offset, OneCycle, Warp


@pytest.mark.parametrize("power", [9.221602874628367, 0.38, 1.5, 3.893052178188634e-15])
def test_scalar_and_numpy_bend_the_clock_with_the_same_pow(power: float) -> None:
    # near the end of a line an ulp of the warped step is a large relative change
    s = Warp(Linear(1.0, 0.0, 10), power)
    t = np.array([9.999999999999998, 9.99, 5.0, 1e-310, 0.0])
    assert s(t).tolist() == [s(x) for x in t.tolist()]
    jump = Warp(OneCycle(1e-10, 976395, pct_start=0.1366, final_div=3.8e293), power)
    assert jump(t).tolist() == [jump(x) for x in t.tolist()]


def test_a_schedule_of_length_0_is_not_warped() -> None:
    s = Warp(MultiStep(1.0, (0,)), 2.0)
    assert s.steps == 0 and s(0) == s(5) == 0.1 and s(np.array([0.0, 5.0])).tolist() == [0.1, 0.1]


def test_offset_past_the_largest_float_is_evaluated_there() -> None:
    s = Offset(Cyclic(0.1, 1.0, 10), 1e308)
    t = np.array([0.0, 1e308, 1.7976931348623157e308])
    values = s(t)
    assert np.all(np.isfinite(values)) and values.tolist() == [s(x) for x in t.tolist()]
