"""Property tests (hypothesis): constructors under fuzzing, and what every valid schedule keeps.

- any arguments either build a schedule or raise ValueError/TypeError whose message starts with
  the class name and names the parameter;
- for any valid schedule and step the value is finite and >= 0;
- scalar and numpy evaluation agree to 1e-15 relative;
- to_dict round-trips; repr pastes back;
- the monotonic families are monotonic.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
from typing import Any

import numpy as np
import pytest
from catalogue import EXAMPLES
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import annealing as an

settings.register_profile(
    "annealing", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", parent=settings.get_profile("annealing"), max_examples=2000)
settings.load_profile(os.environ.get("ANNEALING_HYPOTHESIS", "annealing"))  # "thorough" to dig

CLASSES = [
    an.Constant,
    an.Cosine,
    an.Linear,
    an.Polynomial,
    an.Exponential,
    an.Step,
    an.MultiStep,
    an.InverseSqrt,
    an.Piecewise,
    an.OneCycle,
    an.Cyclic,
    an.WSD,
    an.Warmup,
    an.Sequence,
    an.Scale,
    an.Restarts,
]
INNER = [EXAMPLES[k] for k in ("Cosine", "Linear", "Constant-steps", "Step", "WSD", "SGDR")]
WORDS = ["linear", "cosine", "exponential", "1-sqrt", "triangular", "triangular2", "exp_range"]
WORDS += ["peak", "amplitude", "constant", "left", "right", "polynomial", ""]

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=1e6),
    st.floats(min_value=0, max_value=2),
    st.integers(min_value=-5, max_value=10**6),
)
junk = st.one_of(st.none(), st.booleans(), st.text(max_size=3), st.just([]), st.just(object()))
anything = st.one_of(
    numbers,
    numbers,
    junk,
    st.sampled_from(WORDS),
    st.sampled_from(INNER),
    st.lists(numbers, max_size=4).map(tuple),
    st.lists(st.tuples(numbers, numbers), max_size=4).map(tuple),
    st.lists(st.sampled_from(INNER), max_size=3).map(tuple),
)


def _fields(cls: type) -> list[dataclasses.Field[Any]]:
    return [f for f in dataclasses.fields(cls) if f.init]


@st.composite
def arguments(draw: st.DrawFn, cls: type) -> dict[str, Any]:
    kwargs = {}
    for f in _fields(cls):
        required = f.default is dataclasses.MISSING
        if required or draw(st.booleans()):
            kwargs[f.name] = draw(anything)
    return kwargs


def _build(cls: type, kwargs: dict[str, Any]) -> an.Schedule | None:
    try:
        return cls(**kwargs)  # type: ignore[no-any-return]
    except (ValueError, TypeError) as error:
        message = str(error)
        assert message.startswith(f"{cls.__name__}: "), message
        assert any(f.name in message for f in _fields(cls)), message
        return None


def _check_values(s: an.Schedule, steps: list[float]) -> None:
    array = s(np.asarray(steps, dtype=np.float64))
    assert np.all(np.isfinite(array)) and np.all(array >= 0), (s, steps, array)
    for t, value in zip(steps, array, strict=True):
        scalar = s(t)
        assert type(scalar) is float and math.isfinite(scalar) and scalar >= 0, (s, t, scalar)
        assert value == pytest.approx(scalar, rel=1e-15, abs=0), (s, t, value, scalar)


step_values = st.lists(
    st.one_of(
        st.floats(min_value=0, max_value=1e7),
        st.integers(min_value=0, max_value=10**7).map(float),
        st.floats(min_value=0, max_value=100),
    ),
    min_size=1,
    max_size=8,
)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@given(data=st.data())
def test_constructors_build_or_raise_a_clear_error(cls: type, data: st.DataObject) -> None:
    s = _build(cls, data.draw(arguments(cls)))
    if s is None:
        return
    _check_values(s, data.draw(step_values))
    assert an.from_dict(json.loads(json.dumps(s.to_dict()))) == s
    assert eval(repr(s), vars(an)) == s


@given(eta_max=numbers, T_0=numbers, T_mult=numbers, eta_min=numbers, steps=step_values)
def test_sgdr_builds_or_raises_a_clear_error(
    eta_max: Any, T_0: Any, T_mult: Any, eta_min: Any, steps: list[float]
) -> None:
    try:
        s = an.SGDR(eta_max, T_0=T_0, T_mult=T_mult, eta_min=eta_min)
    except (ValueError, TypeError) as error:
        assert str(error).startswith(("SGDR: ", "Cosine: ", "Restarts: ")), str(error)
        return
    _check_values(s, steps)


# -- valid schedules ------------------------------------------------------------------------
level = st.floats(min_value=0, max_value=10).filter(lambda x: x == 0 or x > 1e-300)
positive_level = st.floats(min_value=1e-6, max_value=10)
length = st.one_of(st.integers(1, 10**6), st.floats(min_value=1e-2, max_value=1e6))
shape = st.sampled_from(["linear", "cosine"])


def _pieces(draw: st.DrawFn) -> tuple[tuple[float, float], ...]:
    gaps = draw(st.lists(st.integers(1, 1000), min_size=0, max_size=4))
    first = draw(st.integers(0, 100))
    xs = np.cumsum([first, *gaps]).tolist()
    return tuple((x, draw(level)) for x in xs)


@st.composite
def schedules(draw: st.DrawFn, depth: int = 0) -> an.Schedule:
    kinds = ["cosine", "linear", "polynomial", "exponential", "rate", "constant", "step"]
    kinds += ["multistep", "inverse_sqrt", "piecewise", "onecycle", "cyclic", "wsd"]
    if depth < 2:
        kinds += ["warmup", "sequence", "scale", "restarts"]
    kind = draw(st.sampled_from(kinds))
    if kind == "cosine":
        exponent = draw(st.sampled_from([1.0, 0.5, 2.0, 3.7]))
        return an.Cosine(draw(level), draw(level), draw(length), exponent=exponent)
    if kind == "linear":
        return an.Linear(draw(level), draw(level), draw(length))
    if kind == "polynomial":
        power = draw(st.floats(min_value=0.1, max_value=5))
        return an.Polynomial(draw(level), draw(level), draw(length), power=power)
    if kind == "exponential":
        every = draw(st.sampled_from([1, 7, 0.5]))
        staircase = draw(st.booleans())
        return an.Exponential(
            draw(positive_level),
            end=draw(positive_level),
            steps=draw(length),
            every=every,
            staircase=staircase,
        )
    if kind == "rate":
        rate = draw(st.floats(min_value=1e-3, max_value=1.5))
        end = draw(positive_level) if rate > 1 or draw(st.booleans()) else None
        every = draw(st.floats(min_value=0.1, max_value=100))
        staircase = draw(st.booleans())
        return an.Exponential(
            draw(positive_level), end=end, rate=rate, every=every, staircase=staircase
        )
    if kind == "constant":
        return an.Constant(draw(level), steps=draw(st.one_of(st.none(), length)))
    if kind == "step":
        return an.Step(draw(level), draw(length), draw(st.floats(min_value=0, max_value=1)))
    if kind == "multistep":
        ms = tuple(sorted(draw(st.lists(st.integers(0, 10**5), max_size=5))))
        return an.MultiStep(draw(level), ms, draw(st.floats(min_value=0, max_value=1)))
    if kind == "inverse_sqrt":
        return an.InverseSqrt(draw(level), draw(length))
    if kind == "piecewise":
        interpolation = draw(st.sampled_from(["constant", "linear", "cosine"]))
        side = draw(st.sampled_from(["left", "right"]))
        return an.Piecewise(_pieces(draw), interpolation=interpolation, side=side)
    if kind == "onecycle":
        three = draw(st.booleans())
        pct = draw(st.floats(min_value=0.01, max_value=0.49 if three else 0.99))
        return an.OneCycle(
            draw(level),
            draw(length),
            pct_start=pct,
            div=draw(st.floats(min_value=1, max_value=1e3)),
            final_div=draw(st.floats(min_value=1, max_value=1e5)),
            shape=draw(shape),
            three_phase=three,
        )
    if kind == "cyclic":
        low = draw(level)
        return an.Cyclic(
            low,
            low + draw(level),
            draw(length),
            draw(st.one_of(st.none(), length)),
            mode=draw(st.sampled_from(["triangular", "triangular2", "exp_range"])),
            gamma=draw(st.floats(min_value=1e-3, max_value=1)),
        )
    if kind == "wsd":
        return an.WSD(
            draw(level),
            draw(st.integers(0, 1000)),
            draw(st.integers(0, 1000)),
            draw(length),
            start=draw(level),
            end=draw(level),
            decay_shape=draw(st.sampled_from(["linear", "cosine", "1-sqrt"])),
            warmup_shape=draw(st.sampled_from(["linear", "cosine", "1-sqrt"])),
        )
    inner = draw(schedules(depth + 1))
    if kind == "warmup":
        warm_shape = draw(st.sampled_from(["linear", "cosine", "exponential"]))
        if warm_shape == "exponential":
            assume(inner(0) > 0)
            return an.Warmup(inner, draw(length), start=draw(positive_level), shape=warm_shape)
        return an.Warmup(inner, draw(length), start=draw(level), shape=warm_shape)
    if kind == "sequence":
        other = draw(schedules(depth + 1))
        if inner.steps is None:
            return an.Sequence((inner, other), boundaries=(draw(length),))
        return an.Sequence((inner, other))
    if kind == "scale":
        factor = draw(st.one_of(level, schedules(depth + 1)))
        return an.Scale(inner, factor)
    cycle = an.Cosine(draw(level), draw(level), draw(st.integers(1, 1000)))
    return an.Restarts(
        cycle if draw(st.booleans()) or inner.steps is None else inner,
        mult=draw(st.sampled_from([1, 2, 3, 1.5, 1.1])),
        peak_decay=draw(st.floats(min_value=0.1, max_value=1.0)),
        floor_decay=draw(st.floats(min_value=0.1, max_value=1.0)),
        decay_mode=draw(st.sampled_from(["peak", "amplitude"])),
        limit=draw(st.one_of(st.none(), st.integers(1, 20))),
        warmup=draw(st.sampled_from([0, 0, 3, 2.5])),
    )


@given(s=schedules(), steps=step_values)
def test_values_are_finite_nonnegative_and_numpy_agrees_with_scalar(
    s: an.Schedule, steps: list[float]
) -> None:
    horizon = s.steps
    if horizon is not None:  # also steps inside and at the end of the schedule
        steps = [*steps, *(horizon * x for x in (0.0, 0.25, 0.5, 0.999, 1.0, 1.001))]
    _check_values(s, steps)


@given(s=schedules())
def test_round_trips(s: an.Schedule) -> None:
    assert an.from_dict(json.loads(json.dumps(s.to_dict()))) == s
    assert eval(repr(s), vars(an)) == s


@given(
    s=st.one_of(
        st.builds(an.Cosine, level, level, length, exponent=st.floats(0.1, 5)),
        st.builds(an.Linear, level, level, length),
        st.builds(an.Polynomial, level, level, length, power=st.floats(0.1, 5)),
        st.builds(an.Exponential, positive_level, end=positive_level, steps=length),
    ),
    steps=st.lists(st.floats(min_value=0, max_value=2e6), min_size=2, max_size=20),
)
def test_transitions_are_monotonic(s: Any, steps: list[float]) -> None:
    t = np.sort(np.asarray(steps))
    values = s(t)
    # within the two levels, up to one rounding: end + (start − end)·1 may be start + 1 ulp
    low, high = sorted((s.start, s.end))
    assert np.all(values >= low * (1 - 2.3e-16)) and np.all(values <= high * (1 + 2.3e-16))
    if s.start >= s.end:
        assert np.all(np.diff(values) <= 0), (s, t, values)
    else:
        assert np.all(np.diff(values) >= 0), (s, t, values)


@given(
    s=st.one_of(
        st.builds(an.Step, level, length, st.floats(0, 1)),
        st.builds(
            an.MultiStep,
            level,
            st.lists(st.integers(0, 10**5), max_size=5).map(lambda m: tuple(sorted(m))),
            st.floats(0, 1),
        ),
        st.builds(an.InverseSqrt, level, length),
        st.builds(an.Exponential, positive_level, rate=st.floats(1e-3, 1.0), every=length),
        st.builds(
            an.WSD, level, st.just(0), st.integers(0, 100), length, decay_shape=st.just("1-sqrt")
        ),
    ),
    steps=st.lists(st.floats(min_value=0, max_value=2e6), min_size=2, max_size=20),
)
def test_decays_never_rise(s: an.Schedule, steps: list[float]) -> None:
    values = s(np.sort(np.asarray(steps)))
    assert np.all(np.diff(values) <= 0), (s, steps, values)


MAX = 1.7976931348623157e308
EXTREME_STEPS = [0, 0.0, 5e-324, 1e-310, 1e-300, 0.5, 1, 7.7, 10, 1e10, 1e16, 1e300, MAX]

# Accepted schedules that once gave inf, NaN or a negative value (the issue 11 fuzz and ours)
EXTREMES = {
    "InverseTime-tiny-every-rate-0": an.InverseTime(1.0, 0.0, every=1e-300),
    "InverseTime-staircase-tiny-every": an.InverseTime(1.0, 2.0, every=1e-300, staircase=True),
    "PolynomialCycles-tiny-every": an.PolynomialCycles(1.0, 0.0, every=1e-20),
    "PolynomialCycles-huge-every": an.PolynomialCycles(1.0, 0.5, every=1e308),
    "PolynomialCycles-rise": an.PolynomialCycles(3.3e-245, 1.0, every=240635, power=1000.0),
    "Restarts-tiny-period-warmup": an.Restarts(an.Cosine(1.0, 0.0, 1e-10), warmup=1e-10),
    "Restarts-k-beyond-2**52": an.Restarts(an.Cosine(9.8e-309, 1.4e-291, 2e-174), warmup=1e10),
    "Restarts-amplitude-far": an.Restarts(
        an.Linear(1.6e99, 100.0, 204558), floor_decay=0.99, decay_mode="amplitude", warmup=564054
    ),
    "Cyclic-tiny-period": an.Cyclic(0.0, 1.0, 2.2250738585072014e-308, mode="triangular2"),
    "Cyclic-huge-legs": an.Cyclic(0.0, MAX, 8e307, 8e307),
    "Exponential-growth-to-max": an.Exponential(1e8, rate=10.0, end=1e308),
    "Exponential-end-ratio-underflows": an.Exponential(1e300, end=1e-300, steps=10),
    "Exponential-end-ratio-overflows": an.Exponential(1e-300, end=1e300, steps=10),
    "Exponential-end-near-max": an.Exponential(4.4e206, end=MAX, steps=4.6e68),
    "Exponential-decay-tiny-every": an.Exponential(1.0, rate=0.5, every=1e-300),
    "Exponential-growth-ratio-underflows": an.Exponential(9.6e294, rate=4.7e17, end=3.6e-247),
    "InverseSqrt-huge-timescale": an.InverseSqrt(1.0, 1e308),
    "InverseSqrt-tiny-timescale": an.InverseSqrt(1e300, 1e-300),
    "Tanh-rise-steep": an.Tanh(0.4, 1.8e208, 1e16, lower=-8.5, upper=826948.5),
    "Tanh-wide-bounds": an.Tanh(1.0, 0.0, 10, lower=-1e308, upper=1e308),
    "Offset-huge": an.Offset(an.Cyclic(0.1, 1.0, 10), 1e308),
    "Warp-length-0": an.Warp(an.MultiStep(1.0, (0,)), 2.0),
    "Warmup-exponential-wide": an.Warmup(an.Constant(1e300), 10, start=1e-300, shape="exponential"),
    "Scale-max": an.Scale(an.Constant(1e308), 1.7),
    "Cosine-huge-steps": an.Cosine(1.0, 0.0, 1.7e308),
    "Step-tiny-every": an.Step(1.0, 2.2250738585072014e-308, 0.5),
}


@pytest.mark.parametrize("name", EXTREMES)
def test_extreme_schedules_stay_finite_nonnegative_and_agree(name: str) -> None:
    s = EXTREMES[name]
    steps = list(EXTREME_STEPS)
    if s.steps is not None:
        steps += [float(s.steps) * x for x in (0.25, 0.5, 0.999, 1.0)]
    _check_values(s, [t for t in steps if t <= MAX])
