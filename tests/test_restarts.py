"""Restarts and SGDR: exact boundaries, decays, limits, warmup, queries."""

from __future__ import annotations

import numpy as np
import pytest

from annealing import SGDR, Cosine, Restarts


def test_t0_1_tmult_3_step_121_is_a_restart() -> None:
    # PyTorch CosineAnnealingWarmRestarts.step(121) and timm return the trough here
    s = SGDR(eta_max=0.1, T_0=1, T_mult=3)
    assert s(121) == 0.1
    assert s.cycle_index(121) == 5 and s.cycle_index(120.999) == 4
    assert s(np.array([121.0]))[0] == 0.1


def test_tmult_10_step_111_is_a_restart() -> None:
    s = SGDR(eta_max=1.0, T_0=1, T_mult=10)
    assert s(111) == 1.0 and s.cycle_start(3) == 111


def test_pinned_cawr_values() -> None:
    # peer-schedulers.md (b) 14: T_0 = 10, eta_min = 0.1
    s = SGDR(eta_max=1.0, T_0=10, eta_min=0.1)
    assert round(s(9), 12) == 0.122024567667 and s(10) == 1.0


def test_real_multiplier_boundaries_are_exact() -> None:
    s = Restarts(Cosine(1.0, 0.0, 10), mult=1.5)
    assert [s.cycle_start(k) for k in range(4)] == [0, 10, 25, 47.5]
    assert s(47.5) == 1.0 and s.next_restart(25) == 47.5


def test_peak_decay_timm_vs_amplitude_decay_keras() -> None:
    # peer-schedulers.md (b) 16: base 1, floor 0.1, decay 0.5, first restart
    timm = Restarts(Cosine(1.0, 0.1, 10), peak_decay=0.5)
    keras = Restarts(Cosine(1.0, 0.1, 10), peak_decay=0.5, decay_mode="amplitude")
    assert timm(10) == 0.5
    assert keras(10) == pytest.approx(0.55, rel=1e-15)
    assert timm(19.9999) > 0.1 - 1e-12 and keras(20 - 1e-9) == pytest.approx(0.1)


def test_limit_holds_the_last_floor() -> None:
    s = Restarts(Cosine(1.0, 0.1, 10), mult=2, floor_decay=0.5, limit=2)
    assert s.steps == 30
    assert s(30) == pytest.approx(0.05) and s(1000) == pytest.approx(0.05)
    assert s.next_restart(12) is None


def test_warmup_each_cycle() -> None:
    s = Restarts(Cosine(1.0, 0.0, 10), warmup=2)
    assert [s(t) for t in (0, 1, 2, 12, 13, 14)] == [0.0, 0.5, 1.0, 0.0, 0.5, 1.0]


def test_array_matches_scalar() -> None:
    s = Restarts(Cosine(1.0, 0.1, 7), mult=1.7, peak_decay=0.8, floor_decay=0.9, limit=5, warmup=1)
    t = np.linspace(0, 120, 2401)
    np.testing.assert_allclose(s(t), [s(float(x)) for x in t], rtol=1e-15, atol=0)


def test_cycle_must_be_finite() -> None:
    from annealing import Constant

    with pytest.raises(ValueError, match="Restarts: cycle must have a finite length"):
        Restarts(Constant(1.0))
