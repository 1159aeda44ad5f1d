"""Whole periods elapsed, exactly, in every namespace."""

from __future__ import annotations

from typing import Any


def periods(t: Any, every: float, xp: Any) -> Any:
    """``floor(t / every)``, corrected to the exact count of whole periods.

    Under ``jax.jit`` XLA computes ``t / every`` as ``t * (1 / every)``, which can fall just
    below a whole number (``98 * (1/98) = 0.9999999999999999``): a step exactly on a multiple
    would land in the previous period. ``(k + 1) * every <= t`` is exact for whole steps.
    """
    k = xp.floor(t / every)
    k = xp.where((k + 1) * every <= t, k + 1, k)
    return xp.where(k * every > t, k - 1, k)


def remainder(t: Any, every: float, xp: Any) -> Any:
    """``fmod(t, every)``, exact in every namespace.

    torch's vectorized ``fmod`` (tensors of 8 elements or more) gives NaN where ``t / every``
    overflows (``1e15 mod 2e-300``); those entries are computed again with numpy's, which is
    exact, as the C library's is.
    """
    r = xp.fmod(t, every)
    if type(t).__module__.split(".")[0] != "torch":
        return r
    bad = r != r
    if not bool(bad.any()):
        return r
    import numpy as np
    import torch

    again = np.fmod(t[bad].detach().cpu().numpy().astype(np.float64), every)
    r = r.clone()
    r[bad] = torch.from_numpy(again).to(device=r.device, dtype=r.dtype)
    return r
