"""``annealing define``: the glossary from the shell."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from annealing.glossary import _cli, define, terms


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="annealing")
    _cli.register(parser.add_subparsers())
    args = parser.parse_args(["define", *argv])
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_define_prints_the_formatted_entry(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "cosine annealing", "--width", "88")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[:2] == ["cosine annealing", "================"]
    for title in ("Definition", "Formula", "Explained easy", "Etymology", "FAQ", "References"):
        assert title in lines
    assert "η_t = η_min + ½ (η_max − η_min) (1 + cos(π · T_cur / T))" in out
    assert "https://arxiv.org/abs/1608.03983" in out
    assert max(len(line) for line in lines if "http" not in line) <= 88


def test_define_accepts_words_without_quotes_and_any_case(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "WARM", "Restarts")
    assert code == 0 and out.startswith("warm restart\n")


def test_define_list_and_tag(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--list")
    assert code == 0
    assert len(out.splitlines()) == len(terms())
    code, out, _ = run(capsys, "--list", "--tag", "simulated-annealing")
    assert code == 0 and "Metropolis criterion" in out and "warmup" not in out
    code, _, err = run(capsys, "--list", "--tag", "poetry")
    assert code == 2 and "--tag must be one of" in err
    code, _, err = run(capsys, "--list", "sgdr")
    assert code == 2 and "not both" in err
    code, _, err = run(capsys)
    assert code == 2 and "give a term" in err


def test_define_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "SGDR", "--json")
    data = json.loads(out)
    assert code == 0 and data["id"] == "sgdr"
    assert data["schedule"]["type"] == "Restarts"
    assert data["references"][0]["url"] == "https://arxiv.org/abs/1608.03983"
    code, out, _ = run(capsys, "--list", "--json")
    assert {d["id"] for d in json.loads(out)} == {t.id for t in terms()}


def test_an_unknown_term_exits_1_with_the_closest_matches(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "warm restrat")
    assert code == 1 and out == ""
    assert "no glossary term 'warm restrat'" in err
    assert "closest matches: 'warm restart'" in err


def test_format_term_shows_every_section_the_term_has() -> None:
    text = _cli.format_term(define("SGDR"), width=70)
    for title in ("Schedule in the library", "Examples in context", "Did you know?"):
        assert f"\n{title}\n" in text
    assert "annealing.Restarts(cycle=Cosine(start=0.05" in text
    assert "  - warm restart (warm-restart)" in text


def test_python_dash_m_annealing_define() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "annealing", "define", "T_mult"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("T_mult\n======\n")
    missing = subprocess.run(
        [sys.executable, "-m", "annealing", "define", "cosine anealing"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode == 1
    assert "closest matches: 'cosine annealing'" in missing.stderr


@pytest.mark.parametrize("width", ["0", "-5", "19", "1001", "1e9", "x", "inf", ""])
def test_define_width_is_checked_with_one_line(width: str) -> None:
    from annealing.cli import main

    done = subprocess.run(
        [sys.executable, "-m", "annealing", "define", "SGDR", "--width", width],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert "annealing define: --width must be an integer between 20 and 1000" in done.stderr
    assert main(["define", "SGDR", "--width", "20"]) == 0


@pytest.mark.parametrize("argv", [["cosine annealing"], ["SGDR", "--json"], ["--list"]])
def test_define_on_an_ascii_terminal(argv: list[str]) -> None:
    import os

    done = subprocess.run(
        [sys.executable, "-m", "annealing", "define", *argv],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        timeout=120,
    )
    assert done.returncode == 0 and done.stderr == b"", done.stderr
    text = done.stdout.decode("ascii")
    if "--json" in argv:
        assert json.loads(text)["id"] == "sgdr"  # \u escapes: still the same JSON
    else:
        assert "\\u" in text or "--list" in argv  # what ASCII cannot show is escaped, not lost


def test_every_help_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    import shlex

    from annealing.cli import main

    lines = [line.strip() for line in _cli.EXAMPLES.splitlines() if line.strip()[:9] == "annealing"]
    assert len(lines) >= 4
    for line in lines:
        argv = shlex.split(line.split("  (")[0])[1:]
        assert main(argv) == 0, line
    capsys.readouterr()
