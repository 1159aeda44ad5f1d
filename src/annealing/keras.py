"""Keras 3 adapter: an ``annealing`` schedule as a Keras learning-rate schedule.

:class:`Schedule` is a ``keras.optimizers.schedules.LearningRateSchedule``: any Keras
optimizer accepts it, and ``get_config`` / ``from_config`` (hence ``model.save()`` and
``keras.optimizers.schedules.serialize``) round-trip it through the schedule's ``to_dict()``.
It computes with the backend's own operations, so it works inside a compiled train step;
the JAX and PyTorch backends are supported (the core evaluates JAX and PyTorch arrays).
Importing this module imports Keras; ``import annealing`` alone does not.
"""

from __future__ import annotations

from typing import Any

import keras

from ._validate import show
from .schedule import Schedule as _Schedule
from .schedule import from_dict

__all__ = ["Schedule"]


@keras.saving.register_keras_serializable(package="annealing")
class Schedule(keras.optimizers.schedules.LearningRateSchedule):
    """A Keras learning-rate schedule that follows an ``annealing`` schedule.

    Parameters
    ----------
    schedule : annealing.Schedule or dict
        The schedule, or its ``to_dict()``.

    Examples
    --------
    >>> import annealing as an  # doctest: +SKIP
    >>> from annealing.keras import Schedule  # doctest: +SKIP
    >>> lr = Schedule(an.Cosine(start=1e-3, end=0.0, steps=1000))  # doctest: +SKIP
    >>> optimizer = keras.optimizers.AdamW(learning_rate=lr)  # doctest: +SKIP
    """

    def __init__(self, schedule: _Schedule | dict[str, Any]) -> None:
        super().__init__()
        if isinstance(schedule, dict):
            schedule = from_dict(schedule)
        if not isinstance(schedule, _Schedule):
            raise TypeError(
                f"Schedule: schedule must be an annealing schedule or its to_dict(), "
                f"got {show(schedule)}"
            )
        self.schedule = schedule

    def __call__(self, step: Any) -> Any:
        step = keras.ops.convert_to_tensor(step)
        value = self.schedule(keras.ops.cast(step, keras.config.floatx()))
        return keras.ops.cast(value, keras.config.floatx())

    def get_config(self) -> dict[str, Any]:
        """``{"schedule": schedule.to_dict()}``: plain JSON."""
        return {"schedule": self.schedule.to_dict()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Schedule:
        """The inverse of :meth:`get_config` (a saved model's config: checked, never run)."""
        if not isinstance(config, dict) or "schedule" not in config:
            raise TypeError(
                "Schedule.from_config: config must be a dict with the key 'schedule' (from "
                f"get_config), got {show(config)}"
            )
        unknown = sorted(str(k) for k in config if k not in ("schedule", "name"))
        if unknown:
            raise ValueError(f"Schedule.from_config: config has unknown keys {unknown}")
        return cls(config["schedule"])

    def __repr__(self) -> str:
        return f"Schedule({self.schedule!r})"
