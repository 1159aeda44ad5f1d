"""The travelling salesman problem (annealing/simulated/tsp.py) and TSPLIB files (_tsplib.py)."""

from __future__ import annotations

import csv
import os
import re
import statistics
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import tsplib

from annealing.simulated import TravellingSalesman, _compiled, anneal, read_tour
from annealing.simulated._tsplib import MAX_BYTES

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
        if move is None:
            continue
        assert len(move) in (2, 5) and 0 <= move[0] < problem.n
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
    for call, error, message in [
        (lambda: TravellingSalesman.circle(3), ValueError, "n must be an integer from 4"),
        (lambda: TravellingSalesman.circle(4.0), ValueError, "n must be an integer"),
        (
            lambda: TravellingSalesman.circle(10**6 + 1),
            ValueError,
            "n .* to 1000000, got 1000001",
        ),
        (lambda: TravellingSalesman.circle(5, "1"), TypeError, "radius must be a real number"),
        (lambda: TravellingSalesman.circle(5, np.inf), ValueError, "radius must be a finite"),
        (lambda: TravellingSalesman.circle(5, -1), ValueError, "radius must be > 0, got -1.0"),
        (lambda: TravellingSalesman.grid(1, 4), ValueError, "rows must be an integer"),
        (lambda: TravellingSalesman.grid(2000, 2000), ValueError, "rows \\* cols must be at most"),
        (lambda: TravellingSalesman.grid(2, 2, 0), ValueError, "spacing must be > 0, got 0.0"),
        (lambda: TravellingSalesman.grid(2, 2, None), TypeError, "spacing must be a real"),
    ]:
        with pytest.raises(error, match=r"TravellingSalesman\.(circle|grid): .*" + message):
            call()
    assert TravellingSalesman.circle(np.int64(5)).n == 5


@pytest.mark.parametrize(
    ("coordinates", "error", "message"),
    [
        ([(0, 0), (1, 1), (2, 2)], ValueError, r"n >= 4, n <= 1000000, got shape \(3, 2\)"),
        ([(0, 0, 0)] * 4, ValueError, r"got shape \(4, 3\)"),
        (
            [(0, 0), (1,), (2, 2), (3, 3)],
            ValueError,
            r"coordinates must be an array of real numbers \(rows of one length\), "
            r"got \[\(0, 0\), \(1,\)",
        ),
        ([(0, 0), (1, "a"), (2, 2), (3, 3)], TypeError, "must be real numbers, got .* dtype <U"),
        ([(True, False)] * 4, TypeError, "must be real numbers, got .* dtype bool"),
        ([(1j, 0)] * 4, TypeError, "dtype complex128"),
        ([(0, 0), (1, np.nan), (2, 2), (3, 3)], ValueError, "coordinates must be finite"),
        ([(0, 0), (1, 1e200), (2, 2), (3, 3)], ValueError, "distances overflow"),
        ([(0, 0), (10**400, 1), (2, 2), (3, 3)], TypeError, "dtype object"),
        (np.zeros((1_000_001, 2)), ValueError, r"n <= 1000000, got shape \(1000001, 2\)"),
        ("abcd", TypeError, "dtype <U4"),
    ],
)
def test_bad_coordinates(coordinates, error, message) -> None:
    with pytest.raises(error, match="TravellingSalesman: .*" + message):
        TravellingSalesman(coordinates)


def test_bad_metric_name_and_optimum() -> None:
    square = [(0, 0), (1, 1), (2, 2), (3, 3)]
    with pytest.raises(ValueError, match=r"metric must be one of .* got 'MAN_2D'"):
        TravellingSalesman(square, metric="MAN_2D")
    with pytest.raises(ValueError, match=r"metric must be one of .* got \['EUC_2D'\]"):
        TravellingSalesman(square, metric=["EUC_2D"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="name must be a str or None, got 3"):
        TravellingSalesman(square, name=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"optimum must be >= 0, got -1.0"):
        TravellingSalesman(square, optimum=-1)
    with pytest.raises(ValueError, match="optimum must be a finite number"):
        TravellingSalesman(square, optimum=float("nan"))
    with pytest.raises(TypeError, match="optimum must be a real number, got '4'"):
        TravellingSalesman(square, optimum="4")  # type: ignore[arg-type]
    assert TravellingSalesman(square, optimum=Fraction(9, 2)).optimum == 4.5
    assert type(TravellingSalesman(square, optimum=np.float32(4)).optimum) is float


def test_check_state_and_fingerprint() -> None:
    cities = TravellingSalesman.circle(6)
    assert cities.check_state((5, 4, 3, 2, 1, np.int64(0))) == [5, 4, 3, 2, 1, 0]
    for tour, message in [
        ([0, 1, 2, 3, 4], "list each of the 6 cities once, got 5 entries"),
        ([0, 1, 2, 3, 4, 4], "city 4 appears twice"),
        ([0, 1, 2, 3, 4, 6], r"tour\[5\] must be from 0 to 5, got 6"),
        ([0, 1, 2, 3, 4, -1], r"tour\[5\] must be from 0 to 5, got -1"),
        ([0, 1, 2, 3, 4, 5.0], r"tour\[5\] must be a city index, got 5.0"),
        ([True, 1, 2, 3, 4, 5], r"tour\[0\] must be a city index, got True"),
        ("012345", "must be a list of the cities 0..5, got str"),
    ]:
        with pytest.raises(ValueError, match=message):
            cities.check_state(tour)
    same = TravellingSalesman.circle(6)
    assert cities.fingerprint() == same.fingerprint()
    assert cities.fingerprint() != TravellingSalesman.circle(6, radius=2.0).fingerprint()
    euc = TravellingSalesman(cities.coordinates, metric="EUC_2D")
    assert euc.fingerprint() != cities.fingerprint()
    moved = cities.coordinates.copy()
    moved[3, 1] = np.nextafter(moved[3, 1], 9.0)  # one ulp
    assert TravellingSalesman(moved).fingerprint() != cities.fingerprint()


def test_energy_checks_the_tour() -> None:
    with pytest.raises(ValueError, match="TravellingSalesman: city 1 appears twice in the tour"):
        TravellingSalesman.circle(4).energy([0, 1, 1, 2])
    with pytest.raises(ValueError, match=r"tour\[0\] must be from 0 to 3, got 99"):
        TravellingSalesman.circle(4).energy([99, 1, 2, 3])


def test_anneal_refuses_a_bad_initial_tour() -> None:
    with pytest.raises(ValueError, match="anneal: state: TravellingSalesman: city 1 appears twice"):
        anneal(TravellingSalesman.circle(5), steps=10, state=[0, 1, 1, 2, 3])


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


def write(tmp_path: Path, text: str | bytes, name: str = "tiny.tsp") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_reads_a_small_file_and_its_tour(tmp_path: Path) -> None:
    problem = TravellingSalesman.from_tsplib(write(tmp_path, GOOD))
    assert problem.n == 4 and problem.optimum is None and problem.name == "tiny"
    (tmp_path / "tiny.opt.tour").write_text("TOUR_SECTION\n1\n2\n3\n4\n-1\nEOF\n")
    assert TravellingSalesman.from_tsplib(tmp_path / "tiny.tsp").optimum == 40.0


def test_reader_accepts_what_tsplib_allows(tmp_path: Path) -> None:
    variants = [
        GOOD.replace("\n", "\r\n"),  # DOS line ends
        GOOD.replace("EOF\n", ""),  # no EOF
        GOOD.replace(" : ", ": ").replace("NAME: tiny", "NAME:tiny"),
        GOOD.replace("1 0 0\n2 0 10", "2 0 10\n1 0 0"),  # ids in any order
        GOOD.replace("NAME : tiny", "NAME : tiny\nCOMMENT : one\nCOMMENT : two"),
        GOOD.replace("NAME : tiny", "NAME : tiny\nCOMMENT : Gr\xf6tschel").encode("latin-1"),
        GOOD.replace("2 0 10", "  2   0.0e0   +1.0E1  "),
        "\ufeff" + GOOD,  # a byte order mark
        GOOD.replace("EOF\n", "EOF\nanything after EOF\n"),
        GOOD.replace(
            "EUC_2D", "EUC_2D\nNODE_COORD_TYPE : TWOD_COORDS\nEDGE_WEIGHT_FORMAT : FUNCTION"
        ),
    ]
    for k, text in enumerate(variants):
        problem = TravellingSalesman.from_tsplib(write(tmp_path, text, f"ok{k}.tsp"))
        assert problem.coordinates.tolist() == [[0, 0], [0, 10], [10, 10], [10, 0]], k
        assert problem.name == "tiny", k


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            GOOD.replace("2 0 10", "2 0 ten"),
            "7: the y coordinate of city 2 must be a decimal number, got 'ten'",
        ),
        (GOOD.replace("2 0 10", "2 0"), "7: expected 'id x y' in NODE_COORD_SECTION, got 2 values"),
        (GOOD.replace("2 0 10", "2 0 10 5"), "7: expected 'id x y' .* got 4 values"),
        (
            GOOD.replace("2 0 10", "2 nan 10"),
            "7: the x coordinate of city 2 must be a finite number, got 'nan'",
        ),
        (GOOD.replace("2 0 10", "2 -inf 10"), "7: the x .* must be a finite number, got '-inf'"),
        (GOOD.replace("2 0 10", "2 0 1e999"), "7: the y .* must be a finite number, got '1e999'"),
        (GOOD.replace("2 0 10", "2 0 1_0"), "7: the y .* must be a decimal number, got '1_0'"),
        (GOOD.replace("2 0 10", "2 0 0x10"), "7: the y .* must be a decimal number, got '0x10'"),
        (GOOD.replace("2 0 10", "2 0 \u0661"), "7: the y .* must be a decimal number"),
        (GOOD.replace("3 10 10", "2 10 10"), r"8: city 2 appears twice \(first on line 7\)"),
        (
            GOOD.replace("3 10 10", "0 10 10"),
            r"8: a city id must be an integer from 1 to DIMENSION \(4\), got '0'",
        ),
        (GOOD.replace("3 10 10", "x 10 10"), "8: a city id must be an integer from 1 to DIMENSION"),
        (GOOD.replace("3 10 10", "3.0 10 10"), "8: a city id must be an integer .* got '3.0'"),
        (
            GOOD.replace("4 10 0", "4 10 0\n5 1 1"),
            r"10: NODE_COORD_SECTION lists more than DIMENSION \(4\)",
        ),
        (
            GOOD.replace("DIMENSION : 4", "DIMENSION : 5"),
            r"10: NODE_COORD_SECTION lists 4 cities, DIMENSION is 5 \(city 5 is missing\)",
        ),
        (
            GOOD.replace("2 0 10\n", ""),
            r"9: NODE_COORD_SECTION lists 3 cities, DIMENSION is 4 \(city 2 is missing\)",
        ),
        (
            GOOD.replace("DIMENSION : 4", "DIMENSION : abc"),
            "3: DIMENSION must be a positive integer, got 'abc'",
        ),
        (
            GOOD.replace("DIMENSION : 4", "DIMENSION : -4"),
            "3: DIMENSION must be a positive integer, got '-4'",
        ),
        (
            GOOD.replace("DIMENSION : 4", "DIMENSION : 4.0"),
            "3: DIMENSION must be a positive integer, got '4.0'",
        ),
        (
            GOOD.replace("DIMENSION : 4", "DIMENSION : 3"),
            "3: DIMENSION must be at least 4 cities, got 3",
        ),
        (
            GOOD.replace("DIMENSION : 4", "DIMENSION: 2000000000"),
            "3: DIMENSION 2000000000 is over the limit of 1000000 cities",
        ),
        (
            GOOD.replace("DIMENSION : 4", "DIMENSION: " + "9" * 5000),
            "3: DIMENSION 9+ is over the limit",
        ),
        (GOOD.replace("DIMENSION : 4", "DIMENSION :"), "3: DIMENSION must not be empty"),
        (GOOD.replace("DIMENSION : 4\n", ""), "4: NODE_COORD_SECTION before DIMENSION"),
        (
            GOOD.replace("EDGE_WEIGHT_TYPE : EUC_2D\n", ""),
            "4: NODE_COORD_SECTION before EDGE_WEIGHT_TYPE",
        ),
        (
            GOOD.replace("DIMENSION : 4", "DIMENSION : 4\nDIMENSION : 4"),
            r"4: DIMENSION given twice \(first on line 3\)",
        ),
        (GOOD.replace("TYPE : TSP", "TYPE :"), "2: TYPE must not be empty"),
        (
            GOOD.replace("TYPE : TSP", "TYPE : ATSP"),
            r"2: TYPE must be TSP \(a symmetric .*\), got 'ATSP'",
        ),
        (GOOD.replace("TYPE : TSP", "TYPE : TSP extra"), "2: TYPE must be TSP .* got 'TSP extra'"),
        (GOOD.replace("NAME : tiny", "NAME tiny"), "1: expected 'KEY : VALUE', got 'NAME tiny'"),
        (GOOD.replace("NAME : tiny", "SIZE : 4"), "1: unknown keyword 'SIZE'"),
        (
            GOOD.replace("EUC_2D", "EXPLICIT"),
            "5: NODE_COORD_SECTION: EDGE_WEIGHT_TYPE EXPLICIT needs an EDGE_WEIGHT_FORMAT",
        ),
        (
            GOOD.replace("EUC_2D", "FOO"),
            "4: EDGE_WEIGHT_TYPE must be one of EUC_2D, CEIL_2D, ATT, GEO, EXPLICIT, got 'FOO'",
        ),
        (GOOD.replace("EUC_2D", ""), "4: EDGE_WEIGHT_TYPE must not be empty"),
        (
            GOOD.replace("EUC_2D", "EUC_2D\nEDGE_WEIGHT_FORMAT : FULL_MATRIX"),
            r"6: NODE_COORD_SECTION: EDGE_WEIGHT_FORMAT FULL_MATRIX \(line 5\) goes with "
            "EDGE_WEIGHT_TYPE EXPLICIT, not EUC_2D",
        ),
        (
            GOOD.replace("EUC_2D", "EUC_2D\nNODE_COORD_TYPE : THREED_COORDS"),
            "5: NODE_COORD_TYPE must be TWOD_COORDS",
        ),
        (
            GOOD.replace("EUC_2D", "EUC_2D\nCAPACITY : 5"),
            "5: CAPACITY does not belong in a TSP file",
        ),
        (
            GOOD.replace("NODE_COORD_SECTION", "EDGE_WEIGHT_SECTION"),
            "5: EDGE_WEIGHT_SECTION goes with EDGE_WEIGHT_TYPE EXPLICIT, not EUC_2D",
        ),
        (GOOD.replace("EOF", "NODE_COORD_SECTION\n1 0 0"), "10: NODE_COORD_SECTION given twice"),
        (GOOD.replace("EOF", "DEPOT_SECTION\n1\n-1"), "10: DEPOT_SECTION is not supported"),
        (GOOD.split("NODE_COORD_SECTION")[0], "4: the file ends before any NODE_COORD_SECTION"),
        (
            GOOD.replace("NAME : tiny", "NAME : t\xe9ny").encode("latin-1"),
            "1: not UTF-8 text: byte 0xe9 at offset 8 of the file",
        ),
        (
            GOOD.replace("2 0 10", "2 0 1\xff0").encode("latin-1"),
            "7: not UTF-8 text: byte 0xff at offset",
        ),
        (b"\x00" * 64, "1: expected 'KEY : VALUE'"),
    ],
)
def test_malformed_files_name_the_file_and_line(tmp_path: Path, text, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ValueError, match=re.escape(f"{path}:") + message) as error:
        TravellingSalesman.from_tsplib(path)
    assert "\n" not in str(error.value)


def test_a_path_with_a_nul_byte_is_refused_by_name() -> None:
    from annealing.simulated import load_checkpoint, read_tour

    for read, owner in [
        (TravellingSalesman.from_tsplib, "TravellingSalesman.from_tsplib"),
        (read_tour, "read_tour"),
        (load_checkpoint, "load_checkpoint"),
    ]:
        with pytest.raises(ValueError, match=re.escape(f"{owner}: path must not contain a NUL")):
            read("a\x00b.tsp")


def test_files_that_are_not_regular_files(tmp_path: Path) -> None:
    with pytest.raises(
        ValueError, match=re.escape(f"{tmp_path / 'no.tsp'}: cannot read it: No such")
    ):
        TravellingSalesman.from_tsplib(tmp_path / "no.tsp")
    (tmp_path / "dir.tsp").mkdir()
    with pytest.raises(ValueError, match=r"dir.tsp: cannot read it: it is a directory"):
        TravellingSalesman.from_tsplib(tmp_path / "dir.tsp")
    os.mkfifo(tmp_path / "fifo.tsp")  # opening it to read would block until a writer comes
    with pytest.raises(ValueError, match=r"fifo.tsp: cannot read it: it is a FIFO"):
        TravellingSalesman.from_tsplib(tmp_path / "fifo.tsp")
    with pytest.raises(ValueError, match=r"empty.tsp: the file is empty"):
        TravellingSalesman.from_tsplib(write(tmp_path, "", "empty.tsp"))
    with pytest.raises(ValueError, match=r"blank.tsp: the file is empty"):
        TravellingSalesman.from_tsplib(write(tmp_path, " \n\t\n", "blank.tsp"))
    huge = tmp_path / "huge.tsp"
    with open(huge, "wb") as handle:  # sparse: no disk used
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(
        ValueError, match=f"huge.tsp: the file is {MAX_BYTES + 1} bytes, over the limit"
    ):
        TravellingSalesman.from_tsplib(huge)
    with pytest.raises(TypeError, match=r"path must be a str or os.PathLike, got 3"):
        TravellingSalesman.from_tsplib(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"far.tsp: TravellingSalesman: .* distances overflow"):
        TravellingSalesman.from_tsplib(
            write(tmp_path, GOOD.replace("2 0 10", "2 0 1e200"), "far.tsp")
        )


@pytest.mark.parametrize(
    ("tour", "reason"),
    [
        ("TOUR_SECTION\n1\n2\n3\n-1\n", r"5: the tour lists 3 cities, not 4 \(city 4 is missing\)"),
        ("TOUR_SECTION\n1\n2\n3\n3\n-1\n", "5: city 3 appears twice"),
        ("TOUR_SECTION\n1\n2\n3\n5\n-1\n", r"5: city 5 is outside 1..4 \(DIMENSION\)"),
        ("TOUR_SECTION\n1 2 3 0\n", "2: city 0 is outside 1..4"),
        (
            "DIMENSION : 5\nTOUR_SECTION\n1 2 3 4 5\n",
            "1: DIMENSION is 5, but the instance has 4 cities",
        ),
        ("TYPE : TSP\nTOUR_SECTION\n1 2 3 4\n", "1: TYPE must be TOUR, got 'TSP'"),
        ("TOUR_SECTION\n1 2 3 4 -1\n4 3 2 1 -1\n", "3: a second tour after -1"),
        ("TOUR_SECTION\n1 2 x 4 -1\n", "2: expected a city number, got 'x'"),
        ("1 2 3 4\n", "1: expected 'KEY : VALUE'"),
        ("NAME : t\n", "1: the file ends without a TOUR_SECTION"),
        ("", " the file is empty"),
    ],
)
def test_a_wrong_opt_tour_is_ignored_with_a_warning(tmp_path: Path, tour: str, reason: str) -> None:
    path = write(tmp_path, GOOD)
    (tmp_path / "tiny.opt.tour").write_text(tour)
    with pytest.warns(UserWarning, match="tiny.opt.tour:" + reason) as record:
        problem = TravellingSalesman.from_tsplib(path)
    assert problem.optimum is None  # never a wrong optimum
    assert "ignored: the optimum of" in str(record[0].message)


def test_an_opt_tour_that_is_a_directory_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "tiny.opt.tour").mkdir()
    with pytest.warns(UserWarning, match="it is a directory"):
        assert TravellingSalesman.from_tsplib(write(tmp_path, GOOD)).optimum is None


def test_read_tour(tmp_path: Path) -> None:
    text = "NAME : t\nTYPE : TOUR\nCOMMENT : c\nTOUR_SECTION\n3 1\n2 4\nEOF\n"
    path = write(tmp_path, text, "t.tour")
    assert read_tour(path) == [2, 0, 1, 3]
    assert read_tour(path, dimension=4) == [2, 0, 1, 3]
    with pytest.raises(ValueError, match=r"t.tour:7: the tour lists 4 cities, not 5"):
        read_tour(path, dimension=5)
    with pytest.raises(ValueError, match="dimension must be an integer from 1 to 1000000, got 0"):
        read_tour(path, dimension=0)
    with pytest.raises(ValueError, match=r"dimension must be an integer .* got 4.0"):
        read_tour(path, dimension=4.0)  # type: ignore[arg-type]
    assert read_tour(path, dimension=np.int64(4)) == [2, 0, 1, 3]
    gap = write(tmp_path, "TOUR_SECTION\n1 2 5\n-1\n", "gap.tour")
    with pytest.raises(
        ValueError, match=r"gap.tour:3: the tour lists 3 cities, not 3 \(city 3 is missing\)"
    ):
        read_tour(gap)
    with pytest.raises(ValueError, match=r"bad.tour:3: expected a city number, got 'x'"):
        read_tour(write(tmp_path, "TOUR_SECTION\n1\nx\n-1\n", "bad.tour"))


# -- hostile files, generated -------------------------------------------------------------------

EXPLICIT_TEXT = """NAME : five
TYPE : TSP
DIMENSION : 5
EDGE_WEIGHT_TYPE : EXPLICIT
EDGE_WEIGHT_FORMAT : UPPER_ROW
EDGE_WEIGHT_SECTION
3 4 2 7
4 6 3
5 8
6
EOF
"""
BASES = [GOOD.splitlines(), EXPLICIT_TEXT.splitlines()]
TOKENS = st.sampled_from(
    [
        "",
        " ",
        ":",
        "-1",
        "0",
        "1",
        "4",
        "5",
        "2000000000",
        "1e999",
        "nan",
        "inf",
        "-0",
        "1.5",
        "EOF",
        "NAME",
        "TYPE",
        "DIMENSION",
        "EDGE_WEIGHT_TYPE",
        "NODE_COORD_SECTION",
        "TSP",
        "EUC_2D",
        "GEO",
        "EXPLICIT",
        "FULL_MATRIX",
        "EDGE_WEIGHT_SECTION",
        "COMMENT",
        "TOUR_SECTION",
        "\x00",
        "\ufeff",
        "\u2028",
        "\r",
        "x" * 300,
    ]
)


@st.composite
def hostile_tsp(draw: st.DrawFn) -> bytes:
    lines = list(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 4))):
        action = draw(
            st.sampled_from(["delete", "duplicate", "replace", "insert", "token", "bytes"])
        )
        k = draw(st.integers(0, len(lines) - 1)) if lines else 0
        if action == "delete" and lines:
            del lines[k]
        elif action == "duplicate" and lines:
            lines.insert(k, lines[k])
        elif action == "replace" and lines:
            lines[k] = " ".join(draw(st.lists(TOKENS, max_size=4)))
        elif action == "insert":
            lines.insert(k, " ".join(draw(st.lists(TOKENS, max_size=4))))
        elif action == "token" and lines:
            parts = lines[k].split()
            if parts:
                parts[draw(st.integers(0, len(parts) - 1))] = draw(TOKENS)
            lines[k] = " ".join(parts)
        elif action == "bytes":
            raw = ("\n".join(lines) + "\n").encode()
            at = draw(st.integers(0, len(raw)))
            return raw[:at] + draw(st.binary(min_size=1, max_size=4)) + raw[at:]
    return ("\n".join(lines) + "\n").encode()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=hostile_tsp())
def test_fuzz_the_reader(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, data, "fuzz.tsp")
    try:
        problem = TravellingSalesman.from_tsplib(path)
    except ValueError as error:
        message = str(error)
        assert message.startswith(f"{path}:"), message
        assert "\n" not in message and "\r" not in message, message
    else:
        assert problem.n in (4, 5)
        assert np.all(np.isfinite(problem.distances)) and np.all(problem.distances >= 0)
        assert np.array_equal(problem.distances, problem.distances.T)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tokens=st.lists(st.one_of(TOKENS, st.integers(-3, 7).map(str)), max_size=12))
def test_fuzz_the_tour_reader(tmp_path: Path, tokens: list[str]) -> None:
    write(tmp_path, GOOD)
    (tmp_path / "tiny.opt.tour").write_text("TOUR_SECTION\n" + " ".join(tokens) + "\n")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        problem = TravellingSalesman.from_tsplib(tmp_path / "tiny.tsp")
    if problem.optimum is None:
        assert len(record) == 1 and "tiny.opt.tour" in str(record[0].message)
    else:  # only a permutation of 1..4 is taken: the square (40) or a crossed tour
        assert not record
        assert problem.optimum in (40.0, 20.0 + 2 * 14.0)


# -- EXPLICIT: distance matrices ----------------------------------------------------------------

MATRIX = np.array(
    [
        [0, 3, 4, 2, 7],
        [3, 0, 4, 6, 3],
        [4, 4, 0, 5, 8],
        [2, 6, 5, 0, 6],
        [7, 3, 8, 6, 0],
    ],
    dtype=float,
)


def weights(form: str, matrix: np.ndarray = MATRIX) -> list[float]:
    """The weights of `matrix` in the order TSPLIB 95 writes them for `form`."""
    n = len(matrix)
    if form == "FULL_MATRIX":
        return matrix.ravel().tolist()
    diagonal = "DIAG" in form
    cells = []
    for a in range(n):
        for b in range(n):
            if form.endswith("ROW"):
                i, j = a, b
            else:  # column by column
                i, j = b, a
            if (j > i if form.startswith("UPPER") else j < i) or (diagonal and i == j):
                cells.append(matrix[i, j])
    return cells


def explicit(form: str, values: list[float], *, extra: str = "") -> str:
    numbers = [str(int(v)) if float(v).is_integer() else str(v) for v in values]
    lines = [" ".join(numbers[k : k + 4]) for k in range(0, len(numbers), 4)]
    return (
        f"NAME : five\nTYPE : TSP\nDIMENSION : 5\nEDGE_WEIGHT_TYPE : EXPLICIT\n"
        f"EDGE_WEIGHT_FORMAT : {form}\n{extra}EDGE_WEIGHT_SECTION\n" + "\n".join(lines) + "\nEOF\n"
    )


FORMATS = [
    "FULL_MATRIX",
    "UPPER_ROW",
    "LOWER_ROW",
    "UPPER_DIAG_ROW",
    "LOWER_DIAG_ROW",
    "UPPER_COL",
    "LOWER_COL",
    "UPPER_DIAG_COL",
    "LOWER_DIAG_COL",
]


@pytest.mark.parametrize("form", FORMATS)
def test_explicit_matrices_in_every_format(tmp_path: Path, form: str) -> None:
    counts = {"FULL_MATRIX": 25, "UPPER_ROW": 10, "UPPER_DIAG_ROW": 15}
    values = weights(form)
    assert len(values) == counts.get(form, counts.get(form.replace("LOWER", "UPPER"), 0)) or (
        len(values) == (15 if "DIAG" in form else 10)
    )
    problem = TravellingSalesman.from_tsplib(write(tmp_path, explicit(form, values)))
    assert problem.metric == "EXPLICIT" and problem.n == 5 and problem.coordinates is None
    assert np.array_equal(problem.distances, MATRIX)
    assert problem.energy([0, 1, 2, 3, 4]) == 3 + 4 + 5 + 6 + 7
    path = write(tmp_path, explicit(form, values[:-1]), "short.tsp")
    with pytest.raises(
        ValueError,
        match=rf"short.tsp:\d+: EDGE_WEIGHT_SECTION has {len(values) - 1} weights; {form} with",
    ):
        TravellingSalesman.from_tsplib(path)
    path = write(tmp_path, explicit(form, [*values, 1.0]), "long.tsp")
    with pytest.raises(
        ValueError,
        match=f"long.tsp:[0-9]+: .* more than the {len(values)} weights of {form} with DIMENSION 5",
    ):
        TravellingSalesman.from_tsplib(path)


def test_explicit_refusals(tmp_path: Path) -> None:
    upper = weights("UPPER_ROW")
    asymmetric = MATRIX.copy()
    asymmetric[3, 1] = 9
    cases = [
        (
            explicit("UPPER_ROW", [*upper[:3], -1.0, *upper[4:]]),
            r"\d+: a weight must be >= 0, got '-1'",
        ),
        (
            explicit("UPPER_ROW", upper).replace(" 3 ", " nan ", 1),
            r"\d+: a weight must be a finite",
        ),
        (
            explicit("UPPER_ROW", upper).replace(" 3 ", " 1e400 ", 1),
            r"\d+: a weight must be a finite",
        ),
        (explicit("UPPER_ROW", upper).replace(" 3 ", " x ", 1), r"\d+: a weight must be a decimal"),
        (
            explicit("FULL_MATRIX", weights("FULL_MATRIX", asymmetric)),
            r"11: FULL_MATRIX is not symmetric: the weight of \(2, 4\) is 6.0, of \(4, 2\) 9.0",
        ),
        (
            explicit("UPPER_ROW", upper).replace("EDGE_WEIGHT_FORMAT : UPPER_ROW\n", ""),
            "5: EDGE_WEIGHT_SECTION: EDGE_WEIGHT_TYPE EXPLICIT needs an EDGE_WEIGHT_FORMAT",
        ),
        (explicit("UPPER_ROWS", upper), "5: EDGE_WEIGHT_FORMAT must be FUNCTION or one of"),
        (
            explicit("UPPER_ROW", upper).replace("EDGE_WEIGHT_SECTION\n", "NODE_COORD_SECTION\n"),
            "7: expected 'id x y' in NODE_COORD_SECTION, got 4 values",
        ),
        (
            explicit("UPPER_ROW", upper).replace("EDGE_WEIGHT_SECTION\n", ""),
            "6: expected 'KEY : VALUE'",
        ),
        (
            explicit("UPPER_ROW", upper).split("EDGE_WEIGHT_SECTION")[0],
            "5: the file ends before any EDGE_WEIGHT_SECTION",
        ),
    ]
    for k, (text, message) in enumerate(cases):
        path = write(tmp_path, text, f"bad{k}.tsp")
        with pytest.raises(ValueError, match=re.escape(f"{path}:") + ".*" + message):
            TravellingSalesman.from_tsplib(path)


def test_explicit_with_display_data(tmp_path: Path) -> None:
    display = "DISPLAY_DATA_TYPE : TWOD_DISPLAY\n"
    points = "DISPLAY_DATA_SECTION\n1 0 0\n2 1 0\n3 2 1\n4 0 1\n5 1 2\n"
    text = explicit("UPPER_ROW", weights("UPPER_ROW"), extra=display).replace("EOF\n", points)
    problem = TravellingSalesman.from_tsplib(write(tmp_path, text))
    assert problem.coordinates.tolist() == [[0, 0], [1, 0], [2, 1], [0, 1], [1, 2]]
    assert np.array_equal(problem.distances, MATRIX)  # drawing coordinates change no distance
    bad = text.replace("5 1 2\n", "5 1 nan\n")
    with pytest.raises(
        ValueError, match=r"tiny.tsp:16: the y coordinate of city 5 must be a finite"
    ):
        TravellingSalesman.from_tsplib(write(tmp_path, bad))
    with pytest.raises(ValueError, match="DISPLAY_DATA_SECTION lists 4 cities, DIMENSION is 5"):
        TravellingSalesman.from_tsplib(write(tmp_path, text.replace("5 1 2\n", "")))
    coordinates = GOOD.replace("EOF", "DISPLAY_DATA_SECTION\n1 0 0")
    with pytest.raises(ValueError, match="10: DISPLAY_DATA_SECTION is read with EDGE_WEIGHT_TYPE"):
        TravellingSalesman.from_tsplib(write(tmp_path, coordinates))


def test_from_distances() -> None:
    problem = TravellingSalesman.from_distances(MATRIX.astype(int).tolist(), name="five")
    assert problem.metric == "EXPLICIT" and problem.distances.dtype == np.float64
    assert problem.check_state([4, 3, 2, 1, 0]) == [4, 3, 2, 1, 0]
    assert problem.fingerprint() == TravellingSalesman.from_distances(MATRIX).fingerprint()
    changed = MATRIX.copy()
    changed[0, 1] = changed[1, 0] = 3.5
    assert problem.fingerprint() != TravellingSalesman.from_distances(changed).fingerprint()
    result = anneal(problem, steps=5000, seed=0)
    assert result.best_energy == min(
        problem.energy([0, *p]) for p in __import__("itertools").permutations(range(1, 5))
    )
    asymmetric = MATRIX.copy()
    asymmetric[3, 1] = 9
    diagonal = MATRIX.copy()
    diagonal[2, 2] = 1
    negative = MATRIX.copy()
    negative[0, 4] = negative[4, 0] = -2
    infinite = MATRIX.copy()
    infinite[0, 4] = infinite[4, 0] = np.inf
    for matrix, error, message in [
        (
            asymmetric,
            ValueError,
            r"must be symmetric, got distances\[1, 3\] = 6.0 and distances\[3, 1\] = 9",
        ),
        (diagonal, ValueError, r"must have a zero diagonal, got distances\[2, 2\] = 1.0"),
        (negative, ValueError, r"must be finite numbers >= 0, got distances\[0, 4\] = -2.0"),
        (infinite, ValueError, r"must be finite numbers >= 0, got distances\[0, 4\] = inf"),
        (
            MATRIX[:4, :3],
            ValueError,
            r"must have shape \(n, n\) with 4 <= n <= 10000, got shape \(4, 3\)",
        ),
        (MATRIX[:3, :3], ValueError, r"must have shape .* got shape \(3, 3\)"),
        (MATRIX > 2, TypeError, "must be real numbers, got an array of dtype bool"),
        ([[0, 1], [1]], ValueError, r"must be an array of real numbers \(rows of one length\)"),
    ]:
        with pytest.raises(error, match="TravellingSalesman.from_distances: distances " + message):
            TravellingSalesman.from_distances(matrix)
    with pytest.raises(ValueError, match="coordinates must have one point per city \\(5\\), got 4"):
        TravellingSalesman.from_distances(MATRIX, coordinates=np.zeros((4, 2)))
    with pytest.raises(ValueError, match="optimum must be >= 0"):
        TravellingSalesman.from_distances(MATRIX, optimum=-3)


# -- the default move set, large instances ------------------------------------------------------


@pytest.mark.parametrize("metric", ["euclidean", "EUC_2D", "CEIL_2D", "ATT", "GEO"])
def test_distances_on_the_fly_equal_the_matrix(metric: str) -> None:
    rng = np.random.default_rng(1)
    xy = rng.uniform(0, 80, (60, 2))
    stored = TravellingSalesman(xy, metric=metric)
    computed = TravellingSalesman(xy, metric=metric, matrix=False)
    assert stored._matrix is not None and computed._matrix is None
    assert np.array_equal(stored.distances, computed.distances)
    pairs = [(a, b) for a in range(0, 60, 7) for b in range(60) if a != b]
    assert all(computed._distance(a, b) == stored.distances[a, b] for a, b in pairs)
    if metric == "euclidean":  # rounded metrics tie: the k-d tree orders ties by the exact length
        assert np.array_equal(stored.neighbours, computed.neighbours)
    tour = stored.random_state(rng)
    assert computed.energy(tour) == stored.energy(tour)


@pytest.mark.parametrize("matrix", [True, False], ids=["matrix", "on-the-fly"])
@pytest.mark.parametrize("engine", ["python", "numba"])
def test_neighbour_moves_repeat_the_reference_loop(engine: str, matrix: bool) -> None:
    if engine == "numba":
        pytest.importorskip("numba")
    import annealing as an

    rng = np.random.default_rng(4)
    problem = TravellingSalesman(rng.uniform(0, 1000, (90, 2)), "EUC_2D", matrix=matrix)
    temperature = an.Exponential(300.0, end=1.0, steps=30_000)
    reference = anneal(problem, temperature, 30_000, seed=5, engine="reference", window=900)
    fast = anneal(problem, temperature, 30_000, seed=5, engine=engine, window=900)
    for field in ("best_state", "best_energy", "state", "energy", "accepted", "moves", "trace"):
        assert getattr(fast, field) == getattr(reference, field), field


def test_the_compiled_kernels_stay_inside_their_arrays(tmp_path: Path) -> None:
    # numba does not check indices: a read past an array's end gives whatever lies there, and
    # an index made from it can crash the process. With bounds checked (a cache of its own),
    # the warm-up and runs of every kernel raise nothing.
    pytest.importorskip("numba")
    import subprocess
    import sys

    script = (
        "import numpy as np\n"
        "import annealing as an\n"
        "from annealing.simulated import Ising, TravellingSalesman, _compiled, anneal\n"
        "_compiled.kernels()\n"
        "xy = np.random.default_rng(1).uniform(0, 1000, (60, 2))\n"
        "for kw in ({}, {'matrix': False}, {'neighbours': 0}):\n"
        "    problem = TravellingSalesman(xy, 'EUC_2D', **kw)\n"
        "    anneal(problem, an.Exponential(300.0, end=1.0, steps=20_000), 20_000, seed=3,\n"
        "           engine='numba', window=500)\n"
        "Ising(6).metropolis(1.0, sweeps=20, engine='numba')\n"
        "print('ok')\n"
    )
    env = {**os.environ, "NUMBA_BOUNDSCHECK": "1", "NUMBA_CACHE_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0 and done.stdout == "ok\n", done.stderr[-2000:]


@pytest.mark.parametrize("matrix", [True, False], ids=["matrix", "on-the-fly"])
def test_small_tours_with_real_lengths_repeat_the_reference_loop(matrix: bool) -> None:
    # on a few cities a near move often reverses all but one city: the same cycle, a change
    # of exactly 0, where the four lengths' sum can round to a few ulps of real lengths
    pytest.importorskip("numba")
    import annealing as an

    temperature = an.Exponential(50.0, end=0.01, steps=3000)
    for n, seed in ((4, 104), (4, 5), (5, 105), (6, 6), (8, 8)):
        xy = np.random.default_rng(seed).uniform(-50, 50, (n, 2))
        problem = TravellingSalesman(xy, neighbours=3, matrix=matrix)
        for run in range(3):
            reference, fast = (
                anneal(problem, temperature, 3000, seed=run, engine=engine, window=97)
                for engine in ("reference", "numba")
            )
            for field in ("best_state", "best_energy", "state", "energy", "accepted", "trace"):
                assert getattr(fast, field) == getattr(reference, field), (n, seed, run, field)


@pytest.mark.parametrize("metric", ["euclidean", "CEIL_2D", "ATT", "GEO"])
def test_the_compiled_path_computes_every_metric_as_the_reference_loop(metric: str) -> None:
    # without a matrix the compiled path computes each length from the coordinates
    pytest.importorskip("numba")
    import annealing as an

    rng = np.random.default_rng(6)
    xy = rng.uniform(0, 1000, (70, 2)) if metric != "GEO" else rng.uniform(-60, 60, (70, 2))
    problem = TravellingSalesman(xy, metric, matrix=False)
    scale = float(np.median(problem.distances))
    temperature = an.Exponential(0.3 * scale, end=1e-3 * scale, steps=20_000)
    reference, fast = (
        anneal(problem, temperature, 20_000, seed=2, engine=engine, window=700)
        for engine in ("reference", "numba")
    )
    assert reference.accepted > 1000
    for field in ("best_state", "best_energy", "state", "energy", "accepted", "trace"):
        assert getattr(fast, field) == getattr(reference, field), field


def test_neighbour_lists_and_the_move_set() -> None:
    cities = TravellingSalesman.grid(6, 6)
    assert cities.neighbours is not None and cities.neighbours.shape == (36, 10)
    assert all(a not in row for a, row in enumerate(cities.neighbours.tolist()))
    d = cities.distances
    assert np.all(np.diff(d[np.arange(36)[:, None], cities.neighbours], axis=1) >= 0)
    assert TravellingSalesman(cities.coordinates, neighbours=0).neighbours is None
    assert TravellingSalesman(cities.coordinates, neighbours=100).neighbours.shape == (36, 35)
    classic = TravellingSalesman(cities.coordinates, neighbours=0)
    assert classic.fingerprint() != cities.fingerprint()
    for bad, message in [(-1, "from 0 to 100, got -1"), (1.5, "got 1.5"), (101, "got 101")]:
        with pytest.raises(ValueError, match="TravellingSalesman: neighbours must be .*" + message):
            TravellingSalesman(cities.coordinates, neighbours=bad)
    with pytest.raises(TypeError, match="matrix must be True, False or None, got 'yes'"):
        TravellingSalesman(cities.coordinates, matrix="yes")  # type: ignore[arg-type]
    # every move keeps a tour, and delta is its change in length, wrapping round the end too
    rng = np.random.default_rng(0)
    problem = TravellingSalesman(rng.uniform(0, 50, (9, 2)), neighbours=8)
    tour = problem.random_state(rng)
    kinds = set()
    for _ in range(2000):
        move = problem.propose(tour, rng)
        kinds.add(0 if move is None else len(move))
        if move is None:
            continue
        before = problem.energy(tour)
        change = problem.delta(tour, move)
        problem.apply(tour, move)
        assert problem.energy(tour) == pytest.approx(before + change, abs=1e-9)
    assert kinds == {0, 2, 5}


@pytest.mark.parametrize("metric", ["EUC_2D", "GEO"])
def test_a_large_instance_stays_far_below_n_squared_memory(metric: str) -> None:
    pytest.importorskip("scipy")
    import tracemalloc

    n = 20_000
    rng = np.random.default_rng(0)
    xy = rng.uniform(0, 10_000, (n, 2)) if metric == "EUC_2D" else rng.uniform(-60, 60, (n, 2))
    engine, steps = ("numba", 100_000) if _compiled.available() else ("python", 20_000)
    if engine == "numba":
        _compiled.kernels()  # compiling is not the instance's memory
    tracemalloc.start()
    problem = TravellingSalesman(xy, metric=metric)
    result = anneal(problem, steps=steps, seed=0, engine=engine)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert problem._matrix is None and result.best_energy <= result.checkpoint["energy"] + 1e-6
    # mostly a window's random numbers and its log of moves
    assert peak < 64 * 2**20, (
        f"peak {peak / 2**20:.0f} MiB; a matrix alone is {8 * n * n >> 20} MiB"
    )
    start = problem.start_state(np.random.default_rng(0))
    assert sorted(start) == list(range(n))
    assert problem.energy(start) < 0.02 * problem.energy(problem.random_state(rng))


def test_every_neighbour_move_puts_the_city_beside_its_neighbour() -> None:
    # A move draws a city a and one of its near neighbours c; 2-opt and Or-opt (either end of
    # the segment at a, either way round) both leave a and c side by side in the new tour.
    rng = np.random.default_rng(2)
    problem = TravellingSalesman(rng.uniform(0, 100, (40, 2)), "EUC_2D", neighbours=6)
    assert problem.neighbours is not None
    tour = problem.random_state(rng)
    made = {2: 0, 5: 0}
    for r0, r1, r2, r3 in rng.random((3000, 4)).tolist():
        a = int(r1 * problem.n)
        c = int(problem.neighbours[a, int(r2 * 6)])
        move = problem._move(tour, r0, r1, r2, r3)
        if move is None:
            continue
        made[len(move)] += 1
        tour = problem.apply(tour, move)
        k = tour.index(a)
        assert c in (tour[k - 1], tour[(k + 1) % problem.n]), move
    assert min(made.values()) > 500


@pytest.mark.parametrize(
    "move",
    [
        (5, 500),
        (-1, 3),
        (3, 2),
        (0, 40),
        (1.0, 2),
        (True, 3),
        [1, 2],
        (1, 2, 3),
        "ab",
        (0, 0, 5, 1, 0),
        (0, 2, 1, 1, 0),
        (3, 2, 2, 1, 0),
        (3, 2, 5, 0, 0),
        (0, 1, 5, 2, 0),
        (0, 1, 5, 1, -1),
        (0, 39, 5, 1, 0),
        (0, 1, 40, 1, 0),
        None,
    ],
)
def test_delta_and_apply_refuse_a_move_that_propose_cannot_make(move: object) -> None:
    problem = TravellingSalesman(np.random.default_rng(0).uniform(0, 9, (40, 2)))
    tour = list(range(40))
    for method in ("delta", "apply"):
        with pytest.raises(
            ValueError, match=rf"TravellingSalesman\.{method}: move must be a 2-opt"
        ):
            getattr(problem, method)(tour, move)
    assert tour == list(range(40))  # a refused move changes nothing


@settings(max_examples=300, deadline=None)
@given(
    move=st.one_of(
        st.tuples(st.integers(-2, 20), st.integers(-2, 20)),
        st.tuples(*[st.integers(-2, 12)] * 5),
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_fuzz_moves_either_refused_or_exact(move: tuple[int, ...], seed: int) -> None:
    # Whatever delta and apply accept, delta is the change in length and apply keeps a tour.
    rng = np.random.default_rng(seed)
    problem = TravellingSalesman(rng.uniform(0, 50, (10, 2)))
    tour = problem.random_state(rng)
    try:
        change = problem.delta(tour, move)
    except ValueError as error:
        assert str(error).startswith("TravellingSalesman.delta: move must be"), error
        with pytest.raises(ValueError, match=r"TravellingSalesman\.apply: move must be"):
            problem.apply(tour, move)
        return
    before = problem.energy(tour)
    after = problem.apply(tour, move)
    assert sorted(after) == list(range(10))
    assert problem.energy(after) == pytest.approx(before + change, abs=1e-9)
