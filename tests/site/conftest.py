"""Shared fixtures for the browser tests: Debian's Chromium driven by Playwright.

Chromium and Playwright are optional locally (the tests skip with the reason) and required
in CI (``CI=true``), where ``.ci/run`` installs Chromium.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import missing

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium, launched once per test session (per xdist worker)."""
    if not CHROMIUM.exists():
        missing(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        missing(f"playwright is not importable ({error}); it is in the dev extra")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built once per session by ``mkdocs build --strict`` (notebooks executed), or
    the built site at ``ANNEALING_SITE_DIR`` (outside CI), for the tests that only read it."""
    import os
    import subprocess
    import sys
    import time

    from support import CI, ROOT

    prebuilt = os.environ.get("ANNEALING_SITE_DIR")
    if prebuilt and not CI:
        return Path(prebuilt)
    try:
        import mkdocs  # noqa: F401
    except ImportError as error:
        missing(f"mkdocs is not importable ({error}); it is in the docs extra")
    out = tmp_path_factory.mktemp("built-site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL="http://127.0.0.1/")
    env["NOTEBOOK_CACHE"] = "false"
    env.pop("MPLBACKEND", None)  # the notebooks' kernels need their inline backend for figures
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    print(f"mkdocs build --strict took {time.perf_counter() - started:.1f} s")
    assert done.returncode == 0, f"strict build failed:\n{done.stdout}\n{done.stderr}"
    warnings = [line for line in done.stderr.splitlines() if line.startswith("WARNING")]
    assert not warnings, warnings
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    """The built site served on a free port of 127.0.0.1 for the whole session."""
    handler = functools.partial(_Quiet, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
