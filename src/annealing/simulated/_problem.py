"""What the annealer needs from a problem: a small protocol."""

from __future__ import annotations

import decimal
import math
import numbers
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

    Two methods are optional, and the built-in problems have both:

    - ``check_state(state)`` returns an independent copy of `state` in the problem's own
      form, or raises :class:`ValueError` saying what is wrong with it. :func:`anneal` calls
      it on a `state` it is given and on the states of a checkpoint it resumes.
    - ``fingerprint()`` returns a str that changes when the instance does (a hash of its
      data). A checkpoint records it, and a resume on a problem whose fingerprint differs is
      refused. Without it, a problem is identified by its class and its ``repr``.
    """

    def random_state(self, rng: np.random.Generator) -> State:
        """A random starting state (the "melt")."""
        ...

    def energy(self, state: State) -> float:
        """The energy (cost) of `state`, computed from scratch."""
        ...

    def propose(self, state: State, rng: np.random.Generator) -> Move:
        """A random move from `state`; must not change `state`. May return None: no move
        this time (it is not counted as accepted)."""
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


def check_problem(problem: Any, owner: str = "anneal") -> None:
    """Raise a clear TypeError when `problem` lacks a method of :class:`Problem`."""
    missing = [
        name
        for name in ("random_state", "energy", "propose", "delta", "apply", "copy")
        if not callable(getattr(problem, name, None))
    ]
    if missing:
        raise TypeError(
            f"{owner}: problem must have the methods of annealing.simulated.Problem; "
            f"{type(problem).__name__} lacks {', '.join(missing)}"
        )


def check_state(problem: Any, state: Any, label: str, *, untrusted: bool = False) -> Any:
    """`state` checked and copied by the problem's ``check_state`` (when it has one).

    Refusals are prefixed with `label`; with `untrusted` (a checkpoint's state), anything the
    problem's code raises on it becomes a :class:`ValueError`.
    """
    check = getattr(problem, "check_state", None)
    try:
        return check(state) if callable(check) else problem.copy(state)
    except (ValueError, TypeError) as error:
        kind = ValueError if untrusted else type(error)
        raise kind(f"{label}: {error}") from None
    except Exception as error:
        if not untrusted:
            raise
        raise ValueError(f"{label}: {type(error).__name__}: {error}") from None


def real(owner: str, name: str, value: Any, *, bound: float = 1e200) -> float:
    """A parameter that is a real number: Python or numpy int/float, Fraction, Decimal.

    Refused, naming `owner` and `name`: bool, str, complex and other types (TypeError); NaN,
    infinities and magnitudes over `bound` (ValueError).
    """
    real_types = (numbers.Real, decimal.Decimal, np.integer, np.floating)
    if isinstance(value, bool) or not isinstance(value, real_types):
        raise TypeError(f"{owner}: {name} must be a real number, got {_short(value)}")
    try:
        number = float(value)
    except (OverflowError, ValueError, ArithmeticError):
        raise ValueError(
            f"{owner}: {name} must be a finite number of magnitude <= {bound:g}, "
            f"got {_short(value)}"
        ) from None
    if not (math.isfinite(number) and abs(number) <= bound):
        raise ValueError(
            f"{owner}: {name} must be a finite number of magnitude <= {bound:g}, "
            f"got {_short(value)}"
        )
    return number


def count(owner: str, name: str, value: Any, low: int, high: int) -> int:
    """A parameter that is a whole number from `low` to `high` (Python or numpy integer)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(
            f"{owner}: {name} must be an integer from {low} to {high}, got {_short(value)}"
        )
    if not low <= value <= high:
        raise ValueError(
            f"{owner}: {name} must be an integer from {low} to {high}, got {_short(value)}"
        )
    return int(value)


def _short(value: Any) -> str:
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 80 else text[:77] + "..."
