"""The compiled scalar call (annealing._speedups) gives the float the Python path gives.

For random parameters of every family that ``_speedups.c`` writes out, and for steps that hit
the edges (0, the ends of each segment, an ulp either side, 2**53, 1e308), ``schedule(t)``
(the C path) must equal ``schedule._call(t)`` (the family's Python path) bit for bit, and
each of those schedules must really be compiled, so that nothing passes by running Python
twice. Without a C compiler the module is absent: skipped locally, a failure in CI.
"""

from __future__ import annotations

import copy
import math
import pickle
import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from support import missing

import annealing as an
from annealing import schedule as schedule_module

_speedups = schedule_module._speedups


@pytest.fixture(autouse=True)
def _compiled() -> None:
    if _speedups is None:
        missing("annealing._speedups is not built (no C compiler at install?)")


def _length(r: random.Random) -> float | int:
    pick = r.random()
    if pick < 0.4:
        return r.randint(1, 5000)
    if pick < 0.5:
        return r.choice([1e-3, 0.7, 1e6, 2.5e9])
    return r.uniform(0.5, 3000.0)


def _rate(r: random.Random) -> float:
    return r.choice([r.uniform(0.0, 2.0), r.uniform(1e-6, 1e-2), 0.0, 1.0])


def _families(r: random.Random) -> Iterator[an.Schedule]:
    """One random schedule of each compiled form (and of each form of a family's path)."""
    a, b = _rate(r), _rate(r)
    hi, lo = max(a, b), min(a, b)
    yield an.Constant(a)
    yield an.Cosine(hi, lo, _length(r))
    yield an.Cosine(lo, hi + 0.5, _length(r))
    yield an.Linear(a, b, _length(r))
    yield an.Polynomial(hi, lo, _length(r), power=r.choice([1.0, 2.0, 0.5, r.uniform(0.1, 4)]))
    yield an.Exponential(hi or 1.0, rate=r.uniform(0.5, 1.0), every=_length(r))
    yield an.Exponential(1.0, rate=r.uniform(0.9, 1.0), end=r.uniform(0.0, 0.5) or None)
    yield an.Step(a, _length(r), r.uniform(0.0, 1.0))
    marks = sorted(r.uniform(0, 5000) for _ in range(r.randint(0, 5)))
    yield an.MultiStep(a, tuple(marks), r.uniform(0.0, 1.0))
    yield an.InverseSqrt(a, _length(r))
    yield an.InverseTime(a, r.uniform(0.01, 5), _length(r))
    lower = r.uniform(-10, 2)
    yield an.Tanh(a, b, _length(r), lower=lower, upper=lower + r.uniform(0.1, 10))
    mode = r.choice(["triangular", "triangular2", "exp_range"])
    gamma = r.uniform(0.9, 1.0) if mode == "exp_range" else 1.0
    yield an.Cyclic(lo, hi, _length(r), _length(r), mode=mode, gamma=gamma)
    xs = sorted({round(r.uniform(0, 3000), r.choice([0, 3])) for _ in range(r.randint(1, 6))})
    points = tuple((x, _rate(r)) for x in xs)
    for interpolation in ("constant", "linear", "cosine"):
        for side in ("left", "right"):
            if interpolation != "constant" and side == "right":
                continue
            if interpolation != "constant" and len(points) < 2:
                continue
            yield an.Piecewise(points, interpolation=interpolation, side=side)
    yield an.OneCycle(
        hi or 1.0,
        _length(r) + 10,
        pct_start=r.uniform(0.05, 0.45),
        shape=r.choice(["cosine", "linear"]),
        three_phase=r.random() < 0.3,
    )
    yield an.PolynomialCycles(hi, lo, _length(r), power=r.choice([1.0, 2.0, r.uniform(0.2, 3)]))
    shapes = ["linear", "cosine"]
    yield an.WSD(
        hi or 1.0,
        r.choice([0, _length(r)]),
        _length(r),
        _length(r),
        start=lo * r.random(),
        end=lo * r.random(),
        decay_shape=r.choice(shapes),
        warmup_shape=r.choice(shapes),
    )
    inner = an.Cosine(hi, lo, _length(r))
    yield an.Warmup(inner, _length(r), start=_rate(r), shape=r.choice(shapes))
    yield an.Sequence((an.Linear(0.0, hi, _length(r)), inner))
    yield an.Sequence((an.Linear(0.0, hi, _length(r)), inner, an.Constant(lo, steps=5)))
    yield an.Sequence((an.Constant(a), inner), boundaries=(_length(r),))
    yield an.SGDR(hi or 1.0, _length(r), 1, lo)
    yield an.SGDR(hi or 1.0, _length(r), r.choice([2, 3, 1.5]), lo)
    yield an.Restarts(inner, limit=1)
    yield an.Restarts(inner, limit=r.randint(2, 6), mult=r.choice([1, 2]))
    yield an.Scale(inner, r.uniform(0, 3))
    yield an.Scale(inner, an.Linear(1.0, 0.0, _length(r)))
    yield an.Warp(inner, r.choice([1.0, 2.0, 0.5, r.uniform(0.2, 3)]))
    yield an.Offset(inner, r.choice([0, _length(r)]))


def _steps(s: an.Schedule, r: random.Random) -> Iterator[float | int]:
    edges: list[float] = [0.0, 1.0, 2**53, 1e308, 5e-324]
    for name in ("steps", "_length", "every", "warmup", "_split", "_span", "_period", "up"):
        x = getattr(s, name, None)
        if isinstance(x, (int, float)) and not isinstance(x, bool) and 0 <= x < math.inf:
            edges += [float(x), math.nextafter(float(x), 0), math.nextafter(float(x), math.inf)]
    for table in ("_xs", "_starts", "_table", "_marks"):
        for x in getattr(s, table, ()) or ():
            edges += [float(x), math.nextafter(float(x), 0), math.nextafter(float(x), math.inf)]
    horizon = max([1.0, *(e for e in edges if e < 1e15)])
    yield from edges
    for _ in range(40):
        yield r.uniform(0, 2.5 * horizon)
        yield r.randint(0, int(2.5 * horizon))
    yield 2**53
    yield int(horizon)


def _check(s: an.Schedule, r: random.Random) -> int:
    assert s._compiled(), f"not compiled: {s!r}"  # type: ignore[attr-defined]
    n = 0
    for t in _steps(s, r):
        got, want = s(t), s._call(t)
        assert type(got) is float, (s, t, got)
        assert got == want and math.copysign(1, got) == math.copysign(1, want), (s, t, got, want)
        n += 1
    return n


@pytest.mark.parametrize("seed", range(40))
def test_the_compiled_call_gives_the_python_float(seed: int) -> None:
    r = random.Random(seed)
    seen = set()
    for s in _families(r):
        _check(s, r)
        seen.add(_speedups.NAMES[s._compiled()])  # type: ignore[attr-defined]
    assert seen == set(_speedups.NAMES) - {"python"}, "a compiled op not tested"


def test_every_other_step_goes_to_python_with_its_message() -> None:
    s = an.Cosine(1.0, 0.1, 100)
    assert s._compiled()  # type: ignore[attr-defined]
    for bad in (-1, -0.5, math.inf, math.nan, -(2**53), True, 1j, None):
        with pytest.raises((ValueError, TypeError), match="Cosine: step"):
            s(bad)
    assert s(step=10) == s._call(10)
    assert s(2**53 + 2) == s._call(2**53 + 2) == 0.1
    import numpy as np

    assert s(np.float32(10)) == s._call(10.0)
    assert s(np.array([0.0, 50.0])).tolist() == [s(0.0), s(50.0)]


def test_what_is_not_written_out_in_c_is_left_to_python() -> None:
    class Mine(an.Cosine):  # a subclass may compute its values anew
        def _scalar(self, t: float, /) -> float:
            return 0.5

    left = [
        Mine(1.0, 0.1, 100),
        an.Cosine(1.0, 0.0, 100, exponent=2.0),
        an.InverseTime(1.0, 0.5, 10, staircase=True),
        an.Exponential(0.1, rate=1.1, end=2.0),
        an.Polynomial(0.01, 1.0, 10, power=0.5),
        an.WSD(1.0, 10, 10, 10, decay_shape="1-sqrt"),
        an.Warmup(an.Constant(1.0), 10, shape="exponential", start=0.01),
        an.Restarts(an.Cosine(1.0, 0.0, 10), warmup=2),
        an.Exponential(1.0, end=0.01, steps=100),
    ]
    for s in left:
        assert not s._compiled(), s  # type: ignore[attr-defined]
        assert s(5) == s._call(5) and s(5.5) == s._call(5.5)
    assert Mine(1.0, 0.1, 100)(3) == 0.5


class _Outside(an.Schedule):
    """A schedule from outside the library: a compiled combinator calls its _scalar."""

    steps = 10

    def _value(self, t: Any, xp: Any) -> Any:
        if t == 7.0:
            raise RuntimeError("no value at 7")
        return xp.full(t, 0.25) if xp is not schedule_module.SCALAR else 0.25


def test_a_child_from_outside_is_called_in_python_and_its_errors_pass_through() -> None:
    for s in (
        an.Warmup(_Outside(), 3),
        an.Sequence((_Outside(), an.Constant(1.0))),
        an.Scale(an.Constant(2.0), _Outside()),
        an.Offset(_Outside(), 1),
    ):
        assert s._compiled(), s  # type: ignore[attr-defined]
        assert s(5.0) == s._call(5.0)
    with pytest.raises(RuntimeError, match="no value at 7"):
        an.Sequence((_Outside(), an.Constant(1.0)))(7)


@pytest.mark.parametrize(
    "copier",
    [copy.copy, copy.deepcopy, lambda s: pickle.loads(pickle.dumps(s))],
    ids=["copy", "deepcopy", "pickle"],
)
def test_a_copy_is_an_equal_schedule_compiled_again(copier: Callable[[Any], Any]) -> None:
    for s in (an.SGDR(0.1, 100, 2, 0.001), an.Warmup(an.Cosine(1.0, 0.0, 50), 5)):
        other = copier(s)
        assert other == s and other is not s
        assert other._compiled() == s._compiled() != 0
        assert [other(t) for t in range(0, 400, 7)] == [s(t) for t in range(0, 400, 7)]


def test_a_wrong_compile_is_refused_not_read_past_an_array() -> None:
    def fresh() -> Any:
        return _Outside()  # not compiled: _speed may be tried on it

    op = _speedups.NAMES.index
    wrong = [
        (op("cosine-fall"), (1.0,), (), ()),  # too few numbers
        (op("multistep"), (), (), ((1.0,), (1.0,))),  # one level short
        (op("piecewise"), (0.0,), (), ((0.0, 1.0), (1.0,), (0.0, -1.0))),
        (op("piecewise"), (0.0,), (), ((), (), ())),
        (op("wsd"), (0.0,) * 8, (), ((5.0,), (0.0,))),  # does not start at 0
        (op("sequence"), (-1.0,), (an.Constant(1.0),) * 2, ((0.0,),)),
        (op("sequence"), (3.0,), (an.Constant(1.0),) * 3, ((0.0, 3.0, 4.0),)),
        (op("restarts"), (0.0,) * 6, (an.Constant(1.0),), ((0.0, 1.0), (1.0,))),
        (op("scale"), (), (an.Constant(1.0),), ()),  # neither a factor nor its schedule
        (op("warmup"), (0.0,) * 8, (), ()),
        (0, (), (), ()),
        (len(_speedups.NAMES), (), (), ()),
    ]
    for args in wrong:
        s = fresh()
        with pytest.raises(ValueError, match="_speed"):
            s._speed(*args)
        assert not s._compiled()
    s = an.Cosine(1.0, 0.0, 10)
    with pytest.raises(ValueError, match="compiled already"):
        s._speed(op("constant"), (0.5,), (), ())  # type: ignore[attr-defined]
    assert s(5) == s._call(5)


def test_schedules_nested_beyond_the_recursion_limit_raise_recursion_error() -> None:
    import sys

    limit = sys.getrecursionlimit()
    s: an.Schedule = an.Constant(1.0)
    try:
        sys.setrecursionlimit(20_000)  # construction recurses too (each checks its peak)
        for _ in range(3000):
            s = an.Scale(s, 1.0)
    finally:
        sys.setrecursionlimit(limit)
    assert s._compiled()  # type: ignore[attr-defined]
    with pytest.raises(RecursionError):
        s(1.0)
    assert an.Scale(an.Scale(an.Constant(1.0), 0.5), 0.5)(3) == 0.25
