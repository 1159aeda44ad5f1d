"""Accelerate's naive wiring, run by `accelerate launch --cpu --num_processes N` in
tests/test_diagnose.py: a CosineAnnealingLR whose T_max is the number of optimizer steps,
passed through accelerator.prepare (so it becomes an AcceleratedScheduler, which steps the
scheduler once per process at each optimizer step). Each process writes the learning rate
each optimizer step used to <out>/lr-<rank>.csv."""

from __future__ import annotations

import sys
from pathlib import Path

import torch
from accelerate import Accelerator


def main(out: Path, steps: int) -> None:
    accelerator = Accelerator(cpu=True)
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps)
    data = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.ones(8 * steps, 2)), batch_size=4
    )
    model, optimizer, data, scheduler = accelerator.prepare(model, optimizer, data, scheduler)
    used: list[float] = []
    optimizer.optimizer.register_step_pre_hook(
        lambda opt, a, k: used.append(opt.param_groups[0]["lr"])
    )
    for (x,) in data:
        loss = model(x).pow(2).mean()
        accelerator.backward(loss)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
    rank = accelerator.process_index
    lines = ["step,lr"] + [f"{i},{lr!r}" for i, lr in enumerate(used)]
    (out / f"lr-{rank}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / f"processes-{rank}.txt").write_text(str(accelerator.num_processes), encoding="utf-8")
    # tear the gloo process group down before exit: left to the interpreter's exit, its threads
    # can abort the process ("terminate called without an active exception", exit code -6)
    accelerator.wait_for_everyone()
    accelerator.end_training()


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
