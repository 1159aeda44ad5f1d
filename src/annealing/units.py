r"""Time in the user's units: lengths in epochs, samples, tokens or a fraction of the run.

A schedule's lengths are optimizer steps. A training run is described in other units: "2
epochs", "5e9 tokens", "the first 5% of the run". This module turns those into steps, exactly,
from the facts of the run (a :class:`Horizon`), and keeps the units in the schedule
(:class:`Timed`), so a config or a checkpoint says ``'2ep'`` and not ``1562``.

Three values:

- :class:`Time`: an amount of training time, ``value`` (a :class:`~fractions.Fraction`) and a
  unit, written as a MosaicML Composer time string: ``"1000ba"`` (optimizer steps, which
  Composer calls batches), ``"2ep"`` (epochs), ``"128sp"`` (samples), ``"5e9tok"`` (tokens),
  ``"0.1dur"`` (a fraction of the whole run);
- :class:`Horizon`: the facts that turn a time into optimizer steps (the epoch's length, the
  batch size per process, gradient accumulation, the number of processes, tokens per sample,
  the run's total length) and the rounding rule;
- :class:`Timed`: a schedule whose lengths are times, resolved against a horizon. It is a
  :class:`~annealing.Schedule` like any other and evaluates exactly as the schedule written
  in steps (:meth:`Timed.resolved`).

With the global batch :math:`B` (samples per optimizer step), a time of value :math:`x` is

.. math::

    \begin{aligned}
    B &= \text{batch} \cdot \text{accumulation} \cdot \text{processes} \\
    \text{ba} &: x \\
    \text{sp} &: x / B \\
    \text{tok} &: x / (B \cdot \text{tokens\_per\_sample}) \\
    \text{ep} &: x \cdot E \\
    \text{dur} &: x \cdot T
    \end{aligned}

optimizer steps, where :math:`E` is the number of optimizer steps per epoch
(``steps_per_epoch``, or ``batches_per_epoch / accumulation``, or
``samples_per_epoch / B``) and :math:`T` the run's length in steps (``duration``, itself a
time). Everything is computed with fractions: "2ep" is the same step on 1 process with batch
64 and on 8 processes with batch 8 (both :math:`B = 64`).

>>> from annealing import units
>>> h = units.Horizon(samples_per_epoch=50_000, batch=50, processes=4, duration="90ep")
>>> h.steps("2ep"), h.steps("0.1dur"), h.steps("1e6sp")
(500, 2250, 5000)
>>> lr = units.Timed("Warmup(Cosine(0.1, 0.0, '85ep'), warmup='5ep')", h)
>>> lr.resolved()
Warmup(schedule=Cosine(start=0.1, end=0.0, steps=21250), warmup=1250)
>>> lr(1250) == lr.resolved()(1250) == 0.1
True
"""

from __future__ import annotations

import ast
import dataclasses
import decimal
import numbers
import re
import types
from collections.abc import Mapping
from dataclasses import InitVar, dataclass, field
from fractions import Fraction
from typing import Any, ClassVar, NoReturn

from . import _validate as v
from . import grammar
from .schedule import _REGISTRY, MAX_STRING, Schedule

__all__ = [
    "LENGTHS",
    "MAX_TEXT",
    "ROUNDINGS",
    "UNITS",
    "Horizon",
    "Time",
    "Timed",
    "batches",
    "dur",
    "epochs",
    "samples",
    "tokens",
]

UNITS = ("ba", "ep", "sp", "tok", "dur")
"""The units, as Composer writes them: optimizer steps (batches), epochs, samples, tokens, and
a fraction of the run."""

ROUNDINGS = ("exact", "floor", "ceil")
"""How a time that is not a whole number of steps is resolved (see :class:`Horizon`)."""

MAX_TEXT = 1_000
"""The longest time string read, in characters."""
_MAX_EXPONENT = 400  # 10**400 is beyond float range; its Fraction is still quick to build
_MAX_BITS = 1_400  # of a numerator or denominator (10**-400 needs 1329)
_MAX_FACT = 2**63 - 1
_SCI = 6  # more trailing (or leading) zeros than this are written with an exponent

# "5e9", "0.1", ".5", "5.", "+2": what Composer's float() reads, without inf, nan, "_" or space
_TIME = re.compile(
    r"(?P<number>\+?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:[eE](?P<exponent>[+-]?[0-9]+))?"
    r"(?P<unit>[a-zA-Z]+)"
)
_RATIO = re.compile(r"(?P<num>[0-9]+)/(?P<den>[0-9]+)(?P<unit>[a-zA-Z]+)")


# ------------------------------------------------------------------------------- Time


def _fail(owner: str, name: str, allowed: str, value: Any, exc: type[Exception]) -> NoReturn:
    raise exc(f"{owner}: {name} must be {allowed}, got {v.show(value)}")


def _fraction(owner: str, name: str, value: Any) -> Fraction:
    """`value` (int, float, Fraction, Decimal, numpy scalar) as an exact Fraction >= 0.

    A float is read as the decimal it prints as (``0.1`` is 1/10, as in the string
    ``"0.1dur"``), since that is what was written; integers, Fractions and Decimals exactly.
    """
    allowed = "a finite number >= 0 (int, float, Fraction or Decimal)"
    if isinstance(value, str) or v._refused_kind(value):
        _fail(owner, name, allowed, value, TypeError)
    x: Fraction
    if isinstance(value, Fraction):
        x = value
    elif isinstance(value, decimal.Decimal):
        if not value.is_finite():
            _fail(owner, name, allowed, value, ValueError)
        if value and abs(value.adjusted()) > _MAX_EXPONENT:
            _fail(owner, name, allowed + " within float range", value, ValueError)
        x = Fraction(value)
    elif isinstance(value, numbers.Integral):
        try:
            x = Fraction(int(value))  # exactly: number() would round beyond 2**53
        except (TypeError, ValueError, ArithmeticError, AttributeError, RecursionError):
            _fail(owner, name, allowed, value, TypeError)
    elif isinstance(value, numbers.Real):
        number = v.number(owner, name, value, allowed=allowed, as_float=True)
        x = Fraction(repr(float(number)))
    else:
        _fail(owner, name, allowed, value, TypeError)
    if x < 0 or x > v.MAX:
        _fail(owner, name, allowed + " within float range (<= 1.8e308)", value, ValueError)
    if x.numerator.bit_length() > _MAX_BITS or x.denominator.bit_length() > _MAX_BITS:
        _fail(owner, name, allowed + " (a shorter fraction)", value, ValueError)
    return x


def _unit(owner: str, name: str, unit: Any) -> str:
    if not isinstance(unit, str):
        _fail(owner, name, f"one of {', '.join(map(repr, UNITS))}", unit, TypeError)
    if unit not in UNITS:
        _fail(owner, name, f"one of {', '.join(map(repr, UNITS))}", unit, ValueError)
    return unit


def _number_text(x: Fraction) -> str:
    """The shortest exact text of `x`: ``2``, ``0.1``, ``5e9``, ``15e-10``, or ``1/3``."""
    den = x.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:  # no finite decimal
        return f"{x.numerator}/{x.denominator}"
    places = max(twos, fives)
    mantissa = int(x * 10**places)  # exact: x * 10**places is an integer
    if mantissa == 0:
        return "0"
    exponent = -places
    while mantissa % 10 == 0:
        mantissa //= 10
        exponent += 1
    digits = str(mantissa)
    if exponent > _SCI or -exponent - len(digits) > _SCI:
        return f"{digits}e{exponent}"
    if exponent >= 0:
        return digits + "0" * exponent
    point = len(digits) + exponent
    if point > 0:
        return f"{digits[:point]}.{digits[point:]}"
    return "0." + "0" * -point + digits


@dataclass(frozen=True, repr=False, init=False)
class Time:
    """An amount of training time: a value >= 0, exactly (a Fraction), in one of :data:`UNITS`.

    Written and read as MosaicML Composer time strings (:meth:`parse`, ``str``): ``"1000ba"``
    (optimizer steps), ``"2ep"``, ``"128sp"``, ``"5e9tok"``, ``"0.1dur"`` (a fraction of the
    run). ``str`` gives the shortest exact text, and :meth:`parse` of it gives the same value:
    the value is read from the decimal digits, so ``"0.1dur"`` is exactly 1/10.

    Parameters
    ----------
    value : int, float, Fraction or Decimal
        Finite, >= 0, at most 1.8e308. A float is taken as the decimal it prints as
        (``0.1`` is 1/10), so ``Time(0.1, "dur") == Time.parse("0.1dur")``.
    unit : {"ba", "ep", "sp", "tok", "dur"}

    Notes
    -----
    Composer reads the number with ``float`` and requires an integer for every unit but
    ``dur``; here every unit takes a fraction ("0.5ep"), and a value with no finite decimal
    (one third) is written ``"1/3dur"``. Times of one unit add, subtract (the result must be
    >= 0), compare and divide (giving a Fraction); a time multiplies or divides by a number.
    Composer's ``"sec"``, ``"iter"`` and wall-clock strings (``"1h20m"``) have no optimizer
    step and are refused.

    Examples
    --------
    >>> from annealing.units import Time
    >>> t = Time.parse("0.1dur")
    >>> t.value, t.unit, str(t)
    (Fraction(1, 10), 'dur', '0.1dur')
    >>> str(Time(2, "ep") * 3), str(Time.parse("5e9tok")), Time(1, "ep") / Time(4, "ep")
    ('6ep', '5e9tok', Fraction(1, 4))
    """

    value: Fraction
    unit: str

    def __init__(self, value: Any, unit: str) -> None:
        object.__setattr__(self, "value", _fraction("Time", "value", value))
        object.__setattr__(self, "unit", _unit("Time", "unit", unit))

    @classmethod
    def parse(cls, text: str | Time) -> Time:
        """Read a Composer time string such as ``"2ep"``, ``"0.1dur"`` or ``"5e9tok"``.

        The number is digits with an optional point and exponent (``"5e9"``, ``".5"``), or a
        ratio of integers (``"1/3"``), then the unit, in any case (``"2EP"``, as Composer).
        At most 1,000 characters; no sign but ``+``, no spaces. A :class:`Time` is returned
        as it is.

        >>> Time.parse("2EP"), Time.parse("1/3dur")
        (Time.parse('2ep'), Time.parse('1/3dur'))
        >>> Time.parse("-1ep")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: Time: text must be a number >= 0 and a unit (...), such as '2ep' ..., got '-1ep'
        """
        return _parse("Time", "text", text)

    def __str__(self) -> str:
        return f"{_number_text(self.value)}{self.unit}"

    def __repr__(self) -> str:
        return f"Time.parse({str(self)!r})"

    def _same_unit(self, other: Any, op: str) -> Time:
        if not isinstance(other, Time):
            raise TypeError(f"Time: {op} needs another Time, got {v.show(other)}")
        if other.unit != self.unit:
            raise ValueError(
                f"Time: {op} needs times of one unit (resolve both with a Horizon first), "
                f"got {self} and {other}"
            )
        return other

    def __add__(self, other: Any) -> Time:
        if not isinstance(other, Time):
            return NotImplemented
        return Time(self.value + self._same_unit(other, "+").value, self.unit)

    def __sub__(self, other: Any) -> Time:
        if not isinstance(other, Time):
            return NotImplemented
        difference = self.value - self._same_unit(other, "-").value
        if difference < 0:
            raise ValueError(f"Time: a time is >= 0, got {self} - {other}")
        return Time(difference, self.unit)

    def __mul__(self, factor: Any) -> Time:
        if isinstance(factor, Time):
            return NotImplemented
        return Time(self.value * _fraction("Time", "factor", factor), self.unit)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Any:
        if isinstance(other, Time):
            divisor = self._same_unit(other, "/").value
            if divisor == 0:
                raise ValueError(f"Time: division by a zero time, got {self} / {other}")
            return self.value / divisor
        divisor = _fraction("Time", "divisor", other)
        if divisor == 0:
            raise ValueError(f"Time: divisor must be a number > 0, got {v.show(other)}")
        return Time(self.value / divisor, self.unit)

    def __lt__(self, other: Any) -> bool:
        if not isinstance(other, Time):
            return NotImplemented
        return self.value < self._same_unit(other, "<").value

    def __le__(self, other: Any) -> bool:
        if not isinstance(other, Time):
            return NotImplemented
        return self.value <= self._same_unit(other, "<=").value

    def __gt__(self, other: Any) -> bool:
        if not isinstance(other, Time):
            return NotImplemented
        return self.value > self._same_unit(other, ">").value

    def __ge__(self, other: Any) -> bool:
        if not isinstance(other, Time):
            return NotImplemented
        return self.value >= self._same_unit(other, ">=").value


def _parse(owner: str, name: str, text: Any) -> Time:
    if isinstance(text, Time):
        return text
    units = ", ".join(map(repr, UNITS))
    allowed = f"a number >= 0 and a unit (one of {units}), such as '2ep' or '0.1dur'"
    ranged = f"a number in [0, 1.8e308] and a unit (one of {units}), such as '2ep' or '0.1dur'"
    if not isinstance(text, str):
        _fail(owner, name, allowed, text, TypeError)
    if len(text) > MAX_TEXT:
        raise ValueError(
            f"{owner}: {name} must be a time string of at most {MAX_TEXT} characters, "
            f"got {len(text)} characters"
        )
    match = _TIME.fullmatch(text)
    ratio = _RATIO.fullmatch(text) if match is None else None
    found = match or ratio
    unit = found.group("unit").lower() if found is not None else ""
    if unit in ("sec", "iter") or (found is None and re.fullmatch(r"([0-9]+[hms])+", text)):
        raise ValueError(
            f"{owner}: {name} must be in optimizer steps, epochs, samples, tokens or a "
            f"fraction of the run ({', '.join(map(repr, UNITS))}): wall-clock time and "
            f"Composer's iterations have no fixed optimizer step, got {v.show(text)}"
        )
    if found is None or unit not in UNITS:
        _fail(owner, name, allowed, text, ValueError)
    if match is not None:
        exponent = int(match.group("exponent") or 0)
        mantissa = match.group("number").lstrip("+")
        if abs(exponent) > _MAX_EXPONENT:
            _fail(owner, name, ranged, text, ValueError)
        value = Fraction(mantissa) * Fraction(10) ** exponent
    else:
        assert ratio is not None
        if int(ratio.group("den")) == 0:
            _fail(
                owner,
                name,
                allowed.replace("number", "number (a ratio with a divisor > 0)", 1),
                text,
                ValueError,
            )
        if len(ratio.group("num")) > 400 or len(ratio.group("den")) > 400:
            _fail(owner, name, ranged, text, ValueError)
        value = Fraction(int(ratio.group("num")), int(ratio.group("den")))
    try:
        return Time(value, unit)
    except ValueError:
        _fail(owner, name, ranged, text, ValueError)


def epochs(value: Any) -> Time:
    """``Time(value, "ep")``: epochs (passes over the dataset).

    >>> str(epochs(2))
    '2ep'
    """
    return Time(value, "ep")


def batches(value: Any) -> Time:
    """``Time(value, "ba")``: optimizer steps (Composer's batches: one per global batch)."""
    return Time(value, "ba")


def samples(value: Any) -> Time:
    """``Time(value, "sp")``: training samples, over all processes."""
    return Time(value, "sp")


def tokens(value: Any) -> Time:
    """``Time(value, "tok")``: tokens, over all processes."""
    return Time(value, "tok")


def dur(value: Any) -> Time:
    """``Time(value, "dur")``: a fraction of the run (``Horizon.duration``).

    >>> str(dur(0.05))
    '0.05dur'
    """
    return Time(value, "dur")


# ------------------------------------------------------------------------------- Horizon

_EPOCH_FACTS = ("samples_per_epoch", "steps_per_epoch", "batches_per_epoch")
_FACTS = (
    "duration",
    *_EPOCH_FACTS,
    "batch",
    "accumulation",
    "processes",
    "tokens_per_sample",
    "rounding",
)


def _fact(owner: str, name: str, value: Any) -> int:
    n = v.count(owner, name, value)
    if n > _MAX_FACT:
        _fail(owner, name, "an integer in [1, 2**63)", value, ValueError)
    return n


def _check_facts(owner: str, obj: Any) -> None:
    """Coerce and check the horizon facts stored on `obj` (a Horizon or a Timed)."""
    for name in (*_EPOCH_FACTS, "batch", "tokens_per_sample"):
        value = getattr(obj, name)
        if value is not None:
            v.store(obj, **{name: _fact(owner, name, value)})
    v.store(
        obj,
        accumulation=_fact(owner, "accumulation", obj.accumulation),
        processes=_fact(owner, "processes", obj.processes),
        rounding=v.choice(owner, "rounding", obj.rounding, ROUNDINGS),
    )
    given = [n for n in _EPOCH_FACTS if getattr(obj, n) is not None]
    if len(given) > 1:
        listed = ", ".join(f"{n}={getattr(obj, n)!r}" for n in given)
        raise ValueError(
            f"{owner}: {given[1]} must be None when {given[0]} is given (give one of "
            f"samples_per_epoch, steps_per_epoch, batches_per_epoch), got {listed}"
        )


@dataclass(frozen=True, repr=False)
class Horizon:
    r"""The facts of a run that turn a :class:`Time` into optimizer steps, exactly.

    With the global batch :math:`B` = `batch` · `accumulation` · `processes` (samples per
    optimizer step), a time of value :math:`x` is :math:`x` steps ("ba"), :math:`x / B`
    ("sp"), :math:`x / (B\,n)` with :math:`n` = `tokens_per_sample` ("tok"),
    :math:`x\,E` ("ep") with :math:`E` = `steps_per_epoch`, or
    `batches_per_epoch` / `accumulation`, or `samples_per_epoch` / :math:`B`, and
    :math:`x\,T` ("dur") with :math:`T` = :meth:`steps` of `duration`. The arithmetic is
    exact (fractions); the result is then made a whole number of steps by `rounding`.

    Parameters
    ----------
    duration : str, Time or int, optional
        The run's total length, in any unit but "dur" (an int is optimizer steps); needed by
        "dur" times. Stored as a :class:`Time`.
    samples_per_epoch : int, optional
        The dataset's size: samples in one epoch, over all processes.
    steps_per_epoch : int, optional
        Optimizer steps in one epoch (what the trainer counts; ``len(loader) //
        accumulation`` on each process, or ``ceil`` when the last partial accumulation
        steps).
    batches_per_epoch : int, optional
        Micro-batches in one epoch on each process (``len(loader)`` of one process); an
        optimizer step takes `accumulation` of them. At most one of the three epoch facts.
    batch : int, optional
        Samples per micro-batch on one process (the loader's ``batch_size``); needed by "sp"
        and "tok", and by "ep" with `samples_per_epoch`.
    accumulation : int
        Micro-batches per optimizer step (gradient accumulation). Default 1.
    processes : int
        Processes (GPUs) that train together, each on its own micro-batches. Default 1.
    tokens_per_sample : int, optional
        Tokens in one sample (the sequence length); needed by "tok".
    rounding : {"exact", "floor", "ceil"}
        What a time that is not a whole number of steps becomes: "exact" (default) refuses
        it with an error that gives its value; "floor" and "ceil" round it down or up. A
        "dur" time rounds once, after it is multiplied by the (rounded) run length.

    Notes
    -----
    Every integer is >= 1 (and < 2**63). An error names the fact a time needs: ``'2ep'
    needs samples_per_epoch, steps_per_epoch or batches_per_epoch``.

    Examples
    --------
    >>> from annealing.units import Horizon
    >>> one = Horizon(samples_per_epoch=1024, batch=64)
    >>> eight = Horizon(samples_per_epoch=1024, batch=8, processes=8)
    >>> one.steps("2ep") == eight.steps("2ep") == 32
    True
    >>> Horizon(samples_per_epoch=1000, batch=64).steps("1ep")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Horizon: '1ep' is 125/8 = 15.625 optimizer steps (1 epoch of 1000 samples ...
    >>> Horizon(samples_per_epoch=1000, batch=64, rounding="ceil").steps("1ep")
    16
    """

    duration: Time | str | int | None = None
    samples_per_epoch: int | None = None
    steps_per_epoch: int | None = None
    batches_per_epoch: int | None = None
    batch: int | None = None
    accumulation: int = 1
    processes: int = 1
    tokens_per_sample: int | None = None
    rounding: str = "exact"

    def __post_init__(self) -> None:
        _check_facts("Horizon", self)
        if self.duration is not None:
            v.store(self, duration=_duration("Horizon", self.duration))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.to_dict().items())
        return f"Horizon({args})"

    @property
    def global_batch(self) -> int | None:
        """Samples per optimizer step over all processes: batch × accumulation × processes."""
        if self.batch is None:
            return None
        return self.batch * self.accumulation * self.processes

    def exact_steps(self, time: Time | str) -> Fraction:
        """`time` in optimizer steps, as an exact Fraction (before `rounding`).

        >>> Horizon(samples_per_epoch=1000, batch=64).exact_steps("1ep")
        Fraction(125, 8)
        """
        return self._exact(_parse("Horizon", "time", time), None)

    def _exact(self, t: Time, where: str | None) -> Fraction:
        owner = "Horizon"
        label = repr(str(t)) if where is None else f"{where}={str(t)!r}"
        x = t.value
        if t.unit == "ba":
            return x
        if t.unit == "dur":
            if self.duration is None:
                raise ValueError(f"{owner}: {label} needs duration (the run's total length)")
            assert isinstance(self.duration, Time)  # made one by __post_init__
            return x * self._steps(self.duration, "duration")
        if t.unit == "ep":
            return x * self._epoch(label)
        gb = self.global_batch
        if gb is None:
            raise ValueError(f"{owner}: {label} needs batch (samples per micro-batch)")
        if t.unit == "sp":
            return x / gb
        if self.tokens_per_sample is None:
            raise ValueError(f"{owner}: {label} needs tokens_per_sample")
        return x / (gb * self.tokens_per_sample)

    def _epoch(self, label: str) -> Fraction:
        if self.steps_per_epoch is not None:
            return Fraction(self.steps_per_epoch)
        if self.batches_per_epoch is not None:
            return Fraction(self.batches_per_epoch, self.accumulation)
        if self.samples_per_epoch is None:
            raise ValueError(
                f"Horizon: {label} needs samples_per_epoch, steps_per_epoch or "
                "batches_per_epoch (the epoch's length)"
            )
        gb = self.global_batch
        if gb is None:
            raise ValueError(
                f"Horizon: {label} needs batch (samples per micro-batch), to count the "
                "steps of an epoch of samples_per_epoch"
            )
        return Fraction(self.samples_per_epoch, gb)

    def steps(self, time: Time | str) -> int:
        """`time` as a whole number of optimizer steps, by the horizon's `rounding`.

        >>> Horizon(batch=32, tokens_per_sample=2048).steps("5e9tok")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: Horizon: '5e9tok' is 9765625/128 = 76293.9453125 optimizer steps ...
        >>> Horizon(batch=32, tokens_per_sample=2048, rounding="floor").steps("5e9tok")
        76293
        """
        return self._steps(_parse("Horizon", "time", time), None)

    def _steps(self, t: Time, where: str | None) -> int:
        x = self._exact(t, where)
        if x.denominator == 1:
            return int(x)
        if self.rounding == "floor":
            return x.numerator // x.denominator
        if self.rounding == "ceil":
            return -(-x.numerator // x.denominator)
        label = repr(str(t)) if where is None else f"{where}={str(t)!r}"
        hint = ", or steps_per_epoch (the trainer's count)" if t.unit in ("ep", "dur") else ""
        raise ValueError(
            f"Horizon: {label} is {x} = {_decimal(x)} optimizer steps ({self._why(t)}), not a "
            f"whole number; give rounding='floor' or 'ceil'{hint}"
        )

    def _why(self, t: Time) -> str:
        """How `t` was counted, for the error of a time that is not a whole number of steps."""
        n = _number_text(t.value)
        batch = f"a global batch of {self.global_batch}"
        if t.unit == "ep":
            per = "epoch" if t.value == 1 else "epochs"
            if self.steps_per_epoch is not None:
                return f"{n} {per} of {self.steps_per_epoch} steps"
            if self.batches_per_epoch is not None:
                return (
                    f"{n} {per} of {self.batches_per_epoch} micro-batches, "
                    f"{self.accumulation} per step"
                )
            return f"{n} {per} of {self.samples_per_epoch} samples at {batch}"
        if t.unit == "sp":
            return f"{n} samples at {batch}"
        if t.unit == "tok":
            return f"{n} tokens at {batch} and {self.tokens_per_sample} tokens per sample"
        if t.unit == "dur":
            return f"{n} of a run of {self.duration}"
        return f"{n} steps"

    def timed(self, schedule: Any) -> Timed:
        """The :class:`Timed` schedule of `schedule` (text or dict) against this horizon."""
        return Timed(schedule, self)

    def to_dict(self) -> dict[str, Any]:
        """The facts that differ from the defaults, JSON-safe (`duration` as its time string);
        ``Horizon(**h.to_dict()) == h``.

        >>> Horizon(samples_per_epoch=1024, batch=8, processes=8, duration="90ep").to_dict()
        {'duration': '90ep', 'samples_per_epoch': 1024, 'batch': 8, 'processes': 8}
        """
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value != f.default:
                out[f.name] = str(value) if isinstance(value, Time) else value
        return out


def _decimal(x: Fraction) -> str:
    """`x` as a decimal for a message: exact when it has one, else 12 significant digits."""
    text = _number_text(x)
    return text if "/" not in text and "e" not in text else f"{float(x):.12g}"


def _duration(owner: str, value: Any) -> Time:
    if isinstance(value, (str, Time)):
        t = _parse(owner, "duration", value)
    elif isinstance(value, numbers.Integral) and not v._refused_kind(value):
        t = Time(_fact(owner, "duration", value), "ba")
    else:
        _fail(owner, "duration", "a time such as '90ep' or an integer of steps", value, TypeError)
    if t.unit == "dur":
        raise ValueError(
            f"{owner}: duration must be the run's length in 'ba', 'ep', 'sp' or 'tok' "
            f"(a fraction of itself is circular), got {str(t)!r}"
        )
    if t.value == 0:
        _fail(owner, "duration", "a time > 0", str(t), ValueError)
    return t


# ------------------------------------------------------------------------------- templates


def _frozen(table: dict[str, dict[str, str]]) -> Mapping[str, Mapping[str, str]]:
    return types.MappingProxyType({k: types.MappingProxyType(v) for k, v in table.items()})


# The lengths of each schedule class: its parameters in steps, which take a time here. A
# "length" is one number; "lengths" a sequence of them; "points" (step, value) pairs.
LENGTHS: Mapping[str, Mapping[str, str]] = _frozen(
    {
        "Constant": {"steps": "length"},
        "Cosine": {"steps": "length"},
        "Cyclic": {"up": "length", "down": "length"},
        "Exponential": {"steps": "length", "every": "length"},
        "InverseSqrt": {"timescale": "length"},
        "InverseTime": {"every": "length"},
        "Linear": {"steps": "length"},
        "MultiStep": {"milestones": "lengths"},
        "Offset": {"offset": "length"},
        "OneCycle": {"steps": "length"},
        "Piecewise": {"points": "points"},
        "Polynomial": {"steps": "length"},
        "PolynomialCycles": {"every": "length"},
        "Restarts": {"warmup": "length"},
        "Scale": {},
        "Sequence": {"boundaries": "lengths"},
        "Step": {"every": "length"},
        "Tanh": {"steps": "length"},
        "Warmup": {"warmup": "length"},
        "Warp": {},
        "WSD": {"warmup": "length", "stable": "length", "decay": "length"},
    }
)
"""Schedule class -> {parameter: "length" | "lengths" | "points"}: where a time is allowed
(read-only)."""

_INNER = {"lengths": "length", "points": "pair", "pair": None}


@dataclass(frozen=True)
class _Node:
    """One schedule of a template: its class and its arguments (times in its lengths)."""

    cls: type[Schedule]
    params: tuple[tuple[str, Any], ...]


def _is_time_text(value: Any) -> bool:
    try:
        _parse("", "", value)
    except (TypeError, ValueError):
        return False
    return True


def _not_a_length(cls: type, name: str, value: Any) -> NoReturn:
    lengths = ", ".join(LENGTHS.get(cls.__name__, {})) or "none"
    raise ValueError(
        f"Timed: {cls.__name__}.{name} is not a length, so it takes no time unit "
        f"(the lengths of {cls.__name__}: {lengths}), got {v.show(str(value))}"
    )


def _slot_value(cls: type, name: str, value: Any, slot: str | None, where: str) -> Any:
    """A template argument from Python data: times (or time strings) only in lengths."""
    if isinstance(value, Mapping) and "type" in value:
        return _from_data(value, where)
    if isinstance(value, Schedule):
        return _from_data(value.to_dict(), where)
    if isinstance(value, (tuple, list)) and slot != "length":
        inner = _INNER.get(slot) if slot else None
        if slot == "pair":
            return tuple(
                _slot_value(
                    cls, name if i == 0 else f"{name} value", x, None if i else "length", where
                )
                for i, x in enumerate(value)
            )
        return tuple(_slot_value(cls, name, x, inner, f"{where}[{i}]") for i, x in enumerate(value))
    if slot == "length" and isinstance(value, (str, Time)):
        try:
            return _parse("Timed", where, value)
        except (TypeError, ValueError) as error:
            raise type(error)(str(error)) from None
    if isinstance(value, Time) or (isinstance(value, str) and _is_time_text(value)):
        _not_a_length(cls, name, value)
    return value


def _from_data(data: Mapping[str, Any], where: str = "schedule") -> _Node:
    """A template from the dict form of :meth:`Schedule.to_dict` (times in its lengths)."""
    kind = data.get("type")
    cls = _REGISTRY.get(kind) if isinstance(kind, str) else None
    if cls is None or cls is Timed:
        known = ", ".join(sorted(n for n in _REGISTRY if n != "Timed"))
        raise ValueError(f"Timed: {where}.type must be one of {known}, got {v.show(kind)}")
    names = [f.name for f in dataclasses.fields(cls) if f.init]  # type: ignore[arg-type]
    lengths = LENGTHS.get(cls.__name__, {})
    params = []
    for key, value in data.items():
        if key in ("type", "format"):
            continue
        if key not in names:
            raise ValueError(
                f"Timed: {where} has unknown key {key!r} for {cls.__name__} "
                f"(its parameters: {', '.join(names)})"
            )
        slot = lengths.get(key)
        params.append((key, _slot_value(cls, key, value, slot, f"{where}.{key}")))
    return _Node(cls, tuple(params))


def _from_text(text: str) -> _Node:
    """A template from the grammar's text, times (strings) in its lengths."""
    try:
        source = grammar._check_text(text)
        if source.startswith("{"):
            import json

            data = json.loads(
                source,
                parse_int=grammar._json_int,
                parse_float=grammar._json_float,
                parse_constant=grammar._json_constant,
                object_pairs_hook=grammar._json_object,
            )
            return _from_data(data)
        tree = grammar._tree(source)
        return _from_ast(source, tree)
    except RecursionError:
        raise ValueError("Timed: schedule is nested too deeply") from None
    except ValueError as error:
        message = str(error)
        raise ValueError(
            message if message.startswith("Timed: ") else f"Timed: {message}"
        ) from None


def _from_ast(text: str, node: ast.expr) -> _Node:
    if not isinstance(node, ast.Call):
        grammar._refuse(text, node, "the text must be a schedule such as Cosine(0.1, 0.0, '2ep')")
    callee = grammar._lookup(text, node.func)
    if not (isinstance(callee, type) and issubclass(callee, Schedule)) or callee is Timed:
        grammar._refuse(
            text,
            node.func,
            "a Timed schedule is made of annealing's schedule classes (not SGDR, compat or "
            "another Timed: write Restarts(Cosine(...)) for SGDR)",
        )
    names = [f.name for f in dataclasses.fields(callee) if f.init]  # type: ignore[arg-type]
    lengths = LENGTHS.get(callee.__name__, {})
    if len(node.args) > len(names):
        grammar._refuse(text, node, f"{callee.__name__} takes at most {len(names)} arguments")
    pairs: list[tuple[str, ast.expr]] = []
    for arg in node.args:
        if isinstance(arg, ast.Starred):
            grammar._refuse(text, arg, "unpacking is not allowed")
        pairs.append((names[len(pairs)], arg))
    for kw in node.keywords:
        if kw.arg is None:
            grammar._refuse(text, kw.value, "unpacking is not allowed")
        if kw.arg not in names:
            grammar._refuse(
                text,
                kw,
                f"{callee.__name__} has no parameter {kw.arg!r} (its parameters: "
                f"{', '.join(names)})",
            )
        if any(kw.arg == n for n, _ in pairs):
            grammar._refuse(text, kw, f"the argument {kw.arg} is given twice")
        pairs.append((kw.arg, kw.value))
    params = tuple(
        (name, _ast_value(text, callee, name, arg, lengths.get(name))) for name, arg in pairs
    )
    return _Node(callee, params)


def _ast_value(text: str, cls: type, name: str, node: ast.expr, slot: str | None) -> Any:
    if isinstance(node, ast.Call):
        return _from_ast(text, node)
    if isinstance(node, (ast.Tuple, ast.List)):
        if slot == "pair":
            return tuple(
                _ast_value(
                    text, cls, name if i == 0 else f"{name} value", e, None if i else "length"
                )
                for i, e in enumerate(node.elts)
            )
        inner = _INNER.get(slot) if slot else None
        return tuple(_ast_value(text, cls, name, e, inner) for e in node.elts)
    value = grammar._value(text, node)
    if isinstance(value, str) and slot == "length":
        return _parse("Timed", f"{cls.__name__}.{name}", value)
    if isinstance(value, str) and _is_time_text(value):
        _not_a_length(cls, name, value)
    return value


def _has_time(value: Any) -> bool:
    if isinstance(value, Time):
        return True
    if isinstance(value, tuple):
        return any(_has_time(x) for x in value)
    return False


def _times(value: Any) -> list[Time]:
    if isinstance(value, Time):
        return [value]
    if isinstance(value, tuple):
        return [t for x in value for t in _times(x)]
    return []


def _build(value: Any, horizon: Horizon, where: str) -> Any:
    """The plain value of a template: times become steps, nodes schedules."""
    if isinstance(value, _Node):
        name = value.cls.__name__
        kwargs = {k: _build(x, horizon, f"{name}.{k}") for k, x in value.params}
        try:
            return value.cls(**kwargs)
        except (TypeError, ValueError) as error:
            text = f"Timed: {error}"
            for k, x in value.params:  # a time the horizon made a refused number of steps
                if _has_time(x) and str(error).startswith((f"{name}: {k} ", f"{name}: {k}[")):
                    times = ", ".join(
                        f"{str(t)!r} is {horizon.steps(t)} steps ({horizon._why(t)})"
                        for t in _times(x)
                    )
                    text += f"; {times}, rounding={horizon.rounding!r}"
            raise type(error)(text) from None
        except ArithmeticError as error:
            raise ValueError(f"Timed: {name}: {error}") from None
    if isinstance(value, Time):
        try:
            return horizon._steps(value, where)
        except ValueError as error:
            raise ValueError(f"Timed: {str(error).removeprefix('Horizon: ')}") from None
    if isinstance(value, tuple):
        return tuple(_build(x, horizon, f"{where}[{i}]") for i, x in enumerate(value))
    return value


_MISSING = object()


def _text(value: Any, built: Any) -> str:
    """The canonical text of a template: the repr of the built schedule, times put back."""
    if isinstance(value, _Node) and isinstance(built, Schedule):
        given = dict(value.params)
        parts = []
        for f in dataclasses.fields(built):  # type: ignore[arg-type]
            if not f.init:
                continue
            mine = given.get(f.name, _MISSING)
            plain = getattr(built, f.name)
            required = f.default is dataclasses.MISSING
            default = type(plain) is type(f.default) and plain == f.default
            if _has_time(mine) or required or not default:
                text = _text(mine, plain) if mine is not _MISSING else repr(plain)
                parts.append(f"{f.name}={text}")
        return f"{type(built).__name__}({', '.join(parts)})"
    if isinstance(value, Time):
        return repr(str(value))
    if isinstance(value, tuple) and isinstance(built, tuple) and len(value) == len(built):
        items = [_text(a, b) for a, b in zip(value, built, strict=True)]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    return repr(built)


# ------------------------------------------------------------------------------- Timed


@dataclass(frozen=True, repr=False)
class Timed(Schedule):
    r"""A schedule whose lengths are times (``'2ep'``, ``'0.1dur'``), resolved against a horizon.

    ``Timed(schedule, horizon)`` is the schedule `schedule` with every time in its lengths
    replaced by :meth:`Horizon.steps`: its value at step :math:`t` is that of
    :meth:`resolved` at :math:`t`, bit for bit, and ``.steps`` is its ``.steps``. It keeps
    the times: ``repr``, :meth:`~annealing.Schedule.to_dict` and
    :func:`annealing.from_dict` carry the text with ``'2ep'`` and the horizon's facts, and
    :func:`annealing.parse` reads the ``repr`` back.

    Parameters
    ----------
    schedule : str or dict
        The schedule as the grammar writes it (:func:`annealing.parse`), such as
        ``"Warmup(Cosine(0.1, 0.0, '0.95dur'), warmup='0.05dur')"``, or as the dict of
        :meth:`~annealing.Schedule.to_dict`, with a time (a Composer string or a
        :class:`Time`) or a number of steps in any length: the parameters of
        :data:`LENGTHS` (``steps``, ``warmup``, ``every``, ``milestones``, ``boundaries``,
        the steps of ``Piecewise`` points, ...). A time anywhere else (``start='2ep'``) is
        refused. Stored as canonical text (keyword arguments, defaults left out), of at
        most 1,000 characters. A Timed gives its text: the same times on another horizon.
    horizon : Horizon, optional
        The facts of the run; or give them as the keyword arguments below (stored on the
        schedule: that is what ``repr`` and ``to_dict`` write).
    duration, samples_per_epoch, steps_per_epoch, batches_per_epoch : optional
        The fields of :class:`Horizon` (``duration`` stored as its time string).
    batch, accumulation, processes, tokens_per_sample, rounding : optional
        The fields of :class:`Horizon`.

    Examples
    --------
    >>> from annealing import Cosine, Warmup, from_dict, parse
    >>> from annealing.units import Horizon, Timed
    >>> h = Horizon(samples_per_epoch=1024, batch=64, duration="10ep")
    >>> lr = Timed("Warmup(Cosine(0.1, 0.0, '9ep'), warmup='0.1dur')", h)
    >>> lr.schedule
    "Warmup(schedule=Cosine(start=0.1, end=0.0, steps='9ep'), warmup='0.1dur')"
    >>> lr.duration, lr.samples_per_epoch, lr.batch
    ('10ep', 1024, 64)
    >>> lr.resolved() == Warmup(Cosine(0.1, 0.0, 144), warmup=16)
    True
    >>> from_dict(lr.to_dict()) == lr == parse(repr(lr))
    True
    >>> Timed("Cosine('2ep', 0.0, 100)", h)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Timed: Cosine.start is not a length, so it takes no time unit (...), got '2ep'
    """

    schedule: str | Mapping[str, Any] | Schedule  # stored as its canonical text (a str)
    horizon: InitVar[Horizon | None] = None
    duration: str | Time | int | None = None  # stored as its time string
    samples_per_epoch: int | None = None
    steps_per_epoch: int | None = None
    batches_per_epoch: int | None = None
    batch: int | None = None
    accumulation: int = 1
    processes: int = 1
    tokens_per_sample: int | None = None
    rounding: str = "exact"
    _plain: Schedule = field(init=False, repr=False, compare=False)

    _lengths: ClassVar[Mapping[str, Mapping[str, str]]] = LENGTHS

    def __post_init__(self, horizon: Horizon | None) -> None:
        if horizon is not None:
            if not isinstance(horizon, Horizon):
                _fail("Timed", "horizon", "a Horizon", horizon, TypeError)
            given = [f for f in _FACTS if getattr(self, f) != _DEFAULTS[f]]
            if given:
                raise ValueError(
                    f"Timed: {given[0]} must not be given beside horizon (give the facts "
                    f"in one place), got {given[0]}={getattr(self, given[0])!r}"
                )
            for name in _FACTS:
                value = getattr(horizon, name)
                v.store(self, **{name: str(value) if isinstance(value, Time) else value})
        _check_facts("Timed", self)
        if self.duration is not None:
            v.store(self, duration=str(_duration("Timed", self.duration)))
        facts = self.facts
        spec = self.schedule
        if isinstance(spec, Timed):  # the same times, on this horizon
            spec = spec.schedule
        if not isinstance(spec, (str, Mapping, Schedule)):
            _fail("Timed", "schedule", "a schedule's text or dict", spec, TypeError)
        try:
            if isinstance(spec, str):
                node = _from_text(spec)
            else:
                node = _from_data(spec if isinstance(spec, Mapping) else spec.to_dict())
            plain = _build(node, facts, "schedule")
            text = _text(node, plain)
        except RecursionError:  # a dict nested without end
            raise ValueError("Timed: schedule is nested too deeply") from None
        if len(text) > MAX_STRING:
            raise ValueError(
                f"Timed: schedule must be at most {MAX_STRING} characters as text (what "
                f"from_dict reads), got {len(text)}"
            )
        v.store(self, schedule=text, _plain=plain)

    @property
    def facts(self) -> Horizon:
        """The :class:`Horizon` of the facts stored on this schedule."""
        return Horizon(**{name: getattr(self, name) for name in _FACTS})

    def resolved(self) -> Schedule:
        """The plain schedule, in steps: what this schedule evaluates.

        >>> Timed("Cosine(1.0, 0.0, '2ep')", steps_per_epoch=50).resolved()
        Cosine(start=1.0, end=0.0, steps=100)
        """
        return self._plain

    @property
    def steps(self) -> float | None:
        """The resolved schedule's length in steps (None when it never ends)."""
        return self._plain.steps

    def _peak(self) -> float:
        return v.peak(self._plain)

    def _scalar(self, t: float) -> float:
        return self._plain._scalar(t)

    def _value(self, t: Any, xp: Any) -> Any:
        return self._plain._value(t, xp)


_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Horizon)}
