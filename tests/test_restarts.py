"""Restarts and SGDR: exact boundaries, decays, limits, warmup, queries."""

from __future__ import annotations

import math

import numpy as np
import pytest

from annealing import SGDR, Cosine, Linear, MultiStep, Piecewise, Restarts


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


def test_huge_stretch_does_not_overflow() -> None:
    # mult**k beyond float64 (T_0 tiny, many cycles): the local step is 0, no OverflowError
    s = SGDR(eta_max=1.0, T_0=1e-300, T_mult=7.0)
    assert 0.0 <= s(1.0) <= 1.0
    assert np.isfinite(s(np.array([0.5, 1.0, 1e6]))).all()


def test_stretch_is_the_exact_multiplier_rounded_once() -> None:
    s = Restarts(Cosine(1.0, 0.0, 10), mult=1.1)
    # cycle 3 starts at 10 + 11 + 12.1 = 33.1 and lasts 13.31: its middle is the half value
    assert s(33.1 + 13.31 / 2) == pytest.approx(0.5, rel=1e-14)


@pytest.mark.parametrize("name", ["peak_decay", "floor_decay"])
def test_growth_needs_a_limit(name: str) -> None:
    with pytest.raises(ValueError, match=rf"^Restarts: {name} must be a number in \(0, 1\]"):
        Restarts(Cosine(1.0, 0.1, 10), **{name: 2.0})
    with pytest.raises(ValueError, match=r"got 2\.0 with limit=2000"):
        Restarts(Cosine(1.0, 0.1, 10), limit=2000, **{name: 2.0})
    s = Restarts(Cosine(1.0, 0.1, 10), limit=3, **{name: 2.0})
    assert np.isfinite(s(np.linspace(0, 100, 11))).all()


def test_queries_are_exact_and_consistent() -> None:
    s = Restarts(Cosine(1.0, 0.0, 10), mult=2, warmup=1)
    starts = [s.cycle_start(k) for k in range(5)]
    assert starts == [0, 11, 32, 73, 154]
    for k, b in enumerate(starts[:-1]):
        assert s.cycle_index(b) == k and s.cycle_index(max(b - 1e-9, 0)) == max(k - 1, 0)
        assert s.next_restart(b) == starts[k + 1]
    assert s.steps is None and s.cycle_index(10**9) > 20


def test_query_arguments_are_checked() -> None:
    s = SGDR(1.0, 10)
    with pytest.raises(ValueError, match=r"Restarts: step must be a finite number >= 0, got -1"):
        s.cycle_index(-1)
    with pytest.raises(TypeError, match=r"Restarts: k must be an integer >= 0, got 1.5"):
        s.cycle_start(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"Restarts: k must be an integer >= 0, got -1"):
        s.cycle_start(-1)


def test_limit_one_is_the_cycle_then_its_end() -> None:
    s = Restarts(Cosine(1.0, 0.1, 10), limit=1)
    assert s.steps == 10 and s(5) == Cosine(1.0, 0.1, 10)(5) and s(11) == 0.1
    assert s.next_restart(0) is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cycle": 1.0}, "Restarts: cycle must be a Schedule, got 1.0"),
        ({"mult": 0.5}, "Restarts: mult must be a number >= 1, got 0.5"),
        ({"decay_mode": "x"}, "Restarts: decay_mode must be one of 'peak', 'amplitude', got 'x'"),
        ({"limit": 0}, "Restarts: limit must be an integer >= 1, got 0"),
        ({"limit": 2.5}, "Restarts: limit must be an integer >= 1, got 2.5"),
        ({"warmup": -1}, "Restarts: warmup must be a finite number >= 0, got -1"),
        ({"peak_decay": 0}, "Restarts: peak_decay must be a finite number > 0, got 0"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"cycle": Cosine(1.0, 0.0, 10), **kwargs}
    with pytest.raises((ValueError, TypeError), match="^" + message.replace("(", r"\(")):
        Restarts(**args)  # type: ignore[arg-type]


def test_a_multiplier_close_to_one_builds_fast_or_refuses() -> None:
    import time

    began = time.perf_counter()
    s = Restarts(Cosine(1.0, 0.0, 10), mult=1.01)  # ~3000 cycles before step 2**53
    assert time.perf_counter() - began < 2.0  # exact fractions took ~5 s here
    assert s.cycle_start(100) == pytest.approx(10 * (1.01**100 - 1) / 0.01, rel=1e-14)
    assert s(s.cycle_start(100)) == 1.0
    with pytest.raises(ValueError, match=r"^Restarts: mult must be 1 or far enough from 1"):
        Restarts(Cosine(1.0, 0.0, 10), mult=1.00001)
    with pytest.raises(ValueError, match=r"^Restarts: limit must be at most 100000, got 200000$"):
        Restarts(Cosine(1.0, 0.0, 10), limit=200_000)


def test_a_tiny_period_far_out_is_the_exact_position_in_the_cycle() -> None:
    # k·period overflowed to inf and t − inf gave −inf; now fmod(t, period) (exact)
    s = Restarts(Cosine(1.0, 0.0, 1e-10), warmup=1e-10)
    u = math.fmod(1e300, 2e-10)
    want = u / 1e-10 if u < 1e-10 else Cosine(1.0, 0.0, 1e-10)(u - 1e-10)
    assert s(1e300) == pytest.approx(want, rel=1e-12) and s(np.array([1e300]))[0] == s(1e300)


def test_growth_beyond_float_range_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^Restarts: the decayed cycles must stay within float"):
        Restarts(Cosine(1e50, 0.0, 10), peak_decay=2.0, limit=900)
    with pytest.raises(ValueError, match=r"^Restarts: limit must be small enough that the last"):
        Restarts(Cosine(1.0, 0.0, 1), mult=2, limit=2000)
    with pytest.raises(ValueError, match=r"^Restarts: limit must be small enough"):
        Restarts(Cosine(1.0, 0.2, 7), mult=7.75, peak_decay=0.8, limit=10**400)
    with pytest.raises(ValueError, match=r"^Restarts: k must be small enough"):
        Restarts(Cosine(1.0, 0.0, 1), mult=2).cycle_start(10**6)
    with pytest.raises(ValueError, match=r"^Restarts: warmup \+ cycle.steps must be a finite"):
        Restarts(Cosine(1.0, 0.0, 1e308), warmup=1e308)
    with pytest.raises(
        ValueError, match=r"^Restarts: cycle must have a finite length \(steps\) > 0"
    ):
        Restarts(Piecewise(((0, 1.0),)))


def test_sgdr_names_its_own_parameters() -> None:
    with pytest.raises(TypeError, match=r"^SGDR: eta_max must be a finite number >= 0, got 1j$"):
        SGDR(1j, 10)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^SGDR: T_0 must be a finite number > 0, got 0$"):
        SGDR(0.1, 0)
    with pytest.raises(ValueError, match=r"^SGDR: T_mult must be 1 or far enough from 1"):
        SGDR(0.1, 10, 1 + 1e-12)


def test_a_tiny_period_in_torch_has_no_nan() -> None:
    torch = pytest.importorskip("torch")
    s = Restarts(Cosine(0.1, 0.0, 1e-300))
    steps = [0.0, 1.0, 10.0, 1e6, 1e15, 2.0**53, 1e300, 5e-324, 25.0, 50.0]
    got = s(torch.tensor(steps, dtype=torch.float64)).numpy()
    np.testing.assert_array_equal(got, s(np.array(steps)))


def test_decays_are_the_same_numbers_on_every_path() -> None:
    # a cycle mapped below its floor amplifies an ulp of p**k (numpy's pow is not libm's)
    inner = MultiStep(1.0, (1.7e-87, 9.9e-39, 883988), factor=0.99)
    s = Restarts(inner, mult=1.79, peak_decay=1e-300, floor_decay=0.5, warmup=598681)
    t = np.array([1e300, 1e100, 5e6, 0.5])
    assert s(t).tolist() == [s(x) for x in t.tolist()]


def test_a_table_that_stops_before_the_limit_and_values_near_the_largest_float() -> None:
    # the table stops at step 2**53, before cycle limit - 1: the last decay is computed
    s = Restarts(Linear(2.4e-125, 0.0, 1.17e99), floor_decay=0.1, limit=31)
    assert s(1e300) == 0.0 and s(np.array([1e300]))[0] == 0.0
    # mapped values near 1.8e308 round up to inf without the bound of the decays
    top = Restarts(
        MultiStep(1.7976931348623157e308, (6.95e-119,), 1e-10), floor_decay=0.5, limit=44
    )
    assert top(1.02e-117) == 1.7976931348623157e308 == top(np.array([1.02e-117]))[0]


@pytest.mark.parametrize(
    "cycle",
    [Cosine(1.0, 0.0, steps=98), Linear(0.5, 0.01, steps=7.25)],
    ids=["cosine", "linear"],
)
def test_plain_cycles_on_numpy_are_the_general_lines(cycle: Cosine | Linear) -> None:
    # equal periods without decay, warmup or limit take a shorter path on numpy arrays; it
    # gives the numbers of the general one bit for bit, near 2**52 and beyond too
    plain = Restarts(cycle)
    general = Restarts(cycle)
    object.__setattr__(general, "_plain", False)
    rng = np.random.default_rng(3)
    for t in (
        np.arange(0.0, 2000.0),
        rng.uniform(0, 1e9, 5000),
        np.array([2.0**51, 2.0**52, 2.0**52 + 98, 2.0**53, 1e300]),
        np.array([]),
    ):
        assert plain._plain and np.array_equal(plain(t), general(t))
