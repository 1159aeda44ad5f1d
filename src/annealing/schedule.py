"""The schedule model: an immutable value that is a function of the step."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib
import json
import math
import numbers
from typing import TYPE_CHECKING, Any, ClassVar

from ._namespace import SCALAR, prepare, step_number

# the compiled scalar call (see _speedups.c); without it, the same numbers in Python
_speedups: Any = None
with contextlib.suppress(ImportError):  # not built: no C compiler at install
    _speedups = importlib.import_module("annealing._speedups")

FORMAT = 1
_EXACT_INT = 2**53  # larger integer steps are computed as the nearest float
_INF = math.inf
_REGISTRY: dict[str, type[Schedule]] = {}


if TYPE_CHECKING or _speedups is None:  # noqa: SIM108 (mypy takes a base from a statement)
    _Base = object
else:
    _Base = _speedups.Fast


class Schedule(_Base):
    """Base class of every schedule.

    A schedule is a frozen dataclass and a function of the step: ``schedule(step)`` returns the
    value at `step`, a finite number >= 0. Steps may be fractional, and are:

    - a number: Python ``int`` or ``float``, a numpy integer or floating scalar of any width
      (``float16`` to ``longdouble``) or a 0-d array of one, a :class:`~fractions.Fraction` or a
      :class:`~decimal.Decimal` (taken as the nearest float): the value is a ``float``;
    - a numpy array of integers or floats of any width, or a list (of lists) of numbers as
      above: computed in float64, the value is a new float64 array of the same shape;
    - a PyTorch tensor of integers or floats: computed in float64 (float32 on MPS) and rounded
      once to the tensor's dtype (integers give the default dtype, float32 unless changed);
      values beyond float16's range saturate at its maximum, 65504;
    - a JAX array: a concrete array is computed on the host in float64, exactly as numpy,
      and rounded once to the array's dtype (integers give JAX's default float). Traced
      arrays (under ``jax.jit`` and ``jax.vmap``) are computed with JAX's own functions: in
      float64 when 64-bit mode is on (XLA's arithmetic may differ from numpy's by an ulp or
      two, and it flushes subnormal numbers to 0), in float32 in the default 32-bit mode, and
      wherever that gives NaN or inf (a parameter beyond float32's range, such as
      ``steps=1e-39``) again on the host in float64.

    A negative, NaN or infinite step (any element of an array) raises :class:`ValueError`
    (under ``jax.jit`` the values cannot be checked); a ``bool``, complex number, string,
    bytes, ``None``, date, time, timedelta, ``numpy.datetime64``/``timedelta64`` or an array of
    objects raises :class:`TypeError`. The message names the schedule and the step.

    Every schedule has ``.steps`` (its length, or ``None`` when it never ends), a ``repr`` that
    can be pasted back into Python, equality by value, :meth:`to_dict` /
    :func:`annealing.from_dict` for configs and checkpoints, and :meth:`fingerprint`, a digest
    that is equal exactly when the schedules are.
    """

    __slots__ = ()
    _public: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Only annealing's own public classes register themselves: a user's subclass named
        # "Cosine" must not replace the library's for every later from_dict (checkpoints
        # included). Extensions call annealing.register(cls).
        module = cls.__module__
        if (module == "annealing" or module.startswith("annealing.")) and not (
            cls.__name__.startswith("_")
        ):
            _add(cls)
        # A family's _call inlines its own _scalar (one Python call per step instead of
        # two). A subclass that computes its values anew (its own _scalar) must not inherit
        # that formula: it gets the generic _call, which calls its _scalar.
        if "_scalar" in cls.__dict__ and "_call" not in cls.__dict__:
            cls._call = Schedule._call  # type: ignore[method-assign]
        if "__call__" not in cls.__dict__:  # schedule(step) runs _call, or its compiled form
            if _speedups is None:
                cls.__call__ = cls._call  # type: ignore[method-assign]
            else:
                _speedups.enable(cls)

    if TYPE_CHECKING:  # Fast's call (C), or _call itself where annealing is not compiled

        def __call__(self, step: Any) -> Any: ...

    def _call(self, step: Any) -> Any:
        kind = type(step)
        if kind is float:  # the hot path: a plain Python number
            if 0.0 <= step < _INF:
                return self._scalar(step)
        elif kind is int and 0 <= step <= _EXACT_INT:
            return self._scalar(step)
        try:
            number = step_number(step)
            if number is None:
                _, _, finish = prepare(step)
        except (TypeError, ValueError) as error:  # name the schedule in every refusal
            raise type(error)(f"{type(self).__name__}: {error}") from None
        if number is not None:
            return self._scalar(number)
        return finish(self._value)

    # Subclasses implement _value (any namespace) and may override _scalar for speed. A family
    # may also define _call with the checks of the hot path above and its formula inline,
    # falling back to Schedule._call for every other step, and set _scalar = _call (its
    # callers pass steps that pass those checks): one Python call per step. Where that
    # formula is one that _speedups.c writes out, its __post_init__ ends with _compile.
    def _scalar(self, t: float, /) -> float:
        return float(self._value(float(t), SCALAR))

    def _value(self, t: Any, xp: Any) -> Any:
        raise NotImplementedError

    if TYPE_CHECKING:  # a field or a property in every family

        @property
        def steps(self) -> float | None: ...

    def __reduce__(self) -> Any:
        # copy, deepcopy and pickle (a process pool's workers): a dataclass is rebuilt from
        # its parameters, and so is compiled again; any other subclass is copied by its state
        if dataclasses.is_dataclass(self):
            given = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.init}
            return (_rebuild, (type(self), given))
        return (_restore, (type(self), getattr(self, "__dict__", None)))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict of this schedule, with a format version; see :func:`from_dict`.

        >>> from annealing import Cosine
        >>> Cosine(start=1.0, end=0.1, steps=100).to_dict()
        {'format': 1, 'type': 'Cosine', 'start': 1.0, 'end': 0.1, 'steps': 100, 'exponent': 1.0}
        """
        return {"format": FORMAT, **_params(self)}

    def fingerprint(self) -> str:
        """A stable digest of this schedule's value: equal exactly when the schedules are equal.

        The SHA-256 (64 hex digits) of a canonical text of :meth:`to_dict`: keys sorted, floats
        written exactly (``repr``), integral numbers as integers, so ``steps=100`` and
        ``steps=100.0`` (equal schedules) agree, while ``0.1`` and the float32 ``0.1``
        (``0.10000000149011612``, a different schedule) do not. It is the same in every
        process, platform and Python version, and checkpoints store it to notice a changed
        schedule (:class:`annealing.torch.Scheduler`, simulated annealing).

        >>> from annealing import Cosine
        >>> a = Cosine(start=1.0, end=0.0, steps=100)
        >>> a.fingerprint() == Cosine(1.0, 0.0, 100.0).fingerprint()
        True
        >>> a.fingerprint() == Cosine(1.0, 0.0, 101).fingerprint()
        False
        >>> len(a.fingerprint())
        64
        """
        text = _canonical({"format": FORMAT, **_params(self, qualified=True)})
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

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


if _speedups is None:  # the generic call, which subclasses without a formula of their own get
    Schedule.__call__ = Schedule._call  # type: ignore[method-assign]


def _compile(
    schedule: Schedule,
    cls: type[Schedule],
    op: str,
    numbers: tuple[Any, ...],
    kids: tuple[Schedule, ...] = (),
    tables: tuple[tuple[Any, ...], ...] = (),
) -> None:
    """Give `schedule` its compiled scalar call, the formula `op` of ``_speedups.c`` on these
    numbers, child schedules and tables, where annealing is compiled and `schedule` is exactly
    a `cls` (a subclass may compute its values anew). An int beyond 2**53 is left to Python,
    whose arithmetic on it is exact."""
    if _speedups is None or type(schedule) is not cls:
        return
    values = (*numbers, *(x for table in tables for x in table))
    if any(type(x) is int and not -_EXACT_INT <= x <= _EXACT_INT for x in values):
        return
    schedule._speed(  # type: ignore[attr-defined]
        _speedups.NAMES.index(op),
        tuple(float(x) for x in numbers),
        kids,
        tuple(tuple(float(x) for x in table) for table in tables),
    )


def _rebuild(cls: type[Schedule], fields: dict[str, Any]) -> Schedule:
    return cls(**fields)


def _restore(cls: type[Schedule], state: dict[str, Any] | None) -> Schedule:
    schedule = cls.__new__(cls)
    if state:
        schedule.__dict__.update(state)
    return schedule


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


def _params(schedule: Schedule, *, qualified: bool = False) -> dict[str, Any]:
    cls = type(schedule)
    name = cls.__name__
    if qualified and _REGISTRY.get(name) is not cls:  # not the class from_dict would build
        name = f"{cls.__module__}.{cls.__qualname__}"
    out: dict[str, Any] = {"type": name}
    for f in dataclasses.fields(schedule):  # type: ignore[arg-type]
        if f.init:
            out[f.name] = _jsonable(getattr(schedule, f.name), qualified)
    return out


def _jsonable(value: Any, qualified: bool = False) -> Any:
    if isinstance(value, Schedule):
        return _params(value, qualified=qualified)
    if isinstance(value, (tuple, list)):
        return [_jsonable(v, qualified) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    # numpy's integers and float32 are not int/float subclasses, and json refuses them
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return value


def _canonical(value: Any) -> str:
    """One text per value: JSON with sorted keys, exact floats, integral numbers as integers."""
    if isinstance(value, dict):
        items = sorted(value.items())
        return "{" + ",".join(json.dumps(str(k)) + ":" + _canonical(v) for k, v in items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_canonical(v) for v in value) + "]"
    if value is None or isinstance(value, (bool, str)):
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # 100.0 == 100 and -0.0 == 0.0, as dataclass equality has it; NaN is never a parameter
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return json.dumps(repr(value))  # not JSON: written, and then distinct from any number


def register(cls: type[Schedule]) -> type[Schedule]:
    """Let :func:`from_dict` build `cls`, a schedule class defined outside ``annealing``.

    Only annealing's own classes are known to :func:`from_dict` until then, so that a
    checkpoint cannot be read with a class the reader did not ask for. The name is the class's
    ``__name__``; a name already taken by another class raises :class:`ValueError` (registering
    the same class again does nothing). Returns `cls`, so it can be used as a decorator.

    A class of your own, in your module:

        @annealing.register
        @dataclasses.dataclass(frozen=True, repr=False)
        class Halving(annealing.Schedule):
            start: float

            def _value(self, t, xp):
                return self.start * 0.5**t

    after which ``annealing.from_dict(Halving(1.0).to_dict()) == Halving(1.0)``. A class of
    another name ``Cosine`` is refused (tests/test_schedule.py runs this example):

    >>> import annealing
    >>> annealing.register(annealing.Cosine)  # annealing's own: already known, nothing to do
    <class 'annealing.cosine.Cosine'>
    """
    if not isinstance(cls, type) or not issubclass(cls, Schedule) or cls is Schedule:
        raise TypeError(f"register: cls must be a subclass of annealing.Schedule, got {cls!r}")
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"register: cls must be a dataclass (as every schedule is), got {cls!r}")
    _add(cls)
    return cls


def _add(cls: type[Schedule]) -> None:
    name = cls.__name__
    known = _REGISTRY.get(name)
    same = known is not None and (known.__module__, known.__qualname__) == (
        cls.__module__,
        cls.__qualname__,
    )
    if known is not None and not same:  # the same place again is a reload: it replaces
        where = f"{known.__module__}.{known.__qualname__}"
        raise ValueError(f"register: the name {name!r} is taken by {where}")
    _REGISTRY[name] = cls


# from_dict reads data that may come from anywhere (a checkpoint, a config, a web form): its
# size is checked before anything is built.
MAX_DEPTH = 64  # nested dicts and lists
MAX_NODES = 1_000_000  # dicts, lists and values in all
MAX_ITEMS = 100_000  # in one list, or keys in one dict
MAX_STRING = 1_000  # characters in one string (keys included)
MAX_BITS = 1024  # an integer beyond float's range has no use as a parameter


def from_dict(data: dict[str, Any]) -> Schedule:
    """Rebuild a schedule from :meth:`Schedule.to_dict`.

    The data must be plain JSON-like values (dicts with string keys, lists or tuples, strings,
    ints, floats, bools, None) within fixed limits: nesting depth :data:`MAX_DEPTH` (64), at
    most :data:`MAX_NODES` values, :data:`MAX_ITEMS` items in a list, :data:`MAX_STRING`
    characters in a string, and integers within float's range. Every dict is a schedule: its
    ``type`` is one of annealing's classes (or a class given to :func:`register`), its other
    keys are that class's parameters, and the class's constructor checks their values, as it
    does for a schedule written in Python. Errors are :class:`ValueError` or :class:`TypeError`
    and give the path of the offending field, e.g.
    ``from_dict: schedule.schedule.steps: Cosine: steps must be ...``.

    >>> from annealing import Warmup, Cosine, from_dict
    >>> s = Warmup(Cosine(start=1.0, end=0.0, steps=90), warmup=10)
    >>> from_dict(s.to_dict()) == s
    True
    >>> from_dict({"type": "Cosine", "start": 1.0, "end": 0.0, "steps": 10, "step": 3})
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: from_dict: schedule has unknown key 'step' for Cosine (its parameters: ...)
    >>> from_dict({"type": "Warmup", "warmup": 5, "schedule": {"type": "Cosine", "start": 1.0,
    ...            "end": 0.0, "steps": -1}})
    Traceback (most recent call last):
    ...
    ValueError: from_dict: schedule.schedule.steps must be a finite number > 0, got -1
    """
    if not isinstance(data, dict):
        raise TypeError(f"from_dict: data must be a dict, got {_short(data)}")
    _check(data, "schedule", 0, [0])
    version = data.get("format", FORMAT)
    if version != FORMAT or isinstance(version, bool):
        raise ValueError(f"from_dict: format must be {FORMAT}, got {version!r}")
    return _build(data, "schedule", top=True)


def _short(value: Any) -> str:
    if isinstance(value, int) and value.bit_length() > MAX_BITS:
        return f"an integer of about {int(value.bit_length() * 0.30103)} digits"
    try:
        text = repr(value)
    except Exception:  # a repr that fails
        text = f"a {type(value).__name__}"
    return text if len(text) <= 200 else text[:197] + "..."


def _check(value: Any, path: str, depth: int, count: list[int]) -> None:
    """Refuse data that is not plain, or too large, before anything is built from it."""
    count[0] += 1
    if count[0] > MAX_NODES:
        raise ValueError(f"from_dict: data must hold at most {MAX_NODES} values, at {_where(path)}")
    if depth > MAX_DEPTH:
        raise ValueError(f"from_dict: {_where(path)} is nested deeper than {MAX_DEPTH} levels")
    kind = type(value)
    if kind is float or kind is bool or value is None:
        return
    if kind is int:
        if value.bit_length() > MAX_BITS:
            raise ValueError(
                f"from_dict: {path} must be a number within float's range, got {_short(value)}"
            )
        return
    if kind is str:
        if len(value) > MAX_STRING:
            raise ValueError(
                f"from_dict: {path} must be a string of at most {MAX_STRING} characters, "
                f"got {len(value)} characters"
            )
        return
    if kind is dict:
        if len(value) > MAX_ITEMS:
            raise ValueError(f"from_dict: {path} must have at most {MAX_ITEMS} keys")
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError(f"from_dict: {path} must have string keys, got {_short(key)}")
            if len(key) > MAX_STRING:
                raise ValueError(f"from_dict: {path} has a key longer than {MAX_STRING} characters")
            _check(item, _child(path, key), depth + 1, count)
        return
    if kind is list or kind is tuple:
        if len(value) > MAX_ITEMS:
            raise ValueError(
                f"from_dict: {path} must have at most {MAX_ITEMS} items, got {len(value)}"
            )
        for i, item in enumerate(value):
            _check(item, f"{path}[{i}]", depth + 1, count)
        return
    raise TypeError(
        f"from_dict: {path} must be a dict, list, string, number, bool or None, got {_short(value)}"
    )


def _where(path: str) -> str:
    """`path`, shortened in the middle when long (64 levels of ``.schedule`` are not read)."""
    return path if len(path) <= 120 else f"{path[:50]}...{path[-60:]}"


def _child(path: str, key: str) -> str:
    return f"{path}.{key}" if key.isidentifier() else f"{path}[{key!r}]"


def _build(data: dict[str, Any], path: str, *, top: bool = False) -> Schedule:
    kind = data.get("type")
    cls = _REGISTRY.get(kind) if type(kind) is str else None
    if cls is None:
        known = ", ".join(sorted(_REGISTRY))
        raise ValueError(f"from_dict: {path}.type must be one of {known}, got {_short(kind)}")
    fields = [f for f in dataclasses.fields(cls) if f.init]  # type: ignore[arg-type]
    names = {f.name for f in fields}
    reserved = ("type", "format") if top else ("type",)
    unknown = [k for k in data if k not in names and k not in reserved]
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        listed = ", ".join(repr(k) for k in unknown)
        allowed = ", ".join(f.name for f in fields)
        raise ValueError(
            f"from_dict: {path} has unknown key{plural} {listed} for {kind} "
            f"(its parameters: {allowed})"
        )
    missing = [f.name for f in fields if f.name not in data and _required(cls, f.name)]
    if missing:
        raise TypeError(
            f"from_dict: {path} ({kind}) is missing {', '.join(repr(m) for m in missing)}"
        )
    kwargs = {k: _unjson(v, _child(path, k)) for k, v in data.items() if k not in reserved}
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as error:
        # "Cosine: steps must be ..." becomes "from_dict: schedule.steps must be ..."
        text = str(error)
        rest = text[len(cls.__name__) + 2 :] if text.startswith(f"{cls.__name__}: ") else ""
        field = rest.split(" ", 1)[0].split("[", 1)[0].split(".", 1)[0]
        where = f"{path}.{rest}" if field in names else f"{path}: {text}"
        raise type(error)(f"from_dict: {where}") from None
    except ArithmeticError as error:  # never an OverflowError from a checkpoint
        raise ValueError(f"from_dict: {path}: {kind}: {error}") from None


def _unjson(value: Any, path: str) -> Any:
    if isinstance(value, dict):
        return _build(value, path)
    if isinstance(value, (list, tuple)):
        return tuple(_unjson(v, f"{path}[{i}]") for i, v in enumerate(value))
    return value
