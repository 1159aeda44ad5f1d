r"""How sure a fitted law is: refits on resampled points, and the band they spread over.

A law fitted on two runs gives one number per schedule; two schedules whose predictions differ
by less than the law's own uncertainty cannot be told apart by it. :func:`resample` refits the
law on bootstrap resamples of the observed points (each run's points drawn with replacement,
in blocks of consecutive points, since neighbouring points of a loss curve are correlated;
Künsch 1989, *The Jackknife and the Bootstrap for General Stationary Observations*, Ann.
Statist. 17(3)) and keeps the refits as an :class:`Ensemble`. :meth:`Ensemble.predict` gives
a band; :meth:`Ensemble.better` the share of refits that rank one schedule before another.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._inputs import FloatArray, horizon, name_of
from .law import LAWS, Law, _run, fit

__all__ = ["Ensemble", "resample"]

MAX_REFITS = 1000


@dataclass(frozen=True)
class Ensemble:
    """Refits of one law on resampled points (:func:`resample`), the first on all points.

    Examples
    --------
    >>> from annealing import Constant, WSD
    >>> from annealing.laws import Ensemble, Law
    >>> members = (Law("tissue", (2.5, 0.6, 0.4, 0.5)), Law("tissue", (2.5, 0.6, 0.4, 0.8)))
    >>> band = Ensemble(members)
    >>> low, mid, high = band.predict(WSD(peak=1e-3, warmup=0, stable=800, decay=200), [1000])
    >>> bool(low[0] < high[0])
    True
    >>> band.better(WSD(peak=1e-3, warmup=0, stable=800, decay=200), Constant(1e-3), 1000)
    1.0
    >>> Ensemble.from_dict(band.to_dict()) == band
    True
    """

    laws: tuple[Law, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.laws, tuple) or not self.laws:
            raise ValueError(f"Ensemble: laws must be a non-empty tuple, got {self.laws!r}"[:200])
        if len(self.laws) > MAX_REFITS + 1:
            raise ValueError(f"Ensemble: at most {MAX_REFITS + 1} laws, got {len(self.laws)}")
        if not all(isinstance(x, Law) for x in self.laws):
            raise TypeError("Ensemble: every member of laws must be an annealing.laws.Law")
        kinds = {x.law for x in self.laws}
        if len(kinds) != 1:
            raise ValueError(f"Ensemble: every law must be of one kind, got {sorted(kinds)}")

    @property
    def law(self) -> Law:
        """The fit on all the points (the first member)."""
        return self.laws[0]

    def predict(
        self, lr: Any, steps: Any, level: float = 0.9
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """``(low, law, high)``: the central `level` band of the refits' predictions at each of
        `steps`, and the prediction of the fit on all points."""
        if isinstance(level, bool) or not isinstance(level, (int, float)):
            raise TypeError(f"Ensemble.predict: level must be a number in (0, 1), got {level!r}")
        if not (0.0 < float(level) < 1.0):
            raise ValueError(f"Ensemble.predict: level must be in (0, 1), got {level!r}")
        rows = np.vstack([x.predict(lr, steps) for x in self.laws])
        q = (1.0 - float(level)) / 2.0
        low = np.quantile(rows, q, axis=0)
        high = np.quantile(rows, 1.0 - q, axis=0)
        return low, rows[0], high

    def better(self, a: Any, b: Any, steps: Any) -> float:
        """The share of members that predict a lower loss at step `steps` for `a` than for
        `b`: near 0.5, the law cannot tell the two apart."""
        T = horizon("Ensemble.better", "steps", steps)
        wins = [float(x.predict(a, [T])[0]) < float(x.predict(b, [T])[0]) for x in self.laws]
        return sum(wins) / len(wins)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict: ``{"format": 1, "laws": [Law.to_dict(), ...]}``."""
        return {"format": 1, "laws": [x.to_dict() for x in self.laws]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Ensemble:
        """The ensemble written by :meth:`to_dict`."""
        if not isinstance(data, dict) or data.get("format") != 1:
            raise ValueError(
                f"Ensemble.from_dict: data must be a dict with format 1, got {data!r}"[:300]
            )
        laws = data.get("laws")
        if not isinstance(laws, list) or not 0 < len(laws) <= MAX_REFITS + 1:
            raise ValueError(
                f"Ensemble.from_dict: laws must be a list of 1..{MAX_REFITS + 1} laws, "
                f"got {laws!r}"[:300]
            )
        return cls(tuple(Law.from_dict(x) for x in laws))


def resample(
    runs: Sequence[Any], law: str = "tissue", refits: Any = 20, seed: Any = 0, block: Any = 5
) -> Ensemble:
    """Fit `law` on `runs`, then refit it on `refits` block-bootstrap resamples of the points.

    Parameters
    ----------
    runs, law
        As for :func:`annealing.laws.fit`.
    refits : int
        The number of resamples, 1..1000. Default 20.
    seed : int
        Seeds ``numpy.random.default_rng``: the same seed gives the same ensemble.
    block : int
        Consecutive points drawn together, >= 1. Default 5.

    Returns
    -------
    Ensemble
        The fit on all points first, then the refits.
    """
    if not name_of(law, LAWS):
        raise ValueError(f"resample: law must be one of {LAWS}, got {law!r}"[:200])
    count = horizon("resample", "refits", refits)
    if count > MAX_REFITS:
        raise ValueError(f"resample: refits must be at most {MAX_REFITS}, got {count}")
    size = horizon("resample", "block", block)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(f"resample: seed must be an integer >= 0, got {seed!r}"[:200])
    first = fit(runs, law)
    prepared = [_run(i, r) for i, r in enumerate(runs)]
    rng = np.random.default_rng(int(seed))
    members = [first]
    for _ in range(count):
        drawn = []
        for points, y in prepared:
            n = y.size
            starts = rng.integers(0, max(n - size, 0) + 1, size=math.ceil(n / size))
            index = np.sort(np.concatenate([np.arange(s, min(s + size, n)) for s in starts])[:n])
            drawn.append((points.eta, points.steps[index], y[index]))
        members.append(fit(drawn, law))
    return Ensemble(tuple(members))
