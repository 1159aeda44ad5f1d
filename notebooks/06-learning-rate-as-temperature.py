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
# # The learning rate as a temperature
#
# **What you will learn**
#
# - what stochastic gradient descent does on a small two-dimensional loss surface when its
#   gradients are noisy, as they are with minibatches;
# - why, with a constant learning rate, the iterate never settles: it keeps jittering around
#   the minimum, in a cloud whose size grows with the learning rate;
# - in what sense the learning rate plays the role of a
#   [temperature](../../reference/glossary/temperature/), and how a schedule that lowers it
#   at the end (step decay, [cosine annealing](../../reference/glossary/cosine-annealing/))
#   lets the iterate settle, much as
#   [simulated annealing](../../reference/glossary/simulated-annealing/) cools a system;
# - that the settling takes time: the iterate follows the temperature down only as fast as
#   the schedule allows.

# %%
import matplotlib.pyplot as plt
import numpy as np

import annealing as an

# %% [markdown]
# ## A loss surface and a noisy gradient
#
# The loss is a long, narrow valley: a quadratic with curvature 1 along *x* and 10 along *y*,
# $f(x, y) = \tfrac12(x^2 + 10\,y^2)$, with its minimum at the origin.
#
# A minibatch gradient is the true gradient plus noise. We model that directly: each step sees
# $\nabla f + \sigma\,\xi$ with $\xi$ a standard normal vector and $\sigma = 1$.
# Plain SGD then updates $\theta \leftarrow \theta - \eta_t(\nabla f(\theta) + \sigma\xi_t)$.

# %% alt="Three schedules with the same peak of 0.1 over 1000 steps: constant, a step schedule dropping tenfold at steps 500 and 750, and a cosine falling to 0"
CURVATURE = np.array([1.0, 10.0])
SIGMA = 1.0
START = np.array([-3.0, 1.0])
STEPS = 1000
PEAK = 0.1  # stable while PEAK * 10 < 2


def loss(theta):
    return 0.5 * np.sum(CURVATURE * theta**2, axis=-1)


def sgd(schedule, runs, seed=0):
    """Run `runs` independent copies of noisy SGD; every iterate, shape (STEPS + 1, runs, 2)."""
    rng = np.random.default_rng(seed)
    learning_rates = schedule(np.arange(STEPS))
    theta = np.tile(START, (runs, 1))
    path = [theta]
    for t in range(STEPS):
        gradient = CURVATURE * theta + SIGMA * rng.standard_normal(theta.shape)
        theta = theta - learning_rates[t] * gradient
        path.append(theta)
    return np.array(path)


SCHEDULES = {
    "constant": an.Constant(PEAK),
    "step": an.MultiStep(PEAK, milestones=[STEPS // 2, 3 * STEPS // 4], factor=0.1),
    "cosine": an.Cosine(start=PEAK, end=0.0, steps=STEPS),
}
ax = an.plot(*SCHEDULES.values(), steps=STEPS, labels=list(SCHEDULES))
ax.set_xlabel("step t")
ax.set_ylabel("learning rate η_t")
ax.set_title("Three schedules with the same peak")
plt.show()

# %% [markdown]
# ## One trajectory per schedule
#
# The same noise (the same seed) drives each of the three runs. All three rush down the
# valley at first, at the same speed, since they start with the same learning rate; the
# difference is at the end.

# %% alt="Three stacked panels, one noisy SGD path on the contours of a quadratic bowl for each schedule: with the constant learning rate the last 100 steps stay scattered around the minimum, with the step and cosine schedules they gather close to it"
x, y = np.meshgrid(np.linspace(-3.5, 1.5, 200), np.linspace(-1.2, 1.2, 200))
surface = loss(np.stack([x, y], axis=-1))
fig, axes = plt.subplots(3, 1, figsize=(5, 8.4), layout="constrained", sharex=True)
for ax, (name, schedule) in zip(axes, SCHEDULES.items(), strict=True):
    path = sgd(schedule, runs=1)[:, 0]
    ax.contour(x, y, surface, levels=np.geomspace(0.02, 20, 12), colors="grey", linewidths=0.5)
    ax.plot(path[:, 0], path[:, 1], lw=0.6, alpha=0.8, label="iterate")
    ax.plot(*path[-100:].T, ".", ms=3, color="C3", label="last 100 steps")
    ax.plot(0, 0, "k+", ms=12, label="minimum")
    ax.set_title(name)
    ax.set_xlabel("parameter x")
    ax.set_ylabel("parameter y")
axes[0].legend(loc="lower right", fontsize=10)
plt.show()

# %% [markdown]
# With a constant learning rate, the last hundred steps are still scattered around the
# minimum. With step decay and with cosine annealing they are bunched together near it.
#
# ## Many runs: the cloud at the end
#
# One run is anecdote. We run 2,000 independent copies under each schedule and look at where
# they end.

# %% alt="Three stacked panels of the final iterates of 2000 runs: a wide cloud around the minimum for the constant learning rate, much tighter clouds for the step and cosine schedules"
RUNS = 2000
paths = {name: sgd(schedule, runs=RUNS, seed=1) for name, schedule in SCHEDULES.items()}

fig, axes = plt.subplots(3, 1, figsize=(5, 8.4), layout="constrained", sharex=True, sharey=True)
for ax, (name, path) in zip(axes, paths.items(), strict=True):
    ax.plot(path[-1, :, 0], path[-1, :, 1], ".", ms=2, alpha=0.4)
    ax.plot(0, 0, "k+", ms=12)
    ax.set_title(f"{name}: final iterates of {RUNS} runs")
    ax.set_xlabel("parameter x")
    ax.set_ylabel("parameter y")
plt.show()

final = {name: loss(path[-1]) for name, path in paths.items()}
for name, values in final.items():
    print(
        f"{name:>8}: mean final loss {values.mean():.5f}"
        f"   (std of x: {paths[name][-1, :, 0].std():.4f})"
    )

# %% [markdown]
# ## Why a learning rate is a temperature
#
# For small learning rates, noisy SGD behaves like a particle in the potential $f$ kicked by
# random forces. Its steps match the Langevin equation
# $d\theta = -\nabla f\,dt + \sqrt{2T}\,dW$ with time step $dt = \eta$ and temperature
#
# $$T = \frac{\eta\,\sigma^2}{2},$$
#
# whose equilibrium is the
# [Boltzmann distribution](../../reference/glossary/boltzmann-distribution/)
# $p(\theta) \propto e^{-f(\theta)/T}$. In that equilibrium each of the two directions holds
# an average loss of $T/2$ (equipartition), so the mean loss is $T$. Lower the learning rate
# and the temperature falls with it.
#
# For this quadratic surface the discrete update can also be solved exactly. Along a direction
# with curvature $h$, the iterate's variance settles at
# $\eta\sigma^2 / \big(h(2 - \eta h)\big)$, so the mean loss settles at
#
# $$\bar f(\eta) = \sum_{h} \frac{\eta\,\sigma^2}{2\,(2 - \eta h)},$$
#
# which is close to $T$ when $\eta h$ is small. Here $\eta h$ is 0.1 along *x* but 1 along
# *y*, so the exact formula is the one to compare with. Let us check it against the
# constant-rate run, averaging over the second half of the steps and all runs.


# %%
def equilibrium_loss(eta):
    eta = np.asarray(eta, dtype=float)[..., None]
    return np.sum(eta * SIGMA**2 / (2 * (2 - eta * CURVATURE)), axis=-1)


measured = loss(paths["constant"][STEPS // 2 :]).mean()
print(f"constant η = {PEAK}: measured mean loss {measured:.4f}")
print(
    f"exact equilibrium {equilibrium_loss(PEAK):.4f},"
    f"  temperature T = ησ²/2 = {PEAK * SIGMA**2 / 2:.4f}"
)

# %% [markdown]
# ## Following the temperature down
#
# The mean loss over the 2,000 runs, step by step, next to the equilibrium loss that each
# step's learning rate would give if the iterate had time to reach it (dashed).

# %% alt="Three stacked panels of the mean loss against the step on a log scale, each with the equilibrium loss predicted for the current learning rate as a dashed line: the measured loss follows the prediction down as the learning rate falls"
t = np.arange(STEPS + 1)
fig, axes = plt.subplots(3, 1, figsize=(5, 8.4), layout="constrained", sharex=True)
for ax, (name, path) in zip(axes, paths.items(), strict=True):
    ax.plot(t, loss(path).mean(axis=1), label="mean loss of the runs")
    ax.plot(t[:-1], equilibrium_loss(SCHEDULES[name](t[:-1])), "--", label="equilibrium at η_t")
    ax.set_yscale("log")
    ax.set_title(name)
    ax.set_xlabel("step t")
    ax.set_ylabel("mean loss (log scale)")
axes[0].legend(loc="upper right")
plt.show()

# %% [markdown]
# Three things to read from the plots:
#
# - At the start, every run is far from the minimum and the loss falls at the same rate under
#   all three schedules: the noise hardly matters while the gradient is large.
# - Under a constant learning rate the loss stops falling at the equilibrium value and stays
#   there: that is the temperature, not a failure to find the minimum.
# - When the learning rate drops, the loss drops too, but with a delay: along a direction with
#   curvature $h$, the iterate relaxes in about $1/(\eta h)$ steps, which grows as η shrinks.
#   At the very end of the cosine run, η is near zero, so the iterate hardly moves: it is
#   *frozen* at whatever loss it has reached.
#
# The numbers behind the last point:

# %%
for name, schedule in SCHEDULES.items():
    eta_end = schedule(STEPS - 1)
    print(
        f"{name:>8}: η at the last step {eta_end:.2e},"
        f"  equilibrium there {float(equilibrium_loss(eta_end)):.2e},"
        f"  measured final mean loss {final[name].mean():.2e}"
    )
ratio = final["constant"].mean() / final["cosine"].mean()
print(f"the constant rate ends with {ratio:.1f} times the cosine's mean final loss")

# %% [markdown]
# ## The analogy, and its limits
#
# Simulated annealing lowers a temperature so that a random search, which explores freely
# while hot, settles into a low-energy state as it cools. Lowering the learning rate does the
# same to SGD's jitter: the decay at the end of a schedule is what lets the iterate settle.
# The analogy stops there. SGD's noise is not an added thermal noise but the minibatch's
# sampling error, its size and shape depend on the data and on θ, and nothing here says that
# a hot start helps SGD find a *better* minimum: this surface has only one. The SGDR authors
# say explicitly that they "do not claim" to observe any effect related to multi-modality.
#
# ## Exercises
#
# 1. Double `SIGMA`. By how much does the constant-rate equilibrium loss change? Check the
#    prediction with a run.
# 2. Replace the cosine by `an.Cosine(start=PEAK, end=0.01, steps=STEPS)`. Where does its
#    final loss end up, relative to the equilibrium at η = 0.01?
# 3. Give the cosine only 200 steps (`steps=200`, holding its floor afterwards) on the same
#    1000-step budget. Does the final loss change? What does this say about decaying too early?
# 4. Make the valley narrower (curvature 19 along *y*) and keep `PEAK = 0.1`. What happens, and
#    why? (Hint: look at the $2 - \eta h$ in the formula.)
# 5. Change the surface to a double well, $f = (x^2 - 1)^2 + 5y^2$, start the runs at
#    $x = -1$, and count how many runs end in each well under each schedule at a high peak.
#    Label every axis of your plots.
