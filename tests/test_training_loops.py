"""annealing.torch.Scheduler in real training loops: the rate at every *optimizer step* is the
schedule's, whatever calls ``scheduler.step()`` and however often.

Accelerate on 2 CPU processes (gloo) with gradient accumulation 4 and GradScaler-skipped
steps, Lightning with ``accumulate_grad_batches``, the Transformers ``Trainer`` with
``gradient_accumulation_steps``, and ``torch.amp.GradScaler`` with inf gradients. The rate
of each real optimizer step is read by a step pre-hook on the torch optimizer.

The 2 processes are started with ``python -m torch.distributed.run`` (torchrun):
``accelerate launch --cpu --num_processes 2`` without a MULTI_CPU config file (which needs
MPI) runs a single process, while torchrun sets the environment that ``Accelerator(cpu=True)``
reads to run MULTI_CPU over gloo. The script checks it really ran on 2 processes.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from support import require

import annealing as an

pytestmark = pytest.mark.peer

HERE = Path(__file__).resolve().parent
SCHEDULE = an.Warmup(an.Cosine(0.1, 0.001, 8), warmup=3, start=0.01)


def recorded(optimizer: Any) -> list[float]:
    """The rate of every real step of `optimizer`, appended as it steps."""
    rates: list[float] = []
    optimizer.register_step_pre_hook(lambda o, a, k: rates.append(o.param_groups[0]["lr"]))
    return rates


def step_count_warnings(record: list[warnings.WarningMessage]) -> list[str]:
    from annealing.torch import StepCountWarning

    return [str(w.message) for w in record if issubclass(w.category, StepCountWarning)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_accelerate_on_two_processes_with_accumulation_and_skipped_steps(tmp_path: Path) -> None:
    torch = require("torch")
    require("accelerate")
    import _accelerate_script as script

    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--nproc_per_node",
        "2",
        "--master_addr",
        "127.0.0.1",
        "--master_port",
        str(free_port()),
        str(HERE / "_accelerate_script.py"),
        str(out),
    ]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(HERE.parent / "src")}
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    results = [json.loads(Path(f"{out}.{rank}.json").read_text()) for rank in (0, 1)]
    assert results[0] == results[1]  # both processes set the same rates
    result = results[0]
    # the uninterrupted single-process run: one optimizer step, one scheduler step
    torch.manual_seed(0)
    optimizer = torch.optim.SGD(torch.nn.Linear(3, 1).parameters(), lr=0.1)
    rates = recorded(optimizer)
    from annealing.torch import Scheduler

    scheduler = Scheduler(optimizer, script.SCHEDULE)
    real = script.ATTEMPTS - len(script.SKIPPED)
    for _ in range(real):
        optimizer.step()
        scheduler.step()
    assert rates == [script.SCHEDULE(k) for k in range(real)]
    for wiring, factor in (("prepared", 2), ("micro", script.ACCUMULATION)):
        run = result[wiring]
        assert (run["processes"], run["attempts"]) == (2, script.ATTEMPTS)
        assert run["rates"] == rates, wiring  # exactly, per optimizer step
        assert run["last_epoch"] == real
        (message,) = run["warnings"]  # the naive wiring is named, with its factor
        assert message.startswith(
            f"Scheduler: scheduler.step() was called {factor} times for one optimizer step"
        )
    # PyTorch's per-call stepping under the same wiring: 2 calls per attempt, skipped or not
    calls = result["calls"]
    kept = [a for a in range(script.ATTEMPTS) if a not in script.SKIPPED]
    assert calls["rates"] == [script.SCHEDULE(2 * a) for a in kept] != rates
    assert calls["last_epoch"] == 2 * script.ATTEMPTS and calls["warnings"] == []


def test_gradscaler_skipped_steps_do_not_advance_it() -> None:
    torch = require("torch")
    from annealing.torch import Scheduler

    skipped = {0, 1, 4, 9, 10}
    results = {}
    for count in ("optimizer", "calls"):
        torch.manual_seed(0)
        model = torch.nn.Linear(3, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        rates = recorded(optimizer)
        scheduler = Scheduler(optimizer, SCHEDULE, count=count)
        scaler = torch.amp.GradScaler("cpu")
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            for attempt in range(16):
                optimizer.zero_grad()
                x = torch.randn(4, 3)
                scaler.scale((model(x) - x.sum(1, keepdim=True)).pow(2).mean()).backward()
                if attempt in skipped:
                    model.weight.grad[0, 1] = float("nan" if attempt % 2 else "inf")
                scaler.step(optimizer)
                scaler.update()
                scheduler.step()
        assert scaler.get_scale() == 65536.0 / 2 ** len(skipped)  # the scaler did skip
        if count == "optimizer":
            assert step_count_warnings(record) == []
        else:  # the first step was skipped: PyTorch's warning of pytorch/pytorch#44511
            (message,) = step_count_warnings(record)
            assert "scheduler.step() was called before optimizer.step()" in message
        results[count] = rates
    assert results["optimizer"] == [SCHEDULE(k) for k in range(16 - len(skipped))]
    kept = [a for a in range(16) if a not in skipped]
    assert results["calls"] == [SCHEDULE(a) for a in kept]  # per call: skips advance it


def test_lightning_with_accumulate_grad_batches() -> None:
    torch = require("torch")
    lightning = require("lightning")
    from annealing.torch import Scheduler

    rates: list[float] = []
    batches: list[float] = []

    class Module(lightning.LightningModule):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.linear = torch.nn.Linear(3, 1)

        def training_step(self, batch: Any, index: int) -> Any:
            batches.append(self.optimizers().param_groups[0]["lr"])
            x, y = batch
            return (self.linear(x) - y).pow(2).mean()

        def configure_optimizers(self) -> Any:
            optimizer = torch.optim.SGD(self.parameters(), lr=0.1)
            optimizer.register_step_pre_hook(lambda o, a, k: rates.append(o.param_groups[0]["lr"]))
            scheduler = Scheduler(optimizer, SCHEDULE)
            return {
                "optimizer": optimizer,
                "lr_scheduler": {"scheduler": scheduler, "interval": "step"},
            }

    data = torch.utils.data.TensorDataset(torch.randn(96, 3), torch.randn(96, 1))
    trainer = lightning.Trainer(
        max_steps=12,  # optimizer steps
        accumulate_grad_batches=4,
        accelerator="cpu",
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
    )
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        trainer.fit(Module(), torch.utils.data.DataLoader(data, batch_size=2))
    assert rates == [SCHEDULE(k) for k in range(12)]
    assert batches == [SCHEDULE(k // 4) for k in range(48)]  # 4 micro-batches per rate
    assert step_count_warnings(record) == []


def _regression(torch: Any) -> tuple[Any, list[dict[str, Any]]]:
    """A linear model in the shape the Transformers Trainer calls, and 96 seeded examples."""

    class Model(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.linear = torch.nn.Linear(3, 1)

        def forward(self, x: Any, labels: Any = None) -> dict[str, Any]:
            out = self.linear(x)
            return {"loss": (out - labels).pow(2).mean(), "logits": out}

    torch.manual_seed(0)
    return Model, [{"x": torch.randn(3), "labels": torch.randn(1)} for _ in range(96)]


def test_transformers_trainer_with_gradient_accumulation(tmp_path: Path) -> None:
    torch = require("torch")
    transformers = require("transformers")
    require("accelerate")
    from annealing.torch import Scheduler

    Model, data = _regression(torch)
    model = Model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    rates = recorded(optimizer)
    args = transformers.TrainingArguments(
        output_dir=str(tmp_path),
        max_steps=10,  # optimizer steps
        gradient_accumulation_steps=4,
        per_device_train_batch_size=2,
        report_to=[],
        save_strategy="no",
        use_cpu=True,
        disable_tqdm=True,
    )
    trainer = transformers.Trainer(
        model=model,
        args=args,
        train_dataset=data,
        optimizers=(optimizer, Scheduler(optimizer, SCHEDULE)),
    )
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        trainer.train()
    assert rates == [SCHEDULE(k) for k in range(10)]
    assert step_count_warnings(record) == []


def test_transformers_trainer_resumes_at_the_saved_step(tmp_path: Path) -> None:
    torch = require("torch")
    transformers = require("transformers")
    require("accelerate")
    from annealing.torch import Scheduler

    Model, data = _regression(torch)

    def run(steps: int, resume: str | None) -> list[float]:
        model = Model()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        rates = recorded(optimizer)
        args = transformers.TrainingArguments(
            output_dir=str(tmp_path),
            max_steps=steps,
            gradient_accumulation_steps=2,
            per_device_train_batch_size=2,
            report_to=[],
            save_strategy="steps",
            save_steps=6,
            use_cpu=True,
            disable_tqdm=True,
        )
        trainer = transformers.Trainer(
            model=model,
            args=args,
            train_dataset=data,
            optimizers=(optimizer, Scheduler(optimizer, SCHEDULE)),
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            trainer.train(resume_from_checkpoint=resume)
        return rates

    assert run(6, None) == [SCHEDULE(k) for k in range(6)]
    # a new run of 10 steps from checkpoint-6: the scheduler's state is loaded by the Trainer
    assert run(10, str(tmp_path / "checkpoint-6")) == [SCHEDULE(k) for k in range(6, 10)]


def test_lightning_resumes_from_a_checkpoint_at_the_saved_step(tmp_path: Path) -> None:
    torch = require("torch")
    lightning = require("lightning")
    from annealing.torch import Scheduler

    rates: list[float] = []

    class Module(lightning.LightningModule):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.linear = torch.nn.Linear(3, 1)

        def training_step(self, batch: Any, index: int) -> Any:
            x, y = batch
            return (self.linear(x) - y).pow(2).mean()

        def configure_optimizers(self) -> Any:
            optimizer = torch.optim.SGD(self.parameters(), lr=0.1)
            optimizer.register_step_pre_hook(lambda o, a, k: rates.append(o.param_groups[0]["lr"]))
            scheduler = Scheduler(optimizer, SCHEDULE)
            return {
                "optimizer": optimizer,
                "lr_scheduler": {"scheduler": scheduler, "interval": "step"},
            }

    data = torch.utils.data.TensorDataset(torch.randn(96, 3), torch.randn(96, 1))

    def fit(steps: int, checkpoint: Path | None) -> Any:
        trainer = lightning.Trainer(
            max_steps=steps,
            accumulate_grad_batches=2,
            accelerator="cpu",
            logger=False,
            enable_checkpointing=False,
            enable_progress_bar=False,
            enable_model_summary=False,
            default_root_dir=str(tmp_path),
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            trainer.fit(
                Module(), torch.utils.data.DataLoader(data, batch_size=2), ckpt_path=checkpoint
            )
        return trainer

    fit(6, None).save_checkpoint(tmp_path / "six.ckpt")
    assert rates == [SCHEDULE(k) for k in range(6)]
    rates.clear()
    fit(10, tmp_path / "six.ckpt")
    assert rates == [SCHEDULE(k) for k in range(6, 10)]
