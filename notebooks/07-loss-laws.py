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
# # Predicting the loss from the schedule
#
# **What you will learn**
#
# - how to fit a *loss law* (Tissue et al., *Scaling Law with Learning Rate Annealing*, 2024,
#   arXiv:2408.11029) on two training runs and predict the loss curve of a third schedule it
#   has never seen, such as a [WSD](../../reference/glossary/wsd/) run with a
#   [cooldown](../../reference/glossary/cooldown/);
# - how to check such a prediction honestly: predicted against observed curves, and a table
#   of errors on every run that was not used for the fit;
# - how to do the same on your own laptop: train a small network under three schedules, fit
#   on two, predict the third.
#
# The logged runs are public training logs of Llama-style language models (60M to 360M
# parameters) from Schaipp et al., *The Surprising Agreement Between Convex Optimization
# Theory and Learning-Rate Scheduling for Large Model Training* (ICML 2025,
# arXiv:2501.18965, MIT licence), shipped with the library as `annealing.laws.logs()`. Why
# the laws look the way they do is explained on the page
# [What a schedule does to the loss](../../explanation/loss-laws/).

# %%
import time
from collections import defaultdict

import matplotlib.pyplot as plt
import numpy as np

import annealing as an
from annealing.laws import fit, logs

started = time.perf_counter()

# %% [markdown]
# ## The logged runs of one model
#
# Each run carries its schedule (rebuilt exactly as an `annealing` schedule) and its
# validation loss by step. One model, a 124M-parameter model trained on SlimPajama, has a
# constant run, cosine runs of three lengths and two WSD runs with a 20% linear cooldown:

# %%
MODEL = "slimpajama-llama_norm-124M-bs200"
runs = [run for run in logs() if run.model.name == MODEL]


def describe(run):
    s = run.schedule
    if s.kind == "cosine":
        return f"cosine, {s.steps:,} steps"
    if s.cooldown == 0:
        return f"constant, {s.steps:,} steps"
    return f"WSD, {s.steps:,} steps, {s.cooldown:.0%} cooldown"


for run in runs:
    print(f"{describe(run):34} peak {run.schedule.peak:g}  final loss {run.losses[-1]:.4f}")

# %% [markdown]
# ## Fit on two runs
#
# The law is
# $L(t) = L_0 + A\,S_1(t)^{-\alpha} - C\,S_2(t)$: $S_1$ is the sum of the learning rates so
# far (the area under the schedule), $S_2$ a smoothed sum of its decreases (the library also
# writes out a term the paper folds into $L_0$, so that runs at different peak learning
# rates can be fitted together; see the API reference of `annealing.laws`). We fit it on
# the constant run and the shortest cosine run, the two cheapest runs that show both terms,
# and keep every other run for checking.

# %%
constant = next(run for run in runs if run.schedule.cooldown == 0)
cosine = min((run for run in runs if run.schedule.kind == "cosine"), key=lambda r: r.schedule.steps)
law = fit([constant, cosine], "tissue")
print({name: round(value, 4) for name, value in law.parameters.items()})

# %% [markdown]
# ## Predicted against observed
#
# For each run, the observed validation loss (solid) and the law's prediction from the
# schedule alone (dashed). The two fitted runs are drawn too; only the others test the law.

# %% alt="Validation loss against training step for the six logged runs of a 124M-parameter model, observed as solid lines and predicted by the fitted law as dashed lines: the dashed lines follow the solid ones closely, including the steep drop of each WSD run during its cooldown"
fig, ax = plt.subplots(figsize=(5, 5.6), layout="constrained")
for run, colour in zip(runs, plt.rcParams["axes.prop_cycle"].by_key()["color"], strict=False):
    keep = run.steps > 500
    steps = run.steps[keep]
    ax.plot(steps / 1000, run.losses[keep], "-", color=colour, lw=1.5, label=describe(run))
    ax.plot(steps / 1000, law.predict(run.lr(), steps), "--", color=colour, lw=1.5)
ax.set_ylim(2.95, 3.4)
ax.set_xlabel("step (thousands)")
ax.set_ylabel("validation loss")
ax.set_title("solid: observed, dashed: predicted", fontsize=11)
fig.legend(loc="outside lower center", frameon=False)
plt.show()

# %% [markdown]
# ## The error table
#
# The relative error of the predicted final loss, for every run that was not fitted:

# %%
print(f"{'run':34} {'predicted':>9} {'observed':>9} {'error':>7}")
errors = []
for run in runs:
    if run in (constant, cosine):
        continue
    last = run.steps[-1:]
    predicted, observed = float(law.predict(run.lr(), last)[0]), float(run.losses[-1])
    errors.append(100 * (predicted - observed) / observed)
    print(f"{describe(run):34} {predicted:9.4f} {observed:9.4f} {errors[-1]:+6.2f}%")
print(f"mean |error| {np.mean(np.abs(errors)):.2f}%")

# %% [markdown]
# ## Every model
#
# The same recipe on every model of the logs that has a constant and a cosine run: fit on
# those two, predict the final loss of every other run. Points on the diagonal are perfect
# predictions.

# %% alt="Predicted against observed final validation loss for every run not used for fitting, across twelve logged models, with the diagonal of perfect prediction: all points lie close to the diagonal, the largest misses about one percent"
by_model = defaultdict(list)
for run in logs():
    by_model[run.model.name].append(run)
pairs = []
for name, model_runs in sorted(by_model.items()):
    constants = [r for r in model_runs if r.schedule.kind == "wsd" and r.schedule.cooldown == 0]
    cosines = [r for r in model_runs if r.schedule.kind == "cosine"]
    if not constants or not cosines:
        continue
    first = max(constants, key=lambda r: r.schedule.steps)
    second = min(cosines, key=lambda r: r.schedule.steps)
    model_law = fit([first, second], "tissue")
    for run in model_runs:
        if run not in (first, second):
            predicted = float(model_law.predict(run.lr(), run.steps[-1:])[0])
            pairs.append((name, predicted, float(run.losses[-1])))
predicted = np.array([p for _, p, _ in pairs])
observed = np.array([o for _, _, o in pairs])
relative = 100 * np.abs(predicted - observed) / observed
print(
    f"{len(pairs)} runs of {len({n for n, _, _ in pairs})} models: "
    f"mean error {relative.mean():.2f}%, max {relative.max():.2f}%"
)

fig, ax = plt.subplots(figsize=(5, 4.2), layout="constrained")
ax.plot(observed, predicted, "o", ms=4, label="a run not used for fitting")
line = [observed.min() - 0.05, observed.max() + 0.05]
ax.plot(line, line, "--", color="0.4", lw=1, label="perfect prediction")
ax.set_xlabel("observed final validation loss")
ax.set_ylabel("predicted final validation loss")
ax.legend(frameon=False)
plt.show()

# %% [markdown]
# A mean error of a few tenths of a percent sounds small, and for the level of the loss it
# is. But schedules of the same length often differ by less than that: a law this accurate
# can still put two schedules in the wrong order. The explanation page measures that too.
#
# ## Your own experiment, on a laptop
#
# Now the same on a run you make yourself. The model is a small two-layer network (NumPy
# only) that learns to classify points of a synthetic 4-class problem, trained with SGD
# under three schedules of the same length and the same peak: constant, cosine and WSD
# (a [warmup](../../reference/glossary/warmup/) of 100 steps for each). The validation loss
# is logged every 40 steps.

# %%
rng = np.random.default_rng(0)
D, HIDDEN, CLASSES = 20, 32, 4
teacher = rng.normal(size=(D, CLASSES)) * 1.5


def make_data(n):
    x = rng.normal(size=(n, D))
    noisy = x @ teacher + rng.gumbel(size=(n, CLASSES))  # label noise: the loss has a floor
    return x, noisy.argmax(axis=1)


x_train, y_train = make_data(20_000)
x_val, y_val = make_data(2_000)
STEPS, BATCH, EVERY, PEAK, WARMUP = 2_000, 32, 40, 0.2, 100


def cross_entropy(logits, y):
    logits = logits - logits.max(axis=1, keepdims=True)
    return np.log(np.exp(logits).sum(axis=1)) - logits[np.arange(len(y)), y]


def train(schedule, seed=1):
    """SGD on the two-layer network; returns the logged steps and validation losses."""
    r = np.random.default_rng(seed)
    w1, b1 = r.normal(size=(D, HIDDEN)) / np.sqrt(D), np.zeros(HIDDEN)
    w2, b2 = r.normal(size=(HIDDEN, CLASSES)) / np.sqrt(HIDDEN), np.zeros(CLASSES)
    steps, losses = [], []
    for t in range(STEPS + 1):
        if t % EVERY == 0 and t > 0:
            hidden = np.maximum(x_val @ w1 + b1, 0)
            steps.append(t)
            losses.append(float(cross_entropy(hidden @ w2 + b2, y_val).mean()))
        if t == STEPS:
            break
        i = r.integers(0, len(y_train), BATCH)
        x, y = x_train[i], y_train[i]
        pre = x @ w1 + b1
        hidden = np.maximum(pre, 0)
        logits = hidden @ w2 + b2
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(BATCH), y] -= 1
        p /= BATCH  # the gradient of the mean cross-entropy with respect to the logits
        back = (p @ w2.T) * (pre > 0)
        lr = float(schedule(t))
        w2 -= lr * hidden.T @ p
        b2 -= lr * p.sum(axis=0)
        w1 -= lr * x.T @ back
        b1 -= lr * back.sum(axis=0)
    return np.array(steps), np.array(losses)


start = PEAK / 100
schedules = {
    "constant": an.Warmup(an.Constant(PEAK), warmup=WARMUP, start=start),
    "cosine": an.Warmup(an.Cosine(PEAK, 0.0, STEPS - WARMUP), warmup=WARMUP, start=start),
    "WSD, 20% cooldown": an.WSD(
        peak=PEAK, warmup=WARMUP, stable=STEPS - WARMUP - 400, decay=400, start=start
    ),
}
experiment_started = time.perf_counter()
curves = {name: train(schedule) for name, schedule in schedules.items()}
print(f"three runs trained in {time.perf_counter() - experiment_started:.1f} s")

# %% [markdown]
# Fit the law on the constant and the cosine run, and predict the WSD run from its schedule
# alone:

# %%
fitted = ["constant", "cosine"]
own_law = fit([(schedules[name], *curves[name]) for name in fitted], "tissue")
steps, observed_wsd = curves["WSD, 20% cooldown"]
predicted_wsd = own_law.predict(schedules["WSD, 20% cooldown"], steps)
final_error = 100 * (predicted_wsd[-1] - observed_wsd[-1]) / observed_wsd[-1]
print(
    f"final loss: predicted {predicted_wsd[-1]:.4f}, observed {observed_wsd[-1]:.4f} "
    f"({final_error:+.2f}%)"
)
for name in fitted:
    print(f"{name:8} final loss {curves[name][1][-1]:.4f} (fitted)")

# %% alt="Validation loss of the small network against training step under constant, cosine and WSD schedules, with the fitted law's prediction for the WSD run as a dashed line: the prediction follows the WSD run's plateau and its drop during the cooldown"
fig, ax = plt.subplots(figsize=(5, 4.6), layout="constrained")
for (name, (s, loss)), style in zip(curves.items(), ("-", "-.", ":"), strict=True):
    ax.plot(s, loss, style, lw=1.5, label=name)
ax.plot(steps, predicted_wsd, "--", color="black", lw=1.5, label="WSD, predicted")
ax.set_title("observed runs, and the prediction for WSD", fontsize=11)
ax.set_ylim(observed_wsd.min() - 0.01, observed_wsd.min() + 0.08)
ax.set_xlabel("step")
ax.set_ylabel("validation loss")
fig.legend(loc="outside lower center", frameon=False, ncols=2)
plt.show()

# %%
print(f"this notebook took {time.perf_counter() - started:.1f} s")

# %% [markdown]
# One small network, one seed, one set of schedules: the error you get is that of this
# run. Fit a law on runs that look like the ones you want to predict (the same model, data
# and batch size), and treat two schedules whose predicted losses differ by less than the
# law's error on held-out runs as a tie.
#
# ## Exercises
#
# 1. Fit the 124M model's law on the constant run and the *longest* cosine run instead. Does
#    the error on the WSD runs go up or down? Why might a longer run help?
# 2. Replace `"tissue"` by `"multi-power"` (Luo et al. 2025, arXiv:2503.12811) in the fit of
#    your own experiment. Is it closer on the WSD run? How much longer does the fit take?
# 3. In your experiment, fit on the constant and the WSD run and predict the cosine run.
#    Which direction is harder?
# 4. Add a fourth schedule, a linear decay to zero
#    (`an.Warmup(an.Linear(PEAK, 0.0, STEPS - WARMUP), warmup=WARMUP, start=start)`), and
#    predict it before you train it. Which of the four does the law put first, and is it
#    right?
# 5. Use `annealing.laws.resample` to refit the law on resampled points: how wide is the band
#    of predicted final losses, and can it tell WSD from cosine?
