"""Shared test helpers (imported as `support`; conftest.py files are not importable by name).

Optional components (peer frameworks, Chromium, the TSPLIB data) skip locally with a visible
reason, and fail under ``CI=true``, where .ci/run installs them.
"""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
CI = os.environ.get("CI", "").lower() == "true"
SHARED = ROOT.parent / "shared"
TSPLIB = SHARED / "data" / "tsplib"


def missing(reason: str) -> Any:
    """Skip locally, fail in CI: an optional component is missing."""
    if CI:
        pytest.fail(f"required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def require(module: str) -> ModuleType:
    """Import `module` or skip (locally) / fail (CI) with the reason."""
    try:
        return importlib.import_module(module)
    except Exception as error:  # ImportError, or a broken install raising at import
        return missing(f"{module} is not importable ({type(error).__name__}: {error})")


def tsplib(name: str) -> Path:
    """The path of a TSPLIB file in ../shared/data/tsplib (never copied into the repo)."""
    path = TSPLIB / name
    if not path.exists():
        return missing(f"TSPLIB data not found at {path}")  # type: ignore[no-any-return]
    return path


@contextlib.contextmanager
def explorer_page(browser: Any, base_url: str, ready: str) -> Iterator[Any]:
    """The site's explorer at 1280 px once `ready` (a JavaScript expression) holds; the page
    must raise no error meanwhile."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda error: errors.append(str(error)))
    p.goto(base_url + "explorer/")
    p.wait_for_function(ready)
    yield p
    context.close()
    assert not errors, errors


def hostile(*more: Any) -> Any:
    """A hypothesis strategy of values no parameter should take silently (None, bools, huge
    ints, NaN and infinities, text, a bare object), and `more`."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=5),
        st.just(object()),
        *more,
    )
