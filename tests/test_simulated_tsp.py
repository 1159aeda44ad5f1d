"""The travelling salesman problem (annealing/simulated/tsp.py) and TSPLIB files."""

from __future__ import annotations

import csv
import statistics
from pathlib import Path

import numpy as np
import pytest
from support import tsplib

from annealing.simulated import TravellingSalesman, anneal, read_tour

INSTANCES = ["berlin52", "eil51", "st70", "kroA100"]


@pytest.mark.parametrize("name", INSTANCES)
def test_tsplib_optima_recomputed_with_nint(name: str) -> None:
    problem = TravellingSalesman.from_tsplib(tsplib(f"{name}.tsp"))
    with open(tsplib("optima.csv"), encoding="utf-8") as handle:
        optima = {
            row["instance"]: float(row["optimal_tour_length"]) for row in csv.DictReader(handle)
        }
    assert problem.metric == "EUC_2D" and problem.name == name
    tour = read_tour(tsplib(f"{name}.opt.tour"))
    assert problem.energy(tour) == optima[name]
    assert problem.optimum == optima[name]  # found beside the .tsp file


def test_berlin52_reaches_a_small_gap_with_a_modest_budget() -> None:
    problem = TravellingSalesman.from_tsplib(tsplib("berlin52.tsp"))
    gaps = [anneal(problem, steps=300_000, seed=seed).best_energy / 7542 - 1 for seed in range(3)]
    assert statistics.median(gaps) <= 0.04


def test_nint_rounds_halves_up_unlike_round() -> None:
    # |(0,0)-(2.5,0)| = 2.5: nint gives 3, Python's round gives 2
    cities = TravellingSalesman([(0, 0), (2.5, 0), (0, 10), (10, 10)], metric="EUC_2D")
    assert cities.distances[0, 1] == 3.0
    assert round(2.5) == 2


def test_other_tsplib_metrics() -> None:
    points = [(0, 0), (10, 0), (0, 3.2), (7, 7)]
    ceil = TravellingSalesman(points, metric="CEIL_2D").distances
    assert ceil[0, 2] == 4.0 and ceil[0, 1] == 10.0
    att = TravellingSalesman(points, metric="ATT").distances
    assert att[0, 1] == 4.0  # r = sqrt(100/10) = 3.16, nint 3 < r, so 4
    # GEO: one degree of longitude on the equator, with TSPLIB's pi and earth radius
    geo = TravellingSalesman([(0, 0), (0, 1.0), (10, 0), (10, 20.30)], metric="GEO").distances
    assert geo[0, 1] == 112.0
    for d in (ceil, att, geo):
        assert np.array_equal(d, d.T) and np.all(np.diag(d) == 0) and np.all(d == np.floor(d))


@pytest.mark.parametrize("metric", ["euclidean", "EUC_2D", "CEIL_2D", "ATT", "GEO"])
def test_delta_is_the_change_in_length(metric: str) -> None:
    rng = np.random.default_rng(0)
    problem = TravellingSalesman(rng.uniform(0, 80, (15, 2)), metric=metric)
    tour = problem.random_state(rng)
    for _ in range(300):
        move = problem.propose(tour, rng)
        assert 0 <= move[0] < move[1] < problem.n
        before = problem.energy(tour)
        change = problem.delta(tour, move)
        tour = problem.apply(tour, move)
        assert problem.energy(tour) == pytest.approx(before + change, abs=1e-9)
        assert sorted(tour) == list(range(problem.n))


@pytest.mark.parametrize(
    ("problem", "steps"),
    [(TravellingSalesman.circle(30), 100_000), (TravellingSalesman.grid(4, 6), 50_000)],
    ids=["circle30", "grid4x6"],
)
def test_generated_instances_are_solved(problem: TravellingSalesman, steps: int) -> None:
    result = anneal(problem, steps=steps, seed=0)
    assert result.best_energy == pytest.approx(problem.optimum, rel=1e-9)


def test_generators_know_their_optimum() -> None:
    assert TravellingSalesman.circle(4, radius=2.0).optimum == pytest.approx(4 * 2 * np.sqrt(2))
    grid = TravellingSalesman.grid(2, 3, spacing=2.0)
    assert grid.optimum == 12.0 and grid.energy([0, 1, 2, 5, 4, 3]) == 12.0
    with pytest.raises(ValueError, match="rows \\* cols must be even"):
        TravellingSalesman.grid(3, 3)
    with pytest.raises(ValueError, match="n must be an integer >= 4, got 3"):
        TravellingSalesman.circle(3)


def test_bad_coordinates_and_metric() -> None:
    with pytest.raises(ValueError, match=r"shape \(n, 2\) with n >= 4, got shape \(3, 2\)"):
        TravellingSalesman([(0, 0), (1, 1), (2, 2)])
    with pytest.raises(ValueError, match=r"metric must be one of .* got 'MAN_2D'"):
        TravellingSalesman([(0, 0), (1, 1), (2, 2), (3, 3)], metric="MAN_2D")


GOOD = """NAME : tiny
TYPE : TSP
DIMENSION : 4
EDGE_WEIGHT_TYPE : EUC_2D
NODE_COORD_SECTION
1 0 0
2 0 10
3 10 10
4 10 0
EOF
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tiny.tsp"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_a_small_file_and_its_tour(tmp_path: Path) -> None:
    problem = TravellingSalesman.from_tsplib(write(tmp_path, GOOD))
    assert problem.n == 4 and problem.optimum is None
    (tmp_path / "tiny.opt.tour").write_text("TOUR_SECTION\n1\n2\n3\n4\n-1\nEOF\n")
    assert TravellingSalesman.from_tsplib(tmp_path / "tiny.tsp").optimum == 40.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("2 0 10", "2 0 ten"), "line 7: expected 'index x y' with numbers"),
        (GOOD.replace("2 0 10", "2 0"), "line 7: expected 'index x y' in NODE_COORD_SECTION"),
        (GOOD.replace("3 10 10", "2 10 10"), "line 8: city 2 appears twice"),
        (GOOD.replace("NAME : tiny", "NAME tiny"), "line 1: expected 'KEY : VALUE'"),
        (GOOD.replace("NODE_COORD_SECTION", "EDGE_WEIGHT_SECTION"), "line 5: only NODE_COORD"),
        (GOOD.replace("EUC_2D", "EXPLICIT"), "EDGE_WEIGHT_TYPE must be one of .* got 'EXPLICIT'"),
        (GOOD.replace("TYPE : TSP", "TYPE : ATSP"), "TYPE must be TSP, got 'ATSP'"),
        (GOOD.replace("DIMENSION : 4", "DIMENSION : 5"), "must list cities 1..5 once each"),
        (GOOD.replace("DIMENSION : 4\n", ""), "DIMENSION must be a whole number, got None"),
    ],
)
def test_malformed_files_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TravellingSalesman.from_tsplib(write(tmp_path, text))


def test_malformed_tour(tmp_path: Path) -> None:
    path = tmp_path / "bad.tour"
    path.write_text("TOUR_SECTION\n1\nx\n-1\n")
    with pytest.raises(ValueError, match="line 3: expected a city number, got 'x'"):
        read_tour(path)
