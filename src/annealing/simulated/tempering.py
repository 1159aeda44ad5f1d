"""Replica exchange (parallel tempering): replicas at fixed temperatures that swap states."""

from __future__ import annotations

import concurrent.futures
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import numpy as np

from ._anneal import _check_steps, _compile_here, anneal, default_temperature
from ._problem import Problem, _short, check_problem, check_state, count, real

State = TypeVar("State")

#: The most replicas (temperatures) one call of :func:`temper` runs.
MAX_REPLICAS = 1000
#: The most rounds (``steps / exchange_every``): each round calls :func:`anneal` per replica.
MAX_ROUNDS = 1_000_000
#: The largest temperature accepted (its inverse must stay a normal float).
MAX_TEMPERATURE = 1e200


@dataclass(frozen=True, repr=False)
class Tempering(Generic[State]):
    r"""What :func:`temper` returns.

    Attributes
    ----------
    best_state, best_energy
        The lowest-energy state any replica saw in any round, and its energy (recomputed
        from scratch); on a tie, the earliest round's, then the coldest replica's.
    states, energies : tuple
        Replica :math:`r`'s state at the end (after the last round's moves at
        :math:`T_r`) and its energy, coldest replica first.
    temperatures : tuple of float
        The ladder :math:`T_0 < T_1 < \dots`, coldest first.
    accepted : tuple of int
        Moves accepted at each temperature, over all rounds.
    swaps_accepted, swaps_tried : tuple of int
        For each neighbouring pair :math:`(r, r + 1)`, the exchanges accepted and tried
        (see :attr:`swap_rates`).
    steps : int
        Moves made by each replica.
    exchange_every : int
        Moves each replica makes between two exchanges (the last round may be shorter).
    rounds : int
        Rounds of moves; an exchange follows every round but the last.
    seed : int
        The seed; ``temper(problem, temperatures, steps, seed)`` repeats the run.
    """

    best_state: State
    best_energy: float
    states: tuple[State, ...]
    energies: tuple[float, ...]
    temperatures: tuple[float, ...]
    accepted: tuple[int, ...]
    swaps_accepted: tuple[int, ...]
    swaps_tried: tuple[int, ...]
    steps: int
    exchange_every: int
    rounds: int
    seed: int

    @property
    def swap_rates(self) -> tuple[float, ...]:
        """The fraction of exchanges accepted for each neighbouring pair (0 where none tried).

        A pair that rarely swaps (under about 10-20%) is a bottleneck: put a temperature
        between them.
        """
        return tuple(
            a / t if t else 0.0 for a, t in zip(self.swaps_accepted, self.swaps_tried, strict=True)
        )

    def __repr__(self) -> str:
        rates = ", ".join(f"{r:.2f}" for r in self.swap_rates)
        return (
            f"<Tempering best_energy={self.best_energy:.6g} replicas={len(self.temperatures)} "
            f"steps={self.steps} rounds={self.rounds} swap_rates=({rates})>"
        )


def _swap_probability(energy_cold: float, energy_hot: float, cold: float, hot: float) -> float:
    r"""The probability that replicas at temperatures `cold` < `hot` exchange their states.

    :math:`\min(1, e^{(E_r - E_{r+1})(1/T_r - 1/T_{r+1})})`: always when the colder replica
    holds the higher energy, otherwise less often the larger the gap.
    """
    if not energy_cold < energy_hot:
        return 1.0
    exponent = (energy_cold - energy_hot) * (1.0 / cold - 1.0 / hot)
    return math.exp(exponent) if exponent == exponent else 1.0  # NaN: the temperatures coincide


def temper(
    problem: Problem[State, Any],
    temperatures: int | Sequence[float],
    steps: int | float,
    seed: int | None = 0,
    *,
    exchange_every: int | None = None,
    state: State | None = None,
    executor: concurrent.futures.Executor | None = None,
) -> Tempering[State]:
    r"""Sample `problem` at several fixed temperatures at once, exchanging states between them.

    Replica exchange, or parallel tempering (Swendsen & Wang 1986; Geyer 1991; Hukushima &
    Nemoto 1996): replica :math:`r` runs Metropolis moves at a fixed temperature
    :math:`T_r`, with :math:`T_0 < T_1 < \dots < T_{k-1}`. Each round, every replica makes
    `exchange_every` moves (``anneal(problem, Constant(T_r), ...)``, so every engine of
    :func:`anneal` is used), then neighbouring replicas :math:`(r, r + 1)` exchange their
    states with probability

    .. math::

        \min\left(1, e^{(E_r - E_{r+1})\,(1/T_r - 1/T_{r+1})}\right),

    the pairs with :math:`r` even after even rounds, odd after odd rounds (so with two
    replicas every other round). The exchanges keep every replica at equilibrium at its own
    temperature, and a state that is stuck at a low temperature can climb the ladder, melt
    and come back down in another valley. The best state any replica saw is kept.

    Parameters
    ----------
    problem : Problem
        What to sample; see :class:`annealing.simulated.Problem`.
    temperatures : int or sequence of float
        The ladder: 2 to 1000 finite temperatures > 0 (at most 1e200) in strictly increasing
        order, coldest first (they are not sorted for you). An int :math:`k` builds a
        geometric ladder of :math:`k` temperatures from the problem's default
        :func:`default_temperature` for `steps` moves, from its end :math:`T_1` (cold) to
        its start :math:`T_0` (hot), :math:`T_r = T_1 (T_0 / T_1)^{r / (k - 1)}` (for a
        :class:`~annealing.Restarts` default, one descent's).
    steps : int
        Moves each replica makes in total, from 1 to 2**53 (``1e5`` is accepted).
    seed : int or None
        An integer from 0 to 2**128 - 1, default 0; ``None`` draws one (reported in
        ``Tempering.seed``). Replica :math:`r`'s moves in round :math:`m` are seeded from
        ``SeedSequence(seed, spawn_key=(0, r, m))``, the exchanges from ``spawn_key=(1,)``
        and the ladder of an int `temperatures` from ``spawn_key=(2,)``, so the result does
        not depend on where the replicas run.
    exchange_every : int, optional
        Moves per replica between exchanges, from 1 to `steps`; default
        ``max(1, steps // 100)``, which makes 100 to 199 rounds (`steps` rounds of one move
        when `steps` < 100). At most 1,000,000 rounds. For the Ising model a sweep (one move
        a spin) is a natural unit.
    state : optional
        Every replica's starting state (checked by the problem's ``check_state``); by
        default each replica starts from its own random state.
    executor : concurrent.futures.Executor, optional
        Where each round's replicas run. Default: in this process, one after the other
        (a round is short, and every round waits for all replicas). A
        ``ProcessPoolExecutor`` uses the cores, which pays when a round's moves take much
        longer than pickling the problem and the states to the workers and back; a
        ``dask.distributed`` client's ``get_executor()`` spreads them over a cluster.

    Returns
    -------
    Tempering
        The best state and energy, each replica's final state and energy, and how often
        each neighbouring pair exchanged (:attr:`Tempering.swap_rates`).

    Examples
    --------
    >>> from annealing.simulated import Ising, temper
    >>> lattice = Ising(8)
    >>> result = temper(lattice, [1.0, 1.6, 2.3, 3.5], steps=64 * 200, seed=0, exchange_every=64)
    >>> result.best_energy  # the ground state: -2 per spin
    -128.0
    >>> len(result.swap_rates), all(0 < rate <= 1 for rate in result.swap_rates)
    (3, True)

    References
    ----------
    R. H. Swendsen and J.-S. Wang, "Replica Monte Carlo simulation of spin glasses",
    *Phys. Rev. Lett.* 57:2607, 1986. C. J. Geyer, "Markov chain Monte Carlo maximum
    likelihood", *Computing Science and Statistics* 23:156, 1991. K. Hukushima and K. Nemoto,
    "Exchange Monte Carlo method and application to spin glass simulations", *J. Phys. Soc.
    Japan* 65:1604, 1996.
    """
    check_problem(problem, "temper")
    steps = _check_steps(steps, "temper")
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (1 << 63))  # type: ignore[operator]
    seed = count("temper", "seed", seed, 0, 2**128 - 1)
    if exchange_every is None:
        every = max(1, steps // 100)
    else:
        every = count("temper", "exchange_every", exchange_every, 1, steps)
    rounds = -(-steps // every)
    if rounds > MAX_ROUNDS:
        raise ValueError(
            f"temper: exchange_every must give at most {MAX_ROUNDS:,} rounds of moves; "
            f"{every} moves of {steps} make {rounds:,}"
        )
    if executor is not None and not isinstance(executor, concurrent.futures.Executor):
        raise TypeError(
            "temper: executor must be a concurrent.futures.Executor (a ProcessPoolExecutor, a "
            f"dask client's get_executor(), ...) or None, got {_short(executor)}"
        )
    ladder = _ladder(problem, temperatures, steps, seed)
    if state is not None:
        state = check_state(problem, state, "temper: state")

    import annealing

    k = len(ladder)
    schedules = [annealing.Constant(t) for t in ladder]
    swap_rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1,)))
    current: list[Any] = [state] * k
    energies = [0.0] * k
    accepted = [0] * k
    swaps_accepted, swaps_tried = [0] * (k - 1), [0] * (k - 1)
    best_state: Any = None
    best_energy = math.inf
    if executor is not None:
        _compile_here(problem, "auto", every)
    for m in range(rounds):
        moves = min(every, steps - m * every)
        seeds = [_seed(seed, r, m) for r in range(k)]
        if executor is None:
            results = [_leg(problem, schedules[r], moves, seeds[r], current[r]) for r in range(k)]
        else:
            futures = [
                executor.submit(_leg, problem, schedules[r], moves, seeds[r], current[r])
                for r in range(k)
            ]
            results = [future.result() for future in futures]
        for r, result in enumerate(results):
            current[r], energies[r] = result.state, result.energy
            accepted[r] += result.accepted
            if result.best_energy < best_energy:
                best_state, best_energy = result.best_state, result.best_energy
        if m == rounds - 1:
            break
        for r in range(m % 2, k - 1, 2):
            swaps_tried[r] += 1
            u = swap_rng.random()  # drawn for every pair tried, swapped or not
            if u < _swap_probability(energies[r], energies[r + 1], ladder[r], ladder[r + 1]):
                swaps_accepted[r] += 1
                current[r], current[r + 1] = current[r + 1], current[r]
                energies[r], energies[r + 1] = energies[r + 1], energies[r]
    return Tempering(
        best_state=best_state,
        best_energy=best_energy,
        states=tuple(current),
        energies=tuple(energies),
        temperatures=tuple(ladder),
        accepted=tuple(accepted),
        swaps_accepted=tuple(swaps_accepted),
        swaps_tried=tuple(swaps_tried),
        steps=steps,
        exchange_every=every,
        rounds=rounds,
        seed=seed,
    )


def _seed(seed: int, replica: int, round_: int) -> int:
    """The 128-bit seed of `replica`'s moves in round `round_`."""
    sequence = np.random.SeedSequence(seed, spawn_key=(0, replica, round_))
    low, high = (int(v) for v in sequence.generate_state(2, dtype=np.uint64))
    return low | (high << 64)


def _leg(problem: Any, schedule: Any, moves: int, seed: int, state: Any) -> Any:
    """One replica's moves in one round (run in a worker): a plain run at a fixed temperature."""
    return anneal(problem, schedule, steps=moves, seed=seed, state=state, window=moves)


def _ladder(problem: Any, temperatures: Any, steps: int, seed: int) -> list[float]:
    if isinstance(temperatures, (int, np.integer)) and not isinstance(temperatures, bool):
        k = count("temper", "temperatures", temperatures, 2, MAX_REPLICAS)
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2,)))
        schedule = default_temperature(problem, steps, rng=rng)
        descent = getattr(schedule, "cycle", schedule)  # Restarts: one descent
        hot, cold = getattr(descent, "start", None), getattr(descent, "end", None)
        try:
            hot, cold = float(hot), float(cold)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            hot = cold = math.nan
        if not (0.0 < cold < hot <= MAX_TEMPERATURE):
            raise ValueError(
                f"temper: temperatures={k} needs a default schedule that falls from a start "
                f"to an end > 0; {type(problem).__name__}'s is {_short(schedule)}; give the "
                "temperatures explicitly"
            )
        ladder = [cold * (hot / cold) ** (r / (k - 1)) for r in range(k)]
        ladder[-1] = hot
        return ladder
    if isinstance(temperatures, (str, bytes)) or not isinstance(
        temperatures, (Sequence, np.ndarray)
    ):
        raise TypeError(
            "temper: temperatures must be a sequence of temperatures or an int (replicas), "
            f"got {_short(temperatures)}"
        )
    if isinstance(temperatures, np.ndarray) and temperatures.ndim != 1:
        raise ValueError(
            "temper: temperatures must be one-dimensional, got an array of shape "
            f"{temperatures.shape}"
        )
    values = list(temperatures)
    if not 2 <= len(values) <= MAX_REPLICAS:
        raise ValueError(
            f"temper: temperatures must hold 2 to {MAX_REPLICAS} temperatures, "
            f"got {len(values)}: {_short(temperatures)}"
        )
    ladder = []
    for i, value in enumerate(values):
        t = real("temper", f"temperatures[{i}]", value, bound=MAX_TEMPERATURE)
        if not t > 0.0 or not math.isfinite(1.0 / t):
            raise ValueError(f"temper: temperatures[{i}] must be > 0, got {_short(value)}")
        if ladder and not t > ladder[-1]:
            raise ValueError(
                "temper: temperatures must increase strictly (coldest first), but "
                f"temperatures[{i}] = {_short(value)} follows {ladder[-1]!r}"
            )
        ladder.append(t)
    return ladder
