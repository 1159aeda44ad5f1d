"""A one-line progress bar on standard error (no dependency, no terminal tricks)."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO


class ProgressBar:
    """Redraws ``[#####.....]  45%  T=...  E=...  best=...  1.2M moves/s`` at most 10 times a
    second."""

    def __init__(self, steps: int, start: int = 0, stream: TextIO | None = None) -> None:
        self.steps = steps
        self.start = start
        self.stream = sys.stderr if stream is None else stream
        self.began = time.perf_counter()
        self.shown = 0.0
        self.text = ""

    def update(self, status: Any) -> None:
        now = time.perf_counter()
        if now - self.shown < 0.1 and status.move < self.steps:
            return
        self.shown = now
        done = status.move / self.steps
        filled = int(30 * done)
        rate = (status.move - self.start) / max(now - self.began, 1e-9)
        self.text = (
            f"[{'#' * filled}{'.' * (30 - filled)}] {100 * done:5.1f}%  "
            f"T={status.temperature:.4g}  E={status.energy:.6g}  best={status.best_energy:.6g}  "
            f"accept={100 * status.acceptance:4.1f}%  {_si(rate)} moves/s"
        )
        self.stream.write("\r" + self.text)
        self.stream.flush()

    def close(self) -> None:
        if self.text:
            self.stream.write("\n")
            self.stream.flush()


def _si(value: float) -> str:
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if value >= scale:
            return f"{value / scale:.2f}{unit}"
    return f"{value:.0f}"
