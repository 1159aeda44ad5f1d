"""The 2-D Ising model: spins that freeze into order as the temperature falls."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import _compiled
from ._problem import count, real

Spins = list[int]

#: Onsager's critical temperature of the square-lattice Ising model, 2 / ln(1 + sqrt 2), for
#: coupling 1 and no field (Onsager 1944).
CRITICAL_TEMPERATURE = 2.0 / math.log(1.0 + math.sqrt(2.0))
#: The largest lattice side (16.7 million spins).
MAX_SIZE = 4096


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
        Side of the lattice, from 2 to 4096.
    coupling : float
        :math:`J`; > 0 is ferromagnetic. A finite number of magnitude at most 1e200.
    field : float
        :math:`h`, the external field. A finite number of magnitude at most 1e200.

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
        self.size = count("Ising", "size", size, 2, MAX_SIZE)
        self.coupling = real("Ising", "coupling", coupling, bound=1e200)
        self.field = real("Ising", "field", field, bound=1e200)
        self.n = self.size * self.size

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
        """The energy, counting each bond once (right and down neighbours); `state` is checked
        (`n` spins of 1 or -1, else ValueError)."""
        state = self.check_state(state)
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

    def check_state(self, state: Any) -> Spins:
        """A copy of `state` if it is a list of `n` spins, each 1 or -1 (else ValueError)."""
        if not isinstance(state, (list, tuple, np.ndarray)):
            raise ValueError(
                f"Ising: spins must be a list of {self.n} values 1 or -1, "
                f"got {type(state).__name__}"
            )
        if len(state) != self.n:
            raise ValueError(
                f"Ising: spins must be a list of {self.n} values 1 or -1, got {len(state)} values"
            )
        spins = []
        for k, s in enumerate(state):
            if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s not in (1, -1):
                raise ValueError(f"Ising: spin {k} must be 1 or -1, got {s!r}")
            spins.append(int(s))
        return spins

    def fingerprint(self) -> str:
        """A hash of the lattice's size, coupling and field (recorded in checkpoints)."""
        text = f"Ising\n{self.size}\n{self.coupling.hex()}\n{self.field.hex()}"
        return hashlib.sha256(text.encode()).hexdigest()

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
