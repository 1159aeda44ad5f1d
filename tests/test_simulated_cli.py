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
    cities = "\n".join(f"{k + 1} {x} {y}" for k, (x, y) in enumerate(FIVE))
    path.write_text(
        "NAME : five\nTYPE : TSP\nDIMENSION : 5\nEDGE_WEIGHT_TYPE : EUC_2D\n"
        f"NODE_COORD_SECTION\n{cities}\nEOF\n"
    )
    assert main(["sa", "tsp", str(path), "--steps", "3000", "--schedule", schedule, "-q"]) == 0
    assert "best tour length" in capsys.readouterr().out


def test_sa_tsp_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.tsp"
    path.write_text("NAME : bad\nDIMENSION : x\n")
    assert main(["sa", "tsp", str(path), "-q"]) == 2
    assert "EDGE_WEIGHT_TYPE must be one of" in capsys.readouterr().err
    assert main(["sa", "tsp", str(path), "--steps", "0", "-q"]) == 2
    assert "steps must be a whole number >= 1, got 0.0" in capsys.readouterr().err
