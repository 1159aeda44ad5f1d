"""The glossary data: schema, completeness, sources, readability and lookup."""

from __future__ import annotations

import copy
import json
import re
import statistics
from importlib import resources
from typing import Any

import pytest
from support import require

import annealing
from annealing import glossary
from annealing.glossary import GlossaryDataError, UnknownTermError, define, load, terms

# The terms that get every section (issue 5).
FULL = (
    "cosine-annealing",
    "annealing",
    "warm-restart",
    "sgdr",
    "learning-rate-schedule",
    "simulated-annealing",
)
# The term list of facts.md §5, as names a reader would look up.
FACTS_TERMS = (
    "learning rate",
    "learning-rate schedule",
    "annealing",
    "cosine annealing",
    "cosine decay",
    "warm restart",
    "SGDR",
    "T_0",
    "T_i",
    "T_cur",
    "T_mult",
    "T_max",
    "eta_max",
    "eta_min",
    "decay floor",
    "final-LR ratio",
    "warmup",
    "linear warmup",
    "linear decay",
    "decay to zero",
    "exponential decay",
    "step decay",
    "piecewise constant",
    "polynomial decay",
    "inverse square root decay",
    "cyclical learning rate",
    "CLR",
    "LR range test",
    "one-cycle policy",
    "1cycle",
    "super-convergence",
    "warmup-stable-decay",
    "WSD",
    "cooldown",
    "schedule-free optimization",
    "cosine cycle length",
    "anytime performance",
    "snapshot ensemble",
    "simulated annealing",
    "Metropolis criterion",
    "temperature",
    "cooling schedule",
    "Boltzmann distribution",
    "local minimum",
    "saddle point",
    "sharp minima",
    "flat minima",
    "epoch",
    "iteration",
    "optimizer",
    "SGD with momentum",
    "Adam",
    "AdamW",
    "weight decay",
    "convergence",
)
# Sentences of the seed page that facts.md §3 shows to be wrong or unsupported.
SEED_ERRORS = (
    "without getting stuck in local minima",
    "works best with adaptive optimizers",
    "notably utilized by google",
    "to make them stronger",
    "often implemented in reinforcement learning",
    "help avoid overfitting by slowly reducing",
    "prevents models from getting stuck",
    "inspired by annealing processes in materials science",
    "uses a smooth curve, providing gradual learning reduction",
)


def raw_data() -> dict[str, Any]:
    text = resources.files("annealing.glossary").joinpath("terms.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def all_text(term: glossary.Term) -> str:
    parts = [term.term, term.short, term.definition, term.explained_easy, term.origin]
    parts += [term.etymology, term.usage_trends, *term.collocations, *term.aliases]
    parts += [c.text for c in (*term.examples, *term.did_you_know)]
    parts += [f"{q.question} {q.answer}" for q in term.faq]
    if term.formula is not None:
        parts += [term.formula.text, term.formula.latex]
    return "\n".join(parts)


def schedule_types(data: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(data, dict):
        if isinstance(data.get("type"), str):
            found.add(data["type"])
        for value in data.values():
            found |= schedule_types(value)
    elif isinstance(data, list):
        for value in data:
            found |= schedule_types(value)
    return found


def test_the_packaged_data_loads_and_has_at_least_40_terms() -> None:
    assert len(terms()) >= 40
    assert load() is load()  # parsed once
    assert len({t.id for t in terms()}) == len(terms())


def test_every_term_has_the_required_sections() -> None:
    for term in terms():
        for section in ("definition", "explained_easy", "related", "references"):
            assert term.has(section), f"{term.id}: {section} is empty"
        assert term.tags, term.id
        assert 0 < len(term.short) <= 160, term.id
        assert "\n" not in term.short, term.id


@pytest.mark.parametrize("term_id", FULL)
def test_core_terms_have_every_section(term_id: str) -> None:
    term = next(t for t in terms() if t.id == term_id)
    missing = [s for s in glossary.SECTIONS if not term.has(s)]
    assert missing == [], f"{term_id} lacks {missing}"
    assert term.aliases


def test_related_ids_resolve_and_never_point_to_the_term_itself() -> None:
    ids = {t.id for t in terms()}
    for term in terms():
        assert set(term.related) <= ids, term.id
        assert term.id not in term.related


def test_every_term_has_a_full_reference_with_a_link() -> None:
    for term in terms():
        assert term.references, term.id
        for source in term.sources():
            assert re.match(r"^https?://\S+$", source.url), source
            assert len(source.citation) > 20, source


def test_every_example_faq_and_did_you_know_item_names_its_source() -> None:
    for term in terms():
        for item in (*term.examples, *term.faq, *term.did_you_know):
            assert item.source.url, (term.id, item)


@pytest.mark.parametrize("name", FACTS_TERMS)
def test_the_term_list_of_facts_md_is_covered(name: str) -> None:
    assert define(name).definition


def test_every_schedule_family_of_the_library_has_a_term_with_its_plot() -> None:
    families = {
        name
        for name in annealing.__all__
        if isinstance(getattr(annealing, name), type)
        and issubclass(getattr(annealing, name), annealing.Schedule)
        and getattr(annealing, name) is not annealing.Schedule
    }
    shown = set().union(*(schedule_types(t.schedule) for t in terms() if t.schedule))
    assert families - shown <= {"SGDR"}, f"no glossary plot for {sorted(families - shown)}"
    assert define("SGDR").make_schedule() == annealing.SGDR(
        eta_max=0.05, eta_min=0.0, T_0=10, T_mult=2
    )


def test_stored_schedules_round_trip_through_the_library() -> None:
    for term in terms():
        if term.schedule is not None:
            schedule = term.make_schedule()
            assert schedule.to_dict() == dict(term.schedule), term.id
            assert schedule.steps is not None or term.plot_steps, (
                f"{term.id}: endless, no plot_steps"
            )


def test_explained_easy_reads_at_grade_8_median_and_10_max() -> None:
    textstat = require("textstat")
    grades = {t.id: textstat.flesch_kincaid_grade(t.explained_easy) for t in terms()}
    median, worst = statistics.median(grades.values()), max(grades.values())
    print(f"\nFlesch–Kincaid grade of explained_easy: median {median:.2f}, max {worst:.2f}")
    assert median <= 8, grades
    assert worst <= 10, {k: v for k, v in grades.items() if v > 10}


def test_the_seed_errors_do_not_reappear() -> None:
    for term in terms():
        text = all_text(term).casefold()
        for wrong in SEED_ERRORS:
            assert wrong not in text, (term.id, wrong)
        assert "iclr 2016" not in text, term.id
    cosine = define("cosine annealing")
    assert "Loshchilov" in cosine.origin and "not" in cosine.origin


def test_the_seed_faq_is_answered_with_sources() -> None:
    faq = {q.question: q for q in define("cosine annealing").faq}
    optimizers = faq["Does it work with all optimizers?"]
    assert "SGD with momentum" in optimizers.answer
    assert optimizers.source.key == "adamw"
    minima = faq["Does it stop the model from getting stuck in local minima?"]
    assert "do not claim" in minima.answer and minima.source.key == "sgdr"
    assert "step decay" in faq["How is it different from linear or exponential decay?"].answer
    assert len(faq) >= 10


@pytest.mark.parametrize(
    ("name", "term_id"),
    [
        ("warm restart", "warm-restart"),
        ("Warm Restarts", "warm-restart"),
        ("WARM-RESTART", "warm-restart"),
        ("warm-restart", "warm-restart"),
        ("cosine decay", "cosine-annealing"),
        ("  Cosine   Annealing ", "cosine-annealing"),
        ("learning rate schedule", "learning-rate-schedule"),
        ("eta_min", "eta-min"),
        ("η_min", "eta-min"),
        ("t mult", "t-mult"),
        ("sgdr", "sgdr"),
        ("1cycle", "one-cycle"),
        ("OneCycleLR", "one-cycle"),
        ("epochs", "epoch"),
    ],
)
def test_define_accepts_names_aliases_and_ids_in_any_case(name: str, term_id: str) -> None:
    assert define(name).id == term_id


def test_an_unknown_term_lists_the_closest_matches() -> None:
    with pytest.raises(UnknownTermError) as info:
        define("cosine anealing")
    assert info.value.matches[0] == "cosine annealing"
    assert "closest matches: 'cosine annealing'" in str(info.value)
    assert isinstance(info.value, LookupError)
    with pytest.raises(UnknownTermError, match="no close match"):
        define("zzzzzz qqqq")
    with pytest.raises(TypeError, match="name must be a string"):
        define(3)  # type: ignore[arg-type]


def test_terms_are_sorted_and_filter_by_tag() -> None:
    names = [t.term.casefold() for t in terms()]
    assert names == sorted(names)
    schedules = terms("schedule")
    assert schedules and all("schedule" in t.tags for t in schedules)
    with pytest.raises(ValueError, match="tag must be one of"):
        terms("nonsense")


def test_term_has_rejects_unknown_sections() -> None:
    with pytest.raises(ValueError, match="section must be one of"):
        define("SGDR").has("nonsense")


def broken(edit: Any) -> list[str]:
    data = copy.deepcopy(raw_data())
    edit(data)
    with pytest.raises(GlossaryDataError) as info:
        load(data)
    return info.value.problems


def term_raw(data: dict[str, Any], term_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(t for t in data["terms"] if t["id"] == term_id)
    return found


def test_the_schema_reports_each_problem_with_its_place() -> None:
    def edit(data: dict[str, Any]) -> None:
        sgdr = term_raw(data, "sgdr")
        sgdr["colour"] = "blue"
        sgdr["short"] = "x" * 161
        sgdr["related"].append("no-such-term")
        sgdr["tags"].append("poetry")
        sgdr["references"].append("no-such-source")
        term_raw(data, "warmup")["aliases"].append("SGDR")
        term_raw(data, "epoch")["definition"] = ""
        term_raw(data, "adam")["examples"] = [{"text": "x", "source": "nowhere"}]
        data["sources"]["sgdr"]["url"] = "arXiv:1608.03983"

    problems = "\n".join(broken(edit))
    assert "(sgdr): has unknown keys ['colour']" in problems
    assert "(sgdr).short: must be at most 160 characters (a tooltip), got 161" in problems
    assert "(sgdr).related: must be ids of terms, got 'no-such-term'" in problems
    assert "(sgdr).tags: must be among" in problems and "'poetry'" in problems
    assert "(sgdr).references: must be keys of 'sources', got 'no-such-source'" in problems
    assert "(warmup): name 'SGDR' is already a name of 'sgdr'" in problems
    assert "(epoch).definition: must be a non-empty string" in problems
    assert "(adam).examples[0].source: must be a key of 'sources', got 'nowhere'" in problems
    assert "sources.sgdr.url: must be an http(s) URL, got 'arXiv:1608.03983'" in problems


def test_the_schema_requires_a_reference_and_known_structure() -> None:
    problems = broken(lambda d: term_raw(d, "epoch").update(references=[]))
    assert any("(epoch).references: must be a non-empty list" in p for p in problems)
    problems = broken(lambda d: d.update(format=2))
    assert any("format: must be 1, got 2" in p for p in problems)
    problems = broken(lambda d: term_raw(d, "cosine").update(schedule={"steps": 3}))
    assert any("(cosine).schedule: must be a schedule's to_dict()" in p for p in problems)
    problems = broken(lambda d: term_raw(d, "wsd").update(plot_steps=0))
    assert any("(wsd).plot_steps: must be a positive integer, got 0" in p for p in problems)
    with pytest.raises(GlossaryDataError, match="must be an object"):
        load([])


def test_the_schema_checks_links_and_lookup_only_names() -> None:
    def edit(data: dict[str, Any]) -> None:
        term_raw(data, "sgdr")["links"] = {
            "reference": "../secrets.md",
            "explorer": "javascript:alert(1)",
            "guides": ["how-to/keras.html"],
            "tutorial": "x.md",
        }
        term_raw(data, "epoch")["links"] = {"guides": ["https://example.com/a.md"]}
        term_raw(data, "warmup")["lookup_only"] = ["no such alias"]

    problems = "\n".join(broken(edit))
    assert "(sgdr).links: has unknown keys ['tutorial']" in problems
    assert "(sgdr).links.reference: must be a page path relative to the docs root" in problems
    assert "without '..', got '../secrets.md'" in problems
    assert "(sgdr).links.explorer: must be an explorer query" in problems
    assert "(sgdr).links.guides[0]: must be a page path" in problems
    assert "(epoch).links.guides[0]: must be a page path" in problems
    assert "(warmup).lookup_only: must be the term or its aliases, got 'no such alias'" in problems


def test_lookup_only_names_are_still_found_by_define() -> None:
    assert define("one cycle").id == "one-cycle"
    assert define("annealing").id == "annealing"
    assert "one cycle" in define("one-cycle").lookup_only
