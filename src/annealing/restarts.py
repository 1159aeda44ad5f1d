"""Warm restarts: a schedule repeated, each cycle longer and lower than the last."""

from __future__ import annotations

import bisect
import decimal
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, NoReturn

from . import _validate as v
from ._namespace import NUMPY, SCALAR
from ._periods import remainder
from ._shapes import largest
from .cosine import Cosine
from .schedule import _EXACT_INT, _INF, Schedule, _compile

_floor = math.floor
_fmod = math.fmod
_MAX = v.MAX
_EXACT_LIMIT = 2.0**53  # beyond this, steps are no longer exact in float64
_MAX_CYCLES = 100_000  # more cycle starts than this is a mistake (and slow to build)


def _exact(x: float) -> Fraction:
    # the decimal the user wrote: Fraction("1.1") == 11/10, not the binary neighbour of 1.1
    return Fraction(x) if isinstance(x, int) else Fraction(repr(float(x)))


def _plain(x: Fraction) -> float:
    return int(x) if x.denominator == 1 else float(x)


@dataclass(frozen=True, repr=False)
class Restarts(Schedule):
    r"""Repeat `cycle` with warm restarts (Loshchilov & Hutter, SGDR, ICLR 2017).

    Cycle :math:`k = 0, 1, \dots` lasts :math:`W + T_0 m^k` steps: an optional linear `warmup`
    of :math:`W` steps, then `cycle` (of length :math:`T_0` = ``cycle.steps``) stretched in time
    by :math:`m^k` (`mult`, any real >= 1). Cycle :math:`k` starts at

    .. math::

        \begin{aligned}
        B_k &= kW + T_0\,\frac{m^k - 1}{m - 1} \\
            &\quad (B_k = k(W + T_0) \text{ if } m = 1)
        \end{aligned}

    computed from the decimals you wrote (`mult` = 1.1 is 11/10), exactly by the queries and
    to 60 significant digits for evaluation, so a restart falls exactly on its step: with
    :math:`T_0 = 1, m = 3` step 121 is a restart. A `mult` so close to 1 that more than
    100000 cycles come before step :math:`2^{53}` is refused.
    PyTorch's ``CosineAnnealingWarmRestarts.step(epoch)`` and timm find the cycle with a
    floating-point logarithm and put that step in the previous cycle.

    Each cycle's values are mapped from the cycle's own start :math:`S = c(0)` and end
    :math:`E = c(T_0)` (for :class:`Tanh`, its levels `start` and `end`). With
    ``decay_mode="peak"`` the start becomes :math:`S\,p^k` and the end
    :math:`E\,f^k` (timm ``cycle_decay``: the peak decays, the floor stays unless `floor_decay`);
    with ``"amplitude"`` the height above the end is multiplied by :math:`p^k` and the end by
    :math:`f^k` (Keras ``CosineDecayRestarts(m_mul=p)``), where :math:`p` = `peak_decay` and
    :math:`f` = `floor_decay`. After `limit` cycles the value holds at the last cycle's end.

    Parameters
    ----------
    cycle : Schedule
        One cycle, with finite ``steps`` > 0, for example ``Cosine(start, end, T_0)``.
    mult : float
        :math:`T_{mult}`, the growth of each cycle's length, >= 1. Default 1.
    peak_decay : float
        :math:`p`, in (0, 1]; > 1 (a growth) only with a `limit`. Default 1 (no decay).
    floor_decay : float
        :math:`f`, in (0, 1]; > 1 (a growth) only with a `limit`. Default 1 (no decay).
    decay_mode : {"peak", "amplitude"}
        What `peak_decay` multiplies. Default "peak".
    limit : int, optional
        The number of cycles; None (default) repeats for ever. The last cycle must end within
        float range (``mult=2, limit=2000`` is refused), and the decayed values too: a growth
        (`peak_decay` or `floor_decay` > 1) that takes them beyond 1.8e308 is refused.
    warmup : int or float
        Steps of linear warmup at the start of every cycle, from the cycle's end value to its
        start value, >= 0. Not stretched by `mult`. Default 0. ``warmup + cycle.steps`` must
        be finite.

    Examples
    --------
    >>> from annealing import Cosine, Restarts
    >>> s = Restarts(Cosine(start=1.0, end=0.0, steps=10), mult=2)
    >>> [s.cycle_start(k) for k in range(4)]
    [0, 10, 30, 70]
    >>> s(30), s.cycle_index(29.5), s.next_restart(31)
    (1.0, 1, 70)
    """

    cycle: Schedule
    mult: float = 1
    peak_decay: float = 1.0
    floor_decay: float = 1.0
    decay_mode: str = "peak"
    limit: int | None = None
    warmup: float = 0
    _table: tuple[float, ...] = field(init=False, repr=False, compare=False)
    _stretch: tuple[float, ...] = field(init=False, repr=False, compare=False)
    _powers: tuple[tuple[float, ...], ...] = field(init=False, repr=False, compare=False)
    _high: float = field(init=False, repr=False, compare=False)
    _ends: tuple[float, float] = field(init=False, repr=False, compare=False)
    # derived once for the scalar fast path (not parameters: not in repr, eq or to_dict)
    _span: float = field(init=False, repr=False, compare=False)
    _final: float = field(init=False, repr=False, compare=False)
    _plain: bool = field(init=False, repr=False, compare=False)
    _decays: bool = field(init=False, repr=False, compare=False)
    _last: int | None = field(init=False, repr=False, compare=False)  # limit - 1
    _warm: float = field(init=False, repr=False, compare=False)  # warmup as a float
    # one cycle (limit 1), no warmup, no decay: the cycle, then its end held (timm's default)
    _single: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.cycle, Schedule):
            raise TypeError(f"Restarts: cycle must be a Schedule, got {v.show(self.cycle)}")
        if self.cycle.steps is None or not self.cycle.steps > 0:
            raise ValueError(
                f"Restarts: cycle must have a finite length (steps) > 0, got {v.show(self.cycle)}"
            )
        v.store(
            self,
            mult=v.number("Restarts", "mult", self.mult, low=1.0, allowed="a number >= 1"),
            peak_decay=v.positive("Restarts", "peak_decay", self.peak_decay),
            floor_decay=v.positive("Restarts", "floor_decay", self.floor_decay),
            decay_mode=v.choice("Restarts", "decay_mode", self.decay_mode, ("peak", "amplitude")),
            warmup=v.length("Restarts", "warmup", self.warmup, zero=True),
        )
        if self.limit is not None:
            v.store(self, limit=v.count("Restarts", "limit", self.limit))
        if not float(self.cycle.steps) + self.warmup <= v.MAX:
            raise ValueError(
                f"Restarts: warmup + cycle.steps must be a finite number, got "
                f"warmup={v.show(self.warmup)}, cycle.steps={v.show(self.cycle.steps)}"
            )
        for name in ("peak_decay", "floor_decay"):
            growth = getattr(self, name)
            cycles = None if self.limit is None else min(self.limit, 10**6)
            if growth > 1 and (cycles is None or (cycles - 1) * math.log(growth) > 690):
                raise ValueError(
                    f"Restarts: {name} must be a number in (0, 1], or > 1 only with a limit "
                    f"that keeps {name}**(limit - 1) below 1e300 (a growth without end "
                    f"overflows), got {v.show(growth)} with limit={v.show(self.limit)}"
                )
        table: list[float] = []
        stretch: list[float] = []  # mult**k of each cycle, rounded once from the exact value
        if self.mult != 1 or self.limit is not None:
            table, stretch = self._boundaries()
        if self.limit is not None:
            try:
                self.cycle_start(self.limit)
            except ValueError:
                raise ValueError(
                    f"Restarts: limit must be small enough that the last cycle ends within "
                    f"float range, got limit={v.show(self.limit)} with mult={v.show(self.mult)}"
                ) from None
        object.__setattr__(self, "_table", tuple(table))
        object.__setattr__(self, "_stretch", tuple(stretch))
        # p**k and f**k of each cycle in the table, by Python's pow: numpy's differs by an ulp
        # at times, which the mapping of a cycle below its floor amplifies
        powers: tuple[tuple[float, ...], ...] = ()
        if table and (self.peak_decay != 1 or self.floor_decay != 1):
            powers = tuple(
                tuple(base**i for i in range(len(table)))
                for base in (self.peak_decay, self.floor_decay)
            )
        object.__setattr__(self, "_powers", powers)
        # the levels the decays scale: a cycle may name them (Tanh's asymptotes), else its ends
        anchors = getattr(self.cycle, "_anchors", None)
        ends = (self.cycle._scalar(0.0), self.cycle._scalar(float(self.cycle.steps)))
        object.__setattr__(self, "_ends", anchors() if anchors is not None else ends)
        object.__setattr__(self, "_high", self._peak())
        object.__setattr__(self, "_span", float(self.cycle.steps) + float(self.warmup))
        final = math.nan if self.limit is None else self._map(self._ends[1], self.limit - 1, SCALAR)
        object.__setattr__(self, "_final", final)
        decays = self.peak_decay != 1 or self.floor_decay != 1
        object.__setattr__(self, "_decays", decays)
        object.__setattr__(self, "_plain", not table and self.warmup == 0 and not decays)
        object.__setattr__(self, "_last", None if self.limit is None else self.limit - 1)
        object.__setattr__(self, "_warm", float(self.warmup))
        object.__setattr__(self, "_single", self.limit == 1 and self.warmup == 0 and not decays)
        # (a cycle from outside the library does not say its peak: inf, not checked)
        if v.peak(self.cycle) <= v.MAX and not self._high <= v.MAX:
            raise ValueError(
                "Restarts: the decayed cycles must stay within float range: peak_decay and "
                f"floor_decay over the cycles scale {v.show(self.cycle)} beyond 1.8e308, got "
                f"peak_decay={v.show(self.peak_decay)}, floor_decay={v.show(self.floor_decay)}, "
                f"limit={v.show(self.limit)}"
            )
        if self._single or self._plain or (not self.warmup and not decays):
            # compiled: the paths without a warmup or decays (PyTorch's)
            last = -1 if self._last is None else self._last
            numbers = (self._single, self._plain, final, last, self._span)
            tables = (self._table, self._stretch)
            _compile(self, Restarts, "restarts", numbers, (self.cycle,), tables)

    def _peak(self) -> float:
        """An upper bound of the values: each is affine in the cycle's value (in [0, peak]) and
        in the two decay factors (each between 1 and its value at the last cycle), so the
        largest is at a corner of that box."""
        high = v.peak(self.cycle)
        if self.peak_decay == 1 and self.floor_decay == 1:
            return high
        last = None if self.limit is None else self.limit - 1

        def span(decay: float) -> tuple[float, ...]:
            if last is None:  # decay <= 1 without a limit: down to 0
                return (1.0, 0.0) if decay < 1 else (1.0,)
            power = min(last, 10**6) * math.log(decay)
            return (1.0, math.exp(power) if power < 709 else math.inf)

        first, end = self._ends
        bound = 0.0
        for p in span(self.peak_decay):
            for f in span(self.floor_decay):
                for value in (0.0, high):
                    if not (p <= v.MAX and f <= v.MAX and high <= v.MAX):
                        return math.inf
                    floor = end * f
                    if self.decay_mode == "amplitude" or first == end:
                        mapped = floor + (value - end) * p
                    else:
                        mapped = floor + (value - end) * ((first * p - floor) / (first - end))
                    bound = max(bound, mapped) if mapped == mapped else math.inf
        return bound

    @property
    def steps(self) -> float | None:
        """The total length of `limit` cycles, or None when the restarts never end."""
        return None if self.limit is None else self.cycle_start(self.limit)

    # -- queries -------------------------------------------------------------------------
    def cycle_start(self, k: int) -> float:
        """The step at which cycle `k` (from 0) starts, exactly."""
        k = v.count("Restarts", "k", k, minimum=0)
        length, mult, warmup = self._exact_parts()
        beyond = ValueError(
            f"Restarts: k must be small enough that cycle k starts within float "
            f"range, got {v.show(k)}"
        )
        if mult == 1:
            start = k * (warmup + length)
        elif min(k, 10**6) * math.log(mult) + math.log(length) - math.log(mult - 1) > 710:
            # T_0 m**k / (m - 1) alone exceeds float range (and is slow to compute exactly)
            raise beyond
        else:
            start = k * warmup + length * (mult**k - 1) / (mult - 1)
        if start > v.MAX:
            raise beyond
        return _plain(start)

    def cycle_index(self, step: float) -> int:
        """The index (from 0) of the cycle that contains `step`; `limit` past the end."""
        t = v.nonnegative("Restarts", "step", step)
        return int(self._index(t))

    def next_restart(self, step: float) -> float | None:
        """The first restart strictly after `step`, or None if no cycle starts after it."""
        k = self.cycle_index(step) + 1
        if self.limit is not None and k >= self.limit:
            return None
        return self.cycle_start(k)

    def _boundaries(self) -> tuple[list[float], list[float]]:
        """Each cycle's start (up to `limit` or past step 2**53) and stretch mult**k, as floats.

        Computed in 60-digit decimal arithmetic from the decimals the user wrote: exact for
        every boundary of fewer than 60 digits (121 for T_0 = 1, mult = 3), and correctly rounded
        otherwise. (Exact fractions would do, but their denominators grow as 10**k: mult = 1.01
        took seconds.)
        """
        assert self.cycle.steps is not None
        m, first = float(self.mult), float(self.cycle.steps) + float(self.warmup)
        # about how many cycles come before 2**53 (a slight underestimate): refuse at once
        count = math.inf
        if m > 1:  # log(1 + 2**53 (m - 1) / first) / log(m), without overflow for a tiny first
            x = math.log(_EXACT_LIMIT) + math.log(m - 1) - math.log(first)
            count = (x if x > 40 else math.log1p(math.exp(x))) / math.log(m)
        if min(count, self.limit or math.inf) > _MAX_CYCLES:
            self._too_many()
        with decimal.localcontext() as context:
            context.prec = 60
            length, mult, warmup = (
                decimal.Decimal(x if isinstance(x, int) else repr(float(x)))
                for x in (self.cycle.steps, self.mult, self.warmup)
            )
            start, grow = decimal.Decimal(0), decimal.Decimal(1)
            last = self.limit if self.limit is not None else math.inf
            table, stretch = [], []
            while True:
                table.append(float(start))  # inf beyond float64
                stretch.append(float(grow))
                if len(table) > last or start > _EXACT_LIMIT:
                    return table, stretch
                if len(table) > _MAX_CYCLES:
                    self._too_many()
                start += warmup + length * grow
                grow *= mult

    def _too_many(self) -> NoReturn:
        if self.mult == 1:
            raise ValueError(
                f"Restarts: limit must be at most {_MAX_CYCLES}, got {v.show(self.limit)}"
            )
        raise ValueError(
            f"Restarts: mult must be 1 or far enough from 1 that fewer than {_MAX_CYCLES} "
            f"cycles reach step 2**53 (or give a smaller limit), "
            f"got mult={v.show(self.mult)}, limit={v.show(self.limit)}"
        )

    def _exact_parts(self) -> tuple[Fraction, Fraction, Fraction]:
        """T_0, mult and warmup as exact fractions."""
        assert self.cycle.steps is not None
        return _exact(self.cycle.steps), _exact(self.mult), _exact(self.warmup)

    # -- evaluation ----------------------------------------------------------------------
    def _index(self, t: float) -> float:
        return float(self._count(t, SCALAR))

    def _period(self) -> float:
        """The length of every cycle when they do not grow (mult = 1)."""
        return self._span

    def _count(self, t: Any, xp: Any) -> Any:
        """The index of the cycle that contains `t`, not clipped to `limit`."""
        if self._table:
            k = xp.searchsorted(self._table, t) - 1
            return k if xp is SCALAR else k * 1.0
        period = self._period()
        k = xp.floor(t / period)
        # exact even where t / period rounds across an integer
        k = xp.where((k + 1) * period <= t, k + 1, k)
        return xp.where(k * period > t, k - 1, k)

    def _power(self, which: int, k: Any, xp: Any) -> Any:
        """peak_decay**k (which = 0) or floor_decay**k (1), from the table where there is one."""
        if self._powers:
            table = self._powers[which]
            if xp is not SCALAR:  # k <= limit - 1 and within the table
                return xp.take(table, k)
            if int(k) < len(table):  # the table may stop short of limit (at step 2**53)
                return table[int(k)]
        return (self.peak_decay, self.floor_decay)[which] ** k

    def _map(self, value: Any, k: Any, xp: Any) -> Any:
        """Apply cycle k's decay to a value of the undecayed cycle."""
        if self.peak_decay == 1 and self.floor_decay == 1:
            return value
        first, last = self._ends
        peak = self._power(0, k, xp)
        floor = last * self._power(1, k, xp)
        if self.decay_mode == "amplitude" or first == last:
            mapped = floor + (value - last) * peak
        else:
            ratio = (first * peak - floor) / (first - last)
            mapped = floor + (value - last) * ratio
        # in [0, the bound of _peak] by construction; the clamps only undo rounding (a value
        # near 1.8e308 rounded up to inf) and a cycle that dips below its own end
        return xp.minimum(xp.maximum(mapped, 0.0), self._high)

    def _call(self, step: Any) -> Any:
        kind = type(step)  # Schedule._call's hot path, inlined (see there)
        if (kind is float and 0.0 <= step < _INF) or (kind is int and 0 <= step <= _EXACT_INT):
            # _value(t, SCALAR) written out, operation for operation (so the same numbers),
            # with the cycle's own scalar path and the derived values read from __post_init__
            t = step  # an int step <= 2**53 computes as its float does
            if self._single:  # the lines below with k = 0: table[0] = 0.0 and stretch 1.0
                if t >= self._table[-1]:
                    return float(self._final)
                return float(self.cycle._scalar(t - 0.0))  # t - table[0], as below
            if self._plain:  # equal periods, no decay, warmup or limit: the steps below, fewer
                period = self._span
                q = t / period
                n = float(_floor(q)) if q < _INF else q
                if (n + 1) * period <= t:
                    n = n + 1
                if n * period > t:
                    n = n - 1
                # min() and max() written out (b if b < a else a is Python's min(a, b))
                if n < _EXACT_LIMIT / 2:
                    m = n * period
                    u = t - (_MAX if m > _MAX else m)
                else:
                    u = _fmod(t, period)
                return float(self.cycle._scalar(0.0 if u < 0.0 else u))
            warmup = self._warm
            table = self._table
            k: Any
            if table:
                final = self._last
                if final is not None and t >= table[-1]:
                    return float(self._final)
                k = bisect.bisect_right(table, t) - 1
                if final is not None and final < k:
                    k = final
                u = t - table[k]
                stretch = self._stretch[k]
            else:
                period = self._span
                k = SCALAR.floor(t / period)
                if (k + 1) * period <= t:
                    k = k + 1
                if k * period > t:
                    k = k - 1
                u = t - min(k * period, v.MAX) if k < _EXACT_LIMIT / 2 else math.fmod(t, period)
                stretch = 1.0
            if u < 0.0:
                u = 0.0
            w = u - warmup
            if w < 0.0:
                w = 0.0
            if not warmup and not self._decays:  # PyTorch's CosineAnnealingWarmRestarts
                return float(self.cycle._scalar(w / stretch))
            value = self.cycle._scalar(w / stretch)
            if self._decays:
                value = self._map(value, k, SCALAR)
            if warmup > 0 and u < warmup:
                first, last = self._ends
                low, high = self._map(last, k, SCALAR), self._map(first, k, SCALAR)
                value = low + (high - low) * (min(u, warmup) / warmup)
            return float(value)
        return Schedule._call(self, step)

    _scalar = _call

    def _value(self, t: Any, xp: Any) -> Any:
        warmup = float(self.warmup)
        stretch: Any = 1.0
        k = self._count(t, xp)
        if self._plain and xp is NUMPY and (not k.size or float(k.max()) < _EXACT_LIMIT / 2):
            # equal periods, no decay, warmup or limit, every k below 2**52: the lines below
            # without their no-op steps (and the fmod they compute for every step)
            return self.cycle._value(
                xp.maximum(t - xp.minimum(k * self._period(), largest(t)), 0.0), xp
            )
        if self._table:
            if self.limit is not None:
                k = xp.minimum(k, self.limit - 1)
            begin = xp.take(self._table, k) if xp is not SCALAR else self._table[int(k)]
            stretch = xp.take(self._stretch, k) if xp is not SCALAR else self._stretch[int(k)]
            u = t - begin
        else:
            period = self._period()
            begin = k * period
            # u = t − k·period is exact only while k is (below 2**52); beyond, and where k·period
            # overflows, the position in the cycle is fmod(t, period), which is always exact
            inside = t - xp.minimum(begin, largest(t))
            u = xp.where(k < _EXACT_LIMIT / 2, inside, remainder(t, period, xp))
        u = xp.maximum(u, 0.0)  # >= 0 by the choice of k; a guard against its rounding
        inside = self.cycle._value(xp.maximum(u - warmup, 0.0) / stretch, xp)
        value = self._map(inside, k, xp)
        if warmup > 0:
            first, last = self._ends
            low, high = self._map(last, k, xp), self._map(first, k, xp)
            ramp = low + (high - low) * (xp.minimum(u, warmup) / warmup)
            value = xp.where(u < warmup, ramp, value)
        if self.limit is not None:
            end = self._map(self._ends[1], self.limit - 1, SCALAR)
            value = xp.where(t >= self._table[-1], end, value)
        return value


def SGDR(eta_max: float, T_0: float, T_mult: float = 1, eta_min: float = 0.0) -> Restarts:
    r"""Stochastic gradient descent with warm restarts, in the paper's own terms.

    .. math::

        \begin{aligned}
        \eta_t &= \eta_{\min} + \tfrac12(\eta_{\max} - \eta_{\min}) \\
               &\quad \cdot \left(1 + \cos\frac{\pi T_{cur}}{T_i}\right)
        \end{aligned}

    where :math:`T_{cur}` counts the steps since the last restart (fractional steps allowed) and
    :math:`T_i = T_0 T_{mult}^i` (Loshchilov & Hutter, ICLR 2017, eq. (5), arXiv:1608.03983).
    This is ``Restarts(Cosine(eta_max, eta_min, T_0), mult=T_mult)``.

    Parameters
    ----------
    eta_max : float
        The value at each restart, >= 0.
    T_0 : int or float
        The length of the first cycle, > 0.
    T_mult : float
        The growth of each cycle, >= 1. Default 1.
    eta_min : float
        The floor, >= 0. Default 0.

    Examples
    --------
    >>> from annealing import SGDR
    >>> s = SGDR(eta_max=0.1, T_0=1, T_mult=3)
    >>> s(121)  # a restart: 1 + 3 + 9 + 27 + 81 = 121
    0.1
    """
    # checked here, so that a refusal names the parameter as the caller wrote it
    start = v.nonnegative("SGDR", "eta_max", eta_max)
    steps = v.length("SGDR", "T_0", T_0)
    mult = v.number("SGDR", "T_mult", T_mult, low=1.0, allowed="a number >= 1")
    end = v.nonnegative("SGDR", "eta_min", eta_min)
    try:
        return Restarts(Cosine(start=start, end=end, steps=steps), mult=mult)
    except ValueError as error:  # T_mult too close to 1: Restarts names it mult
        text = str(error).replace("Restarts: mult", "SGDR: T_mult").replace("mult=", "T_mult=")
        raise ValueError(text) from None
