"""annealing.diagnose: the schedule doctor.

The framework fixtures reproduce each bug with the real framework (PyTorch, Accelerate in two
real processes, Lightning, the Transformers Trainer, Keras 3 on JAX) and record the learning
rate each optimizer step used (an optimizer step pre-hook, a Keras callback, the frameworks'
own logs); the doctor must name the bug, the step and the factor. Without the framework a
test skips locally and fails under CI=true (support.require)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import warnings
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from catalogue import EXAMPLES
from support import ROOT, require

import annealing as an
from annealing.compat import torch as ctorch
from annealing.compat import transformers as ctransformers
from annealing.diagnose import (
    KINDS,
    Diagnosis,
    Series,
    diagnose,
    read_csv,
    read_lightning,
    read_trainer_state,
)

os.environ.setdefault("KERAS_BACKEND", "jax")
WARM = an.Warmup(an.Cosine(start=0.1, end=0.0, steps=90), warmup=10)
FIXTURES = Path(__file__).parent / "diagnose_fixtures"


def kinds(result: Diagnosis) -> list[str]:
    assert all(k in KINDS for k in result.kinds())
    return list(result.kinds())


def finding(result: Diagnosis, kind: str) -> Any:
    return next(f for f in result.findings if f.kind == kind)


# ------------------------------------------------------------------------------------------
# the clock, on series computed from the schedule


def test_a_match_is_a_match_and_says_its_tolerance() -> None:
    result = diagnose(WARM(np.arange(100.0)), WARM)
    assert result.matches and result.factor == 1
    assert kinds(result) == ["match"]
    text = str(result)
    assert "within 1e-06 of the peak 0.1" in text and "matches" in text


def test_float32_logs_still_match() -> None:
    recorded = WARM(np.arange(100.0)).astype(np.float32)
    assert diagnose(recorded, WARM).matches
    assert not diagnose(recorded, WARM, tolerance=1e-9).matches  # the tolerance is used


@pytest.mark.parametrize(
    ("k", "b"),
    [(8, 0), (4, 3), (2, 0), (3, 1), (Fraction(3, 5), 0), (Fraction(5, 2), 0), (16, 0)],
)
def test_the_speed_factor_is_found_exactly(k: Fraction, b: int) -> None:
    schedule = ctorch.CosineAnnealingLR(0.1, T_max=800)
    recorded = schedule(float(k) * np.arange(300) + b)
    result = diagnose(recorded, schedule)
    assert not result.matches
    assert result.factor == k and result.segments[0].start == b
    speed = finding(result, "speed")
    assert speed.value == float(k)
    words = "too fast" if k > 1 else "too slow"
    assert words in speed.message


def test_speed_message_names_accelerate_and_accumulation() -> None:
    result = diagnose(WARM(8.0 * np.arange(100)), WARM)
    message = finding(result, "speed").message
    assert message.startswith("Runs 8.0× too fast")
    assert "Accelerate" in message and "gradient accumulation 8" in message


def test_flat_off_by_one_and_ahead_at_the_start() -> None:
    flat = diagnose(np.full(100, 0.1), an.Cosine(0.1, 0.0, 100))
    assert kinds(flat) == ["flat"] and flat.factor == 0
    assert "never stepped" in str(flat)
    one = diagnose(WARM(np.arange(100.0) + 1), WARM)
    assert kinds(one) == ["off-by-one"] and one.factor == 1
    three = diagnose(WARM(np.arange(100.0) + 3), WARM)
    assert "ahead" in kinds(three) and finding(three, "ahead").value == 3


def test_restart_at_a_resume_repeats_the_warmup() -> None:
    recorded = np.concatenate([WARM(np.arange(40.0)), WARM(np.arange(60.0))])
    result = diagnose(recorded, WARM)
    found = finding(result, "warmup-repeated")
    assert found.step == 40 and "restarted from its step 0" in found.message
    no_warmup = an.Cosine(0.1, 0.0, 100)
    again = diagnose(
        np.concatenate([no_warmup(np.arange(40.0)), no_warmup(np.arange(60.0))]), no_warmup
    )
    assert finding(again, "restart").step == 40


def test_a_jump_to_another_step_is_a_jump_and_a_spike_is_named() -> None:
    recorded = np.concatenate([WARM(np.arange(60.0)), WARM(np.arange(15.0, 55.0))])
    result = diagnose(recorded, WARM)
    jump = finding(result, "jump")
    assert jump.step == 60 and jump.value == 15 - 60 and "spike" in jump.message


def test_skipped_steps_mid_run() -> None:
    u = np.arange(100.0) + 2
    u[30:] += 1
    u[70:] += 2
    result = diagnose(WARM(u), WARM)
    ahead = [f for f in result.findings if f.kind == "ahead"]
    assert [(f.step, f.value) for f in ahead] == [(0, 2), (30, 1), (70, 2)]


def test_horizons_longer_and_shorter_than_the_run() -> None:
    long = diagnose(WARM(np.arange(60.0)), WARM)
    assert long.matches and kinds(long) == ["match", "horizon-long"]
    assert "never reached its end value" in finding(long, "horizon-long").message
    short = diagnose(WARM(np.arange(150.0)), WARM)
    held = finding(short, "horizon-short")
    assert short.matches and held.step == 100 and held.value == 49


def test_values_the_schedule_never_gives_are_a_mismatch() -> None:
    recorded = WARM(np.arange(100.0))
    recorded[50:53] = 0.5  # above the peak: no reading of the schedule gives it
    result = diagnose(recorded, WARM)
    assert not result.matches
    assert finding(result, "mismatch").step == 50


def test_logs_with_gaps_use_their_steps() -> None:
    steps = np.arange(0, 400, 10)
    assert diagnose(WARM(steps * 1.0), WARM, steps=steps).matches
    result = diagnose(WARM(steps * 4.0), WARM, steps=steps)
    assert result.factor == 4


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_family_read_on_a_fast_or_shifted_clock_is_explained(name: str) -> None:
    """Series made as schedule(k·s + b): one stretch whose reading reproduces every value, and
    for the families whose values pin the clock (no flat pieces), exactly k and b."""
    schedule = EXAMPLES[name]
    rng = random.Random(name)
    for _ in range(2):
        k = rng.choice([Fraction(1), Fraction(2), Fraction(4), Fraction(8), Fraction(3, 5)])
        b = rng.choice([0, 1, 3])
        n = rng.choice([60, 200])
        recorded = schedule(float(k) * np.arange(n) + b)
        result = diagnose(recorded, schedule)
        assert len(result.segments) == 1 and "mismatch" not in result.kinds(), str(result)
        (segment,) = result.segments
        again = schedule(float(segment.rate) * np.arange(n) + segment.start)
        assert np.max(np.abs(again - recorded)) <= 1e-6 * max(result.peak, 1e-300)
        if name in PINNED:
            assert (result.factor, segment.start) == (k, b), str(result)


PINNED = {"Cosine", "Linear", "Warmup", "WSD", "OneCycle", "Exponential-end", "InverseSqrt"}


def test_a_long_run_is_quick_enough() -> None:
    schedule = an.Warmup(an.Cosine(0.1, 0.0, 190_000), 10_000)
    result = diagnose(schedule(2.0 * np.arange(100_000)), schedule)
    assert result.factor == 2


@pytest.mark.parametrize(
    ("lr", "schedule", "kwargs", "error", "words"),
    [
        ("0.1", WARM, {}, TypeError, "lr must be"),
        ([[0.1, 0.2]], WARM, {}, ValueError, "1-D"),
        ([], WARM, {}, ValueError, "from 1 to"),
        ([0.1, float("nan")], WARM, {}, ValueError, "finite learning rates >= 0"),
        ([0.1, -0.1], WARM, {}, ValueError, "finite learning rates >= 0"),
        ([True, False], WARM, {}, TypeError, "real numbers"),
        ([0.1, 0.2], "Cosine(0.1, 0, 10)", {}, TypeError, "schedule must be"),
        ([0.1, 0.2], WARM, {"tolerance": 0}, ValueError, "tolerance must be"),
        ([0.1, 0.2], WARM, {"tolerance": "1e-6"}, TypeError, "tolerance must be"),
        ([0.1, 0.2], WARM, {"steps": [1, 1]}, ValueError, "increase strictly"),
        ([0.1, 0.2], WARM, {"steps": [0, -1]}, ValueError, "integers from 0"),
        ([0.1, 0.2], WARM, {"steps": [0, 1.5]}, ValueError, "integers >= 0"),
        ([0.1, 0.2], WARM, {"steps": [0]}, ValueError, "one step per learning rate"),
    ],
)
def test_bad_input_is_refused_with_the_parameter_named(
    lr: Any, schedule: Any, kwargs: dict[str, Any], error: type, words: str
) -> None:
    with pytest.raises(error, match=words):
        diagnose(lr, schedule, **kwargs)


def test_the_result_is_frozen() -> None:
    result = diagnose(WARM(np.arange(10.0)), WARM)
    with pytest.raises(AttributeError):
        result.matches = False  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.findings[0].kind = "x"  # type: ignore[misc]


# ------------------------------------------------------------------------------------------
# readers


def test_read_csv_by_column_with_and_without_steps(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("step,loss,lr\n0,1.0,0.1\n1,0.9,\n2,0.8,0.09\n", encoding="utf-8")
    series = read_csv(path, "lr")
    assert list(series.steps) == [0, 2] and list(series.values) == [0.1, 0.09]
    assert not series.values.flags.writeable
    plain = tmp_path / "plain.csv"
    plain.write_text("lr\n0.1\n0.2\n", encoding="utf-8")
    assert list(read_csv(plain, "lr").steps) == [0, 1]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("step,lr\n0,0.1\n1,nan\n", r"log.csv:3: .*finite number"),
        ("step,lr\n0,0.1\n1,inf\n", r"log.csv:3: "),
        ("step,lr\n0,0.1\n1,-0.1\n", r"log.csv:3: "),
        ("step,lr\n0,0.1\n1,1_0\n", r"log.csv:3: "),
        ("step,lr\n0,0.1\n1,__import__('os')\n", r"log.csv:3: "),
        ("step,lr\n0,0.1\n1,1e999\n", r"log.csv:3: "),
        ("step,lr\n0,0.1\nx,0.2\n", r"log.csv:3: .*a step must be an integer"),
        ("step,lr\n0,0.1\n-1,0.2\n", r"log.csv:3: .*a step"),
        ("step,lr\n0,0.1\n1,0.2,3\n", r"log.csv:3: .*3 fields"),
        ("step,lr\n5,0.1\n1,0.2\n", r"log.csv:3: .*step order"),
        ("step,lr\n1,0.1\n1,0.2\n", r"log.csv:3: .*second learning rate"),
        ('step,lr\n0,"0.1\n', r"log.csv:\d+: .*not valid CSV"),
        ("step,lr,lr\n0,0.1,0.1\n", "twice"),
        ("step,rate\n0,0.1\n", r"no column 'lr'"),
        ("step,lr\n0,0.1\n1,\x00\n", "NUL"),
    ],
)
def test_read_csv_names_file_and_line(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=words):
        read_csv(path, "lr")


def test_read_csv_duplicates_policy_and_bad_arguments(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("step,lr\n0,0.1\n0,0.2\n1,0.3\n1,0.3\n", encoding="utf-8")
    assert list(read_csv(path, "lr", duplicates="first").values) == [0.1, 0.3]
    assert list(read_csv(path, "lr", duplicates="last").values) == [0.2, 0.3]
    with pytest.raises(ValueError, match="duplicates must be one of"):
        read_csv(path, "lr", duplicates="mean")
    with pytest.raises(TypeError, match="column must be"):
        read_csv(path, 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="path must be"):
        read_csv(b"log.csv", "lr")
    with pytest.raises(ValueError, match="cannot read"):
        read_csv(tmp_path / "absent.csv", "lr")
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"step,lr\n0,\xff\n")
    with pytest.raises(ValueError, match=r"bin.csv:2: .*not UTF-8"):
        read_csv(binary, "lr")


def test_read_trainer_state(tmp_path: Path) -> None:
    path = tmp_path / "trainer_state.json"
    history = [{"step": 1, "learning_rate": 0.0, "loss": 1.0}, {"step": 1, "eval_loss": 2.0}]
    history += [{"step": 2, "learning_rate": 0.01}]
    path.write_text(json.dumps({"log_history": history}), encoding="utf-8")
    series = read_trainer_state(path)
    assert list(series.steps) == [0, 1] and list(series.values) == [0.0, 0.01]
    assert list(read_trainer_state(path, offset=0).steps) == [1, 2]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"log_history": [', r"trainer_state.json:1:\d+: .*not valid JSON"),
        ('{"log_history": [{"step": 1, "learning_rate": NaN}]}', "not a number JSON allows"),
        (
            '{"log_history": [{"step": 1, "learning_rate": 1e999}]}',
            r"log_history\[0\].learning_rate",
        ),
        (
            '{"log_history": [{"step": 1, "learning_rate": "0.1"}]}',
            r"log_history\[0\].learning_rate",
        ),
        ('{"log_history": [{"step": true, "learning_rate": 0.1}]}', r"log_history\[0\].step"),
        ('{"log_history": [{"step": 0, "learning_rate": 0.1}]}', "negative"),
        ('{"log_history": [7]}', r"log_history\[0\]: .*object"),
        ('{"log_history": []}', "no learning rates"),
        ("[1, 2]", "log_history"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply|log_history"),
    ],
)
def test_read_trainer_state_refuses_malformed_files(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "trainer_state.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=words):
        read_trainer_state(path)


def test_readers_survive_hostile_files(tmp_path: Path) -> None:
    """Random bytes, truncations and mutations of valid files: a Series or a ValueError."""
    rng = random.Random(12)
    csv_text = "step,lr-SGD\n" + "".join(f"{i},{WARM(i)!r}\n" for i in range(50))
    json_text = json.dumps(
        {"log_history": [{"step": i + 1, "learning_rate": WARM(i)} for i in range(50)]}
    )
    path = tmp_path / "f"
    alphabet = b'0123456789.,e-+\n"[]{}:nNaI\x00\xff ,;'
    for trial in range(300):
        base = (csv_text if trial % 2 else json_text).encode()
        data = bytearray(base[: rng.randrange(len(base) + 1)] if trial % 5 == 0 else base)
        for _ in range(rng.randrange(1, 6)):
            if data:
                data[rng.randrange(len(data))] = rng.choice(alphabet)
        if trial % 7 == 0:
            data = bytearray(rng.randbytes(rng.randrange(200)))
        path.write_bytes(bytes(data))
        for read in (lambda p: read_csv(p, "lr-SGD"), read_lightning, read_trainer_state):
            try:
                series = read(path)
            except ValueError as error:
                assert str(error).startswith(str(path)), error
                continue
            assert isinstance(series, Series) and np.all(np.isfinite(series.values))
            assert np.all(series.values >= 0) and np.all(np.diff(series.steps) > 0)
            diagnose(series, WARM)  # and the doctor reads whatever a reader accepts


def test_readers_refuse_files_beyond_the_size_limit(tmp_path: Path, monkeypatch: Any) -> None:
    module = sys.modules["annealing.diagnose"]  # annealing.diagnose is also the function
    monkeypatch.setattr(module, "MAX_BYTES", 64)
    path = tmp_path / "big.csv"
    path.write_text("step,lr\n" + "0,0.1\n" * 20, encoding="utf-8")
    with pytest.raises(ValueError, match="larger than"):
        read_csv(path, "lr")


# ------------------------------------------------------------------------------------------
# each bug reproduced with the real framework


def _recorder(optimizer: Any) -> list[float]:
    """The learning rate each real optimizer.step() used (skipped AMP steps call none)."""
    used: list[float] = []
    optimizer.register_step_pre_hook(
        lambda opt, args, kwargs: used.append(float(opt.param_groups[0]["lr"]))
    )
    return used


@pytest.mark.peer
def test_torch_scheduler_stepped_per_micro_batch_with_accumulation_4() -> None:
    torch = require("torch")
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=100)
    used = _recorder(optimizer)
    for micro_batch in range(4 * 100):
        model(torch.ones(1, 2)).sum().backward()
        if (micro_batch + 1) % 4 == 0:
            optimizer.step()
            optimizer.zero_grad()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scheduler.step()  # the bug: once per micro-batch
    result = diagnose(used, ctorch.CosineAnnealingLR(0.1, T_max=100))
    assert result.factor == 4 and kinds(result) == ["speed"]
    assert result.segments[0].start == 3  # three micro-batches before the first update
    assert "gradient accumulation 4" in str(result)


@pytest.mark.peer
def test_accelerate_naive_wiring_on_two_real_processes(tmp_path: Path) -> None:
    require("torch")
    require("accelerate")
    # `accelerate launch --cpu` starts one process whatever --num_processes says (the CPU
    # flag selects its simple launcher); --multi_gpu starts torchrun, and the script asks
    # for Accelerator(cpu=True), so the two processes talk over gloo on the CPU.
    command = [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu"]
    command += ["--num_processes", "2", "--num_machines", "1", "--mixed_precision", "no"]
    command += ["--dynamo_backend", "no", "--main_process_port", str(29500 + os.getpid() % 1000)]
    command += [str(FIXTURES / "accelerate_naive.py"), str(tmp_path), "40"]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "ACCELERATE_USE_CPU": "true"}
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=300, env=env, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for rank in (0, 1):
        assert (tmp_path / f"processes-{rank}.txt").read_text() == "2"
        series = read_csv(tmp_path / f"lr-{rank}.csv", "lr")
        assert len(series) == 40
        result = diagnose(series, ctorch.CosineAnnealingLR(0.1, T_max=40))
        assert result.factor == 2 and kinds(result) == ["speed"]
        assert finding(result, "speed").message.startswith("Runs 2.0× too fast")
        assert "Accelerate stepping it once per process on 2 processes" in str(result)


@pytest.mark.peer
def test_accelerate_naive_wiring_with_a_state_of_eight_processes(tmp_path: Path) -> None:
    require("torch")
    require("accelerate")
    command = [sys.executable, str(FIXTURES / "accelerate_eight.py"), str(tmp_path), "100"]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MASTER_PORT": str(30500 + os.getpid() % 1000)}
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=300, env=env, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    state = (tmp_path / "processes.txt").read_text()
    assert state == "8 DistributedType.MULTI_CPU AcceleratedScheduler", state
    series = read_csv(tmp_path / "lr.csv", "lr")
    result = diagnose(series, ctorch.CosineAnnealingLR(0.1, T_max=800))
    assert result.factor == 8 and kinds(result) == ["speed"]
    assert finding(result, "speed").message.startswith("Runs 8.0× too fast")
    assert "Accelerate stepping it once per process on 8 processes" in str(result)


@pytest.mark.peer
def test_torch_resume_that_rebuilds_the_scheduler_repeats_the_warmup() -> None:
    torch = require("torch")
    transformers = require("transformers")
    model = torch.nn.Linear(2, 1)

    def build() -> tuple[Any, Any]:
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        scheduler = transformers.get_linear_schedule_with_warmup(optimizer, 10, 100)
        return optimizer, scheduler

    used: list[float] = []
    for steps in (30, 70):  # the second run forgets scheduler.load_state_dict
        optimizer, scheduler = build()
        used_here = _recorder(optimizer)
        for _ in range(steps):
            model(torch.ones(1, 2)).sum().backward()
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
        used += used_here
    claimed = an.Warmup(an.Linear(0.1, 0.0, 90), 10)
    result = diagnose(used, claimed)
    found = finding(result, "warmup-repeated")
    assert found.step == 30 and result.factor == 1
    assert "0.0788889 to 0" in found.message  # its step 29, then step 0


@pytest.mark.peer
def test_grad_scaler_skipped_steps_with_the_scheduler_stepped_anyway() -> None:
    torch = require("torch")
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: WARM(t) / 0.1)
    scaler = torch.amp.GradScaler("cpu", init_scale=2.0**16)
    used = _recorder(optimizer)
    overflow = {0, 1, 50}  # inf gradients: the scaler skips optimizer.step()
    skipped = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for iteration in range(100):
            optimizer.zero_grad()
            loss = model(torch.ones(1, 2)).sum()
            if iteration in overflow:
                loss = loss * float("inf")
            scaler.scale(loss).backward()
            before = scaler.get_scale()
            scaler.step(optimizer)
            scaler.update()
            skipped += scaler.get_scale() < before
            scheduler.step()  # the bug: stepped after a skipped step too
    assert skipped == 3 and len(used) == 97
    result = diagnose(used, WARM)
    ahead = [(f.step, f.value) for f in result.findings if f.kind == "ahead"]
    assert ahead == [(0, 2.0), (48, 1.0)], str(result)
    assert "GradScaler" in str(result)


@pytest.mark.peer
def test_torch_scheduler_stepped_before_the_optimizer_is_one_step_ahead() -> None:
    torch = require("torch")
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=50)
    used = _recorder(optimizer)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch warns about this order
        for _ in range(50):
            scheduler.step()
            model(torch.ones(1, 2)).sum().backward()
            optimizer.step()
            optimizer.zero_grad()
    result = diagnose(used, ctorch.CosineAnnealingLR(0.1, T_max=50))
    assert kinds(result) == ["off-by-one"]


@pytest.mark.peer
def test_torch_scheduler_never_stepped_is_flat() -> None:
    torch = require("torch")
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=50)  # and forgotten
    used = _recorder(optimizer)
    for _ in range(50):
        model(torch.ones(1, 2)).sum().backward()
        optimizer.step()
        optimizer.zero_grad()
    result = diagnose(used, ctorch.CosineAnnealingLR(0.1, T_max=50))
    assert kinds(result) == ["flat"] and result.factor == 0


@pytest.mark.peer
def test_lightning_scheduler_stepped_in_training_step_with_accumulate_grad_batches(
    tmp_path: Path,
) -> None:
    torch = require("torch")
    lightning = require("lightning")
    from lightning.pytorch.callbacks import LearningRateMonitor
    from lightning.pytorch.loggers import CSVLogger

    class Module(lightning.LightningModule):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.net = torch.nn.Linear(2, 1)

        def training_step(self, batch: Any, index: int) -> Any:
            self.cosine.step()  # the bug: once per micro-batch
            return self.net(batch[0]).pow(2).mean()

        def configure_optimizers(self) -> Any:
            optimizer = torch.optim.SGD(self.parameters(), lr=0.1)
            self.cosine = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=40)
            return optimizer

    data = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.ones(160, 2)), batch_size=1
    )
    trainer = lightning.Trainer(
        max_epochs=1,
        accumulate_grad_batches=4,
        logger=CSVLogger(str(tmp_path)),
        callbacks=[LearningRateMonitor(logging_interval="step")],
        log_every_n_steps=1,
        enable_progress_bar=False,
        enable_model_summary=False,
        enable_checkpointing=False,
        accelerator="cpu",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trainer.fit(Module(), data)
    (metrics,) = tmp_path.rglob("metrics.csv")
    with pytest.raises(ValueError, match="second learning rate"):
        read_lightning(metrics)  # one row per micro-batch, each with its own rate
    series = read_lightning(metrics, duplicates="first")  # the rate at each update's start
    assert len(series) == 40
    result = diagnose(series, ctorch.CosineAnnealingLR(0.1, T_max=40))
    assert result.factor == 4 and kinds(result) == ["speed"]


@pytest.mark.peer
def test_transformers_trainer_with_max_steps_shorter_than_the_horizon(tmp_path: Path) -> None:
    torch = require("torch")
    transformers = require("transformers")
    require("accelerate")

    class Model(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = torch.nn.Linear(2, 1)

        def forward(self, x: Any, labels: Any = None) -> dict[str, Any]:
            return {"loss": (self.net(x).squeeze(-1) - labels).pow(2).mean()}

    data = [{"x": torch.ones(2), "labels": torch.tensor(1.0)} for _ in range(64)]
    model = Model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    # the horizon from the planned epochs (100 updates), while max_steps stops at 60
    scheduler = transformers.get_cosine_schedule_with_warmup(optimizer, 10, 100)
    args = transformers.TrainingArguments(
        output_dir=str(tmp_path),
        max_steps=60,
        per_device_train_batch_size=4,
        logging_steps=1,
        report_to=[],
        save_strategy="no",
        use_cpu=True,
        disable_tqdm=True,
    )
    trainer = transformers.Trainer(
        model=model, args=args, train_dataset=data, optimizers=(optimizer, scheduler)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trainer.train()
    trainer.save_state()
    series = read_trainer_state(tmp_path / "trainer_state.json")
    assert list(series.steps) == list(range(60))
    # Transformers' cosine is not clamped (it rises after its horizon, so it has no end):
    # read it against the same curve as an annealing schedule that ends at step 100
    assert ctransformers.get_cosine_schedule_with_warmup(0.1, 10, 100).steps is None
    result = diagnose(series, WARM)
    assert result.matches and kinds(result) == ["match", "horizon-long"]
    assert finding(result, "horizon-long").value == 100 - 59
    # read against the schedule the run needed (60 steps), it runs 0.6 times as fast
    wanted = an.Warmup(an.Cosine(start=0.1, end=0.0, steps=50), warmup=10)
    assert not diagnose(series, wanted).matches


@pytest.mark.peer
def test_keras_schedule_restarts_after_load_weights_before_compile(tmp_path: Path) -> None:
    keras = require("keras")

    def lr_schedule() -> Any:
        return keras.optimizers.schedules.CosineDecay(0.0, 90, warmup_target=0.1, warmup_steps=10)

    used: list[float] = []

    class Record(keras.callbacks.Callback):  # type: ignore[misc]
        def on_train_batch_begin(self, batch: int, logs: Any = None) -> None:
            used.append(float(self.model.optimizer.learning_rate))

    def build() -> Any:
        return keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])

    x, y = np.ones((32, 2)), np.ones((32, 1))
    model = build()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr_schedule()), loss="mse")
    model.fit(x, y, batch_size=8, epochs=5, verbose=0, callbacks=[Record()])  # 20 steps
    model.save_weights(str(tmp_path / "run.weights.h5"))
    late = build()
    late.load_weights(str(tmp_path / "run.weights.h5"))
    late.compile(optimizer=keras.optimizers.SGD(learning_rate=lr_schedule()), loss="mse")
    late.fit(x, y, batch_size=8, epochs=5, initial_epoch=0, verbose=0, callbacks=[Record()])
    assert len(used) == 40
    result = diagnose(np.array(used, dtype=np.float32), WARM)  # Keras computes in float32
    found = finding(result, "warmup-repeated")
    assert found.step == 20 and result.factor == 1


def test_the_fixture_script_is_where_the_test_expects_it() -> None:
    assert (ROOT / "tests" / "diagnose_fixtures" / "accelerate_naive.py").exists()
