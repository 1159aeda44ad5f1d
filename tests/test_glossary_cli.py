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
