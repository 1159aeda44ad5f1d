"""The ``annealing`` command (cli.py): show, plot, help, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annealing import SGDR, Cosine, Warmup
from annealing.cli import main, parse_schedule, sparkline


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_expressions_and_json() -> None:
    assert parse_schedule("Cosine(0.1, 0.0, 100)") == Cosine(0.1, 0.0, 100)
    assert parse_schedule(" SGDR(eta_max=0.1, T_0=10, T_mult=2) ") == SGDR(0.1, 10, 2)
    s = Warmup(Cosine(1.0, 0.0, 90), 10)
    assert parse_schedule(json.dumps(s.to_dict())) == s


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Cosin(1, 0, 10)", "schedule: name 'Cosin' is not defined; the names are"),
        ("Cosine(1, 0,", "schedule: not a valid expression"),
        ("1 + 2", "schedule: the expression must give a schedule, got 3"),
        ("{not json", "schedule: not valid JSON"),
        ("__import__('os')", "schedule: name '__import__' is not defined"),
    ],
)
def test_parse_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(")):
        parse_schedule(text)


def test_show_prints_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "Cosine(start=1.0, end=0.0, steps=10)", "--every", "5")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "[0] Cosine(start=1.0, end=0.0, steps=10)"
    rows = [line.split() for line in lines[2:]]
    assert [float(r[0]) for r in rows] == [0, 5, 10]
    assert [float(r[1]) for r in rows] == [1.0, 0.5, 0.0]


def test_show_several_schedules_side_by_side(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "show", "Cosine(1.0, 0.0, 10)", "Linear(1.0, 0.0, 10)", "--steps", "10"
    )
    assert code == 0
    assert "[1] Linear(" in out
    assert len(out.splitlines()[-1].split()) == 3


def test_show_sparkline(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "Cosine(1.0, 0.0, 100)", "--spark", "--width", "20")
    assert code == 0
    spark = out.splitlines()[1].split()[0]
    assert len(spark) == 20 and spark[0] == "█" and spark[-1] == "▁"


def test_show_chart(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "Cosine(1.0, 0.0, 100)", "--chart", "--width", "30")
    assert code == 0 and "│" in out and "└" in out


def test_sparkline_of_a_constant() -> None:
    assert sparkline([0.5, 0.5, 0.5]) == "███"


def test_plot_writes_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    out_file = tmp_path / "lr.png"
    code, out, _ = run(
        capsys, "plot", "Cosine(0.1, 0.0, 100)", "SGDR(0.1, 10)", "-o", str(out_file)
    )
    assert code == 0 and f"wrote {out_file}" in out
    assert out_file.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = tmp_path / "lr.svg"
    assert main(["plot", "Linear(1.0, 0.0, 10)", "--log", "--title", "t", "-o", str(svg)]) == 0
    assert svg.read_text().lstrip().startswith("<?xml")


def test_errors_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", "Cosine(1.0, 0.0, 0)")
    assert code == 2 and out == ""
    assert err == "annealing: error: Cosine: steps must be a finite number > 0, got 0\n"


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == 2 and "usage: annealing" in out


def test_help_teaches_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in ([], ["show"], ["plot"]):
        with pytest.raises(SystemExit) as exit_info:
            main([*argv, "--help"])
        assert exit_info.value.code == 0
        out = capsys.readouterr().out
        assert "examples:" in out and 'annealing show "Cosine(' in out


def test_every_help_example_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shlex

    from annealing.cli import EXAMPLES

    for line in EXAMPLES.splitlines():
        line = line.strip()
        if not line.startswith("annealing "):
            continue
        argv = shlex.split(line)[1:]
        if argv[0] == "plot":
            pytest.importorskip("matplotlib")
            argv = [a if a != "lr.png" else str(tmp_path / "lr.png") for a in argv]
        assert main(argv) == 0, line
    capsys.readouterr()


def test_console_script_and_python_m() -> None:
    for cmd in ([sys.executable, "-m", "annealing"],):
        done = subprocess.run(
            [*cmd, "show", "Linear(1.0, 0.0, 4)", "--every", "1"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert done.stdout.splitlines()[-1].split() == ["4", "0"]
    version = subprocess.run(
        [sys.executable, "-m", "annealing", "--version"], capture_output=True, text=True
    )
    assert version.returncode == 0 and version.stdout.startswith("annealing ")
    script = Path(sys.executable).with_name("annealing")
    if script.exists():
        done = subprocess.run([str(script), "show", "Constant(0.5, 2)"], capture_output=True)
        assert done.returncode == 0
