"""The schedule model: an immutable value that is a function of the step."""

from __future__ import annotations

import dataclasses
import math
import numbers
from typing import TYPE_CHECKING, Any, ClassVar

from ._namespace import SCALAR, prepare, step_number

FORMAT = 1
_EXACT_INT = 2**53  # larger integer steps are computed as the nearest float
_INF = math.inf
_REGISTRY: dict[str, type[Schedule]] = {}


class Schedule:
    """Base class of every schedule.

    A schedule is a frozen dataclass and a function of the step: ``schedule(step)`` returns the
    value at `step` for a Python number (a ``float``), a numpy array (an array of float64), or a
    JAX or PyTorch array (an array of that library, computed with its own functions, so it works
    under ``jax.jit`` and ``jax.vmap``). Steps may be fractional. A negative, NaN or infinite step
    raises :class:`ValueError` (under ``jax.jit`` the values cannot be checked).

    Every schedule has ``.steps`` (its length, or ``None`` when it never ends), a ``repr`` that
    can be pasted back into Python, equality by value, and :meth:`to_dict` /
    :func:`annealing.from_dict` for configs and checkpoints.
    """

    __slots__ = ()
    _public: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__name__.startswith("_"):
            _REGISTRY[cls.__name__] = cls

    def __call__(self, step: Any) -> Any:
        kind = type(step)
        if kind is float:  # the hot path: a plain Python number
            if 0.0 <= step < _INF:
                return self._scalar(step)
        elif kind is int and 0 <= step <= _EXACT_INT:
            return self._scalar(step)
        try:
            number = step_number(step)
            if number is None:
                xp, t, finish = prepare(step)
        except (TypeError, ValueError) as error:  # name the schedule in every refusal
            raise type(error)(f"{type(self).__name__}: {error}") from None
        if number is not None:
            return self._scalar(number)
        return finish(self._value(t, xp))

    # Subclasses implement _value (any namespace) and may override _scalar for speed.
    def _scalar(self, t: float) -> float:
        return float(self._value(float(t), SCALAR))

    def _value(self, t: Any, xp: Any) -> Any:
        raise NotImplementedError

    if TYPE_CHECKING:  # a field or a property in every family

        @property
        def steps(self) -> float | None: ...

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict of this schedule, with a format version; see :func:`from_dict`.

        >>> from annealing import Cosine
        >>> Cosine(start=1.0, end=0.1, steps=100).to_dict()
        {'format': 1, 'type': 'Cosine', 'start': 1.0, 'end': 0.1, 'steps': 100, 'exponent': 1.0}
        """
        return {"format": FORMAT, **_params(self)}

    def __repr__(self) -> str:
        # keyword arguments, defaults left out: short, and it pastes back into Python
        args = [f"{name}={value!r}" for name, value in _given(self)]
        return f"{type(self).__name__}({', '.join(args)})"

    def _label(self) -> str:
        """A compact label for legends: required arguments by position, others by keyword."""
        args = []
        for name, value in _given(self):
            text = value._label() if isinstance(value, Schedule) else repr(value)
            required = _required(type(self), name)
            args.append(text if required else f"{name}={text}")
        return f"{type(self).__name__}({', '.join(args)})"


def _required(cls: type, name: str) -> bool:
    field = cls.__dataclass_fields__[name]  # type: ignore[attr-defined]
    return bool(
        field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
    )


def _given(schedule: Schedule) -> list[tuple[str, Any]]:
    """The init fields whose values differ from their defaults (required ones always)."""
    out = []
    for f in dataclasses.fields(schedule):  # type: ignore[arg-type]
        if not f.init:
            continue
        value = getattr(schedule, f.name)
        if f.default is dataclasses.MISSING or not _same(value, f.default):
            out.append((f.name, value))
    return out


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _params(schedule: Schedule) -> dict[str, Any]:
    out: dict[str, Any] = {"type": type(schedule).__name__}
    for f in dataclasses.fields(schedule):  # type: ignore[arg-type]
        if f.init:
            out[f.name] = _jsonable(getattr(schedule, f.name))
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, Schedule):
        return _params(value)
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    # numpy's integers and float32 are not int/float subclasses, and json refuses them
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return value


def from_dict(data: dict[str, Any]) -> Schedule:
    """Rebuild a schedule from :meth:`Schedule.to_dict`.

    >>> from annealing import Warmup, Cosine, from_dict
    >>> s = Warmup(Cosine(start=1.0, end=0.0, steps=90), warmup=10)
    >>> from_dict(s.to_dict()) == s
    True
    """
    if not isinstance(data, dict):
        raise TypeError(f"from_dict: data must be a dict, got {data!r}")
    version = data.get("format", FORMAT)
    if version != FORMAT:
        raise ValueError(f"from_dict: format must be {FORMAT}, got {version!r}")
    return _build(data)


def _build(data: dict[str, Any]) -> Schedule:
    kind = data.get("type")
    cls = _REGISTRY.get(kind) if isinstance(kind, str) else None
    if cls is None:
        known = ", ".join(sorted(_REGISTRY))
        raise ValueError(f"from_dict: type must be one of {known}, got {kind!r}")
    kwargs = {k: _unjson(v) for k, v in data.items() if k not in ("type", "format")}
    try:
        return cls(**kwargs)
    except TypeError as error:
        raise TypeError(f"from_dict: cannot build {kind} from {data!r}: {error}") from None


def _unjson(value: Any) -> Any:
    if isinstance(value, dict) and "type" in value:
        return _build(value)
    if isinstance(value, list):
        return tuple(_unjson(v) for v in value)
    return value
