"""Constant (constant.py)."""

from __future__ import annotations

import numpy as np
import pytest

from annealing import Constant


def test_the_same_value_everywhere() -> None:
    s = Constant(0.1)
    assert s(0) == s(7.5) == s(10**9) == 0.1 and s.steps is None
    values = s(np.arange(6).reshape(2, 3))
    assert values.shape == (2, 3) and (values == 0.1).all() and values.dtype == np.float64


def test_steps_is_only_a_length() -> None:
    s = Constant(0.5, steps=10)
    assert s.steps == 10 and s(11) == 0.5


def test_integer_value_gives_a_float() -> None:
    assert type(Constant(1)(3)) is float


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((-0.1,), ValueError, "Constant: value must be a finite number >= 0, got -0.1"),
        (("a",), TypeError, "Constant: value must be a finite number >= 0, got 'a'"),
        ((1.0, 0), ValueError, "Constant: steps must be a finite number > 0, got 0"),
        ((1.0, float("nan")), ValueError, "Constant: steps must be a finite number > 0, got nan"),
    ],
)
def test_bad_arguments(args: tuple[object, ...], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match="^" + message):
        Constant(*args)  # type: ignore[arg-type]
