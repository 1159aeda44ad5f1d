"""timm's schedulers (``timm.scheduler``) as ``annealing`` schedules.

Each function has the timm class's name and arguments, with the optimizer replaced by
``lr`` (the parameter group's initial rate); noise is not reproduced (leave
``noise_range_t=None``). The value at ``t`` is what timm's ``_get_lr(t)`` returns, i.e. what
``step(t)`` / ``step_update(t)`` set. This module is pure arithmetic: it does not import timm.

Conventions reproduced: without ``warmup_prefix`` the warmup *replaces* the first
``warmup_t`` steps of the schedule (the cosine clock starts at 0, so at ``t = warmup_t`` the
rate is already below ``lr``); ``cycle_decay`` multiplies the peak, not the floor
``lr_min``; after ``cycle_limit`` cycles the value holds ``lr_min``; ``MultiStepLRScheduler``
decays one step *before* each milestone. Difference: timm finds the cycle with a
floating-point logarithm when ``cycle_mul != 1`` and puts some restarts (``cycle_mul=3``,
``t_initial=1``, t = 121) at the end of the previous cycle; the restarts here are exact.

>>> from annealing.compat import timm as tm
>>> s = tm.CosineLRScheduler(1.0, t_initial=100, warmup_t=10)
>>> round(s(10), 6)
0.975528
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..constant import Constant
from ..cosine import Cosine
from ..linear import Linear, Polynomial
from ..plateau import Plateau
from ..restarts import Restarts
from ..schedule import Schedule
from ..sequence import Sequence
from ..step import MultiStep, Step
from ..tanh import Tanh
from ..warp import Offset, Warp
from . import _args as a

__all__ = [
    "CosineLRScheduler",
    "MultiStepLRScheduler",
    "PlateauLRScheduler",
    "PolyLRScheduler",
    "StepLRScheduler",
    "TanhLRScheduler",
    "TimmWSD",
    "WSDLRScheduler",
    "create_scheduler_v2",
]

_MAX_CYCLES = 100_000


def _warmup(
    owner: str,
    schedule: Schedule,
    lr: float,
    warmup_t: Any,
    warmup_lr_init: Any,
    warmup_prefix: Any,
    target: float | None = None,
) -> Schedule:
    """timm's warmup: a line from `warmup_lr_init` to `target` (default `lr`); with
    `warmup_prefix` the schedule starts after it, else its own clock runs through it."""
    start = a.rate(owner, "warmup_lr_init", warmup_lr_init)
    prefix = a.flag(owner, "warmup_prefix", warmup_prefix)
    warmup = a.steps(owner, "warmup_t", warmup_t, infinite=True)
    if warmup <= 0:
        return schedule
    if math.isinf(warmup):
        return Constant(start)  # t < inf always: warmup_lr_init + t · (lr − init)/inf
    after = schedule if prefix else Offset(schedule, warmup)
    if not warmup + float(after.steps or 0.0) <= 1e308:
        raise ValueError(
            f"{owner}: warmup_t and the cycles after it must end within float range, got "
            f"warmup_t={warmup!r} and {after.steps!r} steps of cycles"
        )
    ramp = Linear(start, lr if target is None else target, warmup)
    return Sequence((ramp, after), boundaries=(warmup,))


def _limit(owner: str, cycle_limit: Any, steps: float, mult: float) -> int | None:
    """timm's ``i < cycle_limit`` as a number of cycles (None: no limit)."""
    if isinstance(cycle_limit, float) and math.isinf(cycle_limit) and cycle_limit > 0:
        return None
    if (
        isinstance(cycle_limit, int)
        and not isinstance(cycle_limit, bool)
        and abs(cycle_limit) <= 2**53
    ):
        n = cycle_limit
    else:
        x = a.real(owner, "cycle_limit", cycle_limit, infinite=True)
        n = 0 if x <= 0 else math.ceil(x)
    if n <= _MAX_CYCLES:
        return n
    if mult > 1 and math.log(1e300 / steps) / math.log(mult) < _MAX_CYCLES:
        return None  # the last cycle would end beyond float range: no finite step sees it
    raise ValueError(
        f"{owner}: cycle_limit must be at most {_MAX_CYCLES} cycles (or infinite), "
        f"got {a._show(cycle_limit)}"
    )


def _cycles(
    owner: str,
    cycle: Schedule,
    steps: float,
    lr_min: float,
    cycle_mul: Any,
    cycle_decay: Any,
    cycle_limit: Any,
    k_decay: Any = 1.0,
) -> Schedule:
    mult = a.real(owner, "cycle_mul", cycle_mul, low=1.0)
    decay = a.real(owner, "cycle_decay", cycle_decay, low=0.0, low_open=True)
    k = a.real(owner, "k_decay", k_decay, low=0.0)
    limit = _limit(owner, cycle_limit, steps, mult)
    if limit is not None and limit <= 0:
        return Constant(lr_min)
    if k == 0.0:
        return Constant(lr_min)  # t**0 / T**0 == 1: every cycle is at its end
    k = a.real(owner, "k_decay", k, low=0.0, low_open=True)
    if decay > 1 and limit is None:
        raise ValueError(
            f"{owner}: cycle_decay > 1 needs a finite cycle_limit (each cycle higher without "
            f"end overflows), got cycle_decay={decay!r}, cycle_limit={a._show(cycle_limit)}"
        )
    if limit is not None and limit > 1:
        try:
            span = steps * (limit if mult == 1 else (mult**limit - 1) / (mult - 1))
        except OverflowError:
            span = math.inf
        if not span < 1e300:
            raise ValueError(
                f"{owner}: t_initial, cycle_mul and cycle_limit must give cycles that end "
                f"below 1e300 steps, got t_initial={steps!r}, cycle_mul={mult!r}, "
                f"cycle_limit={a._show(cycle_limit)}"
            )
        top = max(cycle(0.0), lr_min, 1e-300)
        if decay > 1 and (limit - 1) * math.log(decay) > min(690.0, math.log(1e300 / top)):
            raise ValueError(
                f"{owner}: cycle_decay ** (cycle_limit - 1) must stay below 1e300, got "
                f"cycle_decay={decay!r}, cycle_limit={a._show(cycle_limit)}"
            )
    if k != 1.0:
        cycle = Warp(cycle, k)
    if limit == 1 and decay == 1 and getattr(cycle, "_anchors", None) is None:
        # one cycle, then its end held: the cycle itself (one call fewer a step); a cycle
        # with anchors (Tanh) holds the anchor, not its value at the end, so keeps Restarts
        return cycle
    return Restarts(cycle, mult=mult, peak_decay=decay, limit=limit)


def _common(owner: str, lr: Any, t_initial: Any, lr_min: Any) -> tuple[float, float, float]:
    return (
        a.rate(owner, "lr", lr),
        a.length(owner, "t_initial", t_initial),
        a.rate(owner, "lr_min", lr_min),
    )


@a.checked("CosineLRScheduler")
def CosineLRScheduler(
    lr: float,
    t_initial: int,
    lr_min: float = 0.0,
    cycle_mul: float = 1.0,
    cycle_decay: float = 1.0,
    cycle_limit: int = 1,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = False,
    k_decay: float = 1.0,
) -> Schedule:
    """``CosineLRScheduler``: cosine cycles from ``lr · cycle_decay^i`` to `lr_min`.

    >>> s = CosineLRScheduler(1.0, t_initial=10, lr_min=0.1, cycle_decay=0.5, cycle_limit=2)
    >>> s(10), s(20)
    (0.5, 0.1)
    """
    owner = "CosineLRScheduler"
    lr, steps, lr_min = _common(owner, lr, t_initial, lr_min)
    cycle = Cosine(lr, lr_min, steps)
    schedule = _cycles(owner, cycle, steps, lr_min, cycle_mul, cycle_decay, cycle_limit, k_decay)
    return _warmup(owner, schedule, lr, warmup_t, warmup_lr_init, warmup_prefix)


@a.checked("PolyLRScheduler")
def PolyLRScheduler(
    lr: float,
    t_initial: int,
    power: float = 0.5,
    lr_min: float = 0.0,
    cycle_mul: float = 1.0,
    cycle_decay: float = 1.0,
    cycle_limit: int = 1,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = False,
    k_decay: float = 1.0,
) -> Schedule:
    """``PolyLRScheduler``: polynomial cycles (note the class default ``power=0.5``; timm's
    factory passes ``decay_rate``, 0.1 by default, as the power).

    >>> PolyLRScheduler(1.0, t_initial=4, power=2.0)(2)
    0.25
    """
    owner = "PolyLRScheduler"
    lr, steps, lr_min = _common(owner, lr, t_initial, lr_min)
    power = a.real(owner, "power", power, low=0.0, low_open=True)
    cycle = Polynomial(lr, lr_min, steps, power)
    schedule = _cycles(owner, cycle, steps, lr_min, cycle_mul, cycle_decay, cycle_limit, k_decay)
    return _warmup(owner, schedule, lr, warmup_t, warmup_lr_init, warmup_prefix)


@a.checked("TanhLRScheduler")
def TanhLRScheduler(
    lr: float,
    t_initial: int,
    lb: float = -7.0,
    ub: float = 3.0,
    lr_min: float = 0.0,
    cycle_mul: float = 1.0,
    cycle_decay: float = 1.0,
    cycle_limit: int = 1,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = False,
) -> Schedule:
    """``TanhLRScheduler``: hyperbolic-tangent cycles between the levels `lr` and `lr_min`.

    Unlike timm's other schedulers, its warmup without ``warmup_prefix`` rises to the
    schedule's value at ``warmup_t`` (so it joins the curve), not to `lr`. As in timm,
    ``lb < ub``, ``cycle_limit >= 0`` and ``warmup_t >= 0``.

    >>> round(TanhLRScheduler(1.0, t_initial=10)(7), 12)
    0.5
    """
    owner = "TanhLRScheduler"
    lr, steps, lr_min = _common(owner, lr, t_initial, lr_min)
    lb = a.steps(owner, "lb", lb, low=None)
    ub = a.steps(owner, "ub", ub, low=None)
    if not lb < ub:
        raise ValueError(f"TanhLRScheduler: lb must be below ub, got lb={lb!r}, ub={ub!r}")
    a.real(owner, "cycle_limit", cycle_limit, low=0.0, infinite=True)
    cycle = Tanh(lr, lr_min, steps, lb, ub)
    schedule = _cycles(owner, cycle, steps, lr_min, cycle_mul, cycle_decay, cycle_limit)
    warmup = a.steps(owner, "warmup_t", warmup_t, infinite=True)
    prefix = a.flag(owner, "warmup_prefix", warmup_prefix)
    target = None if prefix or not 0 < warmup < math.inf else schedule(warmup)
    return _warmup(owner, schedule, lr, warmup, warmup_lr_init, prefix, target)


def _decay_rate(owner: str, decay_rate: Any) -> float:
    """A factor per decay in [0, 1] (above 1 the rate grows without bound)."""
    return a.real(owner, "decay_rate", decay_rate, low=0.0, high=1.0)


@a.checked("StepLRScheduler")
def StepLRScheduler(
    lr: float,
    decay_t: float,
    decay_rate: float = 1.0,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = True,
) -> Schedule:
    """``StepLRScheduler``: ``lr · decay_rate^⌊t / decay_t⌋`` (note ``warmup_prefix=True``).

    >>> StepLRScheduler(1.0, decay_t=10, decay_rate=0.5)(10)
    0.5
    """
    owner = "StepLRScheduler"
    lr = a.rate(owner, "lr", lr)
    every = a.length(owner, "decay_t", decay_t, infinite=True)
    rate = _decay_rate(owner, decay_rate)
    schedule = Constant(lr) if math.isinf(every) else Step(lr, every, rate)
    return _warmup(owner, schedule, lr, warmup_t, warmup_lr_init, warmup_prefix)


@a.checked("MultiStepLRScheduler")
def MultiStepLRScheduler(
    lr: float,
    decay_t: Iterable[int],
    decay_rate: float = 1.0,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = True,
) -> Schedule:
    """``MultiStepLRScheduler``: decays at ``m − 1`` for each milestone ``m`` (timm counts
    ``bisect_right(decay_t, t + 1)``), one step earlier than PyTorch's ``MultiStepLR``.
    The milestones must be finite and in order (timm bisects the list as given).

    >>> s = MultiStepLRScheduler(1.0, decay_t=[10], decay_rate=0.5)
    >>> s(8), s(9)
    (1.0, 0.5)
    """
    owner = "MultiStepLRScheduler"
    lr = a.rate(owner, "lr", lr)
    marks = [
        a.real(owner, f"decay_t[{i}]", m)
        for i, m in enumerate(a.sequence(owner, "decay_t", decay_t))
    ]
    if any(marks[i + 1] < marks[i] for i in range(len(marks) - 1)):
        raise ValueError(f"{owner}: decay_t must be in increasing order, got {decay_t!r}")
    milestones = tuple(max(m - 1.0, 0.0) for m in marks)
    schedule = MultiStep(lr, milestones, _decay_rate(owner, decay_rate))
    return _warmup(owner, schedule, lr, warmup_t, warmup_lr_init, warmup_prefix)


def PlateauLRScheduler(
    lr: float,
    decay_rate: float = 0.1,
    patience_t: int = 10,
    threshold: float = 1e-4,
    cooldown_t: int = 0,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    lr_min: float = 0.0,
    mode: str = "max",
) -> Plateau:
    """timm ``PlateauLRScheduler`` (deprecated in timm): an :class:`annealing.plateau.Plateau`.

    timm wraps PyTorch's ``ReduceLROnPlateau`` (`decay_rate` is its factor, `patience_t`
    its patience, `cooldown_t` its cooldown, `lr_min` its floor; note ``mode="max"`` by
    default) after a linear warmup of `warmup_t` epochs from `warmup_lr_init`, whose metrics
    are ignored. Call ``.step(metric)`` where timm's loop calls ``step(epoch + 1, metric)``.
    Noise is not reproduced.

    >>> p = PlateauLRScheduler(0.1, patience_t=0, warmup_t=2, warmup_lr_init=0.0, mode="min")
    >>> p.lr, p.step(1.0), p.step(1.0), p.step(1.0), p.step(1.0)
    (0.0, 0.05, 0.1, 0.1, 0.010000000000000002)
    """
    try:
        return Plateau(
            lr, mode=mode, factor=decay_rate, patience=patience_t, threshold=threshold,
            cooldown=cooldown_t, min_lr=lr_min, warmup_t=warmup_t, warmup_lr_init=warmup_lr_init,
        )  # fmt: skip
    except (TypeError, ValueError) as error:
        text = str(error).removeprefix("Plateau: ")
        for ours, theirs in (("factor", "decay_rate"), ("patience", "patience_t"),
                             ("cooldown", "cooldown_t"), ("min_lr", "lr_min")):  # fmt: skip
            if text.startswith(ours + " "):
                text = theirs + text[len(ours) :]
        raise type(error)(f"PlateauLRScheduler: {text}") from None


_STABLE_FNS = ("constant", "rsqrt", "power")
_DECAY_FNS = ("linear", "1-sqrt", "cosine", "power", "exp")


@dataclass(frozen=True, repr=False)
class TimmWSD(Schedule):
    r"""timm's ``WSDLRScheduler`` formula: a warmup, a stable phase, a decay to `lr_min`.

    .. math::
        \begin{aligned}
        \eta_t &= \eta_{min} + (\max(\eta\,s(t_s), \eta_{min}) - \eta_{min}) \\
          &\quad \cdot d(f), \\
        t_s &= t - w, \\
        f &= \min(1, (t_s - (T - D))/D)
        \end{aligned}

    before the decay (:math:`t_s \le T - D`) the stable value alone, and before `warmup_t`
    timm's line ``warmup_lr_init + t·(lr − warmup_lr_init)/warmup_t``. The stable function
    :math:`s` is 1 (``"constant"``) or :math:`(1 + t_s/\tau)^{-p}` (``"rsqrt"``: p = 1/2,
    ``"power"``: p = `stable_power`); the decay :math:`d` is ``1 − f`` (``"linear"``),
    ``1 − √f`` (``"1-sqrt"``), ``(1 + cos πf)/2`` (``"cosine"``), ``1 − f^q``
    (``"power"``, q = `decay_power`) or ``(r^f − r)/(1 − r)`` (``"exp"``, r = `decay_ratio`).
    Built by :func:`WSDLRScheduler`, which checks the arguments as timm does.

    >>> s = TimmWSD(1.0, t_initial=10, decay_t=4, decay_fn="linear")
    >>> [s(t) for t in (0, 6, 8, 10)]
    [1.0, 1.0, 0.5, 0.0]
    """

    lr: float
    t_initial: float
    decay_t: float
    lr_min: float = 0.0
    stable_fn: str = "constant"
    stable_timescale: float | None = None
    stable_power: float = 0.5
    decay_fn: str = "1-sqrt"
    decay_power: float = 0.5
    decay_ratio: float = 0.1
    warmup_t: float = 0.0
    warmup_lr_init: float = 0.0

    def __post_init__(self) -> None:
        o = "TimmWSD"
        t_initial = a.length(o, "t_initial", self.t_initial)
        decay_t = a.real(
            o, "decay_t", self.decay_t, low=0.0, low_open=True, high=t_initial,
            allowed=f"a number in (0, t_initial] (t_initial={t_initial!r})",
        )  # fmt: skip
        stable_fn = a.option(o, "stable_fn", self.stable_fn, _STABLE_FNS)
        timescale = self.stable_timescale
        if stable_fn != "constant":
            given = self.warmup_t if timescale is None else timescale
            timescale = a.real(
                o, "stable_timescale", given, low=0.0, low_open=True,
                allowed="a number > 0 (it defaults to warmup_t, which is 0 here)"
                if timescale is None else None,
            )  # fmt: skip
        elif timescale is not None:
            timescale = a.real(o, "stable_timescale", timescale)
        warmup = a.steps(o, "warmup_t", self.warmup_t)
        store: dict[str, Any] = {
            "lr": a.rate(o, "lr", self.lr),
            "t_initial": t_initial,
            "decay_t": decay_t,
            "lr_min": a.rate(o, "lr_min", self.lr_min),
            "stable_fn": stable_fn,
            "stable_timescale": timescale if self.stable_timescale is not None else None,
            "stable_power": a.length(o, "stable_power", self.stable_power),
            "decay_fn": a.option(o, "decay_fn", self.decay_fn, _DECAY_FNS),
            "decay_power": a.length(o, "decay_power", self.decay_power),
            "decay_ratio": a.real(
                o,
                "decay_ratio",
                self.decay_ratio,
                low=0.0,
                low_open=True,
                high=1.0,
                high_open=True,
            ),
            "warmup_t": warmup,
            "warmup_lr_init": a.rate(o, "warmup_lr_init", self.warmup_lr_init),
        }
        if not t_initial + warmup <= 1e300:
            raise ValueError(
                f"{o}: warmup_t + t_initial must be at most 1e300, got warmup_t={warmup!r}, "
                f"t_initial={t_initial!r}"
            )
        for key, value in store.items():
            object.__setattr__(self, key, value)
        object.__setattr__(self, "_timescale", timescale)

    def _peak(self) -> float:
        return max(self.lr, self.lr_min, self.warmup_lr_init)

    @property
    def steps(self) -> float:
        """``warmup_t + t_initial``: `lr_min` holds from there on."""
        return self.warmup_t + self.t_initial

    def _decay(self, f: Any, xp: Any) -> Any:
        if self.decay_fn == "linear":
            return 1.0 - f
        if self.decay_fn == "1-sqrt":  # 1 - sqrt(f) as (1 - f)/(1 + sqrt(f)): no cancellation
            # at f -> 1, where torch's float64 sqrt (AVX-512) can be an ulp off math's
            return (1.0 - f) / (1.0 + xp.sqrt(f))
        if self.decay_fn == "cosine":  # (1 + cos(pi f))/2 as sin^2(pi (1 - f)/2): no
            # cancellation at f -> 1, where torch's cos and math's differ in the last digits
            return xp.sin((0.5 * math.pi) * (1.0 - f)) ** 2
        if self.decay_fn == "power":  # 1 - f**q as -expm1(q·ln f): no cancellation at f -> 1
            log_f = xp.log(xp.maximum(f, 5e-324))  # f = 0 (then 1) kept out of math.log
            return xp.where(f > 0, -xp.expm1(self.decay_power * log_f), 1.0)
        # (r**f - r)/(1 - r) as r·expm1((f - 1)·ln r)/(1 - r): the same value without the
        # cancellation near f = 1, where numpy's and math's powers (1 ulp apart) differed by 20%
        r = self.decay_ratio
        return xp.maximum(r * xp.expm1((f - 1.0) * math.log(r)) / (1.0 - r), 0.0)

    def _value(self, t: Any, xp: Any) -> Any:
        w = self.warmup_t
        ts = xp.maximum(t - w, 0.0)
        if self.stable_fn == "constant":  # timm floors even the constant at lr_min
            stable = xp.maximum(self.lr + 0.0 * ts, self.lr_min)
        else:
            power = 0.5 if self.stable_fn == "rsqrt" else self.stable_power
            timescale: float = self._timescale  # type: ignore[attr-defined]
            stable = xp.maximum(self.lr * (1.0 + ts / timescale) ** -power, self.lr_min)
        td = ts - (self.t_initial - self.decay_t)
        f = xp.minimum(xp.maximum(td, 0.0) / self.decay_t, 1.0)
        decayed = self.lr_min + (stable - self.lr_min) * self._decay(f, xp)
        value = xp.where(td <= 0, stable, xp.maximum(decayed, 0.0))
        if w > 0:
            # timm's init + t·((lr - init)/w), as init + (t/w)·(lr - init): (lr - init)/w
            # overflows for a tiny warmup_t (then 0·inf is NaN); t/w <= 1 here never does
            rise = (self.lr - self.warmup_lr_init) * (xp.minimum(t, w) / w)
            value = xp.where(t < w, self.warmup_lr_init + rise, value)
        return value


def WSDLRScheduler(
    lr: float,
    t_initial: int,
    decay_t: int,
    lr_min: float = 0.0,
    stable_fn: str = "constant",
    stable_timescale: float | None = None,
    stable_power: float = 0.5,
    decay_fn: str = "1-sqrt",
    decay_power: float = 0.5,
    decay_ratio: float = 0.1,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
) -> Schedule:
    """timm ``WSDLRScheduler`` (warmup, stable, decay): a :class:`TimmWSD`.

    timm's arguments (noise left out; a callable `decay_fn` is not supported: it would be
    code in a schedule). `lr_min` is reached at ``warmup_t + t_initial``, one step after
    timm's last scheduled step, as timm documents.

    >>> s = WSDLRScheduler(1.0, t_initial=100, decay_t=20, warmup_t=5)
    >>> s(0), s(5), s(80), round(s(95), 6), s(105)
    (0.0, 1.0, 1.0, 0.292893, 0.0)
    """
    if callable(decay_fn):
        raise TypeError(
            "WSDLRScheduler: decay_fn must be one of " + ", ".join(repr(d) for d in _DECAY_FNS)
            + " (a callable is code, and a schedule is data), got a callable"
        )  # fmt: skip
    try:
        return TimmWSD(
            lr, t_initial, decay_t, lr_min, stable_fn, stable_timescale, stable_power,
            decay_fn, decay_power, decay_ratio, warmup_t, warmup_lr_init,
        )  # fmt: skip
    except (TypeError, ValueError) as error:
        text = str(error).removeprefix("TimmWSD: ")
        raise type(error)(f"WSDLRScheduler: {text}") from None


_SCHEDS = (
    "cosine",
    "tanh",
    "step",
    "multistep",
    "poly",
    "wsd",
    "rsqrt",
    "constant",
    "plateau",
    "none",
)


def create_scheduler_v2(
    lr: float,
    sched: str = "cosine",
    num_epochs: int = 300,
    decay_epochs: float | None = None,
    decay_milestones: Iterable[int] = (90, 180, 270),
    cooldown_epochs: int = 0,
    patience_epochs: int = 10,
    decay_rate: float = 0.1,
    min_lr: float = 0.0,
    warmup_lr: float = 1e-5,
    warmup_epochs: int = 0,
    warmup_prefix: bool = False,
    cycle_mul: float = 1.0,
    cycle_decay: float = 0.1,
    cycle_limit: int = 1,
    k_decay: float = 1.0,
    decay_fn: str | None = None,
    stable_timescale: float | None = None,
    plateau_mode: str = "max",
    step_on_epochs: bool = True,
    updates_per_epoch: int = 0,
) -> tuple[Schedule | Plateau | None, int]:
    """timm ``create_scheduler_v2``: ``(schedule, num_epochs)`` for a scheduler name.

    timm's arguments and its choices: the name picks the class, lengths are in epochs or,
    with ``step_on_epochs=False``, multiplied by `updates_per_epoch` (the schedule then
    counts updates); ``num_epochs`` comes back as timm computes it (the cycles, the warmup
    prefix and `cooldown_epochs`). ``"plateau"`` gives a :class:`annealing.plateau.Plateau`,
    ``"none"`` gives ``None``. Noise is not reproduced (there is no `noise` argument).

    >>> s, n = create_scheduler_v2(0.1, "cosine", num_epochs=100, warmup_epochs=5)
    >>> n, s == CosineLRScheduler(0.1, 100, cycle_decay=0.1, warmup_t=5, warmup_lr_init=1e-5)
    (100, True)
    """
    try:
        return _by_name(
            lr, sched, num_epochs, decay_epochs, decay_milestones, cooldown_epochs,
            patience_epochs, decay_rate, min_lr, warmup_lr, warmup_epochs, warmup_prefix,
            cycle_mul, cycle_decay, cycle_limit, k_decay, decay_fn, stable_timescale,
            plateau_mode, step_on_epochs, updates_per_epoch,
        )  # fmt: skip
    except (TypeError, ValueError) as error:
        text = str(error)
        if text.startswith("create_scheduler_v2: "):
            raise
        raise type(error)(f"create_scheduler_v2: {text}") from None


def _by_name(
    lr: Any, sched: Any, num_epochs: Any, decay_epochs: Any, decay_milestones: Any,
    cooldown_epochs: Any, patience_epochs: Any, decay_rate: Any, min_lr: Any, warmup_lr: Any,
    warmup_epochs: Any, warmup_prefix: Any, cycle_mul: Any, cycle_decay: Any, cycle_limit: Any,
    k_decay: Any, decay_fn: Any, stable_timescale: Any, plateau_mode: Any, step_on_epochs: Any,
    updates_per_epoch: Any,
) -> tuple[Schedule | Plateau | None, int]:  # fmt: skip
    o = "create_scheduler_v2"
    sched = a.option(o, "sched", sched, _SCHEDS)
    if decay_epochs is None:
        decay_epochs = 0.2 if sched in ("wsd", "rsqrt") else 90
    per_epoch = a.flag(o, "step_on_epochs", step_on_epochs)
    epochs = a.whole(o, "num_epochs", num_epochs, minimum=0)
    warm_epochs = a.whole(o, "warmup_epochs", warmup_epochs, minimum=0)
    t_initial: Any = epochs
    warmup_t: Any = warm_epochs
    decay_t: Any = a.real(o, "decay_epochs", decay_epochs)
    milestones = [a.whole(o, f"decay_milestones[{i}]", m) for i, m in
                  enumerate(a.sequence(o, "decay_milestones", decay_milestones))]  # fmt: skip
    cooldown_t = a.whole(o, "cooldown_epochs", cooldown_epochs, minimum=0)
    timescale = stable_timescale
    updates = 1
    if not per_epoch:
        updates = a.whole(o, "updates_per_epoch", updates_per_epoch, minimum=1)
        t_initial, warmup_t, decay_t = t_initial * updates, warmup_t * updates, decay_t * updates
        milestones = [m * updates for m in milestones]
        cooldown_t *= updates
        if timescale is not None:
            timescale = a.real(o, "stable_timescale", timescale) * updates
    warm: dict[str, Any] = {
        "warmup_lr_init": warmup_lr,
        "warmup_t": warmup_t,
        "warmup_prefix": warmup_prefix,
    }
    cycles: dict[str, Any] = {
        "cycle_mul": cycle_mul,
        "cycle_decay": cycle_decay,
        "cycle_limit": cycle_limit,
    }
    schedule: Schedule | Plateau | None
    if sched == "cosine":
        schedule = CosineLRScheduler(lr, t_initial, min_lr, **cycles, **warm, k_decay=k_decay)
    elif sched == "tanh":
        schedule = TanhLRScheduler(lr, t_initial, lr_min=min_lr, **cycles, **warm)
    elif sched == "step":
        schedule = StepLRScheduler(lr, decay_t, decay_rate, **warm)
    elif sched == "constant":
        schedule = StepLRScheduler(lr, 1, 1.0, **warm)
    elif sched == "multistep":
        schedule = MultiStepLRScheduler(lr, milestones, decay_rate, **warm)
    elif sched == "plateau":
        if not per_epoch:
            raise ValueError(f"{o}: sched 'plateau' needs step_on_epochs=True, got False")
        schedule = PlateauLRScheduler(
            lr, decay_rate, a.whole(o, "patience_epochs", patience_epochs, minimum=0), 1e-4, 0,
            warmup_t, warmup_lr, min_lr, plateau_mode,
        )  # fmt: skip
    elif sched == "poly":
        schedule = PolyLRScheduler(lr, t_initial, decay_rate, min_lr, **cycles, **warm,
                                   k_decay=k_decay)  # fmt: skip
    elif sched in ("wsd", "rsqrt"):
        prefix = a.flag(o, "warmup_prefix", warmup_prefix)
        t_sched = t_initial if prefix else t_initial - warmup_t
        if 0 < decay_epochs < 1:
            decay_t = decay_epochs * t_sched
        decay_t = round(decay_t)
        if not 0 < decay_t <= t_sched:
            raise ValueError(
                f"{o}: {sched} needs 0 < decay_epochs <= num_epochs"
                f"{'' if prefix else ' - warmup_epochs'}, got a decay of {decay_t} and a stable "
                f"+ decay length of {t_sched}"
            )
        schedule = WSDLRScheduler(
            lr, t_sched, decay_t, min_lr, "rsqrt" if sched == "rsqrt" else "constant",
            timescale, decay_fn=decay_fn or ("linear" if sched == "rsqrt" else "1-sqrt"),
            warmup_t=warmup_t, warmup_lr_init=warmup_lr,
        )  # fmt: skip
    else:
        schedule = None
    if sched in ("cosine", "tanh", "poly", "wsd", "rsqrt"):
        if sched in ("wsd", "rsqrt"):
            length = warmup_t + t_sched
        else:
            limit = max(1, a.whole(o, "cycle_limit", cycle_limit))
            mul = a.real(o, "cycle_mul", cycle_mul)
            if mul == 1.0:
                length = t_initial * limit
            else:
                length = math.floor(-t_initial * (mul**limit - 1) / (1 - mul))
            if a.flag(o, "warmup_prefix", warmup_prefix):
                length += warmup_t
        total = length + cooldown_t
        return schedule, (total if per_epoch else total // updates)
    # the checked ints (np.float16(6.55e4) came back as given), the prefix read as a flag
    return schedule, (epochs + warm_epochs if a.flag(o, "warmup_prefix", warmup_prefix) else epochs)
