"""The ``annealing`` command (cli.py): show, plot, help, errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
        ("Cosin(1, 0, 10)", "schedule: column 1: unknown schedule 'Cosin' (did you mean Cosine?"),
        ("Cosine(1, 0,", "schedule: column 7: not valid syntax"),
        ("1 + 2", "schedule: column 3: operator '+' is not allowed: 1 + 2"),
        ("{not json", "schedule: line 1, column 2: not valid JSON"),
        ("__import__('os')", "schedule: column 1: unknown schedule '__import__'"),
    ],
)
def test_parse_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message)):
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
    assert (
        err
        == "annealing show: schedule: column 1: Cosine: steps must be a finite number > 0, got 0\n"
    )


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == 2 and "usage: annealing" in out


def test_help_teaches_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in ([], ["show"], ["plot"]):
        assert main([*argv, "--help"]) == 0
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


# ------------------------------------------------------------------------------ the error contract

C = "Cosine(1.0, 0.0, 10)"
# The independent fuzz's traceback inputs, and the ones found since: argv -> (exit code, words
# the one error line holds).
REFUSED: list[tuple[list[str], int, str]] = [
    (["show", "1/0"], 2, "schedule: column 2: operator '/' is not allowed: 1/0"),
    (["show", C, "--every", "0"], 2, "--every must be a number > 0 and at most 1e+12, got 0"),
    (["show", C, "--steps", "inf"], 2, "--steps must be a number > 0 and at most 1e+12, got inf"),
    (["show", C, "--steps", "nan"], 2, "--steps must be a number > 0"),
    (["show", C, "--steps", "1e15"], 2, "--steps must be a number > 0 and at most 1e+12"),
    (["show", C, "--steps", "-5"], 2, "--steps must be a number > 0 and at most 1e+12, got -5"),
    (["show", C, "--steps", "ten"], 2, "--steps must be a number > 0 and at most 1e+12, got 'ten'"),
    (["show", C, "--every", "1e-9"], 2, "--every 1e-09 up to step 10 gives 1e+10 rows"),
    (["show", C, "--steps", "1e12", "--every", "1e-300"], 2, "gives inf rows; at most 10000"),
    (["show", "Constant(1.0)", "--steps", "1e12", "--every", "1"], 2, "at most 10000"),
    (["show", C, "--width", "3"], 2, "--width must be an integer between 10 and 1000, got 3"),
    (["show", C, "--width", "1e400"], 2, "--width must be an integer between 10 and 1000"),
    (["show", C, "--width", "20.5", "--spark"], 2, "--width must be an integer"),
    (["show", "Cosine(1.0, 0.0, 1e300)"], 2, "--steps: the schedules' length 1e+300"),
    (["show", C, "Cosine(1, 0, x)"], 2, "schedule 2: column 14: names are not allowed"),
    (["show", "Scale(" * 500], 2, "schedule: column 198: more than 32 levels of brackets"),
    (["show", "9**9**9"], 2, "schedule: column 2: operator '**' is not allowed"),
    (["show", "Cosine(1, 0, \udcff)"], 2, "schedule: column 14: not valid text"),  # argv b"\xff"
    (["show", "Cosine(1, 0, 10)" + " " * 20_000], 2, "schedule: the text is 20016 characters"),
    (["show", ""], 2, "schedule: the text is empty"),
    (["show"], 2, "the following arguments are required: schedule"),
    (["show", C, "--bogus"], 2, "unrecognized arguments: --bogus"),
    (["nope"], 2, "COMMAND: invalid choice: 'nope'"),
    (["plot", C, "-o", ""], 2, "-o/--output must be a file name, got ''"),
    (["plot", C, "-o", " "], 2, "-o/--output must be a file name, got ' '"),
    (["plot", C, "-o", "/missing/dir/x.png"], 2, "-o/--output: the directory '/missing/dir'"),
    (["plot", C, "-o", "/etc/passwd/x.png"], 2, "the directory '/etc/passwd' is not a directory"),
    (["plot", C, "-o", "a\x00.png"], 2, "-o/--output must be a file name, got 'a\\x00.png'"),
    (["plot", C, "-o", "a" * 5000 + ".png"], 2, "-o/--output: cannot write 'aaaa"),
    (["plot", C, "-o", "lr"], 2, "-o/--output must end in one of"),
    (["plot", C, "-o", "lr.nope"], 2, "-o/--output must end in one of"),
    (["plot", C, "-o", "/"], 2, "-o/--output must end in one of"),
    (["plot", C, "--dpi", "1e9"], 2, "--dpi must be an integer between 10 and 600, got 1e9"),
    (["plot", C, "--dpi", "0"], 2, "--dpi must be an integer between 10 and 600, got 0"),
    (["plot", C, "--steps", "0"], 2, "--steps must be a number > 0"),
    (["plot", C, "--title", "\udcff"], 2, "--title must be text, got bytes that are not UTF-8"),
    (["plot", "Constant(0.0)", "--log"], 2, "--log: cannot draw the figure: Data cannot be log"),
]


def test_tiny_steps_give_the_rows_they_say(capsys: pytest.CaptureFixture[str]) -> None:
    # np.arange(0, last + 1e-9, every) once asked for 10**291 rows here
    code, out, _ = run(capsys, "show", C, "--steps", "1e-300", "--every", "1e-300")
    assert code == 0 and [line.split()[0] for line in out.splitlines()[2:]] == ["0", "1e-300"]
    code, out, _ = run(capsys, "show", "Linear(0.0, 1.0, 1)", "--every", "0.1")
    assert code == 0 and len(out.splitlines()) == 2 + 11


@pytest.mark.parametrize(("argv", "code", "words"), REFUSED, ids=lambda v: repr(v)[:50])
def test_every_error_is_one_line_naming_the_option(
    argv: list[str], code: int, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if argv[0] == "plot":
        pytest.importorskip("matplotlib")
        if "-o" not in argv:
            argv = [*argv, "-o", str(tmp_path / "out.svg")]
    got, out, err = run(capsys, *argv)
    assert (got, out) == (code, "")
    assert err.count("\n") == 1 and err.startswith(
        f"annealing{' ' + argv[0] if argv[0] in ('show', 'plot') else ''}: "
    )
    assert words in err, err
    assert not (tmp_path / "out.svg").exists()  # no half-written file either


def test_an_output_directory_and_an_unwritable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib")
    (tmp_path / "d.png").mkdir()
    code, _, err = run(capsys, "plot", C, "-o", str(tmp_path / "d.png"))
    assert code == 2 and "-o/--output is a directory, not a file" in err
    code, _, err = run(capsys, "plot", C, "-o", "/proc/annealing-cannot-write.png")
    assert code in (1, 2) and err.count("\n") == 1 and "annealing-cannot-write.png" in err


def test_the_output_is_checked_before_the_schedules_are_read(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pytest.importorskip("matplotlib")
    code, _, err = run(capsys, "plot", "1/0", "-o", "/missing/dir/x.png")
    assert code == 2 and "-o/--output" in err


@pytest.mark.parametrize("option", ["--chart", "--spark", None])
def test_an_ascii_terminal_gets_plain_characters(option: str | None) -> None:
    argv = [sys.executable, "-m", "annealing", "show", "Cosine(1.0, 0.0, 100)", "--width", "20"]
    done = subprocess.run(
        argv + ([option] if option else []),
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    done.stdout.decode("ascii")  # nothing outside ASCII
    if option == "--chart":
        assert b"|#" in done.stdout and b"+----" in done.stdout
    if option == "--spark":
        assert b"#" in done.stdout and b"_" in done.stdout


def test_a_stream_that_only_encodes_ascii(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stream)
    assert main(["show", "Cosine(1.0, 0.0, 100)", "--chart", "--width", "30"]) == 0
    assert main(["show", "Cosine(1.0, 0.0, 100)", "--spark", "--width", "30"]) == 0
    stream.flush()
    text = raw.getvalue().decode("ascii")
    assert "|" in text and "#" in text


def test_a_closed_pipe_and_an_interrupt_end_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    done = subprocess.run(
        f"{sys.executable} -m annealing show 'Constant(1.0)' --steps 9999 --every 1 | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.startswith("[0] Constant(value=1.0)")
    assert "Traceback" not in done.stderr and done.stderr == ""

    import annealing.cli

    def interrupted(args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(annealing.cli, "cmd_show", interrupted)
    code, _, err = run(capsys, "show", C)
    assert code == 130 and err == "annealing show: interrupted\n"


# ------------------------------------------------------------------------------ the CLI fuzz

HOSTILE = ["", " ", "0", "-5", "1e15", "inf", "-inf", "nan", "1e400", "x", "1.5", "10", "3", "1e12"]
HOSTILE += ["1e-300", "5e-324", "0x10", "1_000", "+7", "١٢", "\udcff", "Cosine(1, 0, \udcff)"]
HOSTILE += ["1" * 60, "1/0", "9**9**9", "Cosine(1, 0, 10)", "SGDR(0.1, 10)", "Constant(1.0)"]
HOSTILE += ["Cosine(1, 0, 1e300)", "Cosine(1, 0, 1e-300)", "{}", '{"type": "Cosine"}', "-"]
HOSTILE += ["compat.torch.OneCycleLR(0.1, total_steps=100)", "é", "\x00", "--", "-o"]
HOSTILE += ["Exponential(1.0, rate=0.5)", "Warmup(Cosine(1.0, 0.0, 90), 10)", "$\\frac", "20"]
OPTIONS = {
    "show": ["--steps", "--every", "--width", "--spark", "--chart"],
    "plot": ["--steps", "--dpi", "--log", "--title", "-o", "--output"],
    "define": ["--list", "--tag", "--json", "--width"],
    "sa": ["tsp", "--steps", "--seed", "--cycles", "--schedule", "--engine", "-o", "-q"],
}
FLAGS = {"--spark", "--chart", "--log", "--list", "--json", "-q", "tsp"}


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("cli-fuzz")
    (root / "dir.png").mkdir()
    five = root / "five.tsp"
    five.write_text(
        "NAME : five\nTYPE : TSP\nDIMENSION : 5\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n"
        "1 0 0\n2 0 9\n3 9 9\n4 9 0\n5 4 4\nEOF\n"
    )
    (root / "bad.tsp").write_text("NAME : bad\nDIMENSION : x\n")
    return {
        "out.png": str(root / "out.png"),
        "out.svg": str(root / "out.svg"),
        "dir.png": str(root / "dir.png"),
        "five.tsp": str(five),
        "bad.tsp": str(root / "bad.tsp"),
        "missing.tsp": str(root / "missing.tsp"),
        "dir": str(root),
        "missing-dir": str(root / "no" / "x.png"),
    }


def _argv(data: st.DataObject, places: dict[str, str]) -> list[str]:
    command = data.draw(st.sampled_from(sorted(OPTIONS)))
    values = st.sampled_from(HOSTILE + sorted(places.values()) + ["exponential", "restarts"])
    argv = [command]
    if command == "sa" and data.draw(st.booleans()):
        argv += ["tsp", data.draw(values), "-q"]
    elif command in ("show", "plot"):
        argv += data.draw(st.lists(values, min_size=0, max_size=2))
    elif command == "define":
        argv += data.draw(st.lists(st.sampled_from([*HOSTILE, "SGDR", "warm restart"]), max_size=2))
    for _ in range(data.draw(st.integers(0, 3))):
        option = data.draw(st.sampled_from(OPTIONS[command]))
        argv.append(option)
        if option not in FLAGS:
            argv.append(data.draw(values))
    if command == "sa" and "--steps" not in argv:
        argv += ["--steps", "200"]  # the default 1e6 moves would make the fuzz slow
    if command == "plot" and "-o" not in argv and "--output" not in argv:
        argv += ["-o", places["out.svg"]]
    return argv


@settings(
    max_examples=int(os.environ.get("ANNEALING_CLI_FUZZ", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_fuzz_no_traceback_every_error_one_line_naming_what_was_wrong(
    data: st.DataObject, places: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = _argv(data, places)  # without matplotlib, plot and -o fail as one line too
    capsys.readouterr()
    if data.draw(st.booleans()):  # a terminal that only encodes ASCII
        import contextlib
        import io

        with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO(), encoding="ascii")):
            code = main(argv)
    else:
        code = main(argv)
    _, err = capsys.readouterr()
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err and "internal error" not in err, (argv, err)
    lines = err.splitlines()
    if argv[0] == "sa" and code == 0:
        return  # its progress goes to stderr
    if code != 0:
        assert lines and all(line.startswith("annealing") for line in lines), (argv, err)
        named = [a for a in argv if a.startswith("-")]
        named += ["schedule", "file", "COMMAND", "PROBLEM", "arguments", "term", "define:"]
        named += [a for a in argv if os.sep in a]  # a file, named by its path
        assert any(word in lines[-1] for word in named), (argv, err)
