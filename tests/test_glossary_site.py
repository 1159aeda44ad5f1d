"""Glossary pages, the A–Z index, tooltips and the MkDocs hook."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
from support import ROOT, require

import annealing
from annealing.glossary import SECTION_TITLES, SECTIONS, Cited, Question, define, site, terms
from annealing.glossary._pages import index_page, pages, term_page
from annealing.glossary._tooltips import Linker, tooltip_names

HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


def hostile_term() -> Any:
    """A real term whose every text field carries HTML."""
    base = define("warmup")
    return dataclasses.replace(
        base,
        term=f"warmup {HOSTILE}",
        short=f"short {HOSTILE}",
        definition=f"definition {HOSTILE}",
        explained_easy=f"easy {HOSTILE}",
        origin=f"origin {HOSTILE}",
        collocations=(f"colloc {HOSTILE}",),
        examples=(Cited(f"example {HOSTILE}", base.references[0]),),
        faq=(Question(f"q {HOSTILE}", f"a {HOSTILE}", base.references[0]),),
    )


def headings(markdown: str) -> list[str]:
    return re.findall(r"^## (.+)$", markdown, flags=re.MULTILINE)


def test_generate_makes_the_index_and_one_page_per_term() -> None:
    files = site.generate()
    expected = {"reference/glossary/index.md"} | {site.page_path(t.id) for t in terms()}
    assert set(files) == expected
    assert all(text.startswith("# ") for text in files.values())


@pytest.mark.parametrize("term_id", [t.id for t in terms()])
def test_term_pages_keep_the_fixed_section_order(term_id: str) -> None:
    term = define(term_id)
    by_id = {t.id: t for t in terms()}
    found = headings(term_page(term, by_id))
    wanted = [SECTION_TITLES[s] for s in SECTIONS if term.has(s)]
    assert found == wanted


def test_a_term_with_a_schedule_gets_a_build_time_plot_marker() -> None:
    from annealing._docs import plots

    page = site.generate()[site.page_path("sgdr")]
    (spec,) = plots.find_plots(page)
    assert plots.evaluate(spec.expression) == (define("sgdr").make_schedule(),)
    assert spec.steps == 150
    assert "## Plot" not in site.generate()[site.page_path("epoch")]


def test_related_terms_are_markdown_links_to_their_pages() -> None:
    page = site.generate()[site.page_path("sgdr")]
    assert "- [warm restart](warm-restart.md): Raising the learning rate" in page
    assert "- [T\\_0](t-0.md)" in page  # the underscore is escaped for Markdown
    assert "\\(" not in page and "\\)" not in page  # would open inline math


def test_references_are_numbered_and_cited() -> None:
    page = site.generate()[site.page_path("cosine-annealing")]
    assert '<li id="ref-1">Loshchilov, I., Hutter, F. SGDR' in page
    assert 'href="https://arxiv.org/abs/1608.03983"' in page
    assert re.search(
        r'<a class="glossary-cite" href="#ref-\d+" title="[^"]+">\[\d+, §4\.1\]</a>', page
    )


def test_html_in_a_term_is_rendered_escaped() -> None:
    term = hostile_term()
    by_id = {t.id: t for t in terms()}
    outputs = [term_page(term, by_id), index_page([term])]
    outputs.append(Linker([term]).link("<p>linear warmup</p>", lambda i: f"{i}/"))
    for text in outputs:
        assert "<script>" not in text and "<b>" not in text
        assert "&lt;script&gt;" in text
    page = outputs[0]
    assert page.count("&lt;script&gt;alert") >= 8  # every section, every field
    assert '<a class="glossary-cite"' in page


def test_markdown_renders_a_term_page_without_raw_html_leaking() -> None:
    markdown = require("markdown")
    term = hostile_term()
    by_id = {t.id: t for t in terms()}
    rendered = markdown.markdown(term_page(term, by_id), extensions=["attr_list", "md_in_html"])
    assert "<script>" not in rendered
    assert '<a href="warm-restart.md">' not in rendered  # warmup is not related to itself
    assert '<a href="cosine-annealing.md">cosine annealing</a>' in rendered
    assert "<h2>Definition</h2>" in rendered


def test_the_index_lists_every_term_a_to_z_with_a_tag_filter() -> None:
    page = index_page(terms())
    names = re.findall(r"<li data-tags=\"[^\"]+\"><a [^>]+><strong>([^<]+)</strong>", page)
    assert len(names) == len(terms())
    assert [n.casefold() for n in names] == sorted(n.casefold() for n in names)
    for tag in ("schedule", "simulated-annealing", "optimizer"):
        assert f'<input type="radio" name="glossary-tag" id="glossary-tag-{tag}">' in page
        assert f'#glossary-tag-{tag}:checked ~ .glossary-body li:not([data-tags~="{tag}"])' in page
    assert '<a href="sgdr/" title="Stochastic Gradient Descent with warm Restarts' in page
    assert '<a href="sgdr.html"' in index_page(terms(), directory_urls=False)
    assert '<section id="glossary-w">' in page and '<a href="#glossary-w">W</a>' in page
    assert "<script" not in page  # the filter is CSS only


def test_pages_helper_matches_generate() -> None:
    generated = pages(terms(), directory_urls=False)
    assert {f"reference/glossary/{k}" for k in generated} == set(site.generate())


# --- tooltips -------------------------------------------------------------------------------

LINKER = Linker(terms())


def href(term_id: str) -> str:
    return f"../{term_id}/"


def test_the_first_mention_links_and_later_ones_get_a_tooltip() -> None:
    out = LINKER.link("<p>Use a warmup. The warmup lasts 10 steps; Warmup helps.</p>", href)
    assert out.count('<a class="glossary-link" href="../warmup/"') == 1
    assert out.count('<abbr class="glossary-term"') == 2
    title = define("warmup").short
    assert f'title="{title}">warmup</a>' in out
    assert out.index("glossary-link") < out.index("glossary-term")


def test_tooltips_take_the_longest_name_and_its_plural() -> None:
    out = LINKER.link("<p>Cosine annealing with warm restarts, and two warm restarts.</p>", href)
    assert '<a class="glossary-link" href="../sgdr/"' in out
    assert ">Cosine annealing with warm restarts</a>" in out
    assert '<a class="glossary-link" href="../warm-restart/" ' in out
    assert ">warm restarts</a>" in out


@pytest.mark.parametrize(
    "fragment",
    [
        "<code>warmup</code>",
        "<pre><span>warmup</span></pre>",
        "<h2>Warmup</h2>",
        '<h3 id="x">The <em>warmup</em></h3>',
        '<a href="x">warmup</a>',
        '<abbr title="mine">warmup</abbr>',
        '<div class="arithmatex">\\[ warmup \\]</div>',
        '<span class="katex">warmup</span>',
        "<script>var warmup = 1 < 2;</script>",
        "<style>.warmup { color: red }</style>",
        "<!-- warmup -->",
        '<p class="glossary-skip">warmup</p>',
        '<img alt="warmup" src="warmup.svg">',
        '<div class="clipboard-copy-txt" id="cell-3">an.Warmup(warmup=10)</div>',
        '<div class="jp-OutputArea"><div><p>SGDR</p></div></div>',
    ],
)
def test_tooltips_never_go_inside_code_headings_links_math_or_markup(fragment: str) -> None:
    assert LINKER.link(fragment, href) == fragment


def test_text_after_a_skipped_element_is_processed_again() -> None:
    out = LINKER.link("<p><code>warmup</code> then warmup<br>and SGDR</p>", href)
    assert out.startswith('<p><code>warmup</code> then <a class="glossary-link"')
    assert 'href="../sgdr/"' in out


def test_a_term_page_does_not_link_to_itself() -> None:
    out = LINKER.link("<p>SGDR and warm restarts</p>", href, current="sgdr")
    assert "../sgdr/" not in out and "../warm-restart/" in out


def test_html_without_terms_comes_back_byte_for_byte() -> None:
    page = (
        "<!DOCTYPE html><div data-x=\"a > b\" class='c'><p>Nothing here &amp; there.</p>"
        "<br/><img src=x.png><script>if (a<b) {}</script>\n<p>End</p></div>"
    )
    assert LINKER.link(page, href) == page


def test_entities_and_attributes_are_left_alone() -> None:
    out = LINKER.link('<p title="warmup">A&nbsp;warmup &amp; SGDR</p>', href)
    assert out.startswith('<p title="warmup">A&nbsp;<a class="glossary-link"')
    assert "&amp; <a" in out


def test_acronyms_match_only_in_capitals_and_titles_are_escaped() -> None:
    assert "glossary" not in LINKER.link("<p>the wsd-like sgdr</p>", href)
    out = LINKER.link("<p>WSD</p>", href)
    assert 'title="Warmup, then a long constant phase' in out
    assert '"' not in re.search(r'title="([^"]*)"', LINKER.link("<p>T_max</p>", href)).group(1)  # type: ignore[union-attr]


def test_ordinary_words_stay_lookup_only() -> None:
    names = tooltip_names(define("iteration"))
    assert "step" not in names and "iteration" in names
    assert "Linear" not in tooltip_names(define("linear decay"))
    assert "SGD" in tooltip_names(define("SGD"))
    assert "η" not in tooltip_names(define("learning rate"))


def test_site_facade() -> None:
    assert site.term_of("reference/glossary/warmup.md") == "warmup"
    assert site.term_of("reference/glossary/index.md") is None
    assert site.term_of("explanation/warmup.md") is None
    out = site.add_tooltips("<p>warmup</p>", href, current="warmup")
    assert out == "<p>warmup</p>"


# --- the MkDocs hook ------------------------------------------------------------------------


def test_the_mkdocs_hook_adds_virtual_pages_and_tooltips(tmp_path: Path) -> None:
    require("mkdocs")
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    docs = tmp_path / "docs"
    (docs / "explanation").mkdir(parents=True)
    (docs / "explanation" / "why.md").write_text("# Why\n\nA warmup.\n")
    config = MkDocsConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    config.load_dict(
        {
            "site_name": "t",
            "docs_dir": str(docs),
            "site_dir": str(tmp_path / "s"),
            "hooks": [str(ROOT / "docs" / "hooks" / "glossary.py")],
        }
    )
    errors, _ = config.validate()
    assert not errors
    existing = File("explanation/why.md", str(docs), str(tmp_path / "s"), True)
    files = config.plugins.on_files(Files([existing]), config=config)
    assert files.get_file_from_path("reference/glossary/index.md") is not None
    warmup = files.get_file_from_path("reference/glossary/warmup.md")
    assert warmup is not None and "## Definition" in warmup.content_string
    page = Page("Why", existing, config)
    out = config.plugins.on_page_content(
        "<p>A warmup and SGDR.</p>", page=page, config=config, files=files
    )
    assert '<a class="glossary-link" href="../../reference/glossary/warmup/"' in out
    own_page = Page("warmup", warmup, config)
    own = config.plugins.on_page_content("<p>warmup</p>", page=own_page, config=config, files=files)
    assert own == "<p>warmup</p>"


def test_every_schedule_family_shows_up_in_some_glossary_plot() -> None:
    from annealing._docs import plots

    drawn: set[str] = set()
    for text in site.generate().values():
        for spec in plots.find_plots(text):
            drawn |= {type(s).__name__ for s in plots.evaluate(spec.expression)}
            drawn |= set(re.findall(r"\b([A-Z][A-Za-z]+)\(", spec.expression))
    families = {n for n in annealing.__all__ if n[0].isupper() and n not in ("Schedule", "SGDR")}
    families = {n for n in families if isinstance(getattr(annealing, n), type)}
    families = {n for n in families if issubclass(getattr(annealing, n), annealing.Schedule)}
    assert families <= drawn, sorted(families - drawn)
