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
# # Your framework's scheduler, exposed
#
# **What you will learn**
#
# - that "a cosine schedule" in PyTorch, optax, Keras, Transformers and timm is the same
#   curve inside the run, and five different things at its edges;
# - what each framework does past the end of the schedule, how it counts a
#   [warmup](../../reference/glossary/warmup/) against the horizon, what learning rate the
#   very first step uses, and where its off-by-ones are;
# - why PyTorch's `CosineAnnealingWarmRestarts.step(epoch)` misplaces some
#   [warm restarts](../../reference/glossary/warm-restart/), shown with two lines of
#   arithmetic.
#
# Everything here runs without any of the frameworks installed: `annealing.compat` has one
# module per framework, with the framework's own function names and arguments, returning
# ordinary `annealing` schedules. The project's tests check those modules against the real
# packages; this notebook only reads them.

# %%
import importlib.util
import math

import matplotlib.pyplot as plt
import numpy as np

import annealing as an
from annealing.compat import keras as kx
from annealing.compat import optax as ox
from annealing.compat import timm as tm
from annealing.compat import torch as pt
from annealing.compat import transformers as hf


def table(schedules, steps):
    """Print each schedule's value at the given steps, one row per schedule."""
    width = max(len(name) for name in schedules)
    print(" " * width + "".join(f"{f't={t}':>13}" for t in steps))
    for name, schedule in schedules.items():
        print(f"{name:<{width}}" + "".join(f"{schedule(t):>13.6g}" for t in steps))


# %% [markdown]
# ## One cosine, five frameworks
#
# A cosine from 1.0 down to 0.1 over 10 steps, written the way each framework spells it.
# (Keras, optax and Transformers give the floor as a fraction of the peak; PyTorch and timm
# as a value.)

# %%
T = 10
cosines = {
    "PyTorch CosineAnnealingLR": pt.CosineAnnealingLR(lr=1.0, T_max=T, eta_min=0.1),
    "optax cosine_decay_schedule": ox.cosine_decay_schedule(1.0, decay_steps=T, alpha=0.1),
    "Keras CosineDecay": kx.CosineDecay(1.0, decay_steps=T, alpha=0.1),
    "Transformers cosine (min lr)": hf.get_cosine_with_min_lr_schedule_with_warmup(
        1.0, num_warmup_steps=0, num_training_steps=T, min_lr_rate=0.1
    ),
    "timm CosineLRScheduler": tm.CosineLRScheduler(1.0, t_initial=T, lr_min=0.1),
}
table(cosines, [0, 5, 9, 10])

# %% [markdown]
# Inside the run, the five agree with each other and with SGDR's formula, which is
# `an.Cosine`:

# %%
inside = np.linspace(0, T, 101)
reference = an.Cosine(start=1.0, end=0.1, steps=T)(inside)
for name, schedule in cosines.items():
    print(
        f"{name:<30} largest difference from an.Cosine:"
        f" {np.abs(schedule(inside) - reference).max():.1e}"
    )

# %% [markdown]
# ## Past the end
#
# Now train for longer than planned: 30 steps on a 10-step schedule.

# %% alt="Five frameworks' cosine schedules set up for 10 steps, drawn over 30: they agree up to step 10, then some hold the floor, some rise again periodically, and some keep falling"
table(cosines, [10, 15, 20, 30])
t = np.linspace(0, 3 * T, 601)
fig, ax = plt.subplots(figsize=(5, 4.6), layout="constrained")
for (name, schedule), style in zip(cosines.items(), ["-", "--", "-", ":", "-."], strict=True):
    ax.plot(t, schedule(t), style, label=name)
ax.axvline(T, color="grey", lw=0.8)
ax.set_xlabel("step t (set up for 10 steps)")
ax.set_ylabel("learning rate")
ax.set_title("After the last planned step")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2))
plt.show()

# %% [markdown]
# PyTorch's `CosineAnnealingLR` and Transformers' cosine schedules keep following the cosine:
# the learning rate climbs back to its peak at twice the horizon. optax, Keras and timm hold
# the floor. If you resume a run for extra epochs, or if `T_max` was set in epochs while
# `step()` is called every batch, the first group raises your learning rate without warning.
# Set the horizon to the total number of `step()` calls.

# %%
rises = [name for name, s in cosines.items() if s(2 * T) > s(T)]
holds = [name for name, s in cosines.items() if s(2 * T) == s(T)]
print("rises again past the end:", ", ".join(rises))
print("holds the floor:         ", ", ".join(holds))

# %% [markdown]
# ## Warmup: inside the horizon or after it?
#
# A linear warmup of 10 steps from 0 to 1.0, then a cosine to 0.1, "over 100 steps". The
# frameworks disagree on what the 100 counts:
#
# - optax's `warmup_cosine_decay_schedule(decay_steps=100)` counts the warmup *in*: the run
#   ends at step 100.
# - Keras's `CosineDecay(decay_steps=100, warmup_steps=10)` counts it *after*: the cosine
#   alone lasts 100, the run ends at step 110.
# - Transformers' `get_cosine_schedule_with_warmup(num_training_steps=100)` counts it in, and
#   decays to 0 unless you use the `min_lr` variant (used here).
# - timm's `CosineLRScheduler(warmup_t=10)` lets the warmup *replace* the first 10 steps of
#   the cosine, whose clock started at 0: at step 10 the rate is already below the peak
#   (unless `warmup_prefix=True`).

# %% alt="Two stacked panels comparing warmup plus cosine in optax, Keras, Transformers and timm over 120 steps, and zoomed on the first 20 steps: the warmups differ in whether they are counted inside the decay, added before it, or replace its first steps"
W, N = 10, 100
warmups = {
    "optax (warmup inside)": ox.warmup_cosine_decay_schedule(
        0.0, 1.0, warmup_steps=W, decay_steps=N, end_value=0.1
    ),
    "Keras (warmup after)": kx.CosineDecay(
        0.0, decay_steps=N, alpha=0.1, warmup_target=1.0, warmup_steps=W
    ),
    "Transformers (inside)": hf.get_cosine_with_min_lr_schedule_with_warmup(
        1.0, num_warmup_steps=W, num_training_steps=N, min_lr_rate=0.1
    ),
    "timm (replaces)": tm.CosineLRScheduler(1.0, t_initial=N, lr_min=0.1, warmup_t=W),
    "timm (warmup_prefix)": tm.CosineLRScheduler(
        1.0, t_initial=N, lr_min=0.1, warmup_t=W, warmup_prefix=True
    ),
}
table(warmups, [0, 1, 10, 55, 60, 100, 110])

fig, axes = plt.subplots(2, 1, figsize=(5, 7.6), layout="constrained")
t = np.linspace(0, 120, 1201)
styles = ["-", "--", ":", "-", "-."]  # dashed and dotted lines lie on top of solid ones
for (name, schedule), style in zip(warmups.items(), styles, strict=True):
    axes[0].plot(t, schedule(t), style, lw=1.8, label=name)
    axes[1].plot(t, schedule(t), style, lw=1.8, label=name)
axes[1].set_xlim(0, 20)
axes[1].set_ylim(0.0, 1.05)
axes[0].set_title("The whole run")
axes[1].set_title("The first 20 steps")
for ax in axes:
    ax.set_xlabel("step t")
    ax.set_ylabel("learning rate")
axes[1].legend(loc="upper center", bbox_to_anchor=(0.5, -0.25))
plt.show()

# %% [markdown]
# The same schedule can be had from both optax and Keras: optax with `decay_steps = D` equals
# Keras with `decay_steps = D − W`. In `annealing` both are
# `Warmup(Cosine(1.0, 0.1, D − W), warmup=W)`:

# %%
grid = np.arange(0, 130)
optax_like = ox.warmup_cosine_decay_schedule(0.0, 1.0, W, N, end_value=0.1)
keras_like = kx.CosineDecay(0.0, decay_steps=N - W, alpha=0.1, warmup_target=1.0, warmup_steps=W)
ours = an.Warmup(an.Cosine(start=1.0, end=0.1, steps=N - W), warmup=W)
print(
    np.abs(optax_like(grid) - keras_like(grid)).max(), np.abs(optax_like(grid) - ours(grid)).max()
)

# %% [markdown]
# ## The first step
#
# The warmups above all start at 0, so the first optimizer step (step 0) uses a learning rate
# of 0 and does not move the weights. In Transformers' cosine and linear schedules that is
# fixed: their warmup starts at 0 and no argument changes it. optax, Keras and timm start
# from the value you give (`init_value`,
# `initial_learning_rate`, `warmup_lr_init`), and PyTorch's `LinearLR` refuses a
# `start_factor` of 0 altogether. If the first step should count, start the warmup above 0
# or count steps from 1.

# %%
for name, schedule in warmups.items():
    print(f"{name:<24} step 0: {schedule(0):.3g}   step 1: {schedule(1):.3g}")

# %% [markdown]
# ## Off-by-ones
#
# **One-cycle.** PyTorch's `OneCycleLR(total_steps=100)` reaches its peak at step
# `0.3·100 − 1 = 29` and its minimum at step 99; optax's `cosine_onecycle_schedule(100)` at
# steps 30 and 100. `an.OneCycle` is the continuous form, with optax's placement.

# %%
onecycles = {
    "PyTorch OneCycleLR": pt.OneCycleLR(1.0, total_steps=100),
    "optax cosine_onecycle": ox.cosine_onecycle_schedule(100, 1.0),
    "an.OneCycle": an.OneCycle(peak=1.0, steps=100),
}
table(onecycles, [0, 29, 30, 99, 100])

# %% [markdown]
# **Milestones.** A drop "at step 10": PyTorch's `MultiStepLR` and optax's
# `piecewise_constant_schedule` switch *at* 10; Keras's `PiecewiseConstantDecay` keeps the
# old value at 10 and switches just after it; timm's `MultiStepLRScheduler` already switches
# at 9.

# %%
milestones = {
    "PyTorch MultiStepLR": pt.MultiStepLR(1.0, milestones=[10], gamma=0.5),
    "optax piecewise_constant": ox.piecewise_constant_schedule(1.0, {10: 0.5}),
    "Keras PiecewiseConstant": kx.PiecewiseConstantDecay([10], [1.0, 0.5]),
    "timm MultiStepLRScheduler": tm.MultiStepLRScheduler(1.0, decay_t=[10], decay_rate=0.5),
}
table(milestones, [8, 9, 10, 11])

# %% [markdown]
# **The last step of a restart cycle.** PyTorch's `CosineAnnealingWarmRestarts(T_0=10)`
# restarts at step 10, so at integer steps it never reaches `eta_min`: step 9 is the lowest.
# That is what SGDR's formula gives too; it is only surprising if you expected the floor.

# %%
cawr = pt.CosineAnnealingWarmRestarts(1.0, T_0=10, eta_min=0.1)
print([round(cawr(t), 6) for t in (8, 9, 10, 11)])

# %% [markdown]
# ## The restart-boundary bug in PyTorch
#
# With `T_0 = 1` and `T_mult = 3`, cycles last 1, 3, 9, 27, 81, … steps, so restarts fall at
# 1, 4, 13, 40, 121, … At a restart the learning rate is back at its peak.
#
# PyTorch's `CosineAnnealingWarmRestarts` has two ways to advance. Plain `step()` counts
# exactly. `step(epoch)` (used to pass fractional epochs, as the SGDR paper does) finds the
# cycle from the epoch with a logarithm, which in PyTorch's source is, in effect:
#
# $$\begin{gathered}
# n = \left\lfloor \log_{T_{mult}}\!\left(\frac{\text{epoch}}{T_0}(T_{mult} - 1) + 1\right)
# \right\rfloor, \\ T_{cur} = \text{epoch} - T_0\,\frac{T_{mult}^n - 1}{T_{mult} - 1}, \\
# T_i = T_0\,T_{mult}^n.
# \end{gathered}$$
#
# At epoch 121 the logarithm is exactly 5. In floating point it is not:

# %%
print("math.log(243, 3) =", math.log(243, 3))


def pytorch_step_epoch(epoch, lr=1.0, T_0=1, T_mult=3, eta_min=0.0):
    """The learning rate after CosineAnnealingWarmRestarts.step(epoch), T_mult > 1, epoch >= T_0."""
    n = int(math.log(epoch / T_0 * (T_mult - 1) + 1, T_mult))
    T_cur = epoch - T_0 * (T_mult**n - 1) / (T_mult - 1)
    T_i = T_0 * T_mult**n
    return eta_min + (lr - eta_min) * (1 + math.cos(math.pi * T_cur / T_i)) / 2


exact = pt.CosineAnnealingWarmRestarts(1.0, T_0=1, T_mult=3)
print(" epoch   step(epoch)   exact")
for epoch in (4, 13, 40, 121, 364):
    print(f"{epoch:>6}   {pytorch_step_epoch(epoch):>11.3g}   {exact(epoch):>5.3g}")

# %% [markdown]
# At epoch 121 the floor of 4.999999999999999 is 4, so the step lands at the very end of
# the previous cycle ($T_{cur} = T_i = 81$) and the learning rate is at its minimum instead
# of its peak. `annealing` computes cycle boundaries in exact rational arithmetic, and
# `annealing.compat.torch` reproduces PyTorch's exact `step()` path, not this one.
#
# How common is it? Here are the restarts misplaced among the first eight, for `T_0 = 1` and
# several values of `T_mult`:

# %%
for T_mult in range(2, 11):
    restarts = [(T_mult**k - 1) // (T_mult - 1) for k in range(1, 9)]
    wrong = [b for b in restarts if pytorch_step_epoch(b, T_mult=T_mult) < 0.5]
    print(f"T_mult = {T_mult:>2}: misplaced restarts {wrong if wrong else 'none'}")

# %% [markdown]
# The same floating-point logarithm is in timm's `CosineLRScheduler` (with `cycle_mul != 1`)
# and in Keras's `CosineDecayRestarts`, as the `annealing.compat` docstrings note.
#
# If PyTorch happens to be installed where this notebook runs, the real scheduler can speak
# for itself (the site builds this page without it):

# %%
if importlib.util.find_spec("torch") is None:
    print("PyTorch is not installed here: skipping the live check.")
else:
    import warnings

    import torch

    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=1, T_mult=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # step(epoch) is deprecated
        scheduler.step(121)
    live = optimizer.param_groups[0]["lr"]
    print(
        f"torch {torch.__version__}: step(121) sets lr = {live:.3g};"
        f" the emulation above gives {pytorch_step_epoch(121):.3g}"
    )

# %% [markdown]
# ## Exercises
#
# 1. Transformers' `get_linear_schedule_with_warmup` and `get_cosine_schedule_with_warmup`
#    (both in `annealing.compat.transformers`) with 10 warmup and 100 training steps: what
#    does each give at step 150? Plot both from 0 to 200 with labelled axes.
# 2. Build with `annealing` itself (not `compat`) a schedule equal to PyTorch's
#    `CosineAnnealingLR(lr=1.0, T_max=10, eta_min=0.1)` for steps 0 to 10 but that holds 0.1
#    afterwards. Check it against the table above.
# 3. Keras's `CosineDecayRestarts(m_mul=0.5)` and timm's `CosineLRScheduler(cycle_decay=0.5)`
#    both "halve the peak at each restart". Compare their values right after the first
#    restart with a floor of 0.1. Which one halves the height above the floor?
# 4. Find a `T_0` and `T_mult` for which `pytorch_step_epoch` misplaces a restart with
#    `T_0 = 5`. Does the bug depend on `T_0`?
# 5. You port a training script from optax to PyTorch: `warmup_cosine_decay_schedule(0, 3e-4,
#    warmup_steps=500, decay_steps=10_000)`. Write the equivalent with
#    `annealing.compat.torch` (hint: `SequentialLR` of `LinearLR` and `CosineAnnealingLR`)
#    and check every step from 0 to 10,000.
