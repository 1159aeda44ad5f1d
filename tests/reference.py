"""An independent high-precision reference for every schedule, written from the formulas.

``reference(schedule, t)`` evaluates `schedule` at step `t` with mpmath at 50 significant
digits, straight from the textbook form of each family (``½(1 + cos(πt/T))`` and all), reading
only the public parameters. Nothing here calls the library's arithmetic, so an error in a
formula of the library shows up as a difference. Restart boundaries use exact fractions.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import mpmath as mp

import annealing as an

mp.mp.dps = 50
Number = Any  # an mpmath mpf


def _m(x: float | Fraction) -> Number:
    if isinstance(x, Fraction):
        return mp.mpf(x.numerator) / x.denominator
    return mp.mpf(x)


def _shape(start: Number, end: Number, u: Number, length: Number, shape: str, p: Number = 1):
    """The move from `start` to `end` after `u` of `length` steps (held after `length`)."""
    start, end, u, length = _m(start), _m(end), _m(u), _m(length)
    x = min(u, length) / length
    if shape == "linear":
        return start + (end - start) * x
    if shape == "cosine":
        return end + (start - end) * ((1 + mp.cos(mp.pi * x)) / 2) ** p
    if shape == "polynomial":
        return end + (start - end) * (1 - x) ** p
    if shape == "exponential":
        return start * (end / start) ** x
    if shape == "1-sqrt":
        return end + (start - end) * (1 - mp.sqrt(x))
    raise AssertionError(shape)


def _decimal(x: float) -> Fraction:
    return Fraction(x) if isinstance(x, int) else Fraction(repr(float(x)))


def reference(s: an.Schedule, t: float) -> Number:
    """`s` at step `t`, to 50 digits."""
    t = _m(t)
    if isinstance(s, an.Constant):
        return _m(s.value)
    if isinstance(s, an.Cosine):
        return _shape(s.start, s.end, t, s.steps, "cosine", _m(s.exponent))
    if isinstance(s, an.Linear):
        return _shape(s.start, s.end, t, s.steps, "linear")
    if isinstance(s, an.Polynomial):
        return _shape(s.start, s.end, t, s.steps, "polynomial", _m(s.power))
    if isinstance(s, an.Exponential):
        if s.rate is None:
            x = min(t, _m(s.steps))
            if s.staircase:
                x = mp.floor(x / _m(s.every)) * _m(s.every)
            return _m(s.start) * (_m(s.end) / _m(s.start)) ** (x / _m(s.steps))
        n = t / _m(s.every)
        if s.staircase:
            n = mp.floor(n)
        value = _m(s.start) * _m(s.rate) ** n
        if s.end is not None:
            value = max(value, _m(s.end)) if s.rate < 1 else min(value, _m(s.end))
        return value
    if isinstance(s, an.Step):
        return _m(s.start) * _m(s.factor) ** mp.floor(t / _m(s.every))
    if isinstance(s, an.MultiStep):
        return _m(s.start) * _m(s.factor) ** sum(1 for m in s.milestones if _m(m) <= t)
    if isinstance(s, an.InverseSqrt):
        return _m(s.start) / mp.sqrt(1 + t / _m(s.timescale))
    if isinstance(s, an.Piecewise):
        return _piecewise(s.points, s.interpolation, s.side, t)
    if isinstance(s, an.OneCycle):
        peak, steps = _m(s.peak), _m(s.steps)
        initial = peak / _m(s.div)
        low = initial / _m(s.final_div)
        rise = _m(s.pct_start) * steps
        if s.three_phase:
            points = [(0, initial), (rise, peak), (2 * rise, initial), (steps, low)]
        else:
            points = [(0, initial), (rise, peak), (steps, low)]
        return _piecewise(points, s.shape, "left", t)
    if isinstance(s, an.Cyclic):
        up = _m(s.up)
        down = up if s.down is None else _m(s.down)
        cycle = mp.floor(t / (up + down))
        p = t - cycle * (up + down)
        x = p / up if p <= up else (up + down - p) / down
        scale = {"triangular": 1, "triangular2": mp.mpf(2) ** -cycle}.get(s.mode)
        if scale is None:
            scale = _m(s.gamma) ** t
        return _m(s.low) + (_m(s.high) - _m(s.low)) * x * scale
    if isinstance(s, an.WSD):
        w, st = _m(s.warmup), _m(s.stable)
        if t < w:  # the decay's shape run backwards in time (the same for linear and cosine)
            return _shape(s.peak, s.start, w - t, w, s.warmup_shape)
        if t < w + st:
            return _m(s.peak)
        return _shape(s.peak, s.end, t - w - st, s.decay, s.decay_shape)
    if isinstance(s, an.Warmup):
        w = _m(s.warmup)
        if t >= w:
            return reference(s.schedule, t - w)
        return _shape(s.start, reference(s.schedule, 0), t, w, s.shape)
    if isinstance(s, an.Sequence):
        starts = [mp.mpf(0)]
        if s.boundaries is None:
            for inner in s.schedules[:-1]:
                starts.append(starts[-1] + _m(inner.steps))
        else:
            starts += [_m(b) for b in s.boundaries]
        i = max(j for j, b in enumerate(starts) if b <= t)
        return reference(s.schedules[i], t - starts[i])
    if isinstance(s, an.Scale):
        factor = s.factor
        f = reference(factor, t) if isinstance(factor, an.Schedule) else _m(factor)
        return reference(s.schedule, t) * f
    if isinstance(s, an.Restarts):
        return _restarts(s, t)
    raise AssertionError(f"no reference for {s!r}")


def _piecewise(points: Any, interpolation: str, side: str, t: Number) -> Number:
    steps = [_m(p[0]) for p in points]
    values = [_m(p[1]) for p in points]
    if interpolation == "constant":
        if side == "left":
            before = [i for i, x in enumerate(steps) if x <= t]
        else:
            before = [i for i, x in enumerate(steps) if x < t]
        return values[before[-1]] if before else values[0]
    if t <= steps[0]:
        return values[0]
    if t >= steps[-1]:
        return values[-1]
    i = max(j for j, x in enumerate(steps) if x <= t)
    return _shape(values[i], values[i + 1], t - steps[i], steps[i + 1] - steps[i], interpolation)


def _restarts(s: an.Restarts, t: Number) -> Number:
    length, mult, warmup = _decimal(s.cycle.steps), _decimal(s.mult), _decimal(s.warmup)
    k, begin, grow = 0, Fraction(0), Fraction(1)
    exact_t = Fraction(float(t))
    while s.limit is None or k < s.limit - 1:
        nxt = begin + warmup + length * grow
        if nxt > exact_t:
            break
        k, begin, grow = k + 1, nxt, grow * mult
    first, last = reference(s.cycle, 0), reference(s.cycle, s.cycle.steps)

    def mapped(value: Number) -> Number:
        p, f = _m(s.peak_decay) ** k, _m(s.floor_decay) ** k
        floor = last * f
        if s.decay_mode == "amplitude" or first == last:
            return max(floor + (value - last) * p, 0)
        return max(floor + (value - last) * (first * p - floor) / (first - last), 0)

    total = begin + warmup + length * grow
    if s.limit is not None and exact_t >= total:
        return mapped(last)
    u = _m(exact_t - begin)
    w = _m(warmup)
    if u < w:
        return mapped(last) + (mapped(first) - mapped(last)) * u / w
    return mapped(reference(s.cycle, (u - w) / _m(grow)))
