"""The public training logs shipped with the package: schedule → validation loss.

84 runs (of the 88 logs there; the 4 with a two-stage decay are left out) of Llama-style
language models, 33M to 360M parameters, on SlimPajama and OpenWebText2, with
warmup-stable-decay (WSD) and cosine schedules of several lengths and cooldowns, from the
repository of Schaipp, Hägele, Taylor, Simsekli and Bach, *The Surprising Agreement Between
Convex Optimization Theory and Learning-Rate Scheduling for Large Model Training* (ICML 2025,
arXiv:2501.18965): ``github.com/fabian-sp/lr-scheduling``, ``data/``, MIT licence
(``annealing/laws/data/LICENSE``). ``benchmarks/derive_lr_logs.py`` derived the file; its
README says what was kept.
"""

from __future__ import annotations

import functools
import gzip
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from .. import WSD, Constant, Piecewise, Warmup
from ..schedule import Schedule
from ._inputs import FloatArray

__all__ = ["Model", "Run", "ScheduleConfig", "logs"]

KINDS = ("wsd", "cosine")
SHAPES = ("linear", "1-sqrt", "cosine")
WARMUP_START = 0.01  # the logged runs warm up from 1% of the peak (checked against their logs)
COSINE_DIV = 100.0  # their cosine starts at peak / 100 (PyTorch OneCycleLR's convention)


@dataclass(frozen=True)
class ScheduleConfig:
    """A logged run's schedule, as its config gives it.

    Attributes
    ----------
    kind : {"wsd", "cosine"}
    peak : float
        The peak learning rate.
    warmup : int
        Warmup steps (linear from 1% of `peak` for WSD, a half cosine from `peak`/100 for
        cosine).
    steps : int
        The length T of the run.
    cooldown : float
        WSD: the fraction of T spent decaying (0 for a constant run). Cosine: 1.
    shape : {"linear", "1-sqrt", "cosine"}
        The shape of the decay.
    final : float
        The learning rate at the end (0 for WSD, 10% of `peak` for these cosine runs).
    """

    kind: str
    peak: float
    warmup: int
    steps: int
    cooldown: float
    shape: str
    final: float

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"ScheduleConfig: kind must be one of {KINDS}, got {self.kind!r}")
        if self.shape not in SHAPES:
            raise ValueError(f"ScheduleConfig: shape must be one of {SHAPES}, got {self.shape!r}")

    @property
    def decay_steps(self) -> int:
        """The number of steps of the decay (WSD): ``int(cooldown · steps)``, as the runs had it."""
        return int(self.cooldown * self.steps)

    def schedule(self) -> Schedule:
        """The run's learning rate as an ``annealing`` schedule (equal to the logged rate to
        about 1e-13 relative, checked when the file is derived and by the tests).

        >>> from annealing.laws import logs
        >>> run = next(r for r in logs() if r.schedule.kind == "wsd" and r.schedule.cooldown)
        >>> s = run.schedule.schedule()
        >>> s(0) == 0.01 * run.schedule.peak, s(run.schedule.steps) == run.schedule.final
        (True, True)
        """
        start = WARMUP_START * self.peak
        if self.kind == "cosine":
            # PyTorch's OneCycleLR: the peak at step warmup - 1, the end at steps - 1.
            points = (
                (0.0, self.peak / COSINE_DIV),
                (float(self.warmup - 1), self.peak),
                (float(self.steps - 1), self.final),
            )
            return Piecewise(points, interpolation="cosine")
        decay = self.decay_steps
        if decay == 0:
            return Warmup(Constant(self.peak), warmup=self.warmup, start=start)
        return WSD(
            peak=self.peak,
            warmup=self.warmup,
            stable=self.steps - self.warmup - decay,
            decay=decay,
            start=start,
            end=self.final,
            decay_shape=self.shape,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "peak": self.peak,
            "warmup": self.warmup,
            "steps": self.steps,
            "cooldown": self.cooldown,
            "shape": self.shape,
            "final": self.final,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScheduleConfig:
        return cls(
            kind=str(data["kind"]),
            peak=float(data["peak"]),
            warmup=int(data["warmup"]),
            steps=int(data["steps"]),
            cooldown=float(data["cooldown"]),
            shape=str(data["shape"]),
            final=float(data["final"]),
        )


@dataclass(frozen=True)
class Model:
    """The model and data of a logged run (`architecture` is the config's ``model``:
    ``llama_norm`` or ``llama``)."""

    dataset: str
    architecture: str
    parameters: int
    n_layer: int
    n_embd: int
    n_head: int
    batch_size: int
    sequence_length: int

    @property
    def name(self) -> str:
        """Short name, e.g. ``slimpajama-llama_norm-124M-bs200``."""
        size = round(self.parameters / 1e6)
        return f"{self.dataset}-{self.architecture}-{size}M-bs{self.batch_size}"


@dataclass(frozen=True)
class Run:
    """One logged training run: its model, schedule and validation loss by step.

    A run resumed from another (a cooldown branched off a constant run) logs only its own
    steps, from `resumed_from` on; the learning rate is that of the whole run from step 0.
    """

    id: str
    model: Model
    schedule: ScheduleConfig
    resumed_from: tuple[str, int] | None
    val_steps: tuple[int, ...]
    val_loss: tuple[float, ...]
    lr_steps: tuple[int, ...]
    lr_logged: tuple[float, ...]

    @property
    def steps(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        """The validation steps, as an array."""
        return np.array(self.val_steps, dtype=np.int64)

    @property
    def losses(self) -> FloatArray:
        """The validation losses, as an array."""
        return np.array(self.val_loss, dtype=np.float64)

    def lr(self) -> FloatArray:
        """The learning rate at steps ``0..T`` (T + 1 values), rebuilt from the config."""
        t = np.arange(self.schedule.steps + 1, dtype=np.float64)
        return np.asarray(self.schedule.schedule()(t), dtype=np.float64)


def _run(data: dict[str, Any]) -> Run:
    m = data["model"]
    parent = data["resumed_from"]
    return Run(
        id=str(data["id"]),
        model=Model(
            dataset=str(m["dataset"]),
            architecture=str(m["architecture"]),
            parameters=int(m["parameters"]),
            n_layer=int(m["n_layer"]),
            n_embd=int(m["n_embd"]),
            n_head=int(m["n_head"]),
            batch_size=int(m["batch_size"]),
            sequence_length=int(m["sequence_length"]),
        ),
        schedule=ScheduleConfig.from_dict(data["schedule"]),
        resumed_from=None if parent is None else (str(parent["run"]), int(parent["step"])),
        val_steps=tuple(int(s) for s in data["val_steps"]),
        val_loss=tuple(float(x) for x in data["val_loss"]),
        lr_steps=tuple(int(s) for s in data["lr_steps"]),
        lr_logged=tuple(float(x) for x in data["lr_logged"]),
    )


@functools.lru_cache(maxsize=1)
def logs() -> tuple[Run, ...]:
    """The shipped training logs, one :class:`Run` each, in file order.

    >>> from annealing.laws import logs
    >>> runs = logs()
    >>> len(runs) > 80, len({r.model.name for r in runs}) > 5
    (True, True)

    Reference: Schaipp et al., ICML 2025, arXiv:2501.18965 (the logs of its experiments).
    """
    blob = resources.files("annealing.laws").joinpath("data/lr_logs.json.gz").read_bytes()
    document = json.loads(gzip.decompress(blob))
    if document.get("format") != 1:
        raise ValueError(f"logs: unknown format {document.get('format')!r} (expected 1)")
    return tuple(_run(r) for r in document["runs"])
