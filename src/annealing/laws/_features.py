"""The sums both loss laws are built from, with numpy cumulative sums (no Python loops).

For rates :math:`\\eta_0..\\eta_T` (index = step) and the peak step :math:`W` (the first step
at the maximum rate: the end of the warmup):

- the area :math:`S(t) = \\sum_{\\tau=1}^{t} \\eta_\\tau` (warmup included: Tissue et al.'s
  :math:`S_1`, and Luo et al.'s :math:`S_1(t) + S_W`);
- the decreases :math:`\\Delta_k = \\eta_{k-1} - \\eta_k` for :math:`k > W` (0 in the
  warmup, as both papers count only the annealing after the peak).
"""

from __future__ import annotations

import numpy as np

from ._inputs import FloatArray


def area(eta: FloatArray) -> FloatArray:
    """:math:`S(t)` for t = 0..T (S(0) = 0)."""
    out = np.empty_like(eta)
    out[0] = 0.0
    np.cumsum(eta[1:], out=out[1:])
    return out


def decreases(eta: FloatArray) -> FloatArray:
    """:math:`\\Delta_k` for k = 0..T (0 up to the peak step)."""
    delta = np.zeros_like(eta)
    delta[1:] = eta[:-1] - eta[1:]
    peak = int(np.argmax(eta))
    delta[: peak + 1] = 0.0
    return delta


def momentum_area(eta: FloatArray, decay: float) -> FloatArray:
    """Tissue et al.'s :math:`S_2(t) = \\sum_{i=1}^{t} m_i`,
    :math:`m_i = \\lambda m_{i-1} + \\Delta_i`, for t = 0..T (a first-order linear filter)."""
    from scipy.signal import lfilter  # scipy only where a law is evaluated

    m = lfilter([1.0], [1.0, -decay], decreases(eta))
    return np.asarray(np.cumsum(m), dtype=np.float64)


GROUPS = 512  # the multi-power sum is exact when at most this many steps change the rate


def drops(eta: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The terms of Luo et al.'s sum over k: (k, Δ_k, η_k) for the steps that change the rate.

    With more than GROUPS such steps, consecutive ones are merged into GROUPS groups, each at
    its Δ-weighted mean step with the summed Δ (the summand varies slowly across a group)."""
    delta = decreases(eta)
    k = np.flatnonzero(delta)
    if k.size > GROUPS:
        edges = np.linspace(0, k.size, GROUPS + 1).astype(np.int64)
        d = delta[k]
        sums = np.add.reduceat(d, edges[:-1])
        weights = np.abs(d)
        centre = np.add.reduceat(weights * k, edges[:-1]) / np.add.reduceat(weights, edges[:-1])
        k_g = np.rint(centre).astype(np.int64)
        return k_g.astype(np.float64), sums, eta[k_g]
    return k.astype(np.float64), delta[k], eta[k]
