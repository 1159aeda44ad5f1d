"""Continuous test functions with known global minima, annealed with bounded moves."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from ._problem import count, real

#: The most variables a function takes.
MAX_DIMENSION = 1_000_000
#: The largest magnitude of a bound: every function stays finite (Rosenbrock's x**4 included).
MAX_BOUND = 1e50
#: The most decades of step sizes (below 1e-300 of the box a step underflows).
MAX_DECADES = 300.0

Point = list[float]
CoordinateMove = tuple[int, float]


class ContinuousFunction:
    r"""A function of `dimension` real variables in a box, to be minimised.

    The state is a list of floats inside the box. A move changes one coordinate ``i``, chosen
    uniformly, by a step of random sign whose size is log-uniform between the box's width and
    ``10**-decades`` times that; a step that leaves the box is reflected back into it. The
    mix of big and small steps lets one proposal rule both hop between basins at high
    temperature and settle into a minimum at low temperature, without tuning a step size.
    Each move draws three ``rng.random()`` numbers (coordinate, size, sign).

    Subclasses give ``_bounds`` and either a separable ``_term`` (the function is
    ``_constant(dimension) + sum(_term(x_i))``, so a move's change costs O(1)) or ``_value``.
    """

    name: ClassVar[str] = "function"
    _bounds: ClassVar[tuple[float, float]] = (-1.0, 1.0)

    def __init__(
        self,
        dimension: int = 10,
        *,
        bounds: tuple[float, float] | None = None,
        decades: float = 6.0,
    ) -> None:
        """`dimension` from 1 to 10**6; `bounds` a pair of finite numbers of magnitude at
        most 1e50 with low < high (default: the function's usual box); `decades` from 0 to
        300."""
        name = self.name
        self.dimension = count(name, "dimension", dimension, 1, MAX_DIMENSION)
        if bounds is None:
            low, high = self._bounds
        else:
            if isinstance(bounds, (str, bytes)) or not isinstance(
                bounds, (tuple, list, np.ndarray)
            ):
                raise TypeError(f"{name}: bounds must be a pair (low, high), got {bounds!r}")
            if len(bounds) != 2:
                raise ValueError(
                    f"{name}: bounds must be a pair (low, high), got {len(bounds)} values"
                )
            low = real(name, "bounds[0] (low)", bounds[0], bound=MAX_BOUND)
            high = real(name, "bounds[1] (high)", bounds[1], bound=MAX_BOUND)
            if not low < high:
                raise ValueError(
                    f"{name}: bounds must be finite with low < high, got ({low!r}, {high!r})"
                )
        self.bounds = (low, high)
        self.decades = real(name, "decades", decades, bound=MAX_DECADES)
        if self.decades < 0:
            raise ValueError(f"{name}: decades must be a number >= 0, got {decades!r}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.dimension}, bounds={self.bounds!r})"

    @property
    def minimum(self) -> float:
        """The global minimum's value."""
        return 0.0

    def argmin(self) -> Point:
        """Where the global minimum is."""
        return [0.0] * self.dimension

    def __call__(self, x: Sequence[float]) -> float:
        """The function's value at `x` (also accepts a numpy array, for SciPy).

        `x` must hold `dimension` finite real numbers (it may lie outside the box).
        """
        name = self.name
        if isinstance(x, (str, bytes)) or not isinstance(x, (Sequence, np.ndarray)):
            raise TypeError(f"{name}: x must be a sequence of {self.dimension} numbers, got {x!r}")
        if len(x) != self.dimension:
            raise ValueError(
                f"{name}: x must hold {self.dimension} numbers (the dimension), got {len(x)}"
            )
        point = [real(name, f"x[{k}]", v, bound=MAX_BOUND) for k, v in enumerate(x)]
        return self.energy(point)

    # -- the Problem protocol -----------------------------------------------------------------

    def random_state(self, rng: np.random.Generator) -> Point:
        """A uniformly random point in the box."""
        low, high = self.bounds
        return [float(v) for v in rng.uniform(low, high, self.dimension)]

    def energy(self, state: Sequence[float]) -> float:
        """The function's value."""
        return self._constant() + math.fsum(self._term(v) for v in state)

    def propose(self, state: Point, rng: np.random.Generator) -> CoordinateMove:
        """Move one coordinate by a step of log-uniform size; returns ``(i, new value)``."""
        low, high = self.bounds
        i = int(rng.random() * self.dimension)
        size = (high - low) * 10.0 ** (-self.decades * rng.random())
        value = state[i] + size if rng.random() < 0.5 else state[i] - size
        if value > high:
            value = 2 * high - value
        elif value < low:
            value = 2 * low - value
        return i, value

    def delta(self, state: Point, move: CoordinateMove) -> float:
        """The change of value when coordinate ``i`` takes the new value."""
        i, value = move
        return self._term(value) - self._term(state[i])

    def apply(self, state: Point, move: CoordinateMove) -> Point:
        """Set the coordinate in place."""
        i, value = move
        state[i] = value
        return state

    def copy(self, state: Point) -> Point:
        """A copy of the point."""
        return list(state)

    def check_state(self, state: Any) -> Point:
        """A copy of `state` as floats if it is a point of the box (else ValueError)."""
        name, (low, high) = self.name, self.bounds
        if not isinstance(state, (list, tuple, np.ndarray)):
            raise ValueError(
                f"{name}: a point must be a list of {self.dimension} numbers, "
                f"got {type(state).__name__}"
            )
        if len(state) != self.dimension:
            raise ValueError(
                f"{name}: a point must be a list of {self.dimension} numbers, "
                f"got {len(state)} numbers"
            )
        point = []
        for k, v in enumerate(state):
            if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
                raise ValueError(f"{name}: coordinate {k} must be a number, got {v!r}")
            value = float(v)
            if not low <= value <= high:
                raise ValueError(
                    f"{name}: coordinate {k} must be in the box [{low!r}, {high!r}], got {v!r}"
                )
            point.append(value)
        return point

    def fingerprint(self) -> str:
        """A hash of the function, its dimension, bounds and decades (recorded in checkpoints)."""
        low, high = self.bounds
        text = (
            f"{type(self).__qualname__}\n{self.dimension}\n{low.hex()}\n{high.hex()}\n"
            f"{self.decades.hex()}"
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def _constant(self) -> float:
        return 0.0

    def _term(self, v: float) -> float:
        raise NotImplementedError


class Rastrigin(ContinuousFunction):
    r"""Rastrigin's function, :math:`10 n + \sum_i (x_i^2 - 10 \cos 2\pi x_i)` on
    :math:`[-5.12, 5.12]^n`; minimum 0 at 0, surrounded by a grid of local minima (the nearest
    have value about 0.995).

    >>> from annealing.simulated import Rastrigin
    >>> Rastrigin(3)([0.0, 0.0, 0.0])
    0.0
    """

    name = "Rastrigin"
    _bounds = (-5.12, 5.12)

    def _constant(self) -> float:
        return 10.0 * self.dimension

    def _term(self, v: float) -> float:
        return v * v - 10.0 * math.cos(2.0 * math.pi * v)


class Schwefel(ContinuousFunction):
    r"""Schwefel's function 2.26, :math:`418.9828872724338\,n - \sum_i x_i \sin\sqrt{|x_i|}`
    on :math:`[-500, 500]^n`; minimum about 0 at :math:`x_i = 420.968746\ldots`, far from the
    second-best minima (the constant is the minimum per coordinate, so the minimum is 0 to
    about 1e-12 rather than the 1.27e-5 per coordinate of the rounded 418.9829).

    >>> from annealing.simulated import Schwefel
    >>> abs(Schwefel(2)([420.968746, 420.968746])) < 1e-6
    True
    """

    name = "Schwefel"
    _bounds = (-500.0, 500.0)

    def _constant(self) -> float:
        return 418.9828872724338 * self.dimension

    def _term(self, v: float) -> float:
        return -v * math.sin(math.sqrt(abs(v)))

    def argmin(self) -> Point:
        return [420.9687463] * self.dimension


class Rosenbrock(ContinuousFunction):
    r"""Rosenbrock's function, :math:`\sum_{i<n} 100(x_{i+1} - x_i^2)^2 + (1 - x_i)^2` on
    :math:`[-5, 10]^n`; minimum 0 at :math:`(1, \dots, 1)`, at the end of a long curved valley.
    A move changes two terms, so its change costs O(1).

    >>> from annealing.simulated import Rosenbrock
    >>> Rosenbrock(4)([1.0, 1.0, 1.0, 1.0])
    0.0
    """

    name = "Rosenbrock"
    _bounds = (-5.0, 10.0)

    def argmin(self) -> Point:
        return [1.0] * self.dimension

    def energy(self, state: Sequence[float]) -> float:
        return math.fsum(_rosen(state[i], state[i + 1]) for i in range(len(state) - 1))

    def delta(self, state: Point, move: CoordinateMove) -> float:
        i, value = move
        old = new = 0.0
        if i > 0:
            old += _rosen(state[i - 1], state[i])
            new += _rosen(state[i - 1], value)
        if i < self.dimension - 1:
            old += _rosen(state[i], state[i + 1])
            new += _rosen(value, state[i + 1])
        return new - old


def _rosen(a: float, b: float) -> float:
    return 100.0 * (b - a * a) ** 2 + (1.0 - a) ** 2


class Ackley(ContinuousFunction):
    r"""Ackley's function,
    :math:`-20 e^{-0.2\sqrt{\sum_i x_i^2 / n}} - e^{\sum_i \cos(2\pi x_i)/n} + 20 + e` on
    :math:`[-32.768, 32.768]^n`; minimum 0 at 0 in a nearly flat, bumpy landscape. Not
    separable: a move's change is computed from the two sums in O(n).

    >>> from annealing.simulated import Ackley
    >>> abs(Ackley(5)([0.0] * 5)) < 1e-12
    True
    """

    name = "Ackley"
    _bounds = (-32.768, 32.768)

    def energy(self, state: Sequence[float]) -> float:
        n = len(state)
        squares = math.fsum(v * v for v in state)
        cosines = math.fsum(math.cos(2.0 * math.pi * v) for v in state)
        return _ackley(squares, cosines, n)

    def delta(self, state: Point, move: CoordinateMove) -> float:
        i, value = move
        n = len(state)
        squares = math.fsum(v * v for v in state)
        cosines = math.fsum(math.cos(2.0 * math.pi * v) for v in state)
        old = state[i]
        new_squares = squares - old * old + value * value
        new_cosines = cosines - math.cos(2.0 * math.pi * old) + math.cos(2.0 * math.pi * value)
        return _ackley(new_squares, new_cosines, n) - _ackley(squares, cosines, n)


def _ackley(squares: float, cosines: float, n: int) -> float:
    root = math.sqrt(max(squares, 0.0) / n)
    return -20.0 * math.exp(-0.2 * root) - math.exp(cosines / n) + 20.0 + math.e


FUNCTIONS: dict[str, type[ContinuousFunction]] = {
    "rastrigin": Rastrigin,
    "ackley": Ackley,
    "schwefel": Schwefel,
    "rosenbrock": Rosenbrock,
}
