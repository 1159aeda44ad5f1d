"""Plateau: a learning rate cut when a metric stops improving, recorded as a schedule.

A plateau scheduler (PyTorch ``ReduceLROnPlateau``, timm ``PlateauLRScheduler``,
Transformers ``get_reduce_on_plateau_schedule``) depends on the metric, not on the step, so
it is not a :class:`~annealing.Schedule`. :class:`Plateau` takes the metric at each
``.step(metric)``, makes PyTorch's decisions exactly (the same comparisons in the same order),
records the steps at which it cut, and gives the run so far as a :class:`~annealing.Piecewise`
(:meth:`Plateau.schedule`) that replays, plots and resumes exactly. Its state is data:
:meth:`Plateau.to_dict` / :meth:`Plateau.from_dict` (JSON, no pickle). It imports no framework.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from . import _validate as v
from .piecewise import Piecewise

FORMAT = 1
_OWNER = "Plateau"
_CONFIG = (
    "lr",
    "mode",
    "factor",
    "patience",
    "threshold",
    "threshold_mode",
    "cooldown",
    "min_lr",
    "eps",
    "warmup_t",
    "warmup_lr_init",
)
_STATE = ("step", "current", "best", "num_bad_epochs", "cooldown_counter", "points", "cuts")


def _fail(name: str, allowed: str, value: Any, exc: type[Exception] = ValueError) -> Any:
    raise exc(f"{_OWNER}: {name} must be {allowed}, got {v.show(value)}")


def _real(
    name: str, value: Any, low: float, high: float | None = None, open_high: bool = False
) -> float:
    if high is None:
        allowed = f"a finite number >= {low:g}"
    else:
        allowed = f"a finite number in [{low:g}, {high:g}{')' if open_high else ']'}"
    x = v.real(_OWNER, name, value, allowed=allowed)
    if (
        not math.isfinite(x)
        or x < low
        or (high is not None and (x > high or (open_high and x == high)))
    ):
        _fail(name, allowed, value)
    return x


def _count(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(name, "an integer >= 0", value, TypeError)
    if value < 0 or value > 2**53:
        _fail(name, "an integer >= 0 (at most 2**53)", value)
    return int(value)


def _choice(name: str, value: Any, options: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in options:
        exc = ValueError if isinstance(value, str) else TypeError
        _fail(name, "one of " + ", ".join(repr(o) for o in options), value, exc)
    return str(value)


def _float_out(x: float) -> float | str:
    """A float as JSON takes it: infinities as the strings "inf" and "-inf"."""
    return x if math.isfinite(x) else ("inf" if x > 0 else "-inf")


def _float_in(name: str, value: Any) -> float:
    if isinstance(value, str) and value in ("inf", "-inf"):  # (an array's == is an array)
        return math.inf if value == "inf" else -math.inf
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        _fail(name, 'a number, "inf" or "-inf"', value, TypeError)
    if isinstance(value, int) and abs(value) > v.MAX:  # float() of it overflows
        _fail(name, 'a number within float range, "inf" or "-inf"', value)
    if math.isnan(value):
        _fail(name, 'a number, "inf" or "-inf"', value, TypeError)
    return float(value)


class Plateau:
    r"""PyTorch's ``ReduceLROnPlateau`` for one parameter group, as a pure adapter.

    After each ``step(metric)`` (one call per epoch, or per evaluation), the metric is
    *better* than the best so far when ``metric < best·(1 − threshold)`` (``mode="min"``,
    ``threshold_mode="rel"``), ``metric < best − threshold`` (min, abs),
    ``metric > best·(1 + threshold)`` (max, rel) or ``metric > best + threshold`` (max, abs).
    After more than `patience` steps in a row that are not better (and none in cooldown), the
    rate becomes ``max(lr·factor, min_lr)`` — kept only if it falls by more than `eps` —
    and the next `cooldown` steps do not count. A NaN metric is never better, as in PyTorch.

    The cut decisions do not depend on the rate, so one :class:`Plateau` per parameter group,
    given the same metrics, reproduces PyTorch's several groups (each with its `min_lr`).

    With `warmup_t` > 0 (timm ``PlateauLRScheduler``) the rate rises from `warmup_lr_init`
    to `lr` over the first `warmup_t` steps, by timm's formula
    ``warmup_lr_init + k·(lr − warmup_lr_init)/warmup_t``, and the metric of those steps
    is ignored (a warmup that falls to 0 is held at 0 where timm's sum rounds below it).

    Step ``t`` counts the calls of :meth:`step`: :attr:`lr` after ``t`` calls is the rate of
    epoch ``t``, and :meth:`schedule` gives ``t -> rate`` for every step so far (then holds).

    >>> p = Plateau(1.0, patience=1)
    >>> [p.step(m) for m in (5.0, 4.0, 4.0, 4.0, 3.0, 3.0, 3.0)]
    [1.0, 1.0, 1.0, 0.1, 0.1, 0.1, 0.010000000000000002]
    >>> p.cuts
    (4, 7)
    >>> p.schedule()(4), Plateau.from_dict(p.to_dict()).lr
    (0.1, 0.010000000000000002)
    """

    def __init__(
        self,
        lr: float,
        *,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: float = 0.0,
        eps: float = 1e-8,
        warmup_t: int = 0,
        warmup_lr_init: float = 0.0,
    ) -> None:
        self.base_lr = _real("lr", lr, 0.0)
        self.mode = _choice("mode", mode, ("min", "max"))
        self.factor = _real("factor", factor, 0.0, 1.0, open_high=True)
        self.patience = _count("patience", patience)
        self.threshold = _real("threshold", threshold, 0.0)
        self.threshold_mode = _choice("threshold_mode", threshold_mode, ("rel", "abs"))
        self.cooldown = _count("cooldown", cooldown)
        self.min_lr = _real("min_lr", min_lr, 0.0)
        self.eps = _real("eps", eps, 0.0)
        self.warmup_t = _count("warmup_t", warmup_t)
        self.warmup_lr_init = _real("warmup_lr_init", warmup_lr_init, 0.0)
        # timm's warmup increment, computed once as timm computes it
        self._warmup_step = (
            (self.base_lr - self.warmup_lr_init) / self.warmup_t if self.warmup_t else 0.0
        )
        self.step_count = 0
        self.lr = self.warmup_lr_init if self.warmup_t else self.base_lr
        self.best = math.inf if self.mode == "min" else -math.inf
        self.num_bad_epochs = 0
        self.cooldown_counter = 0
        self._points: list[tuple[int, float]] = [(0, self.lr)]
        self._cuts: list[int] = []

    def __repr__(self) -> str:
        return (
            f"Plateau(lr={self.base_lr!r}, mode={self.mode!r}, factor={self.factor!r}, "
            f"patience={self.patience!r}, threshold={self.threshold!r}, "
            f"threshold_mode={self.threshold_mode!r}, cooldown={self.cooldown!r}, "
            f"min_lr={self.min_lr!r}, eps={self.eps!r}, warmup_t={self.warmup_t!r}, "
            f"warmup_lr_init={self.warmup_lr_init!r}) after {self.step_count} steps, lr={self.lr!r}"
        )

    def _is_better(self, a: float) -> bool:
        best = self.best
        if self.mode == "min" and self.threshold_mode == "rel":
            return a < best * (1.0 - self.threshold)
        if self.mode == "min":
            return a < best - self.threshold
        if self.threshold_mode == "rel":
            return a > best * (self.threshold + 1.0)
        return a > best + self.threshold

    def step(self, metric: float) -> float:
        """Take the metric of one more epoch; return the rate of the next one (:attr:`lr`)."""
        boolean = str(getattr(metric, "dtype", "")) in ("bool", "torch.bool")  # 0-d arrays
        if isinstance(metric, (str, bytes)) or metric is None or v._refused_kind(metric) or boolean:
            raise TypeError(f"{_OWNER}: metric must be a number, got {v.show(metric)}")
        try:
            current = float(metric)
        except OverflowError:  # 10**400: a number, beyond float range
            raise ValueError(
                f"{_OWNER}: metric must be a number within float range, got {v.show(metric)}"
            ) from None
        except (TypeError, ValueError):
            raise TypeError(f"{_OWNER}: metric must be a number, got {v.show(metric)}") from None
        self.step_count += 1
        k = self.step_count
        old = self.lr
        if k <= self.warmup_t:  # timm: the warmup sets the rate, the metric is not looked at
            # a falling warmup to lr = 0 can round below 0 (0.3 + 3 * -0.1): a rate is >= 0
            self.lr = max(self.warmup_lr_init + k * self._warmup_step, 0.0)
        else:
            if self._is_better(current):
                self.best = current
                self.num_bad_epochs = 0
            else:
                self.num_bad_epochs += 1
            if self.cooldown_counter > 0:
                self.cooldown_counter -= 1
                self.num_bad_epochs = 0
            if self.num_bad_epochs > self.patience:
                new = max(self.lr * self.factor, self.min_lr)
                if self.lr - new > self.eps:
                    self.lr = new
                    self._cuts.append(k)
                self.cooldown_counter = self.cooldown
                self.num_bad_epochs = 0
        if self.lr != old:
            self._points.append((k, self.lr))
        return self.lr

    @property
    def cuts(self) -> tuple[int, ...]:
        """The steps after which the rate was cut (the calls of :meth:`step`, from 1)."""
        return tuple(self._cuts)

    def schedule(self) -> Piecewise:
        """The rates so far as a schedule: step ``t`` -> the rate after ``t`` calls of
        :meth:`step` (held at the current rate after the last one)."""
        return Piecewise(tuple(self._points))

    # ------------------------------------------------------------------------ state as data

    def to_dict(self) -> dict[str, Any]:
        """The configuration and the state, JSON-safe (infinities as "inf"/"-inf")."""
        return {
            "format": FORMAT,
            "type": "Plateau",
            "lr": self.base_lr,
            "mode": self.mode,
            "factor": self.factor,
            "patience": self.patience,
            "threshold": self.threshold,
            "threshold_mode": self.threshold_mode,
            "cooldown": self.cooldown,
            "min_lr": self.min_lr,
            "eps": self.eps,
            "warmup_t": self.warmup_t,
            "warmup_lr_init": self.warmup_lr_init,
            "step": self.step_count,
            "current": self.lr,
            "best": _float_out(self.best),
            "num_bad_epochs": self.num_bad_epochs,
            "cooldown_counter": self.cooldown_counter,
            "points": [[k, x] for k, x in self._points],
            "cuts": list(self._cuts),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plateau:
        """Rebuild a :class:`Plateau` from :meth:`to_dict`; every field is checked.

        >>> Plateau.from_dict({"type": "Plateau", "lr": 0.1, "patience": -1})
        Traceback (most recent call last):
        ...
        ValueError: Plateau: patience must be an integer >= 0 (at most 2**53), got -1
        """
        if not isinstance(data, dict):
            raise TypeError(f"{_OWNER}: data must be a dict, got {v.show(data)}")
        kind, form = data.get("type", "Plateau"), data.get("format", FORMAT)
        if not (type(kind) is str and kind == "Plateau" and type(form) is int and form == FORMAT):
            raise ValueError(
                f"{_OWNER}: data must have type 'Plateau' and format {FORMAT}, "
                f"got type {v.show(data.get('type'))}, format {v.show(data.get('format'))}"
            )
        unknown = sorted(str(k) for k in data if k not in (*_CONFIG, *_STATE, "type", "format"))
        if unknown:
            raise ValueError(f"{_OWNER}: data has unknown keys {unknown}")
        if "lr" not in data:
            raise TypeError(f"{_OWNER}: data is missing 'lr'")
        plateau = cls(data["lr"], **{k: data[k] for k in _CONFIG[1:] if k in data})
        if "step" not in data:
            return plateau
        missing = [k for k in _STATE if k not in data]
        if missing:
            raise TypeError(f"{_OWNER}: data holds a state without {missing}")
        plateau.step_count = _count("step", data["step"])
        plateau.lr = _real("current", data["current"], 0.0)
        plateau.best = _float_in("best", data["best"])
        plateau.num_bad_epochs = _count("num_bad_epochs", data["num_bad_epochs"])
        plateau.cooldown_counter = _count("cooldown_counter", data["cooldown_counter"])
        points, cuts = data["points"], data["cuts"]
        if not isinstance(points, (list, tuple)) or not points:
            _fail("points", "a non-empty list of [step, rate] pairs", points, TypeError)
        pairs = []
        for i, p in enumerate(points):
            if not isinstance(p, (list, tuple)) or len(p) != 2:
                _fail(f"points[{i}]", "a [step, rate] pair", p, TypeError)
            pairs.append((_count(f"points[{i}] step", p[0]), _real(f"points[{i}] rate", p[1], 0.0)))
        steps = [k for k, _ in pairs]
        if (
            steps[0] != 0
            or any(b <= a for a, b in itertools.pairwise(steps))
            or steps[-1] > plateau.step_count
        ):
            _fail("points", "pairs from step 0, increasing, up to step", points)
        if pairs[-1][1] != plateau.lr:
            _fail("current", f"the rate of the last point ({pairs[-1][1]!r})", plateau.lr)
        if not isinstance(cuts, (list, tuple)):
            _fail("cuts", "a list of steps", cuts, TypeError)
        marks = [_count(f"cuts[{i}]", c) for i, c in enumerate(cuts)]
        if any(c not in steps[1:] for c in marks) or marks != sorted(set(marks)):
            _fail("cuts", "increasing steps of points", cuts)
        plateau._points = pairs
        plateau._cuts = marks
        return plateau
