"""Time in the user's units (annealing/units.py): exact times, horizons and Timed schedules."""

from __future__ import annotations

import dataclasses
import decimal
import json
import math
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from catalogue import EXAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

import annealing as an
from annealing import units
from annealing.units import LENGTHS, UNITS, Horizon, Time, Timed

SRC = Path(an.__file__).parent


# ------------------------------------------------------------------------------ Time


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("1dur", Fraction(1), "dur"),
        ("0.1dur", Fraction(1, 10), "dur"),
        ("1000ba", Fraction(1000), "ba"),
        ("2ep", Fraction(2), "ep"),
        ("5e9tok", Fraction(5 * 10**9), "tok"),
        ("128sp", Fraction(128), "sp"),
        ("3e4tok", Fraction(30000), "tok"),  # Composer's own doctest examples
        ("0.5dur", Fraction(1, 2), "dur"),
        ("2EP", Fraction(2), "ep"),  # Composer matches the unit in any case
        ("+5ep", Fraction(5), "ep"),  # what float() reads
        (".5dur", Fraction(1, 2), "dur"),
        ("5.ba", Fraction(5), "ba"),
        ("1e-3dur", Fraction(1, 1000), "dur"),
        ("2.5E+3sp", Fraction(2500), "sp"),
        ("1/3dur", Fraction(1, 3), "dur"),  # our own text for a value with no finite decimal
        ("0ba", Fraction(0), "ba"),
    ],
)
def test_composer_time_strings_are_read_exactly(text: str, value: Fraction, unit: str) -> None:
    t = Time.parse(text)
    assert type(t.value) is Fraction and t.value == value and t.unit == unit
    assert Time.parse(str(t)) == t
    assert eval(repr(t), {"Time": Time}) == t


def test_str_is_the_shortest_exact_text() -> None:
    assert [str(Time.parse(s)) for s in ("5e9tok", "1000ba", "0.10dur", "2.50ep", "1E7sp")] == [
        "5e9tok",
        "1000ba",
        "0.1dur",
        "2.5ep",
        "1e7sp",
    ]
    assert str(Time(Fraction(3, 2), "ep")) == "1.5ep" and str(Time(Fraction(2, 3), "dur")) == (
        "2/3dur"
    )
    assert str(Time.parse("1.5e-10dur")) == "15e-11dur"
    assert str(Time(10**300, "tok")) == "1e300tok"


@settings(max_examples=300, deadline=None)
@given(
    st.fractions(min_value=0, max_value=10**30, max_denominator=10**12)
    | st.decimals(min_value=0, max_value=10**20, allow_nan=False, allow_infinity=False)
    | st.integers(min_value=0, max_value=10**300)
    | st.floats(min_value=0, max_value=1e300, allow_nan=False, allow_infinity=False),
    st.sampled_from(UNITS),
)
def test_every_time_round_trips_through_its_string(value: object, unit: str) -> None:
    t = Time(value, unit)
    text = str(t)
    assert Time.parse(text) == t and Time.parse(text).value == t.value
    assert Time.parse(text.upper()) == t
    if "/" not in text:  # a Composer string: its number is what float() reads
        number = text[: -len(unit)]
        assert float(number) == float(t.value)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=9),
    st.sampled_from(UNITS),
)
def test_decimal_strings_round_trip_exactly(digits: int, places: int, unit: str) -> None:
    text = f"{digits / 10**places:.{places}f}{unit}" if places else f"{digits}{unit}"
    t = Time.parse(text)
    assert t.value == Fraction(digits, 10**places)
    assert Time.parse(str(t)) == t


def test_a_float_is_the_decimal_it_prints_as() -> None:
    assert Time(0.1, "dur") == Time.parse("0.1dur") == units.dur(0.1)
    assert Time(np.float32(0.5), "ep").value == Fraction(1, 2)
    assert Time(decimal.Decimal("0.1"), "dur").value == Fraction(1, 10)
    assert Time(np.int64(7), "ba").value == 7
    assert units.epochs(2) == Time(2, "ep") and units.batches(3) == Time.parse("3ba")
    assert units.samples(4) == Time(4, "sp") and units.tokens(5) == Time(5, "tok")


def test_arithmetic_is_exact() -> None:
    third = Time(1, "ep") / 3
    assert third.value == Fraction(1, 3)
    assert third * 3 == Time(1, "ep")
    assert Time(1, "dur") - Time.parse("0.9dur") == Time.parse("0.1dur")  # not 0.09999999999999998
    assert Time(2, "ep") + Time(1, "ep") == Time(3, "ep")
    assert Time(1, "ep") / Time(4, "ep") == Fraction(1, 4)
    assert Time(1, "ep") < Time(2, "ep") and Time(2, "ep") >= Time(2, "ep")
    with pytest.raises(ValueError, match="one unit"):
        Time(1, "ep") + Time(1, "ba")
    with pytest.raises(ValueError, match="one unit"):
        _ = Time(1, "ep") < Time(1, "ba")
    with pytest.raises(ValueError, match=">= 0"):
        Time(1, "ep") - Time(2, "ep")
    with pytest.raises(ValueError, match="divisor"):
        Time(1, "ep") / 0
    with pytest.raises(ValueError, match="zero time"):
        Time(1, "ep") / Time(0, "ep")
    with pytest.raises(TypeError):
        Time(1, "ep") + 1  # type: ignore[operator]


@pytest.mark.parametrize(
    "text",
    [
        "-1ep",
        "nanep",
        "infdur",
        "1e999ep",
        "1e401ep",
        "2e308ba",
        " 2ep",
        "2ep ",
        "2 ep",
        "2",
        "ep",
        "2epoch",
        "1_000ba",
        "2sec",
        "3iter",
        "1h20m",
        "1/0dur",
        "0x10ep",
        "١ep",  # a digit that float() reads, but no Composer config has
        "",
        "2ep2ep",
        "1" * 2000 + "ep",
    ],
)
def test_hostile_time_strings_are_refused_in_one_line(text: str) -> None:
    with pytest.raises(ValueError) as info:
        Time.parse(text)
    message = str(info.value)
    assert message.startswith("Time: text must be") and "\n" not in message
    assert len(message) < 400


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (math.nan, ValueError),
        (math.inf, ValueError),
        (-1, ValueError),
        (-0.5, ValueError),
        (10**400, ValueError),
        (decimal.Decimal("1e999999999"), ValueError),
        (decimal.Decimal("NaN"), ValueError),
        (Fraction(10**400, 3), ValueError),
        (Fraction(1, 10**500), ValueError),
        (True, TypeError),
        ("2", TypeError),
        (None, TypeError),
        (1j, TypeError),
        ([1], TypeError),
        (np.array([1.0]), TypeError),
    ],
)
def test_hostile_time_values_are_refused(value: object, error: type[Exception]) -> None:
    with pytest.raises(error, match=r"^Time: value must be a finite number >= 0"):
        Time(value, "ep")


@pytest.mark.parametrize("unit", ["EP", "epoch", "sec", "", None, 1])
def test_a_typed_time_takes_one_of_the_units(unit: object) -> None:
    with pytest.raises((ValueError, TypeError), match=r"^Time: unit must be one of 'ba'"):
        Time(1, unit)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ Horizon


def test_steps_follow_the_formulas_exactly() -> None:
    h = Horizon(
        samples_per_epoch=51200,
        batch=16,
        accumulation=4,
        processes=2,
        tokens_per_sample=1024,
        duration="10ep",
    )
    assert h.global_batch == 128
    assert h.steps("7ba") == 7
    assert h.steps("2ep") == 2 * 51200 // 128 == 800
    assert h.steps("1280sp") == 10
    assert h.steps("1310720tok") == 10  # 1310720 / (128 * 1024)
    assert h.steps("0.25dur") == 1000
    assert h.exact_steps("1sp") == Fraction(1, 128)
    assert Horizon(steps_per_epoch=300).steps("2.5ep") == 750
    assert Horizon(batches_per_epoch=100, accumulation=4).steps("2ep") == 50
    assert Horizon(duration=1000).steps("0.1dur") == 100  # an int duration is steps


@pytest.mark.parametrize(
    ("batch", "accumulation", "processes"),
    [(64, 1, 1), (8, 1, 8), (16, 4, 1), (4, 2, 8), (1, 64, 1), (32, 1, 2)],
)
def test_two_epochs_are_the_same_step_however_the_global_batch_is_made(
    batch: int, accumulation: int, processes: int
) -> None:
    h = Horizon(
        samples_per_epoch=50_048,
        batch=batch,
        accumulation=accumulation,
        processes=processes,
        duration="90ep",
        tokens_per_sample=512,
    )
    assert h.steps("2ep") == 1564  # 2 * 50048 / 64
    assert h.steps("0.5dur") == 45 * 782
    assert h.steps("6400sp") == 100
    assert h.steps("3276800tok") == 100
    text = "Warmup(Cosine(0.1, 0.0, '85ep'), warmup='0.05dur')"
    one = Timed(text, Horizon(samples_per_epoch=50_048, batch=64, duration="90ep"))
    here = Timed(text, h)
    assert here.resolved() == one.resolved()
    steps = np.arange(0, 70_400, 7)
    assert np.array_equal(here(steps), one(steps))


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 10**6),
    st.integers(1, 64),
    st.integers(1, 8),
    st.integers(1, 16),
    st.fractions(min_value=0, max_value=1000, max_denominator=1000),
)
def test_only_the_global_batch_matters(
    samples: int, batch: int, accumulation: int, processes: int, epochs: Fraction
) -> None:
    a = Horizon(
        samples_per_epoch=samples, batch=batch, accumulation=accumulation, processes=processes
    )
    b = Horizon(samples_per_epoch=samples, batch=batch * accumulation * processes)
    t = units.epochs(epochs)
    assert a.exact_steps(t) == b.exact_steps(t) == epochs * Fraction(samples, a.global_batch or 1)


def test_rounding_is_refused_unless_asked() -> None:
    h = Horizon(samples_per_epoch=50_000, batch=64)
    with pytest.raises(ValueError, match=r"'2ep' is 3125/2 = 1562.5 optimizer steps \(2 epochs"):
        h.steps("2ep")
    assert dataclasses.replace(h, rounding="floor").steps("2ep") == 1562
    assert dataclasses.replace(h, rounding="ceil").steps("2ep") == 1563
    assert dataclasses.replace(h, rounding="floor").steps("2ep") == 1562
    # a dur rounds once, after the run length is made whole
    d = Horizon(steps_per_epoch=3, duration="1ep", rounding="floor")
    assert d.steps("0.5dur") == 1 and dataclasses.replace(d, rounding="ceil").steps("0.5dur") == 2
    with pytest.raises(ValueError, match=r"Timed: Cosine.steps='0.5dur' is 3/2 = 1.5"):
        Timed("Cosine(1.0, 0.0, '0.5dur')", steps_per_epoch=3, duration="1ep")


@pytest.mark.parametrize(
    ("horizon", "time", "needs"),
    [
        (Horizon(), "2ep", "needs samples_per_epoch, steps_per_epoch or batches_per_epoch"),
        (Horizon(samples_per_epoch=10), "2ep", "needs batch"),
        (Horizon(), "128sp", "needs batch"),
        (Horizon(), "5e9tok", "needs batch"),
        (Horizon(batch=8), "5e9tok", "needs tokens_per_sample"),
        (Horizon(), "0.1dur", r"needs duration \(the run's total length\)"),
        (Horizon(duration="2ep"), "0.1dur", r"duration='2ep' needs samples_per_epoch"),
    ],
)
def test_a_missing_fact_is_named(horizon: Horizon, time: str, needs: str) -> None:
    with pytest.raises(ValueError, match=f"^Horizon: .*{needs}"):
        horizon.steps(time)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"batch": 0}, ValueError, "batch"),
        ({"batch": -8}, ValueError, "batch"),
        ({"batch": True}, TypeError, "batch"),
        ({"batch": 8.0}, TypeError, "batch"),
        ({"batch": "8"}, TypeError, "batch"),
        ({"accumulation": 0}, ValueError, "accumulation"),
        ({"processes": math.nan}, TypeError, "processes"),
        ({"processes": None}, TypeError, "processes"),
        ({"samples_per_epoch": 2**63}, ValueError, "samples_per_epoch"),
        ({"tokens_per_sample": 10**400}, ValueError, "tokens_per_sample"),
        ({"steps_per_epoch": 0}, ValueError, "steps_per_epoch"),
        ({"samples_per_epoch": 10, "steps_per_epoch": 2}, ValueError, "steps_per_epoch"),
        ({"steps_per_epoch": 2, "batches_per_epoch": 2}, ValueError, "batches_per_epoch"),
        ({"rounding": "nearest"}, ValueError, "rounding"),
        ({"rounding": None}, TypeError, "rounding"),
        ({"duration": "0.5dur"}, ValueError, "duration"),
        ({"duration": "0ep"}, ValueError, "duration"),
        ({"duration": "1e999ep"}, ValueError, "duration"),
        ({"duration": 0}, ValueError, "duration"),
        ({"duration": 1.5}, TypeError, "duration"),
        ({"duration": True}, TypeError, "duration"),
        ({"duration": math.inf}, TypeError, "duration"),
    ],
)
def test_hostile_facts_are_refused_naming_them(
    kwargs: dict[str, object], error: type[Exception], name: str
) -> None:
    for owner, make in (("Horizon", Horizon), ("Timed", lambda **k: Timed("Constant(1.0)", **k))):
        with pytest.raises(error) as info:
            make(**kwargs)
        message = str(info.value)
        assert message.startswith(f"{owner}: {name} must") and "\n" not in message


# ------------------------------------------------------------------------------ Timed

H = Horizon(samples_per_epoch=1024, batch=32, accumulation=2, duration="10ep")  # 16 steps/epoch

CASES = {
    "Warmup(Cosine(1.0, 0.0, '9ep'), warmup='1ep')": an.Warmup(an.Cosine(1.0, 0.0, 144), 16),
    "Sequence((Linear(0.0, 1.0, '0.1dur'), Cosine(1.0, 0.0, '0.9dur')))": an.Sequence(
        (an.Linear(0.0, 1.0, 16), an.Cosine(1.0, 0.0, 144))
    ),
    "Sequence((Constant(1.0), Cosine(1.0, 0.0, 10)), boundaries=['0.5dur'])": an.Sequence(
        (an.Constant(1.0), an.Cosine(1.0, 0.0, 10)), (80,)
    ),
    "Restarts(Cosine(1.0, 0.1, '2ep'), mult=2, warmup='4ba', limit=3)": an.Restarts(
        an.Cosine(1.0, 0.1, 32), mult=2, warmup=4, limit=3
    ),
    "WSD(1.0, warmup='0.05dur', stable='0.75dur', decay='3ep', end=0.01)": an.WSD(
        1.0, 8, 120, 48, end=0.01
    ),
    "MultiStep(0.1, milestones=('3ep', '6ep', 130))": an.MultiStep(0.1, (48, 96, 130)),
    "Piecewise((('0ba', 1.0), ('2ep', 0.5), ('0.5dur', 0.1)), interpolation='linear')": (
        an.Piecewise(((0, 1.0), (32, 0.5), (80, 0.1)), interpolation="linear")
    ),
    "Scale(Cosine(1.0, 0.0, '1ep'), Linear(1.0, 0.0, '10ep'))": an.Scale(
        an.Cosine(1.0, 0.0, 16), an.Linear(1.0, 0.0, 160)
    ),
    "Cyclic(0.1, 1.0, '1ep', down='0.5ep', mode='triangular2')": an.Cyclic(
        0.1, 1.0, 16, 8, mode="triangular2"
    ),
    "Exponential(1.0, rate=0.5, every='1ep', staircase=True)": an.Exponential(
        1.0, rate=0.5, every=16, staircase=True
    ),
    "Offset(InverseSqrt(1.0, '2ep'), '1ep')": an.Offset(an.InverseSqrt(1.0, 32), 16),
    "OneCycle(1.0, '10ep')": an.OneCycle(1.0, 160),
    "Warp(Tanh(1.0, 0.0, '640sp'), 2.0)": an.Warp(an.Tanh(1.0, 0.0, 10), 2.0),
    "PolynomialCycles(1.0, 0.0, '1ep', power=2.0)": an.PolynomialCycles(1.0, 0.0, 16, power=2.0),
    "Step(1.0, '3ep', 0.5)": an.Step(1.0, 48, 0.5),
    "InverseTime(1.0, 0.5, every='1ep')": an.InverseTime(1.0, 0.5, 16),
    "Constant(0.5, steps='1dur')": an.Constant(0.5, steps=160),
    "Polynomial(1.0, 0.0, '2ep', power=2.0)": an.Polynomial(1.0, 0.0, 32, power=2.0),
}


@pytest.mark.parametrize("text", sorted(CASES))
def test_a_timed_schedule_is_the_schedule_written_in_steps(text: str) -> None:
    s = Timed(text, H)
    by_hand = CASES[text]
    assert s.resolved() == by_hand and s.steps == by_hand.steps
    steps = [0, 1, 7, 15.5, 16, 17, 47.25, 80, 100, 143, 144, 159, 160, 161, 999, 10**6]
    for t in steps:
        assert s(t) == by_hand(t)  # bit for bit
    array = np.array(steps, dtype=float)
    assert np.array_equal(s(array), by_hand(array))
    assert s(np.int64(16)) == by_hand(16)


@pytest.mark.parametrize("text", sorted(CASES))
def test_the_units_survive_repr_to_dict_parse_and_from_dict(text: str) -> None:
    s = Timed(text, H)
    data = s.to_dict()
    assert data["type"] == "Timed" and data["duration"] == "10ep"
    assert re.search(r"'[0-9./]+(ep|dur|ba|sp)'", data["schedule"])  # the units, not steps
    back = json.loads(json.dumps(data))
    for other in (
        an.from_dict(back),
        an.parse(repr(s)),
        an.parse(json.dumps(data)),
        eval(repr(s), {"Timed": Timed}),
    ):
        assert other == s and type(other) is Timed and repr(other) == repr(s)
        assert other.fingerprint() == s.fingerprint()
        assert other.resolved() == s.resolved()
    assert hash(s) == hash(an.parse(repr(s)))


def test_from_dict_reads_a_timed_schedule_in_a_fresh_process() -> None:
    """`import annealing` gives an.units and imports no framework; from_dict reads a Timed."""
    s = Timed("Warmup(Cosine(1.0, 0.0, '9ep'), warmup='1ep')", H)
    data = json.dumps(an.Sequence((s, an.Constant(0.0))).to_dict())
    frameworks = "('torch', 'jax', 'keras', 'optax', 'tensorflow')"
    code = (
        "import json, sys, annealing as an\n"
        "assert an.units.Timed.__module__ == 'annealing.units'\n"
        f"mods = {{m for m in sys.modules if m.split('.')[0] in {frameworks}}}\n"
        "assert not mods, mods\n"
        f"s = an.from_dict(json.loads({data!r}))\n"
        "print(s.schedules[0].resolved(), s(20))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert out.split() == f"{s.resolved()} {s(20)}".split()


def test_spellings_of_one_schedule_are_one_value() -> None:
    a = Timed("Cosine(0.1, 0, '2ep')", H)
    b = Timed("an.Cosine(start=0.1, end=0.0, steps='2EP', exponent=1)", H)
    c = Timed({"type": "Cosine", "start": 0.1, "end": 0.0, "steps": units.epochs(2)}, H)
    d = H.timed("Cosine(0.1, 0.0, steps='2ep')")
    e = Timed(
        "Cosine(0.1, 0.0, '2ep')", samples_per_epoch=1024, batch=32, accumulation=2, duration="10ep"
    )
    assert a == b == c == d == e and len({a, b, c, d, e}) == 1
    assert a.schedule == "Cosine(start=0.1, end=0.0, steps='2ep')"
    assert a.facts == H
    assert a != Timed("Cosine(0.1, 0, 32)", H)  # the same steps, but not the same time
    assert a.resolved() == Timed("Cosine(0.1, 0, 32)", H).resolved()
    assert a != Timed("Cosine(0.1, 0, '2ep')", dataclasses.replace(H, batch=64, accumulation=1))


def test_a_time_equal_to_a_default_is_kept() -> None:
    s = Timed("Exponential(1.0, rate=0.5, every='1ep')", steps_per_epoch=1)
    assert s.resolved() == an.Exponential(1.0, rate=0.5)  # every=1 is the default
    assert "every='1ep'" in s.schedule  # but the time stays: on another horizon it is not 1


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_plain_step_schedules_are_unchanged(name: str) -> None:
    s = EXAMPLES[name]
    for timed in (Timed(repr(s)), Timed(s), Timed(s.to_dict(), H)):
        assert timed.resolved() == s
        assert timed.schedule == repr(s)
        for t in (0, 3, 10.5, 99, 1000):
            assert timed(t) == s(t)
    assert an.parse(repr(s)) == s and an.from_dict(s.to_dict()) == s


def test_every_length_of_every_constructor_is_in_the_table() -> None:
    """LENGTHS is exactly the parameters the constructors check as lengths or positions."""
    found: dict[str, set[str]] = {}
    for path in SRC.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for owner, name in re.findall(r'v\.(?:length|positions)\(\s*"(\w+)",\s*"(\w+)', text):
            found.setdefault(owner, set()).add(name)
    found.pop("SGDR")  # a function: Timed takes Restarts(Cosine(...)) instead
    found["Piecewise"] = {"points"}  # checked as "points' steps"
    assert found == {k: set(v) for k, v in LENGTHS.items() if v}
    classes = {
        n
        for n in an.__all__
        if isinstance(getattr(an, n), type) and issubclass(getattr(an, n), an.Schedule)
    } - {"Schedule"}
    assert set(LENGTHS) == classes
    for owner, names in LENGTHS.items():
        fields = {f.name for f in dataclasses.fields(getattr(an, owner))}
        assert set(names) <= fields


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Cosine('2ep', 0.0, 100)", r"Cosine.start is not a length, .*got '2ep'"),
        ("Warmup(Cosine(1.0, 0.0, 9), 1, start='1ep')", r"Warmup.start is not a length"),
        ("Restarts(Cosine(1.0, 0.0, '1ep'), mult='2ep')", r"Restarts.mult is not a length"),
        ("Cosine(0.1, 0.0, '2xx')", r"Cosine.steps must be a number >= 0 and a unit"),
        ("Cosine(0.1, 0.0, '1e999ep')", r"Cosine.steps must be a number in \[0, 1.8e308\]"),
        ("Cosine(0.1, 0.0, '-2ep')", r"Cosine.steps must be a number >= 0"),
        ("Cosine(0.1, 0.0, '0ep')", r"Cosine: steps must be a finite number > 0, got 0"),
        ("Cosine(0.1, 0.0, '2sec')", r"wall-clock time"),
        ("Cosine(0.1, 0.0, '1e308ep')", r"Cosine: steps must be a finite number > 0"),  # 1.6e309
        ("Cosine(0.1, 0.0, '1/3ep')", r"Cosine.steps='1/3ep' is 16/3 = 5.33333333333 optimizer"),
        ("SGDR(0.1, '2ep')", r"not SGDR, compat or another Timed"),
        ("compat.torch.StepLR(0.1, 10)", r"not SGDR, compat or another Timed"),
        ("Timed('Constant(1.0)')", r"not SGDR, compat or another Timed"),
        ("Cosine(0.1, 0.0, steps='1ep', foo=1)", r"Cosine has no parameter 'foo'"),
        ("Cosine(0.1, 0.0, '1ep', 2.0, 3)", r"Cosine takes at most 4 arguments"),
        ("Cosine(0.1, 0.0, '1ep', steps=3)", r"the argument steps is given twice"),
        ("Cosine(0.1, 0.0, __import__('os'))", r"unknown schedule '__import__'"),
        ("Cosine(0.1, 0.0, 1 + 2)", r"operator '\+' is not allowed"),
        ("Cosine", r"must be a schedule"),
        ("", r"the text is empty"),
        ("Cosine(" * 40 + ")" * 40, r"levels of brackets"),
        ("{}", r"schedule.type must be one of"),
        ('{"type": "Cosine", "start": 1.0, "end": 0.0, "steps": "2ep", "x": 1}', "unknown key"),
        ("x" * 20_000, r"at most 10000 are read"),
        ("Piecewise(tuple(" + "(0, 1.0), " * 200 + "))", "unknown schedule 'tuple'"),
    ],
)
def test_hostile_schedules_are_refused_in_one_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        Timed(text, H)
    assert str(info.value).startswith("Timed: ") and "\n" not in str(info.value)


def test_hostile_arguments_of_timed() -> None:
    for bad in (None, 5, 1.5, b"Cosine(1, 0, 1)", ["Cosine(1, 0, 1)"], an.Cosine):
        with pytest.raises(TypeError, match=r"^Timed: schedule must be a schedule's text or dict"):
            Timed(bad, H)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^Timed: horizon must be a Horizon, got \{"):
        Timed("Constant(1.0)", {"batch": 8})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^Timed: batch must not be given beside horizon"):
        Timed("Constant(1.0)", H, batch=8)
    points = ", ".join(f"({k}, 1.0)" for k in range(100))
    with pytest.raises(ValueError, match=r"^Timed: schedule must be at most 1000 characters"):
        Timed(f"Piecewise(({points}))")
    with pytest.raises(ValueError, match=r"^from_dict: schedule: Timed: Cosine.start is not"):
        an.from_dict({"type": "Timed", "schedule": "Cosine('1ep', 0.0, 1)"})
    with pytest.raises(
        ValueError, match=r"^schedule: column 1: Timed: Cosine.steps='1ep' needs samples_per_epoch"
    ):
        an.parse("Timed(\"Cosine(1.0, 0.0, '1ep')\")")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["steps", "start", "exponent"]))
def test_any_text_in_a_parameter_gives_a_schedule_or_a_clear_error(text: str, name: str) -> None:
    spec = {"type": "Cosine", "start": 1.0, "end": 0.0, "steps": 10, name: text}
    try:
        s = Timed(spec, H)
    except (ValueError, TypeError) as error:
        assert str(error).startswith("Timed: ") and "\n" not in str(error)
        assert name in str(error) or "Horizon" in str(error) or "steps" in str(error)
    else:
        assert name == "steps" and math.isfinite(s(5)) and s(5) >= 0


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.eE+-/ abdeikopstuEPBAD_", max_size=20))
def test_any_time_string_parses_or_is_refused(text: str) -> None:
    try:
        t = Time.parse(text)
    except ValueError as error:
        assert str(error).startswith("Time: text must") and "\n" not in str(error)
    else:
        assert Time.parse(str(t)) == t and t.value >= 0


def test_a_timed_schedule_moves_to_another_horizon_with_its_times() -> None:
    lr = Timed("Warmup(Cosine(1.0, 0.0, '9ep'), warmup='1ep')", steps_per_epoch=10)
    moved = Timed(lr, Horizon(steps_per_epoch=7))
    assert moved.schedule == lr.schedule and moved.resolved() == an.Warmup(
        an.Cosine(1.0, 0.0, 63), 7
    )
    assert moved != lr and moved.facts == Horizon(steps_per_epoch=7)


def test_a_piecewise_value_is_not_a_length() -> None:
    for spec in (
        "Piecewise(((0, 1.0), ('1ep', '2ep')))",
        {"type": "Piecewise", "points": [[0, 1.0], ["1ep", "2ep"]]},
    ):
        with pytest.raises(ValueError, match=r"^Timed: Piecewise.points value is not a length"):
            Timed(spec, steps_per_epoch=10)


def test_a_dict_nested_without_end_is_refused() -> None:
    d: dict[str, object] = {"type": "Constant", "value": 1.0}
    for _ in range(5000):
        d = {"type": "Warmup", "schedule": d, "warmup": 1}
    with pytest.raises(ValueError, match=r"^Timed: schedule is nested too deeply$"):
        Timed(d)


def test_a_timed_schedule_copies_and_pickles_as_a_value() -> None:
    import copy
    import pickle

    s = Timed("Warmup(Cosine(1.0, 0.0, '9ep'), warmup='1ep')", H)
    for other in (copy.deepcopy(s), pickle.loads(pickle.dumps(s)), dataclasses.replace(s)):
        assert other == s and other.resolved() == s.resolved() and other(20) == s(20)
    assert dataclasses.replace(s, batch=64, accumulation=1).resolved() == s.resolved()
    assert dataclasses.replace(s, batch=16).resolved() == an.Warmup(an.Cosine(1.0, 0.0, 288), 32)


def test_composer_documented_conversions() -> None:
    """The examples of Composer's Time docs (composer/core/time.py, docs "Time" guide)."""
    # Time("2ep").convert(BATCH, dataset_num_samples=100, batch_size=50, drop_last=True) == 4ba
    assert Horizon(samples_per_epoch=100, batch=50).steps("2ep") == 4
    # max_duration="7ep", warmup="0.2dur" becomes floor(7 * 0.2) = 1 epoch (Composer rounds down)
    assert Horizon(steps_per_epoch=1, duration="7ep", rounding="floor").steps("0.2dur") == 1
    with pytest.raises(ValueError, match=r"'0.2dur' is 7/5 = 1.4 optimizer steps"):
        Horizon(steps_per_epoch=1, duration="7ep").steps("0.2dur")  # here: refused by default


def test_a_timed_schedule_on_tensors_is_the_plain_schedule() -> None:
    torch = pytest.importorskip("torch")
    s = Timed(sorted(CASES)[0], H)
    steps = torch.arange(0, 200, dtype=torch.float64)
    assert torch.equal(s(steps), s.resolved()(steps))


def test_a_horizon_is_a_plain_value() -> None:
    h = Horizon(samples_per_epoch=1024, batch=8, processes=8, duration=units.epochs(90))
    assert (
        Horizon(**json.loads(json.dumps(h.to_dict()))) == h == eval(repr(h), {"Horizon": Horizon})
    )
    assert h.duration == Time(90, "ep") and h.global_batch == 64 and Horizon().global_batch is None
    assert Horizon().to_dict() == {} and repr(Horizon()) == "Horizon()"
    assert hash(h) == hash(Horizon(**h.to_dict()))
