"""annealing.plateau.Plateau: PyTorch's plateau decisions (pinned cases written from its
documented rules), the recorded cuts, the replay as a Piecewise, and the state as data."""

from __future__ import annotations

import json
import math

import pytest

import annealing as an
from annealing.plateau import Plateau


def _run(p: Plateau, metrics: list[float]) -> list[float]:
    return [p.lr] + [p.step(m) for m in metrics]


def test_patience_counts_steps_that_are_not_better() -> None:
    p = Plateau(0.5, patience=2, threshold=0.0, threshold_mode="abs")
    lrs = _run(p, [3.0, 3.0, 3.0, 3.0, 2.0, 2.0, 2.0, 2.0])
    assert lrs == [0.5, 0.5, 0.5, 0.5, 0.05, 0.05, 0.05, 0.05, 0.5 * 0.1 * 0.1]
    assert p.cuts == (4, 8)


def test_cooldown_ignores_bad_steps_and_min_lr_and_eps_stop_the_cuts() -> None:
    p = Plateau(1.0, patience=0, cooldown=2, min_lr=0.05, threshold=0.0)
    lrs = _run(p, [1.0] * 8)
    # cut at 2, two steps of cooldown (3, 4), cut at 5 to the floor, then nothing to cut
    assert lrs[:6] == [1.0, 1.0, 0.1, 0.1, 0.1, 0.05]
    assert lrs[6:] == [0.05, 0.05, 0.05] and p.cuts == (2, 5)
    q = Plateau(1e-9, patience=0, eps=1e-8)
    assert _run(q, [1.0, 1.0, 1.0]) == [1e-9] * 4 and q.cuts == ()


@pytest.mark.parametrize(
    ("mode", "threshold_mode", "metrics", "cut"),
    [
        ("min", "rel", [1.0, 0.95], False),  # 0.95 < 1·(1 − 0.1) is false: not better, cut
        ("min", "abs", [1.0, 0.85], True),  # 0.85 < 1 − 0.1: better
        ("max", "rel", [1.0, 1.11], True),  # 1.11 > 1·1.1
        ("max", "abs", [1.0, 1.05], False),  # 1.05 > 1.1 is false
    ],
)
def test_thresholds(mode: str, threshold_mode: str, metrics: list[float], cut: bool) -> None:
    p = Plateau(1.0, mode=mode, threshold=0.1, threshold_mode=threshold_mode, patience=0)
    p.step(metrics[0])
    assert (p.step(metrics[1]) == 1.0) is cut


def test_nan_is_never_better_and_the_run_replays_and_resumes() -> None:
    p = Plateau(0.1, patience=1)
    _run(p, [1.0, math.nan, math.nan, 0.5])
    assert p.cuts == (3,) and p.best == 0.5
    s = p.schedule()
    assert (
        isinstance(s, an.Piecewise)
        and [s(t) for t in range(6)] == [0.1] * 3 + [pytest.approx(0.01)] * 3
    )
    back = Plateau.from_dict(json.loads(json.dumps(p.to_dict())))
    assert back.to_dict() == p.to_dict()
    fresh = Plateau.from_dict(Plateau(0.1).to_dict())
    assert fresh.best == math.inf and fresh.to_dict()["best"] == "inf"


def test_warmup_follows_timm() -> None:
    p = Plateau(0.1, warmup_t=4, warmup_lr_init=0.02, patience=0, mode="max")
    assert _run(p, [9.0, 9.0, 9.0, 9.0]) == [0.02 + k * ((0.1 - 0.02) / 4) for k in range(5)]
    assert p.step(1.0) == p.lr  # the first metric after the warmup is the best so far
    assert p.step(0.5) == pytest.approx(0.01, rel=1e-12) and p.cuts == (6,)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"factor": 1.0}, "Plateau: factor must be a finite number in [0, 1), got 1.0"),
        ({"factor": -0.1}, "factor must be"),
        ({"patience": -1}, "patience must be an integer >= 0"),
        ({"patience": 1.5}, "patience must be an integer >= 0"),
        ({"mode": "MIN"}, "mode must be one of 'min', 'max'"),
        ({"threshold_mode": None}, "threshold_mode must be one of"),
        ({"min_lr": math.inf}, "min_lr must be"),
        ({"eps": "1e-8"}, "eps must be"),
        ({"cooldown": True}, "cooldown must be an integer"),
    ],
)
def test_bad_configurations_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(
        (TypeError, ValueError),
        match=message.replace("[", r"\[").replace(")", r"\)").replace("(", r"\("),
    ):
        Plateau(0.1, **kwargs)  # type: ignore[arg-type]


def test_bad_metrics_and_bad_data_are_refused() -> None:
    p = Plateau(0.1)
    for bad in ("1.0", None, True, [1.0]):
        with pytest.raises(TypeError, match="Plateau: metric must be a number"):
            p.step(bad)  # type: ignore[arg-type]
    assert p.step_count == 0
    good = Plateau(0.1, patience=0)
    _run(good, [1.0, 1.0])
    d = good.to_dict()
    for key, value, message in [
        ("best", "nan", "best must be a number"),
        ("points", [[1, 0.1]], "points must be pairs from step 0"),
        ("current", 0.5, "current must be the rate of the last point"),
        ("cuts", [5], "cuts must be increasing steps of points"),
        ("step", -1, "step must be an integer >= 0"),
        ("lr", -1.0, "lr must be"),
    ]:
        with pytest.raises((TypeError, ValueError), match=message):
            Plateau.from_dict({**d, key: value})
    with pytest.raises(ValueError, match="unknown keys"):
        Plateau.from_dict({**d, "optimizer": 1})
    with pytest.raises(TypeError, match="data holds a state without"):
        Plateau.from_dict({k: v for k, v in d.items() if k != "cuts"})
    with pytest.raises(TypeError, match="data must be a dict"):
        Plateau.from_dict([1])  # type: ignore[arg-type]
