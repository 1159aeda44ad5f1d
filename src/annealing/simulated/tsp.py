"""The travelling salesman problem: 2-opt and Or-opt moves among near neighbours, O(1) changes."""

from __future__ import annotations

import hashlib
import math
import os
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import _compiled, _tsplib
from ._problem import _short, count, real
from ._tsplib import MAX_CITIES, MAX_EXPLICIT, read_tour

__all__ = ["MAX_CITIES", "METRICS", "NEIGHBOURS", "TravellingSalesman", "read_tour"]

Tour = list[int]
Move2opt = tuple[int, ...]

#: Candidate cities per city in the default move set (the k nearest).
NEIGHBOURS = 10
#: Up to this many cities, distances are kept in an (n, n) matrix by default (32 MB at 2,000);
#: above, they are computed from the coordinates when needed (memory O(n)).
MATRIX_LIMIT = 2_000
#: The share of 2-opt moves among the proposals (the rest are Or-opt segment moves).
TWO_OPT_SHARE = 0.5
#: Or-opt moves take a segment of 1 to OR_LENGTH cities.
OR_LENGTH = 3

#: The distance functions of TSPLIB 95 that are implemented, plus plain real-valued "euclidean".
METRICS = ("euclidean", "EUC_2D", "CEIL_2D", "ATT", "GEO")


class TravellingSalesman:
    r"""A symmetric travelling salesman problem.

    The state is a tour: a list of the city indices ``0 .. n-1`` in visiting order. The energy
    is the tour's length. The default moves work on each city's `neighbours` nearest cities,
    where short tours have their edges (Johnson & McGeoch 1997 call these candidate lists):
    a move picks a random city :math:`a` and one of its near neighbours :math:`c`, then either

    - a **2-opt** move (half of the moves): the edges leaving :math:`a` and :math:`c` on the
      same side are replaced by :math:`(a, c)` and the edge between their other ends, which
      reverses the tour between them (Croes 1958). As a position pair ``(i, j)`` it reverses
      positions ``i .. j`` (cyclically; the shorter side is reversed, which is the same cycle):

    .. math::

        \begin{aligned}
        \Delta E &= d(t_{i-1}, t_j) + d(t_i, t_{j+1}) \\
          &\quad - d(t_{i-1}, t_i) - d(t_j, t_{j+1})
        \end{aligned}

    - or an **Or-opt** move (Or 1976): a segment of 1 to 3 cities that starts or ends at
      :math:`a` is cut out and put back between :math:`c` and a tour neighbour of :math:`c`,
      either way round, always with :math:`a` beside :math:`c`: a change of six edges.

    The default temperatures (:func:`~annealing.simulated.default_temperature`) fall
    geometrically from :math:`0.5\,d_{10}` to :math:`0.003\,d_{10}`, where :math:`d_{10}` is the
    mean distance from a city to its 10th-nearest (its last candidate with fewer neighbours);
    above 2,000 cities, from a space-filling-curve start, from :math:`0.8\,\bar d` to
    :math:`0.01\,\bar d`, :math:`\bar d` the mean distance to the nearest city. From a random
    start, a run of 20,000 or more moves a city makes ``moves // (10_000 * n)`` such
    descents one after another and keeps the best tour: a long slow descent freezes into one
    of many nearly equally long tours and stays there, and independent descents do better.

    Both cost O(1) to evaluate. ``neighbours=0`` gives the classic move set instead: a 2-opt
    move between two uniformly random positions (Kirkpatrick et al. 1983; Černý 1985), which
    needs no neighbour lists and is the one tutorial 05 teaches with.

    Parameters
    ----------
    coordinates : array_like of shape (n, 2)
        The cities' coordinates: finite real numbers, 4 <= n <= 1,000,000.
    metric : {"euclidean", "EUC_2D", "CEIL_2D", "ATT", "GEO"}
        How a distance is computed. ``"euclidean"`` keeps real-valued distances; the others are
        TSPLIB 95's integer distance functions (Reinelt 1991): ``EUC_2D`` rounds the Euclidean
        distance with nint(x) = floor(x + 0.5), ``CEIL_2D`` rounds it up, ``ATT`` is the
        pseudo-Euclidean distance of att48/att532, ``GEO`` the geographical distance (coordinates
        are DDD.MM degrees and minutes).
    name : str, optional
        A label, used in reprs and figures.
    optimum : float, optional
        The known optimal tour length (>= 0), when there is one (see :meth:`circle`,
        :meth:`grid`).
    neighbours : int
        Candidate cities per city, from 1 to 100 (at most n - 1 are used); default 10.
        0: uniformly random 2-opt moves (the classic move set).
    matrix : bool, optional
        Keep all distances in an (n, n) matrix (fast lookups, 8 n² bytes) or compute them from
        the coordinates when needed (memory O(n); the neighbour lists then come from scipy's
        ``cKDTree``). Default: a matrix up to 2,000 cities. An explicit matrix
        (:meth:`from_distances`) is always kept.

    Examples
    --------
    >>> from annealing.simulated import TravellingSalesman
    >>> square = TravellingSalesman([(0, 0), (0, 1), (1, 1), (1, 0)])
    >>> square.energy([0, 2, 1, 3])  # a crossed tour
    4.82842712474619
    >>> move = (1, 2)  # reverse positions 1..2
    >>> round(square.delta([0, 2, 1, 3], move), 12)  # 4 - 4.828...
    -0.828427124746
    >>> square.apply([0, 2, 1, 3], move)
    [0, 1, 2, 3]
    """

    def __init__(
        self,
        coordinates: Any,
        metric: str = "euclidean",
        *,
        name: str | None = None,
        optimum: float | None = None,
        neighbours: int = NEIGHBOURS,
        matrix: bool | None = None,
    ) -> None:
        owner = "TravellingSalesman"
        xy = _points(owner, coordinates)
        if not isinstance(metric, str) or metric not in METRICS:
            raise ValueError(f"{owner}: metric must be one of {', '.join(METRICS)}, got {metric!r}")
        if matrix is not None and not isinstance(matrix, bool):
            raise TypeError(f"{owner}: matrix must be True, False or None, got {_short(matrix)}")
        largest = float(np.max(np.abs(xy)))
        if metric != "GEO" and largest > 1e150:
            raise ValueError(
                f"{owner}: coordinates are too large: their distances overflow "
                f"(largest magnitude {largest:g}, at most 1e+150)"
            )
        if matrix is None:
            matrix = xy.shape[0] <= MATRIX_LIMIT
        distances = None
        if matrix:
            with np.errstate(over="ignore", invalid="ignore"):
                distances = _distance_matrix(xy, metric)
            if not np.all(np.isfinite(distances)):
                raise ValueError(
                    f"{owner}: coordinates are too large: their distances overflow "
                    f"(largest magnitude {largest:g})"
                )
        self._setup(owner, xy, metric, name, optimum, distances, neighbours)

    def _setup(
        self,
        owner: str,
        coordinates: np.ndarray[Any, np.dtype[np.float64]] | None,
        metric: str,
        name: Any,
        optimum: Any,
        distances: np.ndarray[Any, np.dtype[np.float64]] | None,
        neighbours: Any,
    ) -> None:
        if name is not None and not isinstance(name, str):
            raise TypeError(f"{owner}: name must be a str or None, got {_short(name)}")
        if optimum is not None:
            optimum = real(owner, "optimum", optimum, bound=1e300)
            if optimum < 0:
                raise ValueError(f"{owner}: optimum must be >= 0, got {optimum!r}")
        neighbours = count(owner, "neighbours", neighbours, 0, 100)
        #: The cities' coordinates, an (n, 2) float64 array (None for an explicit matrix
        #: given without coordinates to draw it).
        self.coordinates = coordinates
        self.metric = metric
        self.name: str | None = name
        self.optimum: float | None = optimum
        self._matrix = distances
        self.n = int(distances.shape[0] if distances is not None else len(coordinates))  # type: ignore[arg-type]
        self._metric_code = METRIC_CODES[metric]
        #: The candidate lists, an (n, k) int64 array: row a holds the k cities nearest to a,
        #: nearest first (None with ``neighbours=0``).
        self.neighbours: np.ndarray[Any, np.dtype[np.int64]] | None = None
        if neighbours:
            self.neighbours = _nearest(self, min(neighbours, self.n - 1))
        self._forget()

    def _forget(self) -> None:
        """Drop what is rebuilt on demand (lists for the pure-Python loops, tour positions)."""
        self._rows_cache: list[list[float]] | None = None
        self._near_cache: list[list[int]] | None = None
        self._owner: list[int] | None = None  # the tour whose positions _pos holds
        self._pos: list[int] = []

    def __getstate__(self) -> dict[str, Any]:  # to other processes: the data, not the caches
        state = dict(self.__dict__)
        for key in ("_rows_cache", "_near_cache", "_owner", "_pos"):
            state.pop(key, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._forget()

    @property
    def distances(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        """The distance matrix, an (n, n) float64 array.

        Without a stored matrix (``matrix=False``, or more than 2,000 cities) it is computed
        on each access: 8 n² bytes.
        """
        if self._matrix is not None:
            return self._matrix
        assert self.coordinates is not None
        return _distance_matrix(self.coordinates, self.metric)

    @property
    def _rows(self) -> list[list[float]]:
        # Rows as Python lists: indexing them is the fastest lookup in a pure-Python loop.
        if self._rows_cache is None:
            self._rows_cache = self.distances.tolist()
        return self._rows_cache

    def _distance(self, a: int, b: int) -> float:
        """d(a, b), from the matrix or computed as the metric says (the compiled path's way)."""
        if self._matrix is not None:
            return self._rows[a][b]
        xy = self.coordinates
        assert xy is not None
        return _one_distance(
            float(xy[a, 0]), float(xy[a, 1]), float(xy[b, 0]), float(xy[b, 1]), self._metric_code
        )

    @classmethod
    def from_distances(
        cls,
        distances: Any,
        *,
        coordinates: Any = None,
        name: str | None = None,
        optimum: float | None = None,
        neighbours: int = NEIGHBOURS,
    ) -> TravellingSalesman:
        """A problem given by its distance matrix (TSPLIB's ``EDGE_WEIGHT_TYPE: EXPLICIT``).

        `distances` is a symmetric (n, n) array of finite numbers >= 0 with a zero diagonal,
        4 <= n <= 10,000 (`neighbours` as in the class); `coordinates`, optional, are (n, 2)
        points to draw the tour with (they do not change a distance). :attr:`metric` is
        ``"EXPLICIT"``.

        >>> from annealing.simulated import TravellingSalesman
        >>> square = TravellingSalesman.from_distances(
        ...     [[0, 1, 2, 1], [1, 0, 1, 2], [2, 1, 0, 1], [1, 2, 1, 0]]
        ... )
        >>> square.energy([0, 1, 2, 3]), square.energy([0, 2, 1, 3])
        (4.0, 6.0)
        """
        owner = "TravellingSalesman.from_distances"
        matrix = _real_array(owner, "distances", distances)
        n = matrix.shape[0] if matrix.ndim == 2 else 0
        if matrix.ndim != 2 or matrix.shape != (n, n) or not 4 <= n <= MAX_EXPLICIT:
            raise ValueError(
                f"{owner}: distances must have shape (n, n) with 4 <= n <= {MAX_EXPLICIT}, "
                f"got shape {matrix.shape}"
            )
        if not np.all(np.isfinite(matrix)) or np.any(matrix < 0):
            bad = np.argwhere(~(np.isfinite(matrix) & (matrix >= 0)))[0]
            raise ValueError(
                f"{owner}: distances must be finite numbers >= 0, "
                f"got distances[{bad[0]}, {bad[1]}] = {float(matrix[bad[0], bad[1]])!r}"
            )
        if not np.array_equal(matrix, matrix.T):
            i, j = np.argwhere(matrix != matrix.T)[0]
            raise ValueError(
                f"{owner}: distances must be symmetric, got distances[{i}, {j}] = "
                f"{float(matrix[i, j])!r} and distances[{j}, {i}] = {float(matrix[j, i])!r}"
            )
        if np.any(np.diag(matrix) != 0):
            k = int(np.argmax(np.diag(matrix) != 0))
            raise ValueError(
                f"{owner}: distances must have a zero diagonal, got distances[{k}, {k}] = "
                f"{float(matrix[k, k])!r}"
            )
        xy = None if coordinates is None else _points(owner, coordinates)
        if xy is not None and xy.shape[0] != n:
            raise ValueError(
                f"{owner}: coordinates must have one point per city ({n}), got {xy.shape[0]}"
            )
        problem = cls.__new__(cls)
        problem._setup(
            owner, xy, "EXPLICIT", name, optimum, np.ascontiguousarray(matrix), neighbours
        )
        return problem

    def __repr__(self) -> str:
        label = f"name={self.name!r}, " if self.name else ""
        return f"<TravellingSalesman {label}n={self.n}, metric={self.metric!r}>"

    # -- generators with known optima ---------------------------------------------------------

    @classmethod
    def circle(cls, n: int, radius: float = 1.0) -> TravellingSalesman:
        r"""`n` cities evenly spaced on a circle; the optimum is the regular polygon.

        The optimal tour visits them in angular order (a convex polygon's boundary is its
        shortest tour), with length :math:`2 n r \sin(\pi / n)`.

        >>> from annealing.simulated import TravellingSalesman
        >>> TravellingSalesman.circle(6).optimum
        6.0
        """
        owner = "TravellingSalesman.circle"
        n = count(owner, "n", n, 4, MAX_CITIES)
        radius = real(owner, "radius", radius, bound=1e150)
        if not radius > 0:
            raise ValueError(f"{owner}: radius must be > 0, got {radius!r}")
        angles = 2 * np.pi * np.arange(n) / n
        xy = radius * np.column_stack([np.cos(angles), np.sin(angles)])
        optimum = float(np.round(2 * n * radius * math.sin(math.pi / n), 12))
        return cls(xy, name=f"circle{n}", optimum=optimum)

    @classmethod
    def grid(cls, rows: int, cols: int, spacing: float = 1.0) -> TravellingSalesman:
        """``rows x cols`` cities on a square grid; with an even number of cities the optimum
        is ``rows * cols * spacing`` (a tour that moves one grid step at a time).

        >>> from annealing.simulated import TravellingSalesman
        >>> TravellingSalesman.grid(4, 5).optimum
        20.0
        """
        owner = "TravellingSalesman.grid"
        rows = count(owner, "rows", rows, 2, MAX_CITIES // 2)
        cols = count(owner, "cols", cols, 2, MAX_CITIES // 2)
        if rows * cols > MAX_CITIES:
            raise ValueError(
                f"{owner}: rows * cols must be at most {MAX_CITIES}, got {rows * cols}"
            )
        if (rows * cols) % 2:
            raise ValueError(
                "TravellingSalesman.grid: rows * cols must be even (then the optimum is known), "
                f"got {rows} x {cols}"
            )
        spacing = real(owner, "spacing", spacing, bound=1e150)
        if not spacing > 0:
            raise ValueError(f"{owner}: spacing must be > 0, got {spacing!r}")
        yy, xx = np.mgrid[0:rows, 0:cols]
        xy = spacing * np.column_stack([xx.ravel(), yy.ravel()]).astype(np.float64)
        return cls(xy, name=f"grid{rows}x{cols}", optimum=float(rows * cols * spacing))

    @classmethod
    def from_tsplib(cls, path: str | os.PathLike[str]) -> TravellingSalesman:
        """Read a TSPLIB 95 ``.tsp`` file (symmetric ``TYPE: TSP``), up to 10,000 cities.

        Supported ``EDGE_WEIGHT_TYPE`` values: ``EUC_2D``, ``CEIL_2D``, ``ATT``, ``GEO`` (with a
        ``NODE_COORD_SECTION``) and ``EXPLICIT`` (an ``EDGE_WEIGHT_SECTION`` in any of the nine
        ``EDGE_WEIGHT_FORMAT`` values: ``FULL_MATRIX``, ``UPPER_ROW``, ``LOWER_DIAG_ROW``, ...;
        a ``DISPLAY_DATA_SECTION``, when there is one, gives :attr:`coordinates`).

        A malformed file raises one :class:`ValueError` naming the file and the line
        (``tiny.tsp:4: DIMENSION must be a positive integer, got 'abc'``); so do a missing
        file, a directory, a FIFO and a file over 64 MiB (the rules are in
        ``annealing.simulated._tsplib``). When an ``.opt.tour`` file with the same stem lies
        beside it and lists each city of this instance once, its length becomes
        :attr:`optimum`; one that does not is ignored with a :class:`UserWarning` saying why,
        and :attr:`optimum` stays ``None``.
        """
        instance = _tsplib.read_tsp(path)
        name, spec = instance.name, instance.spec
        try:
            if instance.distances is not None:
                problem = cls.from_distances(
                    instance.distances, coordinates=instance.coordinates, name=spec.get("NAME")
                )
            else:
                problem = cls(
                    instance.coordinates, metric=spec["EDGE_WEIGHT_TYPE"], name=spec.get("NAME")
                )
        except (TypeError, ValueError) as error:
            raise ValueError(f"{name}: {error}") from None
        stem = name[: -len(".tsp")] if name.endswith(".tsp") else name
        tour_path = stem + ".opt.tour"
        if os.path.lexists(tour_path):
            try:
                tour = _tsplib.read_tour(tour_path, dimension=problem.n)
            except ValueError as error:
                warnings.warn(
                    f"{error} (ignored: the optimum of {name} is left unknown)",
                    UserWarning,
                    stacklevel=2,
                )
            else:
                problem.optimum = problem.energy(tour)
        return problem

    # -- the Problem protocol -----------------------------------------------------------------

    def random_state(self, rng: np.random.Generator) -> Tour:
        """A uniformly random tour."""
        return [int(c) for c in rng.permutation(self.n)]

    def start_state(self, rng: np.random.Generator) -> Tour:
        """The default start of :func:`~annealing.simulated.anneal`: a random tour up to
        2,000 cities; above, the cities in the order of a space-filling (Hilbert) curve through
        their coordinates, turned to start at a random city (a random tour of many cities
        would cost most of a run's moves just to untangle)."""
        if self._random_start or self.coordinates is None:
            return self.random_state(rng)
        order = _hilbert_order(self.coordinates, self.metric)
        shift = int(rng.random() * self.n)
        return [int(c) for c in np.roll(order, -shift)]

    def energy(self, state: Sequence[int]) -> float:
        """The length of the closed tour `state` (checked: each city once, else ValueError)."""
        order = np.array(self.check_state(state), dtype=np.int64)
        if self._matrix is not None:
            lengths = self._matrix[np.roll(order, 1), order]
        else:
            xy = self.coordinates
            assert xy is not None
            lengths = _distances(xy[np.roll(order, 1)], xy[order], self.metric)
        return float(sum(lengths.tolist()))  # added in tour order, as the loops add them

    def propose(self, state: Tour, rng: np.random.Generator) -> Move2opt | None:
        """A random move (see the class): a 2-opt move ``(i, j)`` or an Or-opt move
        ``(i, length, j, after, flip)``, in tour positions, or None when the cities drawn
        allow no move (the neighbour is already next to the city on that side). Draws four
        ``rng.random()`` (two with ``neighbours=0``)."""
        if self.neighbours is None:
            return self._uniform(rng.random(), rng.random())
        return self._move(state, rng.random(), rng.random(), rng.random(), rng.random())

    def _uniform(self, r1: float, r2: float) -> Move2opt:
        n = self.n
        i = int(r1 * n)
        j = (i + 1 + int(r2 * (n - 1))) % n
        return (i, j) if i < j else (j, i)

    def _move(self, state: Tour, r0: float, r1: float, r2: float, r3: float) -> Move2opt | None:
        """The move that the numbers r0 .. r3 in [0, 1) choose (as the compiled path does)."""
        n = self.n
        near = self._near_cache
        if near is None:
            assert self.neighbours is not None
            near = self._near_cache = self.neighbours.tolist()
        a = int(r1 * n)
        row = near[a]
        c = row[int(r2 * len(row))]
        pos = self._pos
        if state is not self._owner or state[pos[a]] != a or state[pos[c]] != c:
            pos = self._pos = [0] * n
            for k, city in enumerate(state):
                pos[city] = k
            self._owner = state
        i, j = pos[a], pos[c]
        if r0 < TWO_OPT_SHARE:
            if r3 < 0.5:  # drop the edges after a and after c
                lo, hi = (i + 1, j) if i < j else (j + 1, i)
            else:  # drop the edges before a and before c
                lo, hi = (i, j - 1) if i < j else (j, i - 1)
            if hi <= lo:
                return None  # c is next to a that way: nothing to do
            if 2 * (hi - lo + 1) > n:  # reverse the other side: the same cycle, fewer swaps
                lo, hi = hi + 1, lo - 1 + n
                if lo == n:
                    lo, hi = 0, hi - n
            return (lo, hi)
        q = int(r3 * 4 * OR_LENGTH)
        length = 1 + q % OR_LENGTH
        after = 1 if (q // OR_LENGTH) % 2 == 0 else 0
        flip = q // (2 * OR_LENGTH)
        if after == flip:  # the segment ends at a (else starts there): a lands beside c
            i = (i - length + 1) % n
        offset = (j - i) % n  # how far c is after the segment's start
        if offset < length or (after and offset == n - 1) or (not after and offset == length):
            return None  # c is in the segment or already beside it where it would go
        return (i, length, j, after, flip)

    def delta(self, state: Tour, move: Move2opt) -> float:
        """The change in length of `move` (see :meth:`propose`), in O(1).

        A move that :meth:`propose` cannot return is refused with a :class:`ValueError`
        (the fast paths skip this check: their moves come from :meth:`_move`)."""
        return self._delta(state, self._checked(move, "delta"))

    def _checked(self, move: Any, method: str) -> Move2opt:
        """`move` if it is a move of this instance (see :meth:`propose`), else ValueError."""
        n = self.n
        if isinstance(move, tuple) and all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in move
        ):
            if len(move) == 2:
                i, j = move
                if 0 <= i < n and i <= j <= i + n - 1:
                    return move
            elif len(move) == 5:
                i, length, j, after, flip = move
                if (
                    0 <= i < n
                    and 0 <= j < n
                    and 1 <= length <= n - 2
                    and after in (0, 1)
                    and flip in (0, 1)
                ):
                    offset = (j - i) % n
                    if not (
                        offset < length
                        or (after and offset == n - 1)
                        or (not after and offset == length)
                    ):
                        return move
        raise ValueError(
            f"TravellingSalesman.{method}: move must be a 2-opt move (i, j) with "
            f"0 <= i < {n} and i <= j <= i + {n - 1}, or an Or-opt move "
            "(i, length, j, after, flip) with positions i, j from 0 to "
            f"{n - 1}, 1 <= length <= {n - 2}, after and flip 0 or 1, and j outside the "
            f"segment and not beside it where it goes; got {_short(move)}"
        )

    def _delta(self, state: Tour, move: Move2opt) -> float:
        n = self.n
        rows = self._rows_cache
        if rows is None and self._matrix is not None:
            rows = self._rows
        if len(move) == 2:
            i, j = move
            if i == j or j - i == n - 1:  # nothing, or the whole tour reversed: same cycle
                return 0.0
            a, b, c, e = state[i - 1], state[i], state[j % n], state[(j + 1) % n]
            if rows is not None:  # the same sum, looked up in the matrix's rows
                ra, rc = rows[a], rows[c]
                return ra[c] + rows[b][e] - ra[b] - rc[e]
            d = self._distance
            return d(a, c) + d(b, e) - d(a, b) - d(c, e)
        d = self._distance
        if rows is not None:
            d = _lookup(rows)
        i, length, j, after, flip = move
        first, last = state[i], state[(i + length - 1) % n]
        before, behind = state[(i - 1) % n], state[(i + length) % n]
        x, y = (state[j], state[(j + 1) % n]) if after else (state[(j - 1) % n], state[j])
        if flip:
            first, last = last, first
        return (
            d(before, behind)
            + d(x, first)
            + d(last, y)
            - d(before, state[i])
            - d(state[(i + length - 1) % n], behind)
            - d(x, y)
        )

    def apply(self, state: Tour, move: Move2opt) -> Tour:
        """Make `move` in place: reverse positions ``i .. j`` (cyclically), or move a segment.

        A move that :meth:`propose` cannot return is refused with a :class:`ValueError`."""
        return self._apply(state, self._checked(move, "apply"))

    def _apply(self, state: Tour, move: Move2opt) -> Tour:
        n = self.n
        pos = self._pos if state is self._owner else None
        if len(move) == 2:
            i, j = move
            if j < n:
                state[i : j + 1] = state[i : j + 1][::-1]
                if pos is not None:
                    for k in range(i, j + 1):
                        pos[state[k]] = k
                return state
            while i < j:  # wraps around the end of the list
                x, y = i % n, j % n
                state[x], state[y] = state[y], state[x]
                if pos is not None:
                    pos[state[x]], pos[state[y]] = x, y
                i += 1
                j -= 1
            return state
        i, length, j, after, flip = move
        segment = [state[(i + m) % n] for m in range(length)]
        if flip:
            segment.reverse()
        x = j if after else (j - 1) % n  # the segment goes right after position x
        ahead = (x - i - length) % n + 1  # cities between the segment and x, going forward
        behind = n - length - ahead  # cities between x + 1 and the segment, going back
        if ahead <= behind:  # shift those ahead back by `length`, then put the segment in
            for m in range(ahead):
                k = (i + m) % n
                state[k] = state[(i + length + m) % n]
                if pos is not None:
                    pos[state[k]] = k
            start = i + ahead
        else:  # shift those behind forward by `length`
            y = (x + 1) % n
            for m in range(behind - 1, -1, -1):
                k = (y + m + length) % n
                state[k] = state[(y + m) % n]
                if pos is not None:
                    pos[state[k]] = k
            start = y
        for m in range(length):
            k = (start + m) % n
            state[k] = segment[m]
            if pos is not None:
                pos[segment[m]] = k
        return state

    def copy(self, state: Tour) -> Tour:
        """A copy of the tour."""
        return list(state)

    def check_state(self, state: Any) -> Tour:
        """A copy of `state` if it is a tour: each city ``0 .. n-1`` once (else ValueError)."""
        n = self.n
        if not isinstance(state, (list, tuple, np.ndarray)):
            raise ValueError(
                f"TravellingSalesman: a tour must be a list of the cities 0..{n - 1}, "
                f"got {type(state).__name__}"
            )
        if len(state) != n:
            raise ValueError(
                f"TravellingSalesman: a tour must list each of the {n} cities once, "
                f"got {len(state)} entries"
            )
        seen = bytearray(n)
        tour = []
        for k, city in enumerate(state):
            if isinstance(city, bool) or not isinstance(city, (int, np.integer)):
                raise ValueError(
                    f"TravellingSalesman: tour[{k}] must be a city index, got {_short(city)}"
                )
            if not 0 <= city < n:
                raise ValueError(
                    f"TravellingSalesman: tour[{k}] must be from 0 to {n - 1}, got {city}"
                )
            if seen[city]:
                raise ValueError(f"TravellingSalesman: city {city} appears twice in the tour")
            seen[city] = 1
            tour.append(int(city))
        return tour

    def fingerprint(self) -> str:
        """A sha256 of the metric and the coordinates, or of an explicit distance matrix, and
        of the move set (recorded in checkpoints)."""
        k = 0 if self.neighbours is None else self.neighbours.shape[1]
        digest = hashlib.sha256(f"TravellingSalesman\n{self.metric}\n{self.n}\n".encode())
        data = self._matrix if self.metric == "EXPLICIT" else self.coordinates
        digest.update(np.ascontiguousarray(data, dtype="<f8").tobytes())
        if k != NEIGHBOURS:  # the default move set keeps the fingerprints of earlier versions
            digest.update(f"neighbours={k}".encode())
        return digest.hexdigest()

    def _default_temperature(self, steps: int, moves: int | None = None) -> Any:
        """The default schedule for this instance (see :func:`default_temperature`), over
        `steps` moves, for a run that makes `moves` moves (default `steps`; a timed run
        estimates them)."""
        import annealing

        if self.neighbours is None:
            return None  # the classic move set: from sampled uphill moves
        if self._random_start:
            scale = _reach_scale(self)
            cycles = _cycles(steps if moves is None else moves, self.n)
            cycle = annealing.Exponential(
                start=T0_SCALE * scale, end=T1_SCALE * scale, steps=steps / cycles
            )
            return cycle if cycles == 1 else annealing.Restarts(cycle)
        scale = _nearest_scale(self)  # a space-filling-curve start: keep its order, start cold
        return annealing.Exponential(
            start=CURVE_T0_SCALE * scale, end=CURVE_T1_SCALE * scale, steps=steps
        )

    @property
    def _random_start(self) -> bool:
        """Whether :meth:`start_state` is a random tour (else a space-filling curve)."""
        return self.n <= MATRIX_LIMIT or self.coordinates is None

    @property
    def _auto_numba_moves(self) -> int:
        # engine="auto" starts numba from this many moves: the neighbour moves cost the pure
        # Python loop about four times the classic ones, so numba pays off sooner.
        return 1_000_000 if self.neighbours is None else 100_000

    def _default_window(self, steps: int) -> int:
        # Each window copies the tour a few times: with many cities, fewer, longer windows
        # (up to 2**19 moves: the compiled path holds 80 bytes per move of a window).
        return max(1, steps // 500, min(steps, 20 * self.n, 2**19))

    # -- the fast paths (same random numbers, same arithmetic, same result) ------------------

    def _window(
        self,
        engine: str,
        state: Tour,
        energy: float,
        best_energy: float,
        temperatures: np.ndarray[Any, np.dtype[np.float64]],
        rng: np.random.Generator,
    ) -> tuple[float, float, Tour | None, int]:
        """Anneal one window of moves as the reference loop would, only faster.

        Returns ``(energy, best_energy, best_state or None, accepted)``; `state` is changed
        in place. Every move draws its numbers (five, or three with ``neighbours=0``) in the
        reference loop's order, so all paths see the same stream.
        """
        m = len(temperatures)
        if self.neighbours is None:
            return self._window_uniform(engine, state, energy, best_energy, temperatures, rng)
        draws = rng.random(5 * m)
        if engine == "numba":
            kernels = _compiled.kernels()
            tour = np.array(state, dtype=np.int64)
            start = tour.copy()
            pos = np.empty_like(tour)
            pos[tour] = np.arange(self.n, dtype=np.int64)
            log = np.empty((m, 5), dtype=np.int64)
            # with a matrix, its lengths (code 0: the lookups the pure-Python paths make, and
            # several times faster than computing each from the coordinates)
            dm = self._matrix if self._matrix is not None else _NO_MATRIX
            xy = self.coordinates if self.coordinates is not None else _NO_MATRIX
            code = 0 if self._matrix is not None else self._metric_code
            energy, new_best, best_at, accepted = kernels.tsp_near_window(
                tour,
                pos,
                self.neighbours,
                xy,
                dm,
                code,
                TWO_OPT_SHARE,
                OR_LENGTH,
                draws,
                temperatures,
                energy,
                best_energy,
                log,
            )
            state[:] = tour.tolist()
            self._owner = None
            if best_at < 0:
                return energy, new_best, None, accepted
            kernels.tsp_replay(start, log, best_at)
            return energy, new_best, start.tolist(), accepted
        values = draws.tolist()
        exp = math.exp
        best: Tour | None = None
        accepted = 0
        move_of, delta, apply = self._move, self._delta, self._apply
        for k, t in enumerate(temperatures.tolist()):
            r0, r1, r2, r3, u = values[5 * k : 5 * k + 5]
            move = move_of(state, r0, r1, r2, r3)
            if move is None:
                continue
            de = delta(state, move)
            if de <= 0.0 or (t > 0.0 and u < exp(-de / t)):
                apply(state, move)
                energy += de
                accepted += 1
                if energy < best_energy:
                    best_energy = energy
                    best = state[:]
        return energy, best_energy, best, accepted

    def _window_uniform(
        self,
        engine: str,
        state: Tour,
        energy: float,
        best_energy: float,
        temperatures: np.ndarray[Any, np.dtype[np.float64]],
        rng: np.random.Generator,
    ) -> tuple[float, float, Tour | None, int]:
        draws = rng.random(3 * len(temperatures))
        if engine == "numba":
            tour = np.array(state, dtype=np.int64)
            best = np.empty_like(tour)
            energy, new_best, found, accepted = _compiled.kernels().tsp_window(
                tour, self.distances, draws, temperatures, energy, best_energy, best
            )
            state[:] = tour.tolist()
            return energy, new_best, (best.tolist() if found else None), accepted
        n = self.n
        first = (draws[0::3] * n).astype(np.int64)  # as propose(): int(r * n)
        second = (first + 1 + (draws[1::3] * (n - 1)).astype(np.int64)) % n
        low = np.minimum(first, second)
        high = np.maximum(first, second)
        return _tsp_window(
            state,
            self._rows,
            low.tolist(),
            high.tolist(),
            draws[2::3].tolist(),
            temperatures.tolist(),
            energy,
            best_energy,
        )


def _lookup(rows: list[list[float]]) -> Any:
    def d(a: int, b: int) -> float:
        return rows[a][b]

    return d


def _tsp_window(
    tour: Tour,
    rows: list[list[float]],
    low: list[int],
    high: list[int],
    uniforms: list[float],
    temperatures: list[float],
    energy: float,
    best_energy: float,
) -> tuple[float, float, Tour | None, int]:
    """The reference loop specialised to uniform 2-opt, with the random numbers drawn first."""
    n = len(tour)
    exp = math.exp
    best: Tour | None = None
    accepted = 0
    for i, j, u, t in zip(low, high, uniforms, temperatures, strict=True):
        if j - i == n - 1:
            de = 0.0
        else:
            a = tour[i - 1]
            b = tour[i]
            c = tour[j]
            d = tour[j + 1] if j + 1 < n else tour[0]
            ra = rows[a]
            rc = rows[c]
            de = ra[c] + rows[b][d] - ra[b] - rc[d]
        if de <= 0.0 or (t > 0.0 and u < exp(-de / t)):
            tour[i : j + 1] = tour[i : j + 1][::-1]
            energy += de
            accepted += 1
            if energy < best_energy:
                best_energy = energy
                best = tour[:]
    return energy, best_energy, best, accepted


# -- distances ---------------------------------------------------------------------------------


def _real_array(owner: str, label: str, value: Any) -> np.ndarray[Any, np.dtype[np.float64]]:
    """`value` as a float64 array, if it is an array of real numbers (not bool)."""
    try:
        given = np.asarray(value)
    except (TypeError, ValueError):  # ragged lists, objects numpy refuses
        raise ValueError(
            f"{owner}: {label} must be an array of real numbers (rows of one length), "
            f"got {_short(value)}"
        ) from None
    if given.dtype.kind not in "iuf":
        raise TypeError(
            f"{owner}: {label} must be real numbers, got an array of dtype {given.dtype}"
        )
    return given.astype(np.float64)


def _points(owner: str, coordinates: Any) -> np.ndarray[Any, np.dtype[np.float64]]:
    xy = _real_array(owner, "coordinates", coordinates)
    if xy.ndim != 2 or xy.shape[1] != 2 or not 4 <= xy.shape[0] <= MAX_CITIES:
        raise ValueError(
            f"{owner}: coordinates must have shape (n, 2) with n >= 4, n <= {MAX_CITIES}, "
            f"got shape {xy.shape}"
        )
    if not np.all(np.isfinite(xy)):
        raise ValueError(f"{owner}: coordinates must be finite numbers")
    return xy


def _nint(x: np.ndarray[Any, np.dtype[np.float64]]) -> np.ndarray[Any, np.dtype[np.float64]]:
    # TSPLIB's nint: floor(x + 0.5). Python's round() would round halves to even.
    return np.floor(x + 0.5)


#: How the compiled path is told the metric (MATRIX: look the distance up).
METRIC_CODES = {"EXPLICIT": 0, "euclidean": 1, "EUC_2D": 2, "CEIL_2D": 3, "ATT": 4, "GEO": 5}
_NO_MATRIX = np.zeros((1, 2))
GEO_PI = 3.141592  # the constant TSPLIB prescribes, not math.pi
#: From a random start (up to MATRIX_LIMIT cities) the default schedule runs from T0_SCALE to
#: T1_SCALE times the mean distance from a city to its REACH-th nearest, how far the default
#: moves reach. Tuned only on generated instances (benchmarks/tsp_instances.py: uniform,
#: clustered, lattice, drilling; 160-290 cities) and berlin52, eil51, st70, kroA100: over 32
#: instances and 5 seeds at 10^6 moves the mean gap to the best known fell from 1.42% (worst
#: instance 6.44%) with 0.8 and 0.01 times the nearest-neighbour distance to 0.88% (2.14%);
#: at 10^7 moves from 0.54% (1.90%) to 0.43% (0.95%). On clustered and drilling-like
#: instances the nearest neighbour (a pin's pitch) is far shorter than the distances that
#: order the tour, and the colder start froze that order early.
T0_SCALE = 0.5
T1_SCALE = 0.003
REACH = 10
#: With a budget of at least 2 * CYCLE_MOVES moves a city, the default schedule from a random
#: start is ``moves // (CYCLE_MOVES * n)`` descents one after another (each from T0_SCALE,
#: the tour it starts from melted; the run's best is kept): a slow anneal freezes into one
#: of many nearly equally long tours (on lattices, a ladder of two rows zigzagged or walked
#: along one row and back), and more moves in the one descent no longer help (tsp225, looked
#: at only to find this: 1.05-1.07% at 1.6e7 and 6.4e7 moves, 3-opt-optimal tours), while
#: independent descents each freeze differently. Chosen only on generated instances
#: (benchmarks/tsp_instances.py): at 3*10^7 moves (2 seeds) the mean gap to the best known
#: over the 12 of the tuning set fell from -0.33% with one descent to -0.52% with descents
#: of 10,000 moves a city (-0.55% with 5,000, -0.52% with 20,000; with 10,000 one instance's
#: mean 0.04 points worse, the rest better or equal); on 8 lattice and drilling ones at
#: 2*10^7 moves, -4.18% with one, -4.74%, -4.83%, -4.90% with 2, 4, 8.
CYCLE_MOVES = 10_000
#: From a space-filling-curve start (more cities): CURVE_T0_SCALE to CURVE_T1_SCALE times the
#: mean nearest-neighbour distance, cold enough to keep the curve's order (at 20 moves a city
#: on 100,000 cities, a start at 0.5 times the 10th-nearest distance ended 1.5% longer).
CURVE_T0_SCALE = 0.8
CURVE_T1_SCALE = 0.01


def _geo_radians(v: float) -> float:
    deg = math.trunc(v)
    return GEO_PI * (deg + 5.0 * (v - deg) / 3.0) / 180.0


def _one_distance(x1: float, y1: float, x2: float, y2: float, code: int) -> float:
    """One distance, computed as :func:`_distances` does (and the compiled path)."""
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
    lat1, lon1, lat2, lon2 = _geo_radians(x1), _geo_radians(y1), _geo_radians(x2), _geo_radians(y2)
    q1 = math.cos(lon1 - lon2)
    q2 = math.cos(lat1 - lat2)
    q3 = math.cos(lat1 + lat2)
    inner = min(1.0, max(-1.0, 0.5 * ((1.0 + q1) * q2 - (1.0 - q1) * q3)))
    return float(math.trunc(6378.388 * math.acos(inner) + 1.0))


def _distances(
    p: np.ndarray[Any, np.dtype[np.float64]], q: np.ndarray[Any, np.dtype[np.float64]], metric: str
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Distances between the points `p` and `q` (arrays (..., 2), broadcast together)."""
    dx = p[..., 0] - q[..., 0]
    dy = p[..., 1] - q[..., 1]
    if metric == "euclidean":
        return np.sqrt(dx * dx + dy * dy)
    if metric == "EUC_2D":
        return _nint(np.sqrt(dx * dx + dy * dy))
    if metric == "CEIL_2D":
        return np.ceil(np.sqrt(dx * dx + dy * dy))
    if metric == "ATT":
        # TSPLIB 95: r = sqrt((xd^2 + yd^2) / 10); t = nint(r); d = t + 1 if t < r else t
        r = np.sqrt((dx * dx + dy * dy) / 10.0)
        t = _nint(r)
        return np.where(t < r, t + 1.0, t)

    # GEO. TSPLIB 95: coordinates are DDD.MM; deg = integer part, as Concorde truncates.
    def radians(v: np.ndarray[Any, np.dtype[np.float64]]) -> np.ndarray[Any, np.dtype[np.float64]]:
        deg = np.trunc(v)
        radian: np.ndarray[Any, np.dtype[np.float64]] = GEO_PI * (deg + 5.0 * (v - deg) / 3.0) / 180
        return radian

    lat1, lon1, lat2, lon2 = (
        radians(p[..., 0]),
        radians(p[..., 1]),
        radians(q[..., 0]),
        radians(q[..., 1]),
    )
    q1 = np.cos(lon1 - lon2)
    q2 = np.cos(lat1 - lat2)
    q3 = np.cos(lat1 + lat2)
    inner = np.clip(0.5 * ((1.0 + q1) * q2 - (1.0 - q1) * q3), -1.0, 1.0)
    d: np.ndarray[Any, np.dtype[np.float64]] = np.trunc(6378.388 * np.arccos(inner) + 1.0)
    return d


def _distance_matrix(
    xy: np.ndarray[Any, np.dtype[np.float64]], metric: str
) -> np.ndarray[Any, np.dtype[np.float64]]:
    d = _distances(xy[:, None, :], xy[None, :, :], metric)
    if metric == "GEO":
        np.fill_diagonal(d, 0.0)
    return d


def _nearest(problem: TravellingSalesman, k: int) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Each city's `k` nearest other cities, nearest first (an (n, k) int64 array)."""
    n = problem.n
    out = np.empty((n, k), dtype=np.int64)
    if problem._matrix is not None:
        matrix = problem._matrix
        for start in range(0, n, 256):
            block = matrix[start : start + 256].copy()
            rows = np.arange(block.shape[0])
            block[rows, rows + start] = np.inf  # not itself
            part = np.argpartition(block, k - 1, axis=1)[:, :k] if k < n - 1 else None
            if part is None:
                part = np.argsort(block, axis=1, kind="stable")[:, :k]
            near = np.take_along_axis(block, part, axis=1)
            order = np.lexsort((part, near), axis=1)  # by distance, then by index
            out[start : start + block.shape[0]] = np.take_along_axis(part, order, axis=1)
        return out
    xy = problem.coordinates
    assert xy is not None
    try:
        from scipy.spatial import cKDTree
    except ImportError:  # pragma: no cover - scipy is installed where this is tested
        raise ImportError(
            f"TravellingSalesman: {n} cities without a distance matrix need scipy for the "
            "neighbour lists (pip install scipy), or pass matrix=True"
        ) from None
    points = xy
    if problem.metric == "GEO":  # nearest on the sphere: by the chord between unit vectors
        lat = GEO_PI * (np.trunc(xy[:, 0]) + 5.0 * (xy[:, 0] - np.trunc(xy[:, 0])) / 3.0) / 180
        lon = GEO_PI * (np.trunc(xy[:, 1]) + 5.0 * (xy[:, 1] - np.trunc(xy[:, 1])) / 3.0) / 180
        points = np.column_stack(
            [np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)]
        )
    _, found = cKDTree(points).query(points, k=k + 1)
    found = np.asarray(found, dtype=np.int64)
    itself = found == np.arange(n)[:, None]
    itself[~itself.any(axis=1), -1] = True  # a duplicate city came first: drop the last
    out[:] = found[~itself].reshape(n, k)
    return out


def _mean_distance(problem: TravellingSalesman, column: int) -> float:
    """The mean distance from a city to its candidate in `column` of the neighbour lists."""
    assert problem.neighbours is not None
    other = problem.neighbours[:, column]
    if problem._matrix is not None:
        lengths = problem._matrix[np.arange(problem.n), other]
    else:
        xy = problem.coordinates
        assert xy is not None
        lengths = _distances(xy, xy[other], problem.metric)
    return float(np.mean(lengths))


def _nearest_scale(problem: TravellingSalesman) -> float:
    """The mean distance from a city to its nearest neighbour (> 0; 1 if all coincide)."""
    scale = _mean_distance(problem, 0)
    return scale if scale > 0 else 1.0


def _reach_scale(problem: TravellingSalesman) -> float:
    """The mean distance from a city to its REACH-th nearest (its last candidate if it has
    fewer), > 0; the nearest-neighbour scale if all of those coincide."""
    assert problem.neighbours is not None
    scale = _mean_distance(problem, min(REACH, problem.neighbours.shape[1]) - 1)
    return scale if scale > 0 else _nearest_scale(problem)


def _cycles(moves: int, n: int) -> int:
    """How many descents the default schedule makes in `moves` moves on `n` cities."""
    return max(1, int(moves) // (CYCLE_MOVES * n))


def _hilbert_order(
    xy: np.ndarray[Any, np.dtype[np.float64]], metric: str
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """The cities in the order of a Hilbert curve through their bounding box."""
    bits = 16
    side = (1 << bits) - 1
    low = xy.min(axis=0)
    span = float(np.max(xy.max(axis=0) - low)) or 1.0
    cells = np.floor((xy - low) / span * side).astype(np.int64)
    x, y = cells[:, 0].copy(), cells[:, 1].copy()
    index = np.zeros(len(xy), dtype=np.int64)
    s = 1 << (bits - 1)
    while s > 0:  # the classic xy -> d conversion, all cities at once
        rx = (x & s) > 0
        ry = (y & s) > 0
        index += s * s * ((3 * rx) ^ ry)
        flip = ~ry
        swap_x = np.where(flip & rx, side - x, x)
        swap_y = np.where(flip & rx, side - y, y)
        x, y = np.where(flip, swap_y, swap_x), np.where(flip, swap_x, swap_y)
        s >>= 1
    order: np.ndarray[Any, np.dtype[np.int64]] = np.argsort(index, kind="stable")
    return order
