"""The 2-D Ising model: spins that freeze into order as the temperature falls."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import _compiled

Spins = list[int]

#: Onsager's critical temperature of the square-lattice Ising model, 2 / ln(1 + sqrt 2), for
#: coupling 1 and no field (Onsager 1944).
CRITICAL_TEMPERATURE = 2.0 / math.log(1.0 + math.sqrt(2.0))


class Ising:
    r"""The Ising model on a `size` x `size` square lattice with periodic boundaries.

    .. math:: E(s) = -J \sum_{\langle i j \rangle} s_i s_j - h \sum_i s_i, \qquad s_i = \pm 1

    summed over nearest-neighbour pairs. The state is a flat, row-major list of ``+1``/``-1``;
    a move flips one spin, chosen uniformly (one ``rng.random()``), and changes the energy by
    :math:`\Delta E = 2 s_i (J \sum_{j \sim i} s_j + h)` in O(1). With :math:`J > 0` the ground
    states are the two uniform lattices, energy :math:`-2 J N - |h| N` for :math:`N` spins.
    Cooled slowly through the critical temperature (:math:`T_c = 2J / \ln(1 + \sqrt 2)
    \approx 2.269` without a field) the spins order into large domains; quenched, they freeze
    with domain walls: the physical picture behind the word *annealing*.

    Parameters
    ----------
    size : int
        Side of the lattice, >= 2.
    coupling : float
        :math:`J`; > 0 is ferromagnetic.
    field : float
        :math:`h`, the external field.

    Examples
    --------
    >>> from annealing.simulated import Ising
    >>> model = Ising(4)
    >>> model.energy([1] * 16) == model.optimum
    True
    >>> model.delta([1] * 16, 5)  # flipping one spin of an ordered lattice breaks 4 bonds
    8.0
    """

    def __init__(self, size: int, coupling: float = 1.0, field: float = 0.0) -> None:
        if isinstance(size, bool) or not isinstance(size, int) or size < 2:
            raise ValueError(f"Ising: size must be an integer >= 2, got {size!r}")
        for label, value in (("coupling", coupling), ("field", field)):
            if not math.isfinite(value):
                raise ValueError(f"Ising: {label} must be a finite number, got {value!r}")
        self.size = size
        self.coupling = float(coupling)
        self.field = float(field)
        self.n = size * size

    def __repr__(self) -> str:
        return f"Ising({self.size}, coupling={self.coupling!r}, field={self.field!r})"

    @property
    def optimum(self) -> float:
        """The ground-state energy (for coupling > 0)."""
        return -2.0 * abs(self.coupling) * self.n - abs(self.field) * self.n

    def magnetisation(self, state: Sequence[int]) -> float:
        """The mean spin, between -1 and 1."""
        return sum(state) / len(state)

    def lattice(self, state: Sequence[int]) -> np.ndarray[Any, np.dtype[np.int64]]:
        """The spins as a `size` x `size` array."""
        return np.array(state, dtype=np.int64).reshape(self.size, self.size)

    # -- the Problem protocol -----------------------------------------------------------------

    def random_state(self, rng: np.random.Generator) -> Spins:
        """Independent random spins (infinite temperature)."""
        return [1 if r < 0.5 else -1 for r in rng.random(self.n)]

    def energy(self, state: Sequence[int]) -> float:
        """The energy, counting each bond once (right and down neighbours)."""
        size = self.size
        bonds = 0
        for row in range(size):
            for col in range(size):
                s = state[row * size + col]
                bonds += s * (
                    state[row * size + (col + 1) % size] + state[((row + 1) % size) * size + col]
                )
        return -self.coupling * bonds - self.field * sum(state)

    def propose(self, state: Spins, rng: np.random.Generator) -> int:
        """A random site to flip."""
        return int(rng.random() * self.n)

    def delta(self, state: Spins, move: int) -> float:
        """The change in energy when the spin at `move` flips."""
        size = self.size
        row, col = divmod(move, size)
        around = (
            state[((row - 1) % size) * size + col]
            + state[((row + 1) % size) * size + col]
            + state[row * size + (col - 1) % size]
            + state[row * size + (col + 1) % size]
        )
        return 2.0 * state[move] * (self.coupling * around + self.field)

    def apply(self, state: Spins, move: int) -> Spins:
        """Flip the spin in place."""
        state[move] = -state[move]
        return state

    def copy(self, state: Spins) -> Spins:
        """A copy of the spins."""
        return list(state)

    # -- the fast paths ---------------------------------------------------------------------

    def _window(
        self,
        engine: str,
        state: Spins,
        energy: float,
        best_energy: float,
        temperatures: np.ndarray[Any, np.dtype[np.float64]],
        rng: np.random.Generator,
    ) -> tuple[float, float, Spins | None, int]:
        """One window of the reference loop, faster; two draws per move (site, acceptance)."""
        draws = rng.random(2 * len(temperatures))
        if engine == "numba":
            spins = np.array(state, dtype=np.int64)
            best = np.empty_like(spins)
            energy, new_best, found, accepted = _compiled.kernels().ising_window(
                spins,
                self.size,
                self.coupling,
                self.field,
                draws,
                temperatures,
                energy,
                best_energy,
                best,
            )
            state[:] = spins.tolist()
            return energy, new_best, (best.tolist() if found else None), accepted
        sites = (draws[0::2] * self.n).astype(np.int64)  # as propose(): int(r * n)
        return self._window_python(
            state, sites.tolist(), draws[1::2].tolist(), temperatures.tolist(), energy, best_energy
        )

    def _window_python(
        self,
        spins: Spins,
        sites: list[int],
        uniforms: list[float],
        temperatures: list[float],
        energy: float,
        best_energy: float,
    ) -> tuple[float, float, Spins | None, int]:
        size, coupling, field = self.size, self.coupling, self.field
        exp = math.exp
        best: Spins | None = None
        accepted = 0
        for site, u, t in zip(sites, uniforms, temperatures, strict=True):
            row, col = divmod(site, size)
            around = (
                spins[((row - 1) % size) * size + col]
                + spins[((row + 1) % size) * size + col]
                + spins[row * size + (col - 1) % size]
                + spins[row * size + (col + 1) % size]
            )
            change = 2.0 * spins[site] * (coupling * around + field)
            if change <= 0.0 or (t > 0.0 and u < exp(-change / t)):
                spins[site] = -spins[site]
                energy += change
                accepted += 1
                if energy < best_energy:
                    best_energy = energy
                    best = spins[:]
        return energy, best_energy, best, accepted
