"""Every ```python block of the Markdown pages in docs/ runs, page by page.

Blocks of one page run in order in one namespace, in a temporary working directory. A block
that needs a peer framework (torch, jax, optax, keras, transformers, timm) skips the rest of
its page locally when the framework is missing and fails in CI (``CI=true``), where
``.ci/run`` installs them. A block can be opted out only with an explicit
``<!-- docs-test: skip REASON -->`` comment on the line before its fence.
"""

from __future__ import annotations

import os
import traceback
from pathlib import Path

import pytest
from support import missing

from annealing._docs.codeblocks import python_blocks

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FRAMEWORKS = {
    "torch",
    "jax",
    "jaxlib",
    "optax",
    "keras",
    "transformers",
    "timm",
    "tensorflow",
    "dask",
    "distributed",
    "accelerate",
}
PAGES = sorted(
    p
    for p in DOCS.rglob("*.md")
    if "hooks" not in p.relative_to(DOCS).parts and python_blocks(p.read_text(encoding="utf-8"))
)


def test_pages_with_code_are_found() -> None:
    assert len(PAGES) >= 10, [str(p) for p in PAGES]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_page_code_runs(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    os.environ.setdefault("KERAS_BACKEND", "jax")
    namespace: dict[str, object] = {"__name__": "__docs__"}
    skipped: list[str] = []
    for block in python_blocks(page.read_text(encoding="utf-8")):
        where = f"{page.relative_to(ROOT)}:{block.line}"
        if block.skip:
            skipped.append(f"{where} ({block.skip})")
            continue
        try:
            exec(compile(block.code, where, "exec"), namespace)
        except ModuleNotFoundError as error:
            top = (error.name or "").split(".")[0]
            if top in FRAMEWORKS:
                missing(f"{where} needs {top}, which is not installed")
            pytest.fail(f"{where} raised\n{traceback.format_exc()}", pytrace=False)
        except Exception:
            pytest.fail(f"{where} raised\n{traceback.format_exc()}", pytrace=False)
        finally:
            try:
                import matplotlib.pyplot as plt

                plt.close("all")
            except ImportError:
                pass
