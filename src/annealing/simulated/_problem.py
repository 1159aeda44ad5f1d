"""What the annealer needs from a problem: a small protocol."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar, runtime_checkable

import numpy as np

State = TypeVar("State")
Move = TypeVar("Move")


@runtime_checkable
class Problem(Protocol[State, Move]):
    """The protocol that :func:`annealing.simulated.anneal` anneals.

    A problem is a set of states with an energy to minimise and a way to propose small random
    changes (moves). Only the change in energy of a move is needed in the inner loop, so
    :meth:`delta` should cost O(1) where it can (a 2-opt move changes four edges of a tour, a
    spin flip changes four bonds).

    The methods are called in this order for every move::

        move = problem.propose(state, rng)     # random, does not change `state`
        dE = problem.delta(state, move)        # energy(after) - energy(before)
        if accepted: state = problem.apply(state, move)

    To take part in checkpoints, a state should be plain data (lists and numbers), as the
    built-in problems' states are. `rng` is the run's :class:`numpy.random.Generator`; draw
    from it with ``rng.random()`` so that a run can be replayed from its seed.
    """

    def random_state(self, rng: np.random.Generator) -> State:
        """A random starting state (the "melt")."""
        ...

    def energy(self, state: State) -> float:
        """The energy (cost) of `state`, computed from scratch."""
        ...

    def propose(self, state: State, rng: np.random.Generator) -> Move:
        """A random move from `state`; must not change `state`."""
        ...

    def delta(self, state: State, move: Move) -> float:
        """``energy(apply(state, move)) - energy(state)``, without changing `state`."""
        ...

    def apply(self, state: State, move: Move) -> State:
        """Make `move`; may change `state` in place, and returns the new state."""
        ...

    def copy(self, state: State) -> State:
        """An independent copy of `state` (kept as the best state found so far)."""
        ...


def check_problem(problem: Any) -> None:
    """Raise a clear TypeError when `problem` lacks a method of :class:`Problem`."""
    missing = [
        name
        for name in ("random_state", "energy", "propose", "delta", "apply", "copy")
        if not callable(getattr(problem, name, None))
    ]
    if missing:
        raise TypeError(
            f"anneal: problem must have the methods of annealing.simulated.Problem; "
            f"{type(problem).__name__} lacks {', '.join(missing)}"
        )
