"""Named build-time figures that are not schedule curves: ``<!-- figure: NAME | alt=... -->``.

Each figure is computed from the library when the site is built, on a small generated
problem (no data files): :func:`tour_cooling` shows a travelling-salesman tour at a few points
of one simulated-annealing run, and :func:`acceptance` the fraction of moves accepted against
the temperature, for three cooling schedules; :func:`large_tour` a tour of 100,000 cities, whole
and in close-up. :func:`laws_bound` sets the convex bound of
Schaipp et al. beside real training curves, from the logs that :mod:`annealing.laws` ships.

>>> sorted(FIGURES)
['laws-bound', 'sa-acceptance', 'sa-large-tour', 'sa-tour-cooling']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: The generated instance: this many cities, uniform in the unit square, with this seed.
CITIES = 40
SEED = 0
STEPS = 60_000


def _cities() -> Any:
    import numpy as np

    from annealing import simulated as sa

    xy = np.random.default_rng(SEED).uniform(0.0, 1.0, size=(CITIES, 2))
    return sa.TravellingSalesman(xy, name=f"{CITIES} random cities")


def _cooling() -> Any:
    """The default cooling of :func:`annealing.simulated.anneal`, made explicit."""
    import annealing as an
    from annealing import simulated as sa

    cities = _cities()
    t0 = sa.initial_temperature(cities, 0.8)
    return cities, an.Exponential(t0, end=t0 / 1000, steps=STEPS)


def tour_cooling(width: float) -> Any:
    """Four snapshots of one run: the tour at moves 1,000, 12,000, 24,000 and 60,000."""
    import matplotlib.pyplot as plt
    import numpy as np

    from annealing import simulated as sa

    cities, schedule = _cooling()
    frames = []
    result = None
    for stop in (1_000, 12_000, 24_000, STEPS):

        def until(status: Any, stop: int = stop) -> bool:
            return bool(status.move >= stop)

        if result is None:
            result = sa.anneal(cities, schedule, STEPS, seed=SEED, callback=until)
        else:
            result = sa.anneal(cities, resume=result.checkpoint, callback=until)
        frames.append((result.moves, float(schedule(result.moves - 1)), result.state))
    fig, axes = plt.subplots(2, 2, figsize=(width, width + 0.5), dpi=100, layout="constrained")
    xy = cities.coordinates
    for ax, (moves, temperature, tour) in zip(axes.flat, frames, strict=True):
        loop = xy[np.r_[tour, tour[:1]]]
        ax.plot(loop[:, 0], loop[:, 1], "-", lw=1.2, color="#0072B2")
        ax.plot(xy[:, 0], xy[:, 1], "o", ms=3.5, color="#D55E00")
        ax.set_title(f"move {moves:,}\nT = {temperature:.2g}, length {cities.energy(tour):.2f}")
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(True)
    return fig


def acceptance(width: float) -> Any:
    """Acceptance rate against temperature for three schedules between the same T0 and T1."""
    import matplotlib.pyplot as plt

    import annealing as an
    from annealing import simulated as sa

    cities, geometric = _cooling()
    t0, t1 = float(geometric(0)), float(geometric(STEPS))
    runs = {
        "geometric (the default)": sa.anneal(cities, geometric, STEPS, seed=SEED),
        "cosine in T": sa.anneal(cities, an.Cosine(t0, t1, STEPS), STEPS, seed=SEED),
        "linear in T": sa.anneal(cities, an.Linear(t0, t1, STEPS), STEPS, seed=SEED),
    }
    fig, ax = plt.subplots(figsize=(width, 3.6), dpi=100, layout="constrained")
    for (name, run), marker in zip(runs.items(), ("o", "s", "^"), strict=True):
        every = slice(None, None, 3)  # a third of the windows: the same curve, a lighter SVG
        t, rate = run.trace.temperature[every], run.trace.acceptance[every]
        ax.plot(t, rate, marker, ms=3, label=name, alpha=0.8)
    ax.set_xscale("log")
    ax.set_xlabel("temperature T (log scale)")
    ax.set_ylabel("fraction of moves accepted")
    ax.set_ylim(0, 1)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", frameon=False, markerscale=1.6)
    return fig


#: The large instance of :func:`large_tour`: cities uniform in the unit square, and moves.
LARGE_CITIES = 100_000
LARGE_MOVES = 2_000_000


def large_tour(width: float) -> Any:
    """A tour of :data:`LARGE_CITIES` random cities after :data:`LARGE_MOVES` moves of the
    default annealer (distances from coordinates, neighbour lists, a space-filling-curve
    start): the whole tour, and a close-up of one corner where its edges can be seen."""
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import Rectangle

    from annealing import simulated as sa

    xy = np.random.default_rng(SEED).uniform(0.0, 1.0, size=(LARGE_CITIES, 2))
    cities = sa.TravellingSalesman(xy, name=f"{LARGE_CITIES:,} random cities")
    result = sa.anneal(cities, steps=LARGE_MOVES, seed=SEED)
    loop = xy[np.r_[result.best_state, result.best_state[:1]]]
    fig, (whole, close) = plt.subplots(
        1, 2, figsize=(width, width / 2 + 0.6), dpi=100, layout="constrained"
    )
    whole.plot(loop[:, 0], loop[:, 1], "-", lw=0.15, color="#0072B2", rasterized=True)
    side = 0.06
    whole.add_patch(Rectangle((0, 0), side, side, fill=False, lw=1.2, color="#D55E00"))
    whole.set_title(f"{LARGE_CITIES:,} cities, length {result.best_energy:.1f}")
    inside = (xy[:, 0] < side) & (xy[:, 1] < side)
    close.plot(loop[:, 0], loop[:, 1], "-", lw=0.8, color="#0072B2", rasterized=True)
    close.plot(xy[inside, 0], xy[inside, 1], "o", ms=1.5, color="#D55E00", rasterized=True)
    close.set_xlim(0, side)
    close.set_ylim(0, side)
    close.set_title(f"the corner, {int(inside.sum())} cities")
    for ax in (whole, close):
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
    return fig


#: The logged model and horizon of :func:`laws_bound`.
LAWS_MODEL = "slimpajama-llama_norm-209M-bs200"
LAWS_HORIZON = 50_000


def laws_runs() -> list[tuple[str, Any]]:
    """The three runs of :func:`laws_bound`, with their labels: cosine and WSD (20% linear
    cooldown) of :data:`LAWS_HORIZON` steps, and the constant run (longer, cut there)."""
    from annealing.laws import logs

    runs = [r for r in logs() if r.model.name == LAWS_MODEL]

    def one(kind: str, steps: int | None, cooldown: float) -> Any:
        return next(
            r
            for r in runs
            if r.schedule.kind == kind
            and (steps is None or r.schedule.steps == steps)
            and r.schedule.cooldown == cooldown
        )

    return [
        ("cosine, peak 1e-3, to 1e-4", one("cosine", LAWS_HORIZON, 1.0)),
        ("WSD, peak 5e-4, 20% linear cooldown", one("wsd", LAWS_HORIZON, 0.2)),
        ("constant 5e-4 (no cooldown)", one("wsd", None, 0.0)),
    ]


def laws_bound(width: float) -> Any:
    """Observed validation loss (top) and the Thm. 1 bound of the same schedules (bottom).

    Each schedule's shape (its rates divided by their peak) is scaled by its own best
    multiplier for the bound at the horizon (:func:`annealing.laws.optimal_scale`, D = G = 1),
    as Schaipp et al. compare schedules each at its tuned base learning rate; the bound at
    step t is that of the schedule stopped at t (:func:`annealing.laws.bound_curve`).
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from annealing.laws import bound_curve, optimal_scale

    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(width, 6.2), dpi=100, sharex=True, layout="constrained"
    )
    for (label, run), style in zip(laws_runs(), ("-", "--", ":"), strict=True):
        keep = (run.steps > 0) & (run.steps <= LAWS_HORIZON)
        top.plot(run.steps[keep] / 1000, run.losses[keep], style, lw=1.8, label=label)
        shape = run.lr()[:LAWS_HORIZON]
        shape = shape / shape.max()
        scale = optimal_scale(shape, LAWS_HORIZON).scale
        at = np.unique(np.geomspace(300, LAWS_HORIZON, 80).astype(np.int64))
        bottom.plot(at / 1000, bound_curve(scale * shape, LAWS_HORIZON, at=at), style, lw=1.8)
    top.set_ylabel("validation loss")
    top.set_ylim(2.8, 3.4)
    bottom.set_yscale("log")
    bottom.set_ylim(8e-3, 8e-2)
    bottom.set_ylabel("bound (D = G = 1)")
    bottom.set_xlabel("step (thousands)")
    for ax in (top, bottom):
        ax.grid(True, alpha=0.3)
    fig.legend(loc="outside lower center", frameon=False, ncols=1, handlelength=2.6)
    return fig


FIGURES: dict[str, Callable[[float], Any]] = {
    "sa-tour-cooling": tour_cooling,
    "sa-acceptance": acceptance,
    "sa-large-tour": large_tour,
    "laws-bound": laws_bound,
}


def draw(name: str, width: float) -> Any:
    """The matplotlib Figure called `name`, `width` inches wide."""
    try:
        make = FIGURES[name]
    except KeyError:
        raise ValueError(
            f"figure marker: unknown figure {name!r}; allowed: {', '.join(sorted(FIGURES))}"
        ) from None
    return make(width)
