"""Derive src/annealing/laws/data/lr_logs.json.gz from the public training logs.

Run by hand, from the repository root, when the logs change::

    .venv/bin/python benchmarks/derive_lr_logs.py [../shared/data/lr-logs]

The source is the ``data/`` folder of ``fabian-sp/lr-scheduling`` (Schaipp et al., ICML 2025,
arXiv:2501.18965; MIT licence). Only what the laws need is kept: the run, its model, its
schedule (as a config from which ``annealing.laws.Run.lr`` rebuilds the rates) and the
validation loss by step, plus the learning rate as logged at the validation steps, so that the
rebuilt schedule can be checked on a fresh clone. Every rebuilt schedule is checked here against
every logged learning rate of its run, and the largest relative difference is printed.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "annealing" / "laws" / "data"
sys.path.insert(0, str(ROOT / "src"))

from annealing.laws.logs import Run, ScheduleConfig  # noqa: E402


def schedule_of(config: dict[str, object]) -> ScheduleConfig | None:
    kind = config["scheduler"]
    peak = float(config["lr"])  # type: ignore[arg-type]
    steps = int(config["iterations"])  # type: ignore[call-overload]
    warmup = int(config["warmup_steps"])  # type: ignore[call-overload]
    if kind == "wsd":
        fraction = float(config["wsd_fract_decay"])  # type: ignore[arg-type]
        shape = {"linear": "linear", "sqrt": "1-sqrt", None: "linear"}[config.get("decay_type")]  # type: ignore[index]
        final = float(config.get("wsd_final_lr_scale") or 0.0) * peak  # type: ignore[arg-type]
        return ScheduleConfig("wsd", peak, warmup, steps, fraction, shape, final)
    if kind == "cos":
        given = config.get("cos_final_lr")
        final = 0.1 * peak if given in (None, -1, -1.0) else float(given)  # type: ignore[arg-type]
        return ScheduleConfig("cosine", peak, warmup, steps, 1.0, "cosine", final)
    return None  # wsd_twostage: a schedule the package does not rebuild; left out


def main() -> None:
    source = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared/data/lr-logs")
    files = sorted((source / "data").rglob("*.json"))
    runs: list[dict[str, object]] = []
    skipped: list[str] = []
    worst = 0.0
    repeated = [0, 0.0]  # steps logged twice, largest relative difference between the two
    for path in files:
        log = json.loads(path.read_text())
        config = log["config"]
        schedule = schedule_of(config)
        if schedule is None:
            skipped.append(path.name)
            continue
        history = log["history"]
        # A log restarted from a checkpoint repeats steps (its history is the concatenation of
        # the segments, not always in step order): keep the last value logged for each step.
        by_step: dict[int, float] = {}
        for s, x in zip(history["val"]["iter"], history["val"]["val_loss"], strict=True):
            s = int(s)
            if s in by_step:
                repeated[0] += 1
                repeated[1] = max(repeated[1], abs(by_step[s] - float(x)) / float(x))
            by_step[s] = float(x)
        val_steps = sorted(by_step)
        val_loss = [by_step[s] for s in val_steps]
        logged = dict(
            zip(
                (int(s) for s in history["train"]["iter"]),
                (float(x) for x in history["train"]["train_lr"]),
                strict=True,
            )
        )
        # The rebuilt schedule against every logged rate (the last step logs 0 after training).
        steps = np.array(sorted(s for s in logged if s < schedule.steps))
        rebuilt = schedule.schedule()(steps.astype(float))
        want = np.array([logged[s] for s in steps.tolist()])
        error = float(np.max(np.abs(rebuilt - want) / want))
        worst = max(worst, error)
        if error > 1e-9:
            raise SystemExit(f"{path.name}: rebuilt lr differs from the log by {error:.2e}")
        resumed = config.get("resume_from")
        parent = None
        if resumed:
            parts = Path(resumed).parts
            parent = {"run": parts[-3], "step": int(parts[-1])}
        params = log["summary"].get("parameters")
        model = {
            "dataset": config["dataset"],
            "architecture": config["model"],
            "parameters": int(params) if params else None,
            "n_layer": config["n_layer"],
            "n_embd": config["n_embd"],
            "n_head": config["n_head"],
            "batch_size": config["batch_size"] * config["acc_steps"] * config["world_size"],
            "sequence_length": config["sequence_length"],
        }
        lr_at = [s for s in val_steps if s in logged and s < schedule.steps]
        runs.append(
            {
                "id": path.stem,
                "model": model,
                "schedule": schedule.to_dict(),
                "resumed_from": parent,
                "val_steps": val_steps,
                "val_loss": val_loss,
                "lr_steps": lr_at,
                "lr_logged": [logged[s] for s in lr_at],
            }
        )
    document = {
        "format": 1,
        "source": "github.com/fabian-sp/lr-scheduling, data/ at commit 8ace3a3 (MIT licence)",
        "paper": "Schaipp et al., ICML 2025, arXiv:2501.18965",
        "runs": runs,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(document, separators=(",", ":"), sort_keys=True).encode()
    with gzip.GzipFile(OUT / "lr_logs.json.gz", "wb", mtime=0) as f:
        f.write(raw)
    shutil.copyfile(source / "LICENSE", OUT / "LICENSE")
    size = (OUT / "lr_logs.json.gz").stat().st_size
    print(f"{len(runs)} runs kept, {len(skipped)} left out ({', '.join(skipped)})")
    print(f"{repeated[0]} validation steps logged twice (restarts), by <= {repeated[1]:.2%}")
    print(f"largest relative difference, rebuilt vs logged lr: {worst:.2e}")
    print(f"{OUT / 'lr_logs.json.gz'}: {size} bytes ({len(raw)} uncompressed)")
    Run  # noqa: B018  (the loader must read what is written: the tests check it)


if __name__ == "__main__":
    main()
