"""annealing.keras.Schedule: a Keras LearningRateSchedule that round-trips its config."""

from __future__ import annotations

import json
import os
from typing import Any

import numpy as np
import pytest
from support import require

import annealing as an

os.environ.setdefault("KERAS_BACKEND", "jax")
pytestmark = pytest.mark.peer

SCHEDULE = an.Warmup(an.Restarts(an.Cosine(1e-2, 1e-4, 30), mult=2), warmup=10)


@pytest.fixture
def keras() -> Any:
    module = require("keras")
    return module


def test_is_a_learning_rate_schedule_with_the_same_values(keras: Any) -> None:
    from annealing.keras import Schedule

    lr = Schedule(SCHEDULE)
    assert isinstance(lr, keras.optimizers.schedules.LearningRateSchedule)
    for t in (0, 5, 10, 39, 40, 100, 1000):
        assert float(lr(t)) == pytest.approx(SCHEDULE(t), rel=1e-6)  # floatx is float32
    assert float(lr(keras.ops.convert_to_tensor(40))) == pytest.approx(SCHEDULE(40), rel=1e-6)


def test_config_round_trips_through_json_and_keras_serialization(keras: Any) -> None:
    from annealing.keras import Schedule

    lr = Schedule(SCHEDULE)
    config = json.loads(json.dumps(lr.get_config()))
    assert config == {"schedule": SCHEDULE.to_dict()}
    assert Schedule.from_config(config).schedule == SCHEDULE
    data = keras.optimizers.schedules.serialize(lr)
    back = keras.optimizers.schedules.deserialize(json.loads(json.dumps(data)))
    assert isinstance(back, Schedule) and back.schedule == SCHEDULE
    optimizer = keras.optimizers.AdamW(learning_rate=lr)
    rebuilt = keras.optimizers.AdamW.from_config(optimizer.get_config())
    assert rebuilt.learning_rate is not None
    assert rebuilt._learning_rate.schedule == SCHEDULE
    with pytest.raises(TypeError, match="schedule must be"):
        Schedule(0.1)


def test_drives_an_optimizer_in_fit_and_survives_model_save(keras: Any, tmp_path: Any) -> None:
    from annealing.keras import Schedule

    keras.utils.set_random_seed(0)
    schedule = an.Linear(0.1, 0.0, 8)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    optimizer = keras.optimizers.SGD(learning_rate=Schedule(schedule))
    model.compile(optimizer=optimizer, loss="mse")
    seen: list[float] = []

    class Record(keras.callbacks.Callback):  # type: ignore[misc]
        def on_train_batch_begin(self, batch: int, logs: Any = None) -> None:
            seen.append(float(self.model.optimizer.learning_rate))

    x, y = np.random.rand(40, 3), np.random.rand(40, 1)
    model.fit(x, y, batch_size=4, epochs=1, verbose=0, callbacks=[Record()])
    assert seen == pytest.approx([schedule(t) for t in range(10)], rel=1e-6, abs=1e-9)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert loaded.optimizer._learning_rate.schedule == schedule
