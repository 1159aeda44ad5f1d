"""annealing.torch.Scheduler: a real LRScheduler; it counts optimizer steps, schedules any
hyperparameter; resume, param groups, Trainer, Lightning; and annealing.trace. The real
training loops (Accelerate on 2 processes, accumulation, GradScaler) are in
test_training_loops.py."""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from support import require

import annealing as an

pytestmark = pytest.mark.peer

# mid-warmup (0–19), mid-cycle, and on the restarts (20, 50, 110, 230) of this schedule
SCHEDULE = an.Warmup(
    an.Restarts(an.Cosine(0.1, 0.001, 30), mult=2, peak_decay=0.5), warmup=20, start=0.0
)
STEPS = 300


def make(schedule: Any = SCHEDULE, **kwargs: Any) -> tuple[Any, Any, Any]:
    torch = require("torch")
    from annealing.torch import Scheduler

    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    return model, optimizer, Scheduler(optimizer, schedule, **kwargs)


def train(model: Any, optimizer: Any, scheduler: Any, steps: range) -> list[float]:
    torch = require("torch")
    rates = []
    for t in steps:
        generator = torch.Generator().manual_seed(t)
        x = torch.randn(4, 3, generator=generator)
        rates.append(optimizer.param_groups[0]["lr"])
        loss = (model(x) - x.sum(dim=1, keepdim=True)).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
    return rates


def test_follows_the_schedule_and_is_an_lr_scheduler() -> None:
    torch = require("torch")
    model, optimizer, scheduler = make()
    assert isinstance(scheduler, torch.optim.lr_scheduler.LRScheduler)
    rates = train(model, optimizer, scheduler, range(STEPS))
    assert rates == [SCHEDULE(t) for t in range(STEPS)]
    assert scheduler.get_last_lr() == [SCHEDULE(STEPS)]


def test_resume_at_50_random_points_reproduces_the_run_exactly() -> None:
    torch = require("torch")
    model, optimizer, scheduler = make()
    reference = train(model, optimizer, scheduler, range(STEPS))
    rng = np.random.default_rng(3)
    restarts = [SCHEDULE.schedule.cycle_start(k) + 20 for k in range(4)]  # 20, 50, 110, 230
    points = sorted({*rng.integers(1, 20, 8).tolist(), *restarts, *restarts[1:], 49, 51})
    points = (points + rng.integers(1, STEPS, 50).tolist())[:50]
    assert len(points) == 50
    for stop in points:
        model, optimizer, scheduler = make()
        first = train(model, optimizer, scheduler, range(stop))
        buffer = io.BytesIO()
        checkpoint = {
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(),
        }
        torch.save(checkpoint, buffer)
        buffer.seek(0)
        saved = torch.load(buffer, weights_only=True)  # the state is plain data
        model, optimizer, scheduler = make()
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        scheduler.load_state_dict(saved["scheduler"])
        rest = train(model, optimizer, scheduler, range(stop, STEPS))
        assert first + rest == reference, stop


def test_loading_a_changed_schedule_raises_unless_told_to_continue() -> None:
    model, optimizer, scheduler = make()
    train(model, optimizer, scheduler, range(40))
    state = scheduler.state_dict()
    assert state["schedule"] == SCHEDULE.to_dict() and state["last_epoch"] == 40
    other = an.Cosine(0.1, 0.0, 300)
    _, optimizer2, scheduler2 = make(other)
    with pytest.raises(ValueError, match="saved with Warmup") as error:
        scheduler2.load_state_dict(state)
    assert "on_schedule_change='continue'" in str(error.value)
    scheduler2.load_state_dict(state, on_schedule_change="continue")
    assert scheduler2.last_epoch == 40 and optimizer2.param_groups[0]["lr"] == other(40)
    optimizer2.step()
    scheduler2.step()
    assert optimizer2.param_groups[0]["lr"] == other(41)
    _, _, scheduler3 = make(other, on_schedule_change="continue")
    scheduler3.load_state_dict(state)
    assert scheduler3.last_epoch == 40
    _, _, scheduler4 = make(mode="multiplier")  # same schedule, another mode: also a change
    with pytest.raises(ValueError, match="mode='absolute'"):
        scheduler4.load_state_dict(state)


def test_the_checkpoint_carries_the_fingerprint_and_it_decides() -> None:
    model, optimizer, scheduler = make()
    train(model, optimizer, scheduler, range(30))
    state = scheduler.state_dict()
    assert state["fingerprint"] == SCHEDULE.fingerprint()
    # an equal schedule written differently (steps 30.0 for 30) resumes: equal values
    same = an.Warmup(
        an.Restarts(an.Cosine(0.1, 0.001, 30.0), mult=2.0, peak_decay=0.5), warmup=20.0
    )
    assert same == SCHEDULE
    _, _, resumed = make(same)
    resumed.load_state_dict(state)
    assert resumed.last_epoch == 30
    # the fingerprint, not the stored data, is compared: data edited to match is no match
    _, _, other = make(an.Cosine(0.1, 0.0, 300))
    forged = {**state, "schedule": an.Cosine(0.1, 0.0, 300).to_dict()}
    with pytest.raises(ValueError, match="on_schedule_change='continue'"):
        other.load_state_dict(forged)
    # a value that differs in its last bit is another schedule
    nudged = an.Cosine(0.1, 0.0, 300)
    _, _, bit = make(an.Cosine(float(np.nextafter(0.1, 1.0)), 0.0, 300))
    _, _, first = make(nudged)
    with pytest.raises(ValueError, match="saved with Cosine"):
        bit.load_state_dict(first.state_dict())
    # a checkpoint from before fingerprints: its data is compared, as before
    old = {k: v for k, v in state.items() if k != "fingerprint"}
    _, _, again = make()
    again.load_state_dict(old)
    assert again.last_epoch == 30
    with pytest.raises(ValueError, match="saved with Warmup"):
        make(an.Cosine(0.1, 0.0, 300))[2].load_state_dict(old)


def test_one_fingerprint_per_group_when_the_groups_differ() -> None:
    torch = require("torch")
    from annealing.torch import Scheduler

    a, b = torch.nn.Linear(2, 1), torch.nn.Linear(2, 1)
    groups = [{"params": a.parameters()}, {"params": b.parameters()}]
    first, second = an.Cosine(0.5, 0.0, 10), an.Linear(0.2, 0.0, 10)
    state = Scheduler(torch.optim.SGD(groups, lr=1.0), [first, second]).state_dict()
    assert state["fingerprint"] == [first.fingerprint(), second.fingerprint()]
    groups = [{"params": a.parameters()}, {"params": b.parameters()}]
    swapped = Scheduler(torch.optim.SGD(groups, lr=1.0), [second, first])
    with pytest.raises(ValueError, match=r"saved with \[Cosine"):
        swapped.load_state_dict(state)


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"optimizer": None}, ValueError, "keys a scheduler's state never has: ['optimizer']"),
        ({"_schedules": []}, ValueError, "never has: ['_schedules']"),
        ({"__class__": int}, ValueError, "never has: ['__class__']"),
        ({"step": 5}, ValueError, "never has: ['step']"),  # would hide the method
        ({"count": "calls"}, ValueError, "never has: ['count']"),
        ({"base_lrs": [0.1, 0.2]}, ValueError, "['base_lrs'] must be a list of 1 finite numbers"),
        ({"base_lrs": ["0.1"]}, ValueError, "['base_lrs'] must be a list of 1 finite numbers"),
        ({"base_lrs": [float("inf")]}, ValueError, "must be a list of 1 finite numbers >= 0"),
        ({"base_lrs": [10**400]}, ValueError, "must be a list of 1 finite numbers >= 0"),
        ({"_step_count": None}, ValueError, "['_step_count'] must be an integer from 0 to 2**53"),
        (
            {"last_epoch": "5"},
            ValueError,
            "['last_epoch'] must be an integer from -1 to 2**53, got '5'",
        ),
        (
            {"last_epoch": True},
            ValueError,
            "['last_epoch'] must be an integer from -1 to 2**53, got True",
        ),
        (
            {"last_epoch": -2},
            ValueError,
            "['last_epoch'] must be an integer from -1 to 2**53, got -2",
        ),
        (
            {"last_epoch": 10**400},
            ValueError,
            "['last_epoch'] must be an integer from -1 to 2**53, got <an integer",
        ),
        (
            {"last_epoch": 2**53 + 1},
            ValueError,
            "['last_epoch'] must be an integer from -1 to 2**53",
        ),
        ({"_pending": 10**30}, ValueError, "['_pending'] must be an integer from 0 to 2**53"),
        ({"fingerprint": 5}, TypeError, "['fingerprint'] must be a string or a list of them"),
    ],
)
def test_a_state_that_is_not_a_schedulers_is_refused(
    change: dict[str, Any], error: type[Exception], message: str
) -> None:
    _, _, scheduler = make()
    state = {**scheduler.state_dict(), **change}
    _, _, fresh = make()
    with pytest.raises(error) as info:
        fresh.load_state_dict(state)
    assert str(info.value).startswith("Scheduler.load_state_dict: state_dict")
    assert message in str(info.value)
    with pytest.raises(TypeError, match=r"state_dict must be a dict"):
        fresh.load_state_dict([1, 2])  # type: ignore[arg-type]
    assert fresh.last_epoch == 0  # nothing was applied


def test_a_saved_schedule_nested_too_deep_is_described_not_recursed() -> None:
    _, _, scheduler = make()
    deep: dict[str, Any] = {"type": "Constant", "value": 1.0}
    for _ in range(5000):
        deep = {"type": "Warmup", "schedule": deep, "warmup": 1}
    state = {**scheduler.state_dict(), "schedule": deep, "fingerprint": None}
    _, _, fresh = make()
    with pytest.raises(
        ValueError,
        match=r"saved with <dict object>, which from_dict refuses .*nested deeper than 64",
    ):
        fresh.load_state_dict(state)


def test_param_groups_with_their_own_base_rates() -> None:
    torch = require("torch")
    from annealing.torch import Scheduler

    a, b = torch.nn.Linear(2, 1), torch.nn.Linear(2, 1)
    optimizer = torch.optim.AdamW(
        [{"params": a.parameters(), "lr": 1e-3}, {"params": b.parameters(), "lr": 1e-2}]
    )
    factor = an.Warmup(an.Cosine(1.0, 0.0, 90), warmup=10)
    scheduler = Scheduler(optimizer, factor, mode="multiplier")
    for t in range(120):
        assert [g["lr"] for g in optimizer.param_groups] == [1e-3 * factor(t), 1e-2 * factor(t)]
        optimizer.step()
        scheduler.step()
    # absolute: the same rate for every group; or one schedule per group
    optimizer = torch.optim.SGD(
        [{"params": a.parameters(), "lr": 1.0}, {"params": b.parameters(), "lr": 2.0}]
    )
    first, second = an.Cosine(0.5, 0.0, 10), an.Linear(0.2, 0.0, 10)
    scheduler = Scheduler(optimizer, [first, second])
    optimizer.step()
    scheduler.step()
    assert [g["lr"] for g in optimizer.param_groups] == [first(1), second(1)]
    assert scheduler.schedule == [first, second]
    with pytest.raises(ValueError, match="one per parameter group"):
        Scheduler(optimizer, [first])
    with pytest.raises(ValueError, match="mode must be"):
        Scheduler(optimizer, first, mode="relative")


def test_tensor_learning_rates_are_filled_in_place() -> None:
    torch = require("torch")
    from annealing.torch import Scheduler

    lr = torch.tensor(0.1)
    optimizer = torch.optim.Adam(torch.nn.Linear(2, 1).parameters(), lr=lr)
    scheduler = Scheduler(optimizer, an.Linear(0.1, 0.0, 10))
    optimizer.step()
    scheduler.step()
    assert isinstance(optimizer.param_groups[0]["lr"], torch.Tensor)
    assert float(optimizer.param_groups[0]["lr"]) == pytest.approx(0.09, rel=1e-6)


def test_transformers_trainer_uses_it(tmp_path: Any) -> None:
    torch = require("torch")
    transformers = require("transformers")
    require("accelerate")
    from annealing.torch import Scheduler

    class Model(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.linear = torch.nn.Linear(3, 1)

        def forward(self, x: Any, labels: Any = None) -> dict[str, Any]:
            out = self.linear(x)
            return {"loss": (out - labels).pow(2).mean(), "logits": out}

    data = [{"x": torch.randn(3), "labels": torch.randn(1)} for _ in range(64)]
    model = Model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    schedule = an.Warmup(an.Cosine(0.1, 0.0, 12), warmup=4)
    scheduler = Scheduler(optimizer, schedule)
    seen: list[float] = []

    class Record(transformers.TrainerCallback):  # type: ignore[misc]
        def on_step_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            seen.append(kwargs["optimizer"].param_groups[0]["lr"])

    args = transformers.TrainingArguments(
        output_dir=str(tmp_path),
        max_steps=20,
        per_device_train_batch_size=4,
        report_to=[],
        save_strategy="no",
        use_cpu=True,
        disable_tqdm=True,
    )
    trainer = transformers.Trainer(
        model=model,
        args=args,
        train_dataset=data,
        optimizers=(optimizer, scheduler),
        callbacks=[Record()],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trainer.train()
    assert seen == [schedule(t) for t in range(20)]


def test_lightning_uses_it() -> None:
    torch = require("torch")
    lightning = require("lightning")
    from annealing.torch import Scheduler

    schedule = an.Warmup(an.Cosine(0.1, 0.0, 12), warmup=4)
    seen: list[float] = []

    class Module(lightning.LightningModule):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.linear = torch.nn.Linear(3, 1)

        def training_step(self, batch: Any, index: int) -> Any:
            seen.append(self.optimizers().param_groups[0]["lr"])
            x, y = batch
            return (self.linear(x) - y).pow(2).mean()

        def configure_optimizers(self) -> Any:
            optimizer = torch.optim.SGD(self.parameters(), lr=0.1)
            scheduler = Scheduler(optimizer, schedule)
            return {
                "optimizer": optimizer,
                "lr_scheduler": {"scheduler": scheduler, "interval": "step"},
            }

    data = torch.utils.data.TensorDataset(torch.randn(80, 3), torch.randn(80, 1))
    loader = torch.utils.data.DataLoader(data, batch_size=4)
    trainer = lightning.Trainer(
        max_steps=20,
        accelerator="cpu",
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trainer.fit(Module(), loader)
    assert seen == [schedule(t) for t in range(20)]


# -- which step: optimizer steps, not calls -------------------------------------------------


def one_step(model: Any, optimizer: Any, t: int) -> None:
    torch = require("torch")
    x = torch.randn(4, 3, generator=torch.Generator().manual_seed(t))
    optimizer.zero_grad()
    (model(x) - x.sum(dim=1, keepdim=True)).pow(2).mean().backward()
    optimizer.step()


@contextlib.contextmanager
def no_step_count_warnings() -> Iterator[None]:
    """A context in which a StepCountWarning fails the test."""
    require("torch")
    from annealing.torch import StepCountWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error", StepCountWarning)
        yield


def test_extra_calls_per_optimizer_step_do_not_advance_it_and_are_named() -> None:
    require("torch")
    from annealing.torch import StepCountWarning

    for factor in (2, 4, 8):
        model, optimizer, scheduler = make()
        seen = []
        with pytest.warns(StepCountWarning) as record:
            for t in range(40):
                seen.append(optimizer.param_groups[0]["lr"])
                one_step(model, optimizer, t)
                for _ in range(factor):  # Accelerate's loop over processes, or per micro-batch
                    scheduler.step()
        assert seen == [SCHEDULE(t) for t in range(40)]
        assert scheduler.last_epoch == 40
        messages = [str(w.message) for w in record if w.category is StepCountWarning]
        assert len(messages) == 1  # once, not at every step
        assert messages[0].startswith(
            f"Scheduler: scheduler.step() was called {factor} times for one optimizer step "
            "(for 3 optimizer steps in a row); the schedule follows optimizer steps"
        )
        assert "count='calls'" in messages[0]
    # per micro-batch under gradient accumulation 4: the same schedule per optimizer step
    model, optimizer, scheduler = make()
    seen = []
    with pytest.warns(StepCountWarning, match="called 4 times for one optimizer step"):
        for batch in range(4 * 30):
            if batch % 4 == 3:
                seen.append(optimizer.param_groups[0]["lr"])
                one_step(model, optimizer, batch)
            scheduler.step()
    assert seen == [SCHEDULE(t) for t in range(30)]
    # count="calls" is PyTorch's behaviour: every call advances (the compressed schedule)
    model, optimizer, scheduler = make(count="calls")
    seen = []
    with no_step_count_warnings():
        for t in range(10):
            seen.append(optimizer.param_groups[0]["lr"])
            one_step(model, optimizer, t)
            scheduler.step()
            scheduler.step()
    assert seen == [SCHEDULE(2 * t) for t in range(10)]


def test_skipped_steps_and_calls_before_the_first_step_do_not_advance_it() -> None:
    model, optimizer, scheduler = make()
    seen = []
    skipped = {0, 1, 2, 7, 20, 21}  # as GradScaler skips optimizer.step() on inf gradients
    with no_step_count_warnings():
        for t in range(60):
            if t not in skipped:
                seen.append(optimizer.param_groups[0]["lr"])
                one_step(model, optimizer, t)
            scheduler.step()
    assert seen == [SCHEDULE(k) for k in range(60 - len(skipped))]
    # the order of the two calls in an iteration does not matter
    model, optimizer, scheduler = make()
    seen = []
    with no_step_count_warnings():
        for t in range(30):
            scheduler.step()  # before optimizer.step(): PyTorch < 1.1's order
            seen.append(optimizer.param_groups[0]["lr"])
            one_step(model, optimizer, t)
    assert seen == [SCHEDULE(k) for k in range(30)]


def test_calls_without_any_optimizer_step_warn_after_1000() -> None:
    require("torch")
    from annealing.torch import StepCountWarning

    # a large accumulation (64 calls per optimizer step) gets the factor, not this warning
    model, optimizer, scheduler = make()
    with pytest.warns(StepCountWarning, match="called 64 times for one optimizer step") as record:
        for batch in range(64 * 4):
            if batch % 64 == 63:
                one_step(model, optimizer, batch)
            scheduler.step()
    assert len(record) == 1 and scheduler.last_epoch == 4

    _, optimizer, scheduler = make()
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        for _ in range(999):
            scheduler.step()
        assert not [w for w in record if w.category is StepCountWarning]
        scheduler.step()
    (warning,) = [w for w in record if w.category is StepCountWarning]
    assert "called 1000 times and no optimizer step was seen" in str(warning.message)
    assert scheduler.last_epoch == 0 and optimizer.param_groups[0]["lr"] == SCHEDULE(0)
    # an explicit step(epoch) goes there at once
    scheduler.step(25)
    assert scheduler.last_epoch == 25 and optimizer.param_groups[0]["lr"] == SCHEDULE(25)
    for epoch in (-3, 10**400, 2**53 + 1):
        with pytest.raises(ValueError, match=r"^Scheduler.step: epoch must be an integer from 0"):
            scheduler.step(epoch)
    assert scheduler.last_epoch == 25  # nothing was changed
    with pytest.raises(ValueError, match=r"^Scheduler: last_epoch must be an integer from -1"):
        make(last_epoch=10**400)
    with pytest.raises(ValueError, match="count must be 'optimizer' or 'calls', got 'steps'"):
        make(count="steps")


def test_counting_optimizer_steps_takes_off_pytorchs_step_wrapper() -> None:
    # LRScheduler wraps optimizer.step to warn when scheduler.step() comes first; the step hook
    # already tells that, so count="optimizer" takes off the wrapper it added (a cost at every
    # step). count="calls", whose warning reads it, and another scheduler's wrapper keep it.
    torch = require("torch")
    from annealing.torch import Scheduler

    def sgd() -> Any:
        return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)

    optimizer = sgd()
    Scheduler(optimizer, SCHEDULE)
    assert "step" not in vars(optimizer)
    optimizer = sgd()
    Scheduler(optimizer, SCHEDULE, count="calls")
    assert optimizer.step._wrapped_by_lr_sched
    optimizer = sgd()
    torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0)
    wrapper = vars(optimizer)["step"]
    ours = Scheduler(optimizer, SCHEDULE)
    assert vars(optimizer)["step"] is wrapper
    optimizer.step()
    ours.step()
    assert ours.last_epoch == 1 and optimizer.param_groups[0]["lr"] == SCHEDULE(1)
    # a PyTorch scheduler made afterwards wraps it again and steps without a warning
    optimizer = sgd()
    ours = Scheduler(optimizer, SCHEDULE)
    theirs = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        optimizer.step()
        theirs.step()
        ours.step()
    assert ours.last_epoch == 1 and optimizer.step._wrapped_by_lr_sched


def test_a_copy_counts_its_own_optimizer_steps() -> None:
    import copy

    model, optimizer, scheduler = make()
    train(model, optimizer, scheduler, range(5))
    clone = copy.deepcopy(scheduler)
    clone.optimizer.step()
    clone.step()
    assert clone.last_epoch == 6 and scheduler.last_epoch == 5
    scheduler.step()  # the copy's optimizer step is not the original's
    assert scheduler.last_epoch == 5
    train(model, optimizer, scheduler, range(5, 7))
    assert scheduler.last_epoch == 7 and clone.last_epoch == 6
    # and a pickled one (torch.save of the whole object) too
    torch = require("torch")
    buffer = io.BytesIO()
    torch.save(scheduler, buffer)
    buffer.seek(0)
    loaded = torch.load(buffer, weights_only=False)
    loaded.optimizer.step()
    loaded.step()
    assert loaded.last_epoch == 8 and loaded.optimizer.param_groups[0]["lr"] == SCHEDULE(8)


V1_STATE = {  # saved by the adapter before state versions (annealing at 2fba9a9)
    "base_lrs": [0.1],
    "last_epoch": 7,
    "_step_count": 8,
    "_is_initial": False,
    "_get_lr_called_within_step": False,
    "_last_lr": [0.09891830623632338],
    "schedule": {
        "format": 1,
        "type": "Warmup",
        "schedule": {"type": "Cosine", "start": 0.1, "end": 0.001, "steps": 30, "exponent": 1.0},
        "warmup": 5,
        "start": 0.0,
        "shape": "linear",
    },
    "mode": "absolute",
    "fingerprint": "54f4a67620ca1abfa8d060669d9d8e23fd456bf5c641aece09c57fd6ab787da9",
}


def test_version_1_checkpoints_load_and_loading_sets_the_rate() -> None:
    old = an.Warmup(an.Cosine(0.1, 0.001, 30), warmup=5)
    model, optimizer, scheduler = make(old)
    assert optimizer.param_groups[0]["lr"] == 0.0  # the warmup's start
    scheduler.load_state_dict(V1_STATE)  # the scheduler's state alone: the rate is set at once
    assert scheduler.last_epoch == 7 and optimizer.param_groups[0]["lr"] == old(7)
    assert scheduler.get_last_lr() == [old(7)]
    train(model, optimizer, scheduler, range(7, 9))
    assert optimizer.param_groups[0]["lr"] == old(9)
    state = scheduler.state_dict()
    assert state["version"] == 2 and state["fingerprint"] == V1_STATE["fingerprint"]
    assert {k: state[k] for k in ("schedule", "mode")} == {
        k: V1_STATE[k] for k in ("schedule", "mode")
    }
    with pytest.raises(ValueError, match="saved with Warmup"):
        make(an.Cosine(0.1, 0.0, 30))[2].load_state_dict(V1_STATE)
    with pytest.raises(ValueError, match=r"\['version'\] must be 1 or 2"):
        make(old)[2].load_state_dict({**state, "version": 3})
    with pytest.raises(ValueError, match=r"\['_pending'\] must be an integer from 0 to 2\*\*53"):
        make(old)[2].load_state_dict({**state, "_pending": -1})
    # a checkpoint taken between optimizer.step() and scheduler.step() keeps that step
    model, optimizer, scheduler = make(old)
    train(model, optimizer, scheduler, range(3))
    one_step(model, optimizer, 3)
    saved = scheduler.state_dict()
    assert saved["_pending"] == 1
    _, optimizer, resumed = make(old)
    resumed.load_state_dict(saved)
    resumed.step()
    assert resumed.last_epoch == 4 and optimizer.param_groups[0]["lr"] == old(4)


def test_inside_pytorchs_sequential_lr() -> None:
    torch = require("torch")
    from annealing.torch import Scheduler

    model = torch.nn.Linear(3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    first = an.Linear(0.01, 0.1, 5)
    second = {"lr": an.Cosine(0.1, 0.0, 10), "momentum": an.Linear(0.8, 0.95, 10)}
    sequential = torch.optim.lr_scheduler.SequentialLR(
        optimizer, [Scheduler(optimizer, first), Scheduler(optimizer, second)], milestones=[5]
    )
    seen = []
    for t in range(12):
        seen.append(optimizer.param_groups[0]["lr"])
        one_step(model, optimizer, t)
        sequential.step()
        if t == 4:  # the milestone set the second's every value at its step 0
            assert optimizer.param_groups[0]["momentum"] == 0.8
    assert seen == [first(t) for t in range(5)] + [second["lr"](t) for t in range(7)]


# -- any hyperparameter ---------------------------------------------------------------------


def test_a_mapping_schedules_momentum_betas_and_weight_decay() -> None:
    torch = require("torch")
    from annealing.torch import Scheduler

    lr, mom = an.Cosine(0.1, 0.0, 20), an.Cosine(0.85, 0.95, 20)
    wd, b2 = an.Linear(1e-2, 0.0, 20), an.Linear(0.95, 0.999, 20)
    model = torch.nn.Linear(3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=0.0)
    scheduler = Scheduler(optimizer, {"lr": lr, "momentum": mom, "weight_decay": wd})
    for t in range(25):
        group = optimizer.param_groups[0]
        assert (group["lr"], group["momentum"], group["weight_decay"]) == (lr(t), mom(t), wd(t))
        one_step(model, optimizer, t)
        scheduler.step()
    assert scheduler.schedule == {"lr": lr, "momentum": mom, "weight_decay": wd}
    # Adam: betas as a pair (None leaves one alone); "momentum" is β1, as in OneCycleLR
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.99))
    scheduler = Scheduler(optimizer, {"betas": (None, b2)})
    one_step(model, optimizer, 0)
    scheduler.step()
    assert optimizer.param_groups[0]["betas"] == (0.9, b2(1))
    assert optimizer.param_groups[0]["lr"] == 1e-3  # not scheduled: untouched
    scheduler = Scheduler(optimizer, {"lr": lr, "momentum": mom, "betas": (None, b2)})
    assert optimizer.param_groups[0]["betas"] == (mom(0), b2(0))
    # one mapping per group, and the multiplier mode for every scheduled value
    a, b = torch.nn.Linear(2, 1), torch.nn.Linear(2, 1)
    optimizer = torch.optim.AdamW(
        [
            {"params": a.parameters(), "lr": 1e-3, "weight_decay": 0.1},
            {"params": b.parameters(), "lr": 1e-2, "weight_decay": 0.2},
        ]
    )
    factor = an.Cosine(1.0, 0.0, 10)
    scheduler = Scheduler(optimizer, {"lr": factor, "weight_decay": factor}, mode="multiplier")
    optimizer.step()
    scheduler.step()
    values = [(g["lr"], g["weight_decay"]) for g in optimizer.param_groups]
    assert values == [(1e-3 * factor(1), 0.1 * factor(1)), (1e-2 * factor(1), 0.2 * factor(1))]
    assert [g["initial_weight_decay"] for g in optimizer.param_groups] == [0.1, 0.2]
    optimizer = torch.optim.SGD(
        [{"params": a.parameters(), "momentum": 0.9}, {"params": b.parameters()}], lr=0.1
    )
    scheduler = Scheduler(optimizer, [{"lr": lr, "momentum": mom}, lr])
    assert scheduler.schedule == [{"lr": lr, "momentum": mom}, lr]
    assert optimizer.param_groups[0]["momentum"] == mom(0)
    assert optimizer.param_groups[1]["momentum"] == 0


@pytest.mark.parametrize(
    ("optimizer", "schedule", "error", "message"),
    [
        ("Adam", {"nesterov": "c"}, ValueError, "group 0 has no hyperparameter 'nesterov'; it has"),
        ("Adagrad", {"momentum": "c"}, ValueError, "group 0 has no hyperparameter 'momentum'"),
        ("Adam", {"momentum": "c", "betas": ("c", None)}, ValueError, "drives betas[0]"),
        ("Adam", {"foreach": "c"}, ValueError, "'foreach' is None, not a number"),
        ("Adam", {"params": "c"}, ValueError, "no hyperparameter 'params'"),
        ("Adam", {"initial_lr": "c"}, ValueError, "no hyperparameter 'initial_lr'"),
        ("Adam", {"betas": "c"}, TypeError, "['betas'] must be a pair of schedules"),
        ("Adam", {"betas": (None, None)}, TypeError, "['betas'] must be a pair"),
        ("Adam", {"lr": 0.1}, TypeError, "schedule['lr'] must be a Schedule, got 0.1"),
        ("Adam", {1: "c"}, TypeError, "keys must be hyperparameter names, got 1"),
        ("Adam", {}, ValueError, "must name at least one hyperparameter"),
        ("Adam", [{"lr": "c"}, "c"], ValueError, "one per parameter group (1), got 2"),
        ("Adam", ["c", 0.1], TypeError, "schedule[1] must be a Schedule or a mapping"),
        ("Adam", "text", TypeError, "schedule must be a Schedule, a mapping"),
        ("Adam", None, TypeError, "schedule must be a Schedule, a mapping"),
    ],
)
def test_a_hyperparameter_a_group_cannot_take_is_refused(
    optimizer: str, schedule: Any, error: type[Exception], message: str
) -> None:
    torch = require("torch")
    from annealing.torch import Scheduler

    c = an.Constant(0.5)

    def filled(x: Any) -> Any:
        if x == "c":
            return c
        if isinstance(x, dict):
            return {k: filled(v) for k, v in x.items()}
        if isinstance(x, tuple | list):
            return type(x)(filled(v) for v in x)
        return x

    opt = getattr(torch.optim, optimizer)(torch.nn.Linear(2, 1).parameters(), lr=0.1)
    with pytest.raises(error) as info:
        Scheduler(opt, schedule if schedule == "text" else filled(schedule))
    assert str(info.value).startswith("Scheduler: ")
    assert message in str(info.value)
    assert opt.param_groups[0]["lr"] == 0.1 and "initial_lr" not in opt.param_groups[0]


def test_the_state_covers_every_scheduled_hyperparameter() -> None:
    torch = require("torch")
    from annealing.torch import Scheduler

    lr, mom = an.Cosine(0.1, 0.0, 20), an.Cosine(0.85, 0.95, 20)
    model = torch.nn.Linear(3, 1)

    def build(spec: Any) -> tuple[Any, Any]:
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        return optimizer, Scheduler(optimizer, spec)

    optimizer, scheduler = build({"lr": lr, "momentum": mom})
    for t in range(6):
        one_step(model, optimizer, t)
        scheduler.step()
    buffer = io.BytesIO()
    torch.save(scheduler.state_dict(), buffer)
    buffer.seek(0)
    state = torch.load(buffer, weights_only=True)
    assert state["schedule"] == {"lr": lr.to_dict(), "momentum": mom.to_dict()}
    assert state["fingerprint"] == {"lr": lr.fingerprint(), "momentum": mom.fingerprint()}
    optimizer, resumed = build({"lr": lr, "momentum": mom})
    resumed.load_state_dict(state)
    assert optimizer.param_groups[0]["momentum"] == mom(6) and resumed.last_epoch == 6
    # another momentum schedule, or none, is another configuration
    other = an.Cosine(0.8, 0.95, 20)
    with pytest.raises(ValueError, match=r"saved with \{'lr': Cosine.*'momentum': Cosine"):
        build({"lr": lr, "momentum": other})[1].load_state_dict(state)
    with pytest.raises(ValueError, match="saved with"):
        build(lr)[1].load_state_dict(state)
    optimizer, changed = build({"lr": lr, "momentum": other})
    changed.load_state_dict(state, on_schedule_change="continue")
    assert optimizer.param_groups[0]["momentum"] == other(6)
    # betas: a pair, None kept
    adam = torch.optim.Adam(model.parameters())
    b2 = an.Linear(0.95, 0.999, 20)
    state = Scheduler(adam, {"betas": (None, b2)}).state_dict()
    assert state["fingerprint"] == {"betas": [None, b2.fingerprint()]}
    Scheduler(torch.optim.Adam(model.parameters()), {"betas": (None, b2)}).load_state_dict(state)


@pytest.mark.parametrize("optimizer", ["SGD", "AdamW"])
@pytest.mark.parametrize("kind", ["one_cycle", "one_cycle_3", "cyclic"])
def test_compat_momentum_mappings_drive_the_optimizer_as_pytorch_does(
    optimizer: str, kind: str
) -> None:
    torch = require("torch")
    from annealing.compat import torch as pt
    from annealing.torch import Scheduler

    def build() -> Any:
        params = torch.nn.Linear(2, 1).parameters()
        if optimizer == "SGD":
            return torch.optim.SGD(params, lr=0.1, momentum=0.9)
        return torch.optim.AdamW(params, lr=0.1, betas=(0.9, 0.99))

    lr = torch.optim.lr_scheduler
    if kind == "cyclic":
        spec = pt.cyclic(0.01, 0.1, step_size_up=7, step_size_down=5, mode="triangular2")
        make_theirs: Any = lambda o: lr.CyclicLR(  # noqa: E731
            o, 0.01, 0.1, step_size_up=7, step_size_down=5, mode="triangular2"
        )
    else:
        three = kind == "one_cycle_3"
        spec = pt.one_cycle(0.1, total_steps=40, three_phase=three)
        make_theirs = lambda o: lr.OneCycleLR(o, 0.1, total_steps=40, three_phase=three)  # noqa: E731
    mine, theirs = build(), build()
    scheduler, reference = Scheduler(mine, spec), make_theirs(theirs)
    key = "momentum" if optimizer == "SGD" else "betas"
    peak = max(g["lr"] for g in theirs.param_groups)
    for _ in range(39):
        a, b = mine.param_groups[0], theirs.param_groups[0]
        assert abs(a["lr"] - b["lr"]) <= 1e-12 * max(peak, 0.1)
        if key == "betas":
            assert abs(a["betas"][0] - b["betas"][0]) <= 1e-12 and a["betas"][1] == 0.99
        else:
            assert abs(a["momentum"] - b["momentum"]) <= 1e-12
        mine.step()
        theirs.step()
        scheduler.step()
        reference.step()


def test_fuzzed_schedules_and_states_are_taken_or_refused_by_name() -> None:
    import copy
    import math

    torch = require("torch")
    hypothesis = require("hypothesis")
    st = hypothesis.strategies
    from annealing.torch import Scheduler

    names = ["lr", "momentum", "betas", "weight_decay", "eps", "params", "initial_lr", "foreach"]
    leaves = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats()
        | st.text(max_size=4)
        | st.sampled_from([an.Cosine(0.1, 0.0, 10), an.Constant(0.5)])
    )
    junk = st.recursive(
        leaves,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.tuples(inner, inner)
            | st.dictionaries(st.sampled_from(names) | st.text(max_size=3), inner, max_size=3)
        ),
        max_leaves=8,
    )

    def build(kind: str) -> Any:
        params = torch.nn.Linear(2, 1).parameters()
        if kind == "SGD":
            return torch.optim.SGD(params, lr=0.1, momentum=0.9)
        return torch.optim.Adam(params, lr=0.1)

    def plain(optimizer: Any) -> list[dict[str, Any]]:
        return [{k: v for k, v in g.items() if k != "params"} for g in optimizer.param_groups]

    @hypothesis.given(spec=junk, kind=st.sampled_from(["SGD", "Adam"]))
    @hypothesis.settings(
        max_examples=150,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    def construct(spec: Any, kind: str) -> None:
        optimizer = build(kind)
        before = plain(optimizer)
        try:
            scheduler = Scheduler(optimizer, spec)
        except (TypeError, ValueError) as error:
            assert str(error).startswith("Scheduler: "), error
            assert plain(optimizer) == before  # nothing was changed
            return
        optimizer.step()
        scheduler.step()
        for group in plain(optimizer):
            for value in (group["lr"], *group.get("betas", ())):
                assert math.isfinite(value)

    construct()
    model, optimizer, scheduler = make()
    train(model, optimizer, scheduler, range(5))
    state = scheduler.state_dict()
    keys = [*state, "step", "get_lr", "schedule", "optimizer", "count", "x"]

    @hypothesis.given(key=st.sampled_from(keys), value=junk)
    @hypothesis.settings(
        max_examples=150,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    def load(key: str, value: Any) -> None:
        _, optimizer, fresh = make()
        try:
            fresh.load_state_dict({**copy.deepcopy(state), key: value})
        except (TypeError, ValueError) as error:
            assert str(error).startswith("Scheduler.load_state_dict: "), error
            return
        optimizer.step()
        fresh.step()
        assert math.isfinite(optimizer.param_groups[0]["lr"]) and fresh.last_epoch >= 0

    load()


# -- annealing.trace ------------------------------------------------------------------------


def test_trace_previews_a_pytorch_scheduler_without_touching_it() -> None:
    torch = require("torch")
    model = torch.nn.Linear(3, 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=1.0)
    optimizer.zero_grad()
    model(torch.randn(2, 3)).sum().backward()
    optimizer.step()  # optimizer state exists and is shared, never copied or written
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=10, eta_min=0.1)
    before = (optimizer.state_dict(), scheduler.state_dict())
    values = an.trace(scheduler, 21)
    assert values.shape == (21,)
    assert np.round(values[[0, 5, 10, 15, 20]], 12).tolist() == [1.0, 0.55, 0.1, 0.55, 1.0]
    assert scheduler.last_epoch == 0 and optimizer.param_groups[0]["lr"] == 1.0
    assert str(before) == str((optimizer.state_dict(), scheduler.state_dict()))
    # it agrees with stepping for real
    real = []
    for _ in range(21):
        real.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    assert values.tolist() == real


def test_trace_groups_transformers_and_timm() -> None:
    torch = require("torch")
    transformers = require("transformers")
    from compat._timm import scheduler_module

    a, b = torch.nn.Linear(2, 1), torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(
        [{"params": a.parameters(), "lr": 1.0}, {"params": b.parameters(), "lr": 0.5}]
    )
    hf = transformers.get_linear_schedule_with_warmup(optimizer, 2, 10)
    values = an.trace(hf, 12)
    assert values.shape == (12, 2)
    assert values[:, 0].tolist() == pytest.approx([0, 0.5, 1, *np.linspace(0.875, 0, 8), 0, 0][:12])
    assert np.allclose(values[:, 1], values[:, 0] / 2)
    assert optimizer.param_groups[0]["lr"] == 0.0  # LambdaLR set step 0, untouched since
    cosine = scheduler_module("cosine_lr").CosineLRScheduler
    optimizer = torch.optim.SGD(a.parameters(), lr=1.0)
    timm = cosine(optimizer, t_initial=10, lr_min=0.1, warmup_t=2, warmup_lr_init=0.0)
    values = an.trace(timm, 12)
    assert values[0] == 0.0 and values[1] == 0.5 and round(values[5], 12) == 0.55
    with pytest.raises(ValueError, match="steps must be"):
        an.trace(hf, 0)
    # refused before anything is copied or allocated (10**15 rows used to be tried)
    with pytest.raises(ValueError, match=r"^trace: steps must be an integer from 1 to 10000000"):
        an.trace(hf, 10**15)
    for bad in (True, 2.0, "3", None, np.float64(3)):
        with pytest.raises(TypeError, match=r"^trace: steps must be an integer"):
            an.trace(hf, bad)  # type: ignore[arg-type]
    assert an.trace(hf, np.int64(3)).shape == (3, 2)  # two parameter groups
    with pytest.raises(TypeError, match="scheduler must be"):
        an.trace(an.Cosine(1.0, 0.0, 10), 5)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer)
    with pytest.raises(TypeError, match="ReduceLROnPlateau"):
        an.trace(plateau, 5)


def test_import_annealing_does_not_import_torch() -> None:
    import subprocess
    import sys

    code = "import sys, annealing, annealing.compat.torch, annealing.compat.timm; "
    code += "import annealing.compat.transformers, annealing.compat.keras, annealing.compat.optax; "
    code += "import annealing.optax; "  # optax only when hyperparams() is called
    code += "print(sorted(m for m in ('torch', 'jax', 'keras', 'optax') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
