"""Preview what a PyTorch, timm or Transformers scheduler will do, without training.

PyTorch schedulers are bound to an optimizer and mutate its learning rates as they step, so
the usual way to see a schedule is to run it. :func:`trace` runs a *copy*: the scheduler and
its optimizer are deep-copied (sharing only the parameter and optimizer-state tensors, which a
scheduler never writes), and the copy is stepped. The caller's optimizer and scheduler are
left exactly as they were. PyTorch is imported only when a trace is made.
"""

from __future__ import annotations

import copy
import warnings
from typing import Any

MAX_STEPS = 10_000_000  # a trace steps a copy of the scheduler once per row, in Python


def trace(scheduler: Any, steps: int) -> Any:
    """The learning rates `scheduler` will set for its next `steps` optimizer steps.

    Row ``t`` is the learning rate in force at the ``t``-th optimizer step from now: the
    current value first, then the value after each ``scheduler.step()``. For a timm scheduler
    (which is told the time instead of counting it) row ``t`` is its value at ``t``: epochs
    when it was made with ``t_in_epochs=True``, updates otherwise.

    Parameters
    ----------
    scheduler : torch.optim.lr_scheduler.LRScheduler or timm.scheduler.Scheduler
        Any PyTorch scheduler (Transformers' ``get_*_schedule*`` return ``LambdaLR``), or a
        timm scheduler. ``ReduceLROnPlateau`` depends on a metric and cannot be traced.
    steps : int
        The number of values, from 1 to :data:`MAX_STEPS` (10 million).

    Returns
    -------
    numpy.ndarray
        float64, of shape ``(steps,)`` for an optimizer with one parameter group, else
        ``(steps, groups)``.

    Examples
    --------
    >>> import torch  # doctest: +SKIP
    >>> opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)  # doctest: +SKIP
    >>> sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)  # doctest: +SKIP
    >>> annealing.trace(sched, 21)[[0, 10, 20]]  # doctest: +SKIP
    array([1., 0., 1.])
    """
    import numbers

    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral):
        raise TypeError(f"trace: steps must be an integer from 1 to {MAX_STEPS}, got {steps!r}")
    if not 1 <= steps <= MAX_STEPS:  # checked before the copy is made and stepped
        raise ValueError(f"trace: steps must be an integer from 1 to {MAX_STEPS}, got {steps!r}")
    optimizer = getattr(scheduler, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "param_groups"):
        raise TypeError(
            "trace: scheduler must be a PyTorch, timm or Transformers scheduler with an "
            f"optimizer, got {scheduler!r}"
        )
    import torch

    if type(scheduler).__name__ == "ReduceLROnPlateau":
        raise TypeError(
            "trace: ReduceLROnPlateau depends on the metric it is given at each step; "
            "it cannot be previewed"
        )
    clone = _copy(scheduler, optimizer, torch)
    if getattr(clone, "count", None) == "optimizer":
        # annealing.torch.Scheduler follows optimizer steps; a trace takes none, so the copy
        # counts its step() calls instead: row t is the rate at the t-th optimizer step
        clone.count = "calls"
    groups = clone.optimizer.param_groups
    timm_like = hasattr(clone, "step_update") and hasattr(clone, "t_in_epochs")
    import numpy as np

    out = np.empty((int(steps), len(groups)), dtype=np.float64)
    with warnings.catch_warnings():
        # stepping a scheduler without optimizer.step() warns about the order of the calls
        warnings.simplefilter("ignore", UserWarning)
        for t in range(int(steps)):
            if timm_like:
                if clone.t_in_epochs:
                    clone.step(t)
                else:
                    clone.step_update(t)
            elif t > 0:
                clone.step()
            out[t] = [float(g["lr"]) for g in groups]
    return out[:, 0] if out.shape[1] == 1 else out


def _copy(scheduler: Any, optimizer: Any, torch: Any) -> Any:
    """Deep-copy the scheduler and its optimizer; parameters and state tensors are shared."""
    memo: dict[int, Any] = {}
    for group in optimizer.param_groups:
        for param in group["params"]:
            memo[id(param)] = param
    for state in getattr(optimizer, "state", {}).values():
        for value in state.values() if isinstance(state, dict) else ():
            if isinstance(value, torch.Tensor):
                memo[id(value)] = value
    return copy.deepcopy(scheduler, memo)
