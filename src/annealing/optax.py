"""optax adapter: schedule any hyperparameter of an optax optimizer with ``annealing`` schedules.

An ``annealing`` schedule is already an optax schedule (a function of the step count that
takes JAX arrays, under ``jit`` too): ``optax.adamw(learning_rate=an.Cosine(...))`` works as
is. To schedule *other* hyperparameters (``b1``, ``b2``, ``weight_decay``, ``momentum``, ...)
optax wraps the optimizer with ``optax.inject_hyperparams``; :func:`hyperparams` does that
with a mapping of names to schedules, checked against the optimizer's parameters, the same
mapping :class:`annealing.torch.Scheduler` takes (with optax's names). optax is imported when
:func:`hyperparams` is called (``import annealing`` never imports it). The schedules of
``annealing.compat.optax`` are ``annealing`` schedules, so they go in the mapping as they are.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from .schedule import Schedule

__all__ = ["hyperparams"]

# PyTorch's names for optax's, for the error message
_TORCH_NAMES = {"lr": "learning_rate", "betas": "b1 and b2", "momentum": "b1 or momentum"}


_INT32 = 2**31  # JAX's integers without x64


def _check_fixed(owner: str, name: str, value: Any, default: Any) -> None:
    """Refuse a fixed value that optax would fail on deep inside JAX (at init, or in the
    jitted update), naming it: a number must be a finite int or float (an int within ±2**31,
    as JAX takes it), None only where the parameter's default is None, a callable only where
    its default is not a number, and no Decimal, Fraction, complex, date or time at all.
    Callables (a mask, a dtype), arrays and other objects go to the optimizer as they are."""
    import numpy as np

    where = f"hyperparams: {name} of {owner}"
    if value is None:
        if default is None:
            return
        raise TypeError(f"{where} must be a value, not None (its default is {default!r})")
    numeric = isinstance(default, (int, float)) and not isinstance(default, bool)
    if callable(value) and numeric:
        raise TypeError(
            f"{where} must be a number (its default is {default!r}), got the callable "
            f"{value!r}; to schedule it, put an annealing schedule in schedules"[:300]
        )
    if callable(value) or isinstance(value, str):
        return
    if isinstance(value, (bool, np.bool_)):
        if isinstance(default, bool):
            return
        raise TypeError(f"{where} must be a finite number, got {value!r}")
    kind = type(value)
    scalar = isinstance(value, (int, float)) or (
        isinstance(value, (np.integer, np.floating)) and kind is not np.timedelta64
    )
    if scalar:
        if isinstance(value, (int, np.integer)) and not -_INT32 <= int(value) < _INT32:
            raise ValueError(
                f"{where} must be an integer within ±2**31 (JAX's int32; pass a float), "
                f"got {value!r}"[:200]
            )
        if not np.isfinite(float(value)):
            raise ValueError(f"{where} must be a finite number, got {value!r}")
        return
    if isinstance(value, np.ndarray) or kind.__module__.startswith(("jax", "jaxlib")):
        return  # an array or a pytree leaf: the optimizer's to judge
    import datetime
    import decimal
    import fractions
    import numbers

    refused = (decimal.Decimal, fractions.Fraction, numbers.Complex, datetime.date, datetime.time)
    if isinstance(value, (*refused, datetime.timedelta, np.generic)):
        raise TypeError(f"{where} must be a finite number, got {value!r}"[:200])


def _short(schedule: Any) -> str:
    text = repr(schedule)
    return text if len(text) <= 80 else text[:77] + "..."


def hyperparams(
    optimizer: Callable[..., Any], schedules: Mapping[str, Schedule], /, **fixed: Any
) -> Any:
    r"""``optimizer(**fixed)`` with each hyperparameter in `schedules` following its schedule.

    At update ``t`` (optax's count, from 0) hyperparameter ``name`` is ``schedules[name](t)``;
    this is ``optax.inject_hyperparams(optimizer)(**fixed, **schedules)``, so the current
    values are in the state: ``state.hyperparams["b1"]``. A callable in `fixed` (a ``mask``)
    stays fixed: it is passed as a static argument, never called as a schedule.

    Parameters
    ----------
    optimizer : callable
        An optax optimizer factory: ``optax.adamw``, ``optax.sgd``, ``optax.lion``, ...
    schedules : mapping of str to Schedule
        The optimizer's parameter names (optax's: ``learning_rate``, ``b1``, ``b2``,
        ``weight_decay``, ``momentum``, ...) and their schedules.
    **fixed
        The optimizer's other arguments, as ``optimizer`` takes them.

    Returns
    -------
    optax.GradientTransformationExtraArgs
        With state ``InjectHyperparamsState``.

    Raises
    ------
    TypeError, ValueError
        A `schedules` that is not a non-empty mapping of names to schedules, a name that
        `optimizer` does not take, one given both as a schedule and in `fixed`, a required
        argument of `optimizer` given neither, a fixed value that JAX would fail on inside
        optax (None or a callable where the default is a number, a Decimal, Fraction, date or
        time, an int beyond ±2**31, a number that is not finite), or a schedule that cannot run
        under ``jax.jit`` (one that calls Python code at each step, such as compat's
        ``LambdaLR``). The returned ``init`` names this function when it fails on the
        parameters (a ``mask`` that gives no booleans for them).

    Examples
    --------
    >>> import optax  # doctest: +SKIP
    >>> import annealing as an  # doctest: +SKIP
    >>> from annealing.optax import hyperparams  # doctest: +SKIP
    >>> opt = hyperparams(  # doctest: +SKIP
    ...     optax.adamw,
    ...     {"learning_rate": an.Warmup(an.Cosine(1e-3, 0.0, 900), warmup=100),
    ...      "b2": an.Linear(0.95, 0.999, 1000)},   # β2 raised over the run
    ...     weight_decay=1e-4,
    ... )
    >>> state = opt.init(params)  # doctest: +SKIP
    >>> float(state.hyperparams["b2"])  # doctest: +SKIP
    0.95
    """
    owner = getattr(optimizer, "__name__", repr(optimizer))
    if not callable(optimizer):
        raise TypeError(
            f"hyperparams: optimizer must be an optax optimizer factory such as optax.adamw, "
            f"got {optimizer!r}"
        )
    if not isinstance(schedules, Mapping) or not schedules:
        raise TypeError(
            "hyperparams: schedules must be a non-empty mapping from hyperparameter names to "
            f"annealing schedules, got {schedules!r}"
        )
    try:
        parameters = inspect.signature(optimizer).parameters
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"hyperparams: optimizer {owner} has no signature to check names against ({error})"
        ) from None
    names = [
        n for n, p in parameters.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    for name, schedule in schedules.items():
        if not isinstance(name, str):
            raise TypeError(f"hyperparams: schedules keys must be parameter names, got {name!r}")
        if name not in names:
            hint = f" (optax's name: {_TORCH_NAMES[name]})" if name in _TORCH_NAMES else ""
            raise ValueError(
                f"hyperparams: {owner} has no parameter {name!r}{hint}; it has {', '.join(names)}"
            )
        if not isinstance(schedule, Schedule):
            raise TypeError(
                f"hyperparams: schedules[{name!r}] must be an annealing schedule, got {schedule!r}"
            )
        if name in fixed:
            raise ValueError(
                f"hyperparams: {name!r} is given both as a schedule and as a fixed value "
                f"({fixed[name]!r}); give it once"
            )
    unknown = [n for n in fixed if n not in names]
    if unknown:
        raise ValueError(
            f"hyperparams: {owner} has no parameter {unknown[0]!r}; it has {', '.join(names)}"
        )
    for name, value in fixed.items():
        _check_fixed(owner, name, value, parameters[name].default)
    missing = [
        n
        for n, p in parameters.items()
        if p.default is p.empty
        and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        and n not in schedules
        and n not in fixed
    ]
    if missing:
        raise TypeError(
            f"hyperparams: {owner} needs {', '.join(map(repr, missing))}: give each a schedule "
            "or a fixed value"
        )
    import jax
    import jax.numpy as jnp
    import optax

    for name, schedule in schedules.items():
        # optax calls the schedules inside its jitted update: a schedule that runs Python
        # code on each step (LambdaLR) would fail there, at the first update, deep in JAX
        try:
            jax.eval_shape(schedule, jnp.zeros((), dtype=jnp.int32))
        except Exception as error:
            raise TypeError(
                f"hyperparams: schedules[{name!r}] cannot run under jax.jit, as optax's "
                f"update does ({type(error).__name__}): {_short(schedule)} calls Python code "
                "at each step; write it with annealing's schedules"
            ) from None
    static = [n for n, v in fixed.items() if callable(v)]
    built = optax.inject_hyperparams(optimizer, static_args=static)(**fixed, **schedules)
    init = built.init

    def checked_init(params: Any) -> Any:
        # what only the parameters can tell (a mask that gives no booleans for them) fails
        # deep in optax: say which call it was
        try:
            return init(params)
        except (TypeError, ValueError) as error:
            raise type(error)(
                f"hyperparams: {owner}(**{sorted(fixed)}) with schedules for "
                f"{sorted(schedules)} could not init on these parameters: {error}"
            ) from error

    return built._replace(init=checked_init)
