"""Hostile input to the entry points that take no catalogue Entry (OTHER_ENTRY_POINTS).

tests/test_fuzz.py fuzzes every schedule constructor, from_dict, the grammar and the CLI's
schedule commands; the entry points here had hand-written tests only: annealing.units, the
schedule doctor and its file readers, Plateau and its compat drop-ins, the torch Scheduler's
checkpoint, annealing.optax.hyperparams, the compat schedules that call user code and the
mappings, the by-name factories, annealing.keras's from_config, annealing.laws, the
simulated-annealing files and checkpoints, and every CLI subcommand.

Each test runs a fixed number of seeded cases (``ANNEALING_FUZZ_CASES`` scales them) and
collects violations in a :class:`fuzzing.Tally`. The promises (principle 5):

* an entry point returns or raises ValueError/TypeError whose message names it (and, for a
  mutated argument, that argument); any other exception is a violation;
* what it returns holds no NaN, infinity or negative rate (a Series, a Plateau's rate, an
  optimizer's hyperparameters, a bound, a law's prediction, a tour's length);
* nothing is silently changed: a file written from known values reads back as those values,
  a state round-trips through JSON;
* nothing hangs (``fuzzing.TIME_LIMIT``), and nothing executes: eval/exec never see the
  payload planted in texts and files, and pickle is never called.

``test_the_probe_catches_*`` check the harness itself against deliberately broken entry points.
A violation whose fix is requested from another owner goes in OPEN (kept out of the fuzz
verdict) with an xfail(strict=True) reproducer, which fails as soon as it is fixed: then the
reproducer becomes a plain test, as the ones at the end did (every request of session 4 was
fixed: OPEN is empty).
"""

from __future__ import annotations

import builtins
import contextlib
import decimal
import io
import json
import math
import os
import pickle
import random
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import fuzzing
import numpy as np
import pytest
import support

import annealing as an
from annealing import units
from annealing.plateau import Plateau
from annealing.schedule import Schedule

SCALE = float(os.environ.get("ANNEALING_FUZZ_CASES", "1"))
PWNED = "ANNEALING_FUZZ_PWNED"
# Text that, if evaluated anywhere, sets an environment variable (and mentions it, for the
# eval/exec guard).
PAYLOAD = f"__import__('os').environ.__setitem__('{PWNED}', '1')"
HOSTILE = (
    *fuzzing.WRONG_TYPES,
    *fuzzing.NEVER,
    *fuzzing.EDGES,
    None,
    PAYLOAD,
    10**4000,
    -5,
    2**63,
)
diagnose_module = __import__("sys").modules["annealing.diagnose"]


def cases(n: int) -> int:
    return max(1, int(n * SCALE))


# ------------------------------------------------------------------------------ the probe


@contextlib.contextmanager
def _nothing_runs(tally: fuzzing.Tally, point: str, rep: str) -> Iterator[None]:
    """eval/exec must never see the payload, pickle must never be called."""
    real_eval, real_exec = builtins.eval, builtins.exec
    real_loads, real_load = pickle.loads, pickle.load

    def watch(real: Callable[..., Any]) -> Callable[..., Any]:
        def guarded(source: Any, *args: Any, **kwargs: Any) -> Any:
            if PWNED in str(source):
                tally.bad(point, "code execution", rep, f"{real.__name__}({source!r:.80})")
                raise fuzzing.Hang("evaluated the payload")  # stop it here
            if not args and "globals" not in kwargs:  # evaluate in the caller's namespace
                caller = sys._getframe(1)
                args = (caller.f_globals, caller.f_locals)
            return real(source, *args, **kwargs)

        return guarded

    def unpickle(*args: Any, **kwargs: Any) -> Any:
        tally.bad(point, "code execution", rep, "pickle called")
        raise fuzzing.Hang("unpickled")

    builtins.eval, builtins.exec = watch(real_eval), watch(real_exec)
    pickle.loads, pickle.load = unpickle, unpickle  # type: ignore[assignment]
    try:
        yield
    finally:
        builtins.eval, builtins.exec = real_eval, real_exec
        pickle.loads, pickle.load = real_loads, real_load
        if os.environ.pop(PWNED, None) is not None:
            tally.bad(point, "code execution", rep, "the payload ran")


_FAILED = object()


def attempt(
    tally: fuzzing.Tally,
    point: str,
    rep: str,
    call: Callable[[], Any],
    owners: tuple[str, ...],
    params: tuple[str, ...] = (),
    limit: float = fuzzing.TIME_LIMIT,
) -> Any:
    """``call()``, or _FAILED when it raised (a violation unless a ValueError/TypeError naming
    one of `owners`, and one of `params` when given)."""
    tally.call(point)
    try:
        with fuzzing.time_limit(limit), warnings.catch_warnings(), _nothing_runs(tally, point, rep):
            warnings.simplefilter("ignore")
            return call()
    except (ValueError, TypeError) as error:
        tally.refused(point, error)
        text = str(error)
        if not fuzzing.names(text, owners):
            tally.bad(point, "message without parameter", rep, f"{text} (wanted {owners[0]})")
        elif params and not fuzzing.names(text, params):
            tally.bad(point, "message without parameter", rep, f"{text} (wanted {params})")
    except fuzzing.Hang as error:
        if "payload" not in str(error) and "unpickled" not in str(error):
            tally.bad(point, "hang", rep, str(error))
    except BaseException as error:
        tally.bad(point, "wrong exception", rep, error)
    return _FAILED


def finite(x: Any) -> bool:
    """Every number in `x` (a number, array, tensor, sequence) is finite and >= 0."""
    try:
        arr = np.asarray(x.detach().cpu() if hasattr(x, "detach") else x, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return bool(np.all(np.isfinite(arr)) and np.all(arr >= 0))


# Violations of requests open with another owner: kept out of the verdict, each reproduced
# by an xfail(strict=True) test.
OPEN: tuple[tuple[str, str, str], ...] = ()  # (point, text of the violation, request)


def is_open(v: fuzzing.Violation) -> bool:
    return any(v.point == p and text in v.reproducer + v.detail for p, text, _ in OPEN)


def verdict(tally: fuzzing.Tally) -> None:
    left = [v for v in tally.violations if not is_open(v)]
    if left:
        shown = fuzzing.Tally(violations=left)
        listed = "\n".join(str(v) for v in fuzzing.examples(shown, per_kind=2)[:20])
        pytest.fail(f"{len(left)} violations:\n{listed}", pytrace=False)
    assert sum(tally.calls.values()) > 0


def hostile(rng: random.Random) -> Any:
    value = rng.choice(HOSTILE)
    return [0.1] if isinstance(value, list) else value  # a fresh list: cases must not share it


# ------------------------------------------------------------------------------ the harness


def _broken_reader(kind: str) -> Callable[[], Any]:
    def reader() -> Any:
        if kind == "overflow":
            return float(10**400)
        if kind == "nan":
            return float("nan")
        if kind == "message":
            raise ValueError("something is wrong")
        if kind == "eval":
            return builtins.eval(f"0 if 1 else {PAYLOAD}")
        if kind == "pickle":
            return pickle.loads(pickle.dumps(1))
        while True:  # a hang
            pass

    return reader


@pytest.mark.parametrize("kind", ["overflow", "nan", "message", "eval", "pickle", "hang"])
def test_the_probe_catches_a_broken_entry_point(kind: str) -> None:
    tally = fuzzing.Tally()
    out = attempt(tally, "probe", "broken()", _broken_reader(kind), ("reader",), limit=0.5)
    if out is not _FAILED and not finite(out):
        tally.bad("probe", "NaN/inf/negative", "broken()", out)
    want = {
        "overflow": "wrong exception",
        "nan": "NaN/inf/negative",
        "message": "message without parameter",
        "eval": "code execution",
        "pickle": "code execution",
        "hang": "hang",
    }[kind]
    assert [v.kind for v in tally.violations] == [want]


def test_the_payload_would_be_seen() -> None:
    tally = fuzzing.Tally()
    with contextlib.suppress(fuzzing.Hang), _nothing_runs(tally, "probe", "x"):
        exec(PAYLOAD)  # the guard's own test: it must notice this
    assert [v.kind for v in tally.violations] == ["code execution"]
    assert PWNED not in os.environ


# ------------------------------------------------------------------------------ units

TIME_TEXTS = ("2ep", "0.1dur", "5e9tok", "1/3dur", "128sp", "1000ba", "+2EP", ".5ep", "1e-3dur")
TEMPLATES = (
    "Cosine(0.1, 0.0, '2ep')",
    "Warmup(Cosine(0.1, 0.0, '0.9dur'), warmup='0.1dur')",
    "Linear(1.0, 0.0, '1e6tok')",
    "Step(1.0, '1ep', 0.5)",
    "MultiStep(1.0, ('1ep', '2ep'), 0.5)",
    "Piecewise((('0ba', 1.0), ('1ep', 0.0)))",
    "Sequence((Constant(1.0), Constant(0.5)), ('1ep',))",
    "WSD(peak=0.1, warmup='0.05dur', stable='0.8dur', decay='0.15dur')",
    "Restarts(Cosine(1.0, 0.0, '1ep'), mult=2)",
)
TEMPLATE_DICTS = (
    {"type": "Cosine", "start": 0.1, "end": 0.0, "steps": "2ep"},
    {
        "type": "Warmup",
        "schedule": {"type": "Cosine", "start": 0.1, "end": 0.0, "steps": "0.9dur"},
        "warmup": "0.1dur",
    },
    {"type": "MultiStep", "start": 1.0, "milestones": ["1ep", 120], "factor": 0.5},
)
FACTS = {
    "duration": ("90ep", "1000ba", 1000, "0.5dur", "1e400ba", "1/3ep", 0, -1, 1.5, True),
    "samples_per_epoch": (1024, 1000, 0, -1, 2**63, 1.5, True, "1", np.int64(64)),
    "steps_per_epoch": (50, 1, 0, 2**62, True, 1.0),
    "batches_per_epoch": (30, 0, None),
    "batch": (64, 8, 0, 2**62, np.uint64(2**63)),
    "accumulation": (1, 3, 0, None, 2**62),
    "processes": (1, 8, 0, None),
    "tokens_per_sample": (2048, 0, 2**62),
    "rounding": ("exact", "floor", "ceil", "FLOOR", None, 1),
}
UNIT_OWNERS = ("Time", "Horizon", "Timed")


def _facts(rng: random.Random) -> dict[str, Any]:
    out = {k: rng.choice(vs) for k, vs in FACTS.items() if rng.random() < 0.4}
    if rng.random() < 0.1:
        out[rng.choice(list(FACTS))] = hostile(rng)
    return out


def _time_text(rng: random.Random) -> Any:
    r = rng.random()
    if r < 0.1:
        return hostile(rng)
    if r < 0.15:
        return rng.choice((*fuzzing.ESCAPES[:9], PAYLOAD))
    text = rng.choice(TIME_TEXTS)
    return text if r < 0.4 else fuzzing.mutate_text(text, rng)


def _check_time(tally: fuzzing.Tally, rep: str, t: Any) -> None:
    if not isinstance(t, units.Time) or t.value < 0:
        tally.bad("units", "not a time", rep, fuzzing.show(t))
        return
    back = units.Time.parse(str(t))
    if back != t or repr(back) != repr(t):
        tally.bad("units", "round trip", f"Time.parse(str({rep}))", str(t))


def units_case(rng: random.Random, tally: fuzzing.Tally) -> None:
    kind = rng.randrange(5)
    if kind == 0:
        text = _time_text(rng)
        rep = f"Time.parse({fuzzing.show(text, 120)})"
        t = attempt(tally, "units", rep, lambda: units.Time.parse(text), UNIT_OWNERS)
        if t is not _FAILED:
            _check_time(tally, rep, t)
    elif kind == 1:
        value = hostile(rng) if rng.random() < 0.5 else rng.choice((2, 0.1, Fraction(1, 3)))
        unit = rng.choice((*units.UNITS, "EP", "x", "", None, 1))
        rep = f"Time({fuzzing.show(value, 80)}, {unit!r})"
        t = attempt(
            tally, "units", rep, lambda: units.Time(value, unit), ("Time",), ("value", "unit")
        )
        if t is not _FAILED:
            _check_time(tally, rep, t)
            other = rng.choice((t, units.Time(1, "ba"), hostile(rng), 3, Fraction(1, 7)))
            for op in ("+", "-", "*", "/", "<"):
                f = {
                    "+": lambda: t + other,
                    "-": lambda: t - other,
                    "*": lambda: t * other,
                    "/": lambda: t / other,
                    "<": lambda: t < other,
                }[op]
                r = attempt(tally, "units", f"{rep} {op} {fuzzing.show(other, 60)}", f, UNIT_OWNERS)
                if isinstance(r, units.Time):
                    _check_time(tally, f"({rep} {op} ...)", r)
    elif kind == 2:
        facts = _facts(rng)
        rep = f"Horizon(**{fuzzing.show(facts, 200)})"
        h = attempt(tally, "units", rep, lambda: units.Horizon(**facts), ("Horizon",))
        if h is _FAILED:
            return
        if units.Horizon(**h.to_dict()) != h:
            tally.bad("units", "round trip", f"Horizon(**{rep}.to_dict())", repr(h))
        for _ in range(3):
            text = _time_text(rng)
            n = attempt(
                tally, "units", f"{rep}.steps({text!r:.80})", lambda t=text: h.steps(t), UNIT_OWNERS
            )
            if n is not _FAILED and not (isinstance(n, int) and n >= 0):
                tally.bad("units", "not a step", f"{rep}.steps({text!r})", n)
    else:
        facts = _facts(rng) if rng.random() < 0.3 else {"steps_per_epoch": 50, "duration": "10ep"}
        spec: Any = rng.choice(TEMPLATES)
        r = rng.random()
        if r < 0.3:
            spec = fuzzing.mutate_text(spec, rng)
        elif r < 0.4:
            spec = rng.choice((*fuzzing.ESCAPES[:9], f"Constant({PAYLOAD})", hostile(rng)))
        elif r < 0.6:
            spec = fuzzing.mutate_dict(rng.choice(TEMPLATE_DICTS), rng)
        elif r < 0.7:
            spec = rng.choice(TEMPLATE_DICTS)
        if rng.random() < 0.2:  # the facts as a Horizon (or something that is not one)
            horizon: Any = rng.choice(
                (units.Horizon(steps_per_epoch=50, duration="10ep"), hostile(rng), {"batch": 1})
            )
            facts = {"batch": 8} if rng.random() < 0.3 else {}  # beside a horizon: refused
            facts["horizon"] = horizon
        rep = f"Timed({fuzzing.show(spec, 200)}, **{fuzzing.show(facts, 120)})"
        s = attempt(tally, "units", rep, lambda: units.Timed(spec, **facts), UNIT_OWNERS)
        if s is _FAILED:
            return
        fuzzing.check_schedule(s, rng, tally, rep, "short")
        back = attempt(
            tally,
            "units",
            f"from_dict({rep}.to_dict())",
            lambda: an.from_dict(json.loads(json.dumps(s.to_dict()))),
            ("from_dict", "Timed"),
        )
        if back is not _FAILED and back != s:
            tally.bad("units", "round trip", f"from_dict({rep}.to_dict())", repr(back))
        again = attempt(
            tally, "units", f"parse(repr({rep}))", lambda: an.parse(repr(s)), ("schedule", "Timed")
        )
        if again is not _FAILED and again != s:
            tally.bad("units", "round trip", f"parse(repr({rep}))", repr(again))
        text = fuzzing.mutate_text(repr(s), rng)  # the grammar on a Timed's text, mutated
        fuzzing.text_case(text, tally)


def test_units_fuzz() -> None:
    tally = fuzzing.Tally()
    rng = random.Random(401)
    for _ in range(cases(400)):
        units_case(random.Random(rng.getrandbits(64)), tally)
    verdict(tally)


# ------------------------------------------------------------------------------ the doctor

READERS = ("read_csv", "read_lightning", "read_trainer_state")
CELL_TOKENS = (
    "nan", "inf", "-inf", "1e400", "1e-400", "-1", "", " ", "0x10", "1_000", "٣", "+1.0",
    "9" * 40, "1.5", '"', "a,b", "\x00", PAYLOAD, "1e99999", "NaN", "Infinity",
)  # fmt: skip


def _rates(rng: random.Random, n: int) -> list[float]:
    kind = rng.randrange(4)
    if kind == 0:
        return [rng.uniform(0, 1) for _ in range(n)]
    if kind == 1:
        return [
            rng.choice((0.0, 5e-324, 1e-300, 1e308, 0.1, 1.7976931348623157e308)) for _ in range(n)
        ]
    s = rng.choice(fuzzing.FINITE_POOL)
    with np.errstate(all="ignore"):
        return [float(x) for x in s(np.arange(n, dtype=np.float64) * rng.choice((1, 8)))]


def _steps(rng: random.Random, n: int) -> list[int]:
    start = rng.choice((0, 1, 2**53 - n - 1, 10**6))
    gaps = rng.choice((1, 1, 2, 50))
    return [start + i * gaps for i in range(n)]


def _mutate_lines(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        lines = lines or [""]
        i = rng.randrange(len(lines))
        op = rng.randrange(6)
        if op == 0:
            cells = lines[i].split(",")
            cells[rng.randrange(len(cells))] = rng.choice(CELL_TOKENS)
            lines[i] = ",".join(cells)
        elif op == 1:
            lines.insert(i, lines[rng.randrange(len(lines))])  # a duplicate row
        elif op == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]  # unsorted
        elif op == 3:
            del lines[i]
        elif op == 4:
            lines[i] = rng.choice(CELL_TOKENS) * rng.choice((1, 1000, 200_000))
        else:
            lines = lines[: rng.randint(0, len(lines))]
    return "\n".join(lines)


def _mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(data) + 1)
        data = (
            data[:i]
            + rng.choice((b"\xff", b"\xfe\xff", b"\x00", b"\xef\xbb\xbf", b"\r", b"\n"))
            + data[i:]
        )
    return data


def _csv_file(
    rng: random.Random, lightning: bool
) -> tuple[str, dict[str, Any], list[int], list[float]]:
    n = rng.choice((1, 2, 5, 40))
    steps, rates = _steps(rng, n), _rates(rng, n)
    column = "lr-SGD" if lightning else rng.choice(("lr", "learning_rate", "lr-AdamW/pg1"))
    header = ["epoch", "step", column, "train_loss"] if lightning else ["step", column]
    rows = [",".join(header)]
    for s, r in zip(steps, rates, strict=True):
        rows.append(f"0,{s},{r!r},0.5" if lightning else f"{s},{r!r}")
        if lightning and rng.random() < 0.2:
            rows.append(f"0,{s},,0.4")  # another metric's row: the rate's cell empty
    kwargs: dict[str, Any] = {} if lightning and rng.random() < 0.5 else {"column": column}
    if rng.random() < 0.3:
        kwargs["duplicates"] = rng.choice(("error", "first", "last", "FIRST", None, 1))
    if not lightning and rng.random() < 0.2:
        kwargs["step"] = rng.choice(("step", column, "missing", None, 5))
    return "\n".join(rows) + "\n", kwargs, steps, rates


def _trainer_file(rng: random.Random) -> tuple[str, dict[str, Any], list[int], list[float], Any]:
    n = rng.choice((1, 3, 30))
    steps = [s + 1 for s in _steps(rng, n)]
    rates = _rates(rng, n)
    history: list[dict[str, Any]] = []
    for s, r in zip(steps, rates, strict=True):
        history.append({"epoch": 0.1, "learning_rate": r, "loss": 1.0, "step": s})
        if rng.random() < 0.2:
            history.append({"eval_loss": 0.5, "step": s})
    data = {"log_history": history, "global_step": steps[-1]}
    kwargs = (
        {} if rng.random() < 0.7 else {"offset": rng.choice((0, -1, 1, -(10**6), True, 1.5, None))}
    )
    return json.dumps(data), kwargs, steps, rates, data


def _check_series(tally: fuzzing.Tally, rep: str, series: Any) -> None:
    if not isinstance(series, diagnose_module.Series):
        tally.bad("doctor", "not a series", rep, fuzzing.show(series))
        return
    s, v = series.steps, series.values
    if (
        s.dtype != np.int64
        or v.dtype != np.float64
        or s.shape != v.shape
        or not s.size
        or not np.all(np.diff(s) > 0)
        or s[0] < 0
        or s[-1] > 2**53
    ):
        tally.bad("doctor", "bad steps", rep, f"{s[:5]} {s.dtype} {v.shape}")
    if not finite(v):
        tally.bad("doctor", "NaN/inf/negative", rep, v[:5])


def reader_case(rng: random.Random, tally: fuzzing.Tally, tmp: Path) -> None:
    reader = rng.choice(READERS)
    function = getattr(diagnose_module, reader)
    path: Any = tmp / f"case{rng.getrandbits(32)}"
    intact = rng.random() < 0.3
    if reader == "read_trainer_state":
        text, kwargs, steps, rates, data = _trainer_file(rng)
        if not intact:
            r = rng.random()
            if r < 0.4:
                try:
                    text = json.dumps(fuzzing.mutate_dict(data, rng), default=repr)
                except (RecursionError, ValueError):  # nested deeper than json writes
                    text = '{"log_history": [' + '{"a": ' * 50_000 + "1" + "}" * 50_000 + "]}"
            elif r < 0.6:
                text = fuzzing.mutate_text(text, rng)
            elif r < 0.7:
                depth = rng.choice((100, 10_000, 200_000))
                text = '{"log_history": ' + "[" * depth + "]" * depth + "}"
            elif r < 0.8:
                text = text.replace(
                    "0.5", rng.choice(("NaN", "Infinity", "1e400", "9" * 5000, "-1"))
                )
    else:
        text, kwargs, steps, rates = _csv_file(rng, reader == "read_lightning")
        if not intact:
            text = _mutate_lines(text, rng)
    raw = text.encode("utf-8", "surrogatepass")
    if not intact and rng.random() < 0.2:
        raw = _mutate_bytes(raw, rng)
    if not intact and rng.random() < 0.1:
        path = rng.choice(
            (tmp, tmp / "missing", tmp / "fifo", "", "a\x00b", b"x.csv", 5, None, Path("/dev/null"))
        )
    else:
        path.write_bytes(raw)
    args = [path]
    if reader != "read_trainer_state" and "column" in kwargs:
        args.append(kwargs.pop("column"))
    given = ", ".join(fuzzing.show(a, 40) for a in args[1:])
    rep = f"{reader}({fuzzing.show(path, 60)}, {given}, **{kwargs})  # {raw[:120]!r}"
    series = attempt(tally, "doctor", rep, lambda: function(*args, **kwargs), (reader,))
    if series is _FAILED:
        return
    _check_series(tally, rep, series)
    if intact and isinstance(series, diagnose_module.Series):
        offset = kwargs.get("offset", -1) if reader == "read_trainer_state" else 0
        want_steps = [s + offset for s in steps] if isinstance(offset, int) else None
        if want_steps is not None and (
            series.steps.tolist() != want_steps or series.values.tolist() != rates
        ):
            tally.bad("doctor", "changed input", rep, f"{series.steps[:3]} {series.values[:3]}")
    if rng.random() < 0.3:
        schedule = rng.choice(fuzzing.POOL)
        d = attempt(
            tally,
            "doctor",
            f"diagnose({rep}, {schedule!r:.80})",
            lambda: an.diagnose(series, schedule),
            ("diagnose",),
        )
        if d is not _FAILED:
            str(d)


def test_readers_fuzz(tmp_path: Path) -> None:
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo")
    tally = fuzzing.Tally()
    rng = random.Random(402)
    for _ in range(cases(300)):
        reader_case(random.Random(rng.getrandbits(64)), tally, tmp_path)
    verdict(tally)


def diagnose_case(rng: random.Random, tally: fuzzing.Tally) -> None:
    s: Any = rng.choice(fuzzing.POOL)
    n = rng.choice((1, 2, 3, 10, 100, 1000))
    steps: Any = np.arange(n) * rng.choice((1, 1, 2, 8))
    kind = rng.randrange(7)
    with np.errstate(all="ignore"):
        if kind == 0:
            y: Any = s(steps.astype(float))
        elif kind == 1:
            y = s(steps.astype(float) * rng.choice((0.5, 2, 8, 0)))
        elif kind == 2:
            y = np.array(_rates(rng, n))
        elif kind == 3:
            y = s(steps.astype(float)).astype(np.float32)
        elif kind == 4:
            half = steps[: n // 2 + 1].astype(float)
            y = np.concatenate([s(half), s(half)])[:n]
        elif kind == 5:
            y = hostile(rng)
        else:
            y = s(steps.astype(float))
            y = list(y)
            y[rng.randrange(n)] = rng.choice((float("nan"), -1.0, float("inf"), "x", None, 1j))
    kwargs: dict[str, Any] = {}
    if rng.random() < 0.3:
        kwargs["tolerance"] = rng.choice(
            (1e-6, 0.5, 1e-300, 0.999999, 0, 1, -1, float("nan"), "x", True)
        )
    if rng.random() < 0.3:
        kwargs["steps"] = rng.choice(
            (steps, steps[::-1], steps + 2**53, [*list(steps), 5], None, "x", steps * 1.5)
        )
    if rng.random() < 0.1:
        s = rng.choice((None, 1.0, "Cosine(1, 0, 10)", lambda t: 0.1))
    if rng.random() < 0.2:  # a Series built by hand: checked as the readers' are
        raw_steps = kwargs.pop("steps", steps)
        built = attempt(
            tally,
            "doctor",
            f"Series({fuzzing.show(raw_steps, 80)}, {fuzzing.show(y, 80)})",
            lambda: diagnose_module.Series(raw_steps, y),
            ("Series",),
        )
        if built is _FAILED:
            return
        _check_series(tally, f"Series({fuzzing.show(raw_steps, 80)}, ...)", built)
        y = built
    rep = f"diagnose({fuzzing.show(y, 100)}, {fuzzing.show(s, 80)}, **{fuzzing.show(kwargs, 100)})"
    d = attempt(tally, "doctor", rep, lambda: an.diagnose(y, s, **kwargs), ("diagnose",))
    if d is _FAILED:
        return
    text = str(d)
    if not (math.isfinite(d.peak) and d.peak >= 0 and d.factor >= 0) or "nan" in text:
        tally.bad("doctor", "NaN/inf/negative", rep, text[:200])


def test_diagnose_fuzz() -> None:
    tally = fuzzing.Tally()
    rng = random.Random(403)
    for _ in range(cases(250)):
        diagnose_case(random.Random(rng.getrandbits(64)), tally)
    verdict(tally)


HOSTILE_FILES = {
    "empty": b"",
    "binary": bytes(range(256)),
    "not UTF-8": b"step,lr\n1,0.1\n\xff\xfe,0.2\n",
    "NUL": b"step,lr\n1,0.1\x00\n",
    "nan": b"step,lr\n1,nan\n",
    "inf": b"step,lr\n1,inf\n",
    "huge": b"step,lr\n1,1e400\n",
    "2**53 + 1": b"step,lr\n9007199254740993,0.1\n",
    "unsorted": b"step,lr\n2,0.1\n1,0.1\n",
    "duplicate": b"step,lr\n1,0.1\n1,0.2\n",
    "non-ASCII digits": "step,lr\n١,0.1\n".encode(),
    "json NaN": b'{"log_history": [{"learning_rate": NaN, "step": 1}]}',
    "json 400 digits": b'{"log_history": [{"learning_rate": ' + b"9" * 400 + b', "step": 1}]}',
    "json 5000 digits": b'{"log_history": [{"learning_rate": 0.1, "step": ' + b"9" * 5000 + b"}]}",
    "json nested": b"[" * 200_000 + b"]" * 200_000,
    "payload": f"step,lr\n1,{PAYLOAD}\n".encode(),
}


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("name", [*HOSTILE_FILES, "a FIFO", "a directory", "/dev/null", "NUL path"])
def test_readers_refuse_hostile_files(tmp_path: Path, reader: str, name: str) -> None:
    path: Any = tmp_path / "x"
    if name == "a FIFO":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        os.mkfifo(path)
    elif name == "a directory":
        path.mkdir()
    elif name == "/dev/null":
        path = "/dev/null"
    elif name == "NUL path":
        path = f"{tmp_path}/x\x00y"
    else:
        path.write_bytes(HOSTILE_FILES[name])
    args = [path] if reader == "read_trainer_state" else [path, "lr"]
    tally = fuzzing.Tally()
    call = getattr(diagnose_module, reader)
    out = attempt(tally, "doctor", f"{reader}({name})", lambda: call(*args), (reader,), limit=3)
    assert out is _FAILED and not tally.violations, tally.violations


# ------------------------------------------------------------------------------ plateau


def _plateau_makers() -> dict[str, Callable[..., Any]]:
    from annealing.compat import timm, torch, transformers

    return {
        "Plateau": Plateau,
        "ReduceLROnPlateau": torch.ReduceLROnPlateau,
        "PlateauLRScheduler": timm.PlateauLRScheduler,
        "get_reduce_on_plateau_schedule": transformers.get_reduce_on_plateau_schedule,
        "get_scheduler": lambda lr, **kw: transformers.get_scheduler(
            "reduce_lr_on_plateau", lr, scheduler_specific_kwargs=kw
        ),
    }


PLATEAU_ARGS = {
    "mode": ("min", "max"),
    "factor": (0.1, 0.5, 0.0),
    "patience": (0, 1, 3),
    "threshold": (1e-4, 0.0, 1.0, 1e300),
    "threshold_mode": ("rel", "abs"),
    "cooldown": (0, 2),
    "min_lr": (0.0, 1e-3),
    "eps": (1e-8, 0.0),
    "warmup_t": (0, 3),
    "warmup_lr_init": (0.0, 0.3, 1e-3),
    "decay_rate": (0.1, 0.5),
    "patience_t": (0, 2),
    "cooldown_t": (0, 1),
    "lr_min": (0.0, 1e-4),
}
METRICS = (
    1.0, 0.5, 2.0, 0.0, -1.0, 1e308, -1e308, float("nan"), float("inf"), -float("inf"),
    "1", None, True, 1j, 10**400, decimal.Decimal("NaN"), np.float32(0.25), np.array([1.0]),
    np.array(0.5), Fraction(1, 3), [1.0], 5e-324, np.bool_(True), np.array(False),
)  # fmt: skip


def plateau_case(rng: random.Random, tally: fuzzing.Tally) -> None:
    import inspect

    makers = _plateau_makers()
    name = rng.choice(list(makers))
    make = makers[name]
    sig = (
        inspect.signature(Plateau)
        if name in ("get_scheduler", "get_reduce_on_plateau_schedule")
        else inspect.signature(make)
    )
    known = [p for p in sig.parameters if p in PLATEAU_ARGS]
    kwargs = {p: rng.choice(PLATEAU_ARGS[p]) for p in known if rng.random() < 0.4}
    mutated: tuple[str, ...] = ()
    if rng.random() < 0.4 and known:
        p = rng.choice(known)
        kwargs[p] = hostile(rng)
        mutated = (p,)
    lr = rng.choice((0.1, 1.0, 1e308, 0.0)) if rng.random() < 0.8 else hostile(rng)
    if name in ("get_scheduler", "get_reduce_on_plateau_schedule"):
        kwargs.pop("warmup_t", None), kwargs.pop("warmup_lr_init", None)
    rep = f"{name}({fuzzing.show(lr, 60)}, **{fuzzing.show(kwargs, 200)})"
    plain_lr = isinstance(lr, float) and lr in (0.1, 1.0, 1e308, 0.0)
    p = attempt(tally, "plateau", rep, lambda: make(lr, **kwargs), (name,), mutated * plain_lr)
    if p is _FAILED:
        return
    if not isinstance(p, Plateau):
        tally.bad("plateau", "not a plateau", rep, fuzzing.show(p))
        return
    history = [p.lr]
    twin: Plateau | None = None
    for i in range(rng.randint(1, 30)):
        metric = rng.choice(METRICS) if rng.random() < 0.3 else rng.uniform(0, 2)
        if rng.random() < 0.1 and fuzzing._torch() is not None:  # what a training loop passes
            torch = fuzzing._torch()
            metric = rng.choice(
                (
                    torch.tensor(0.5),
                    torch.tensor([0.5, 1.0]),
                    torch.tensor(float("nan")),
                    torch.tensor(1.0, requires_grad=True),
                    torch.tensor(2, dtype=torch.int64),
                    torch.tensor(True),
                    torch.tensor([]),
                )
            )
        before = p.to_dict()
        lr_now = attempt(
            tally,
            "plateau",
            f"{rep}.step({fuzzing.show(metric)})",
            lambda m=metric: p.step(m),
            ("Plateau",),
            ("metric",),
        )
        if lr_now is _FAILED:
            if p.to_dict() != before:
                tally.bad(
                    "plateau",
                    "changed input",
                    f"{rep}.step({metric!r})",
                    "a refused metric changed the state",
                )
            continue
        history.append(lr_now)
        if isinstance(metric, (bool, np.bool_, str)) or "bool" in str(getattr(metric, "dtype", "")):
            tally.bad(
                "plateau", "accepted bad value", f"{rep}.step({fuzzing.show(metric)})", lr_now
            )
        if not finite(lr_now):
            tally.bad("plateau", "NaN/inf/negative", f"{rep}.step({fuzzing.show(metric)})", lr_now)
            return
        if twin is not None:
            other = twin.step(metric)
            if other != lr_now:
                tally.bad(
                    "plateau", "round trip", f"{rep} resumed at step {i}", f"{other} != {lr_now}"
                )
        if twin is None and rng.random() < 0.2:
            data = json.loads(json.dumps(p.to_dict(), allow_nan=False))
            twin = attempt(
                tally,
                "plateau",
                f"Plateau.from_dict({rep}.to_dict())",
                lambda d=data: Plateau.from_dict(d),
                ("Plateau",),
            )
            if twin is _FAILED:
                tally.bad("plateau", "round trip", f"from_dict({rep}.to_dict())", "refused")
                twin = None
            elif twin.to_dict() != p.to_dict():
                tally.bad("plateau", "round trip", f"from_dict({rep}.to_dict())", twin.to_dict())
    curve = attempt(tally, "plateau", f"{rep}.schedule()", p.schedule, ("Plateau", "Piecewise"))
    if curve is not _FAILED:
        replay = [curve(k) for k in range(len(history))]
        if replay != history:
            tally.bad(
                "plateau", "changed input", f"{rep}.schedule()", f"{replay[:5]} != {history[:5]}"
            )
    for _ in range(3):
        try:
            data = fuzzing.mutate_dict(p.to_dict(), rng)
        except (RecursionError, ValueError, TypeError):
            continue
        q = attempt(
            tally,
            "plateau",
            f"Plateau.from_dict({fuzzing.show(data, 200)})",
            lambda d=data: Plateau.from_dict(d),
            ("Plateau",),
        )
        if q is _FAILED:
            continue
        if not isinstance(q, Plateau) or not finite(q.lr):
            tally.bad(
                "plateau",
                "NaN/inf/negative",
                f"Plateau.from_dict({fuzzing.show(data, 200)})",
                fuzzing.show(q),
            )
            continue
        for metric in (1.0, 0.5, 0.5, 0.5):
            lr_q = attempt(
                tally,
                "plateau",
                f"from_dict(...).step({metric})",
                lambda m=metric, q=q: q.step(m),
                ("Plateau",),
            )
            if lr_q is not _FAILED and not finite(lr_q):
                tally.bad(
                    "plateau",
                    "NaN/inf/negative",
                    f"Plateau.from_dict({fuzzing.show(data, 200)}).step",
                    lr_q,
                )


def test_plateau_fuzz() -> None:
    tally = fuzzing.Tally()
    rng = random.Random(404)
    for _ in range(cases(300)):
        plateau_case(random.Random(rng.getrandbits(64)), tally)
    verdict(tally)


# ------------------------------------------------------------------------------ checkpoints


def _scheduler(rng: random.Random) -> tuple[Any, Any]:
    import torch

    from annealing.compat import torch as ct
    from annealing.torch import Scheduler

    p = torch.nn.Parameter(torch.zeros(1))
    q = torch.nn.Parameter(torch.zeros(1))
    kind = rng.randrange(4)
    if kind == 0:
        opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
        return opt, Scheduler(opt, an.Cosine(0.1, 0.0, 100))
    if kind == 1:
        opt = torch.optim.SGD([{"params": [p]}, {"params": [q], "lr": 0.01}], lr=0.1)
        return opt, Scheduler(opt, [an.Cosine(1.0, 0.0, 50), an.Constant(0.5)], mode="multiplier")
    if kind == 2:
        opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
        return opt, Scheduler(opt, ct.one_cycle(0.1, total_steps=100))
    opt = torch.optim.Adam([p], lr=0.1)
    return opt, Scheduler(opt, {"lr": an.Linear(0.1, 0.0, 30), "betas": (an.Constant(0.9), None)})


def _hyperparameters_finite(opt: Any) -> bool:
    for group in opt.param_groups:
        for key, value in group.items():
            if key == "params" or isinstance(value, bool):
                continue
            if isinstance(value, (int, float)) and not finite(value):
                return False
            if key == "betas" and not finite(list(value)):
                return False
    return True


def _v1(state: dict[str, Any]) -> dict[str, Any]:
    """A version 1 state: no version, no fingerprint, no pending count."""
    out = {k: v for k, v in state.items() if k not in ("version", "fingerprint", "_pending")}
    return out


def scheduler_case(rng: random.Random, tally: fuzzing.Tally) -> None:
    opt, s = _scheduler(rng)
    seed = rng.getrandbits(32)
    for _ in range(rng.randint(0, 5)):
        opt.step()
        s.step()
    state = s.state_dict()
    if rng.random() < 0.3:
        state = _v1(state)
    r = rng.random()
    if r < 0.5:
        try:
            data: Any = fuzzing.mutate_dict(json.loads(json.dumps(state)), rng)
        except (RecursionError, ValueError, TypeError):
            data = state
    elif r < 0.8:
        data = dict(state)
        key = rng.choice(
            [
                *state,
                "base_lrs",
                "last_epoch",
                "_step_count",
                "optimizer",
                "__dict__",
                "step",
                "get_lr",
            ]
        )
        data[key] = rng.choice(([hostile(rng)], hostile(rng), [hostile(rng), 0.1]))
    else:
        data = rng.choice((None, [], "x", {1: 2}, {"optimizer": 1}, state))
    policy = rng.choice((None, None, "raise", "continue", "bogus", 1))
    opt2, s2 = _scheduler(random.Random(seed))  # a fresh scheduler of any kind
    if rng.random() < 0.5:
        opt2, s2 = opt, s
    kwargs = {} if policy is None else {"on_schedule_change": policy}
    rep = f"Scheduler.load_state_dict({fuzzing.show(data, 300)}, **{kwargs})"
    out = attempt(
        tally, "scheduler", rep, lambda: s2.load_state_dict(data, **kwargs), ("Scheduler",)
    )
    if out is _FAILED:
        return
    if not _hyperparameters_finite(opt2):
        tally.bad("scheduler", "NaN/inf/negative", rep, opt2.param_groups[0])
        return
    for _ in range(2):
        stepped = attempt(
            tally, "scheduler", f"{rep}; step()", lambda: (opt2.step(), s2.step()), ("Scheduler",)
        )
        if stepped is _FAILED:
            return
        if not _hyperparameters_finite(opt2):
            tally.bad("scheduler", "NaN/inf/negative", f"{rep}; step()", opt2.param_groups[0])
            return


def test_scheduler_state_fuzz() -> None:
    support.require("torch")
    tally = fuzzing.Tally()
    rng = random.Random(405)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(cases(150)):
            scheduler_case(random.Random(rng.getrandbits(64)), tally)
    verdict(tally)


# ------------------------------------------------------------------------------ optax


def optax_case(rng: random.Random, tally: fuzzing.Tally) -> None:
    import optax

    from annealing.optax import hyperparams

    optimizer: Any = rng.choice((optax.adamw, optax.sgd, optax.lion, optax.adam))
    if rng.random() < 0.15:
        optimizer = rng.choice((None, 5, "adamw", print, optax.GradientTransformation, lambda: 1))
    names = ("learning_rate", "b1", "b2", "weight_decay", "momentum", "lr", "betas", "eps", "mask")
    import inspect

    with contextlib.suppress(TypeError, ValueError):
        own = [n for n in inspect.signature(optimizer).parameters if n in names]
        if own and rng.random() < 0.8:
            names = tuple(own)  # mostly the optimizer's own names: most cases build
    from annealing.compat import torch as ct

    pool = (*fuzzing.POOL, ct.LambdaLR(0.1, lambda e: 0.9), ct.MultiplicativeLR(0.1, lambda e: 0.9))
    schedules: Any = {rng.choice(names): rng.choice(pool) for _ in range(rng.randint(1, 3))}
    r = rng.random()
    if r < 0.1:
        schedules = rng.choice(({}, [], None, "learning_rate", an.Constant(0.1)))
    elif r < 0.2:
        schedules[rng.choice((1, None, "learning_rate", "b1"))] = hostile(rng)
    fixed: dict[str, Any] = {}
    if rng.random() < 0.5:
        fixed[rng.choice(names)] = rng.choice((0.1, 1e-4, None, hostile(rng), lambda p: p))
    label = getattr(optimizer, "__name__", optimizer)
    rep = f"hyperparams({label!r}, {fuzzing.show(schedules, 200)}, **{fuzzing.show(fixed, 100)})"
    opt = attempt(
        tally, "optax", rep, lambda: hyperparams(optimizer, schedules, **fixed), ("hyperparams",)
    )
    if opt is _FAILED:
        return
    import jax.numpy as jnp

    params = {"w": jnp.ones(3)}
    state = attempt(
        tally, "optax", f"{rep}.init", lambda: opt.init(params), ("hyperparams", "optax")
    )
    if state is _FAILED:
        return
    if rng.random() < 0.15:  # an update as a training loop runs it: jitted
        import jax

        def update() -> Any:
            return jax.jit(opt.update)(params, state, params)[1]

        stepped = attempt(tally, "optax", f"jit({rep}.update)", update, ("hyperparams", "optax"))
        state = state if stepped is _FAILED else stepped
    for name, value in state.hyperparams.items():
        if name in schedules and not finite(np.asarray(value)):
            tally.bad("optax", "NaN/inf/negative", f"{rep}: state.hyperparams[{name!r}]", value)


def test_optax_hyperparams_fuzz() -> None:
    support.require("optax")
    tally = fuzzing.Tally()
    rng = random.Random(406)
    for _ in range(cases(120)):
        optax_case(random.Random(rng.getrandbits(64)), tally)
    verdict(tally)


def keras_case(rng: random.Random, tally: fuzzing.Tally) -> None:
    from annealing.keras import Schedule as KerasSchedule

    schedule = rng.choice(fuzzing.POOL)
    config: Any = KerasSchedule(schedule).get_config()
    r = rng.random()
    if r < 0.5:
        config = {"schedule": fuzzing.mutate_dict(config["schedule"], rng)}
    elif r < 0.8:
        config = fuzzing.mutate_dict(config, rng)
    rep = f"annealing.keras.Schedule.from_config({fuzzing.show(config, 250)})"
    built = attempt(
        tally, "keras", rep, lambda: KerasSchedule.from_config(config), ("Schedule", "from_dict")
    )
    if built is _FAILED:
        return
    if config == KerasSchedule(schedule).get_config() and built.schedule != schedule:
        tally.bad("keras", "round trip", rep, repr(built))
    fuzzing.check_schedule(built.schedule, rng, tally, rep, "short")
    value = attempt(tally, "keras", f"{rep}(7)", lambda: built(7), ("Schedule",))
    if value is not _FAILED and not finite(np.asarray(value)):
        tally.bad("keras", "NaN/inf/negative", f"{rep}(7)", value)


def test_keras_from_config_fuzz() -> None:
    support.require("keras")
    tally = fuzzing.Tally()
    rng = random.Random(412)
    for _ in range(cases(80)):
        keras_case(random.Random(rng.getrandbits(64)), tally)
    verdict(tally)


@pytest.mark.parametrize("kind", ["LambdaLR", "MultiplicativeLR"])
def test_optax_hyperparams_refuses_python_schedules(kind: str) -> None:
    """A schedule that calls Python code each step would fail in optax's jitted update."""
    optax = support.require("optax")
    from annealing.compat import torch as ct
    from annealing.optax import hyperparams

    schedule = getattr(ct, kind)(0.1, lambda epoch: 0.9)
    tally = fuzzing.Tally()
    rep = f"hyperparams(optax.sgd, {{'learning_rate': {kind}(...)}})"
    out = attempt(
        tally,
        "optax",
        rep,
        lambda: hyperparams(optax.sgd, {"learning_rate": schedule}),
        ("hyperparams",),
        ("learning_rate",),
    )
    assert out is _FAILED and not tally.violations, tally.violations


# ------------------------------------------------------------------ compat: user code, mappings

LAMBDA_RETURNS = (
    0.5, 1.0, 0.0, 1e308, 5e-324, float("nan"), -1.0, float("inf"), "0.5", True, 10**400, 1j,
    None, [0.5], np.float32(0.5), np.array(0.5), np.array([0.5, 0.5]), Fraction(1, 2),
    decimal.Decimal("0.5"), decimal.Decimal("NaN"), np.bool_(True), b"1",
)  # fmt: skip
BIG_STEPS = (0, 1, 2, 10, 99, 1000, 1e6, 1e15, 1e300, 0.5, 2**53)


def callables_case(rng: random.Random, tally: fuzzing.Tally) -> None:
    from annealing.compat import torch as ct

    kind = rng.choice(
        ("LambdaLR", "MultiplicativeLR", "ChainedScheduler", "SWALR", "one_cycle", "cyclic")
    )
    if kind in ("LambdaLR", "MultiplicativeLR"):
        value = rng.choice(LAMBDA_RETURNS)
        every = rng.choice((1, 3, 1))

        def lam(epoch: Any, value: Any = value, every: int = every) -> Any:
            return value if epoch % every == every - 1 else 0.9

        lr = rng.choice((0.1, 1.0, 1e308)) if rng.random() < 0.9 else hostile(rng)
        rep = f"{kind}({fuzzing.show(lr)}, lambda e: {fuzzing.show(value)} every {every})"
        s = attempt(tally, "callables", rep, lambda: getattr(ct, kind)(lr, lam), (kind,))
        if s is _FAILED:
            return
        for t in rng.sample(BIG_STEPS, 4):
            got = attempt(tally, "callables", f"{rep}({t!r})", lambda t=t: s(t), (kind,))
            if got is not _FAILED and not finite(got):
                tally.bad("callables", "NaN/inf/negative", f"{rep}({t!r})", got)
            not_a_number = isinstance(value, (str, bytes, bool, np.bool_))
            if got is not _FAILED and not_a_number and every == 1 and t >= 1:
                tally.bad("callables", "accepted bad value", f"{rep}({t!r})", got)
        arr = attempt(
            tally, "callables", f"{rep}(np.arange(5))", lambda: s(np.arange(5.0)), (kind,)
        )
        if arr is not _FAILED and not finite(arr):
            tally.bad("callables", "NaN/inf/negative", f"{rep}(np.arange(5))", arr)
        return
    if kind == "ChainedScheduler":
        schedulers: Any = [rng.choice(fuzzing.POOL) for _ in range(rng.randint(0, 3))]
        if rng.random() < 0.2:
            schedulers = rng.choice(
                (None, "ab", an.Constant(1.0), [None], [ct.LambdaLR(0.1, lambda e: 1.0)])
            )
        lr = rng.choice((0.1, 1.0, 1e-300, 0.0, 1e308)) if rng.random() < 0.8 else hostile(rng)
        rep = f"ChainedScheduler({fuzzing.show(schedulers, 200)}, lr={fuzzing.show(lr)})"
        built: Any = attempt(
            tally,
            "callables",
            rep,
            lambda: ct.ChainedScheduler(schedulers, lr),
            ("ChainedScheduler",),
        )
    elif kind == "SWALR":
        kwargs: dict[str, Any] = {
            "swa_lr": rng.choice((0.05, 0.0, 1e308)),
            "anneal_epochs": rng.choice((0, 1, 10, 2**60)),
            "anneal_strategy": rng.choice(("cos", "linear")),
        }
        if rng.random() < 0.5:
            kwargs[rng.choice(list(kwargs))] = hostile(rng)
        rep = f"SWALR(0.1, **{fuzzing.show(kwargs, 200)})"
        built = attempt(tally, "callables", rep, lambda: ct.SWALR(0.1, **kwargs), ("SWALR",))
    else:
        if kind == "one_cycle":
            kwargs = {"max_lr": 0.1, "total_steps": rng.choice((1, 10, 100, 10**6))}
            options = (
                "pct_start",
                "anneal_strategy",
                "cycle_momentum",
                "base_momentum",
                "max_momentum",
                "div_factor",
                "final_div_factor",
                "three_phase",
                "epochs",
                "steps_per_epoch",
            )
        else:
            kwargs = {"base_lr": 0.01, "max_lr": 0.1}
            options = (
                "step_size_up",
                "step_size_down",
                "mode",
                "gamma",
                "cycle_momentum",
                "base_momentum",
                "max_momentum",
            )
        for _ in range(rng.randint(0, 3)):
            kwargs[rng.choice(options)] = rng.choice(
                (
                    hostile(rng),
                    0.5,
                    0.9,
                    0.8,
                    1,
                    100,
                    True,
                    False,
                    "cos",
                    "linear",
                    "triangular2",
                    "exp_range",
                )
            )
        rep = f"{kind}(**{fuzzing.show(kwargs, 250)})"
        built = attempt(
            tally,
            "callables",
            rep,
            lambda: getattr(ct, kind)(**kwargs),
            (kind, "OneCycleLR", "CyclicLR"),
        )
    if built is _FAILED:
        return
    for name, schedule in built.items() if isinstance(built, dict) else [("", built)]:
        if not isinstance(schedule, Schedule):
            tally.bad("callables", "not a schedule", f"{rep}[{name!r}]", fuzzing.show(schedule))
            continue
        fuzzing.check_schedule(schedule, rng, tally, f"{rep}[{name!r}]", "short")


def test_compat_callables_and_mappings_fuzz() -> None:
    tally = fuzzing.Tally()
    rng = random.Random(407)
    for _ in range(cases(250)):
        callables_case(random.Random(rng.getrandbits(64)), tally)
    verdict(tally)


# ------------------------------------------------------------------------------ by name


def by_name_case(rng: random.Random, tally: fuzzing.Tally) -> None:
    import inspect

    from annealing.compat import timm, transformers

    if rng.random() < 0.5:
        names: tuple[Any, ...] = (*timm._SCHEDS, "bogus", "", "COSINE", None, 1)
        sched = rng.choice(names)
        params = [
            p
            for p in inspect.signature(timm.create_scheduler_v2).parameters
            if p not in ("lr", "sched")
        ]
        kwargs: dict[str, Any] = {}
        for _ in range(rng.randint(0, 4)):
            p = rng.choice(params)
            kwargs[p] = rng.choice(
                (hostile(rng), 10, 0, 0.5, 100, True, False, "exp", "min", [30, 60], None)
            )
        rep = f"create_scheduler_v2(0.1, {sched!r}, **{fuzzing.show(kwargs, 250)})"
        out = attempt(
            tally,
            "by name",
            rep,
            lambda: timm.create_scheduler_v2(0.1, sched, **kwargs),
            ("create_scheduler_v2",),
        )
        if out is _FAILED:
            return
        if not (
            isinstance(out, tuple) and len(out) == 2 and isinstance(out[1], int) and out[1] >= 0
        ):
            tally.bad("by name", "not a pair", rep, fuzzing.show(out))
            return
        built = out[0]
    else:
        names = (*transformers.SCHEDULER_TYPES, "bogus", "", "Linear", None, 3)
        name = rng.choice(names)
        args: dict[str, Any] = {
            "num_warmup_steps": rng.choice((10, 0, None, hostile(rng))),
            "num_training_steps": rng.choice((100, 10, 0, None, hostile(rng))),
        }
        extra: Any = None
        if rng.random() < 0.4:
            extra = rng.choice(
                (
                    {},
                    {"num_cycles": 2},
                    {"power": 2.0},
                    {"min_lr": 0.01},
                    {"num_decay_steps": 10},
                    {"bogus": 1},
                    {1: 2},
                    {"lr": 1},
                    "x",
                    [1],
                    {"num_cycles": hostile(rng)},
                )
            )
        given = f"**{fuzzing.show(args, 150)}, scheduler_specific_kwargs={fuzzing.show(extra, 100)}"
        rep = f"get_scheduler({name!r}, 0.1, {given})"
        built = attempt(
            tally,
            "by name",
            rep,
            lambda: transformers.get_scheduler(name, 0.1, scheduler_specific_kwargs=extra, **args),
            ("get_scheduler",),
        )
        if built is _FAILED:
            return
    if built is None:
        return
    if isinstance(built, Plateau):
        for metric in (1.0, 0.9, 0.9, 0.9, float("nan"), 0.9):
            lr = built.step(metric)
            if not finite(lr):
                tally.bad("by name", "NaN/inf/negative", f"{rep}.step", lr)
        return
    if not isinstance(built, Schedule):
        tally.bad("by name", "not a schedule", rep, fuzzing.show(built))
        return
    fuzzing.check_schedule(built, rng, tally, rep, "short")


def test_by_name_fuzz() -> None:
    tally = fuzzing.Tally()
    rng = random.Random(408)
    for _ in range(cases(250)):
        by_name_case(random.Random(rng.getrandbits(64)), tally)
    verdict(tally)


# ------------------------------------------------------------------------------ laws

LAW_STEPS = np.arange(100, 1001, 100)


def _law_lr(rng: random.Random) -> Any:
    r = rng.random()
    if r < 0.6:
        return rng.choice(
            (an.Cosine(1e-3, 0.0, 1000), an.Constant(1e-3), an.WSD(1e-3, 50, 800, 150))
        )
    if r < 0.8:
        return rng.choice(fuzzing.POOL)
    if r < 0.9:
        return rng.choice(([1e-3] * 1001, [0.1] * 5, np.full(1001, 5e-324), [-0.1] * 1001))
    return hostile(rng)


def laws_case(rng: random.Random, tally: fuzzing.Tally) -> None:
    from annealing.laws import Law, bound, bound_curve, fit, optimal_scale

    truth = Law("tissue", (2.5, 0.6, 0.4, 0.3))
    kind = rng.choices((0, 1, 2), weights=(6, 4, 1))[0]  # a fit takes ~0.5 s
    if kind == 0:
        function = rng.choice((bound, bound_curve, optimal_scale))
        name = function.__name__
        lr = _law_lr(rng)
        steps = rng.choice((2, 10, 1000, 1)) if rng.random() < 0.8 else hostile(rng)
        kwargs: dict[str, Any] = {}
        if rng.random() < 0.4:
            kwargs["D"] = (
                rng.choice((1.0, 0.5, 1e200, 1e300)) if rng.random() < 0.6 else hostile(rng)
            )
        if rng.random() < 0.4:
            kwargs["G"] = (
                rng.choice((1.0, 1e200, [1.0] * 1000, [0.0] * 1000))
                if rng.random() < 0.6
                else hostile(rng)
            )
        rep = f"{name}({fuzzing.show(lr, 60)}, {fuzzing.show(steps)}, **{fuzzing.show(kwargs, 80)})"
        out = attempt(tally, "laws", rep, lambda: function(lr, steps, **kwargs), (name,))
        if out is _FAILED:
            return
        values = [out.scale, out.bound] if name == "optimal_scale" else out
        if not finite(values):
            tally.bad("laws", "NaN/inf/negative", rep, fuzzing.show(out))
    elif kind == 1:
        data: Any = {**truth.to_dict(), "peaks": [1e-3, 2e-3]}
        roll = rng.random()
        if roll < 0.4:
            data = fuzzing.mutate_dict(data, rng)
        elif roll < 0.7:
            data["parameters"][rng.choice(list(data["parameters"]))] = hostile(rng)
        else:
            data["peaks"][rng.randrange(2)] = hostile(rng)
        rep = f"Law.from_dict({fuzzing.show(data, 200)})"
        law = attempt(tally, "laws", rep, lambda: Law.from_dict(data), ("Law", "Law.from_dict"))
        if law is _FAILED:
            return
        pred = attempt(
            tally,
            "laws",
            f"{rep}.predict",
            lambda: law.predict(an.Cosine(1e-3, 0.0, 1000), LAW_STEPS),
            ("predict",),
        )
        if pred is not _FAILED and not finite(pred):
            tally.bad("laws", "NaN/inf/negative", f"{rep}.predict(...)", pred)
    else:
        runs: Any = []
        for _ in range(rng.randint(1, 2)):
            lr = _law_lr(rng) if rng.random() < 0.5 else an.Cosine(1e-3, 0.0, 1000)
            steps: Any = LAW_STEPS
            losses: Any = truth.predict(an.Cosine(1e-3, 0.0, 1000), LAW_STEPS)
            r = rng.random()
            if r < 0.15:
                losses = np.full(10, rng.choice((np.nan, np.inf, -1.0, 0.0, 1e308, 5e-324)))
            elif r < 0.25:
                losses = losses[:5]
            elif r < 0.35:
                steps = rng.choice(
                    (LAW_STEPS[::-1], LAW_STEPS + 0.5, np.array([5] * 10), [], LAW_STEPS * 10**13)
                )
            elif r < 0.45:
                losses = hostile(rng)
            runs.append((lr, steps, losses))
        if rng.random() < 0.1:
            runs = rng.choice(([], "abc", [None], [(1, 2)], None))
        law_name = rng.choice(("tissue", "multi-power")) if rng.random() < 0.9 else hostile(rng)
        rep = f"fit({fuzzing.show(runs, 200)}, {fuzzing.show(law_name)})"
        law = attempt(tally, "laws", rep, lambda: fit(runs, law_name), ("fit",), limit=20)
        if law is _FAILED:
            return
        if not all(math.isfinite(x) for x in law.values):
            tally.bad("laws", "NaN/inf/negative", rep, law)


def test_laws_fuzz() -> None:
    support.require("scipy")
    tally = fuzzing.Tally()
    rng = random.Random(409)
    for _ in range(cases(90)):
        laws_case(random.Random(rng.getrandbits(64)), tally)
    verdict(tally)


# ------------------------------------------------------------------ simulated annealing files

TSP_TOKENS = (
    "nan", "inf", "-inf", "1e400", "-1", "0", "9" * 30, "1e-400", "", " ", ":", "EOF",
    "NODE_COORD_SECTION", "DIMENSION: 0", "DIMENSION: 100000000000", "EDGE_WEIGHT_TYPE: GEO",
    "EDGE_WEIGHT_TYPE: ATT", "EDGE_WEIGHT_TYPE: CEIL_2D", "EDGE_WEIGHT_TYPE: EUC_3D",
    "EDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: FULL_MATRIX", "EDGE_WEIGHT_SECTION", "\x00",
    "é", "\ufeff", "1 0 0", "6 1 1", "1.5", "+3", "0x10", "1_000", "٣", PAYLOAD,
)  # fmt: skip


def _mutate_tsp(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        lines = lines or [""]
        op = rng.randrange(5)
        i = rng.randrange(len(lines))
        if op == 0:
            lines[i] = rng.choice(TSP_TOKENS)
        elif op == 1:
            lines.insert(i, rng.choice(TSP_TOKENS))
        elif op == 2:
            del lines[i]
        elif op == 3:
            words = lines[i].split(" ")
            words[rng.randrange(len(words))] = rng.choice(TSP_TOKENS)
            lines[i] = " ".join(words)
        else:
            lines = lines * rng.randint(2, 3)
    return "\n".join(lines)


_CHECKPOINTS: dict[str, tuple[Any, dict[str, Any]]] = {}


def _engine(problem: Any) -> str:
    """The pure-Python engine of each problem (no numba compile in a fuzz case)."""
    return "python" if type(problem).__name__ == "TravellingSalesman" else "reference"


def _checkpoint(kind: str) -> tuple[Any, dict[str, Any]]:
    from annealing import simulated as sa

    if kind not in _CHECKPOINTS:
        problem = {
            "tsp": lambda: sa.TravellingSalesman.circle(8),
            "rastrigin": lambda: sa.Rastrigin(2),
            "ising": lambda: sa.Ising(4),
        }[kind]()
        result = sa.anneal(problem, steps=300, seed=1, engine=_engine(problem))
        _CHECKPOINTS[kind] = (problem, json.loads(json.dumps(result.checkpoint)))
    problem, checkpoint = _CHECKPOINTS[kind]
    return problem, json.loads(json.dumps(checkpoint))


def sa_case(rng: random.Random, tally: fuzzing.Tally, tmp: Path) -> None:
    from annealing import simulated as sa

    kind = rng.randrange(4)
    path = tmp / f"case{rng.getrandbits(32)}"
    if kind == 3:  # a .tour file
        tour = "NAME: t\nTYPE: TOUR\nDIMENSION: 5\nTOUR_SECTION\n1\n3\n2\n5\n4\n-1\nEOF\n"
        text = tour if rng.random() < 0.2 else _mutate_tsp(tour, rng)
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        dimension = rng.choice((None, None, 5, 4, 0, True, 10**400, 2.0, "5"))
        rep = f"read_tour({text[:150]!r}, dimension={fuzzing.show(dimension)})"
        got = attempt(
            tally, "SA", rep, lambda: sa.read_tour(path, dimension), ("read_tour", str(path))
        )
        if got is _FAILED:
            return
        n = len(got)
        if sorted(got) != list(range(n)) or (dimension is not None and dimension != n):
            tally.bad("SA", "not a tour", rep, got)
        elif text == tour and got != [0, 2, 1, 4, 3]:
            tally.bad("SA", "changed input", rep, got)
        return
    if kind == 0:
        text = fuzzing.TSP_OK if rng.random() < 0.1 else _mutate_tsp(fuzzing.TSP_OK, rng)
        raw = text.encode("utf-8", "surrogatepass")
        if rng.random() < 0.1:
            raw = _mutate_bytes(raw, rng)
        path.write_bytes(raw)
        rep = f"TravellingSalesman.from_tsplib({raw[:200]!r})"
        problem = attempt(
            tally,
            "SA",
            rep,
            lambda: sa.TravellingSalesman.from_tsplib(path),
            ("tsp", str(path), "from_tsplib", "TravellingSalesman"),
        )
        if problem is _FAILED:
            return
        result = attempt(
            tally,
            "SA",
            f"anneal({rep})",
            lambda: sa.anneal(problem, steps=200, seed=1, engine="python"),
            ("anneal",),
        )
        if result is not _FAILED and not finite([result.best_energy, result.energy]):
            tally.bad("SA", "NaN/inf/negative", f"anneal({rep})", result.best_energy)
        return
    problem, checkpoint = _checkpoint(rng.choice(("tsp", "rastrigin", "ising")))
    data: Any = checkpoint
    if rng.random() < 0.8:
        try:
            data = fuzzing.mutate_dict(checkpoint, rng)
        except (RecursionError, ValueError, TypeError):
            data = checkpoint
    if kind == 1:  # through a file: load_checkpoint
        try:
            text = json.dumps(data, default=repr)
        except (RecursionError, ValueError):
            text = "[" * 100_000 + "]" * 100_000
        if rng.random() < 0.3:
            text = fuzzing.mutate_text(text, rng)
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        target: Any = (
            path if rng.random() < 0.9 else rng.choice((tmp, tmp / "fifo", "a\x00b", 5, ""))
        )
        rep = f"load_checkpoint({fuzzing.show(target, 60)})  # {text[:150]!r}"
        owners = ("load_checkpoint", "checkpoint", str(target))
        data = attempt(tally, "SA", rep, lambda: sa.load_checkpoint(target), owners)
        if data is _FAILED:
            return
    steps = rng.choice((600, 300, 1, 10**400, -1, 1.5, True))
    given = f"steps={fuzzing.show(steps)}, resume={fuzzing.show(data, 250)}"
    rep = f"anneal({type(problem).__name__}, {given})"
    result = attempt(
        tally,
        "SA",
        rep,
        lambda: sa.anneal(problem, steps=steps, resume=data, engine=_engine(problem)),
        ("anneal", "resume", "checkpoint"),
    )
    if result is not _FAILED and not all(
        math.isfinite(e) for e in (result.best_energy, result.energy)
    ):
        tally.bad("SA", "NaN/inf/negative", rep, result.best_energy)


def test_simulated_files_fuzz(tmp_path: Path) -> None:
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo")
    tally = fuzzing.Tally()
    rng = random.Random(410)
    for _ in range(cases(400)):
        sa_case(random.Random(rng.getrandbits(64)), tally, tmp_path)
    verdict(tally)


# ------------------------------------------------------------------------------ the CLI

CLI_SCHEDULES = (
    "Cosine(1.0, 0.0, 100)",
    "Timed(" + repr("Cosine(0.1, 0.0, '2ep')") + ", steps_per_epoch=50)",
    PAYLOAD,
    f"Constant({PAYLOAD})",
    '{"type": "Constant", "value": 1e400}',
    "",
    "-h",
)


def _cli_argv(rng: random.Random) -> list[str]:
    command = rng.choice(("show", "plot", "define", "sa", "sa", "", "--help", "--version", "bogus"))
    if command in ("show", "plot"):
        argv = [command]
        for _ in range(rng.choice((0, 1, 1, 1, 2))):
            s = rng.choice(fuzzing.POOL)
            hostile_text = rng.choice(
                (rng.choice(CLI_SCHEDULES), fuzzing.mutate_text(repr(s), rng))
            )
            valid = rng.choice((repr(s), json.dumps(s.to_dict())))
            argv.append(valid if rng.random() < 0.7 else hostile_text)
        options = (
            ("--steps", "--every", "--width", "--spark", "--chart")
            if command == "show"
            else ("--steps", "--dpi", "-o", "--log", "--title")
        )
        for opt in rng.sample(options, rng.randint(0, 3)):
            if opt in ("--spark", "--chart", "--log"):
                argv.append(opt)
            elif opt == "-o":
                argv += [
                    opt,
                    rng.choice(("x.png", "x.svg", "", "/missing/x.png", ".", "x.unknown", "fifo")),
                ]
            elif opt == "--title":
                argv += [opt, rng.choice(("t", "", "$\\frac{", PAYLOAD, "é" * 300))]
            elif rng.random() < 0.5:
                argv += [opt, rng.choice(fuzzing.OPTION_VALUES + fuzzing.SMALL_INTS)]
            else:
                argv += [opt, rng.choice(("60", "100", "10", "1000"))]  # valid: the command runs
        return argv
    if command == "define":
        argv = ["define"]
        argv += rng.sample(
            (
                "cosine annealing",
                "SGDR",
                "warm",
                "",
                "é",
                "\x00",
                "a" * 300,
                "--",
                "-x",
                PAYLOAD,
                "WSD",
            ),
            rng.randint(0, 2),
        )
        for opt in rng.sample(("--list", "--tag", "--json", "--width"), rng.randint(0, 3)):
            if opt in ("--list", "--json"):
                argv.append(opt)
            else:
                argv += [opt, rng.choice((*fuzzing.SMALL_INTS, "", "schedule", "é", PAYLOAD))]
        return argv
    if command == "sa":
        if rng.random() < 0.1:
            return ["sa", *rng.sample(("tsp", "bogus", "-h", "ising"), rng.randint(0, 1))]
        files = (*fuzzing.TSP_FILES, "missing.tsp", "fifo.tsp", ".", "", PAYLOAD)
        argv = ["sa", "tsp", rng.choice(files), "-q"]
        options = ("--steps", "--seed", "--cycles", "--schedule", "-o", "--time-limit", "--engine")
        for opt in rng.sample(options, rng.randint(1, 4)):
            if opt == "--schedule":
                argv += [
                    opt,
                    rng.choice(("cosine", "restarts", "exponential", "linear", "bogus", "")),
                ]
            elif opt == "--engine":
                argv += [opt, rng.choice(("python", "reference", "auto", "numba", "x"))]
            elif opt == "-o":
                argv += [opt, rng.choice(("x.png", "", "/missing/dir/x.png", ".", "x.txt"))]
            elif opt == "--time-limit":  # a wall-clock run: at most a fifth of a second
                argv += [
                    opt,
                    rng.choice(("0", "-5", "0.05", "0.2", "nan", "inf", "1e400", "x", "1e-9")),
                ]
            else:
                argv += [
                    opt,
                    rng.choice(
                        (
                            "0",
                            "-5",
                            "1",
                            "200",
                            "1000",
                            "nan",
                            "inf",
                            "1e400",
                            "abc",
                            "",
                            str(2**128),
                            "1e-9",
                        )
                    ),
                ]
        if "--engine" not in argv or "numba" in argv or "auto" in argv:
            argv += ["--engine", "python"]  # no numba compile inside a fuzz case
        if "--steps" not in argv:
            argv += ["--steps", "500"]
        return argv
    return [command] if command else []


def cli_case(rng: random.Random, tally: fuzzing.Tally) -> None:
    from annealing.cli import main

    argv = _cli_argv(rng)
    ascii_out = rng.random() < 0.2
    rep = f"annealing {' '.join(fuzzing._quote(a) for a in argv)}" + (
        "  (ASCII stdout)" if ascii_out else ""
    )
    out = io.TextIOWrapper(
        io.BytesIO(), encoding="ascii" if ascii_out else "utf-8", errors="strict"
    )
    err = io.StringIO()

    def run() -> Any:
        with tempfile.TemporaryDirectory() as tmp, fuzzing._chdir(tmp):
            fuzzing._make_files(tmp)
            if hasattr(os, "mkfifo"):
                os.mkfifo(os.path.join(tmp, "fifo"))
            try:
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    return main(argv)
            except SystemExit as exit:
                return exit.code
            finally:
                import matplotlib.pyplot as plt

                plt.close("all")

    code = attempt(tally, "CLI", rep, run, ("annealing",), limit=20)
    if code is _FAILED:
        return
    text = err.getvalue()
    if code not in (0, 1, 2, None):
        tally.bad("CLI", "exit code", rep, code)
    elif "Traceback" in text or "internal error" in text:
        tally.bad("CLI", "traceback", rep, text[-300:])
    else:
        out.flush()
        if code and not (text.strip() or out.buffer.getvalue().strip()):  # type: ignore[attr-defined]
            tally.bad("CLI", "message without parameter", rep, f"exit {code} and nothing said")


def test_cli_fuzz_every_subcommand() -> None:
    support.require("matplotlib")
    tally = fuzzing.Tally()
    rng = random.Random(411)
    for _ in range(cases(150)):
        cli_case(random.Random(rng.getrandbits(64)), tally)
    verdict(tally)


@pytest.mark.parametrize(
    "argv", [["show", PAYLOAD], ["define", PAYLOAD], ["sa", "tsp", PAYLOAD, "-q"]]
)
def test_python_dash_m_annealing_runs_no_payload(argv: list[str], tmp_path: Path) -> None:
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != PWNED}
    done = subprocess.run(
        [sys.executable, "-m", "annealing", *argv],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert done.returncode in (1, 2), done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert done.stderr.startswith("annealing"), done.stderr


# ------------------------------------------ the findings fixed by their owners (once xfail)


def holds(call: Callable[[], Any], owners: tuple[str, ...]) -> bool:
    """Whether `call` keeps principle 5: a finite result >= 0, or a ValueError/TypeError
    naming one of `owners`."""
    tally = fuzzing.Tally()
    out = attempt(tally, "open", "reproducer", call, owners, limit=5)
    if out is not _FAILED and not finite([out.scale, out.bound] if hasattr(out, "scale") else out):
        tally.bad("open", "NaN/inf/negative", "reproducer", out)
    return not tally.violations


def _loaded_with(key: str, value: Any) -> Callable[[], Any]:
    def load() -> Any:
        import torch

        from annealing.torch import Scheduler

        p = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([p], lr=0.1)
        s = Scheduler(opt, an.Cosine(1.0, 0.0, 100), mode="multiplier")
        state = s.state_dict()
        state[key] = value
        if key == "schedule":
            state["fingerprint"] = None
        s.load_state_dict(state)
        return [g["lr"] for g in opt.param_groups]

    return load


def _nested(depth: int) -> Any:
    d: Any = {"type": "Constant", "value": 1.0}
    for _ in range(depth):
        d = {"type": "Warmup", "schedule": d, "warmup": 1}
    return d


@pytest.mark.parametrize(
    ("key", "value"),
    [("base_lrs", [float("inf")]), ("base_lrs", [10**400]), ("schedule", "deep")],
    ids=["inf", "10**400", "deep"],
)
def test_scheduler_state_refuses_hostile_values(key: str, value: Any) -> None:
    """SPEED's fix of the fuzz's findings (45e1e27): inf and 10**400 base rates, a deep schedule."""
    support.require("torch")
    if value == "deep":
        value = _nested(5000)
    assert holds(_loaded_with(key, value), ("Scheduler",))


def _laws_reproducers() -> dict[str, tuple[Callable[[], Any], tuple[str, ...]]]:
    from annealing.laws import Law, bound, fit, optimal_scale

    cos = an.Cosine(1e-3, 0.0, 1000)
    truth = Law("tissue", (2.5, 0.6, 0.4, 0.3))
    deep: Any = [1]
    for _ in range(5000):
        deep = [deep]

    def predicted(parameters: dict[str, Any]) -> Any:
        return Law.from_dict({"format": 2, "law": "tissue", "parameters": parameters}).predict(
            cos, LAW_STEPS
        )

    return {
        "1 bound nan": (lambda: bound(an.Constant(1e308), 10), ("bound",)),
        "1 bound inf": (lambda: bound(an.Constant(5e-324), 10), ("bound",)),
        "1 optimal_scale": (
            lambda: optimal_scale(an.Constant(0.1), 10, D=1e200, G=1e200),
            ("optimal_scale",),
        ),
        "2 G 10**400": (lambda: bound(an.Constant(0.1), 10, G=10**400), ("bound",)),
        "2 L0 10**400": (
            lambda: predicted({"L0": 10**400, "A": 1, "alpha": 1, "C": 1}),
            ("Law",),
        ),
        "3 steps 2**53": (lambda: bound(an.Constant(0.1), 2**53), ("bound",)),
        "4 negative law": (lambda: predicted({"L0": -1, "A": -1, "alpha": -1, "C": -1}), ("Law",)),
        "5 subnormal rates": (
            lambda: fit(
                [
                    (cos, LAW_STEPS, truth.predict(cos, LAW_STEPS)),
                    (np.full(1001, 5e-324), LAW_STEPS, truth.predict(cos, LAW_STEPS)),
                ]
            ),
            ("fit",),
        ),
        "6 deep dict": (lambda: Law.from_dict(deep), ("Law.from_dict", "Law")),
        "7 steps 10**400": (lambda: bound(an.Constant(0.1), 10**400), ("bound",)),
        "7 losses 10**400": (lambda: fit([(cos, LAW_STEPS, 10**400)]), ("fit",)),
        # session 7, at 30 times the cases: numpy makes timedelta64 an integer
        "8 G timedelta64": (lambda: bound(cos, 2, G=np.timedelta64(1, "D")), ("bound",)),
        "8 steps timedelta64": (lambda: bound(cos, np.timedelta64(1, "D")), ("bound",)),
        "8 peaks timedelta64": (
            lambda: Law.from_dict({**truth.to_dict(), "peaks": [1e-3, np.timedelta64(1, "D")]}),
            ("Law",),
        ),
        "8 law an array": (lambda: fit([(1, 2)], np.array([])), ("fit",)),  # type: ignore[arg-type]
    }


@pytest.mark.parametrize(
    "name",
    [
        "1 bound nan",
        "1 bound inf",
        "1 optimal_scale",
        "2 G 10**400",
        "2 L0 10**400",
        "3 steps 2**53",
        "4 negative law",
        "5 subnormal rates",
        "6 deep dict",
        "7 steps 10**400",
        "7 losses 10**400",
        "8 G timedelta64",
        "8 steps timedelta64",
        "8 peaks timedelta64",
        "8 law an array",
    ],
)
def test_laws_refuse_hostile_input(name: str) -> None:
    """LAWS's fix of the fuzz's findings (9c1a7a5)."""
    support.require("scipy")
    call, owners = _laws_reproducers()[name]
    assert holds(call, owners)


@pytest.mark.parametrize("reader", ["load_checkpoint", "from_tsplib", "read_tour"])
def test_simulated_readers_name_themselves_for_a_nul_path(reader: str) -> None:
    """SA's fix of the fuzz's finding (df33e0e)."""
    from annealing import simulated as sa

    call = {
        "load_checkpoint": sa.load_checkpoint,
        "from_tsplib": sa.TravellingSalesman.from_tsplib,
        "read_tour": sa.read_tour,
    }[reader]
    assert holds(lambda: call("a\x00b"), (reader, "checkpoint", "tsp", "tour", "a\\x00b"))


def _deeper_reproducers() -> dict[str, tuple[str, Callable[[], Any], tuple[str, ...]]]:
    """What the fuzz found at 10 times its cases (session 7): (the module it needs, the call,
    the names its error must give)."""
    import datetime
    import decimal

    from annealing.compat import timm

    def plateau(**changes: Any) -> Callable[[], Any]:
        return lambda: Plateau.from_dict({**Plateau(0.1).to_dict(), **changes})

    def two_groups(schedule: Any) -> Callable[[], Any]:
        def load() -> Any:  # with two groups the saved schedules are a list, and list == array
            import torch  # is an array

            from annealing.torch import Scheduler

            groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in (1, 2)]
            s = Scheduler(torch.optim.SGD(groups), an.Cosine(1.0, 0.0, 100), mode="multiplier")
            state = {**s.state_dict(), "schedule": schedule}
            del state["fingerprint"]
            s.load_state_dict(state)
            return s.get_last_lr()

        return load

    def optax(**fixed: Any) -> Callable[[], Any]:
        def call() -> Any:
            import jax
            import jax.numpy as jnp
            import optax as ox

            from annealing.optax import hyperparams

            opt = hyperparams(ox.adamw, {"learning_rate": an.Cosine(0.1, 0.0, 10)}, **fixed)
            params = {"w": jnp.ones(3)}
            return jax.jit(opt.update)(params, opt.init(params), params)[0]["w"]

        return call

    return {
        "plateau best array": ("numpy", plateau(best=np.array([])), ("Plateau",)),
        "plateau format True": ("numpy", plateau(format=True), ("Plateau",)),
        "state schedule array": ("torch", two_groups(np.ones(2)), ("Scheduler",)),
        "optax b1 Decimal": ("optax", optax(b1=decimal.Decimal("-0")), ("hyperparams",)),
        "optax eps None": ("optax", optax(eps=None), ("hyperparams",)),
        "optax b2 a callable": ("optax", optax(b2=lambda p: p), ("hyperparams",)),
        "optax weight_decay 10**18": ("optax", optax(weight_decay=10**18), ("hyperparams",)),
        "optax eps datetime64": ("optax", optax(eps=np.datetime64("2020-01-01")), ("hyperparams",)),
        "optax b1 timedelta": ("optax", optax(b1=datetime.timedelta(1)), ("hyperparams",)),
        "optax mask of floats": ("optax", optax(mask=lambda p: p), ("hyperparams",)),
        "timm num_epochs -1e308": (
            "numpy",
            lambda: timm.create_scheduler_v2(0.1, "multistep", num_epochs=-1e308),
            ("create_scheduler_v2",),
        ),
    }


@pytest.mark.parametrize("name", sorted(_deeper_reproducers()))
def test_the_deeper_fuzz_findings_are_refused_by_name(name: str) -> None:
    needs, call, owners = _deeper_reproducers()[name]
    support.require(needs)
    assert holds(call, owners)
