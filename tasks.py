#!/usr/bin/env python3
"""The task runner: every command creates and fills its own virtual environment.

    python3 tasks.py serve     build the docs site and serve it at http://127.0.0.1:8000
    python3 tasks.py test      lint, types, unit, property, docs, notebook, browser tests
    python3 tasks.py build     build the docs site into site/ (strict)
    python3 tasks.py peers     install the peers (PyTorch, JAX/optax, Keras, Transformers, timm)
    python3 tasks.py bench     run the benchmarks in benchmarks/ and print their tables
    python3 tasks.py fuzz      the deep fuzz of every public entry point (>= 10**6 calls): a table

Only the standard library is used here, so this file runs with a bare ``python3``.
Under ``CI=true`` the tests that need an optional component (a peer framework,
Chromium) fail instead of skipping when it is missing.

Environment variables:
    ANNEALING_VENV=DIR      the virtual environment to use (default .venv); .ci/run keeps a
                            peer-free one apart from the real one
    ANNEALING_QUICK=1       `test` without the docs site (tests/site: the mkdocs build and the
                            browser tests); lint, types, unit, property, docs and notebooks run
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SPEEDUPS = ROOT / "src" / "annealing" / "_speedups.c"  # compiled by hatch_build.py on install
VENV = ROOT / os.environ.get("ANNEALING_VENV", ".venv")  # an absolute path stays absolute
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
PEERS = ROOT / "requirements" / "peers.txt"
EXTRAS = {"docs": "docs,notebooks,plot,laws", "test": "dev,docs,notebooks,plot,laws"}


def run(*cmd: str | Path, env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    completed = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env)
    if completed.returncode not in ok:
        sys.exit(completed.returncode)


def pip(*args: str | Path) -> None:
    run(PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", *args)


def ensure_env(extras: str) -> None:
    """Create .venv and install the project with `extras`, once per change of inputs."""
    if not PY.exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    build = (ROOT / "pyproject.toml", CONSTRAINTS, ROOT / "hatch_build.py", SPEEDUPS)
    inputs = b"".join(p.read_bytes() for p in build if p.exists())
    stamp = VENV / f".installed-{extras.replace(',', '-')}"
    digest = hashlib.sha256(inputs).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    constraint = ["-c", CONSTRAINTS] if CONSTRAINTS.exists() else []
    pip("-e", f".[{extras}]", *constraint)
    stamp.write_text(digest)


def tool(name: str) -> Path:
    return BIN / name


def docs_env() -> dict[str, str]:
    # Material prints a banner about MkDocs 2.0 at every build; mkdocs<2 is pinned on purpose
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def serve() -> None:
    ensure_env(EXTRAS["docs"])
    run(tool("mkdocs"), "serve", "--strict", "-a", "127.0.0.1:8000", env=docs_env())


def build() -> None:
    ensure_env(EXTRAS["docs"])
    run(tool("mkdocs"), "build", "--strict", env=docs_env())


def peers() -> None:
    ensure_env(EXTRAS["test"])
    # torch==2.13.0 first: it is the CPU wheel; an unpinned torch pulls a CUDA build.
    constraint = ["-c", CONSTRAINTS] if CONSTRAINTS.exists() else []
    pip("torch==2.13.0", *constraint)
    pip("-r", PEERS, *constraint)
    for line in (ROOT / "requirements" / "peers-nodeps.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            pip("--no-deps", line.strip(), *constraint)


# Modules whose doctests import an optional framework: pytest cannot even import them without it
ADAPTERS = {"src/annealing/torch.py": "torch", "src/annealing/keras.py": "keras"}


def missing_adapters(env: dict[str, str]) -> list[str]:
    """The adapter modules whose framework this environment lacks (none under CI=true)."""
    if env.get("CI", "").lower() == "true":
        return []  # in CI the frameworks are installed: a missing one fails collection
    probe = (
        "import importlib.util, sys\n"
        "print(*(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))"
    )
    out = subprocess.run(
        [str(PY), "-c", probe, *sorted(set(ADAPTERS.values()))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [path for path, module in ADAPTERS.items() if module in out]


def test_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("KERAS_BACKEND", "jax")
    env.setdefault("MPLBACKEND", "Agg")
    env["PYTHONHASHSEED"] = "0"
    return env


#: Compiles the simulated-annealing kernels into numba's cache (when numba is installed).
WARM_NUMBA = """
from annealing.simulated import _compiled
if _compiled.available():
    from annealing.simulated import Ising
    _compiled.kernels()
    Ising(4).metropolis(1.0, sweeps=1, engine="numba")
"""


def test() -> None:
    ensure_env(EXTRAS["test"])
    env = test_env()
    quick = os.environ.get("ANNEALING_QUICK", "") not in ("", "0")
    linted = ("src", "tests", "benchmarks", "tasks.py", "hatch_build.py")
    run(tool("ruff"), "check", *linted, env=env)
    run(tool("ruff"), "format", "--check", *linted, env=env)
    run(tool("mypy"), env=env)
    pytest = [PY, "-m", "pytest", *sys.argv[2:]]
    # Jupyter kernels bind TCP ports picked just before they start: two starting at once can
    # collide ("Address already in use"). So the tests that start kernels (the notebooks through
    # nbmake, the site build through mkdocs-jupyter) run one at a time, after the rest has run
    # on two workers.
    kernels = ["tests/site"]  # one site build (a session fixture) for every browser test
    ignored = [*kernels, *(["tests/site"] if quick else [])]
    for path in missing_adapters(env):
        print(f"skipping the doctests of {path}: {ADAPTERS[path]} is not installed", flush=True)
        ignored.append(path)
    parallel = ["-n", "2", "--doctest-modules", *(f"--ignore={k}" for k in ignored)]
    # numba's on-disk cache is not safe to create from several processes at once: two that
    # compile the kernels at the same time can leave a cache that segfaults the next process
    # to load it (numba/numba#4807, #10128); on a fresh clone the two workers, and the process
    # pools of the chains and tempering tests, would do just that. So compile once, here.
    run(PY, "-c", WARM_NUMBA, env=env)
    run(*pytest, *parallel, "src/annealing", "tests", env=env)
    if quick:
        print("ANNEALING_QUICK: the docs site (tests/site) is skipped", flush=True)
        kernels = []
    # exit code 5 (nothing collected) is fine here when extra arguments select other tests
    run(*pytest, "--nbmake", "notebooks", *kernels, env=env, ok=(0, 5) if sys.argv[2:] else (0,))


def fuzz() -> None:
    """The deep fuzz profile: tests/fuzzing.py prints its table and fails on any violation."""
    ensure_env(EXTRAS["test"])
    run(PY, ROOT / "tests" / "fuzzing.py", *sys.argv[2:], env=test_env())


def bench() -> None:
    ensure_env(EXTRAS["test"])
    for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        run(PY, script, *sys.argv[2:])


COMMANDS = {
    "serve": serve,
    "build": build,
    "test": test,
    "peers": peers,
    "bench": bench,
    "fuzz": fuzz,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        sys.exit(2)
    COMMANDS[sys.argv[1]]()
