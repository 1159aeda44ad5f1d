"""Generated TSP instances to tune the annealer's defaults on (never TSPLIB files it is judged on).

Five families, each seeded, 150-300 cities, integer coordinates and TSPLIB's rounded
``EUC_2D`` distances:

- ``uniform``: cities uniform in a square (the random instances of Johnson & McGeoch 1997).
- ``clustered``: cities in Gaussian clusters around uniform centres (their clustered family).
- ``lattice``: the points of a square lattice inside a few overlapping rectangles, with holes
  (a share of the points left out, some in whole blocks) and a little jitter on some points:
  many equal distances, like a printed-circuit drilling plan or a map drawn on grid paper.
- ``drilling``: rows of pins of a few component types (two rows of an IC, a connector strip,
  pairs of a resistor) placed on a coarse lattice, as on a drilled board.
- ``strokes``: lattice points along straight horizontal and vertical bands one to three points
  wide (their rows a little closer than the points along them), as where a plotter or a laser
  follows traces or lettering: the bands two points wide are ladders, where a tour along one
  side and back along the other and a tour zigzagging across are nearly equally long.

``python benchmarks/tsp_instances.py DIR`` writes ``family-n-seed.tsp`` files and an
``optima.csv`` there, in the form ``bench_simulated.py --instances DIR`` reads. The lengths in
it are the best known to this script, not proven optima: the shortest of OR-Tools' guided
local search (``--seconds`` each, when it is installed) and ``--runs`` long runs of the
annealer with its defaults, so a gap against them is an upper bound on the true one, and can
be negative when a tuned run beats them.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Any

import numpy as np

FAMILIES = ("uniform", "clustered", "lattice", "drilling", "strokes")


def uniform(n: int, rng: np.random.Generator) -> np.ndarray[Any, np.dtype[np.float64]]:
    """`n` cities uniform in a 1000 x 1000 square, coordinates rounded to integers."""
    return np.round(rng.uniform(0, 1000, (n, 2)))


def clustered(n: int, rng: np.random.Generator) -> np.ndarray[Any, np.dtype[np.float64]]:
    """`n` cities in n/25 Gaussian clusters (sd 1000/sqrt(n)) around uniform centres."""
    centres = rng.uniform(0, 1000, (max(2, n // 25), 2))
    which = rng.integers(0, len(centres), n)
    points = centres[which] + rng.normal(0, 1000 / np.sqrt(n), (n, 2))
    return _distinct(np.round(points), rng)


def lattice(n: int, rng: np.random.Generator) -> np.ndarray[Any, np.dtype[np.float64]]:
    """`n` lattice points of spacing 5-20 inside overlapping rectangles, with holes and jitter."""
    spacing = int(rng.integers(5, 21))
    side = int(np.ceil(np.sqrt(2.5 * n)))
    mask = np.zeros((side, side), dtype=bool)
    for _ in range(int(rng.integers(3, 7))):  # a union of rectangles: an irregular outline
        h, w = rng.integers(side // 4, side // 2 + 2, 2)
        r, c = rng.integers(0, side - h + 1), rng.integers(0, side - w + 1)
        mask[r : r + h, c : c + w] = True
    for _ in range(int(rng.integers(1, 4))):  # holes in whole blocks
        h, w = rng.integers(1, max(2, side // 6), 2)
        r, c = rng.integers(0, side - h + 1), rng.integers(0, side - w + 1)
        mask[r : r + h, c : c + w] = False
    cells = np.argwhere(mask)
    if len(cells) < n:  # too small an outline: fill the rest of the square
        rest = np.argwhere(~mask)
        cells = np.vstack([cells, rest[rng.permutation(len(rest))[: n - len(cells)]]])
    cells = cells[rng.permutation(len(cells))[:n]]  # single holes: the points left out
    points = spacing * cells.astype(np.float64)
    jitter = rng.random(n) < 0.15  # some points a unit or two off the lattice
    points[jitter] += rng.integers(-2, 3, (int(jitter.sum()), 2))
    return _distinct(points, rng)


def drilling(n: int, rng: np.random.Generator) -> np.ndarray[Any, np.dtype[np.float64]]:
    """`n` pins of IC, connector and two-pin components placed on a board's coarse lattice."""
    pitch = int(rng.integers(4, 11))  # the distance between neighbouring pins
    points: list[tuple[int, int]] = []
    taken: set[tuple[int, int]] = set()
    board = int(pitch * 4 * np.sqrt(n))
    while len(points) < n:
        kind = rng.random()
        x0 = int(rng.integers(0, board // pitch)) * pitch
        y0 = int(rng.integers(0, board // pitch)) * pitch
        vertical = rng.random() < 0.5
        if kind < 0.45:  # an IC: two rows of 4-10 pins, 3 pitches apart
            length = int(rng.integers(4, 11))
            pins = [(k, row * 3) for k in range(length) for row in (0, 1)]
        elif kind < 0.7:  # a connector strip: one row of 5-20 pins
            pins = [(k, 0) for k in range(int(rng.integers(5, 21)))]
        else:  # a resistor or capacitor: two pins 3-5 pitches apart
            pins = [(0, 0), (int(rng.integers(3, 6)), 0)]
        for a, b in pins:
            a, b = (b, a) if vertical else (a, b)
            point = (x0 + a * pitch, y0 + b * pitch)
            if point not in taken and len(points) < n:
                taken.add(point)
                points.append(point)
    return np.array(points, dtype=np.float64)


def strokes(n: int, rng: np.random.Generator) -> np.ndarray[Any, np.dtype[np.float64]]:
    """`n` lattice points on horizontal and vertical bands 1-3 points wide, some crossing."""
    along = int(rng.integers(12, 25))  # the spacing along a band
    across = round(float(along * rng.uniform(0.6, 1.0)))  # between a band's rows
    side = int(along * 2.2 * np.sqrt(n))
    taken: set[tuple[int, int]] = set()
    points: list[tuple[int, int]] = []
    while len(points) < n:
        width = int(rng.choice([1, 2, 2, 2, 3]))
        length = int(rng.integers(4, 16))
        x0 = int(rng.integers(0, side // along)) * along
        y0 = int(rng.integers(0, side // across)) * across
        vertical = rng.random() < 0.5
        for k in range(length):
            for w in range(width):
                a, b = k * along, w * across
                point = (x0 + b, y0 + a) if vertical else (x0 + a, y0 + b)
                if point not in taken and len(points) < n:
                    taken.add(point)
                    points.append(point)
    return np.array(points, dtype=np.float64)


def _distinct(points: np.ndarray[Any, Any], rng: np.random.Generator) -> np.ndarray[Any, Any]:
    """`points` with duplicates moved one unit at a time until all are distinct."""
    seen: set[tuple[float, float]] = set()
    out = points.copy()
    for k in range(len(out)):
        while (out[k, 0], out[k, 1]) in seen:
            out[k] += rng.integers(-1, 2, 2)
        seen.add((out[k, 0], out[k, 1]))
    return out


def generate(family: str, n: int, seed: int) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The coordinates of instance (`family`, `n`, `seed`): the same for the same arguments."""
    if family not in FAMILIES:
        raise ValueError(f"generate: family must be one of {', '.join(FAMILIES)}, got {family!r}")
    makers = {
        "uniform": uniform,
        "clustered": clustered,
        "lattice": lattice,
        "drilling": drilling,
        "strokes": strokes,
    }
    rng = np.random.default_rng([FAMILIES.index(family), n, seed])
    points = makers[family](n, rng)
    return points - points.min(axis=0)  # coordinates from 0


def suite(sizes: tuple[int, ...] = (160, 220, 290), seeds: int = 1) -> list[tuple[str, int, int]]:
    """The tuning set: every family at every size, `seeds` instances each."""
    return [(f, n, s) for f in FAMILIES for n in sizes for s in range(seeds)]


def write_tsp(path: Path, name: str, points: np.ndarray[Any, Any]) -> None:
    lines = [
        f"NAME : {name}",
        "COMMENT : generated by benchmarks/tsp_instances.py",
        "TYPE : TSP",
        f"DIMENSION : {len(points)}",
        "EDGE_WEIGHT_TYPE : EUC_2D",
        "NODE_COORD_SECTION",
    ]
    lines += [f"{k + 1} {x:.0f} {y:.0f}" for k, (x, y) in enumerate(points)]
    path.write_text("\n".join([*lines, "EOF", ""]), encoding="utf-8")


def best_known(problem: Any, seconds: float, runs: int, steps: int) -> float:
    """The shortest tour of OR-Tools GLS (`seconds`) and `runs` annealer runs of `steps` moves."""
    from bench_simulated import ortools_length

    from annealing.simulated import anneal

    lengths = [anneal(problem, steps=steps, seed=1000 + s).best_energy for s in range(runs)]
    if seconds > 0:
        theirs = ortools_length(problem, seconds)
        if theirs is not None:
            lengths.append(theirs)
    return min(lengths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--sizes", default="160,220,290", help="comma-separated city counts")
    parser.add_argument("--seeds", type=int, default=1, help="instances per family and size")
    parser.add_argument("--seconds", type=float, default=10.0, help="OR-Tools time per instance")
    parser.add_argument("--runs", type=int, default=2, help="annealer runs per instance")
    parser.add_argument("--steps", type=float, default=1e7, help="moves per annealer run")
    args = parser.parse_args()
    from annealing.simulated import TravellingSalesman

    args.directory.mkdir(parents=True, exist_ok=True)
    sizes = tuple(int(v) for v in args.sizes.split(","))
    rows = []
    for family, n, seed in suite(sizes, args.seeds):
        name = f"{family}-{n}-{seed}"
        path = args.directory / f"{name}.tsp"
        write_tsp(path, name, generate(family, n, seed))
        problem = TravellingSalesman.from_tsplib(path)
        length = best_known(problem, args.seconds, args.runs, int(args.steps))
        rows.append((name, n, "EUC_2D", f"{length:.0f}"))
        print(f"  {name}: {length:.0f}", file=sys.stderr)
    with open(args.directory / "optima.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["instance", "dimension", "edge_weight_type", "optimal_tour_length"])
        writer.writerows(rows)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
