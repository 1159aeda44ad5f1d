"""The schedule doctor: compare a recorded learning-rate series with the schedule it should be.

Most learning-rate bugs are about *which step* the schedule sees, not the formula
(issue 12): a scheduler stepped once per process or per micro-batch runs N times too fast,
a scheduler rebuilt at a resume replays its warmup, a GradScaler skip leaves it a step
ahead, a horizon set for another run never decays or ends early. :func:`diagnose` explains
a recorded series as the claimed schedule read on a *clock*: the schedule's step ``u`` at
each optimizer step ``s`` is ``u = k·(s - s₀) + c`` on each stretch of the run, and the
stretches, their rates ``k`` and the jumps between them are the findings.

Pure numpy: no framework is imported. Readers turn a CSV column, a Lightning
``CSVLogger`` ``metrics.csv`` or a Transformers ``trainer_state.json`` into a
:class:`Series`, without eval or pickle, within size limits, and name the file and line of
anything malformed.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import math
import numbers
import os
import re
import stat
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ._validate import show
from .schedule import Schedule

if TYPE_CHECKING:
    import numpy as np
else:

    class _Numpy:
        """numpy, imported at its first use here: ``import annealing`` (which gives
        ``annealing.diagnose``) stays free of it for scalar-only use."""

        def __getattr__(self, name: str) -> Any:
            import numpy

            return getattr(numpy, name)

    np = _Numpy()

__all__ = [
    "Diagnosis",
    "Finding",
    "Series",
    "diagnose",
    "read_csv",
    "read_lightning",
    "read_trainer_state",
]

MAX_VALUES = 10_000_000  # values in one series
MAX_BYTES = 256 * 2**20  # size of a file a reader opens
MAX_RATE = 256  # the fastest (and 1/MAX_RATE the slowest) clock looked for
TOLERANCE = 1e-6  # of the peak: float32 logs are within 6e-8 of the value
_EXACT = 2**53
_DENOMINATORS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 32, 64, 100, 128, 256, 1000, 10_000)
_MAX_SEGMENTS = 64
_GRID_CAP = 2**21  # integer schedule steps evaluated to find the position of a jump
_SEARCHES = 12  # rate searches in one diagnosis (each evaluates the schedule ~150 000 times)

KINDS = (
    "match",  # every value equals the schedule
    "speed",  # the schedule runs k times as fast as the optimizer
    "flat",  # the LR never changed: the scheduler was never stepped
    "off-by-one",  # the schedule is one step ahead from the start
    "ahead",  # the schedule is further ahead than the optimizer (skipped optimizer steps)
    "behind",  # the schedule fell behind (the scheduler missed steps)
    "restart",  # the schedule restarted from its step 0 (at a resume)
    "warmup-repeated",  # a restart of a schedule that begins with a rise
    "jump",  # the schedule jumped to another position (an LR spike or drop)
    "horizon-long",  # the run ended before the schedule: the LR never decayed to its end
    "horizon-short",  # the schedule ended before the run: its end value held for the rest
    "mismatch",  # values the schedule does not give at any speed or position
)


@dataclass(frozen=True, eq=False)
class Series:
    """A recorded learning rate: ``values[i]`` was in force at optimizer step ``steps[i]``.

    Both are read-only numpy arrays (int64 and float64), steps strictly increasing from 0 or
    more (a log every N steps leaves gaps; that is fine). `source` says where it came from.
    """

    steps: np.ndarray
    values: np.ndarray
    source: str = "array"

    def __post_init__(self) -> None:
        # a Series built by hand is checked as the readers check theirs (diagnose trusts it)
        if not isinstance(self.source, str):
            raise TypeError(f"Series: source must be a str, got {show(self.source)}")
        if isinstance(self.values, (str, bytes, dict)) or self.values is None:
            raise TypeError(
                f"Series: values must be a 1-D sequence of numbers, got {show(self.values)}"
            )
        steps = _array("steps", self.steps, int, "Series")
        values = _array("values", self.values, float, "Series")
        if steps.shape != values.shape:
            raise ValueError(
                f"Series: steps must have one step per value ({values.shape[0]}), "
                f"got {steps.shape[0]}"
            )
        _increasing(steps, "Series")
        steps, values = np.array(steps, dtype=np.int64), np.array(values, dtype=np.float64)
        steps.setflags(write=False)
        values.setflags(write=False)
        object.__setattr__(self, "steps", steps)
        object.__setattr__(self, "values", values)

    def __len__(self) -> int:
        return int(self.values.shape[0])


@dataclass(frozen=True)
class Finding:
    """One thing :func:`diagnose` found: a `kind` from :data:`KINDS`, the optimizer step where it
    starts (``None`` for the whole run), a sentence, and the number it is about (the speed
    factor, the steps ahead, the steps held...) when there is one."""

    kind: str
    step: int | None
    message: str
    value: float | None = None

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Segment:
    """A stretch of the run on one clock: at optimizer step ``s`` in ``[first, last]`` the
    schedule was read at ``rate·(s - first) + start``."""

    first: int
    last: int
    rate: Fraction
    start: float


@dataclass(frozen=True)
class Diagnosis:
    """What :func:`diagnose` found. ``str(diagnosis)`` is a readable report.

    Attributes
    ----------
    matches : bool
        Every recorded value equals ``schedule(step)`` to within ``tolerance · peak``.
    factor : fractions.Fraction
        The speed of the schedule's clock against the optimizer's on the longest stretch
        (1 when it matches; 8 when the scheduler was stepped 8 times per optimizer step; 0 when
        it never moved), exact.
    findings : tuple of Finding
        In step order; ``kind`` is one of :data:`KINDS`.
    segments : tuple of Segment
        The clock on each stretch of the run.
    """

    schedule: Schedule
    source: str
    count: int
    first_step: int
    last_step: int
    tolerance: float
    peak: float
    matches: bool
    factor: Fraction
    findings: tuple[Finding, ...]
    segments: tuple[Segment, ...]

    def kinds(self) -> tuple[str, ...]:
        """The kinds of the findings, in order."""
        return tuple(f.kind for f in self.findings)

    def __str__(self) -> str:
        head = (
            f"annealing.diagnose: {self.count} learning rates ({self.source}, optimizer steps "
            f"{self.first_step} to {self.last_step}) against {_short(self.schedule)}; values "
            f"agree when within {self.tolerance:g} of the peak {self.peak:.6g}"
        )
        verdict = "matches" if self.matches else "does not match"
        lines = [head, f"verdict: {verdict}; speed factor {_factor(self.factor)}"]
        lines += [f"- {f.message}" for f in self.findings]
        return "\n".join(lines)


def _short(schedule: Schedule) -> str:
    text = repr(schedule)
    return text if len(text) <= 160 else text[:140] + "..." + text[-16:]


def _factor(k: Fraction) -> str:
    if k.denominator == 1:
        return f"{k.numerator}"
    text = f"{float(k):.6g}"
    return text if Fraction(text) == k else f"{text} ({k.numerator}/{k.denominator})"


def _times(k: Fraction) -> str:
    return f"{float(k):.1f}" if k.denominator == 1 else _factor(k)


# ------------------------------------------------------------------------------------------
# input


def _series(lr: Any, steps: Any) -> Series:
    if isinstance(lr, Series):
        if steps is not None:
            raise TypeError("diagnose: steps must be None when lr is a Series (it has its own)")
        return lr
    if isinstance(lr, (str, bytes, dict)) or lr is None:
        raise TypeError(
            "diagnose: lr must be a 1-D sequence of learning rates or a Series (from "
            f"read_csv, read_lightning, read_trainer_state), got {show(lr)}"
        )
    values = _array("lr", lr, float)
    if steps is None:
        numbers_ = np.arange(values.shape[0], dtype=np.int64)
    else:
        numbers_ = _array("steps", steps, int)
        if numbers_.shape != values.shape:
            raise ValueError(
                f"diagnose: steps must have one step per learning rate ({values.shape[0]}), "
                f"got {numbers_.shape[0]}"
            )
    return _make(numbers_, values, "array", "diagnose")


def _array(name: str, data: Any, kind: type, owner: str = "diagnose") -> np.ndarray:
    try:
        raw = np.asarray(data)
    except (ValueError, TypeError) as error:
        raise TypeError(f"{owner}: {name} must be a 1-D sequence of numbers ({error})") from None
    if raw.dtype == bool or raw.dtype.kind not in "iuf":
        raise TypeError(
            f"{owner}: {name} must be a 1-D sequence of real numbers, got an array of "
            f"{raw.dtype} ({show(data)})"
        )
    if raw.ndim != 1:
        raise ValueError(
            f"{owner}: {name} must be 1-D (one value per optimizer step; pass one parameter "
            f"group's column), got shape {raw.shape}"
        )
    if not 1 <= raw.shape[0] <= MAX_VALUES:
        raise ValueError(
            f"{owner}: {name} must hold from 1 to {MAX_VALUES} values, got {raw.shape[0]}"
        )
    if kind is int:
        whole = np.isfinite(raw) & (raw == np.round(raw)) if raw.dtype.kind == "f" else None
        if whole is not None and not np.all(whole):
            raise ValueError(f"{owner}: {name} must be integers >= 0, got {raw[~whole][0]!r}")
        if np.any(raw < 0) or np.any(raw > _EXACT):
            bad = raw[(raw < 0) | (raw > _EXACT)][0]
            raise ValueError(f"{owner}: {name} must be integers from 0 to 2**53, got {bad!r}")
        return raw.astype(np.int64)
    out = raw.astype(np.float64)
    bad = ~np.isfinite(out) | (out < 0)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{owner}: {name} must hold finite learning rates >= 0, got {raw[i]!r} at index {i}"
        )
    return out


def _increasing(steps: np.ndarray, owner: str) -> None:
    back = np.flatnonzero(np.diff(steps) <= 0)
    if back.size:
        i = int(back[0]) + 1
        raise ValueError(
            f"{owner}: steps must increase strictly, got {int(steps[i])} after "
            f"{int(steps[i - 1])} (index {i})"
        )


def _make(steps: np.ndarray, values: np.ndarray, source: str, owner: str) -> Series:
    _increasing(steps, owner)  # under the owner's name, before Series checks it again
    return Series(steps, values, source)  # read-only copies


def _tolerance(value: Any) -> float:
    message = (
        "diagnose: tolerance must be a real number > 0 and < 1 (a fraction of the peak), "
        f"got {show(value)}"
    )
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(message)
    if not 0 < float(value) < 1:  # NaN fails too
        raise ValueError(message)
    return float(value)


# ------------------------------------------------------------------------------------------
# the clock


class _Model:
    """The claimed schedule, evaluated on clocks; values past a negative clock never match."""

    def __init__(self, schedule: Schedule, y: np.ndarray, tol: float) -> None:
        self.schedule = schedule
        self.y = y
        self.tol = tol
        self._grid: np.ndarray | None = None
        self.budget = _SEARCHES  # rate searches left: a hopeless record must not take minutes

    def values(self, u: np.ndarray) -> np.ndarray:
        ok = np.isfinite(u) & (u >= 0)
        out = np.full(u.shape, np.inf)
        if np.any(ok):
            out[ok] = np.asarray(self.schedule(u[ok]), dtype=np.float64)
        return out

    def run(self, ds: np.ndarray, y: np.ndarray, k: Fraction, c: float) -> int:
        """How many leading points of (ds, y) the clock ``k·ds + c`` explains."""
        n = int(ds.shape[0])
        done = 0
        chunk = 4096
        kf = float(k)
        while done < n:  # in growing chunks: a clock that fails early costs little
            part = slice(done, min(n, done + chunk))
            u = kf * ds[part] + c
            bad = np.flatnonzero(~(np.abs(self.values(u) - y[part]) <= self.tol))
            if bad.size:
                return done + int(bad[0])
            done = part.stop
            chunk *= 4
        return n

    def rates(self, ds: np.ndarray, y: np.ndarray, c: float) -> list[Fraction]:
        """Candidate clock rates for the points (ds, y) read from the schedule's step `c`."""
        if ds.shape[0] < 2 or ds[-1] == 0:
            return [Fraction(1)]
        if self.budget <= 0:
            return []
        self.budget -= 1
        n = ds.shape[0]
        pick = np.unique(np.concatenate([np.arange(min(n, 16)), np.linspace(0, n - 1, 80)]))
        d, v = ds[pick.astype(np.int64)], y[pick.astype(np.int64)]
        grid = np.geomspace(1.0 / MAX_RATE, MAX_RATE, 601)
        err = self._errors(grid, d, v, c)
        order = np.argsort(err, kind="stable")
        found: list[Fraction] = []
        seen: list[int] = []
        for i in order[:40]:  # the best few separate minima, each refined
            if any(abs(int(i) - j) <= 2 for j in seen):
                continue
            seen.append(int(i))
            if len(seen) > 3:
                break
            lo, hi = grid[max(0, i - 1)], grid[min(len(grid) - 1, i + 1)]
            best = float(grid[i])
            for _ in range(3):
                fine = np.linspace(lo, hi, 41)
                e = self._errors(fine, d, v, c)
                j = int(np.argmin(e))
                best = float(fine[j])
                step = (hi - lo) / 40
                lo, hi = best - step, best + step
            for q in _DENOMINATORS:
                f = Fraction(best).limit_denominator(q)
                if f > 0 and f not in found:
                    found.append(f)
        return found

    def _errors(self, grid: np.ndarray, d: np.ndarray, v: np.ndarray, c: float) -> np.ndarray:
        u = grid[:, None] * d[None, :] + c
        out: np.ndarray = np.max(
            np.abs(self.values(u.ravel()).reshape(u.shape) - v[None, :]), axis=1
        )
        return out

    def positions(self, value: float, near: float, limit: int) -> list[float]:
        """Integer schedule steps whose value is `value`, nearest to `near` first."""
        grid = self._table(near)
        hits = np.flatnonzero(np.abs(grid - value) <= self.tol)
        if hits.size == 0:
            return []
        order = np.argsort(np.abs(hits - near), kind="stable")
        return [float(h) for h in hits[order[:limit]]]

    def _table(self, near: float) -> np.ndarray:
        if self._grid is None:
            horizon = self.schedule.steps
            span = max(float(near) * 2 + 16, float(horizon) + 16 if horizon else 0.0, 64.0)
            size = int(min(_GRID_CAP, span))
            self._grid = self.values(np.arange(size, dtype=np.float64))
        return self._grid


@dataclass
class _Fit:
    length: int
    rate: Fraction
    start: float  # the schedule's step at the stretch's first row (first stretch: at step 0)
    how: str  # "fit", "shift", "restart", "jump"
    first: int = 0  # row index


def _segments(model: _Model, s: np.ndarray, y: np.ndarray) -> tuple[list[_Fit], list[int]]:
    """Split the run into stretches, each read on one clock; also the rows none explains."""
    n = s.shape[0]
    fits: list[_Fit] = []
    bad: list[int] = []
    t = 0
    while t < n and len(fits) < _MAX_SEGMENTS and len(bad) <= 16:
        previous = fits[-1] if fits else None
        fit = _best(model, s, y, t, previous)
        if fit is None or fit.length == 0:
            bad.append(t)
            t += 1
            continue
        fit.first = t
        fits.append(fit)
        t += fit.length
    if t < n:  # too many stretches or unexplained rows: the rest is unexplained
        bad.extend(range(t, min(n, t + 1)))
    return fits, bad


def _clock(fit: _Fit, s: np.ndarray, row: int) -> float:
    """The schedule's step at row `row` on the clock of `fit`."""
    origin = 0 if fit.first == 0 else int(s[fit.first])
    return float(fit.rate) * float(int(s[row]) - origin) + fit.start


def _best(
    model: _Model, s: np.ndarray, y: np.ndarray, t: int, previous: _Fit | None
) -> _Fit | None:
    # the first stretch is read on u = k·s + b (absolute: a log that starts at step 1 is
    # not shifted); later ones on u = k·(s - s_t) + c
    ds = (s[t:] - (0 if previous is None else s[t])).astype(np.float64)
    rest = y[t:]
    n = int(ds.shape[0])
    tried: list[_Fit] = []

    def take(k: Fraction, c: float, how: str) -> bool:
        if c < 0 or not math.isfinite(c):
            return False
        tried.append(_Fit(model.run(ds, rest, k, c), k, c, how))
        return tried[-1].length == n

    def search(c: float, how: str, offsets: range = range(1)) -> bool:
        # the rate from the whole rest, else from shorter windows (a later event cuts it);
        # each rate is tried from a few starting steps (the estimate is close enough to snap)
        for window in sorted({n, max(2, n // 4), min(n, 16)}, reverse=True):
            for k in model.rates(ds[:window], rest[:window], c):
                for b in offsets:
                    if take(k, c + b, how):
                        return True
            if max(f.length for f in tried) >= window:
                return False
        return False

    def best() -> _Fit:
        return max(tried, key=lambda f: f.length)  # the longest; among equals the simplest

    enough = min(8, n)  # rows that a simple reading must explain to be taken without a search
    if previous is None:
        # simple readings first: as claimed, a few steps ahead, never stepped
        for b in range(9):
            if take(Fraction(1), float(b), "fit"):
                return tried[-1]
        for c in [0.0, *model.positions(float(rest[0]), 0.0, 4)]:
            if take(Fraction(0), c, "fit"):
                return tried[-1]
        if search(0.0, "fit", range(9)):  # the clock's rate, and where it starts
            return tried[-1]
        for b in range(1, 4):  # a rate estimated from a start a few steps ahead
            if search(float(b), "fit"):
                return tried[-1]
        for c in model.positions(float(rest[0]), 0.0, 4):
            take(Fraction(1), c - float(ds[0]), "fit")
        return best()
    k = previous.rate
    here = _clock(previous, s, t - 1) + float(k) * float(s[t] - s[t - 1])
    for j in range(1, 9):
        if take(k, here + j * float(k), "shift"):
            return tried[-1]
        take(k, here - j * float(k), "shift")
    if take(k, 0.0, "restart"):
        return tried[-1]
    take(Fraction(0), here, "shift")
    for c in model.positions(float(rest[0]), here, 8):
        if take(k, c, "jump"):
            return tried[-1]
        take(Fraction(0), c, "jump")
    if best().length >= enough:
        return best()
    for c, how in ((0.0, "restart"), (here, "shift")):
        if search(c, how):
            return tried[-1]
    return best()


# ------------------------------------------------------------------------------------------
# the doctor


def diagnose(
    lr: Any, schedule: Schedule, *, steps: Any = None, tolerance: float = TOLERANCE
) -> Diagnosis:
    r"""Compare a recorded learning-rate series with the schedule it should follow.

    Explains the record as `schedule` read on a clock: on each stretch of the run the
    schedule's step is ``u = k·s + b`` at optimizer step ``s``. One stretch with ``k = 1``,
    ``b = 0`` is a match; ``k = 8`` is a schedule run 8× too fast (a scheduler stepped 8 times
    per optimizer step); ``k = 0`` is a scheduler never stepped; ``b = 1`` is one step ahead
    (off by one). A new stretch that starts again at the schedule's step 0 is a restart at a
    resume (its warmup repeated), one a few steps further ahead is a skipped optimizer step
    (AMP's GradScaler), any other is a jump. The schedule's ``steps`` against the clock at the
    last recorded step tells a horizon longer or shorter than the run.

    Parameters
    ----------
    lr : Series or 1-D sequence of float
        The learning rate in force at each optimizer step: a :class:`Series` from
        :func:`read_csv`, :func:`read_lightning` or :func:`read_trainer_state`, or numbers
        (from 1 to :data:`MAX_VALUES`, finite, >= 0; float32 is fine).
    schedule : Schedule
        The schedule the run was meant to follow.
    steps : 1-D sequence of int, optional
        The optimizer step of each value in `lr` (strictly increasing integers >= 0). Default:
        0, 1, 2, ... For a Series, its own steps are used.
    tolerance : float
        Two values agree when they differ by at most ``tolerance`` times the peak (the largest
        of the record and of the schedule over the run). Default 1e-6: float32 logs are
        within 6e-8 of the value.

    Returns
    -------
    Diagnosis
        ``matches``, the speed ``factor`` (a Fraction, exact), ``findings`` and ``segments``;
        ``str()`` is a report.

    Examples
    --------
    >>> import numpy as np
    >>> import annealing as an
    >>> schedule = an.Cosine(start=0.1, end=0.0, steps=800)
    >>> recorded = schedule(8.0 * np.arange(200))    # stepped 8 times per optimizer step
    >>> result = an.diagnose(recorded, schedule)
    >>> result.matches, result.factor
    (False, Fraction(8, 1))
    >>> print(result.findings[0])  # doctest: +ELLIPSIS
    Runs 8.0× too fast: the schedule advanced 8 of its steps per optimizer step. ... Accelerate ...
    """
    series = _series(lr, steps)
    if not isinstance(schedule, Schedule):
        raise TypeError(f"diagnose: schedule must be an annealing Schedule, got {show(schedule)}")
    tol = _tolerance(tolerance)
    s, y = series.steps, series.values
    own = np.asarray(schedule(s.astype(np.float64)), dtype=np.float64)
    peak = float(max(np.max(y), np.max(own), float(schedule(0))))
    model = _Model(schedule, y, tol * peak)
    fits, bad = _segments(model, s, y)
    findings = _findings(model, s, y, fits, bad)
    longest = max(fits, key=lambda f: f.length) if fits else None
    matches = len(fits) == 1 and not bad and fits[0].rate == 1 and fits[0].start == 0
    if matches:
        findings.insert(
            0, Finding("match", None, f"Matches the schedule at all {len(y)} recorded steps.", 1.0)
        )
    segments = tuple(
        Segment(int(s[f.first]), int(s[f.first + f.length - 1]), f.rate, f.start) for f in fits
    )
    return Diagnosis(
        schedule=schedule,
        source=series.source,
        count=len(y),
        first_step=int(s[0]),
        last_step=int(s[-1]),
        tolerance=tol,
        peak=peak,
        matches=matches,
        factor=longest.rate if longest is not None else Fraction(0),
        findings=tuple(findings),
        segments=segments,
    )


def _rises(model: _Model) -> bool:
    """Whether the schedule begins with a rise (a warmup)."""
    head = model.values(np.arange(64, dtype=np.float64))
    return bool(head.max() > head[0] + model.tol)


def _v(x: float) -> str:
    return f"{x:.6g}"


def _plural(n: float, word: str) -> str:
    return f"{n:g} {word}" + ("" if n == 1 else "s")


RESUME = "see the resume how-to"
AMP = "see the AMP how-to"
UNITS = "see the units how-to"


def _findings(
    model: _Model, s: np.ndarray, y: np.ndarray, fits: list[_Fit], bad: list[int]
) -> list[Finding]:
    out: list[Finding] = []
    horizon = model.schedule.steps
    peak = float(np.max(y))
    for i, fit in enumerate(fits):
        if i == 0:
            out += _first(model, fit, s, y)
            continue
        row, k, prev = fit.first, fit.rate, fits[i - 1]
        step = int(s[row])
        here = _clock(prev, s, row - 1) + float(prev.rate) * float(s[row] - s[row - 1])
        before, now = float(y[row - 1]), float(y[row])
        change = f"the LR went from {_v(before)} to {_v(now)}"
        if k == 0:
            text = (
                f"From optimizer step {step} the LR stopped changing at {_v(now)}: "
                "the scheduler was no longer stepped."
            )
            out.append(Finding("flat", step, text, 0.0))
            continue
        if fit.start == 0:
            kind = "warmup-repeated" if _rises(model) else "restart"
            what = (
                "its warmup ran again"
                if kind == "warmup-repeated"
                else "it started again from its first value"
            )
            text = (
                f"At optimizer step {step} the schedule restarted from its step 0 ({change}): "
                f"{what}. The scheduler (or the optimizer's step counter) was rebuilt at a "
                f"resume without its saved state; {RESUME}."
            )
            out.append(Finding(kind, step, text, float(step)))
        else:
            j = (fit.start - here) / float(prev.rate)
            if fit.how == "shift" and round(j) != 0 and k == prev.rate:
                n = round(j)
                if n > 0:
                    text = (
                        f"From optimizer step {step} the schedule is {_plural(n, 'step')} "
                        "further ahead: the scheduler was stepped without an optimizer step, "
                        "typically a step that AMP's GradScaler skipped (inf/NaN gradients) "
                        f"with scheduler.step() called anyway; {AMP}."
                    )
                    out.append(Finding("ahead", step, text, float(n)))
                else:
                    text = (
                        f"From optimizer step {step} the schedule is {_plural(-n, 'step')} "
                        "behind: optimizer steps were taken without a scheduler step."
                    )
                    out.append(Finding("behind", step, text, float(n)))
            elif fit.start != here:
                spike = ""
                if now > before + 0.1 * peak:
                    spike = ", an LR spike"
                elif now < before - 0.1 * peak:
                    spike = ", a drop"
                text = (
                    f"At optimizer step {step} the schedule jumped from its step {here:g} to "
                    f"its step {fit.start:g} ({change}{spike}): a resume that restored the "
                    f"step from another run or in other units; {RESUME}."
                )
                out.append(Finding("jump", step, text, fit.start - here))
        if k != prev.rate:
            text = (
                f"From optimizer step {step} the schedule advanced {_factor(k)} of its steps "
                f"per optimizer step (before: {_factor(prev.rate)})."
            )
            out.append(Finding("speed", step, text, float(k)))
    if bad:
        first = int(s[bad[0]])
        text = (
            f"{_plural(len(bad), 'recorded value')} follow no reading of the schedule, the "
            f"first at optimizer step {first} ({_v(float(y[bad[0]]))}): a different schedule, "
            "or values changed by other code."
        )
        out.append(Finding("mismatch", first, text, float(len(bad))))
    if fits and horizon is not None and math.isfinite(float(horizon)):
        out += _horizon(model, s, y, fits[-1], float(horizon))
    out.sort(key=lambda f: -1 if f.step is None else f.step)
    return out


def _first(model: _Model, fit: _Fit, s: np.ndarray, y: np.ndarray) -> list[Finding]:
    k, b, step = fit.rate, fit.start, int(s[0])
    horizon = model.schedule.steps
    if k == 0:
        a, z = model.values(np.array([float(s[0]), float(s[fit.length - 1])]))
        text = (
            f"The LR stayed at {_v(float(y[0]))} for all {fit.length} recorded steps: the "
            f"scheduler was never stepped (the schedule goes from {_v(a)} to {_v(z)} over "
            "these steps)."
        )
        return [Finding("flat", None, text, 0.0)]
    if k != 1:
        if k > 1:
            text = (
                f"Runs {_times(k)}× too fast: the schedule advanced {_factor(k)} of its steps "
                "per optimizer step."
            )
            if k.denominator == 1:
                text += (
                    f" The scheduler was stepped {k} times per optimizer step: typical of "
                    f"Accelerate stepping it once per process on {k} processes (see the "
                    "multi-GPU how-to), or of stepping it after every micro-batch with "
                    f"gradient accumulation {k} (see the gradient-accumulation how-to)"
                )
                if horizon is None or not math.isfinite(float(horizon)):
                    text += f"; or its length was counted in other units ({UNITS})"
                text += "."
        else:
            text = (
                f"Runs {_times(1 / k)}× too slow: one schedule step per {_factor(1 / k)} "
                "optimizer steps."
            )
        if horizon is not None and math.isfinite(float(horizon)):
            text += (
                f" The schedule's {float(horizon):g} steps last {float(horizon) / float(k):g} "
                f"optimizer steps: a length counted in other units than optimizer steps "
                f"({UNITS})."
            )
        if b:
            text += f" The first optimizer step already saw the schedule's step {b:g}."
        return [Finding("speed", None, text, float(k))]
    if b == 1:
        text = (
            "One step ahead from the start: at optimizer step t the LR is the schedule's value "
            "at t + 1. The scheduler was stepped before optimizer.step(), or the logged value "
            "is the next one (get_lr() rather than get_last_lr()); see the troubleshooting page."
        )
        return [Finding("off-by-one", step, text, 1.0)]
    if b > 1:
        text = (
            f"{_plural(b, 'step')} ahead from the start: the scheduler was stepped {b:g} times "
            "before the first recorded optimizer step, typically steps that AMP's GradScaler "
            f"skipped while it calibrated its scale; {AMP}."
        )
        return [Finding("ahead", step, text, b)]
    return []


def _horizon(
    model: _Model, s: np.ndarray, y: np.ndarray, fit: _Fit, horizon: float
) -> list[Finding]:
    k = float(fit.rate)
    if k <= 0:
        return []
    last = s.shape[0] - 1
    u_last = _clock(fit, s, last)
    end = float(model.values(np.array([horizon]))[0])
    if u_last + k < horizon and abs(float(y[last]) - end) > model.tol:
        text = (
            f"The run ended before the schedule: at the last recorded step {int(s[last])} the "
            f"schedule was at its step {u_last:g} of {horizon:g} "
            f"({100.0 * u_last / horizon:.0f}% of the way), so the LR ended at "
            f"{_v(float(y[last]))} and never reached its end value {_v(end)}: a horizon "
            f"longer than the run ({UNITS})."
        )
        return [Finding("horizon-long", int(s[last]), text, horizon - u_last)]
    origin = 0 if fit.first == 0 else int(s[fit.first])
    u = k * (s[fit.first :] - origin).astype(np.float64) + fit.start
    past = np.flatnonzero(u >= horizon)
    if past.size:
        at = int(s[fit.first + int(past[0])])
        held = int(s[last]) - at
        if held >= 2:
            share = 100.0 * held / max(1, int(s[last]) - int(s[0]) + 1)
            text = (
                f"The schedule ended at optimizer step {at} and its end value {_v(end)} held "
                f"for the last {held} steps ({share:.0f}% of the run): a horizon shorter than "
                f"the run ({UNITS})."
            )
            return [Finding("horizon-short", at, text, float(held))]
    return []


# ------------------------------------------------------------------------------------------
# readers: plain text parsed by hand (csv, json), never eval or pickle

# ASCII digits only: Python's int() and float() would also read "٣" (Arabic-Indic three)
_NUMBER = re.compile(r"[+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")
_INTEGER = re.compile(r"\+?[0-9]{1,16}(?:\.0*)?")
_JSON_DIGITS = 30  # longer JSON integers are no step nor learning rate: refused unread
DUPLICATES = ("error", "first", "last")


def _read(path: Any, owner: str) -> tuple[str, str]:
    if not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes):
        raise TypeError(f"{owner}: path must be a str or os.PathLike, got {show(path)}")
    name = os.fspath(path)
    if not isinstance(name, str):  # a PathLike of bytes
        name = os.fsdecode(name)
    try:
        # O_NONBLOCK: a FIFO is refused below instead of waiting for a writer
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if not stat.S_ISREG(mode):
                kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
                raise ValueError(f"{owner}: cannot read {name}: it is {kind}")
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise ValueError(f"{owner}: cannot read {name}: {error.strerror or error}") from None
    except ValueError as error:  # a NUL byte in the path, or the refusal above
        if str(error).startswith(f"{owner}: "):
            raise
        raise ValueError(f"{owner}: cannot read {show(name)}: {error}") from None
    if len(data) > MAX_BYTES:
        raise ValueError(f"{owner}: {name} is larger than {MAX_BYTES // 2**20} MiB (MAX_BYTES)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ValueError(f"{name}:{line}: {owner}: the file is not UTF-8 text") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ValueError(f"{name}:{line}: {owner}: the file holds a NUL byte (not a text file)")
    return name, text


def _choice(owner: str, name: str, value: Any, options: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in options:
        raise (ValueError if isinstance(value, str) else TypeError)(
            f"{owner}: {name} must be one of {', '.join(map(repr, options))}, got {show(value)}"
        )
    return value


def _rows(name: str, text: str, owner: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header, and the other non-empty rows as (line, row), checked as they are read (a
    log of 10**7 rows is never held as Python lists)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)

    def records() -> Iterator[tuple[int, list[str]]]:
        try:
            for row in reader:
                if row:
                    yield reader.line_num, row
        except csv.Error as error:
            raise ValueError(
                f"{name}:{reader.line_num}: {owner}: not valid CSV ({error})"
            ) from None

    stream = records()
    first = next(stream, None)
    if first is None:
        raise ValueError(f"{name}: {owner}: the file is empty (a CSV needs a header row)")
    line, header = first
    if len(set(header)) != len(header):
        twice = next(h for h in header if header.count(h) > 1)
        raise ValueError(f"{name}:{line}: {owner}: the header names {twice!r} twice")

    def body() -> Iterator[tuple[int, list[str]]]:
        for count, (line, row) in enumerate(stream):
            if count >= MAX_VALUES:
                raise ValueError(
                    f"{name}:{line}: {owner}: more than {MAX_VALUES} rows (MAX_VALUES)"
                )
            if len(row) != len(header):
                raise ValueError(
                    f"{name}:{line}: {owner}: the row has {len(row)} fields, "
                    f"the header {len(header)}"
                )
            yield line, row

    return header, body()


def _column(header: list[str], column: Any, name: str, owner: str, what: str) -> int:
    if not isinstance(column, str):
        raise TypeError(f"{owner}: {what} must be a column name (str), got {show(column)}")
    if column not in header:
        shown = ", ".join(repr(h) for h in header[:20]) + (", ..." if len(header) > 20 else "")
        raise ValueError(f"{name}:1: {owner}: no column {column!r}; the header has {shown}")
    return header.index(column)


def _parse_rate(cell: str, where: str, owner: str) -> float:
    text = cell.strip()
    if not _NUMBER.fullmatch(text):
        raise ValueError(
            f"{where}: {owner}: a learning rate must be a finite number >= 0, got {show(cell)}"
        )
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(
            f"{where}: {owner}: a learning rate must be a finite number >= 0, got {show(cell)}"
        )
    return value


def _parse_step(cell: str, where: str, owner: str) -> int:
    text = cell.strip()
    # the digits before the point, exactly (float() would round 2**53 + 1 down to 2**53)
    if not _INTEGER.fullmatch(text) or int(text.split(".")[0]) > _EXACT:
        raise ValueError(
            f"{where}: {owner}: a step must be an integer from 0 to 2**53, got {show(cell)}"
        )
    return int(text.split(".")[0])


def _collect(
    name: str,
    items: Iterable[tuple[int, int, float]],
    duplicates: str,
    owner: str,
    source: str,
    where: Callable[[int], str],
) -> Series:
    """(key, step, value) in file order -> a Series; repeated steps as `duplicates` says.

    `where(key)` names the line or entry, for a message. The steps kept increase, so a
    repeated one is found by bisection: 16 bytes a step, not a dict of Python objects."""
    steps, values, keys = array("q"), array("d"), array("q")
    for key, step, value in items:
        if steps and step <= steps[-1]:
            i = bisect.bisect_left(steps, step)
            if steps[i] != step:
                raise ValueError(
                    f"{where(key)}: {owner}: step {step} comes after step {steps[-1]}: rows "
                    "must be in step order (a log of two runs? split it)"
                )
            first = values[i]
            if value == first or duplicates == "first":
                continue
            if duplicates == "error":
                raise ValueError(
                    f"{where(key)}: {owner}: step {step} has a second learning rate, {value!r} "
                    f"({first!r} at {where(keys[i])}); pass duplicates='first' or 'last'"
                )
            values[i], keys[i] = value, key
            continue
        steps.append(step)
        values.append(value)
        keys.append(key)
    if not steps:
        raise ValueError(f"{name}: {owner}: no learning rates in the file")
    return _make(
        np.frombuffer(steps, dtype=np.int64), np.frombuffer(values, dtype=np.float64), source, owner
    )


def read_csv(
    path: Any, column: str, *, step: str | None = None, duplicates: str = "error"
) -> Series:
    """Read a learning-rate column from a CSV file (comma-separated, a header row, UTF-8).

    Rows whose `column` cell is empty are skipped (a log of several metrics leaves it empty
    on the others' rows). Steps come from the column `step` when given, else from a column
    named ``"step"`` if there is one, else from the row order (0, 1, 2, ...). A step logged
    twice with the same value is read once; with two values it is an error unless
    `duplicates` is ``"first"`` or ``"last"``. Numbers are plain decimals (``1e-05`` is
    fine; ``nan``, ``inf``, hex and ``1_000`` are refused). Files beyond :data:`MAX_BYTES`
    or :data:`MAX_VALUES` rows are refused; every error names the file and line.
    """
    return _read_csv(path, column, step, duplicates, "read_csv")


def _read_csv(
    path: Any, column: Any, step: Any, duplicates: Any, owner: str, lightning: bool = False
) -> Series:
    _choice(owner, "duplicates", duplicates, DUPLICATES)
    if step is not None and not isinstance(step, str):
        raise TypeError(f"{owner}: step must be a column name (str) or None, got {show(step)}")
    name, text = _read(path, owner)  # read and parsed once (a file may hold 10**7 rows)
    header, rows = _rows(name, text, owner)
    if lightning and column is None:
        found = [h for h in header if h.startswith("lr-") and not h.endswith("-momentum")]
        if len(found) != 1:
            raise ValueError(
                f"{name}:1: {owner}: expected one 'lr-*' column (from LearningRateMonitor), "
                f"found {found if found else 'none'}; pass column="
            )
        column = found[0]
    if lightning and "step" not in header:
        raise ValueError(f"{name}:1: {owner}: no 'step' column (is it a CSVLogger metrics.csv?)")
    col = _column(header, column, name, owner, "column")
    if step is None:
        at = header.index("step") if "step" in header and column != "step" else None
    else:
        at = _column(header, step, name, owner, "step")
        if at == col:
            raise ValueError(
                f"{owner}: step must name another column than column ({column!r}): the "
                "learning rates are not steps"
            )

    def items() -> Iterator[tuple[int, int, float]]:
        for count, (line, row) in enumerate(rows):
            if not row[col].strip():
                continue
            where = f"{name}:{line}"
            value = _parse_rate(row[col], where, owner)
            number = count if at is None else _parse_step(row[at], where, owner)
            yield line, number, value

    source = f"{os.path.basename(name)} column {column}"
    return _collect(name, items(), duplicates, owner, source, lambda line: f"{name}:{line}")


def read_lightning(path: Any, column: str | None = None, *, duplicates: str = "error") -> Series:
    """Read the learning rate of a Lightning ``CSVLogger`` ``metrics.csv``.

    ``LearningRateMonitor`` logs a column ``lr-<Optimizer>`` (``lr-SGD``, or
    ``lr-SGD/pg1`` per parameter group) against ``step``, the number of optimizer steps taken.
    With `column` None the file must have exactly one ``lr-*`` column (momentum columns
    aside). As :func:`read_csv` otherwise.
    """
    return _read_csv(path, column, "step", duplicates, "read_lightning", lightning=True)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > _JSON_DIGITS:
        raise ValueError(
            f"an integer of {len(text.lstrip('-'))} digits is no step nor learning rate "
            f"(at most {_JSON_DIGITS} digits)"
        )
    return int(text)


def read_trainer_state(path: Any, *, offset: int = -1) -> Series:
    """Read the learning rates a Transformers ``Trainer`` logged in ``trainer_state.json``.

    Every entry of ``log_history`` with a ``learning_rate`` is read (every ``logging_steps``;
    evaluation and summary entries are skipped). Its ``step`` is the Trainer's count of
    optimizer steps done, and the Trainer reads the rate *before* ``lr_scheduler.step()``
    (``transformers/trainer.py``: "get leaning rate before update"), so the entry of ``step``
    ``s`` holds the rate update ``s`` used: optimizer step ``s - 1`` counted from 0. `offset`
    (default -1) is added to every step; pass 0 for a Trainer that logs the rate after
    stepping the scheduler. Parsed with :mod:`json` (NaN and Infinity refused),
    within :data:`MAX_BYTES`; errors name the file and line (syntax) or the entry.
    """
    owner = "read_trainer_state"
    if isinstance(offset, bool) or not isinstance(offset, int) or abs(offset) > _EXACT:
        raise TypeError(f"{owner}: offset must be an integer, got {show(offset)}")
    name, text = _read(path, owner)
    try:
        data = json.loads(text, parse_constant=_refuse_constant, parse_int=_json_int)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{name}:{error.lineno}:{error.colno}: {owner}: not valid JSON ({error.msg})"
        ) from None
    except ValueError as error:
        raise ValueError(f"{name}: {owner}: {error}") from None
    except RecursionError:
        raise ValueError(f"{name}: {owner}: the JSON is nested too deeply") from None
    history = data.get("log_history") if isinstance(data, dict) else None
    if not isinstance(history, list):
        raise ValueError(
            f"{name}: {owner}: expected an object with a 'log_history' list (a trainer_state.json)"
        )
    if len(history) > MAX_VALUES:
        raise ValueError(f"{name}: {owner}: log_history has more than {MAX_VALUES} entries")
    items: list[tuple[int, int, float]] = []
    for i, entry in enumerate(history):
        where = f"{name}: log_history[{i}]"
        if not isinstance(entry, dict):
            raise ValueError(f"{where}: {owner}: each entry must be an object, got {show(entry)}")
        if "learning_rate" not in entry:
            continue
        value, step = entry["learning_rate"], entry.get("step")
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
            or value < 0
        ):
            raise ValueError(
                f"{where}.learning_rate: {owner}: must be a finite number >= 0, got {show(value)}"
            )
        if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step <= _EXACT:
            raise ValueError(
                f"{where}.step: {owner}: must be an integer from 0 to 2**53, got {show(step)}"
            )
        if step + offset < 0:
            raise ValueError(f"{where}.step: {owner}: step {step} + offset {offset} is negative")
        items.append((i, step + offset, float(value)))
    source = f"{os.path.basename(name)} log_history"
    return _collect(name, items, "error", owner, source, lambda i: f"{name}: log_history[{i}]")
