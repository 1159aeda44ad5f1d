"""The annealer: Metropolis acceptance under a temperature schedule, move by move."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

import numpy as np

from . import _checkpoint, _compiled
from ._checkpoint import CHECKPOINT_FORMAT, MAX_STEPS
from ._problem import Problem, _short, check_problem, check_state, count, real
from ._progress import ProgressBar

State = TypeVar("State")
Space = Literal["linear", "log"]
Engine = Literal["auto", "reference", "python", "numba"]
ENGINES = ("auto", "reference", "python", "numba")
AUTO_NUMBA_MOVES = 1_000_000
BLOCK = 1 << 16  # moves per vectorised evaluation of the temperature schedule
MAX_SAMPLES = 10_000_000  # random moves sampled to choose temperatures
MAX_LOG_STEPS = 2**32  # space="log" evaluates every move's temperature before the first move
MAX_CHAINS = 10_000
MAX_TIME = 1e7  # seconds (about 116 days)
#: A timed run with a problem's own default schedule measures its speed over this share of
#: the time, then asks the problem for the schedule of the moves it will make.
PROBE_SHARE = 0.02


class _Default(int):
    """A default that a resume can tell apart from the same number passed by the caller."""

    __slots__ = ()

    def __repr__(self) -> str:
        return int.__repr__(self)


DEFAULT_STEPS = _Default(1_000_000)
DEFAULT_SEED = _Default(0)


@dataclass(frozen=True)
class Trace:
    """What happened in each window of moves (for plots); plain lists, one entry per window.

    Attributes
    ----------
    move : list of int
        Moves made by the end of the window.
    temperature : list of float
        The temperature at the window's first move.
    energy : list of float
        The energy at the end of the window ("where you are").
    best : list of float
        The lowest energy seen by the end of the window ("best so far").
    acceptance : list of float
        The fraction of the window's moves that were accepted.
    """

    move: list[int] = field(default_factory=list)
    temperature: list[float] = field(default_factory=list)
    energy: list[float] = field(default_factory=list)
    best: list[float] = field(default_factory=list)
    acceptance: list[float] = field(default_factory=list)

    def to_dict(self) -> dict[str, list[Any]]:
        """The trace as a dict of lists."""
        return {
            "move": list(self.move),
            "temperature": list(self.temperature),
            "energy": list(self.energy),
            "best": list(self.best),
            "acceptance": list(self.acceptance),
        }


@dataclass(frozen=True)
class Status:
    """Passed to the callback after each window of moves."""

    move: int
    steps: int
    temperature: float
    energy: float
    best_energy: float
    acceptance: float


@dataclass(frozen=True)
class Result(Generic[State]):
    """The outcome of :func:`anneal`.

    Attributes
    ----------
    best_state, best_energy
        The lowest-energy state seen (best so far) and its energy, recomputed from scratch.
    state, energy
        Where the run ended ("where you are") and its energy, recomputed from scratch.
    moves : int
        Moves made (equal to `steps` unless the run was stopped or interrupted).
    steps : int
        Moves planned.
    accepted : int
        Moves accepted (downhill, level and uphill).
    trace : Trace
        Temperature, energy, best energy and acceptance rate per window.
    temperature : object
        The temperature schedule used (chosen from the problem when none was given).
    space : {"linear", "log"}
        How the schedule's values were read (see :func:`anneal`).
    seed : int
        The seed; ``anneal(problem, temperature, steps, seed)`` repeats the run.
    engine : str
        The inner loop that ran: ``"reference"``, ``"python"`` or ``"numba"``.
    stopped : {None, "callback", "interrupt", "time"}
        Why the run ended early, if it did (``"time"``: `time_limit` ran out).
    elapsed : float
        Wall time of the moves, in seconds.
    checkpoint : dict
        Plain data (JSON-safe when the state is) from which ``anneal(problem,
        resume=checkpoint)`` continues the run exactly as if it had not stopped. After an
        interrupt it holds the last complete window. Format 2: besides the run's state it
        holds fingerprints of the problem, the schedule and the settings, and a checksum, so
        that a resume with something else, or from an edited checkpoint, is refused (see
        ``annealing.simulated._checkpoint``). Empty for a run with a `time_limit`.
    chains : tuple of Result
        With ``chains=k``: every chain's result, chain 0 first (this result is the best of
        them, the first with the lowest `best_energy`); empty for a single run.
    """

    best_state: State
    best_energy: float
    state: State
    energy: float
    moves: int
    steps: int
    accepted: int
    trace: Trace
    temperature: Any
    space: Space
    seed: int
    engine: str
    stopped: str | None
    elapsed: float
    checkpoint: dict[str, Any]
    chains: tuple[Result[State], ...] = ()

    @property
    def acceptance_rate(self) -> float:
        """The fraction of all moves that were accepted."""
        return self.accepted / self.moves if self.moves else 0.0

    @property
    def moves_per_second(self) -> float:
        """Moves per second of wall time."""
        return self.moves / self.elapsed if self.elapsed > 0 else math.inf

    def __repr__(self) -> str:
        return (
            f"<Result best_energy={self.best_energy:.6g} energy={self.energy:.6g} "
            f"moves={self.moves} acceptance_rate={self.acceptance_rate:.3f} "
            f"engine={self.engine!r} stopped={self.stopped!r}>"
        )


class _Temperatures:
    """The temperature at each move: the schedule evaluated at the move index.

    In log space, the schedule's values over the run (moves 0 to `steps`) are mapped so that
    its largest and smallest values stay where they are and everything between is spaced
    evenly in log T:
    ``T = low * (high / low) ** ((v - low) / (high - low))``. A linear decay becomes a
    geometric one, a cosine becomes a cosine in log T.
    """

    def __init__(self, schedule: Any, steps: int, space: Space) -> None:
        self.schedule = schedule
        self.space = space
        self.steps = steps
        self.low = self.high = 0.0
        self._cache: dict[int, np.ndarray[Any, np.dtype[np.float64]]] = {}
        if space == "log":
            if steps > MAX_LOG_STEPS:
                raise ValueError(
                    "anneal: space='log' needs steps <= 2**32 (it evaluates the schedule at "
                    f"every move first, to find its range), got {steps}"
                )
            low, high = math.inf, -math.inf
            for start in range(0, steps + 1, BLOCK):  # moves 0 .. steps: the run's ends
                values = self._values(start, min(steps + 1, start + BLOCK))
                low = min(low, float(values.min()))
                high = max(high, float(values.max()))
            if low <= 0.0:
                raise ValueError(
                    f"anneal: space='log' needs temperatures > 0, but the schedule reaches {low!r}"
                )
            self.low, self.high = low, high

    def _values(self, start: int, stop: int) -> np.ndarray[Any, np.dtype[np.float64]]:
        moves = np.arange(start, stop, dtype=np.float64)
        try:
            values = np.asarray(self.schedule(moves), dtype=np.float64)
        except (TypeError, ValueError):
            values = np.empty(0)
        if values.shape != moves.shape:  # a plain function of one number
            values = np.array([self._scalar(k) for k in range(start, stop)])
        bad = ~(np.isfinite(values) & (values >= 0.0))
        if bad.any():
            k = start + int(np.argmax(bad))
            raise ValueError(
                f"anneal: temperatures must be finite and >= 0, got {float(values[k - start])!r} "
                f"at move {k}"
            )
        return values

    def _scalar(self, move: int) -> float:
        value = self.schedule(move)
        try:
            return float(value)
        except (TypeError, ValueError, OverflowError):
            raise TypeError(
                f"anneal: temperature must give a number at each move, got {_short(value)} "
                f"at move {move}"
            ) from None

    def __call__(self, start: int, stop: int) -> np.ndarray[Any, np.dtype[np.float64]]:
        first, last = start // BLOCK, (stop - 1) // BLOCK
        parts = [self._block(k) for k in range(first, last + 1)]
        values = parts[0] if len(parts) == 1 else np.concatenate(parts)
        return values[start - first * BLOCK : stop - first * BLOCK]

    def _block(self, k: int) -> np.ndarray[Any, np.dtype[np.float64]]:
        # The schedule is evaluated in fixed blocks of moves [k B, (k + 1) B): one vectorised
        # call per block, and every move's temperature comes from the same call whatever the
        # window or the point a run resumed from (SIMD code may round an element differently
        # depending on where it sits in an array).
        values = self._cache.get(k)
        if values is None:
            values = self._values(k * BLOCK, min(self.steps, (k + 1) * BLOCK))
            if self.space == "log" and self.high > self.low:
                span = self.high - self.low
                values = self.low * (self.high / self.low) ** ((values - self.low) / span)
            self._cache = {key: v for key, v in self._cache.items() if key == k - 1}
            self._cache[k] = values
        return values


def anneal(
    problem: Problem[State, Any],
    temperature: Any = None,
    steps: int | float = DEFAULT_STEPS,
    seed: int | None = DEFAULT_SEED,
    *,
    space: Space | None = None,
    state: State | None = None,
    callback: Callable[[Status], bool | None] | None = None,
    progress: bool = False,
    window: int | None = None,
    engine: Engine = "auto",
    resume: dict[str, Any] | None = None,
    allow_changes: bool = False,
    time_limit: float | None = None,
    chains: int = 1,
    executor: concurrent.futures.Executor | None = None,
) -> Result[State]:
    r"""Minimise `problem`'s energy by simulated annealing.

    For each move :math:`k = 0, 1, \dots,` `steps` - 1: propose a random move, compute its
    change in energy :math:`\Delta E`, and accept it when :math:`\Delta E \le 0` or, with
    probability :math:`e^{-\Delta E / T_k}`, when it goes uphill (Metropolis et al. 1953;
    Kirkpatrick, Gelatt & Vecchi 1983). :math:`T_k` is `temperature` evaluated at the move
    index :math:`k`: any ``annealing`` schedule (``Cosine``, ``Exponential``, ``Linear``,
    ``Restarts`` to reheat, ...) or a function of the move index.

    Parameters
    ----------
    problem : Problem
        What to anneal; see :class:`annealing.simulated.Problem`.
    temperature : schedule or callable, optional
        The temperature at each move. Left out: a geometric decay from :math:`T_0`, where 80%
        of uphill moves are accepted, to :math:`T_1`, where the smallest typical uphill move
        is accepted once in a thousand (see :func:`default_temperature`).
    steps : int
        The number of moves, from 1 to 2**53 (``1e6`` is accepted); default 1,000,000.
    seed : int or None
        Seeds the run's random numbers (numpy's PCG64; no global random state is used);
        an integer from 0 to 2**128 - 1, default 0.
        ``None`` draws a fresh seed, which is reported in ``Result.seed``.
    space : {"linear", "log"}, optional
        Default ``"linear"``: the schedule's values are the temperatures. ``"log"``: the schedule's
        shape is applied to log T, keeping its largest and smallest values over the run, so
        ``Cosine(T0, T1, steps)`` becomes a cosine in log T and ``Linear`` a geometric decay
        (the schedule is evaluated at every move first, so at most 2**32 moves).
    state : optional
        The initial state; by default ``problem.random_state`` gives one. Checked by the
        problem's ``check_state`` when it has one (the built-in problems do).
    callback : callable, optional
        Called with a :class:`Status` after each window of moves; returning ``True`` stops the
        run (the result can be resumed).
    progress : bool
        Draw a progress bar on standard error.
    window : int, optional
        Moves per window (trace row, callback, progress update). Default ``steps // 500``.
    engine : {"auto", "reference", "python", "numba"}
        The inner loop. ``"reference"`` is the readable loop below, for any problem.
        ``"python"`` and ``"numba"`` are the same algorithm specialised to a built-in problem
        (numba must be installed). They draw the same random numbers in the same order and
        give the same result. ``"auto"`` takes ``"numba"`` when numba is installed and the run
        has a million moves or more (or numba is already loaded), else ``"python"``, and the
        reference loop for other problems.
    resume : dict, optional
        A ``Result.checkpoint`` (or :func:`load_checkpoint` of one saved as JSON): continue
        that run. Its schedule, steps, seed, space and window are used; pass `temperature`
        again only if the schedule has no ``to_dict``. The checkpoint carries fingerprints of
        the problem, the schedule and the settings: a resume with another problem, or with
        a `temperature`, `steps`, `space` or `window` passed that differs from the
        checkpoint's, raises :class:`ValueError` naming what differs. Every field is checked
        (the state against the problem) before a move is made.
    allow_changes : bool
        With `resume`: continue with this call's problem, `temperature`, `steps`, `space` and
        `window` where they differ from the checkpoint's (the energies are recomputed when the
        problem changed; `steps` must be at least the moves made). The seed cannot change:
        the random numbers continue from the checkpoint (``seed=None`` is ignored on resume).
    time_limit : float, optional
        A budget of wall-clock seconds (> 0). The schedule then runs on the clock: after
        :math:`t` seconds the temperature is the schedule's at move
        :math:`\lfloor t / t_{\max} \cdot \text{steps} \rfloor` (`steps` only sets the
        schedule's length), held for a window of moves, and the run ends when the time is up
        (``stopped="time"``; ``Result.moves`` says how many moves were made). With the default
        `temperature` of a :class:`TravellingSalesman`, whose schedule depends on the moves
        a run makes, the speed of the first 2% of the time says how many the run will make,
        and the schedule is chosen for that many (``Result.temperature``). Such a run is
        **not reproducible**: how many moves fit in the time, and so the result, depends on
        the machine and its load, even with a seed. It has no checkpoint.
    chains : int
        Independent runs (1 to 10,000), each a whole run of this call's settings; the result
        is the best chain's, with every chain's result in ``Result.chains``. Chain :math:`i`
        is seeded from ``(seed, i)`` (numpy ``SeedSequence(seed).spawn(chains)[i]``, as an
        integer in ``Result.chains[i].seed``, so ``anneal(..., seed=that)`` repeats it alone);
        the results do not depend on where the chains run. No `callback`, `progress` or
        `resume` with more than one chain.
    executor : concurrent.futures.Executor, optional
        Where the chains run. Default: a ``ProcessPoolExecutor`` with one process per chain,
        up to the number of cores, made for this call. Any ``concurrent.futures.Executor``
        works, such as a ``dask.distributed`` client's ``get_executor()`` (the problem, the
        schedule and the results are pickled to and from it).

    Returns
    -------
    Result
        Best and final states and energies, acceptance statistics, trace and checkpoint.
        A ``KeyboardInterrupt`` during the run returns the result so far (``stopped =
        "interrupt"``) instead of raising.

    Examples
    --------
    >>> import annealing as an
    >>> from annealing.simulated import TravellingSalesman, anneal
    >>> cities = TravellingSalesman.circle(12)
    >>> result = anneal(cities, an.Exponential(1.0, end=0.001, steps=20_000), steps=20_000)
    >>> round(result.best_energy, 6) == round(cities.optimum, 6)
    True
    """
    check_problem(problem, "anneal")
    time_limit = _check_time_limit(time_limit)
    chains = count("anneal", "chains", chains, 1, MAX_CHAINS)
    if executor is not None and not isinstance(executor, concurrent.futures.Executor):
        raise TypeError(
            "anneal: executor must be a concurrent.futures.Executor (a ProcessPoolExecutor, a "
            f"dask client's get_executor(), ...) or None, got {_short(executor)}"
        )
    if chains > 1 or executor is not None:
        for label, value, default in (
            ("callback", callback, None),
            ("progress", progress, False),
            ("resume", resume, None),
        ):
            if value is not default:
                raise ValueError(
                    f"anneal: {label} cannot be given with chains={chains} or an executor "
                    "(the chains run elsewhere)"
                )
        return _chains(
            problem,
            chains,
            executor,
            temperature=temperature,
            steps=steps,
            seed=seed,
            space=space,
            state=state,
            window=window,
            engine=engine,
            time_limit=time_limit,
        )
    if not isinstance(engine, str) or engine not in ENGINES:
        raise ValueError(f"anneal: engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if callback is not None and not callable(callback):
        raise TypeError(
            f"anneal: callback must be a function of a Status or None, got {callback!r}"
        )
    if not isinstance(progress, (bool, np.bool_)):
        raise TypeError(f"anneal: progress must be True or False, got {progress!r}")
    if not isinstance(allow_changes, bool):
        raise TypeError(f"anneal: allow_changes must be True or False, got {allow_changes!r}")
    if resume is not None:
        if state is not None:
            raise ValueError("anneal: state cannot be given with resume (the checkpoint has it)")
        if time_limit is not None:
            raise ValueError("anneal: time_limit cannot be given with resume")
        given: dict[str, Any] = {}
        if steps is not DEFAULT_STEPS:
            given["steps"] = _check_steps(steps)
        if seed is not DEFAULT_SEED and seed is not None:  # None: "draw one" means nothing here
            given["seed"] = _check_seed(seed)
        if space is not None:
            given["space"] = _check_space(space)
        if window is not None:
            given["window"] = _check_window(window, 1)
        if temperature is not None:
            given["temperature"] = _check_temperature(temperature)
        return _resume(problem, resume, given, allow_changes, callback, progress, engine)
    if allow_changes:
        raise ValueError("anneal: allow_changes=True needs resume (a checkpoint to change)")
    if time_limit is not None and window is not None:
        raise ValueError(
            "anneal: window cannot be given with time_limit (a timed run sizes its windows "
            "from its speed)"
        )
    steps = _check_steps(steps)
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (1 << 63))  # type: ignore[operator]
    seed = _check_seed(seed)
    init_rng, calibration_rng, rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)
    )
    space = _check_space("linear" if space is None else space)
    default = temperature is None
    if default:
        temperature = default_temperature(problem, steps, rng=calibration_rng)
    else:
        temperature = _check_temperature(temperature)
    if state is not None:
        state = check_state(problem, state, "anneal: state")
    start = getattr(problem, "start_state", None)
    if state is not None:
        current = state
    elif callable(start):
        current = start(init_rng)
    else:
        current = problem.random_state(init_rng)
    energy = float(problem.energy(current))
    run = _Run(
        problem=problem,
        temperature=temperature,
        steps=steps,
        seed=seed,
        space=space,
        window=_check_window(window, steps, problem),
        rng=rng,
        state=current,
        energy=energy,
        best_energy=energy,
        best_state=problem.copy(current),
        move=0,
        accepted=0,
        trace=Trace(),
        time_limit=time_limit,
        default=default,
    )
    return run.go(callback, progress, engine)


def _chain_seeds(seed: int, chains: int) -> list[int]:
    """Chain i's seed: a 128-bit integer from ``SeedSequence(seed).spawn(chains)[i]``."""
    seeds = []
    for child in np.random.SeedSequence(seed).spawn(chains):
        low, high = (int(v) for v in child.generate_state(2, dtype=np.uint64))
        seeds.append(low | (high << 64))
    return seeds


def _one_chain(problem: Any, seed: int, settings: dict[str, Any]) -> Result[Any]:
    """One chain (run in a worker): a plain single run."""
    return anneal(problem, seed=seed, **settings)


def _chains(
    problem: Problem[State, Any],
    chains: int,
    executor: concurrent.futures.Executor | None,
    **settings: Any,
) -> Result[State]:
    seed = settings.pop("seed")
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (1 << 63))  # type: ignore[operator]
    seed = _check_seed(seed)
    if settings["steps"] is not DEFAULT_STEPS:
        settings["steps"] = _check_steps(settings["steps"])
    else:
        settings.pop("steps")
    seeds = _chain_seeds(seed, chains)
    moves = int(settings.get("steps", DEFAULT_STEPS))
    _compile_here(problem, str(settings.get("engine", "auto")), moves)
    own = executor is None
    if executor is None:
        executor = concurrent.futures.ProcessPoolExecutor(min(chains, os.cpu_count() or 1))
    try:
        futures = [executor.submit(_one_chain, problem, s, settings) for s in seeds]
        results: list[Result[State]] = [future.result() for future in futures]
    finally:
        if own:
            executor.shutdown()
    best = min(range(chains), key=lambda i: (results[i].best_energy, i))
    return dataclasses.replace(results[best], chains=tuple(results))


def _check_time_limit(time_limit: Any) -> float | None:
    if time_limit is None:
        return None
    value = real("anneal", "time_limit", time_limit, bound=MAX_TIME)
    if not value > 0:
        raise ValueError(
            f"anneal: time_limit must be a number of seconds > 0 (up to 1e7) or None, "
            f"got {_short(time_limit)}"
        )
    return value


def _check_steps(steps: Any, owner: str = "anneal") -> int:
    if isinstance(steps, bool) or not isinstance(steps, (int, float, np.integer, np.floating)):
        raise TypeError(f"{owner}: steps must be a whole number >= 1, got {steps!r}")
    if isinstance(steps, (int, np.integer)):
        if steps < 1:
            raise ValueError(f"{owner}: steps must be a whole number >= 1, got {steps!r}")
        if steps > MAX_STEPS:
            raise ValueError(
                f"{owner}: steps must be at most 2**53 (moves are float64), got {_short(steps)}"
            )
        return int(steps)
    if not (math.isfinite(steps) and steps >= 1 and float(steps) == int(steps)):
        raise ValueError(f"{owner}: steps must be a whole number >= 1, got {steps!r}")
    if int(steps) > MAX_STEPS:
        raise ValueError(f"{owner}: steps must be at most 2**53 (moves are float64), got {steps!r}")
    return int(steps)


def _check_seed(seed: Any) -> int:
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"anneal: seed must be an integer >= 0 or None, got {seed!r}")
    if seed >= 2**128:
        raise ValueError(f"anneal: seed must be below 2**128, got {seed!r}")
    return int(seed)


def _check_space(space: Any) -> Space:
    if not isinstance(space, str) or space not in ("linear", "log"):
        raise ValueError(f"anneal: space must be 'linear' or 'log', got {space!r}")
    return "log" if space == "log" else "linear"


def _check_temperature(temperature: Any) -> Any:
    if not callable(temperature):
        raise TypeError(
            "anneal: temperature must be a schedule or a function of the move index, "
            f"got {temperature!r}"
        )
    return temperature


def _check_window(window: Any, steps: int, problem: Any = None) -> int:
    if window is None:
        hint = getattr(problem, "_default_window", None)
        return int(hint(steps)) if callable(hint) else max(1, steps // 500)
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
        raise ValueError(f"anneal: window must be an integer >= 1, got {window!r}")
    if window > MAX_STEPS:
        raise ValueError(f"anneal: window must be at most 2**53, got {window!r}")
    return int(window)


def _compile_here(problem: Any, engine: str, moves: int) -> None:
    """Compile the kernels in this process when runs sent elsewhere would use them.

    numba's on-disk cache is not safe to create from several processes at once
    (numba/numba#4807, #10128); processes take turns at it (``_compiled._cache_lock``).
    Compiled here first, the cache is written once, forked workers inherit the kernels and
    the others only read it, one after another.
    """
    if engine in ("auto", "numba") and _engine(problem, engine, moves) == "numba":
        _compiled.kernels()


def _engine(problem: Any, engine: str, moves: int) -> str:
    fast = callable(getattr(problem, "_window", None))
    if engine == "auto":
        if not fast:
            return "reference"
        # Starting numba (import, load the cached machine code) takes about a second, the
        # time the python engine needs for a million moves.
        enough = getattr(problem, "_auto_numba_moves", AUTO_NUMBA_MOVES)
        if _compiled.loaded() or (moves >= enough and _compiled.available()):
            return "numba"
        return "python"
    if engine in ("python", "numba") and not fast:
        raise ValueError(
            f"anneal: engine {engine!r} needs a built-in problem; "
            f"{type(problem).__name__} runs with engine='reference'"
        )
    if engine == "numba" and not _compiled.available():
        raise ValueError("anneal: engine 'numba' needs numba (pip install annealing[fast])")
    return engine


@dataclass
class _Run(Generic[State]):
    """The mutable state of one run; `go` makes the moves."""

    problem: Problem[State, Any]
    temperature: Any
    steps: int
    seed: int
    space: Space
    window: int
    rng: np.random.Generator
    state: State
    energy: float
    best_energy: float
    best_state: State
    move: int
    accepted: int
    trace: Trace
    time_limit: float | None = None
    default: bool = False  # the temperature is the problem's own default schedule
    _prints: tuple[tuple[str, str], tuple[str, str]] = (("", ""), ("", ""))

    def go(
        self,
        callback: Callable[[Status], bool | None] | None,
        progress: bool,
        engine: str,
    ) -> Result[State]:
        timed = self.time_limit is not None
        moves_hint = self.steps - self.move
        if timed and self.time_limit is not None and self.time_limit >= 1.0:
            moves_hint = AUTO_NUMBA_MOVES  # a second or more: worth starting numba
        engine = _engine(self.problem, engine, moves_hint)
        # Fingerprinted before the first move: a schedule or problem that cannot be
        # described fails now, not after the run.
        self._prints = (
            _checkpoint.problem_fingerprint(self.problem),
            _checkpoint.schedule_fingerprint(self.temperature, self.steps),
        )
        if engine == "numba":
            _compiled.kernels()  # compile before the clock starts
        temperatures = _Temperatures(self.temperature, self.steps, self.space)
        bar = ProgressBar(self.steps, start=self.move) if progress else None
        snapshot = self._snapshot()
        stopped: str | None = None
        started = time.perf_counter()
        size = 1000  # moves in the first window of a timed run
        own = getattr(self.problem, "_default_temperature", None)
        retune = timed and self.default and callable(own)
        try:
            while timed or self.move < self.steps:
                if timed:
                    assert self.time_limit is not None
                    spent = time.perf_counter() - started
                    if spent >= self.time_limit:
                        stopped = "time"
                        break
                    if retune and self.move and spent >= PROBE_SHARE * self.time_limit:
                        # the problem's default for the moves this run will make
                        retune = False
                        assert own is not None
                        schedule = own(self.steps, int(self.move / spent * self.time_limit))
                        if schedule is not None:
                            self.temperature = schedule
                            temperatures = _Temperatures(schedule, self.steps, self.space)
                    if self.move:  # aim at about 200 windows over the budget
                        rate = self.move / spent
                        size = int(min(2**19, max(2000, rate * self.time_limit / 200)))
                        size = int(min(size, max(500, rate * (self.time_limit - spent))))
                    virtual = min(self.steps - 1, int(spent / self.time_limit * self.steps))
                    stop = self.move + size
                    temps = np.full(size, temperatures(virtual, virtual + 1)[0])
                else:
                    stop = min(self.steps, self.move + self.window)
                    temps = temperatures(self.move, stop)
                accepted_before = self.accepted
                if engine == "reference":
                    self._reference(temps)
                else:
                    self._fast(engine, temps)
                self.move = stop
                status = Status(
                    move=stop,
                    steps=self.steps,
                    temperature=float(temps[0]),
                    energy=self.energy,
                    best_energy=self.best_energy,
                    acceptance=(self.accepted - accepted_before) / len(temps),
                )
                self._record(status)
                if not timed:  # a timed run has no checkpoint
                    snapshot = self._snapshot()
                if bar is not None:
                    bar.update(status)
                if callback is not None and callback(status):
                    stopped = "callback"
                    break
        except KeyboardInterrupt:
            stopped = "interrupt"
        elapsed = time.perf_counter() - started
        if bar is not None:
            bar.close()
        problem = self.problem
        return Result(
            best_state=self.best_state,
            best_energy=float(problem.energy(self.best_state)),
            state=self.state,
            energy=float(problem.energy(self.state)),
            moves=self.move,
            steps=self.steps,
            accepted=self.accepted,
            trace=self.trace,
            temperature=self.temperature,
            space=self.space,
            seed=self.seed,
            engine=engine,
            stopped=stopped,
            elapsed=elapsed,
            checkpoint={} if timed else self._checkpoint(snapshot),
        )

    def _reference(self, temperatures: np.ndarray[Any, np.dtype[np.float64]]) -> None:
        """The reference loop: one Metropolis step per move, written to be read."""
        problem, rng = self.problem, self.rng
        state, energy = self.state, self.energy
        for t in temperatures.tolist():
            move = problem.propose(state, rng)
            # Draw u for every move, so that the random numbers a move sees do not
            # depend on what happened before it (the fast paths rely on this).
            u = rng.random()
            if move is None:  # the problem found no move this time: nothing happens
                continue
            change = problem.delta(state, move)
            if change <= 0.0 or (t > 0.0 and u < math.exp(-change / t)):
                state = problem.apply(state, move)
                energy += change
                self.accepted += 1
                if energy < self.best_energy:
                    self.best_energy, self.best_state = energy, problem.copy(state)
            self.state, self.energy = state, energy

    def _fast(self, engine: str, temperatures: np.ndarray[Any, np.dtype[np.float64]]) -> None:
        window = getattr(self.problem, "_window")  # noqa: B009 - private hook of built-ins
        energy, best_energy, best_state, accepted = window(
            engine, self.state, self.energy, self.best_energy, temperatures, self.rng
        )
        self.energy = energy
        self.accepted += accepted
        if best_state is not None:
            self.best_energy, self.best_state = best_energy, best_state

    def _record(self, status: Status) -> None:
        self.trace.move.append(status.move)
        self.trace.temperature.append(status.temperature)
        self.trace.energy.append(status.energy)
        self.trace.best.append(status.best_energy)
        self.trace.acceptance.append(status.acceptance)

    def _snapshot(self) -> tuple[Any, ...]:
        """What a checkpoint needs at a window boundary (the trace only grows: keep its length)."""
        problem = self.problem
        return (
            self.move,
            self.rng.bit_generator.state,
            problem.copy(self.state),
            self.energy,
            problem.copy(self.best_state),
            self.best_energy,
            self.accepted,
            len(self.trace.move),
        )

    def _checkpoint(self, snapshot: tuple[Any, ...]) -> dict[str, Any]:
        move, rng, state, energy, best_state, best_energy, accepted, rows = snapshot
        to_dict = getattr(self.temperature, "to_dict", None)
        (problem_print, problem_text), (schedule_print, schedule_text) = self._prints
        checkpoint = {
            "format": CHECKPOINT_FORMAT,
            "kind": _checkpoint.KIND,
            "checksum": None,
            "fingerprint": {
                "problem": problem_print,
                "schedule": schedule_print,
                "settings": _checkpoint.settings_fingerprint(
                    self.steps, self.seed, self.space, self.window
                ),
            },
            "problem": problem_text,
            "schedule": schedule_text,
            "move": move,
            "steps": self.steps,
            "seed": self.seed,
            "space": self.space,
            "window": self.window,
            "temperature": to_dict() if callable(to_dict) else None,
            "rng": _plain(rng),
            "state": state,
            "energy": energy,
            "best_state": best_state,
            "best_energy": best_energy,
            "accepted": accepted,
            "trace": {key: values[:rows] for key, values in self.trace.to_dict().items()},
        }
        checkpoint["checksum"] = _checkpoint.checksum(checkpoint)
        return checkpoint


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, np.integer):
        return int(value)
    return value


def _resume(
    problem: Problem[State, Any],
    checkpoint: Any,
    given: dict[str, Any],
    allow_changes: bool,
    callback: Callable[[Status], bool | None] | None,
    progress: bool,
    engine: str,
) -> Result[State]:
    saved = _checkpoint.parse(checkpoint)
    fail = _checkpoint.fail
    settings: dict[str, Any] = {"steps": saved.steps, "space": saved.space}
    settings["window"] = saved.window
    differences = []
    if "seed" in given and given["seed"] != saved.seed:
        raise fail(
            f"seed differs: checkpoint has {saved.seed}, this run has {given['seed']} "
            "(a resume continues the checkpoint's random numbers; leave seed out)"
        )
    for key in ("steps", "space", "window"):
        if key in given and given[key] != settings[key]:
            differences.append(
                f"{key} differs: checkpoint has {settings[key]!r}, this run has {given[key]!r}"
            )
            settings[key] = given[key]
    temperature = given.get("temperature")
    if temperature is None:
        temperature = _saved_schedule(saved)
    else:
        digest, text = _checkpoint.schedule_fingerprint(temperature, saved.steps)
        if digest != saved.fingerprint["schedule"]:
            differences.append(
                f"schedule differs: checkpoint has {saved.schedule}, this run has {text}"
            )
    digest, text = _checkpoint.problem_fingerprint(problem)
    problem_changed = digest != saved.fingerprint["problem"]
    if problem_changed:
        if text == saved.problem:  # same description, other data: show the fingerprints
            text += f" ({digest[:19]}...)"
            saved.problem += f" ({saved.fingerprint['problem'][:19]}...)"
        differences.append(f"problem differs: checkpoint has {saved.problem}, this run has {text}")
    if differences and not allow_changes:
        raise fail(
            "; ".join(differences) + " (pass allow_changes=True to continue with this run's values)"
        )
    steps = int(settings["steps"])
    if steps < saved.move:
        raise fail(f"steps ({steps}) must be at least the moves already made ({saved.move})")
    state = check_state(problem, saved.state, "anneal: checkpoint: state", untrusted=True)
    best_state = check_state(
        problem, saved.best_state, "anneal: checkpoint: best_state", untrusted=True
    )
    energy = _energy_of(problem, state, "state")
    best_energy = _energy_of(problem, best_state, "best_state")
    if problem_changed:  # allowed: the energies are this problem's
        if energy < best_energy:
            best_state, best_energy = problem.copy(state), energy
    else:
        scale = max([1.0, abs(energy), abs(best_energy)] + [abs(e) for e in saved.trace["energy"]])
        for label, stored, recomputed in (
            ("energy", saved.energy, energy),
            ("best_energy", saved.best_energy, best_energy),
        ):
            if abs(stored - recomputed) > 1e-6 * scale:
                raise fail(
                    f"{label} {stored!r} is not the energy of its state "
                    f"({recomputed!r} recomputed); the checkpoint does not belong to this problem"
                )
        energy, best_energy = saved.energy, saved.best_energy  # the run's own running sums
    rng = np.random.Generator(np.random.PCG64(0))
    try:
        rng.bit_generator.state = saved.rng
    except (TypeError, ValueError, KeyError, OverflowError) as error:
        raise fail(f"rng is not a PCG64 state: {error}") from None
    if not saved.intact and not allow_changes:
        raise fail(
            "its fields do not match its checksum: it was changed after it was made "
            "(pass allow_changes=True to resume it as it is)"
        )
    run = _Run(
        problem=problem,
        temperature=temperature,
        steps=steps,
        seed=saved.seed,
        space=settings["space"],
        window=int(settings["window"]),
        rng=rng,
        state=state,
        energy=energy,
        best_energy=best_energy,
        best_state=best_state,
        move=saved.move,
        accepted=saved.accepted,
        trace=Trace(**saved.trace),
    )
    return run.go(callback, progress, engine)


def _saved_schedule(saved: _checkpoint.Saved) -> Any:
    """The checkpoint's schedule, rebuilt and checked against its fingerprint."""
    fail = _checkpoint.fail
    if saved.temperature is None:
        raise ValueError(
            f"anneal: this checkpoint's temperature ({saved.schedule}) has no to_dict; "
            "pass temperature= again"
        )
    import annealing

    try:
        temperature = annealing.from_dict(saved.temperature)
    except Exception as error:
        raise fail(
            f"temperature is not an annealing schedule ({type(error).__name__}: {error}); "
            "if it is your own object with a to_dict, pass temperature= again"
        ) from None
    digest, text = _checkpoint.schedule_fingerprint(temperature, saved.steps)
    if digest != saved.fingerprint["schedule"]:
        raise fail(
            f"temperature ({text}) does not match fingerprint.schedule (made from "
            f"{saved.schedule}): the checkpoint was changed after it was made"
        )
    return temperature


def _energy_of(problem: Problem[State, Any], state: State, label: str) -> float:
    try:
        energy = float(problem.energy(state))
    except Exception as error:
        raise _checkpoint.fail(
            f"{label} is not a state of this problem ({type(error).__name__}: {error})"
        ) from None
    if not math.isfinite(energy):
        raise _checkpoint.fail(f"{label} has energy {energy!r} in this problem")
    return energy


# -- choosing temperatures from the problem ----------------------------------------------------


def _uphill(problem: Problem[Any, Any], samples: int, rng: np.random.Generator) -> list[float]:
    """Uphill changes of random moves during a walk at infinite temperature."""
    state = problem.random_state(rng)
    changes = []
    for _ in range(samples):
        move = problem.propose(state, rng)
        if move is None:
            continue
        change = float(problem.delta(state, move))
        if change > 0.0:
            changes.append(change)
        state = problem.apply(state, move)
    if not changes:
        raise ValueError(
            f"{type(problem).__name__}: no uphill move in {samples} random moves; "
            "give the temperature schedule explicitly"
        )
    return changes


def initial_temperature(
    problem: Problem[Any, Any],
    acceptance: float = 0.8,
    *,
    samples: int = 2000,
    seed: int | np.random.Generator = 0,
) -> float:
    r"""The temperature at which a fraction `acceptance` of uphill moves is accepted.

    Uphill changes :math:`\Delta E_i > 0` are sampled from random moves of a random walk (the
    "melt"), and :math:`T_0` solves :math:`\operatorname{mean}_i e^{-\Delta E_i / T_0} =`
    `acceptance` (Kirkpatrick's rule of thumb is about 80%; the ORNL CSEP notes give it as
    :math:`T_0 = -\overline{\Delta E^+} / \ln \chi_0`, which this solves exactly for the mean
    acceptance rather than for the mean change).

    Parameters
    ----------
    problem : Problem
        The problem.
    acceptance : float
        The target fraction of uphill moves accepted, 0 < acceptance < 1.
    samples : int
        Random moves to sample, from 1 to 10**7.
    seed : int or numpy.random.Generator
        Seeds the sample.

    Examples
    --------
    >>> from annealing.simulated import Ising, initial_temperature
    >>> t0 = initial_temperature(Ising(16), 0.8)
    >>> 15 < t0 < 40
    True
    """
    check_problem(problem, "initial_temperature")
    acceptance = real("initial_temperature", "acceptance", acceptance, bound=1.0)
    if not 0.0 < acceptance < 1.0:
        raise ValueError(f"initial_temperature: acceptance must be in (0, 1), got {acceptance!r}")
    samples = count("initial_temperature", "samples", samples, 1, MAX_SAMPLES)
    if not isinstance(seed, np.random.Generator):
        seed = np.random.default_rng(count("initial_temperature", "seed", seed, 0, 2**128 - 1))
    changes = np.array(_uphill(problem, samples, seed))
    return _solve(changes, acceptance)


def _solve(changes: np.ndarray[Any, np.dtype[np.float64]], acceptance: float) -> float:
    """T with mean(exp(-changes / T)) == acceptance, by bisection in log T."""
    low, high = math.log(float(changes.min()) * 1e-3), math.log(float(changes.max()) * 1e6)
    for _ in range(100):
        mid = 0.5 * (low + high)
        rate = float(np.mean(np.exp(-changes / math.exp(mid))))
        low, high = (mid, high) if rate < acceptance else (low, mid)
    return math.exp(0.5 * (low + high))


def default_temperature(
    problem: Problem[Any, Any],
    steps: int,
    *,
    rng: np.random.Generator | None = None,
    samples: int = 2000,
) -> Any:
    r"""The default temperature schedule: ``Exponential(T0, end=T1, steps=steps)``.

    :math:`T_0` accepts 80% of uphill moves (:func:`initial_temperature`). :math:`T_1` is where
    the smallest typical uphill move, the 5th percentile :math:`\delta` of the sampled uphill
    changes, is accepted once in a thousand: :math:`T_1 = \delta / \ln 1000` (capped at
    :math:`T_0 / 10`). Between them the temperature falls geometrically, the same time per
    decade, which beat or matched a cosine in log T and clearly beat a cosine or linear decay
    in T on our TSPLIB runs (see the benchmark on the docs page).

    A problem may define its own: a :class:`TravellingSalesman` with neighbour lists falls
    from :math:`0.5\,d_{10}` to :math:`0.003\,d_{10}` (:math:`d_{10}` the mean distance to
    the 10th-nearest city), and with 20,000 or more moves a city it makes
    ``steps // (10_000 * n)`` such descents one after another (:class:`~annealing.Restarts`).

    Examples
    --------
    >>> from annealing.simulated import TravellingSalesman, default_temperature
    >>> default_temperature(TravellingSalesman.grid(4, 4), 1000)  # doctest: +ELLIPSIS
    Exponential(start=..., end=..., steps=1000...)
    """
    import annealing

    check_problem(problem, "default_temperature")
    steps = _check_steps(steps, "default_temperature")
    samples = count("default_temperature", "samples", samples, 1, MAX_SAMPLES)
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise TypeError(f"default_temperature: rng must be a numpy Generator or None, got {rng!r}")
    rng = np.random.default_rng(0) if rng is None else rng
    own = getattr(problem, "_default_temperature", None)
    if callable(own):
        schedule = own(steps)
        if schedule is not None:
            return schedule
    changes = np.array(_uphill(problem, samples, rng))
    t0 = _solve(changes, 0.8)
    t1 = min(float(np.quantile(changes, 0.05)) / math.log(1000.0), t0 / 10)
    return annealing.Exponential(start=t0, end=t1, steps=steps)
