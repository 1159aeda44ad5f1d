"""Build hook: compile ``annealing._speedups`` (src/annealing/_speedups.c), the scalar call.

It is optional. Without a C compiler, or with ``ANNEALING_PURE=1``, the package installs
without it and computes the same numbers in Python, more slowly (``benchmarks/bench_speed.py``
prints how much). An editable install (``pip install -e .``) builds it in place, beside the
source; a wheel carries it and is tagged for this interpreter and platform.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sysconfig
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class SpeedupsHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or os.environ.get("ANNEALING_PURE") == "1":
            return
        source = Path(self.root, "src", "annealing", "_speedups.c")
        suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
        target = source.with_name("_speedups" + suffix)
        compiler = shlex.split(sysconfig.get_config_var("CC") or "cc")
        command = [
            *compiler,
            *("-shared", "-fPIC", "-O2", "-std=c99", "-Wall"),
            # the same float operations as Python's, one rounding each: no contraction into
            # fused multiply-adds, no reassociation
            *("-ffp-contract=off", "-fno-fast-math"),
            "-I",
            sysconfig.get_paths()["include"],
            str(source),
            "-o",
            str(target),
            "-lm",
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, text=True)
        except (OSError, subprocess.CalledProcessError) as error:
            detail = getattr(error, "stderr", "") or str(error)
            self.app.display_warning(
                f"annealing: _speedups not built ({detail.strip()[:500]}); the scalar call "
                "runs in Python (the same numbers, slower)"
            )
            target.unlink(missing_ok=True)
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version != "editable":
            build_data["force_include"][str(target)] = f"annealing/{target.name}"
