"""Import timm's scheduler modules without ``timm/__init__.py``.

timm's package ``__init__`` imports its models, which import torchvision; torchvision does
not import beside the CPU torch wheel used here. The scheduler modules need only torch and
numpy, so stand-in package objects for ``timm`` and ``timm.scheduler`` (with the real
``__path__``, so the submodules are found where pip installed them) let them load without
running either ``__init__``. ``timm`` itself is installed with ``--no-deps``
(requirements/peers-nodeps.txt).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from pathlib import Path
from typing import Any

from support import missing


def scheduler_module(name: str) -> Any:
    """``timm.scheduler.<name>`` (e.g. ``cosine_lr``), or skip/fail when timm is missing."""
    if "timm.scheduler" not in sys.modules:
        _install_stand_ins()
    try:
        return importlib.import_module(f"timm.scheduler.{name}")
    except Exception as error:  # torch missing, or a broken install
        return missing(f"timm.scheduler.{name} is not importable ({type(error).__name__}: {error})")


def _install_stand_ins() -> None:
    try:
        spec = importlib.util.find_spec("timm")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        missing("timm is not installed (pip install --no-deps timm)")
        return
    root = Path(next(iter(spec.submodule_search_locations)))
    if "timm" not in sys.modules:
        package = types.ModuleType("timm")
        package.__path__ = [str(root)]
        sys.modules["timm"] = package
    sub = types.ModuleType("timm.scheduler")
    sub.__path__ = [str(root / "scheduler")]
    sys.modules["timm.scheduler"] = sub
