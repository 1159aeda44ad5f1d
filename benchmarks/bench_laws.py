"""Leave-out prediction error of the loss laws on the shipped training logs.

    .venv/bin/python benchmarks/bench_laws.py [--law tissue|multi-power]

For each model of ``annealing.laws.logs()`` that has both a constant run (WSD without a
cooldown) and a cosine run, fit each law on two runs: the *longest constant* run and the
*shortest cosine* run (the cheapest cosine; the constant run gives the area term over the whole
range). Then predict every other run of that model and print, per law:

- the mean and max relative error of the final loss (the last logged validation loss);
- Spearman's rank correlation between predicted and observed final losses of the runs of equal
  length (the two fitted runs included; lengths with at least 3 runs), averaged over lengths;
- the regret of the schedule the law would choose at each such length: the observed final loss
  of the law's best schedule minus the best observed one (mean over lengths, in nats).
  These logs have one cooldown fraction (20%) besides cosine and constant, so the "cooldown"
  choice is among constant, WSD-20% and cosine at that length.

In these logs every cosine run has twice the peak LR of its model's constant run (each schedule
at its own tuned LR), so the default pairing asks a law to carry a fit across peak LRs.
The laws' one fixed constant that is not from a paper (the Tissue law's λ = 0.99) was chosen on
the OpenWebText2 models (the *dev* rows); the SlimPajama models are the *test* rows, which
nothing was tuned on.

``--pairing same-lr`` fits instead on the constant run and the shortest WSD run with a cooldown
at the same peak.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

import numpy as np
from scipy.stats import spearmanr

from annealing.laws import LAWS, Run, fit, logs


def final(run: Run) -> tuple[int, float]:
    return int(run.steps[-1]), float(run.losses[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--law", choices=LAWS, action="append")
    parser.add_argument(
        "--pairing",
        choices=("cosine", "same-lr"),
        default="cosine",
        help="the second fitted run: the shortest cosine (default), or the shortest WSD run "
        "with a cooldown at the constant run's peak LR",
    )
    args = parser.parse_args()
    by_model: dict[str, list[Run]] = defaultdict(list)
    for run in logs():
        by_model[run.model.name].append(run)
    print(
        f"{'law':12} {'model':36} {'runs':>4} {'mean err':>9} {'max err':>8} "
        f"{'Spearman':>9} {'regret':>8} {'fit s':>6}"
    )
    for law in args.law or list(LAWS):
        split: dict[str, list[float]] = defaultdict(list)
        errors: list[float] = []
        rhos: list[float] = []
        regrets: list[float] = []
        for name, runs in sorted(by_model.items()):
            constant = [r for r in runs if r.schedule.kind == "wsd" and r.schedule.cooldown == 0]
            if not constant:
                continue
            longest = max(constant, key=lambda r: r.schedule.steps)
            if args.pairing == "cosine":
                others = [r for r in runs if r.schedule.kind == "cosine"]
            else:
                others = [
                    r
                    for r in runs
                    if r.schedule.kind == "wsd"
                    and r.schedule.cooldown > 0
                    and r.schedule.peak == longest.schedule.peak
                ]
            if not others:
                continue
            pair = [longest, min(others, key=lambda r: r.schedule.steps)]
            clock = time.process_time()
            fitted = fit(pair, law)
            seconds = time.process_time() - clock
            predicted: dict[str, float] = {}
            for run in runs:
                step, _ = final(run)
                predicted[run.id] = float(fitted.predict(run.lr(), [step])[0])
            mine = []
            for run in runs:
                if run in pair:
                    continue
                _, observed = final(run)
                mine.append(abs(predicted[run.id] - observed) / observed)
            errors += mine
            split[
                "dev (openwebtext2)" if name.startswith("openwebtext2") else "test (slimpajama)"
            ] += mine
            lengths: dict[int, list[Run]] = defaultdict(list)
            for run in runs:
                lengths[run.schedule.steps].append(run)
            model_rhos, model_regrets = [], []
            for group in lengths.values():
                if len(group) < 3:
                    continue
                obs = np.array([final(r)[1] for r in group])
                pred = np.array([predicted[r.id] for r in group])
                model_rhos.append(float(spearmanr(pred, obs).statistic))
                model_regrets.append(float(obs[np.argmin(pred)] - obs.min()))
            rhos += model_rhos
            regrets += model_regrets
            rho = f"{np.mean(model_rhos):9.2f}" if model_rhos else f"{'-':>9}"
            regret = f"{np.mean(model_regrets):8.4f}" if model_regrets else f"{'-':>8}"
            print(
                f"{law:12} {name:36} {len(mine):4d} {np.mean(mine):9.2%} {np.max(mine):8.2%} "
                f"{rho} {regret} {seconds:6.1f}"
            )
        for part, values in sorted(split.items()):
            print(
                f"{law:12} {part:36} {len(values):4d} {np.mean(values):9.2%} {np.max(values):8.2%}"
            )
        print(
            f"{law:12} {'all':36} {len(errors):4d} {np.mean(errors):9.2%} "
            f"{np.max(errors):8.2%} {np.mean(rhos):9.2f} {np.mean(regrets):8.4f}"
        )


if __name__ == "__main__":
    main()
