"""The travelling salesman problem: 2-opt moves with an O(1) change in tour length."""

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
from ._tsplib import MAX_CITIES, read_tour

__all__ = ["MAX_CITIES", "METRICS", "TravellingSalesman", "read_tour"]

Tour = list[int]
Move2opt = tuple[int, int]

#: The distance functions of TSPLIB 95 that are implemented, plus plain real-valued "euclidean".
METRICS = ("euclidean", "EUC_2D", "CEIL_2D", "ATT", "GEO")


class TravellingSalesman:
    r"""A symmetric travelling salesman problem on points in the plane.

    The state is a tour: a list of the city indices ``0 .. n-1`` in visiting order. The energy
    is the tour's length. A move is a 2-opt move ``(i, j)`` with ``i < j``: the tour positions
    ``i .. j`` are reversed, which replaces the edges :math:`(a, b)` and :math:`(c, d)` by
    :math:`(a, c)` and :math:`(b, d)`, where :math:`a, b` are the cities at positions
    :math:`i-1, i` and :math:`c, d` those at :math:`j, j+1`. Its change in length costs O(1):

    .. math:: \Delta E = d(a, c) + d(b, d) - d(a, b) - d(c, d)

    (Croes 1958 introduced the 2-opt move; Kirkpatrick et al. 1983 and Černý 1985 annealed it.)

    Parameters
    ----------
    coordinates : array_like of shape (n, 2)
        The cities' coordinates: finite real numbers, 4 <= n <= 10,000.
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
    ) -> None:
        owner = "TravellingSalesman"
        xy = _points(owner, coordinates)
        if not isinstance(metric, str) or metric not in METRICS:
            raise ValueError(f"{owner}: metric must be one of {', '.join(METRICS)}, got {metric!r}")
        with np.errstate(over="ignore", invalid="ignore"):  # refused just below
            distances = _distance_matrix(xy, metric)
        if not np.all(np.isfinite(distances)):
            raise ValueError(
                f"{owner}: coordinates are too large: their distances overflow "
                f"(largest magnitude {float(np.max(np.abs(xy))):g})"
            )
        self._setup(owner, xy, metric, name, optimum, distances)

    def _setup(
        self,
        owner: str,
        coordinates: np.ndarray[Any, np.dtype[np.float64]] | None,
        metric: str,
        name: Any,
        optimum: Any,
        distances: np.ndarray[Any, np.dtype[np.float64]],
    ) -> None:
        if name is not None and not isinstance(name, str):
            raise TypeError(f"{owner}: name must be a str or None, got {_short(name)}")
        if optimum is not None:
            optimum = real(owner, "optimum", optimum, bound=1e300)
            if optimum < 0:
                raise ValueError(f"{owner}: optimum must be >= 0, got {optimum!r}")
        #: The cities' coordinates, an (n, 2) float64 array (None for an explicit matrix
        #: given without coordinates to draw it).
        self.coordinates = coordinates
        self.metric = metric
        self.name: str | None = name
        self.optimum: float | None = optimum
        self.n = int(distances.shape[0])
        #: The distance matrix, an (n, n) float64 array.
        self.distances = distances
        # Rows as Python lists: indexing them is the fastest lookup in a pure-Python loop.
        self._rows: list[list[float]] = self.distances.tolist()

    @classmethod
    def from_distances(
        cls,
        distances: Any,
        *,
        coordinates: Any = None,
        name: str | None = None,
        optimum: float | None = None,
    ) -> TravellingSalesman:
        """A problem given by its distance matrix (TSPLIB's ``EDGE_WEIGHT_TYPE: EXPLICIT``).

        `distances` is a symmetric (n, n) array of finite numbers >= 0 with a zero diagonal,
        4 <= n <= 10,000; `coordinates`, optional, are (n, 2) points to draw the tour with
        (they do not change a distance). :attr:`metric` is ``"EXPLICIT"``.

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
        if matrix.ndim != 2 or matrix.shape != (n, n) or not 4 <= n <= MAX_CITIES:
            raise ValueError(
                f"{owner}: distances must have shape (n, n) with 4 <= n <= {MAX_CITIES}, "
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
        problem._setup(owner, xy, "EXPLICIT", name, optimum, np.ascontiguousarray(matrix))
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

    def energy(self, state: Sequence[int]) -> float:
        """The length of the closed tour `state` (checked: each city once, else ValueError)."""
        tour, rows = self.check_state(state), self._rows
        return float(sum(rows[tour[k - 1]][tour[k]] for k in range(len(tour))))

    def propose(self, state: Tour, rng: np.random.Generator) -> Move2opt:
        """A random 2-opt move ``(i, j)``, ``0 <= i < j < n``; draws two ``rng.random()``."""
        n = self.n
        i = int(rng.random() * n)
        j = (i + 1 + int(rng.random() * (n - 1))) % n
        return (i, j) if i < j else (j, i)

    def delta(self, state: Tour, move: Move2opt) -> float:
        """The change in length of the 2-opt move `move`, in O(1)."""
        i, j = move
        n = self.n
        if j - i == n - 1:  # reversing the whole tour gives the same cycle
            return 0.0
        rows = self._rows
        a, b, c, d = state[i - 1], state[i], state[j], state[(j + 1) % n]
        return rows[a][c] + rows[b][d] - rows[a][b] - rows[c][d]

    def apply(self, state: Tour, move: Move2opt) -> Tour:
        """Reverse the positions ``i .. j`` of `state` in place."""
        i, j = move
        state[i : j + 1] = state[i : j + 1][::-1]
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
        """A sha256 of the metric and the coordinates, or of an explicit distance matrix
        (recorded in checkpoints)."""
        digest = hashlib.sha256(f"TravellingSalesman\n{self.metric}\n{self.n}\n".encode())
        data = self.distances if self.metric == "EXPLICIT" else self.coordinates
        digest.update(np.ascontiguousarray(data, dtype="<f8").tobytes())
        return digest.hexdigest()

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
        in place. Every move draws three numbers (i, j, acceptance), in the reference loop's
        order, so both paths see the same stream.
        """
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
    """The reference loop specialised to 2-opt, with the random numbers drawn in advance."""
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


def _distance_matrix(
    xy: np.ndarray[Any, np.dtype[np.float64]], metric: str
) -> np.ndarray[Any, np.dtype[np.float64]]:
    dx = xy[:, None, 0] - xy[None, :, 0]
    dy = xy[:, None, 1] - xy[None, :, 1]
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
    pi = 3.141592  # the constant TSPLIB prescribes, not math.pi
    deg = np.trunc(xy)
    rad = pi * (deg + 5.0 * (xy - deg) / 3.0) / 180.0
    lat, lon = rad[:, 0], rad[:, 1]
    q1 = np.cos(lon[:, None] - lon[None, :])
    q2 = np.cos(lat[:, None] - lat[None, :])
    q3 = np.cos(lat[:, None] + lat[None, :])
    inner = np.clip(0.5 * ((1.0 + q1) * q2 - (1.0 - q1) * q3), -1.0, 1.0)
    d: np.ndarray[Any, np.dtype[np.float64]] = np.trunc(6378.388 * np.arccos(inner) + 1.0)
    np.fill_diagonal(d, 0.0)
    return d
