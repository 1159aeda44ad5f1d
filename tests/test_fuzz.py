"""The fuzz suite, fast profile: every public entry point, hostile input, the promises of issue 11.

The checks live in tests/fuzzing.py (shared with ``python3 tasks.py fuzz``, the deep profile of
at least 10**6 calls); the catalogue of constructors in tests/catalogue.py. Each hypothesis
example is a seed for one case of fuzzing.py, whose violations carry a minimal reproducer.
``ANNEALING_FUZZ_EXAMPLES`` sets the examples per test (default 8 per constructor, 40 else).
"""

from __future__ import annotations

import inspect
import os
import random

import fuzzing
import pytest
import support
from catalogue import ENTRIES, EXAMPLES, public_names
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import annealing as an

N = int(os.environ.get("ANNEALING_FUZZ_EXAMPLES", "0"))
FAST = settings(
    max_examples=N or 8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same cases on every run: a failure here is a finding, not luck
)
FAST_MORE = settings(FAST, max_examples=N or 40)
SEEDS = st.integers(0, 2**64 - 1)


def _fail_on(tally: fuzzing.Tally) -> None:
    if tally.violations:
        listed = "\n".join(str(v) for v in fuzzing.examples(tally, per_kind=2)[:20])
        pytest.fail(f"{len(tally.violations)} violations:\n{listed}", pytrace=False)


# ------------------------------------------------------------------------------- the catalogue


def test_catalogue_covers_every_public_name() -> None:
    names = public_names()
    missing = sorted(names - set(ENTRIES))
    assert not missing, (
        f"public constructors without a catalogue entry (tests/catalogue.py): {missing}; "
        "add an Entry (or, for a name that builds no schedule, a line in OTHER_ENTRY_POINTS)"
    )
    assert not sorted(set(ENTRIES) - names), "catalogue entries that are no longer public"


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_entry_describes_the_signature(name: str) -> None:
    entry = ENTRIES[name]
    assert set(entry.params) == set(inspect.signature(entry.make).parameters)
    assert entry.valid and entry.invalid


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_valid_examples_hold_every_promise(name: str) -> None:
    entry, tally = ENTRIES[name], fuzzing.Tally()
    for i, kwargs in enumerate(entry.valid):
        s = entry.make(**kwargs)
        rep = fuzzing._call_repr(entry, kwargs)
        fuzzing.check_schedule(s, random.Random(i), tally, rep)
        fuzzing.check_round_trips(s, random.Random(i), tally, rep)
    _fail_on(tally)


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_invalid_examples_are_refused_naming_the_parameter(name: str) -> None:
    entry = ENTRIES[name]
    for kwargs, param in entry.invalid:
        with pytest.raises((ValueError, TypeError)) as caught:
            entry.make(**kwargs)
        assert fuzzing.names(str(caught.value), [param]), (
            f"{fuzzing._call_repr(entry, kwargs)}: {caught.value} does not name {param}"
        )


def test_jax_64_bit_agrees_with_the_scalar_values() -> None:
    support.require("jax")
    tally = fuzzing.Tally()
    assert fuzzing.jax64_subprocess(tally)
    _fail_on(tally)


# ---------------------------------------------------------------------------- hostile input


@pytest.mark.parametrize("name", sorted(ENTRIES))
@FAST
@given(seed=SEEDS)
def test_constructor_fuzz(name: str, seed: int) -> None:
    tally = fuzzing.Tally()
    fuzzing.construct_case(random.Random(seed), tally, ENTRIES[name])
    _fail_on(tally)


@FAST_MORE
@given(name=st.sampled_from(sorted(EXAMPLES)), seed=SEEDS)
def test_from_dict_fuzz(name: str, seed: int) -> None:
    tally = fuzzing.Tally()
    fuzzing.mutate_dict_case(EXAMPLES[name].to_dict(), random.Random(seed), tally)
    _fail_on(tally)


@pytest.mark.parametrize("text", fuzzing.ESCAPES, ids=range(len(fuzzing.ESCAPES)))
def test_parser_refuses_the_escapes(text: str) -> None:
    with fuzzing.time_limit(), pytest.raises(ValueError):
        an.parse(text)


@FAST_MORE
@given(seed=SEEDS)
def test_parser_fuzz(seed: int) -> None:
    tally = fuzzing.Tally()
    fuzzing.text_case(fuzzing.random_text(random.Random(seed)), tally)
    _fail_on(tally)


def test_cli_reads_schedules_without_eval() -> None:
    assert not fuzzing.cli_evaluates(), "annealing.cli reads schedules with eval(): it runs code"


@FAST_MORE
@given(seed=SEEDS)
def test_cli_fuzz(seed: int) -> None:
    tally = fuzzing.Tally()
    argv, ascii_out = fuzzing.cli_argv(random.Random(seed), safe=fuzzing.cli_evaluates())
    fuzzing.cli_case(argv, ascii_out, tally)
    _fail_on(tally)


@pytest.mark.parametrize("text", fuzzing.ESCAPES[:9], ids=range(9))
def test_cli_runs_no_escape(text: str) -> None:
    tally = fuzzing.Tally()
    assert fuzzing.cli_case(["show", text], False, tally) == 2
    _fail_on(tally)
