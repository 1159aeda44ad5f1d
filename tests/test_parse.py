"""The schedule grammar (annealing/grammar.py): what it reads, what it refuses, and how fast."""

from __future__ import annotations

import dataclasses
import json
import os
import time
from importlib import resources

import pytest
from catalogue import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import annealing as an
from annealing.grammar import (
    MAX_DEPTH,
    MAX_JSON_LENGTH,
    MAX_LENGTH,
    callees,
    parse,
    parse_several,
)

SCHEDULE_CLASSES = [
    getattr(an, n)
    for n in an.__all__
    if isinstance(getattr(an, n), type)
    and issubclass(getattr(an, n), an.Schedule)
    and getattr(an, n) is not an.Schedule
]


# ------------------------------------------------------------------------------ what it reads


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_repr_and_label_parse_back_to_an_equal_schedule(name: str) -> None:
    s = EXAMPLES[name]
    assert parse(repr(s)) == s
    assert parse(s._label()) == s
    assert parse(json.dumps(s.to_dict())) == s
    assert parse(f"an.{s!r}") == s and parse(f"annealing.{s!r}") == s


def test_a_long_piecewise_is_read_from_its_json() -> None:
    s = an.Piecewise(tuple((k, 1.0 / (k + 1)) for k in range(2000)))
    assert len(repr(s)) > MAX_LENGTH
    assert parse(json.dumps(s.to_dict())) == s


def test_integers_up_to_the_float_range_parse_back() -> None:
    for steps in (10**20, 10**300, int(1.7976931348623157e308)):
        s = an.Linear(1.0, 0.0, steps)
        assert parse(repr(s)) == s and parse(json.dumps(s.to_dict())) == s


def test_every_schedule_class_and_sgdr_is_callable_and_nothing_else() -> None:
    table = callees()
    with pytest.raises(TypeError):
        table["system"] = print  # type: ignore[index]  # the table cannot be extended
    core = {name for name in table if not name.startswith("compat.")}
    compat_classes = {"CyclicMomentum", "TimmWSD"}  # registered by compat, read by bare name
    assert core == {c.__name__ for c in SCHEDULE_CLASSES} | {"SGDR", "Timed"} | compat_classes
    for name, function in table.items():
        if name.startswith("compat."):
            _, framework, short = name.split(".")
            module = __import__(f"annealing.compat.{framework}", fromlist=["_"])
            assert short in module.__all__ and getattr(module, short) is function


def test_the_classes_compat_registers_parse_back_from_their_repr() -> None:
    from annealing.compat import timm as tm
    from annealing.compat import torch as pt

    schedules = [
        pt.cyclic(0.1, 1.0, 10)["momentum"],
        pt.cyclic(0.1, 1.0, 10, 5, mode="exp_range", gamma=0.99, base_momentum=0.7)["momentum"],
        pt.CyclicMomentum(0.8, 0.9, 5, 7, "triangular2"),
        tm.WSDLRScheduler(0.1, 100, 20, warmup_t=5),
        tm.WSDLRScheduler(0.1, 100, 30, 1e-3, "power", 8.0, decay_fn="exp", warmup_t=2),
        tm.TimmWSD(1.0, t_initial=10, decay_t=4, decay_fn="linear"),
        an.Warmup(tm.TimmWSD(1.0, 50, 10, stable_fn="rsqrt", stable_timescale=5.0), 3),
    ]
    for s in schedules:
        assert type(s).__name__ in repr(s)
        assert parse(repr(s)) == s and parse(s._label()) == s
        assert parse(f"an.{s!r}") == s and parse(json.dumps(s.to_dict())) == s
    assert parse("CyclicMomentum(0.8, 0.9, 10)") == pt.CyclicMomentum(low=0.8, high=0.9, up=10)
    with pytest.raises(ValueError, match="CyclicMomentum: high must be"):
        parse("CyclicMomentum(low=0.9, high=0.8, up=10)")
    with pytest.raises(ValueError, match="TimmWSD: decay_t must be"):
        parse("TimmWSD(1.0, t_initial=10, decay_t=40)")


def test_a_class_registered_by_user_code_is_not_callable() -> None:
    @dataclasses.dataclass(frozen=True, repr=False)
    class HalvingForParse(an.Schedule):
        start: float

        def _value(self, t: object, xp: object) -> object:
            return self.start * 0.5**t  # type: ignore[operator]

    an.register(HalvingForParse)
    assert an.from_dict(HalvingForParse(1.0).to_dict()) == HalvingForParse(1.0)
    with pytest.raises(ValueError, match="unknown schedule 'HalvingForParse'"):
        parse("HalvingForParse(1.0)")  # from_dict reads it; the grammar's table stays fixed


def test_the_comparison_tables_equivalents_parse_as_python_reads_them() -> None:
    table = json.loads(resources.files("annealing.compat").joinpath("rosetta.json").read_text())
    count = 0
    for entries in table["families"].values():
        for entry in entries.values():
            text = entry["equivalent"]
            if " for " in text:  # a comprehension: Python, not the grammar
                with pytest.raises(ValueError, match="is not allowed"):
                    parse(text)
                continue
            assert parse(text) == eval(text, {"an": an}), text  # trusted: the project's own file
            count += 1
    assert count >= 50


def test_arguments_of_every_kind() -> None:
    assert parse("Cosine(start=+1.0, end=0, steps=1_000)") == an.Cosine(1.0, 0, 1000)
    assert parse("MultiStep(1.0, [30, 80], factor=0.5)") == an.MultiStep(1.0, (30, 80), 0.5)
    assert parse("Piecewise(((0, 1.0), (10, 0.5)), side='right')") == an.Piecewise(
        ((0, 1.0), (10, 0.5)), side="right"
    )
    assert parse("Exponential(1.0, rate=0.5, every=10, staircase=True)").staircase is True
    assert parse("Restarts(Cosine(1, 0, 10), limit=None)") == an.Restarts(an.Cosine(1, 0, 10))
    assert parse("Cosine(\n  1.0,\n  0.0,\n  10,\n)") == an.Cosine(1.0, 0.0, 10)
    assert parse("(Cosine(1.0, 0.0, 10))") == an.Cosine(1.0, 0.0, 10)
    assert parse("compat.torch.MultiStepLR(0.1, milestones=[5, 2])") == an.MultiStep(0.1, (2, 5))
    sgdr = "compat.optax.sgdr_schedule([{'init_value': 0.0, 'peak_value': 1.0,"
    sgdr += " 'decay_steps': 10, 'warmup_steps': 2}])"
    assert parse(sgdr) == an.compat.optax.sgdr_schedule(
        [{"init_value": 0.0, "peak_value": 1.0, "decay_steps": 10, "warmup_steps": 2}]
    )


def test_several_schedules_only_where_asked() -> None:
    text = "Cosine(1.0, 0.0, 10), Linear(1.0, 0.0, 10)"
    assert parse_several(text) == (an.Cosine(1.0, 0.0, 10), an.Linear(1.0, 0.0, 10))
    assert parse_several("Cosine(1.0, 0.0, 10)") == (an.Cosine(1.0, 0.0, 10),)
    with pytest.raises(ValueError, match="give one schedule, not several"):
        parse(text)
    with pytest.raises(ValueError, match="give at least one schedule"):
        parse_several("()")


# ------------------------------------------------------------------------------ what it refuses

ESCAPES = {
    # the code execution: an exposed function's __globals__ reaches the real builtins
    "(Cosine._scalar.__globals__['__builtins__']['__import__']('os').system('id'), "
    "Constant(1.0))[1]": "column 2: attribute access is not allowed: Cosine._scalar",
    "().__class__.__base__.__subclasses__()": "column 3: attribute access is not allowed",
    "9**9**9": "column 2: operator '**' is not allowed: 9**9**9",
    "[0]*10**10": "column 4: operator '*' is not allowed",
    "lambda: Cosine(1, 0, 1)": "column 1: 'lambda' is not allowed",
    "Sequence([Cosine(1, 0, n) for n in (1, 2)])": "'for' is not allowed",
    "Sequence(tuple(Cosine(1, 0, 1)))": "unknown schedule 'tuple'",
    "__import__('os').system('id')": "column 17: attribute access is not allowed",
    "__import__('os')": "column 1: unknown schedule '__import__'",
    "Cosine.__init__.__globals__": "attribute access is not allowed: Cosine.__init__",
    "an.Cosine.__call__(1)": "attribute access is not allowed: an.Cosine.__call__",
    "compat.torch.__builtins__(1)": "unknown schedule 'compat.torch.__builtins__'",
    "compat.torch.Schedule(1)": "unknown schedule 'compat.torch.Schedule'",
    "Schedule()": "unknown schedule 'Schedule'",
    "from_dict({'type': 'Cosine'})": "unknown schedule 'from_dict'",
    "plot(Cosine(1, 0, 1))": "unknown schedule 'plot'",
    "Scale(" * 1000: f"more than {MAX_DEPTH} levels of brackets",
    "Scale(" * 33 + "Cosine(1, 0, 1)" + ")" * 33: f"more than {MAX_DEPTH} levels of brackets",
    "Cosine(" + "-" * 3000 + "1, 0, 1)": "column 9: operator '-' is not allowed",
    "Cosine(1" + "+1" * 3000 + ", 0, 1)": "column 9: operator '+' is not allowed",
    "Cosine(1e400, 0.0, 10)": "column 8: numbers must be finite: 1e400",
    "Cosine(-1e999, 0.0, 10)": "numbers must be finite",
    "Cosine(1e-400, 0.0, 10)": "too small: it would be read as 0.0: 1e-400",
    "Cosine(1, 0, " + "9" * 5000 + ")": "a number of 5000 characters; at most 330 are read",
    "Cosine(1, 0, " + "9" * 309 + ")": "an integer outside float range",
    "Cosine(1, 0, " + "9" * 331 + ")": "a number of 331 characters; at most 330 are read",
    "Cosine(1, 0, inf)": "column 14: numbers must be finite: inf",
    "Cosine(f'{1}', 0, 1)": "column 8: an f-string is not allowed",
    "Cosine(b'1', 0, 1)": "a bytes literal is not allowed",
    "Cosine(1j, 0, 1)": "a complex number is not allowed",
    "Cosine(1, 0, 10)[0]": "the text must be a schedule",
    "Cosine(1, 0, 10).steps": "attribute access is not allowed",
    "Cosine(*[1, 0, 10])": "operator '*' is not allowed",
    "Cosine(**{'start': 1, 'end': 0, 'steps': 1})": "operator '**' is not allowed",
    "Cosine(1 if True else 2, 0, 1)": "'if' is not allowed",
    "Cosine(x := 1, 0, 1)": "operator ':=' is not allowed",
    "Cosine(1, 0, 10); __import__('os')": "operator ';' is not allowed",
    "Cosine(1, 0, 10) # comment": "comments are not allowed",
    "Cosine(1, 0, {1, 2})": "a set is not allowed",
    "compat.optax.piecewise_constant_schedule(0.1, {(1,): 2})": "keys must be strings or numbers",
    "compat.optax.piecewise_constant_schedule(0.1, {1: 2, 1: 3})": "the key 1 is given twice",
    "Cosine(1, 0, n)": "column 14: names are not allowed",
    "Cosine(start=1, start=2, steps=3)": "column 17: the argument start is given twice",
    "Cosine": "a schedule must be called",
    "1/0": "column 2: operator '/' is not allowed: 1/0",
    "1": "the text must be a schedule",
    "'Cosine(1, 0, 1)'": "the text must be a schedule",
    "Cosin(1, 0, 10)": "unknown schedule 'Cosin' (did you mean Cosine?",
    "compat.troch.StepLR(1, 2)": "did you mean compat.torch.StepLR?",
    "Cosine(1, 0,": "not valid syntax ('(' was never closed): Cosine(1, 0,",
    "Cosine(1, 0, 0)": "column 1: Cosine: steps must be",
    "Cosine(1, 0)": "column 1: Cosine: missing 1 required positional argument: 'steps'",
    "Cosine(1, 0, 1, 2, 3, 4)": "column 1: Cosine: takes",
    "Cosine(1, 0, 1, nope=2)": "Cosine: got an unexpected keyword argument 'nope'",
    "Cosine(1, 0, 1)\x00": "a NUL character",
    "Cosine(1, 0, \udcff)": "column 14: not valid text (bytes that are not UTF-8?): Cosine(1, 0, ",
    "Cosine('\ud800', 0, 1)": "column 9: not valid text",
    "Cosine(1, 0, 1) $": "unexpected character '$'",
    "": "the text is empty",
    "   ": "the text is empty",
    "Cosine(1, 0, 1)" + " " * MAX_LENGTH: f"at most {MAX_LENGTH} are read",
    "{not json": "line 1, column 2: not valid JSON",
    '{"type": "Cosine", "type": "Linear"}': "the key 'type' is given twice",
    '{"type": "Cosine", "start": 1e400, "end": 0, "steps": 1}': "numbers must be finite",
    '{"type": "Cosine", "start": NaN, "end": 0, "steps": 1}': "numbers must be finite, got NaN",
    '{"type": "Cosine", "start": ' + "9" * 5000 + "}": "an integer of 5000 digits",
    '{"type": "Cosine", "start": ' + "9" * 309 + "}": "an integer outside float range",
    '{"a": ' + "[" * 4000 + "]" * 4000 + "}": "nested too deeply",
    "{" + " " * MAX_JSON_LENGTH + "}": f"the JSON is {MAX_JSON_LENGTH + 2} characters long",
    '{"type": "Nope"}': "type must be one of",
}


@pytest.mark.parametrize("text", list(ESCAPES), ids=lambda t: repr(t[:40]))
def test_refusals_are_value_errors_naming_the_place_and_the_part(text: str) -> None:
    start = time.perf_counter()
    with pytest.raises(ValueError) as info:
        parse(text)
    assert time.perf_counter() - start < 2.0  # a refusal, not a hang (9**9**9 would never end)
    message = str(info.value)
    assert message.startswith("schedule: ")
    assert ESCAPES[text] in message, message
    assert "\n" not in message and len(message) < 1000


def test_the_column_counts_characters_and_lines() -> None:
    with pytest.raises(ValueError, match=r"^schedule: column 13: names are not allowed"):
        parse("Cosine('é', x, 1)")
    with pytest.raises(ValueError, match=r"^schedule: line 3, column 3: names are not allowed"):
        parse("Cosine(\n  1.0,\n  x,\n  1)")


def test_text_that_is_not_a_string_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="the text must be a str, got bytes"):
        parse(b"Cosine(1, 0, 1)")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ properties

settings.register_profile(
    "parse",
    max_examples=int(os.environ.get("ANNEALING_PARSE_FUZZ", "150")),  # more to dig
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

numbers = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=0, max_value=2),
    st.integers(min_value=0, max_value=10**6),
    st.sampled_from([5e-324, 1e-300, 1e300, 1.7976931348623157e308, 0.1, 1e-7, 2.5e16]),
)
WORDS = ["linear", "cosine", "exponential", "1-sqrt", "triangular", "triangular2", "exp_range"]
WORDS += ["peak", "amplitude", "left", "right", "polynomial", 'it\'s "quoted"', "é\n"]


INNER = list(EXAMPLES.values())
VALUES = st.one_of(
    numbers,
    st.none(),
    st.booleans(),
    st.sampled_from(WORDS),
    st.sampled_from(INNER),
    st.lists(numbers, max_size=3).map(tuple),
    st.lists(st.tuples(numbers, numbers), max_size=3).map(tuple),
    st.lists(st.sampled_from(INNER), min_size=1, max_size=3).map(tuple),
)


@st.composite
def schedules(draw: st.DrawFn) -> an.Schedule:
    """A random construction that builds (constructors are fuzzed elsewhere), or an example."""
    cls = draw(st.sampled_from(SCHEDULE_CLASSES))
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.init and (f.default is dataclasses.MISSING or draw(st.booleans())):
            kwargs[f.name] = draw(VALUES)
    try:
        return cls(**kwargs)  # type: ignore[no-any-return]
    except Exception:  # a refusal, of whatever kind
        return draw(st.sampled_from(INNER))


@settings(settings.get_profile("parse"))
@given(schedules())
def test_repr_of_random_schedules_parses_back(s: an.Schedule) -> None:
    try:
        text = repr(s)
    except Exception:  # a repr that fails is not the grammar's to judge
        return
    assert parse(text) == s, text
    assert parse(json.dumps(s.to_dict())) == s


PIECES = ["Cosine", "Linear", "Warmup", "an.", "compat.torch.StepLR", "(", ")", ",", "=", "-"]
PIECES += ["+", "1", "0", "10", "1.5", "1e3", "'cosine'", "True", "None", "[", "]", "start="]
PIECES += ["steps=", " ", ".", "_", "__class__", "*", "{", "}", ":", "'k'", "x", "9**9", "\n"]


@settings(settings.get_profile("parse"))
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_random_text_is_refused_with_a_value_error_or_read_as_python_reads_it(
    text: str,
) -> None:
    try:
        got = parse(text)
    except ValueError as error:
        assert str(error).startswith("schedule: ")
        return
    names = {c.__name__: c for c in SCHEDULE_CLASSES} | {"SGDR": an.SGDR, "an": an}
    names["compat"] = an.compat
    assert got == eval(text, {"__builtins__": {}}, names), text  # only accepted, safe text


def test_every_plot_marker_of_the_docs_is_read_by_the_grammar() -> None:
    from support import ROOT

    from annealing._docs.plots import evaluate, find_plots

    count = 0
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for spec in find_plots(page.read_text(encoding="utf-8")):
            if getattr(spec, "kind", "plot") != "plot" or spec.expression == "EXPR":
                continue  # a figure of its own, or the syntax shown in prose
            assert all(isinstance(s, an.Schedule) for s in evaluate(spec.expression)), page
            count += 1
    assert count >= 40


def test_no_module_of_the_package_calls_eval_exec_or_pickle() -> None:
    """Principle 5: every string becomes a schedule through the grammar, never through eval."""
    import ast as python_ast

    from support import ROOT

    found = []
    for path in sorted((ROOT / "src" / "annealing").rglob("*.py")):
        tree = python_ast.parse(path.read_text(encoding="utf-8"))
        for node in python_ast.walk(tree):
            if isinstance(node, python_ast.Call):
                name = python_ast.unparse(node.func)
                if name in ("eval", "exec", "builtins.eval", "builtins.exec") or name.startswith(
                    ("pickle.", "marshal.", "shelve.")
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}(...)")
            elif isinstance(node, (python_ast.Import, python_ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                if {"pickle", "marshal", "shelve", "dill"} & set(names):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: import {names}")
    assert not found, found


def test_an_invalid_escape_in_a_string_is_a_value_error_not_a_warning() -> None:
    # Python only warns of "\_" (DeprecationWarning in 3.11, SyntaxWarning later), from
    # "<unknown>", and reads it as two characters; the parser refuses it, whatever the filters
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for text, column in (('Cosine("\\_", 1, 2)', 8), ('b"\\N"', 1)):
            with pytest.raises(ValueError, match=rf"column {column}: invalid escape sequence"):
                parse(text)
        for text in ('r"\\_"', '"\\\\_"', "'\\x41\\n\\N{BULLET}'"):
            with pytest.raises(ValueError, match="must be a schedule"):
                parse(text)
    assert [str(w.message) for w in caught] == []


@settings(settings.get_profile("parse"))
@given(
    st.one_of(
        st.text(max_size=200),
        st.text(alphabet="()[]{},=+-.:'\"\\ 0123456789eE_jx*/#@!;", max_size=200),
    )
)
def test_any_text_is_a_schedule_or_a_value_error(text: str) -> None:
    import warnings

    with warnings.catch_warnings(record=True) as caught:  # and nothing else: no warning
        warnings.simplefilter("always")
        try:
            assert isinstance(parse(text), an.Schedule)
        except ValueError as error:
            assert str(error).startswith("schedule: ") and "\n" not in str(error)
    assert [str(w.message) for w in caught] == []
