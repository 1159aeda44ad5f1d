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
