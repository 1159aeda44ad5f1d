r"""Loss laws of the learning-rate schedule, fitted on training runs: predict a run's loss
curve from its schedule alone.

Two laws, both functions of the rates :math:`\eta_0..\eta_T` (index = step), the area
:math:`S(t) = \sum_{\tau=1}^{t} \eta_\tau` and the decreases after the peak step :math:`W`,
:math:`\Delta_k = \eta_{k-1} - \eta_k` (:math:`k > W`; the warmup adds area but no decrease,
as in both papers):

``"tissue"``, Tissue et al., *Scaling Law with Learning Rate Annealing*, 2024,
arXiv:2408.11029, Eq. 1, with its noise term written out:

.. math::

    \begin{aligned}
    L(t) &= L_0 + A\, S(t)^{-\alpha} \\
      &\quad + C \Big(\frac{\eta_W}{1 - \lambda} - S_2(t)\Big), \\
    S_2(t) &= \sum_{i=1}^{t} m_i, \qquad m_i = \lambda m_{i-1} + \Delta_i
    \end{aligned}

with :math:`\lambda = 0.99`, fixed, not fitted.

``"multi-power"``, Luo et al., *A Multi-Power Law for Loss Curve Prediction Across Learning
Rate Schedules*, 2025, arXiv:2503.12811, Eq. 5, with its noise term written out:

.. math::

    \begin{aligned}
    L(t) &= L_0 + A\, S(t)^{-\alpha} + B \Big(\eta_W \\
      &\quad - \sum_{k=W+1}^{t} \Delta_k\, G\big(\eta_k^{-\gamma} S_k(t)\big)\Big), \\
    G(x) &= 1 - (C x + 1)^{-\beta}, \\
    S_k(t) &= \sum_{\tau=k}^{t} \eta_\tau
    \end{aligned}

(their :math:`S_1(t) + S_W` is :math:`S(t)` here; where the rate falls to 0, so that
:math:`\eta_k^{-\gamma}` is infinite, :math:`G` is 1 once area follows and 0 before). With
more than 512 steps that change the rate (a cosine of 50k steps), consecutive decreases are
merged into 512 groups (on a 20k-step cosine this changes the predicted loss by about 1e-6
relative).

**Two departures from the papers, both measured** (``benchmarks/bench_laws.py``):

- *The noise term.* Both papers fit runs at one peak rate :math:`\eta_W`, where the terms
  :math:`C\eta_W/(1-\lambda)` and :math:`B\eta_W` are constants inside :math:`L_0`. Written
  out, the annealing terms become what they stand for, a loss proportional to the (lagged)
  current rate: the Tissue term is :math:`C\,\tilde\eta_t/(1-\lambda)` with
  :math:`\tilde\eta_t = \eta_t + \sum_k \lambda^{t-k+1}\Delta_k`, and the multi-power term
  tends to :math:`B\eta_t`. So a run at twice the peak rate starts from a higher floor,
  instead of being predicted as the same run twice as fast. For runs at one peak rate the
  laws are the papers' laws exactly (with :math:`L_0` shifted). On the shipped logs, where
  every cosine run has twice the peak rate of its model's constant run, this took the mean
  error of the final loss from 2.43% to 0.36% (Tissue) and from 1.97% to 0.78%
  (multi-power), fitted on the constant and the shortest cosine run of each model. Luo et
  al.'s public code gets this term from the warmup instead: its sum over the changes of the
  rate includes the warmup's increases, each with its own :math:`G`, which add up to
  :math:`B\eta_W` as their :math:`G` tends to 1 (for a warmup from 0; the difference,
  :math:`B\sum_{k \le W}(\eta_k - \eta_{k-1})(1 - G)`, is tested).
- :math:`\lambda = 0.99` rather than Tissue et al.'s 0.999, chosen on the three OpenWebText2
  models of the logs (mean error 0.13% against 0.85% at 0.999); the nine SlimPajama models
  are the test set.

Fitting (:func:`fit`) minimises the Huber loss (:math:`\delta = 10^{-3}`) of the residuals
:math:`\log \hat L - \log L` over every observed point after the peak step, as Hoffmann et
al. (2022, arXiv:2203.15556) and Luo et al. do (each run weighted equally, however many points
it logged; Luo et al.'s code weights each point equally, and fits with AdamW from one start),
with ``scipy.optimize.least_squares``, from several
starts: for the Tissue law, for each :math:`\alpha` of a grid, the linear least-squares
:math:`(L_0, A, C)`; for the multi-power law, the fitted Tissue law's :math:`(L_0, A, \alpha)`
with :math:`\gamma = 0.5`, :math:`\beta \in \{0.5, 1\}` and two scales of
:math:`C`, each with the linear least-squares :math:`(L_0, A, B)`. The best final cost wins.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validate import show
from ..schedule import Schedule
from ._features import area, drops, momentum_area
from ._inputs import MAX_STEPS, FloatArray, name_of, real, vector

__all__ = ["LAWS", "Law", "fit"]

LAWS = ("tissue", "multi-power")
NAMES = {
    "tissue": ("L0", "A", "alpha", "C"),
    "multi-power": ("L0", "A", "alpha", "B", "C", "beta", "gamma"),
}
TISSUE_DECAY = 0.99  # λ: chosen on the OpenWebText2 logs (the paper's default is 0.999)
# The range of each parameter, as fit searches it (fit's L0 is also below the lowest loss).
RANGES = {
    "L0": (0.0, math.inf),
    "A": (0.0, math.inf),
    "alpha": (1e-3, 3.0),
    "B": (0.0, math.inf),
    "C": (0.0, math.inf),
    "beta": (1e-3, 5.0),
    "gamma": (0.0, 3.0),
}
PEAK_TOLERANCE = 1e-6  # relative: a peak this close to the fitted ones is one of them
AREAS = (1e-100, 1e100)  # the area Σ lr at an observed step that fit accepts
HUBER = 1e-3  # δ of the Huber loss on log-residuals (Hoffmann et al. 2022; Luo et al. 2025)


@dataclass(frozen=True)
class _Points:
    """One run prepared for a law: its rates and the observed steps."""

    eta: FloatArray
    steps: np.ndarray[Any, np.dtype[np.int64]]


def _steps(owner: str, steps: Any, T: int | None) -> np.ndarray[Any, np.dtype[np.int64]]:
    raw = np.asarray(steps)
    if raw.ndim != 1 or raw.size == 0:
        raise ValueError(f"{owner}: steps must be a non-empty 1-D array, got shape {raw.shape}")
    if raw.dtype.kind == "f":
        if not np.all(np.isfinite(raw)) or not np.all(raw == np.round(raw)):
            raise ValueError(f"{owner}: steps must be whole numbers, got {show(steps)}")
    elif raw.dtype.kind not in "iu":
        raise TypeError(f"{owner}: steps must be integers, got dtype {raw.dtype}")
    out = raw.astype(np.int64)
    if out.min() < 1:
        raise ValueError(
            f"{owner}: steps must be >= 1 (the laws need an area Σ lr > 0), got {out.min()}"
        )
    if out.max() > MAX_STEPS:
        raise ValueError(f"{owner}: steps must be at most 10**8, got {out.max()}")
    if T is not None and out.max() > T:
        raise ValueError(f"{owner}: steps must be <= {T} (lr gives steps 0..{T}), got {out.max()}")
    return out


def _points(owner: str, lr: Any, steps: Any) -> _Points:
    if isinstance(lr, Schedule):
        s = _steps(owner, steps, None)
        t = np.arange(int(s.max()) + 1, dtype=np.float64)
        eta = vector(owner, "lr", lr(t))
    else:
        eta = vector(owner, "lr", lr)
        s = _steps(owner, steps, eta.size - 1)
    a = area(eta)
    if np.any(a[s] <= 0.0):
        bad = int(s[np.argmax(a[s] <= 0.0)])
        raise ValueError(f"{owner}: lr must be > 0 at some step 1..{bad}, got 0 up to {bad}")
    return _Points(eta, s)


class _Model:
    """A law's prediction for one run, with the run's sums computed once."""

    def __init__(self, law: str, points: _Points) -> None:
        self.law = law
        eta, t = points.eta, points.steps
        a = area(eta)
        self.S = a[t]
        self.peak = float(eta.max())
        if law == "tissue":
            # S2 - η_W/(1-λ): -C times it is the noise term C·η̃_t/(1-λ), η̃ the lagged rate
            self.S2 = momentum_area(eta, TISSUE_DECAY)[t] - self.peak / (1.0 - TISSUE_DECAY)
        else:
            k, delta, eta_k = drops(eta)
            ki = k.astype(np.int64)
            # S_k(t) = S(t) - S(k - 1), for the terms with k <= t (the others are masked out).
            Sk = self.S[:, None] - a[ki - 1][None, :]
            self.mask = ki[None, :] <= t[:, None]
            self.Sk = np.where(self.mask, Sk, 0.0)
            self.delta = delta
            with np.errstate(divide="ignore"):  # a decrease to 0: log 0 = -inf, see _scaled_area
                self.log_eta_k = np.log(eta_k)

    def __call__(self, p: Sequence[float]) -> FloatArray:
        base = p[0] + p[1] * self.S ** (-p[2])
        if self.law == "tissue":
            return np.asarray(base - p[3] * self.S2, dtype=np.float64)
        B, C, beta, gamma = p[3], p[4], p[5], p[6]
        if self.delta.size == 0:
            return np.asarray(base + B * self.peak, dtype=np.float64)
        x = C * self._scaled_area(gamma)
        g = np.where(self.mask, 1.0 - (x + 1.0) ** (-beta), 0.0)
        return np.asarray(base - B * ((g * self.delta).sum(axis=1) - self.peak), dtype=np.float64)

    def _scaled_area(self, gamma: float) -> FloatArray:
        """η_k^-γ S_k(t), with η_k = 0 giving inf where S_k(t) > 0 and 0 where S_k(t) = 0 (no
        step since the decrease: no gain yet)."""
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(-gamma * self.log_eta_k)[None, :] * self.Sk
        return np.where(self.Sk > 0.0, e, 0.0)

    def jacobian(self, p: Sequence[float]) -> FloatArray:
        """d prediction / d parameters, one row per observed step."""
        powered = self.S ** (-p[2])
        columns = [np.ones_like(self.S), powered, -p[1] * powered * np.log(self.S)]
        if self.law == "tissue":
            return np.column_stack([*columns, -self.S2])
        B, C, beta, gamma = p[3], p[4], p[5], p[6]
        if self.delta.size == 0:
            zero = np.zeros_like(self.S)
            return np.column_stack([*columns, np.full_like(self.S, self.peak), zero, zero, zero])
        e = self._scaled_area(gamma)  # x / C
        finite = np.isfinite(e)  # e = inf: a decrease to 0 followed by area, G = 1
        e = np.where(finite, e, 0.0)
        x1 = C * e + 1.0
        tail = np.where(self.mask & finite, x1 ** (-beta), 0.0)  # (x + 1)^-β
        slope = beta * tail / x1  # dG/dx
        d = self.delta
        log_eta = np.where(np.isfinite(self.log_eta_k), self.log_eta_k, 0.0)[None, :]
        return np.column_stack(
            [
                *columns,
                self.peak - (((1.0 - tail) * self.mask) * d).sum(axis=1),
                -B * (slope * e * d).sum(axis=1),
                -B * (np.log(x1) * tail * d).sum(axis=1),
                B * (slope * C * e * log_eta * d).sum(axis=1),
            ]
        )


@dataclass(frozen=True)
class Law:
    """A fitted loss law: the law's name, its parameters (see the module docstring) and the
    peak rates it was fitted at.

    `peaks` is ``(low, high)``, the lowest and highest peak rate of the runs :func:`fit` was
    given (None: not known, as for a law written by hand). :meth:`predict` warns when asked
    about a schedule whose peak lies outside it: a law fitted at one peak rate can say little
    about another (see "A peak rate the fit never saw" in the docs' loss-laws page).

    Examples
    --------
    >>> from annealing import WSD
    >>> from annealing.laws import Law
    >>> law = Law("tissue", (2.0, 0.5, 0.5, 0.3))
    >>> law.parameters
    {'L0': 2.0, 'A': 0.5, 'alpha': 0.5, 'C': 0.3}
    >>> lr = WSD(peak=1e-3, warmup=100, stable=800, decay=100)
    >>> [round(float(x), 4) for x in law.predict(lr, [500, 900, 1000])]
    [2.7749, 2.5722, 2.5459]
    >>> Law.from_dict(law.to_dict()) == law
    True
    """

    law: str
    values: tuple[float, ...]
    peaks: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        if not name_of(self.law, LAWS):
            raise ValueError(f"Law: law must be one of {LAWS}, got {self.law!r}")
        names = NAMES[self.law]
        if not isinstance(self.values, tuple) or len(self.values) != len(names):
            raise ValueError(
                f"Law: values must be a tuple of {len(names)} numbers {names}, "
                f"got {show(self.values)}"
            )
        floats = []
        for name, x in zip(names, self.values, strict=True):
            low, high = RANGES[name]
            allowed = (
                f"a finite number in [{low:g}, {high:g}]"
                if high < math.inf
                else (f"a finite number >= {low:g}")
            )
            try:
                value = float(x) if real(x) else math.nan
            except OverflowError:  # an int or Fraction beyond the float range
                value = math.nan
            if not (math.isfinite(value) and low <= value <= high):
                raise ValueError(
                    f"Law: {name} must be {allowed} (the range fit searches), got {show(x)}"
                )
            floats.append(value)
        object.__setattr__(self, "values", tuple(floats))
        if self.peaks is not None:
            object.__setattr__(self, "peaks", _peaks(self.peaks))

    @property
    def parameters(self) -> dict[str, float]:
        """The parameters by name."""
        return dict(zip(NAMES[self.law], self.values, strict=True))

    def predict(self, lr: Any, steps: Any) -> FloatArray:
        """The predicted loss at each of `steps` for the schedule `lr`.

        Parameters
        ----------
        lr : Schedule or 1-D array
            The learning rate: a schedule (evaluated at steps ``0..max(steps)``) or the rates
            at steps ``0..T``.
        steps : 1-D array of int
            Steps in ``1..T``.
        """
        points = _points("predict", lr, steps)
        if self.peaks is not None:
            peak, (low, high) = float(points.eta.max()), self.peaks
            if not low * (1.0 - PEAK_TOLERANCE) <= peak <= high * (1.0 + PEAK_TOLERANCE):
                fitted = f"{low:.4g}" if low == high else f"{low:.4g} to {high:.4g}"
                warnings.warn(
                    f"predict: lr peaks at {peak:.4g} (up to step {int(points.steps.max())}), "
                    f"but this law was fitted at peak rates {fitted}: the prediction is an "
                    "extrapolation (on the shipped logs, laws fitted at one peak missed runs at "
                    "twice it by 0.35% on average with the Tissue law, 47% with the "
                    "multi-power law)",
                    UserWarning,
                    stacklevel=2,
                )
        with np.errstate(all="ignore"):
            out = _Model(self.law, points)(self.values)
        if not np.all(np.isfinite(out)):
            raise ValueError(
                "predict: the predicted loss is not finite for this law and lr "
                f"(parameters {self.parameters}); the area Σ lr is too small or too large"
            )
        return out

    def rank(self, schedules: Sequence[Any], steps: Any) -> tuple[int, ...]:
        """The indices of `schedules`, best first: by predicted loss at step `steps`."""
        if len(schedules) == 0:
            raise ValueError("rank: schedules must not be empty")
        final = [float(self.predict(s, [steps])[0]) for s in schedules]
        return tuple(sorted(range(len(final)), key=final.__getitem__))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict: ``{"format": 2, "law": ..., "parameters": {...}}``, with
        ``"peaks": [low, high]`` when they are known.

        Format 2 is the laws with their noise term written out (see the module docstring);
        format 1 (before it) is refused, as its parameters predict other losses."""
        out: dict[str, Any] = {"format": 2, "law": self.law, "parameters": self.parameters}
        if self.peaks is not None:
            out["peaks"] = list(self.peaks)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Law:
        """The law written by :meth:`to_dict`."""
        if isinstance(data, dict) and data.get("format") == 1:
            raise ValueError(
                "Law.from_dict: format 1 laws had no noise term and lambda = 0.999; "
                "refit the law (its parameters would predict other losses now)"
            )
        if not isinstance(data, dict) or data.get("format") != 2:
            raise ValueError(f"Law.from_dict: data must be a dict with format 2, got {show(data)}")
        law = data.get("law")
        if not name_of(law, LAWS):
            raise ValueError(f"Law.from_dict: law must be one of {LAWS}, got {show(law)}")
        given = data.get("parameters")
        names = NAMES[str(law)]
        if not isinstance(given, dict) or set(given) != set(names):
            raise ValueError(
                f"Law.from_dict: parameters must have exactly {names}, got {show(given)}"
            )
        peaks = data.get("peaks")
        if peaks is not None and not (isinstance(peaks, list) and len(peaks) == 2):
            raise ValueError(
                f"Law.from_dict: peaks must be a list [low, high] when given, got {show(peaks)}"
            )
        return cls(
            str(law), tuple(given[n] for n in names), None if peaks is None else tuple(peaks)
        )


def _peaks(peaks: Any) -> tuple[float, float]:
    """`peaks` as (low, high), or ValueError."""
    values = []
    if isinstance(peaks, tuple) and len(peaks) == 2:
        for x in peaks:
            try:
                value = float(x) if real(x) else math.nan
            except OverflowError:
                value = math.nan
            values.append(value)
    if len(values) != 2 or not all(math.isfinite(v) and v > 0.0 for v in values):
        values = []
    if not values or values[0] > values[1]:
        raise ValueError(
            "Law: peaks must be None or (low, high), two finite numbers > 0 with low <= high "
            f"(the lowest and highest peak rate of the fitted runs), got {show(peaks)}"
        )
    return values[0], values[1]


def _run(index: int, run: Any) -> tuple[_Points, FloatArray]:
    owner = f"fit: runs[{index}]"
    if hasattr(run, "lr") and hasattr(run, "losses") and hasattr(run, "steps"):
        # an annealing.laws.Run: its step-0 loss (before any update) is not a point of a law
        after = run.steps > 0
        lr, steps, losses = run.lr(), run.steps[after], run.losses[after]
    else:
        try:
            lr, steps, losses = run
        except (TypeError, ValueError):
            raise TypeError(
                f"{owner} must be (lr, steps, losses) or a Run, got {show(run)}"
            ) from None
    y = vector(owner, "losses", losses, positive=True)
    with np.errstate(over="ignore"):  # an area that overflows is refused below
        points = _points(owner, lr, steps)
        observed = area(points.eta)[points.steps]
    if points.steps.size != y.size:
        raise ValueError(
            f"{owner}: steps and losses must have the same length, "
            f"got {points.steps.size} and {y.size}"
        )
    outside = ~((observed >= AREAS[0]) & (observed <= AREAS[1]))
    if outside.any():
        i = int(np.argmax(outside))
        raise ValueError(
            f"{owner}: lr must give an area Σ lr in [1e-100, 1e100] at every observed step "
            "(rates that are subnormal or near 1e308 overflow the law), "
            f"got {float(observed[i])!r} at step {int(points.steps[i])}"
        )
    keep = points.steps > int(np.argmax(points.eta))  # the laws model the loss after warmup
    if not keep.any():
        raise ValueError(f"{owner}: no observed step after the warmup (the peak step)")
    return _Points(points.eta, points.steps[keep]), y[keep]


def _solve(
    models: list[_Model], ys: list[FloatArray], start: FloatArray, low: FloatArray, high: FloatArray
) -> tuple[float, FloatArray]:
    from scipy.optimize import least_squares  # scipy only where a law is fitted

    logy = np.concatenate([np.log(y) for y in ys])
    # every run weighs the same, however many points it logged
    weight = np.concatenate([np.full(y.size, np.sqrt(logy.size / (len(ys) * y.size))) for y in ys])

    def residuals(p: FloatArray) -> FloatArray:
        values = p.tolist()
        pred = np.concatenate([m(values) for m in models])
        return np.asarray(weight * (np.log(np.maximum(pred, 1e-12)) - logy), dtype=np.float64)

    def jacobian(p: FloatArray) -> FloatArray:
        values = p.tolist()
        pred = np.concatenate([m(values) for m in models])
        rows = np.vstack([m.jacobian(values) for m in models])
        return np.asarray(rows * (weight / np.maximum(pred, 1e-12))[:, None], dtype=np.float64)

    x0 = np.clip(start, low + 1e-12 * np.abs(low) + 1e-15, high)
    result = least_squares(
        residuals,
        x0,
        jac=jacobian,
        bounds=(low, high),
        loss="huber",
        f_scale=HUBER,
        x_scale="jac",
        max_nfev=1000,
        ftol=1e-12,
        xtol=1e-12,
        gtol=1e-12,
    )
    return float(result.cost), np.asarray(result.x, dtype=np.float64)


def fit(runs: Sequence[Any], law: str = "tissue") -> Law:
    """Fit a loss law on observed runs.

    Parameters
    ----------
    runs : sequence of (lr, steps, losses) or of :class:`annealing.laws.Run`
        `lr` is a schedule or the rates at steps ``0..T``; `steps` (in ``1..T``) and `losses`
        (finite, > 0) are the observed points. Points up to the peak step (the warmup) are
        not used.
    law : {"tissue", "multi-power"}
        The law (see the module docstring). Default "tissue".

    Returns
    -------
    Law
        The fitted law, with the lowest and highest peak rate of `runs` as its `peaks`.

    Examples
    --------
    >>> import numpy as np
    >>> from annealing import WSD, Constant
    >>> from annealing.laws import Law, fit
    >>> truth = Law("tissue", (2.5, 0.6, 0.4, 0.3))
    >>> runs = []
    >>> for lr in (Constant(1e-3), WSD(peak=1e-3, warmup=100, stable=12000, decay=3000)):
    ...     steps = np.arange(200, 15001, 200)
    ...     runs.append((lr, steps, truth.predict(lr, steps)))
    >>> [round(x, 6) for x in fit(runs, "tissue").values]
    [2.5, 0.6, 0.4, 0.3]

    References: Tissue et al. 2024, arXiv:2408.11029; Luo et al. 2025, arXiv:2503.12811.
    """
    if not name_of(law, LAWS):
        raise ValueError(f"fit: law must be one of {LAWS}, got {law!r}")
    if isinstance(runs, (str, bytes)) or not isinstance(runs, Sequence):
        raise TypeError(f"fit: runs must be a sequence of (lr, steps, losses), got {show(runs)}")
    if len(runs) == 0:
        raise ValueError("fit: runs must not be empty")
    prepared = [_run(i, r) for i, r in enumerate(runs)]
    ys = [y for _, y in prepared]
    tissue = [_Model("tissue", p) for p, _ in prepared]
    floor = float(min(y.min() for y in ys))
    best: tuple[float, FloatArray] | None = None
    low = np.array([0.0, 0.0, 1e-3, 0.0])
    high = np.array([floor, np.inf, 3.0, np.inf])
    S = np.concatenate([m.S for m in tissue])
    S2 = np.concatenate([m.S2 for m in tissue])
    y_all = np.concatenate(ys)
    for alpha in (0.1, 0.25, 0.5, 0.75, 1.0, 1.5):
        design = np.column_stack([np.ones_like(S), S ** (-alpha), -S2])
        coef = np.linalg.lstsq(design, y_all, rcond=None)[0]
        start = np.array(
            [min(max(coef[0], 0.0), floor * 0.999), max(coef[1], 1e-6), alpha, max(coef[2], 0.0)]
        )
        found = _solve(tissue, ys, start, low, high)
        if best is None or found[0] < best[0]:
            best = found
    assert best is not None
    fitted = (
        float(min(p.eta.max() for p, _ in prepared)),
        float(max(p.eta.max() for p, _ in prepared)),
    )
    if law == "tissue":
        return Law("tissue", tuple(float(x) for x in best[1]), fitted)
    alpha = float(best[1][2])
    models = [_Model("multi-power", p) for p, _ in prepared]
    low = np.array([0.0, 0.0, 1e-3, 0.0, 0.0, 1e-3, 0.0])
    high = np.array([floor, np.inf, 3.0, np.inf, np.inf, 5.0, 3.0])
    peak = float(np.median([p.eta.max() for p, _ in prepared]))
    mp: tuple[float, FloatArray] | None = None
    gamma = 0.5
    for beta in (0.5, 1.0):
        for scale in (0.3, 3.0):
            # C such that G's argument is `scale` one unit of area (1/peak steps) into a
            # decay; then (L0, A, B) by linear least squares, as for the Tissue law.
            C = scale * peak**gamma
            unit = (0.0, 0.0, alpha, 1.0, C, beta, gamma)
            drop = np.concatenate([-m(unit) for m in models])  # LD(t) with B = 1
            design = np.column_stack([np.ones_like(S), S ** (-alpha), -drop])
            coef = np.linalg.lstsq(design, y_all, rcond=None)[0]
            start = np.array(
                [
                    min(max(coef[0], 0.0), floor * 0.999),
                    max(coef[1], 1e-6),
                    alpha,
                    max(coef[2], 0.0),
                    C,
                    beta,
                    gamma,
                ]
            )
            found = _solve(models, ys, start, low, high)
            if mp is None or found[0] < mp[0]:
                mp = found
    assert mp is not None
    return Law("multi-power", tuple(float(x) for x in mp[1]), fitted)
