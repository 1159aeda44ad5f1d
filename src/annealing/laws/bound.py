r"""The last-iterate bound of convex SGD for any learning-rate schedule.

Schaipp, Hägele, Taylor, Simsekli and Bach, *The Surprising Agreement Between Convex
Optimization Theory and Learning-Rate Scheduling for Large Model Training*, ICML 2025,
arXiv:2501.18965, Theorem 1 (from the last-iterate analysis of Defazio, Cutkosky, Mehta and
Mishchenko, arXiv:2310.07831, Thm. 10, after Orabona's). For SGD
:math:`x_{t+1} = x_t - \eta_t g_t` on a convex :math:`f` with :math:`\|x_1 - x_\star\| \le D`
and :math:`\mathbb{E}\|g_t\|^2 \le G_t^2`, the last iterate satisfies
:math:`\mathbb{E}[f(x_T) - f_\star] \le \Omega_T` with

.. math::

    \begin{aligned}
    \Omega_T &= \frac{D^2 + \sum_{t=1}^{T} \eta_t^2 G_t^2}{2 \sum_{t=1}^{T} \eta_t} \\
      &\quad + \frac12 \sum_{k=1}^{T-1} \frac{\eta_k}{\sum_{t=k+1}^{T} \eta_t}
        \cdot \frac{\sum_{t=k}^{T} \eta_t^2 G_t^2}{\sum_{t=k}^{T} \eta_t}.
    \end{aligned}

Here :math:`\eta_t` is the learning rate of step :math:`t = 1..T`, i.e. ``lr(t - 1)`` of an
``annealing`` schedule (or entry ``t - 1`` of an array). The theorem needs
:math:`\eta_t > 0`, so a schedule that is 0 at some step of the horizon (a warmup that starts
at 0, a decay that reaches 0 at the last step) is refused: start the warmup above 0 or stop
one step earlier.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validate import show
from ._inputs import FloatArray, horizon, positive_number, rates, real, vector

__all__ = ["OptimalScale", "bound", "bound_curve", "optimal_scale"]


def _gradients(owner: str, G: Any, count: int) -> FloatArray | float:
    if real(G):
        return positive_number(owner, "G", G)
    array = vector(owner, "G", G, positive=False)
    if array.size < count:
        raise ValueError(
            f"{owner}: G must be a number or have at least {count} entries, got {array.size}"
        )
    return array[:count]


def _terms(eta: FloatArray, D: float, G: FloatArray | float) -> tuple[float, float, float]:
    """(D² / (2 Σ η), Σ η² G² / (2 Σ η), the last-iterate sum) for the whole of `eta`."""
    with np.errstate(all="ignore"):  # an overflow is refused by _finite, after
        return _unchecked_terms(eta, D, G)


def _finite(owner: str, values: Any, eta: FloatArray, D: float, G: Any) -> None:
    """Refuse a bound that overflows (or underflows to 0/0) in float64."""
    if not np.all(np.isfinite(np.asarray(values, dtype=np.float64))):
        raise ValueError(
            f"{owner}: the bound is not finite for these inputs (lr from {float(eta.min())!r} "
            f"to {float(eta.max())!r}, D={D!r}, G={show(G)}); rescale lr, D and G so that "
            "D², Σ lr and Σ lr² G² stay within the float64 range"
        )


def _total(owner: str, eta: FloatArray, D: float, G: Any) -> float:
    terms = _terms(eta, D, G)
    _finite(owner, terms, eta, D, G)
    try:
        out = math.fsum(terms)
    except OverflowError:
        out = math.inf
    _finite(owner, out, eta, D, G)
    return out


def _unchecked_terms(
    eta: FloatArray, D: float, G: FloatArray | float
) -> tuple[float, float, float]:
    q = eta * eta * (G * G)
    # Suffix sums Σ_{t=k}^{T}, summed from the end: no cancellation when the tail is small.
    beta = np.cumsum(eta[::-1])[::-1]  # Σ_{t=k}^{T} η_t
    gamma = np.cumsum(q[::-1])[::-1]  # Σ_{t=k}^{T} η_t² G_t²
    total = float(beta[0])
    distance = D * D / (2.0 * total)
    noise = float(gamma[0]) / (2.0 * total)
    alpha = beta[1:]  # Σ_{t=k+1}^{T} η_t for k = 1..T-1
    last = 0.5 * float(np.sum(eta[:-1] / alpha * (gamma[:-1] / beta[:-1])))
    return distance, noise, last


def bound(lr: Any, steps: Any, D: float = 1.0, G: Any = 1.0) -> float:
    r"""The bound :math:`\Omega_T` of Schaipp et al. 2025, Thm. 1, at horizon ``T = steps``.

    .. math::

        \begin{aligned}
        \Omega_T &= \frac{D^2 + \sum_{t=1}^{T} \eta_t^2 G_t^2}{2 \sum_{t=1}^{T} \eta_t} \\
          &\quad + \frac12 \sum_{k=1}^{T-1} \frac{\eta_k}{\sum_{t=k+1}^{T} \eta_t}
            \cdot \frac{\sum_{t=k}^{T} \eta_t^2 G_t^2}{\sum_{t=k}^{T} \eta_t}
        \end{aligned}

    Parameters
    ----------
    lr : Schedule or 1-D array
        The learning rates: a schedule is evaluated at steps ``0..T-1`` (:math:`\eta_1` is
        ``lr(0)``); an array gives :math:`\eta_1..\eta_T` as its first `steps` entries. Every
        one must be finite and > 0 (the theorem's assumption).
    steps : int
        The horizon :math:`T \ge 1`, at most ``10**8`` (longer horizons are refused: the
        rates alone would take 800 MB).
    D : float
        A bound on the initial distance :math:`\|x_1 - x_\star\|`, > 0. Default 1.
    G : float or 1-D array
        A bound on the gradient norm, one number or one per step (:math:`G_t`), > 0 / >= 0.
        Default 1.

    Returns
    -------
    float
        :math:`\Omega_T`, in units of the objective. A bound that is not finite in float64
        (rates near 1e308 or 5e-324, D or G near 1e200) raises a ValueError.

    Examples
    --------
    A constant rate :math:`\eta` for two steps: :math:`(1 + 2\eta^2)/(4\eta) + \eta/2`.

    >>> from annealing import Constant
    >>> from annealing.laws import bound
    >>> bound(Constant(0.5), steps=2)
    1.0
    >>> round(bound([0.1] * 1000, steps=1000), 6)
    0.429224

    Reference: F. Schaipp et al., ICML 2025, arXiv:2501.18965, Theorem 1.
    """
    T = horizon("bound", "steps", steps)
    eta = rates("bound", lr, T, positive=True)
    d = positive_number("bound", "D", D)
    return _total("bound", eta, d, _gradients("bound", G, T))


def bound_curve(lr: Any, steps: Any, D: float = 1.0, G: Any = 1.0, at: Any = None) -> FloatArray:
    r"""The bound at each horizon :math:`T' \le T`: :math:`\Omega_{T'}` of the first :math:`T'`
    learning rates, i.e. of the schedule stopped (not rescaled) at :math:`T'`.

    This is the curve the paper sets beside a training curve: the bound on
    :math:`f(x_{T'}) - f_\star` for the iterate at step :math:`T'` of the same run.

    Parameters
    ----------
    lr, steps, D, G
        As for :func:`bound`.
    at : 1-D array of int, optional
        The horizons :math:`T'`, each in ``1..steps``. Default every one, ``1..steps``
        (the cost is :math:`O(T)` per horizon, so pass a grid for long schedules).

    Returns
    -------
    numpy.ndarray
        :math:`\Omega_{T'}` for each horizon of `at`, in its order.

    Examples
    --------
    >>> from annealing import Constant
    >>> from annealing.laws import bound_curve
    >>> bound_curve(Constant(0.5), steps=2).tolist()
    [1.25, 1.0]
    """
    T = horizon("bound_curve", "steps", steps)
    eta = rates("bound_curve", lr, T, positive=True)
    d = positive_number("bound_curve", "D", D)
    g = _gradients("bound_curve", G, T)
    if at is None:
        points = np.arange(1, T + 1)
    else:
        raw = np.asarray(at)
        if raw.ndim != 1 or raw.size == 0 or raw.dtype.kind not in "iu":
            raise TypeError(
                f"bound_curve: at must be a non-empty 1-D array of integers, got {at!r}"[:200]
            )
        points = raw.astype(np.int64)
        if points.min() < 1 or points.max() > T:
            raise ValueError(
                f"bound_curve: at must lie in 1..{T} (steps), got values from "
                f"{points.min()} to {points.max()}"
            )
    out = np.empty(points.size, dtype=np.float64)
    for i, n in enumerate(points.tolist()):
        gi = g if isinstance(g, float) else g[:n]
        out[i] = _total("bound_curve", eta[:n], d, gi)
    return out


@dataclass(frozen=True)
class OptimalScale:
    r"""The best multiplier of a schedule's shape for the bound, and the bound it gives.

    Attributes
    ----------
    scale : float
        :math:`\gamma^\star`: use ``scale * lr`` (for a shape with peak 1, the base LR).
    bound : float
        :math:`\Omega_T` of ``scale * lr``, the smallest over all multipliers.
    """

    scale: float
    bound: float


def optimal_scale(lr: Any, steps: Any, D: float = 1.0, G: Any = 1.0) -> OptimalScale:
    r"""The multiplier :math:`\gamma` of `lr` that minimises :math:`\Omega_T`, in closed form.

    With :math:`\eta_t = \gamma \rho_t`, Thm. 1 reads
    :math:`\Omega_T(\gamma) = a/\gamma + b\gamma` with
    :math:`a = D^2 / (2\sum_t \rho_t)` and :math:`b` the rest of the bound at
    :math:`\gamma = 1` (both terms with :math:`G_t`), so

    .. math::

        \gamma^\star = \sqrt{a / b}, \qquad \Omega_T(\gamma^\star) = 2\sqrt{ab}

    (Schaipp et al. 2025, Sec. 3, the tuned base learning rate).

    Examples
    --------
    >>> from annealing import Constant
    >>> from annealing.laws import optimal_scale
    >>> best = optimal_scale(Constant(1.0), steps=2)
    >>> round(best.scale, 12), round(best.bound, 12)
    (0.5, 1.0)

    Reference: F. Schaipp et al., ICML 2025, arXiv:2501.18965.
    """
    T = horizon("optimal_scale", "steps", steps)
    rho = rates("optimal_scale", lr, T, positive=True)
    d = positive_number("optimal_scale", "D", D)
    g = _gradients("optimal_scale", G, T)
    a, noise, last = _terms(rho, d, g)
    b = noise + last
    if b == 0.0:  # G = 0 at every step: the bound falls without limit as gamma grows
        raise ValueError("optimal_scale: G must be > 0 at some step, got 0 at every step")
    with np.errstate(all="ignore"):
        best = OptimalScale(scale=math.sqrt(a / b), bound=2.0 * math.sqrt(a * b))
    _finite("optimal_scale", [a, b, best.scale, best.bound], rho, d, g)
    return best
