"""The compiled checkerboard Metropolis sweep of :meth:`Ising.metropolis` (numba, optional).

The same updates as the numpy reference in ``ising.py``, site by site: each half-sweep visits
the sites of one colour in row-major order (their neighbours are all of the other colour, so
the order does not matter), draws the site's uniform from the counter-based generator below
and accepts with the precomputed threshold of its (spin, neighbour sum). The energy and the
magnetisation are kept as exact integer sums (bonds and spins), updated at each flip.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np

# SplitMix64 (Steele, Lea & Flood, OOPSLA 2014): the 64-bit output for a counter is
# mix(key + counter * GOLDEN); its top 53 bits are the uniform's numerator.
GOLDEN = np.uint64(0x9E3779B97F4A7C15)
MUL1 = np.uint64(0xBF58476D1CE4E5B9)
MUL2 = np.uint64(0x94D049BB133111EB)
S30, S27, S31, S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)

_SWEEPS: Any = None


def sweeps(
    spins: Any, thresholds: Any, key: Any, first: int, bonds: Any, totals: Any
) -> int:  # pragma: no cover - compiled
    """Run ``len(thresholds)`` sweeps on `spins` (int8, size x size, size even) in place.

    `thresholds[s, 5 * (spin > 0) + (around + 4) // 2]` is the acceptance threshold of sweep
    s (flip if the draw's 53 bits are below it); sweep s draws counters ``(first + s) * N +
    site``. `bonds` and `totals` (int64, one per sweep, given the values before the first
    sweep in ``bonds[0]``/``totals[0]``) receive the sums after each sweep. Returns the
    number of flips.

    Layout: each colour is kept as its own array, ``colours[c][row, 1 + j]`` the spin at
    ``(row, 2j + q)`` with ``q = (row + c) % 2``, plus a ghost column at each end (the
    other end's spin), so that the neighbours of a row of one colour are contiguous runs of
    the other, with no wrap-around test: LLVM vectorises the loop over a row.
    """
    size = spins.shape[0]
    n = size * size
    half = size // 2
    colours = np.empty((2, size, half + 2), dtype=np.int8)
    for c in range(2):
        for row in range(size):
            q = (row + c) & 1
            for j in range(half):
                colours[c, row, j + 1] = spins[row, 2 * j + q]
            colours[c, row, 0] = colours[c, row, half]
            colours[c, row, half + 1] = colours[c, row, 1]
    bond = bonds[0]
    total = totals[0]
    flips = 0
    for s in range(thresholds.shape[0]):
        base = np.uint64((first + s) * n)
        t0, t1, t2, t3, t4 = (
            thresholds[s, 0],
            thresholds[s, 1],
            thresholds[s, 2],
            thresholds[s, 3],
            thresholds[s, 4],
        )
        t5, t6, t7, t8, t9 = (
            thresholds[s, 5],
            thresholds[s, 6],
            thresholds[s, 7],
            thresholds[s, 8],
            thresholds[s, 9],
        )
        for c in range(2):
            mine = colours[c]
            other = colours[1 - c]
            for row in range(size):
                q = (row + c) & 1
                mrow = mine[row]
                urow = other[row - 1 if row > 0 else size - 1]
                drow = other[row + 1 if row < size - 1 else 0]
                orow = other[row]
                start = base + np.uint64(row * size + q)  # the counter of (row, q)
                for j in range(half):
                    # neighbours of (row, 2j + q): above and below at the same j, left and
                    # right at j - 1 + q and j + q of the other colour (+1: the ghost column)
                    around = (
                        np.int64(urow[j + 1])
                        + np.int64(drow[j + 1])
                        + np.int64(orow[j + q])
                        + np.int64(orow[j + q + 1])
                    )
                    spin = np.int64(mrow[j + 1])
                    z = key + (start + np.uint64(2 * j)) * GOLDEN
                    z = (z ^ (z >> S30)) * MUL1
                    z = (z ^ (z >> S27)) * MUL2
                    z = z ^ (z >> S31)
                    # the table entry by selects, not an index: a gather would stop LLVM
                    # from vectorising the loop
                    a = (around + 4) >> 1
                    low = (
                        t0
                        if a == 0
                        else (t1 if a == 1 else (t2 if a == 2 else (t3 if a == 3 else t4)))
                    )
                    high = (
                        t5
                        if a == 0
                        else (t6 if a == 1 else (t7 if a == 2 else (t8 if a == 3 else t9)))
                    )
                    # branch-free: at the critical point a flip is a coin toss for the CPU
                    flip = np.int64((z >> S11) < (high if spin > 0 else low))
                    change = 2 * spin * flip
                    mrow[j + 1] = spin - change
                    bond -= change * around
                    total -= change
                    flips += flip
                mrow[0] = mrow[half]
                mrow[half + 1] = mrow[1]
        bonds[s] = bond
        totals[s] = total
    for c in range(2):
        for row in range(size):
            q = (row + c) & 1
            for j in range(half):
                spins[row, 2 * j + q] = colours[c, row, j + 1]
    return flips


def compiled() -> Any:
    """`sweeps` compiled by numba (once per process, cached on disk)."""
    global _SWEEPS
    if _SWEEPS is None:
        numba: Any = importlib.import_module("numba")
        kernel = numba.njit(cache=True, nogil=True)(sweeps)
        spins = np.ones((2, 2), dtype=np.int8)
        counts = np.zeros(1, dtype=np.int64)
        kernel(spins, np.zeros((1, 10), np.uint64), np.uint64(1), 0, counts, counts.copy())
        _SWEEPS = kernel
    return _SWEEPS
