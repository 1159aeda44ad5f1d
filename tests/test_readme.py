"""The README stays true: its chart is the CLI's output, its Python runs, its commands exist."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

from support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_chart_is_what_the_cli_prints() -> None:
    block = re.search(r"```console\n\$ (annealing .*?)\n(.*?)```", README, re.S)
    assert block is not None
    command, shown = block.group(1), block.group(2)
    args = shlex.split(command)[1:]
    out = subprocess.run(
        [sys.executable, "-m", "annealing", *args], capture_output=True, text=True, check=True
    ).stdout
    assert out == shown


def test_python_block_runs_and_its_comments_hold() -> None:
    code = re.search(r"```python\n(.*?)```", README, re.S)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(code.group(1), namespace)
    for line in code.group(1).splitlines():
        if "#" in line and not line.lstrip().startswith("#") and "=" not in line.split("#")[0]:
            expression, comment = line.split("#", 1)
            expected = comment.strip().split(":")[0]
            assert repr(eval(expression, namespace)) == expected, line


def test_the_two_commands_are_the_task_runner() -> None:
    assert "python3 tasks.py serve" in README and "python3 tasks.py test" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert "CI=true python3 tasks.py test" in ci


def test_every_command_in_the_text_runs() -> None:
    """Inline commands (`annealing ...`) run as written, FILE.tsp being a real TSPLIB file."""
    from support import tsplib

    from annealing.cli import main

    commands = re.findall(r"`(annealing [^`]+)`", README)
    assert commands
    for command in commands:
        argv = shlex.split(command)[1:]
        if argv[:2] == ["sa", "tsp"]:
            argv = [str(tsplib("berlin52.tsp")) if a == "FILE.tsp" else a for a in argv]
            argv += ["--steps", "2e3", "-q"]  # the default million moves: too long for a test
        assert main(argv) == 0, command
