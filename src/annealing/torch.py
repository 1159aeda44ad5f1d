"""PyTorch adapter: drive any optimizer with ``annealing`` schedules.

:class:`Scheduler` is a real ``torch.optim.lr_scheduler.LRScheduler``, so it works with
``optimizer.step()`` / ``scheduler.step()`` loops, PyTorch Lightning, the Transformers
``Trainer`` (``optimizers=(optimizer, scheduler)``) and Accelerate. It counts *optimizer
steps*, not calls: a ``scheduler.step()`` that follows no new ``optimizer.step()`` (an extra
call per micro-batch, Accelerate's one call per process, a step that AMP's ``GradScaler``
skipped) does not move the schedule, and a repeated extra call is reported with a
:class:`StepCountWarning` that names the factor. It schedules any hyperparameter of a
parameter group (``lr``, ``momentum``, ``betas``, ``weight_decay``, ...). Importing this
module imports PyTorch; ``import annealing`` alone does not.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from collections.abc import Sequence as Seq
from typing import Any

from torch import Tensor
from torch.optim import Optimizer
from torch.optim.lr_scheduler import LRScheduler

from ._validate import show
from .compat._attributes import merged
from .schedule import Schedule, from_dict

__all__ = ["Scheduler", "StepCountWarning"]

MODES = ("absolute", "multiplier")
POLICIES = ("raise", "continue")
COUNTS = ("optimizer", "calls")
VERSION = 2  # of the state_dict; checkpoints without "version" are version 1 (lr only)
REPEATS = 3  # optimizer steps in a row with the same k > 1 calls each before the warning
_SMALL = 2**30 - 1  # steps up to this compare fast (one-digit ints); beyond, _apply
IDLE = 1000  # calls before any optimizer step was seen, before the warning (not accumulation)


class StepCountWarning(UserWarning):
    """``scheduler.step()`` calls and optimizer steps disagree (see :class:`Scheduler`)."""


class Scheduler(LRScheduler):
    r"""A PyTorch scheduler that sets hyperparameters from ``annealing`` schedules.

    At schedule step ``t`` (``t = last_epoch``) each scheduled hyperparameter of each
    parameter group is ``schedule(t)`` (``mode="absolute"``) or its initial value times
    ``schedule(t)`` (``mode="multiplier"``: a factor of each group's own rate, like
    ``LambdaLR``). The value never depends on the previous one, so other code writing
    ``group["lr"]`` cannot make it drift.

    **Which step.** With ``count="optimizer"`` (the default) ``t`` advances by one on a call of
    :meth:`step` that follows at least one real ``optimizer.step()`` since the last advance
    (counted by ``optimizer.register_step_post_hook``, which fires only when the optimizer
    actually stepped; the wrapper that PyTorch's ``LRScheduler`` puts around
    ``optimizer.step`` to record its calls is taken off again, as the hook tells the same). So:

    * stepping the scheduler once per optimizer step, before or after it, makes ``t`` the
      number of optimizer steps taken, and the ``k``-th optimizer step (from 0)
      runs at ``schedule(k)``; calls before the first optimizer step leave it at step 0
      (PyTorch's own schedulers warn there and skip their first value);
    * a step that ``torch.amp.GradScaler`` skipped (inf/NaN gradients) does not advance it;
    * extra calls for one optimizer step do not advance it: per micro-batch under gradient
      accumulation, or Accelerate's ``AcceleratedScheduler``, which steps a prepared scheduler
      ``num_processes`` times per optimizer step (``split_batches=False``). When the same
      ``k > 1`` calls per optimizer step repeat for 3 optimizer steps, a
      :class:`StepCountWarning` says so once: ``scheduler.step() was called 8 times for one
      optimizer step; the schedule follows optimizer steps ...``; 1000 calls before any
      optimizer step was seen warn too (an optimizer whose ``step`` bypasses PyTorch's hooks);
    * stepping once per epoch still advances once per epoch (``t`` counts epochs).

    ``count="calls"`` is the plain PyTorch behaviour: every call advances ``t``.

    **Resume.** :meth:`state_dict` holds ``t``, the schedules (as data) and their
    fingerprints; :meth:`load_state_dict` refuses other schedules and sets every scheduled
    value at the saved step at once. ``step(t)`` goes to step ``t``. A copy
    (``copy.deepcopy``, pickle) counts the steps of its own copy of the optimizer.

    Parameters
    ----------
    optimizer : torch.optim.Optimizer
        The optimizer whose parameter groups are driven.
    schedule : Schedule, mapping, or sequence of them
        A :class:`~annealing.Schedule` drives ``lr``. A mapping from hyperparameter names to
        schedules drives each of them, e.g. ``{"lr": s1, "momentum": s2, "betas": (s3, s4),
        "weight_decay": s5}``: any numeric key of the groups, with ``"betas"`` a pair (``None``
        leaves that beta alone). ``"momentum"`` on a group with ``betas`` and no ``momentum``
        (Adam, AdamW, ...) drives β1, as PyTorch's ``OneCycleLR`` and ``CyclicLR`` do. A
        sequence gives one schedule or mapping per parameter group.
    mode : {"absolute", "multiplier"}
        Whether a schedule gives the value itself or a factor of the group's initial value
        (``initial_lr``; for another hyperparameter, its value when the scheduler was made,
        kept in the group as ``initial_<name>``). Default "absolute".
    last_epoch : int
        As in PyTorch: -1 (the default) starts at step 0; ``k >= 0`` resumes at step ``k + 1``.
    count : {"optimizer", "calls"}
        What advances the schedule: real optimizer steps (the default, see above) or every
        :meth:`step` call.
    on_schedule_change : {"raise", "continue"}
        What :meth:`load_state_dict` does with a checkpoint saved with different schedules
        (or mode): raise :class:`ValueError` (the default), or continue from the saved step
        with this scheduler's schedules. Schedules are compared by
        :meth:`~annealing.Schedule.fingerprint`, so a parameter that differs in its last bit
        (``0.1`` against the float32 ``0.1``) is a change. PyTorch's own schedulers silently
        take the saved settings instead.

    Raises
    ------
    TypeError, ValueError
        For a schedule that is not one of the forms above, a name a group does not have (or
        whose value is not a number), one schedule per group with the wrong count, or an
        unknown ``mode``, ``count`` or ``on_schedule_change``.

    Examples
    --------
    >>> import torch  # doctest: +SKIP
    >>> import annealing as an  # doctest: +SKIP
    >>> model = torch.nn.Linear(2, 1)  # doctest: +SKIP
    >>> opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)  # doctest: +SKIP
    >>> sched = Scheduler(opt, an.Cosine(start=0.1, end=0.0, steps=100))  # doctest: +SKIP
    >>> sched = Scheduler(opt, {  # doctest: +SKIP
    ...     "lr": an.Cosine(start=0.1, end=0.0, steps=100),
    ...     "momentum": an.Cosine(start=0.85, end=0.95, steps=100),
    ... })
    >>> for batch in range(4 * 100):  # gradient accumulation 4  # doctest: +SKIP
    ...     ...  # forward, backward
    ...     if (batch + 1) % 4 == 0:
    ...         opt.step()
    ...         opt.zero_grad()
    ...     sched.step()  # once per micro-batch: still one schedule step per opt.step()
    """

    def __init__(
        self,
        optimizer: Optimizer,
        schedule: Schedule | Mapping[str, Any] | Seq[Schedule | Mapping[str, Any]],
        mode: str = "absolute",
        last_epoch: int = -1,
        *,
        count: str = "optimizer",
        on_schedule_change: str = "raise",
    ) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"Scheduler: optimizer must be a torch.optim.Optimizer, got {optimizer!r}"
            )
        if mode not in MODES:
            raise ValueError(f"Scheduler: mode must be 'absolute' or 'multiplier', got {mode!r}")
        if not _whole(last_epoch, -1):
            raise ValueError(
                f"Scheduler: last_epoch must be an integer from -1 to 2**53, got {show(last_epoch)}"
            )
        if count not in COUNTS:
            raise ValueError(f"Scheduler: count must be 'optimizer' or 'calls', got {count!r}")
        if on_schedule_change not in POLICIES:
            raise ValueError(
                "Scheduler: on_schedule_change must be 'raise' or 'continue', "
                f"got {on_schedule_change!r}"
            )
        self._specs = _specs(schedule, optimizer.param_groups)
        self._targets = [
            _targets(spec, group, index)
            for index, (spec, group) in enumerate(
                zip(self._specs, optimizer.param_groups, strict=True)
            )
        ]
        self.mode = mode
        self.count = count
        self.on_schedule_change = on_schedule_change
        self._pending = 0  # optimizer steps since the schedule last advanced
        self._extra = 0  # calls since then that did not advance it
        self._factor = 1  # calls per optimizer step, and for how many optimizer steps in a row
        self._runs = 0
        self._warned = False
        self._ever = False  # an optimizer step was seen
        self._calm = False  # step's fast path applies (see _settled)
        self._one: Any = None
        if mode == "multiplier":
            for group, targets in zip(optimizer.param_groups, self._targets, strict=True):
                for key, _, _ in targets:
                    if key != "lr":
                        group.setdefault("initial_" + key, _copied(group[key]))
        patched = "step" in vars(optimizer)  # by another scheduler, or by the user
        super().__init__(optimizer, last_epoch)
        if count == "optimizer" and not patched:
            # LRScheduler.__init__ wraps optimizer.step to record that it was called (for its
            # "scheduler.step() before optimizer.step()" warning). Counting optimizer steps by
            # the hook below already tells this, so the wrapper it just added is taken off
            # again: it cost about as much per step as the rest of the scheduler.
            wrapper = vars(optimizer).get("step")
            if getattr(wrapper, "_wrapped_by_lr_sched", False):
                del optimizer.step
        self._hook = optimizer.register_step_post_hook(_counter(self.__dict__))

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        del state["_hook"]  # a handle into the optimizer's hooks, which a copy does not keep
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        # a copy (copy.deepcopy, pickle) of the optimizer drops its hooks: count the copy's steps
        self.__dict__.update(state)
        self._hook = self.optimizer.register_step_post_hook(_counter(self.__dict__))

    # -- stepping ------------------------------------------------------------------------

    def _initial_step(self) -> None:
        # PyTorch's initial step: last_epoch -1 -> 0 (or k -> k + 1), and the values set
        self._step_count = 1
        self.last_epoch += 1
        self._plans = self._plan()
        self._apply(self.last_epoch)

    def step(self, epoch: int | None = None) -> None:
        """Advance one schedule step, if an optimizer step came since the last advance.

        Parameters
        ----------
        epoch : int, optional
            Go to schedule step `epoch` at once (PyTorch's deprecated form, here exact and
            without a warning).
        """
        # The usual call, one per optimizer step (count="optimizer") with absolute float rates
        # and no extra calls pending (_calm), is what the lines below and _apply do, in one
        # call. It reads and writes the attributes in __dict__: the class has a __getattr__,
        # so each self.<name> is a slow lookup (Python does not specialize attribute access
        # on such classes).
        state = self.__dict__
        state["_step_count"] += 1
        if state["_calm"] and state["_pending"] and epoch is None:
            state["_pending"] = 0
            t = state["last_epoch"] + 1
            state["last_epoch"] = t
            if t > _SMALL:
                self._apply(t)
                return
            groups = state["optimizer"].param_groups
            one = state["_one"]
            if one is not None:
                rate = one(t)
                if type(rate) is not float:
                    rate = float(rate)
                groups[0]["lr"] = rate
                state["_last_lr"] = [rate]
                return
            last: list[float | Tensor] = []
            for i, _, value in state["_rates"]:
                rate = value(t)
                if type(rate) is not float:
                    rate = float(rate)
                groups[i]["lr"] = rate
                last.append(rate)
            state["_last_lr"] = last
            return
        try:
            self._step(epoch)
        finally:
            self._calm = self._settled()

    def _step(self, epoch: int | None) -> None:
        if epoch is not None:
            self._moved(epoch)
            return
        if self.count == "optimizer":
            if not self._pending:
                self._extra += 1
                if self._extra == IDLE and not self._ever and not self._warned:
                    self._warn_idle()
                return
            self._pending = 0
            self._ever = True
            if self._extra:
                self._count_calls(self._extra + 1)
            elif self._runs:
                self._runs = 0
        elif self._step_count == 2 and not getattr(self.optimizer, "_opt_called", False):
            warnings.warn(
                "Scheduler: scheduler.step() was called before optimizer.step(); with "
                "count='calls' every call advances the schedule, so the first optimizer step "
                "runs at step 1 (count='optimizer' follows optimizer steps instead)",
                StepCountWarning,
                stacklevel=3,  # the caller of step(), which calls _step
            )
        self.last_epoch += 1
        self._apply(self.last_epoch)

    def _count_calls(self, calls: int) -> None:
        self._extra = 0
        if calls == self._factor:
            self._runs += 1
        else:
            self._factor, self._runs = calls, 1
        if self._runs >= REPEATS and not self._warned:
            self._warned = True
            warnings.warn(
                f"Scheduler: scheduler.step() was called {calls} times for one optimizer step "
                f"(for {self._runs} optimizer steps in a row); the schedule follows optimizer "
                f"steps, so it advanced once per optimizer step (it is at step "
                f"{self.last_epoch + 1}), not {calls} times. This is what you want if its "
                "lengths are in optimizer steps: give them so, and step the scheduler once "
                f"per optimizer step to silence this. {calls} calls per step come from "
                "stepping per micro-batch under gradient accumulation, or from Accelerate's "
                "prepared scheduler, which steps once per process; if the lengths were meant "
                "in calls, build the Scheduler with count='calls'",
                StepCountWarning,
                stacklevel=4,
            )

    def _warn_idle(self) -> None:
        self._warned = True
        warnings.warn(
            f"Scheduler: scheduler.step() was called {IDLE} times and no optimizer step was "
            f"seen, so the schedule has not moved (it is at step {self.last_epoch}): "
            "it follows optimizer steps, counted by optimizer.register_step_post_hook. If "
            "your optimizer steps without PyTorch's step hooks, build the Scheduler with "
            "count='calls'",
            StepCountWarning,
            stacklevel=4,
        )

    def _update_lr(self, epoch: int | None = None) -> None:
        # what PyTorch's SequentialLR calls at a milestone (epoch 0): every value, not only lr
        if epoch is None:
            self.last_epoch += 1
            self._apply(self.last_epoch)
        else:
            self._moved(epoch)

    def _moved(self, epoch: int) -> None:
        if not _whole(epoch, 0):
            raise ValueError(
                f"Scheduler.step: epoch must be an integer from 0 to 2**53, got {show(epoch)}"
            )
        self._pending = self._extra = self._runs = 0
        self._calm = self._settled()
        self.last_epoch = epoch
        self._apply(epoch)

    def _settled(self) -> bool:
        """Whether step's fast path applies: float rates, an optimizer step seen, and no
        extra calls counted (count="optimizer")."""
        return bool(self._rates) and self._ever and not self._extra and not self._runs

    def _plan(self) -> list[tuple[int, str, int | None, Schedule, float | None]]:
        """(group, key, index in the tuple or None, schedule, base for multiplier mode)."""
        plan = []
        groups = self.optimizer.param_groups
        for i, (group, targets) in enumerate(zip(groups, self._targets, strict=True)):
            for key, index, schedule in targets:
                base: float | None = None
                if self.mode == "multiplier":
                    initial: Any = self.base_lrs[i] if key == "lr" else group["initial_" + key]
                    base = float(initial if index is None else initial[index])
                plan.append((i, key, index, schedule, base))
        self._tensors = any(isinstance(g["lr"], Tensor) for g in groups)
        # the usual case, absolute float rates only: _apply's fast path, and step's (with
        # count="optimizer"), which calls _scalar, the same as schedule(t) for an int step
        # <= 2**53 unless the class has a __call__ of its own
        self._rates = (
            [(i, schedule, _scalar_path(schedule)) for i, _, _, schedule, _ in plan]
            if not self._tensors and all(p[1] == "lr" and p[4] is None for p in plan)
            else None
        )
        rates = self._rates
        self._one = rates[0][2] if rates is not None and len(rates) == 1 == len(groups) else None
        self._calm = self._settled()
        return plan

    def _apply(self, t: int) -> None:
        """Set every scheduled value at schedule step `t` (lean: it runs at every step)."""
        groups = self.optimizer.param_groups
        rates = self._rates
        if rates is not None:
            for i, schedule, _ in rates:
                groups[i]["lr"] = float(schedule(t))
            self._last_lr = [g["lr"] for g in groups]
            return
        for i, key, index, schedule, base in self._plans:
            value = float(schedule(t))
            if base is not None:
                value *= base
            group = groups[i]
            if index is None:
                current = group[key]
                if type(current) is float or not isinstance(current, Tensor):
                    group[key] = value
                else:
                    current.fill_(value)
            else:
                pair = group[key]
                if isinstance(pair[index], Tensor):
                    pair[index].fill_(value)
                else:
                    pair = list(pair)
                    pair[index] = value
                    group[key] = tuple(pair)
        last = [g["lr"] for g in groups]
        if self._tensors:  # copies, as PyTorch's get_last_lr gives
            last = [lr.clone() if isinstance(lr, Tensor) else lr for lr in last]
        self._last_lr = last

    # -- reading -------------------------------------------------------------------------

    @property
    def schedule(self) -> Any:
        """The schedules, in the form given: a Schedule (the lr) or a mapping, or one per group."""
        specs = [s["lr"] if _lr_only(s) else dict(s) for s in self._specs]
        first = specs[0]
        return first if all(s == first for s in specs) else specs

    def get_lr(self) -> list[float]:  # type: ignore[override]
        """The rate of every group at step ``last_epoch``."""
        t = max(self.last_epoch, 0)
        rates = []
        for i, group in enumerate(self.optimizer.param_groups):
            rate = float(group["lr"])
            for j, key, _, schedule, base in self._plans:
                if j == i and key == "lr":
                    rate = float(schedule(t)) * (1.0 if base is None else base)
            rates.append(rate)
        return rates

    _get_closed_form_lr = get_lr

    def __getattr__(self, name: str) -> Any:
        """PyTorch's attributes of the scheduler a compat schedule reproduces (``T_max``,
        ``T_cur``, ``max_lrs``, ...), as that scheduler would hold them at step ``last_epoch``
        (:func:`annealing.compat.torch.attributes`). Reached only for names the adapter lacks."""
        specs = self.__dict__.get("_specs")  # absent while unpickling: no recursion
        if specs is None or name.startswith("_"):
            raise AttributeError(f"'Scheduler' object has no attribute {name!r}")
        step, lrs = max(self.__dict__.get("last_epoch", 0), 0), self.__dict__.get("base_lrs")
        try:
            found = merged(specs, step, None if lrs is None else [float(x) for x in lrs])
        except (TypeError, ValueError) as error:
            message = f"'Scheduler' object has no attribute {name!r} ({error})"
            raise AttributeError(message) from None
        if name not in found:
            raise AttributeError(f"'Scheduler' object has no attribute {name!r}")
        return found[name]

    # -- state ---------------------------------------------------------------------------

    def _config(self) -> Any:
        if all(_lr_only(s) for s in self._specs):  # version 1's form, so old checkpoints match
            data: list[Any] = [s["lr"].to_dict() for s in self._specs]
        else:
            data = [_each(s, lambda x: x.to_dict()) for s in self._specs]
        schedule: Any = data[0] if all(d == data[0] for d in data) else data
        return {"schedule": schedule, "mode": self.mode}

    def _fingerprint(self) -> Any:
        if all(_lr_only(s) for s in self._specs):
            prints: list[Any] = [s["lr"].fingerprint() for s in self._specs]
        else:
            prints = [_each(s, lambda x: x.fingerprint()) for s in self._specs]
        return prints[0] if all(p == prints[0] for p in prints) else prints

    def state_dict(self) -> dict[str, Any]:
        """The step, the counters PyTorch keeps, the schedules as data and their fingerprints.

        The schedules are stored as data (``to_dict()``: for the lr alone a dict, or a list of
        dicts, one per group, as in version 1; for a mapping, a dict of them by name) with
        their :meth:`~annealing.Schedule.fingerprint` (in the same shape), so the state is plain
        Python, survives ``torch.save(..., weights_only=True)`` loading, and
        :meth:`load_state_dict` can tell whether it is resumed with the same schedules.
        ``"version"`` is 2; ``"_pending"`` holds optimizer steps not yet followed by a step.
        """
        state = {k: v for k, v in self.__dict__.items() if k not in _INTERNAL}
        state.update(self._config())
        state["fingerprint"] = self._fingerprint()
        state["version"] = VERSION
        return state

    def load_state_dict(
        self, state_dict: dict[str, Any], *, on_schedule_change: str | None = None
    ) -> None:
        """Restore the step and set every scheduled value at it; refuse another schedule.

        Loads version 1 states (saved before hyperparameter mappings) and version 2. The
        values are set at once, so loading the scheduler's state alone resumes at the saved
        step's rate (not the rate at step 0 until the next step).

        Parameters
        ----------
        state_dict : dict
            From :meth:`state_dict`.
        on_schedule_change : {"raise", "continue"}, optional
            Overrides the constructor's policy for this call.
        """
        policy = self.on_schedule_change if on_schedule_change is None else on_schedule_change
        if policy not in POLICIES:
            raise ValueError(
                "Scheduler.load_state_dict: on_schedule_change must be 'raise' or 'continue', "
                f"got {policy!r}"
            )
        state = _checked_state(state_dict, type(self), len(self.optimizer.param_groups))
        state.pop("version", None)
        fingerprint = state.pop("fingerprint", None)
        saved = {"schedule": state.pop("schedule", None), "mode": state.pop("mode", None)}
        mine = self._config()
        if fingerprint is None:  # a checkpoint from before fingerprints: compare the data
            changed = not _same(saved, mine)
        else:  # the values themselves, which to_dict's data may not tell apart
            changed = fingerprint != self._fingerprint() or saved["mode"] != self.mode
        if changed and policy == "raise":
            raise ValueError(
                "Scheduler.load_state_dict: the checkpoint was saved with "
                f"{_describe(saved)}, but this scheduler has {_describe(mine)}. "
                "Build the scheduler with the saved schedule to resume it, or pass "
                "on_schedule_change='continue' to go on from step "
                f"{state.get('last_epoch')!r} with the new one."
            )
        self.__dict__.update(state)
        self._extra = self._runs = 0
        self._plans = self._plan()  # base_lrs may have changed
        self._apply(max(self.last_epoch, 0))


# attributes state_dict leaves out ("mode" goes back in with the schedule), and those a
# checkpoint must never set (load_state_dict refuses them)
_NEVER = (
    "optimizer",
    "_schedules",
    "_specs",
    "_targets",
    "_plans",
    "_tensors",
    "_rates",
    "_one",
    "_calm",
    "_hook",
    "count",
    "on_schedule_change",
    "_extra",
    "_factor",
    "_runs",
    "_warned",
    "_ever",
)
_INTERNAL = (*_NEVER, "mode")
_WHERE = "Scheduler.load_state_dict: state_dict"


def _lr_only(spec: Mapping[str, Any]) -> bool:
    return len(spec) == 1 and "lr" in spec


def _each(spec: Mapping[str, Any], f: Any) -> dict[str, Any]:
    """`f` of every schedule of a mapping, pairs as lists (None kept)."""
    return {
        key: [None if s is None else f(s) for s in value] if isinstance(value, tuple) else f(value)
        for key, value in spec.items()
    }


def _copied(value: Any) -> Any:
    if isinstance(value, Tensor):
        return value.clone()
    if isinstance(value, tuple):
        return tuple(_copied(v) for v in value)
    return value


def _specs(schedule: Any, groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One mapping name -> Schedule (or pair of Schedule | None) per parameter group."""
    count = len(groups)
    if isinstance(schedule, Schedule | Mapping):
        return [_spec(schedule, None)] * count
    if isinstance(schedule, Seq) and not isinstance(schedule, str):
        specs = [_spec(s, i) for i, s in enumerate(schedule)]
        if len(specs) != count:
            raise ValueError(
                f"Scheduler: schedule must be one Schedule (or mapping) or one per parameter "
                f"group ({count}), got {len(specs)} schedules"
            )
        return specs
    raise TypeError(
        "Scheduler: schedule must be a Schedule, a mapping from hyperparameter names to "
        f"schedules, or a list of them (one per parameter group), got {schedule!r}"
    )


def _counter(state: dict[str, Any]) -> Any:
    """The optimizer step hook: counts the steps in a scheduler's ``_pending`` (`state` is its
    ``__dict__``; a closure over it is cheaper per step than a bound method of the class)."""

    def stepped(optimizer: Any, args: Any, kwargs: Any) -> None:
        state["_pending"] += 1

    return stepped


def _scalar_path(schedule: Schedule) -> Any:
    """The quickest call of `schedule` for int steps <= 2**53: `schedule` itself where its call
    is compiled (``annealing._speedups``) or its class has a ``__call__`` of its own, else
    ``schedule._scalar``, the same numbers with one Python call fewer."""
    compiled = getattr(schedule, "_compiled", None)
    if compiled is not None and compiled():
        return schedule
    call = type(schedule).__call__
    if call is Schedule.__call__ or call is type(schedule)._scalar:
        return schedule._scalar
    return schedule


def _spec(schedule: Any, index: int | None) -> dict[str, Any]:
    where = "schedule" if index is None else f"schedule[{index}]"
    if isinstance(schedule, Schedule):
        return {"lr": schedule}
    if not isinstance(schedule, Mapping):
        raise TypeError(
            f"Scheduler: {where} must be a Schedule or a mapping from hyperparameter names to "
            f"schedules, got {schedule!r}"
        )
    if not schedule:
        raise ValueError(f"Scheduler: {where} must name at least one hyperparameter, got {{}}")
    spec: dict[str, Any] = {}
    for key, value in schedule.items():
        if not isinstance(key, str):
            raise TypeError(f"Scheduler: {where} keys must be hyperparameter names, got {key!r}")
        if key == "betas":
            if (
                not isinstance(value, tuple | list)
                or len(value) != 2
                or not all(v is None or isinstance(v, Schedule) for v in value)
                or all(v is None for v in value)
            ):
                raise TypeError(
                    f"Scheduler: {where}['betas'] must be a pair of schedules (None leaves that "
                    f"beta alone), got {value!r}"
                )
            spec[key] = tuple(value)
        elif isinstance(value, Schedule):
            spec[key] = value
        else:
            raise TypeError(f"Scheduler: {where}[{key!r}] must be a Schedule, got {value!r}")
    return spec


def _number(value: Any) -> bool:
    if isinstance(value, Tensor):
        return bool(value.numel() == 1 and value.is_floating_point())
    return isinstance(value, int | float) and not isinstance(value, bool)


def _targets(
    spec: Mapping[str, Any], group: dict[str, Any], index: int
) -> list[tuple[str, int | None, Schedule]]:
    """What `spec` writes in `group`: (key, index in the pair or None, schedule)."""
    names = sorted(k for k, v in group.items() if k != "params" and not k.startswith("initial_"))
    usable = [k for k in names if _number(group[k]) or k == "betas"]
    targets: list[tuple[str, int | None, Schedule]] = []
    for key, value in spec.items():
        if key == "momentum" and "momentum" not in group and "betas" in group:
            if "betas" in spec and spec["betas"][0] is not None:
                raise ValueError(
                    f"Scheduler: parameter group {index} has no 'momentum', so 'momentum' "
                    "drives betas[0] (as in PyTorch's OneCycleLR), which 'betas' schedules "
                    "too; schedule one of them"
                )
            targets.append(("betas", 0, value))
            continue
        if key not in group or key == "params" or key.startswith("initial_"):
            raise ValueError(
                f"Scheduler: parameter group {index} has no hyperparameter {key!r}; "
                f"it has {', '.join(usable)}"
            )
        if key == "betas":
            pair = group[key]
            if not (isinstance(pair, tuple | list) and len(pair) == 2 and all(map(_number, pair))):
                raise ValueError(
                    f"Scheduler: parameter group {index}'s 'betas' must be a pair of numbers "
                    f"to be scheduled, got {pair!r}"
                )
            targets += [(key, i, s) for i, s in enumerate(value) if s is not None]
        elif not _number(group[key]):
            raise ValueError(
                f"Scheduler: parameter group {index}'s {key!r} is {group[key]!r}, not a number, "
                f"so it cannot be scheduled; numbers it has: {', '.join(usable)}"
            )
        else:
            targets.append((key, None, value))
    return targets


def _same(a: Any, b: Any) -> bool:
    """``a == b`` for the plain data of a state_dict (dicts, lists, strings, numbers, None);
    anything else is not the same (an array's ``==`` is an array, not an answer)."""
    if type(a) in (int, float) and type(b) in (int, float):
        return bool(a == b)
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return isinstance(a, (str, bool, type(None))) and a == b


def _fingerprints(value: Any, depth: int = 0) -> bool:
    """A string, None, or lists/dicts of them, as state_dict writes them."""
    if isinstance(value, str) or (value is None and depth > 1):
        return True
    if depth > 2:
        return False
    if isinstance(value, list):
        return all(_fingerprints(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _fingerprints(v, depth + 1) for k, v in value.items())
    return False


def _rate(value: Any) -> bool:
    """Whether `value` is a saved base rate: a finite number >= 0 (10**400 is not one)."""
    try:
        return _number(value) and 0.0 <= float(value) < math.inf
    except OverflowError:
        return False


MAX_STEP = 2**53  # a step that every schedule takes exactly (an int beyond: not a step count)


def _whole(value: Any, low: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= MAX_STEP


def _checked_state(state_dict: Any, cls: type, groups: int) -> dict[str, Any]:
    """A copy of `state_dict`, refused (ValueError/TypeError) if it is not a scheduler's state."""
    if not isinstance(state_dict, dict):
        raise TypeError(f"{_WHERE} must be a dict from Scheduler.state_dict(), got {state_dict!r}")
    state = dict(state_dict)

    def method(key: str) -> bool:  # a key that would hide a method or property of the class
        value = getattr(cls, key, None)
        return key != "schedule" and (callable(value) or isinstance(value, property))

    bad = [
        k for k in state if not isinstance(k, str) or k in _NEVER or k.startswith("__") or method(k)
    ]
    if bad:
        raise ValueError(f"{_WHERE} has keys a scheduler's state never has: {bad!r}")
    bases = state.get("base_lrs", [0.0] * groups)
    if not (isinstance(bases, list) and len(bases) == groups and all(_rate(b) for b in bases)):
        raise ValueError(
            f"{_WHERE}['base_lrs'] must be a list of {groups} finite numbers >= 0 (one per "
            f"parameter group), got {show(bases)}"
        )
    if not _whole(state.get("_step_count", 0), 0):
        raise ValueError(
            f"{_WHERE}['_step_count'] must be an integer from 0 to 2**53, "
            f"got {show(state['_step_count'])}"
        )
    for key in ("_is_initial", "_get_lr_called_within_step"):
        if not isinstance(state.get(key, False), bool):
            raise ValueError(f"{_WHERE}[{key!r}] must be a bool, got {state[key]!r}")
    version = state.get("version", 1)
    if version not in (1, VERSION) or isinstance(version, bool):
        raise ValueError(
            f"{_WHERE}['version'] must be 1 or {VERSION} (a newer annealing saved it?), "
            f"got {version!r}"
        )
    epoch = state.get("last_epoch", -1)
    if not _whole(epoch, -1):
        raise ValueError(
            f"{_WHERE}['last_epoch'] must be an integer from -1 to 2**53, got {show(epoch)}"
        )
    pending = state.get("_pending", 0)
    if not _whole(pending, 0):
        raise ValueError(
            f"{_WHERE}['_pending'] must be an integer from 0 to 2**53, got {show(pending)}"
        )
    fingerprint = state.get("fingerprint")
    if fingerprint is not None and not _fingerprints(fingerprint):
        raise TypeError(
            f"{_WHERE}['fingerprint'] must be a string or a list of them (or, for "
            f"hyperparameter mappings, dicts of them), got {fingerprint!r}"
        )
    return state


def _described(data: Any) -> str:
    if isinstance(data, list):
        return "[" + ", ".join(_described(d) for d in data) + "]"
    if data is None:
        return "None"
    if isinstance(data, dict) and "type" not in data:  # a hyperparameter mapping
        return "{" + ", ".join(f"{k!r}: {_described(v)}" for k, v in data.items()) + "}"
    return repr(from_dict(data))


def _describe(config: dict[str, Any]) -> str:
    schedule = config.get("schedule")
    try:
        text = _described(schedule) if schedule is not None else "no schedule"
    except (TypeError, ValueError) as error:  # show: a schedule nested 5000 deep recurses in repr
        text = f"{show(schedule)}, which from_dict refuses ({error})"
    return f"{text} (mode={config.get('mode')!r})"
