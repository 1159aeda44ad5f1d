"""PyTorch adapter: drive any optimizer with an ``annealing`` schedule.

:class:`Scheduler` is a real ``torch.optim.lr_scheduler.LRScheduler``, so it works with
``optimizer.step()`` / ``scheduler.step()`` loops, PyTorch Lightning and the Transformers
``Trainer`` (``optimizers=(optimizer, scheduler)``). Importing this module imports PyTorch;
``import annealing`` alone does not.
"""

from __future__ import annotations

from collections.abc import Sequence as Seq
from typing import Any

from torch.optim import Optimizer
from torch.optim.lr_scheduler import LRScheduler

from .schedule import Schedule, from_dict

__all__ = ["Scheduler"]

MODES = ("absolute", "multiplier")
POLICIES = ("raise", "continue")


class Scheduler(LRScheduler):
    r"""A PyTorch learning-rate scheduler that follows `schedule`.

    After ``t`` calls of :meth:`step` (``t = last_epoch``), each parameter group's rate is
    ``schedule(t)`` (``mode="absolute"``) or ``initial_lr · schedule(t)`` (``mode="multiplier"``:
    the schedule is a factor of each group's own base rate, like ``LambdaLR``). Unlike
    PyTorch's chainable schedulers, the value never depends on the previous rate, so other
    code writing ``group["lr"]`` cannot make it drift.

    Parameters
    ----------
    optimizer : torch.optim.Optimizer
        The optimizer whose parameter groups are driven.
    schedule : Schedule or sequence of Schedule
        One schedule for every group, or one per group.
    mode : {"absolute", "multiplier"}
        Whether the schedule gives the rate itself or a factor of each group's initial rate.
        Default "absolute".
    last_epoch : int
        As in PyTorch: -1 (the default) starts at step 0.
    on_schedule_change : {"raise", "continue"}
        What :meth:`load_state_dict` does with a checkpoint saved with a different schedule
        (or mode): raise :class:`ValueError` (the default), or continue from the saved step
        with this scheduler's schedule. Schedules are compared by
        :meth:`~annealing.Schedule.fingerprint`, so a parameter that differs in its last bit
        (``0.1`` against the float32 ``0.1``) is a change. PyTorch's own schedulers silently
        take the saved settings instead.

    Examples
    --------
    >>> import torch  # doctest: +SKIP
    >>> import annealing as an  # doctest: +SKIP
    >>> opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)  # doctest: +SKIP
    >>> sched = Scheduler(opt, an.Cosine(start=0.1, end=0.0, steps=100))  # doctest: +SKIP
    """

    def __init__(
        self,
        optimizer: Optimizer,
        schedule: Schedule | Seq[Schedule],
        mode: str = "absolute",
        last_epoch: int = -1,
        *,
        on_schedule_change: str = "raise",
    ) -> None:
        groups = len(optimizer.param_groups)
        if isinstance(schedule, Schedule):
            schedules = [schedule] * groups
        elif isinstance(schedule, Seq) and all(isinstance(s, Schedule) for s in schedule):
            schedules = list(schedule)
            if len(schedules) != groups:
                raise ValueError(
                    f"Scheduler: schedule must be one Schedule or one per parameter group "
                    f"({groups}), got {len(schedules)} schedules"
                )
        else:
            raise TypeError(
                f"Scheduler: schedule must be a Schedule or a list of them, got {schedule!r}"
            )
        if mode not in MODES:
            raise ValueError(f"Scheduler: mode must be 'absolute' or 'multiplier', got {mode!r}")
        if on_schedule_change not in POLICIES:
            raise ValueError(
                "Scheduler: on_schedule_change must be 'raise' or 'continue', "
                f"got {on_schedule_change!r}"
            )
        self._schedules = schedules
        self.mode = mode
        self.on_schedule_change = on_schedule_change
        super().__init__(optimizer, last_epoch)

    @property
    def schedule(self) -> Schedule | list[Schedule]:
        """The schedule (or, when the groups have different ones, the list of them)."""
        first = self._schedules[0]
        return first if all(s == first for s in self._schedules) else list(self._schedules)

    def get_lr(self) -> list[float]:  # type: ignore[override]
        """The rate of every group at step ``last_epoch``."""
        t = max(self.last_epoch, 0)
        values = [float(s(t)) for s in self._schedules]
        if self.mode == "absolute":
            return values
        return [float(base) * v for base, v in zip(self.base_lrs, values, strict=True)]

    _get_closed_form_lr = get_lr

    def _config(self) -> Any:
        dicts = [s.to_dict() for s in self._schedules]
        schedule: Any = dicts[0] if all(d == dicts[0] for d in dicts) else dicts
        return {"schedule": schedule, "mode": self.mode}

    def _fingerprint(self) -> str | list[str]:
        prints = [s.fingerprint() for s in self._schedules]
        return prints[0] if all(p == prints[0] for p in prints) else prints

    def state_dict(self) -> dict[str, Any]:
        """The step, the counters PyTorch keeps, the schedule as ``to_dict()`` and its fingerprint.

        The schedule is stored as data (a dict, or a list of dicts, one per group) with its
        :meth:`~annealing.Schedule.fingerprint` (a string, or one per group), so the state is
        plain Python and survives ``torch.save(..., weights_only=True)`` loading, and
        :meth:`load_state_dict` can tell whether it is resumed with the same schedule.
        """
        state = {k: v for k, v in self.__dict__.items() if k not in _INTERNAL}
        state.update(self._config())
        state["fingerprint"] = self._fingerprint()
        return state

    def load_state_dict(
        self, state_dict: dict[str, Any], *, on_schedule_change: str | None = None
    ) -> None:
        """Restore the step; refuse a checkpoint of another schedule unless told to continue.

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
        state = _checked_state(state_dict)
        fingerprint = state.pop("fingerprint", None)
        saved = {"schedule": state.pop("schedule", None), "mode": state.pop("mode", None)}
        mine = self._config()
        if fingerprint is None:  # a checkpoint from before fingerprints: compare the data
            changed = saved != mine
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
        if changed:
            # continue with the new schedule at the saved step, starting now
            values = self.get_lr()
            for group, lr in zip(self.optimizer.param_groups, values, strict=True):
                if hasattr(group["lr"], "fill_"):
                    group["lr"].fill_(lr)
                else:
                    group["lr"] = lr
            self._last_lr = [group["lr"] for group in self.optimizer.param_groups]


# attributes state_dict leaves out ("mode" goes back in with the schedule), and those a
# checkpoint must never set (load_state_dict refuses them)
_INTERNAL = ("optimizer", "_schedules", "on_schedule_change", "mode")
_NEVER = ("optimizer", "_schedules", "on_schedule_change")
_WHERE = "Scheduler.load_state_dict: state_dict"


def _checked_state(state_dict: Any) -> dict[str, Any]:
    """A copy of `state_dict`, refused (ValueError/TypeError) if it is not a scheduler's state."""
    if not isinstance(state_dict, dict):
        raise TypeError(f"{_WHERE} must be a dict from Scheduler.state_dict(), got {state_dict!r}")
    state = dict(state_dict)
    bad = [k for k in state if not isinstance(k, str) or k in _NEVER or k.startswith("__")]
    if bad:
        raise ValueError(f"{_WHERE} has keys a scheduler's state never has: {bad!r}")
    epoch = state.get("last_epoch", -1)
    if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < -1:
        raise ValueError(f"{_WHERE}['last_epoch'] must be an integer >= -1, got {epoch!r}")
    fingerprint = state.get("fingerprint")
    if fingerprint is not None and not (
        isinstance(fingerprint, str)
        or (isinstance(fingerprint, list) and all(isinstance(f, str) for f in fingerprint))
    ):
        raise TypeError(
            f"{_WHERE}['fingerprint'] must be a string or a list of them, got {fingerprint!r}"
        )
    return state


def _describe(config: dict[str, Any]) -> str:
    schedule = config.get("schedule")
    try:
        if isinstance(schedule, list):
            text = "[" + ", ".join(repr(from_dict(s)) for s in schedule) + "]"
        else:
            text = repr(from_dict(schedule)) if schedule is not None else "no schedule"
    except (TypeError, ValueError):
        text = repr(schedule)
    return f"{text} (mode={config.get('mode')!r})"
