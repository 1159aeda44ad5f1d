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
# # Warmup and warm restarts
#
# **What you will learn**
#
# - how to put a [warmup](../../reference/glossary/warmup/) in front of any schedule, and how
#   the warmup steps are counted;
# - how [SGDR](../../reference/glossary/sgdr/) repeats a cosine with
#   [warm restarts](../../reference/glossary/warm-restart/), and what `T_0` and `T_mult` do;
# - how to lower the peak at each restart (`peak_decay`);
# - how to ask a restart schedule where you are: which cycle, when the next restart comes,
#   where a cycle starts;
# - where a [snapshot ensemble](../../reference/glossary/snapshot-ensemble/) takes its
#   snapshots, computed from the schedule rather than by hand.

# %%
import matplotlib.pyplot as plt
import numpy as np

import annealing as an

# %% [markdown]
# ## Warmup
#
# Large learning rates at the very start of training can make the first updates unstable.
# A warmup raises the learning rate gradually before the main schedule begins (Goyal et al.,
# *Accurate, Large Minibatch SGD*, 2017, used a linear rise over the first 5 epochs).
#
# `an.Warmup(schedule, warmup=W)` rises from `start` (0 by default) to `schedule(0)` over `W`
# steps, then runs `schedule` from its own step 0. The warmup steps come *before* the
# schedule, so the total length is `W + schedule.steps`.

# %%
cosine = an.Cosine(start=0.1, end=0.001, steps=900)
lr = an.Warmup(cosine, warmup=100)
print("length:", lr.steps)
print("step 0:", lr(0), " step 50:", lr(50), " step 100:", lr(100), " step 1000:", lr(1000))
assert lr(100 + 450) == cosine(450)

# %% [markdown]
# The rise can be linear, a quarter cosine, or exponential (which needs a positive start).

# %% alt="The first 300 steps of three warmups into the same cosine: a straight linear rise, a cosine rise that starts and ends flat, and an exponential rise from 0.001 that stays low and shoots up near step 100; all three then follow the same cosine"
ax = an.plot(
    an.Warmup(cosine, warmup=100),
    an.Warmup(cosine, warmup=100, shape="cosine"),
    an.Warmup(cosine, warmup=100, start=0.001, shape="exponential"),
    steps=300,
    labels=["linear warmup", "cosine warmup", "exponential warmup from 0.001"],
)
ax.axvline(100, color="grey", lw=0.8)
ax.set_xlabel("training step t")
ax.set_ylabel("learning rate η_t")
ax.set_title("Three warmups, then the same cosine")
plt.show()

# %% [markdown]
# Some libraries count the warmup *inside* the decay length instead: optax's
# `warmup_cosine_decay_schedule(decay_steps=N)` ends at step N, warmup included. In
# `annealing` that is `Warmup(Cosine(..., steps=N - W), warmup=W)`. Tutorial 4 lists these
# conventions framework by framework.

# %% [markdown]
# ## Warm restarts: SGDR
#
# Loshchilov and Hutter's SGDR (ICLR 2017) runs a cosine from η_max down to η_min, then
# jumps back to η_max and starts again: a *warm* restart, because the weights are kept.
# The first cycle lasts [`T_0`](../../reference/glossary/t-0/) steps and each later cycle is
# [`T_mult`](../../reference/glossary/t-mult/) times longer than the one before.

# %%
sgdr = an.SGDR(eta_max=0.05, eta_min=0.0, T_0=10, T_mult=2)
print(sgdr)

# %% [markdown]
# `SGDR(...)` is a name for `Restarts(Cosine(eta_max, eta_min, T_0), mult=T_mult)`: any
# schedule with a finite length can be repeated. SGDR's schedule never ends, so its `steps`
# is `None`.

# %%
print(sgdr == an.Restarts(an.Cosine(start=0.05, end=0.0, steps=10), mult=2))
print("steps:", sgdr.steps)

# %% alt="Two stacked panels of SGDR over 300 epochs. Top, T_mult = 1: cosine cycles of equal length, 50 or 100 epochs, each jumping back to the peak. Bottom, T_mult = 2: cycles that double in length, starting from 10 epochs or from 1 epoch"
fig, axes = plt.subplots(2, 1, figsize=(5, 6.2), layout="constrained")
an.plot(
    an.SGDR(eta_max=0.05, T_0=50),
    an.SGDR(eta_max=0.05, T_0=100),
    steps=300,
    ax=axes[0],
    labels=["T_0 = 50, T_mult = 1", "T_0 = 100, T_mult = 1"],
)
an.plot(
    an.SGDR(eta_max=0.05, T_0=10, T_mult=2),
    an.SGDR(eta_max=0.05, T_0=1, T_mult=2),
    steps=300,
    ax=axes[1],
    labels=["T_0 = 10, T_mult = 2", "T_0 = 1, T_mult = 2"],
)
axes[0].set_title("T_mult = 1: cycles of equal length")
axes[1].set_title("T_mult = 2: each cycle twice as long")
for ax in axes:
    ax.set_xlabel("epoch")
    ax.set_ylabel("learning rate η_t")
    ax.legend(loc="upper right")  # inside the panel: the panels are stacked
plt.show()

# %% [markdown]
# These are settings from the paper's CIFAR experiments (η_max = 0.05 and η_min = 0;
# `T_0` = 50 or 100 with `T_mult` = 1, and `T_0` = 1 or 10 with `T_mult` = 2), with the step
# counted in epochs.

# %% [markdown]
# ## Asking where you are
#
# A restart schedule knows its own cycles. Cycle *k* starts at
#
# $$B_k = T_0\,\frac{T_{mult}^k - 1}{T_{mult} - 1}$$
#
# (or $k\,T_0$ when `T_mult` = 1). The library computes these boundaries in exact rational
# arithmetic, so a restart falls exactly on its step.

# %%
print("cycle starts:", [sgdr.cycle_start(k) for k in range(6)])
for t in (0, 9.5, 10, 29.999, 30, 100):
    print(
        f"t = {t:>6}: cycle {sgdr.cycle_index(t)},"
        f" next restart at {sgdr.next_restart(t)}, η = {sgdr(t):.6f}"
    )

# %% [markdown]
# The exactness matters for fractional multipliers and long runs. With `T_0` = 1 and
# `T_mult` = 3, restarts fall at 1, 4, 13, 40, 121, …; computing the cycle index with a
# floating-point logarithm, as some frameworks do, can put step 121 in the wrong cycle
# (tutorial 4 shows it). Here step 121 is a restart, and the value there is η_max:

# %%
s3 = an.SGDR(eta_max=0.1, T_0=1, T_mult=3)
print([s3.cycle_start(k) for k in range(6)], s3.cycle_index(121), s3(121))

# %% [markdown]
# ## Lowering the peak at each restart
#
# The SGDR paper kept η_max and η_min the same in every cycle and noted that decreasing them
# might be of interest. `Restarts(peak_decay=p)` multiplies the start of cycle *k* by $p^k$
# (timm's `cycle_decay`); `decay_mode="amplitude"` multiplies the height above the floor
# instead (Keras's `m_mul`). `limit` stops after a number of cycles and holds the last value.

# %% alt="Restarts with doubling cycles over 170 epochs: without decay every cycle starts at 0.05; with peak decay 0.6 each restart starts lower; in amplitude mode with 4 cycles the swings shrink toward the floor and the schedule then holds"
cycle = an.Cosine(start=0.05, end=0.005, steps=10)
ax = an.plot(
    an.Restarts(cycle, mult=2),
    an.Restarts(cycle, mult=2, peak_decay=0.6),
    an.Restarts(cycle, mult=2, peak_decay=0.6, decay_mode="amplitude", limit=4),
    steps=170,
    labels=[
        "no decay",
        "peak_decay = 0.6 (peak mode)",
        "peak_decay = 0.6 (amplitude mode), 4 cycles",
    ],
)
ax.set_xlabel("epoch")
ax.set_ylabel("learning rate η_t")
ax.set_title("Restarts with a decaying peak")
plt.show()

# %% [markdown]
# Warmup works inside restarts too: `Restarts(cycle, warmup=W)` rises linearly from the
# cycle's end value to its start value at the beginning of every cycle, instead of jumping.

# %% alt="Restarts with 3 warmup steps per cycle: each 13-epoch cycle rises linearly for 3 epochs, then falls along a 10-epoch cosine, six times over 60 epochs"
ax = an.plot(
    an.Restarts(cycle, mult=1, warmup=3),
    steps=60,
    labels=["3 warmup steps per cycle, then a 10-step cosine"],
)
ax.set_xlabel("epoch")
ax.set_ylabel("learning rate η_t")
plt.show()

# %% [markdown]
# ## Where a snapshot ensemble takes its snapshots
#
# A snapshot ensemble saves the weights at the end of each cycle, where the learning rate is
# at its floor and the model has settled, and averages the predictions of those snapshots
# (Huang et al., *Snapshot Ensembles: Train 1, get M for free*, ICLR 2017). The SGDR paper
# did this with `T_0` = 10 and `T_mult` = 2, taking snapshots at epochs 30, 70 and 150, just
# before restarts. Here is that run with a budget of 150 epochs.
#
# The ends of the cycles are the next cycles' starts, so the schedule gives them directly:

# %%
budget = 150
ends = [sgdr.cycle_start(k) for k in range(1, 20) if sgdr.cycle_start(k) <= budget]
snapshots = ends[-3:]
print("cycle ends within the budget:", ends)
print("the last three, where the snapshots go:", snapshots)
print("learning rate just before each:", [f"{sgdr(e - 1e-9):.1e}" for e in snapshots])

# %% alt="SGDR with T_0 = 10 and T_mult = 2 over the whole budget, with triangle markers on the step axis at the ends of the last three cycles, where the learning rate reaches its floor and a snapshot is taken"
t = np.linspace(0, budget, 3001)
fig, ax = plt.subplots(figsize=(5, 3.4), layout="constrained")
ax.plot(t, sgdr(t), label="SGDR, T_0 = 10, T_mult = 2")
ax.plot(snapshots, [0.0] * len(snapshots), "v", ms=10, label="snapshot")
ax.set_xlabel("epoch")
ax.set_ylabel("learning rate η_t")
ax.set_title("Snapshots at the ends of the last 3 cycles")
ax.legend()
plt.show()

# %% [markdown]
# If the budget is not a cycle boundary, the last cycle is cut short and never reaches its
# floor. Choose the budget from the schedule: `sgdr.cycle_start(k)` is the length of a run of
# exactly *k* cycles.

# %%
print("a 100-epoch budget stops in cycle", sgdr.cycle_index(100), "at η =", round(sgdr(100), 4))
print("runs of whole cycles:", [sgdr.cycle_start(k) for k in range(1, 7)])

# %% [markdown]
# ## Exercises
#
# 1. GPT-3 warmed up linearly and then decayed with a cosine to 10% of the peak. Build such a
#    schedule with a peak of 6e-4, 375 warmup steps and 10,000 decay steps, and plot it with
#    labelled axes.
# 2. With `T_0` = 5 and `T_mult` = 3, when are the first five restarts? Check your answer
#    with `cycle_start`, then with the formula for $B_k$.
# 3. Plot SGDR with `T_0` = 10, `T_mult` = 1.5. Are the restarts at whole epochs? Use
#    `cycle_start` to find out.
# 4. A training run has a budget of 200 epochs and you want four snapshots at the ends of
#    cycles of equal length. Which `T_0` and `T_mult` do you choose, and at which epochs are
#    the snapshots?
# 5. Compare `decay_mode="peak"` and `decay_mode="amplitude"` with `peak_decay` = 0.5 on a
#    cycle whose floor is not zero. Which one keeps the floor the same?
