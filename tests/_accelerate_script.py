"""Launched by test_training_loops.py: ``accelerate launch --num_processes 2 --cpu`` this file.

Three runs on 2 CPU processes (gloo), gradient accumulation 4, a real ``torch.amp.GradScaler``
on CPU with inf gradients injected on chosen optimizer steps (it skips ``optimizer.step()``
there, as on a GPU on overflow). Each process writes, for each run, the learning rate of every
real optimizer step (a step pre-hook on the torch optimizer) and the StepCountWarnings, to
``<out>.<rank>.json``:

* ``prepared``: the naive wiring, ``accelerator.prepare(scheduler)`` (AcceleratedScheduler steps
  it once per process per optimizer step, and even on a skipped step, as it sees no skip);
* ``micro``: the scheduler not prepared, stepped by hand after every micro-batch;
* ``calls``: the naive wiring with ``count="calls"`` (PyTorch's per-call stepping).
"""

from __future__ import annotations

import json
import sys
import warnings
from typing import Any

import annealing as an

# torch and accelerate are imported in the functions: pytest --doctest-modules imports this
# file on a clone without them (the bare CI pass)

SCHEDULE = an.Warmup(an.Cosine(0.1, 0.001, 8), warmup=3, start=0.01)
ACCUMULATION = 4
ATTEMPTS = 12  # optimizer steps tried per run; the batches of 2 processes x 4 micro-batches each
SKIPPED = (1, 5, 6)  # attempts whose gradients get an inf, so the scaler skips them


def run(accelerator: Any, wiring: str) -> dict[str, Any]:
    import torch

    from annealing.torch import Scheduler, StepCountWarning

    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    rates: list[float] = []
    optimizer.register_step_pre_hook(lambda o, a, k: rates.append(o.param_groups[0]["lr"]))
    scheduler = Scheduler(optimizer, SCHEDULE, count="calls" if wiring == "calls" else "optimizer")
    data = torch.utils.data.TensorDataset(
        torch.randn(2 * ACCUMULATION * ATTEMPTS, 3), torch.randn(2 * ACCUMULATION * ATTEMPTS, 1)
    )
    loader = torch.utils.data.DataLoader(data, batch_size=1)
    model, optimizer, loader = accelerator.prepare(model, optimizer, loader)
    stepped = scheduler if wiring == "micro" else accelerator.prepare(scheduler)
    scaler = torch.amp.GradScaler("cpu")
    attempt = 0
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        for x, y in loader:
            with accelerator.accumulate(model):
                loss = (model(x) - y).pow(2).mean()
                accelerator.backward(scaler.scale(loss))
                if accelerator.sync_gradients:
                    if attempt in SKIPPED:
                        next(model.parameters()).grad[0, 0] = float("inf")
                    scaler.step(optimizer)  # skips optimizer.step() on inf, as on overflow
                    scaler.update()
                    attempt += 1
                optimizer.zero_grad()
                stepped.step()  # AcceleratedScheduler returns at once between optimizer steps
    messages = [str(w.message) for w in record if issubclass(w.category, StepCountWarning)]
    return {
        "rates": rates,
        "attempts": attempt,
        "warnings": messages,
        "last_epoch": scheduler.last_epoch,
        "processes": accelerator.num_processes,
    }


def main() -> None:
    from accelerate import Accelerator

    accelerator = Accelerator(gradient_accumulation_steps=ACCUMULATION, cpu=True)
    results = {wiring: run(accelerator, wiring) for wiring in ("prepared", "micro", "calls")}
    with open(f"{sys.argv[1]}.{accelerator.process_index}.json", "w") as file:
        json.dump(results, file)
    accelerator.wait_for_everyone()
    accelerator.end_training()


if __name__ == "__main__":
    main()
