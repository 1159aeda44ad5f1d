"""The 2-D Ising model: spins that freeze into order as the temperature falls."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _compiled
from ._ising_kernel import GOLDEN, MUL1, MUL2, S11, S27, S30, S31
from ._problem import _short, count, real

Spins = list[int]

#: Onsager's critical temperature of the square-lattice Ising model, 2 / ln(1 + sqrt 2), for
#: coupling 1 and no field (Onsager 1944).
CRITICAL_TEMPERATURE = 2.0 / math.log(1.0 + math.sqrt(2.0))
#: The largest lattice side (16.7 million spins).
MAX_SIZE = 4096
#: The most sweeps one call of :meth:`Ising.metropolis` makes.
MAX_SWEEPS = 10**7
_ONE = 1 << 53  # a uniform is k / 2**53, k in [0, 2**53)
Lattice = np.ndarray[Any, np.dtype[np.int8]]
Series = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True, repr=False)
class Sweeps:
    """What :meth:`Ising.metropolis` returns: the lattice after the sweeps and two series.

    Attributes
    ----------
    spins : numpy.ndarray
        The lattice after the last sweep, ``size x size``, int8 (+1/-1); pass it back as
        `spins` to continue (with ``first=`` the sweeps done, for fresh random numbers).
    energy : numpy.ndarray
        The energy per spin after each sweep (float64, one per sweep), exact: computed from
        integer sums of bonds and spins.
    magnetisation : numpy.ndarray
        The mean spin after each sweep, in [-1, 1].
    flips : int
        The number of accepted flips.
    updates : int
        The number of spin updates attempted, ``sweeps x size**2``.
    seconds : float
        Wall-clock time of the sweeps.
    engine : str
        "numba" or "numpy".
    """

    spins: Lattice
    energy: Series
    magnetisation: Series
    flips: int
    updates: int
    seconds: float
    engine: str

    def __repr__(self) -> str:
        size = self.spins.shape[0]
        return (
            f"Sweeps({len(self.energy)} sweeps of {size}x{size}, engine={self.engine!r}, "
            f"energy[-1]={float(self.energy[-1])!r}, "
            f"magnetisation[-1]={float(self.magnetisation[-1])!r})"
        )


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
        # + 0.0: with no net bonds and no field the products are -0.0, shown as 0.0
        return -self.coupling * bonds - self.field * sum(state) + 0.0

    def propose(self, state: Spins, rng: np.random.Generator) -> int:
        """A random site to flip."""
        return int(rng.random() * self.n)

    def delta(self, state: Spins, move: int) -> float:
        """The change in energy when the spin at `move` flips (a site from 0 to n - 1, else
        ValueError; the fast paths do not call this)."""
        move = self._site(move, "delta")
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
        """Flip the spin in place (`move` a site from 0 to n - 1, else ValueError)."""
        move = self._site(move, "apply")
        state[move] = -state[move]
        return state

    def _site(self, move: Any, method: str) -> int:
        if (
            isinstance(move, bool)
            or not isinstance(move, (int, np.integer))
            or not (0 <= move < self.n)
        ):
            raise ValueError(
                f"Ising.{method}: move must be a site from 0 to {self.n - 1}, got {_short(move)}"
            )
        return int(move)

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

    # -- lattice-scale Metropolis sampling ------------------------------------------------

    def metropolis(
        self,
        temperature: Any,
        sweeps: int,
        *,
        seed: int = 0,
        spins: Any = None,
        first: int = 0,
        engine: str = "auto",
    ) -> Sweeps:
        r"""Sample the lattice by Metropolis checkerboard sweeps at a temperature or schedule.

        Each sweep updates every spin once: first the sites with even ``row + col``, then the
        odd ones (no two sites of one colour are neighbours, so each half-sweep is a parallel
        update that equals the sequential one). A spin flips when its uniform
        :math:`u < \min(1, e^{-\Delta E / T})` (always if :math:`\Delta E \le 0`), with
        the ten possible acceptances (spin x neighbour sum) tabulated once per sweep. The
        uniform of site ``i`` in sweep ``k`` is the top 53 bits of SplitMix64 at counter
        ``k·N + i`` with a key derived from `seed` (numpy ``SeedSequence``): the compiled
        path (numba, the ``fast`` extra) and the numpy reference give the same spins, bit
        for bit, and a run can be continued or split with `first`. The lattice side must be
        even (periodic boundaries on an odd side join two sites of one colour).

        Parameters
        ----------
        temperature : float or Schedule
            A temperature >= 0, or a schedule evaluated at each sweep index (annealing).
        sweeps : int
            The number of sweeps, 1 to 10**7.
        seed : int
            The seed, an integer >= 0 below 2**128. Default 0.
        spins : array-like, optional
            The starting lattice: ``size x size`` (or ``size**2``) integers 1 or -1. Default:
            independent random spins (infinite temperature) from `seed`.
        first : int
            The index of the first sweep (for a schedule, and for the random numbers), >= 0.
        engine : {"auto", "numba", "numpy"}
            "auto" (the default) is numba when it is installed.

        Returns
        -------
        Sweeps
            The final lattice, the energy per spin and the magnetisation after each sweep.

        Examples
        --------
        >>> from annealing.simulated import Ising
        >>> run = Ising(16).metropolis(1.5, sweeps=200, spins=[[1] * 16] * 16, engine="numpy")
        >>> bool(run.magnetisation.mean() > 0.95), run.updates
        (True, 51200)
        """
        owner = "Ising.metropolis"
        if self.size % 2:
            raise ValueError(
                f"{owner}: the lattice side must be even for checkerboard sweeps, got size="
                f"{self.size}"
            )
        sweeps = count(owner, "sweeps", sweeps, 1, MAX_SWEEPS)
        first = count(owner, "first", first, 0, 2**62 // max(self.n, 1) - MAX_SWEEPS)
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"{owner}: seed must be an integer >= 0, got {seed!r}")
        if seed >= 2**128:
            raise ValueError(f"{owner}: seed must be below 2**128, got {seed!r}")
        if engine not in ("auto", "numba", "numpy"):
            raise ValueError(f"{owner}: engine must be 'auto', 'numba' or 'numpy', got {engine!r}")
        if engine == "numba" and not _compiled.available():
            raise ValueError(f"{owner}: engine='numba' needs numba (pip install annealing[fast])")
        if engine == "auto":
            engine = "numba" if _compiled.available() else "numpy"
        temperatures = self._temperatures(owner, temperature, first, sweeps)
        key, start = _streams(int(seed))
        lattice = self._lattice(owner, spins, start)
        table = self._thresholds(temperatures)
        bonds = np.zeros(sweeps, dtype=np.int64)
        totals = np.zeros(sweeps, dtype=np.int64)
        bonds[0], totals[0] = _bonds(lattice), int(lattice.sum(dtype=np.int64))
        began = time.perf_counter()
        if engine == "numba":
            from . import _ising_kernel

            flips = _ising_kernel.compiled()(lattice, table, key, first, bonds, totals)
        else:
            flips = _sweeps_numpy(lattice, table, key, first, bonds, totals)
        seconds = time.perf_counter() - began
        energy = (-self.coupling * bonds - self.field * totals) / self.n + 0.0  # no -0.0
        return Sweeps(
            lattice, energy, totals / self.n, int(flips), sweeps * self.n, seconds, engine
        )

    def _temperatures(self, owner: str, temperature: Any, first: int, sweeps: int) -> Series:
        from ..schedule import Schedule

        if isinstance(temperature, Schedule):
            values = np.asarray(temperature(np.arange(first, first + sweeps, dtype=np.float64)))
            return values.astype(np.float64)
        value = real(owner, "temperature", temperature)
        if value < 0:
            raise ValueError(f"{owner}: temperature must be >= 0 or a Schedule, got {value!r}")
        return np.full(sweeps, value)

    def _lattice(self, owner: str, spins: Any, rng: np.random.Generator) -> Lattice:
        size = self.size
        if spins is None:
            return np.where(rng.random((size, size)) < 0.5, 1, -1).astype(np.int8)
        allowed = f"{size}x{size} (or {self.n}) integers 1 or -1"
        try:
            given = np.asarray(spins)
        except (TypeError, ValueError):
            raise ValueError(
                f"{owner}: spins must be {allowed}, got {type(spins).__name__}"
            ) from None
        if given.dtype.kind not in "iu" or given.size != self.n:
            raise ValueError(
                f"{owner}: spins must be {allowed}, got shape {given.shape} of {given.dtype}"
            )
        if given.shape not in ((size, size), (self.n,)):
            raise ValueError(f"{owner}: spins must be {allowed}, got shape {given.shape}")
        bad = np.flatnonzero((given != 1) & (given != -1))
        if bad.size:
            raise ValueError(
                f"{owner}: spin {int(bad[0])} must be 1 or -1, got {int(given.reshape(-1)[bad[0]])}"
            )
        return given.reshape(size, size).astype(np.int8)  # a copy: the caller's is not changed

    def _thresholds(self, temperatures: Series) -> np.ndarray[Any, np.dtype[np.uint64]]:
        """Per sweep, for spin s (-1, +1) and neighbour sum a (-4..4 by 2): a flip when the
        uniform's numerator k (u = k / 2**53) is below ceil(2**53 min(1, exp(-dE / T)))."""
        out = np.zeros((len(temperatures), 10), dtype=np.uint64)
        for k, t in enumerate(temperatures.tolist()):
            for index, (spin, around) in enumerate(
                (s, a) for s in (-1, 1) for a in (-4, -2, 0, 2, 4)
            ):
                change = 2.0 * spin * (self.coupling * around + self.field)  # as delta()
                if change <= 0.0:
                    out[k, index] = _ONE
                elif t > 0.0:
                    out[k, index] = math.ceil(math.exp(-change / t) * _ONE)
        return out

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


def _streams(seed: int) -> tuple[np.uint64, np.random.Generator]:
    """The counter generator's key and a generator for the random start, from `seed`."""
    sequence = np.random.SeedSequence(seed)
    key = np.uint64(sequence.generate_state(1, np.uint64)[0])
    return key, np.random.default_rng(sequence.spawn(1)[0])


def _bonds(spins: Lattice) -> int:
    """The sum of s_i s_j over the lattice's bonds (right and down neighbours, periodic)."""
    wide = spins.astype(np.int64)
    return int((wide * np.roll(wide, -1, 0)).sum() + (wide * np.roll(wide, -1, 1)).sum())


def _uniform_bits(key: np.uint64, counters: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The top 53 bits of SplitMix64 at `counters` (uint64): the uniforms' numerators."""
    z = key + counters * GOLDEN
    z = (z ^ (z >> S30)) * MUL1
    z = (z ^ (z >> S27)) * MUL2
    bits: np.ndarray[Any, Any] = (z ^ (z >> S31)) >> S11
    return bits


def _sweeps_numpy(
    spins: Lattice,
    thresholds: np.ndarray[Any, Any],
    key: np.uint64,
    first: int,
    bonds: np.ndarray[Any, Any],
    totals: np.ndarray[Any, Any],
) -> int:
    """The reference: each half-sweep as one vectorised update of the sites of one colour."""
    size = spins.shape[0]
    n = size * size
    rows, cols = np.indices((size, size))
    colours = [np.flatnonzero((rows + cols) % 2 == c) for c in (0, 1)]
    flat = spins.reshape(-1)  # a view: updating it updates the lattice
    flips = 0
    for s in range(len(thresholds)):
        for sites in colours:
            around = (
                np.roll(spins, 1, 0) + np.roll(spins, -1, 0) + np.roll(spins, 1, 1)
            ) + np.roll(spins, -1, 1)
            spin = flat[sites]
            index = np.where(spin > 0, 5, 0) + (around.reshape(-1)[sites] + 4) // 2
            counters = np.uint64((first + s) * n) + sites.astype(np.uint64)
            flip = _uniform_bits(key, counters) < thresholds[s][index]
            flat[sites[flip]] = -spin[flip]
            flips += int(flip.sum())
        bonds[s] = _bonds(spins)
        totals[s] = int(spins.sum(dtype=np.int64))
    return flips
