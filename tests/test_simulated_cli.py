"""``annealing sa`` (annealing/simulated/_cli.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import require, tsplib

from annealing.cli import main

FIVE = [(0, 0), (0, 9), (9, 9), (9, 0), (4, 4)]


def test_sa_tsp_writes_a_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    require("matplotlib")
    figure = tmp_path / "berlin52.png"
    code = main(["sa", "tsp", str(tsplib("berlin52.tsp")), "--steps", "2e4", "-o", str(figure)])
    captured = capsys.readouterr()
    assert code == 0
    assert "best tour length" in captured.out and "optimum 7542" in captured.out
    assert "100.0%" in captured.err  # the progress bar
    assert figure.stat().st_size > 10_000


@pytest.mark.parametrize("schedule", ["cosine", "logcosine", "linear", "restarts"])
def test_sa_tsp_schedules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], schedule: str
) -> None:
    path = tmp_path / "five.tsp"
    _five(path)
    assert main(["sa", "tsp", str(path), "--steps", "3000", "--schedule", schedule, "-q"]) == 0
    assert "best tour length" in capsys.readouterr().out


def test_sa_tsp_default_schedule_repeats_its_descents_with_many_moves(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 5 cities, 200,000 moves: 40,000 a city, so the default makes 4 descents (Restarts);
    # the other schedules take one descent's T0 and T1
    path = tmp_path / "five.tsp"
    _five(path)
    assert main(["sa", "tsp", str(path), "--steps", "2e5", "-q"]) == 0
    captured = capsys.readouterr()
    assert "temperature: Restarts(cycle=Exponential(" in captured.err
    assert "steps=50000.0" in captured.err and "best tour length" in captured.out
    assert main(["sa", "tsp", str(path), "--steps", "2e5", "--schedule", "cosine", "-q"]) == 0
    assert "temperature: Cosine(" in capsys.readouterr().err


def test_sa_tsp_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.tsp"
    path.write_text("NAME : bad\nDIMENSION : x\n")
    assert main(["sa", "tsp", str(path), "-q"]) == 1  # the file's content: the work failed
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("annealing sa tsp: ")
    assert "bad.tsp:2: DIMENSION must be a positive integer, got 'x'" in err


REFUSED = [
    (["--steps", "0"], "--steps must be an integer between 1 and 1e+12, got 0"),
    (["--steps", "inf"], "--steps must be an integer between 1 and 1e+12, got inf"),
    (["--steps", "1e15"], "--steps must be an integer between 1 and 1e+12, got 1e15"),
    (["--steps", "2.5"], "--steps must be an integer between 1 and 1e+12, got 2.5"),
    (["--steps", "-5"], "--steps must be an integer"),
    (["--seed", "-1"], "--seed must be an integer between 0 and"),
    (["--seed", "1.5"], "--seed must be an integer"),
    (["--seed", "9" * 50], "--seed must be an integer"),
    (["--cycles", "0"], "--cycles must be an integer between 1 and 1e+06, got 0"),
    (["--cycles", "5000", "--steps", "100", "--schedule", "restarts"], "--cycles must be at most"),
    (["--schedule", "nope"], "--schedule: invalid choice: 'nope'"),
    (["--engine", "nope"], "--engine: invalid choice: 'nope'"),
    (["-o", ""], "-o/--output must be a file name, got ''"),
    (["-o", "/missing/dir/x.png"], "-o/--output: the directory '/missing/dir' does not exist"),
    (["-o", "x.nope"], "-o/--output must end in one of"),
]


@pytest.mark.parametrize(("options", "words"), REFUSED, ids=lambda v: repr(v)[:40])
def test_sa_options_are_checked_before_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str], words: str
) -> None:
    if "-o" in options:
        require("matplotlib")
    path = tmp_path / "five.tsp"
    _five(path)
    assert main(["sa", "tsp", str(path), "-q", *options]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1, captured.err
    assert captured.err.startswith("annealing sa tsp: ") and words in captured.err


def test_sa_files_that_cannot_be_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import os

    fifo = tmp_path / "fifo.tsp"
    os.mkfifo(fifo)  # opening it to read would block: refused before
    for name, words in [
        ("missing.tsp", "file: no such file"),
        ("", "file must be a TSPLIB file name"),
        ("a\x00.tsp", "file must be a TSPLIB file name"),
        ("a" * 5000, "': File name too long"),
        (str(tmp_path), "file: not a regular file"),
        (str(fifo), "file: not a regular file"),
    ]:
        target = name if name in ("", str(tmp_path), str(fifo)) else str(tmp_path) + "/" + name
        assert main(["sa", "tsp", target, "-q"]) == 2, name
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and words in err, err
    empty = tmp_path / "empty.tsp"
    empty.write_bytes(b"\xff\xfe\x00garbage")
    assert main(["sa", "tsp", str(empty), "-q"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("annealing sa tsp: ") and "Traceback" not in err


def test_every_help_example_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The examples of ``annealing sa tsp --help``, on the real files, with fewer moves."""
    import shlex

    from annealing.simulated._cli import EXAMPLES

    require("matplotlib")
    lines = [line.strip() for line in EXAMPLES.splitlines() if line.strip().startswith("annealing")]
    assert len(lines) >= 3
    for line in lines:
        argv = shlex.split(line)[1:]
        argv[2] = str(tsplib(argv[2]))
        argv = [str(tmp_path / a) if a.endswith(".png") else a for a in argv]
        if "--steps" in argv:
            argv[argv.index("--steps") + 1] = "2e4"  # the example's 1e6 moves take too long here
        else:
            argv += ["--steps", "2e4"]
        assert main([*argv, "-q"]) == 0, line
    capsys.readouterr()


def _five(path: Path) -> None:
    cities = "\n".join(f"{k + 1} {x} {y}" for k, (x, y) in enumerate(FIVE))
    path.write_text(
        "NAME : five\nTYPE : TSP\nDIMENSION : 5\nEDGE_WEIGHT_TYPE : EUC_2D\n"
        f"NODE_COORD_SECTION\n{cities}\nEOF\n"
    )


def test_sa_tsp_explicit_distances_draw_a_figure_without_coordinates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require("matplotlib")
    import random

    rng, n = random.Random(1), 12
    matrix = [[0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            matrix[i][j] = matrix[j][i] = rng.randint(1, 100)
    path = tmp_path / "ex12.tsp"
    rows = "\n".join(" ".join(map(str, row)) for row in matrix)
    path.write_text(
        "NAME : ex12\nTYPE : TSP\nDIMENSION : 12\nEDGE_WEIGHT_TYPE : EXPLICIT\n"
        f"EDGE_WEIGHT_FORMAT : FULL_MATRIX\nEDGE_WEIGHT_SECTION\n{rows}\nEOF\n"
    )
    figure = tmp_path / "ex12.png"
    assert main(["sa", "tsp", str(path), "--steps", "2000", "-q", "-o", str(figure)]) == 0
    assert "best tour length" in capsys.readouterr().out
    assert figure.stat().st_size > 10_000


def test_a_warning_is_one_line_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "five.tsp"
    _five(path)
    (tmp_path / "five.opt.tour").write_text(
        "NAME : five.opt.tour\nTYPE : TOUR\nDIMENSION : 5\nTOUR_SECTION\n1\n2\n2\n4\n5\n-1\nEOF\n"
    )
    assert main(["sa", "tsp", str(path), "--steps", "500", "-q"]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and warnings[0].startswith("annealing sa tsp: warning: ")
    assert "five.opt.tour" in warnings[0]
