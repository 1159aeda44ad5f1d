"""The compiled travelling-salesman window (numba): the default move set, move by move.

A transcription of :meth:`TravellingSalesman._move`, :meth:`~TravellingSalesman.delta` and
:meth:`~TravellingSalesman.apply` over numpy arrays, with the same arithmetic in the same
order, so that a seed gives the same run as the pure-Python paths. Imported (and compiled, or
loaded from numba's cache) only by :func:`annealing.simulated._compiled.kernels`.
"""

from __future__ import annotations

import math
from typing import Any

import numba
from numba.extending import register_jitable

GEO_PI = 3.141592


@register_jitable
def _geo(v: float) -> float:  # pragma: no cover - compiled
    deg = math.trunc(v)
    return GEO_PI * (deg + 5.0 * (v - deg) / 3.0) / 180.0


@register_jitable
def _edge(x1: float, y1: float, x2: float, y2: float, code: int) -> float:  # pragma: no cover
    dx = x1 - x2
    dy = y1 - y2
    if code == 1:
        return math.sqrt(dx * dx + dy * dy)
    if code == 2:
        return math.floor(math.sqrt(dx * dx + dy * dy) + 0.5)
    if code == 3:
        return math.ceil(math.sqrt(dx * dx + dy * dy))
    if code == 4:
        r = math.sqrt((dx * dx + dy * dy) / 10.0)
        t = math.floor(r + 0.5)
        return t + 1.0 if t < r else t
    lat1 = _geo(x1)
    lon1 = _geo(y1)
    lat2 = _geo(x2)
    lon2 = _geo(y2)
    q1 = math.cos(lon1 - lon2)
    q2 = math.cos(lat1 - lat2)
    q3 = math.cos(lat1 + lat2)
    inner = min(1.0, max(-1.0, 0.5 * ((1.0 + q1) * q2 - (1.0 - q1) * q3)))
    return float(math.trunc(6378.388 * math.acos(inner) + 1.0))


@register_jitable(inline="always")
def _dist(xy: Any, dm: Any, code: int, a: int, b: int) -> float:  # pragma: no cover - compiled
    if code == 0:
        return float(dm[a, b])
    return _edge(xy[a, 0], xy[a, 1], xy[b, 0], xy[b, 1], code)


@register_jitable
def _up(v: int, n: int) -> int:  # pragma: no cover - compiled
    # v % n for 0 <= v < 2 * n, without a division
    return v - n if v >= n else v


@register_jitable
def _apply(tour: Any, pos: Any, move: Any) -> None:  # pragma: no cover - compiled
    n = tour.shape[0]
    if move[0] == 0:  # 2-opt: reverse positions i .. j cyclically
        i = move[1]
        j = move[2]
        while i < j:
            x = _up(i, n)
            y = _up(j, n)
            c = tour[x]
            tour[x] = tour[y]
            tour[y] = c
            pos[tour[x]] = x
            pos[tour[y]] = y
            i += 1
            j -= 1
        return
    i = move[1]
    length = move[2]
    j = move[3]
    after = move[4] & 1
    flip = move[4] >> 1
    s0 = tour[i]
    s1 = tour[_up(i + 1, n)]
    s2 = tour[_up(i + 2, n)]
    x = j if after else _up(j - 1 + n, n)
    ahead = (x - i - length) % n + 1
    behind = n - length - ahead
    if ahead <= behind:
        for m in range(ahead):
            k = _up(i + m, n)
            tour[k] = tour[_up(k + length, n)]
            pos[tour[k]] = k
        start = i + ahead
    else:
        y = _up(x + 1, n)
        for m in range(behind - 1, -1, -1):
            f = _up(y + m, n)
            k = _up(f + length, n)
            tour[k] = tour[f]
            pos[tour[k]] = k
        start = y
    for m in range(length):
        if flip:
            city = s0 if m == length - 1 else (s1 if m == length - 2 else s2)
        else:
            city = s0 if m == 0 else (s1 if m == 1 else s2)
        k = (start + m) % n
        tour[k] = city
        pos[city] = k


@numba.njit(cache=True, nogil=True)
def window(
    tour: Any,
    pos: Any,
    neighbours: Any,
    xy: Any,
    dm: Any,
    code: int,
    share: float,
    or_length: int,
    draws: Any,
    temperatures: Any,
    energy: float,
    best_energy: float,
    log: Any,
) -> tuple[float, float, int, int]:  # pragma: no cover - compiled
    """One window; accepted moves are written to `log` (kind, i, j or length, j, flags).

    Returns (energy, best energy, moves logged when the best was found or -1, accepted).
    """
    n = tour.shape[0]
    k_near = neighbours.shape[1]
    accepted = 0
    logged = 0
    best_at = -1
    move = log[0].copy()
    for k in range(temperatures.shape[0]):
        r0 = draws[5 * k]
        r1 = draws[5 * k + 1]
        r2 = draws[5 * k + 2]
        r3 = draws[5 * k + 3]
        u = draws[5 * k + 4]
        a = int(r1 * n)
        c = neighbours[a, int(r2 * k_near)]
        i = pos[a]
        j = pos[c]
        de = 0.0
        null = False
        if r0 < share:
            if r3 < 0.5:
                if i < j:
                    lo = i + 1
                    hi = j
                else:
                    lo = j + 1
                    hi = i
            else:
                if i < j:
                    lo = i
                    hi = j - 1
                else:
                    lo = j
                    hi = i - 1
            if hi <= lo:
                null = True
            else:
                if 2 * (hi - lo + 1) > n:
                    lo, hi = hi + 1, lo - 1 + n
                    if lo == n:
                        lo = 0
                        hi = hi - n
                if hi == lo or hi - lo == n - 1:
                    # nothing, or the whole tour reversed: the same cycle, a change of 0 (as
                    # TravellingSalesman._delta; the sum below need not round to 0 exactly)
                    move[0] = 0
                    move[1] = lo
                    move[2] = hi
                else:
                    ta = tour[_up(lo - 1 + n, n)]
                    tb = tour[lo]
                    tc = tour[_up(hi, n)]
                    te = tour[_up(hi + 1, n)]
                    de = (
                        _dist(xy, dm, code, ta, tc)
                        + _dist(xy, dm, code, tb, te)
                        - _dist(xy, dm, code, ta, tb)
                        - _dist(xy, dm, code, tc, te)
                    )
                    move[0] = 0
                    move[1] = lo
                    move[2] = hi
        else:
            q = int(r3 * 4 * or_length)
            length = 1 + q % or_length
            after = 1 if (q // or_length) % 2 == 0 else 0
            flip = q // (2 * or_length)
            if after == flip:
                i = _up(i - length + 1 + n, n)
            offset = _up(j - i + n, n)
            if (
                offset < length
                or (after == 1 and offset == n - 1)
                or (after == 0 and offset == length)
            ):
                null = True
            else:
                first = tour[i]
                last = tour[_up(i + length - 1, n)]
                before = tour[_up(i - 1 + n, n)]
                behind = tour[_up(i + length, n)]
                if after == 1:
                    x = tour[j]
                    y = tour[_up(j + 1, n)]
                else:
                    x = tour[_up(j - 1 + n, n)]
                    y = tour[j]
                if flip:
                    first, last = last, first
                de = (
                    _dist(xy, dm, code, before, behind)
                    + _dist(xy, dm, code, x, first)
                    + _dist(xy, dm, code, last, y)
                    - _dist(xy, dm, code, before, tour[i])
                    - _dist(xy, dm, code, tour[_up(i + length - 1, n)], behind)
                    - _dist(xy, dm, code, x, y)
                )
                move[0] = 1
                move[1] = i
                move[2] = length
                move[3] = j
                move[4] = after + 2 * flip
        if null:  # no move: not counted as accepted
            continue
        t = temperatures[k]
        if de <= 0.0 or (t > 0.0 and u < math.exp(-de / t)):
            accepted += 1
            _apply(tour, pos, move)
            log[logged, :] = move
            logged += 1
            energy += de
            if energy < best_energy:
                best_energy = energy
                best_at = logged
    return energy, best_energy, best_at, accepted


@numba.njit(cache=True, nogil=True)
def replay(tour: Any, log: Any, count: int) -> None:  # pragma: no cover - compiled
    """Make the first `count` logged moves on `tour` (the best state of a window)."""
    pos = tour.copy()  # scratch: _apply keeps it up to date, nothing reads it
    for k in range(count):
        _apply(tour, pos, log[k])
