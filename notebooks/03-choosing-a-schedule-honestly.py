# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Choosing a schedule, honestly
#
# **What you will learn**
#
# - how to compare [learning-rate schedules](../../reference/glossary/learning-rate-schedule/)
#   fairly: the same model, the same data, the same budget of steps, and for every schedule
#   its own best peak learning rate, chosen from the same grid on held-out data;
# - why one run per schedule proves nothing, and how to read a mean ± standard deviation over
#   seeds;
# - how to write conclusions that follow from the numbers: every sentence of the summary at
#   the end of this notebook is computed from this run's table.
#
# The experiment is small on purpose, so that it runs in seconds: a two-layer network,
# written in NumPy, trained from scratch on the handwritten digits that scikit-learn ships
# with (no download). What it shows is what happened on this problem at this budget. It is
# not a ranking of schedules in general.

# %%
import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import annealing as an

started = time.perf_counter()

# %% [markdown]
# ## The data
#
# 1,797 images of 8 × 8 pixels, digits 0 to 9. We split them once, with a fixed seed, into
# a training set, a validation set (used only to choose each schedule's peak learning rate)
# and a test set (used only to report the result).

# %%
digits = load_digits()
X = digits.data / 16.0  # pixel intensities are 0..16
y = digits.target
X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=500, random_state=0, stratify=y)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=297, random_state=0, stratify=y_rest
)
print(f"train {len(X_train)}, validation {len(X_val)}, test {len(X_test)} images")

# %% [markdown]
# ## The model and the training loop
#
# A two-layer network: 64 inputs, 32 hidden ReLU units, 10 outputs with a softmax, trained
# with plain minibatch SGD on the cross-entropy loss, with a small weight decay on the
# weights (as in most real training recipes; SGDR used 5·10⁻⁴). The schedule gives the
# learning rate of every step. The seed sets both the initial weights and the order of the
# minibatches.
#
# To save time, many networks train together: each array below has one slice per network
# along its first axis, and every slice is an independent network with its own learning
# rates and its own data order. (`a @ b` on stacked arrays multiplies slice by slice.) The
# networks of one seed start from the same weights and see the minibatches in the same
# order, whatever their schedule.

# %%
HIDDEN = 32
BATCH = 50
EPOCHS = 30
WEIGHT_DECAY = 1e-3
STEPS_PER_EPOCH = len(X_train) // BATCH
STEPS = EPOCHS * STEPS_PER_EPOCH  # the budget, the same for every schedule


def init(rng):
    return {
        "W1": rng.normal(0.0, np.sqrt(2 / 64), (64, HIDDEN)),
        "b1": np.zeros((1, HIDDEN)),
        "W2": rng.normal(0.0, np.sqrt(1 / HIDDEN), (HIDDEN, 10)),
        "b2": np.zeros((1, 10)),
    }


def forward(p, x):
    h = np.maximum(x @ p["W1"] + p["b1"], 0.0)
    z = h @ p["W2"] + p["b2"]
    z = z - z.max(axis=-1, keepdims=True)
    probabilities = np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)
    return h, probabilities


def accuracy(p, x, labels):
    """The test accuracy of each seed's network."""
    with np.errstate(all="ignore"):
        _, probabilities = forward(p, x)
    return np.mean(probabilities.argmax(axis=-1) == labels, axis=-1)


def train(schedules, seeds):
    """Train one network per (schedule, seed) pair; return the parameters and the losses."""
    pairs = [(schedule, seed) for schedule in schedules for seed in seeds]
    rngs = [np.random.default_rng(seed) for _, seed in pairs]
    nets = [init(rng) for rng in rngs]
    p = {name: np.stack([net[name] for net in nets]) for name in nets[0]}
    learning_rates = np.stack([schedule(np.arange(STEPS)) for schedule, _ in pairs])
    losses = np.empty((len(pairs), STEPS))
    with np.errstate(all="ignore"):  # a too-large learning rate may overflow: we record it
        for t in range(STEPS):
            if t % STEPS_PER_EPOCH == 0:
                orders = np.stack([rng.permutation(len(X_train)) for rng in rngs])
            batch = orders[:, (t % STEPS_PER_EPOCH) * BATCH :][:, :BATCH]
            x, labels = X_train[batch], y_train[batch]  # (nets, BATCH, 64), (nets, BATCH)
            h, probabilities = forward(p, x)
            target = np.eye(10)[labels]
            losses[:, t] = -np.mean(np.log(np.sum(probabilities * target, -1) + 1e-12), -1)
            g = (probabilities - target) / BATCH  # gradient of the loss at the logits
            gh = (g @ p["W2"].transpose(0, 2, 1)) * (h > 0)
            grads = {
                "W2": h.transpose(0, 2, 1) @ g + WEIGHT_DECAY * p["W2"],
                "b2": g.sum(axis=1, keepdims=True),
                "W1": x.transpose(0, 2, 1) @ gh + WEIGHT_DECAY * p["W1"],
                "b1": gh.sum(axis=1, keepdims=True),
            }
            for name, grad in grads.items():
                p[name] -= learning_rates[:, t, None, None] * grad
    return p, losses


# %% [markdown]
# ## The schedules
#
# Eight schedules, each written as a function of its peak learning rate and the budget of
# `STEPS` steps. The settings are common defaults, not tuned:
# [step decay](../../reference/glossary/step-decay/) divides by 10 at half and three quarters of
# the run; [exponential decay](../../reference/glossary/exponential-decay/) ends at 1% of the peak;
# [SGDR](../../reference/glossary/sgdr/) runs three cycles of 1, 2 and 4 units
# (`T_mult` = 2) that end exactly at the budget;
# [WSD](../../reference/glossary/wsd/) warms up for 5% of the run and decays linearly over
# the last 20%; [one-cycle](../../reference/glossary/one-cycle/) uses its usual defaults
# (30% rising).

# %% alt="The eight schedules of the comparison over the same budget, each relative to its peak: constant, step, exponential, linear, cosine, SGDR with restarts, WSD with a flat middle and a short final decay, and one-cycle rising then falling"
SCHEDULES = {
    "constant": lambda peak: an.Constant(peak),
    "step": lambda peak: an.MultiStep(peak, milestones=[STEPS // 2, 3 * STEPS // 4], factor=0.1),
    "exponential": lambda peak: an.Exponential(peak, end=0.01 * peak, steps=STEPS),
    "linear": lambda peak: an.Linear(start=peak, end=0.0, steps=STEPS),
    "cosine": lambda peak: an.Cosine(start=peak, end=0.0, steps=STEPS),
    "SGDR": lambda peak: an.SGDR(eta_max=peak, T_0=STEPS / 7, T_mult=2),
    "WSD": lambda peak: an.WSD(
        peak, warmup=STEPS // 20, stable=STEPS - STEPS // 20 - STEPS // 5, decay=STEPS // 5
    ),
    "one-cycle": lambda peak: an.OneCycle(peak, steps=STEPS),
}

fig, ax = plt.subplots(figsize=(5, 4.8), layout="constrained")
an.plot(
    *(make(1.0) for make in SCHEDULES.values()),
    steps=STEPS,
    ax=ax,
    labels=list(SCHEDULES),
)
ax.set_xlabel("training step")
ax.set_ylabel("learning rate / peak")
ax.set_title(f"Eight schedules, the same {STEPS} steps")
ax.legend(ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.22))
plt.show()

# %% [markdown]
# ## The run
#
# Every schedule is trained with every peak learning rate of the grid, with 5 seeds each.
# For each schedule we keep the peak whose mean *validation* accuracy is highest, and report
# the *test* accuracy of the 5 runs at that peak. The test set plays no part in the choice.

# %%
PEAKS = [0.25, 0.5, 1.0, 2.0]
SEEDS = [0, 1, 2, 3, 4]

runs = {}  # (schedule, peak) -> list of (validation accuracy, test accuracy, losses)
for name, make in SCHEDULES.items():
    p, losses = train([make(peak) for peak in PEAKS], SEEDS)  # all peaks and seeds at once
    outcomes = list(
        zip(accuracy(p, X_val, y_val), accuracy(p, X_test, y_test), losses, strict=True)
    )
    for i, peak in enumerate(PEAKS):  # the networks come in the order (peak, seed)
        runs[name, peak] = outcomes[i * len(SEEDS) : (i + 1) * len(SEEDS)]
print(f"{len(runs) * len(SEEDS)} training runs of {STEPS} steps each")

# %% [markdown]
# Mean validation accuracy for every schedule and peak (the grid the choice is made on):

# %%
print(f"{'schedule':<12}" + "".join(f"{peak:>9}" for peak in PEAKS))
best_peak = {}
for name in SCHEDULES:
    means = [np.mean([r[0] for r in runs[name, peak]]) for peak in PEAKS]
    best_peak[name] = PEAKS[int(np.argmax(means))]
    print(f"{name:<12}" + "".join(f"{m:>9.3f}" for m in means))

# %% [markdown]
# ## The results
#
# Test accuracy of the 5 seeds at each schedule's chosen peak, and the mean training loss
# over the last epoch. The standard error of a mean of 5 runs is the standard deviation
# divided by √5.

# %%
results = []
for name in SCHEDULES:
    chosen = runs[name, best_peak[name]]
    test = np.array([r[1] for r in chosen])
    final_loss = np.array([np.mean(r[2][-STEPS_PER_EPOCH:]) for r in chosen])
    results.append(
        {
            "schedule": name,
            "peak": best_peak[name],
            "mean": test.mean(),
            "std": test.std(ddof=1),
            "loss": final_loss.mean(),
            "loss_std": final_loss.std(ddof=1),
        }
    )
results.sort(key=lambda r: -r["mean"])

print(f"{'schedule':<12}{'peak':>6}  {'test accuracy':>17}  {'last-epoch train loss':>22}")
for r in results:
    print(
        f"{r['schedule']:<12}{r['peak']:>6}  {r['mean']:>9.2%} ± {r['std']:.2%}"
        f"  {r['loss']:>13.4f} ± {r['loss_std']:.4f}"
    )

# %% [markdown]
# ## Loss curves
#
# The training loss of each schedule at its chosen peak, averaged over the 5 seeds and over
# each epoch's minibatches (one point per epoch).

# %% alt="Mean training loss per epoch on a log scale for each schedule at its chosen peak learning rate: every curve falls over the epochs, the schedules that decay to zero end lowest"
fig, ax = plt.subplots(figsize=(5, 5.2), layout="constrained")
epochs = np.arange(1, EPOCHS + 1)
for r in results:
    losses = np.array([run[2] for run in runs[r["schedule"], r["peak"]]])
    per_epoch = losses.reshape(len(SEEDS), EPOCHS, STEPS_PER_EPOCH).mean(axis=(0, 2))
    ax.plot(epochs, per_epoch, marker=".", label=f"{r['schedule']} (peak {r['peak']})")
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("training loss (log scale)")
ax.set_title("Training loss at each chosen peak")
ax.legend(ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.2))
plt.show()

# %% [markdown]
# ## What the run shows
#
# The text below is generated from the table above. We call two schedules *separated* when
# the difference of their mean test accuracies is more than twice its standard error,
# $\sqrt{s_1^2/5 + s_2^2/5}$: a rough criterion, not a formal test, and with 8 schedules some
# pairs will cross it by chance.

# %%
best = results[0]


def separated(a, b):
    standard_error = np.sqrt(a["std"] ** 2 / len(SEEDS) + b["std"] ** 2 / len(SEEDS))
    return abs(a["mean"] - b["mean"]) > 2 * standard_error


tied = [r["schedule"] for r in results[1:] if not separated(best, r)]
behind = [r["schedule"] for r in results[1:] if separated(best, r)]
constant = next(r for r in results if r["schedule"] == "constant")
lower_loss = [r["schedule"] for r in results if r["loss"] < constant["loss"]]
spread = results[0]["mean"] - results[-1]["mean"]
chosen_peaks = sorted({r["peak"] for r in results})
edge = [r["schedule"] for r in results if r["peak"] in (PEAKS[0], PEAKS[-1])]
# the noise of one validation accuracy p measured on n images: sqrt(p (1 - p) / n)
p_val = np.mean([r[0] for name in SCHEDULES for r in runs[name, best_peak[name]]])
val_error = np.sqrt(p_val * (1 - p_val) / len(y_val))
close_call = []
for name in SCHEDULES:
    means = sorted((np.mean([r[0] for r in runs[name, peak]]) for peak in PEAKS), reverse=True)
    if means[0] - means[1] < val_error:
        close_call.append(name)
failed = {  # runs that did not learn: the loss overflowed or validation accuracy stayed low
    peak: [
        name
        for name in SCHEDULES
        if any(not np.isfinite(r[2][-1]) or r[0] < 0.5 for r in runs[name, peak])
    ]
    for peak in PEAKS
}
failed_text = "; ".join(
    f"at peak {peak}: {', '.join(names)}" for peak, names in failed.items() if names
)

summary = [
    f"The highest mean test accuracy was {best['schedule']}'s, "
    f"{best['mean']:.2%} ± {best['std']:.2%}; the lowest was {results[-1]['schedule']}'s, "
    f"{results[-1]['mean']:.2%} ± {results[-1]['std']:.2%}, a spread of "
    f"{spread * 100:.2f} percentage points.",
    (
        f"Not separated from {best['schedule']} by this run: {', '.join(tied)}. "
        "Five seeds cannot rank these."
        if tied
        else f"Every other schedule is separated from {best['schedule']}."
    ),
    (
        f"Separated from (below) {best['schedule']}: {', '.join(behind)}."
        if behind
        else "No schedule is separated from the best."
    ),
    f"{len(lower_loss)} of the {len(results) - 1} other schedules ended with a lower training "
    f"loss in the last epoch than the constant learning rate"
    + (f" ({', '.join(lower_loss)})." if lower_loss else "."),
    f"The peaks chosen on validation were {', '.join(map(str, chosen_peaks))}"
    + (
        f"; {', '.join(edge)} chose a peak at the edge of the grid, so a wider grid might "
        "change the result for them."
        if edge
        else "; none at the edge of the grid."
    ),
    (
        f"For {', '.join(close_call)}, the two best peaks differed in mean validation "
        "accuracy by less than the sampling error of an accuracy measured on "
        f"{len(y_val)} images ({val_error:.1%}): which peak was chosen, and so part of the "
        "rank, may depend on which images happen to be in the validation set."
        if close_call
        else "Every schedule's best peak was ahead of its second best by more than the "
        f"sampling error of an accuracy measured on {len(y_val)} images ({val_error:.1%})."
    ),
    (
        "At least one seed failed to learn (validation accuracy below 50%, or the loss "
        f"overflowed) {failed_text}."
        if failed_text
        else "Every run learned (validation accuracy of 50% or more)."
    ),
]
for sentence in summary:
    print("•", sentence)

# %%
print(f"this notebook's experiment took {time.perf_counter() - started:.1f} s")

# %% [markdown]
# ## What the run does not show
#
# One small network, one dataset, one budget, one grid of four peaks and five seeds, and a
# validation set of 297 images to choose the peak on. Any of them may change the outcome: a
# different budget, a finer grid, or tuned settings for step decay or SGDR may reorder the
# table. Larger studies reach their own conclusions; for example Kaplan et al. (*Scaling
# Laws for Neural Language Models*, 2020, appendix D.6) found the choice of schedule "mostly
# irrelevant, as long as the total summed learning rate is sufficiently large, and the
# schedule includes a warmup period and a final decay to near-vanishing learning rate". That
# is their finding on their models, not something this notebook shows.
#
# ## Exercises
#
# 1. Run with 10 seeds instead of 5 (edit `SEEDS`). Which sentences of the summary change?
# 2. Halve the budget (`EPOCHS = 7`). Does the gap between the constant learning rate and the
#    decaying schedules grow or shrink?
# 3. Add `an.Warmup(an.Cosine(peak, 0.0, STEPS - STEPS // 20), warmup=STEPS // 20)` as a
#    ninth schedule. Is it separated from plain cosine?
# 4. The grid has four peaks. Add 0.03 and 10 to `PEAKS`: does any schedule's chosen peak
#    move, and does its test accuracy?
# 5. Choose each schedule's peak on the *test* set instead of the validation set and compare
#    the table. Why is that an unfair comparison?
