"""Accelerate's naive wiring with a state of 8 processes, in one process.

PyTorch's own test backend "fake" (torch.testing._internal.distributed.fake_pg) makes a real
process group of world size 8 whose collectives do nothing; Accelerate's state reads its
size (num_processes 8, MULTI_CPU) as it would on 8 machines, and the real
AcceleratedScheduler steps the wrapped scheduler 8 times per optimizer step. The model is not
prepared: DDP's gradient all-reduce has no result in the fake group. Run by
tests/test_diagnose.py in a child process (the process group is global state); writes the
learning rate each optimizer step used to <out>/lr.csv and the process count to
<out>/processes.txt."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import torch
import torch.distributed as dist
from torch.testing._internal.distributed.fake_pg import FakeStore


def main(out: Path, steps: int) -> None:
    os.environ.update(WORLD_SIZE="8", RANK="0", LOCAL_RANK="0")
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29999")
    dist.init_process_group("fake", rank=0, world_size=8, store=FakeStore())
    from accelerate import Accelerator

    accelerator = Accelerator(cpu=True)
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=8 * steps)
    optimizer, scheduler = accelerator.prepare(optimizer, scheduler)
    used: list[float] = []
    optimizer.optimizer.register_step_pre_hook(
        lambda opt, args, kwargs: used.append(opt.param_groups[0]["lr"])
    )
    for _ in range(steps):
        model(torch.ones(1, 2)).sum().backward()
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
    lines = ["step,lr"] + [f"{i},{lr!r}" for i, lr in enumerate(used)]
    (out / "lr.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    kind = f"{accelerator.num_processes} {accelerator.distributed_type} {type(scheduler).__name__}"
    (out / "processes.txt").write_text(kind, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
