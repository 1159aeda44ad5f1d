"""Helpers of the conformance tests: seeded configurations and the comparison."""

from __future__ import annotations

import zlib
from collections import defaultdict
from typing import Any

import numpy as np

TOL = 1e-12  # of the peak value, float64
CONFIGS = 200  # random valid configurations per scheduler

COUNTS: dict[str, list[int]] = defaultdict(lambda: [0, 0])


def rng_for(name: str) -> np.random.Generator:
    """A generator seeded by the scheduler's name: the same configurations on every run."""
    return np.random.default_rng(zlib.crc32(name.encode()))


def check(
    name: str,
    ours: Any,
    theirs: Any,
    *,
    config: Any,
    tol: float = TOL,
    exempt: Any = None,
    slack: float = 0.0,
) -> None:
    """Assert |ours − theirs| <= tol · peak at every step, except the `exempt` step mask.

    `exempt` marks steps where a documented peer deviation is expected; the test that passes
    it checks those steps separately. `slack` is an absolute allowance for a documented
    rounding of the peer (added to ``tol · peak``).
    """
    ours = np.asarray(ours, dtype=np.float64)
    theirs = np.asarray(theirs, dtype=np.float64)
    assert ours.shape == theirs.shape, (name, config)
    assert np.isfinite(ours).all() and (ours >= 0).all(), (name, config)
    peak = max(float(np.max(np.abs(theirs))), float(np.max(np.abs(ours))), 1e-300)
    diff = np.abs(ours - theirs)
    if exempt is not None:
        diff = np.where(exempt, 0.0, diff)
    worst = int(np.argmax(diff))
    assert diff[worst] <= tol * peak + slack, (
        f"{name} differs at step {worst}: ours {ours[worst]!r}, theirs {theirs[worst]!r} "
        f"(|diff| = {diff[worst]:.3g}, peak {peak:.3g}) for {config!r}"
    )
    COUNTS[name][0] += 1
    COUNTS[name][1] += ours.size
