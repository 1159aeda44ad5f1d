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
# # Your first cosine schedule
#
# **What you will learn**
#
# - how to define a [cosine annealing](../../reference/glossary/cosine-annealing/) schedule
#   with `annealing.Cosine`, evaluate it at one step or at many, and plot it;
# - that the library computes exactly the formula of the SGDR paper, by writing the formula
#   by hand and comparing the two;
# - what each of the three parameters does: the start value η_max, the floor η_min and the
#   length T;
# - what happens after the last step, and two properties of the curve you can check yourself
#   (its average value and how much of the range is left at each point of the run).
#
# A [learning-rate schedule](../../reference/glossary/learning-rate-schedule/) is a function
# of the training step. In `annealing` it is also a value: you can print it, compare it and
# save it.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

import annealing as an

# %% [markdown]
# ## Define and evaluate
#
# A cosine schedule needs a start value, an end value and a number of steps.

# %%
lr = an.Cosine(start=0.1, end=0.0, steps=1000)
print(lr)

# %% [markdown]
# Call it with a step to get the learning rate at that step. Fractional steps are allowed,
# which is how SGDR updates the learning rate within an epoch.

# %%
print(lr(0), lr(250), lr(500), lr(500.5), lr(1000))

# %% [markdown]
# Call it with a NumPy array to evaluate many steps at once. The values are the same as
# one call per step.

# %%
steps = np.arange(0, 1001)
values = lr(steps)
print(values[:3], values[-3:])
assert all(values[t] == lr(int(t)) for t in (0, 1, 137, 500, 999, 1000))

# %% [markdown]
# ## Plot it
#
# `an.plot` draws one or more schedules and returns the matplotlib axes, so you can relabel
# them. Here we label the axes with what they mean in training.

# %% alt="A cosine curve falling smoothly from a learning rate of 0.1 at step 0 to 0 at step 1000: flat at the start, steepest at the middle, flat again at the end"
ax = an.plot(lr)  # the legend names the schedule and its parameters in words
ax.set_xlabel("training step t")
ax.set_ylabel("learning rate η_t")
ax.set_title("A cosine schedule")
plt.show()

# %% [markdown]
# ## The formula by hand, next to the library
#
# Loshchilov and Hutter (SGDR, ICLR 2017, equation 5) write the schedule as
#
# $$\begin{aligned}
# \eta_t &= \eta_{\min} + \tfrac12(\eta_{\max} - \eta_{\min}) \\
# &\quad \cdot \left(1 + \cos\frac{\pi t}{T}\right), \qquad 0 \le t \le T.
# \end{aligned}$$
#
# Here is that formula typed in directly, with NumPy, and the largest difference from the
# library over every step of the run, including fractional ones.

# %%
eta_max, eta_min, T = 0.1, 0.0, 1000


def by_hand(t):
    return eta_min + 0.5 * (eta_max - eta_min) * (1 + np.cos(np.pi * t / T))


t = np.linspace(0, T, 20_001)
difference = np.max(np.abs(by_hand(t) - lr(t)))
print(f"largest difference over {t.size} points: {difference:.2e}")
assert difference < 1e-15

# %% [markdown]
# The two agree to within rounding: the difference printed above is many orders of
# magnitude below the values themselves (about 0.1). The library evaluates an equivalent
# form, using $1 + \cos x = 2\cos^2(x/2) = 2\sin^2((\pi - x)/2)$: $\cos^2$ in the first
# half and $\sin^2$ in the second. Near the floor, $1 + \cos$ adds a number close to −1 to 1
# and loses digits; the $\sin^2$ form does not. Just before the end of the run the two
# disagree in the sixth significant digit, and the library's value is the accurate one:

# %%
near_end = 999.999
accurate = eta_min + (eta_max - eta_min) * math.sin(math.pi / 2 * (T - near_end) / T) ** 2
print("sin² form:", accurate)
print("by hand:", by_hand(near_end))
print("library:", lr(near_end))
print("relative difference:", abs(by_hand(near_end) - lr(near_end)) / lr(near_end))

# %% [markdown]
# ## What η_max, η_min and T do
#
# - **[η_max](../../reference/glossary/eta-max/)** (`start`) is the value at step 0: the largest
#   learning rate of the run.
# - **[η_min](../../reference/glossary/eta-min/)** (`end`) is the floor, reached at step T.
# - **T** (`steps`) is the length of the decay: how long the curve takes to go from
#   η_max to η_min.
#
# Changing one at a time shows each role.

# %% alt="Three stacked panels of cosine schedules. Top: three peaks (0.05, 0.1, 0.2) scale the whole curve. Middle: three floors (0, 0.02, 0.05) lift the end of the curve. Bottom: three lengths (250, 500, 1000 steps) stretch the curve, each then holding its floor"
fig, axes = plt.subplots(3, 1, figsize=(5, 8.6), layout="constrained")
an.plot(
    *(an.Cosine(start=s, end=0.0, steps=1000) for s in (0.05, 0.1, 0.2)),
    ax=axes[0],
    labels=[f"η_max = {s}" for s in (0.05, 0.1, 0.2)],
)
an.plot(
    *(an.Cosine(start=0.1, end=e, steps=1000) for e in (0.0, 0.02, 0.05)),
    ax=axes[1],
    labels=[f"η_min = {e}" for e in (0.0, 0.02, 0.05)],
)
an.plot(
    *(an.Cosine(start=0.1, end=0.0, steps=n) for n in (250, 500, 1000)),
    ax=axes[2],
    steps=1100,
    labels=[f"T = {n}" for n in (250, 500, 1000)],
)
for ax, title in zip(axes, ["changing η_max", "changing η_min", "changing T"], strict=True):
    ax.set_title(title)
    ax.set_xlabel("training step t")
    ax.set_ylabel("learning rate η_t")
    ax.legend(loc="upper right")  # inside the panel: the panels are stacked
plt.show()

# %% [markdown]
# ## After the last step
#
# Past `steps`, `annealing.Cosine` holds η_min. Not every library does this: PyTorch's
# `CosineAnnealingLR` keeps following the cosine, so the learning rate climbs back up if you
# train longer than `T_max` steps. Tutorial 4 compares the frameworks. Here is what the
# formula typed in above does past T, next to the library:

# %% alt="Over 2000 steps of a schedule set up for 1000: the library holds the floor of 0 after step 1000, while the bare formula rises again to 0.1 at step 2000, a periodic cosine"
after = np.arange(0, 2001)
fig, ax = plt.subplots(figsize=(5, 3.4), layout="constrained")
ax.plot(after, lr(after), label="annealing.Cosine (holds η_min)")
ax.plot(after, by_hand(after), "--", label="the bare formula (periodic)")
ax.axvline(T, color="grey", lw=0.8)
ax.set_xlabel("training step t")
ax.set_ylabel("learning rate η_t")
ax.legend(loc="lower left")
plt.show()
print("step 1500:", lr(1500), "(library)", by_hand(1500), "(formula)")

# %% [markdown]
# ## Two properties you can check
#
# **The average.** Over one run, the cosine's mean learning rate is (η_max + η_min)/2, the
# same as a straight line between the same two values. The shapes differ in *when* the
# learning rate is spent, not in how much.

# %%
fine = np.linspace(0, T, 1_000_001)
cosine_mean = np.mean(lr(fine))
linear_mean = np.mean(an.Linear(start=0.1, end=0.0, steps=T)(fine))
print(f"mean of cosine: {cosine_mean:.6f}   mean of linear: {linear_mean:.6f}")
print(f"(η_max + η_min) / 2 = {(eta_max + eta_min) / 2:.6f}")

# %% [markdown]
# **How much is left.** The cosine is flat at both ends and falls fastest in the middle.
# The table gives the fraction of the range (η_max − η_min) still left at several points of
# the run, and the slope at the midpoint compared with a straight line.

# %%
print("fraction of the run   fraction of the range left")
for fraction in (0.1, 0.25, 0.5, 0.75, 0.9):
    left = (lr(fraction * T) - eta_min) / (eta_max - eta_min)
    print(f"{fraction:>19.0%}   {left:>26.1%}")

h = 1e-3
midpoint_slope = (lr(T / 2 + h) - lr(T / 2 - h)) / (2 * h)
linear_slope = -(eta_max - eta_min) / T
print(f"slope at the midpoint / slope of the line = {midpoint_slope / linear_slope:.4f}")
print(f"π/2 = {math.pi / 2:.4f}")

# %% [markdown]
# ## Schedules are values
#
# A schedule has a `repr` you can paste back into Python (or read safely with `an.parse`,
# which accepts schedules and numbers only), compares equal by value, and round-trips through a
# plain dictionary (which you can store as JSON in a checkpoint).

# %%
saved = lr.to_dict()
print(saved)
print(an.from_dict(saved) == lr, an.parse(repr(lr)) == lr)

# %% [markdown]
# ## Exercises
#
# 1. Make a schedule that decays from 3e-4 to 10% of that value over 5000 steps (the
#    "decay to 10% of the peak" used by several language models). What is its value at step
#    2500? Check your answer with the formula.
# 2. Using `by_hand`, find the step at which the learning rate first drops below half of
#    η_max when η_min = 0. Does the answer depend on η_max? On T?
# 3. `Cosine` has an `exponent` parameter. Plot `exponent` = 0.5, 1 and 2 on one axes and
#    describe in one sentence what it changes. Label both axes.
# 4. Compute the mean learning rate of `an.Exponential(0.1, end=0.001, steps=1000)` over the
#    run and compare it with the cosine's. Which schedule spends more learning rate early?
