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


def headings(markdown: str, level: int = 3) -> list[str]:
    return re.findall(rf"^{'#' * level} (.+)$", markdown, flags=re.MULTILINE)


def test_generate_makes_the_index_and_one_page_per_term() -> None:
    files = site.generate()
    expected = {"reference/glossary/index.md"} | {site.page_path(t.id) for t in terms()}
    assert set(files) == expected
    assert all(text.startswith("# ") for text in files.values())


@pytest.mark.parametrize("term_id", [t.id for t in terms()])
def test_term_pages_keep_the_fixed_section_order(term_id: str) -> None:
    term = define(term_id)
    by_id = {t.id: t for t in terms()}
    page = term_page(term, by_id)
    assert headings(page, 2) == ["Details"]
    found = headings(page)
    # the related terms are in "See also", above "Details"
    wanted = [SECTION_TITLES[s] for s in SECTIONS if term.has(s) and s != "related"]
    assert found == wanted


def test_a_term_with_a_schedule_gets_a_build_time_plot_marker() -> None:
    from annealing._docs import plots

    page = site.generate()[site.page_path("sgdr")]
    (spec,) = plots.find_plots(page)
    assert plots.evaluate(spec.expression) == (define("sgdr").make_schedule(),)
    assert spec.steps == 150
    assert "### Plot" not in site.generate()[site.page_path("epoch")]


def test_related_terms_are_markdown_links_to_their_pages() -> None:
    page = site.generate()[site.page_path("sgdr")]
    (line,) = [x for x in page.splitlines() if x.startswith("- **Related terms:**")]
    assert "[warm restart](warm-restart.md)" in line
    assert "[T\\_0](t-0.md)" in line  # the underscore is escaped for Markdown
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
    assert "<h2>Details</h2>" in rendered and "<h3>Definition</h3>" in rendered
    assert '<div class="glossary-see-also">' in rendered and "<ul>" in rendered


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


def test_only_the_first_mention_links_and_later_ones_stay_text() -> None:
    out = LINKER.link("<p>Use a warmup. The warmup lasts 10 steps; Warmup helps.</p>", href)
    assert out.count('<a class="glossary-link" href="../warmup/"') == 1
    assert "<abbr" not in out
    assert "The warmup lasts 10 steps; Warmup helps.</p>" in out
    title = define("warmup").short
    assert f'title="{title}" aria-describedby="glossary-def-warmup">warmup</a>' in out


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
    assert warmup is not None and "## Details" in warmup.content_string
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


# --- item 7 of issue 15: the glossary joins the site ----------------------------------------

DOCS = ROOT / "docs"


def site_file(path: str) -> Path:
    """Where the page at site path `path` comes from in the repository."""
    if path.startswith("notebooks/"):
        return ROOT / path
    return DOCS / path


#: Terms no page of the site discusses yet (a gap in the docs, not in the glossary).
NOT_IN_THE_DOCS: set[str] = set()


def spellings(term: Any) -> set[str]:
    """The term's names, and η_max also as the docs' LaTeX and code spell it."""
    out = set(term.names)
    for name in term.names:
        if match := re.fullmatch(r"η_(\w+)", name):
            out |= {rf"\eta_{{\{match.group(1)}}}", f"eta_{match.group(1)}"}
    return out


def source_text(path: str) -> str:
    if path.startswith("notebooks/"):  # the notebook's source, paired by jupytext
        return (ROOT / "notebooks" / (Path(path).stem + ".py")).read_text(encoding="utf-8")
    return (DOCS / path).read_text(encoding="utf-8")


def test_every_term_leads_into_the_rest_of_the_site() -> None:
    from annealing.glossary._links import links

    for term in terms():
        found = links(term)
        if term.id in NOT_IN_THE_DOCS:
            assert not found.guides, f"{term.id} is linked now: take it off NOT_IN_THE_DOCS"
            continue
        assert found.reference or found.guides, f"{term.id}: no link outside the glossary"
        for path in (found.reference, *found.guides):
            if path:
                assert site_file(path).is_file(), f"{term.id}: {path} does not exist"
                assert not path.startswith("reference/glossary/"), term.id
    # every term with a schedule that has a catalogue page links it
    for term in terms():
        if term.schedule is not None:
            assert term.links.reference, term.id


def test_every_guide_a_term_links_uses_the_term() -> None:
    for term in terms():
        names = sorted(spellings(term), key=len, reverse=True)
        pattern = re.compile("(?<![\\w-])(?:" + "|".join(map(re.escape, names)) + ")", re.I)
        for path in term.links.guides:
            assert pattern.search(source_text(path)), f"{term.id}: {path} never names it"


def test_the_see_also_links_are_relative_markdown_links_to_real_pages() -> None:
    page = site.generate()[site.page_path("cosine-annealing")]
    see_also = page[page.index("**See also**") : page.index("## Details")]
    targets = re.findall(r"\]\(\.\./\.\./([^)?]+)(?:\?[^)]*)?\)", see_also)
    assert "reference/schedules/cosine.md" in targets
    assert "explorer.md" in targets
    assert "notebooks/01-first-cosine-schedule.ipynb" in targets
    assert any(t.startswith("how-to/") for t in targets)
    for target in targets:
        assert site_file(target).is_file(), target
    assert "- **Tutorial:** [" in see_also and "- **How-to:** [" in see_also


def test_link_text_is_the_target_pages_title() -> None:
    roots = {"": DOCS, "notebooks/": ROOT / "notebooks"}
    titles = site.page_titles(roots, site.link_targets())
    assert set(titles) == set(site.link_targets())  # every target found and titled
    assert titles["reference/schedules/cosine.md"] == "Cosine"
    assert titles["notebooks/01-first-cosine-schedule.ipynb"] == "Your first cosine schedule"
    assert titles["how-to/choose-parameters.md"].startswith("Choose T")
    page = site.generate(titles=titles)[site.page_path("cosine-annealing")]
    assert "**Tutorial:** [Your first cosine schedule](../../notebooks/" in page


def explorer_keys() -> dict[str, set[str]]:
    """Each explorer family's URL keys, read from the explorer's own source."""
    source = (DOCS / "javascripts" / "annealing" / "explorer.js").read_text()
    body = source[source.index("export const FAMILIES = {") : source.index("const WARMUP_SHAPES")]
    out: dict[str, set[str]] = {}
    for match in re.finditer(r"^  (\w+): \{(.*?)^  \},", body, flags=re.MULTILINE | re.DOTALL):
        params = match.group(2).split("config:")[0]
        out[match.group(1)] = set(re.findall(r'(?:\b[a-z]+\(|key: )"(\w+)"', params))
    return out


def test_explorer_links_name_only_families_and_keys_the_explorer_reads() -> None:
    families = explorer_keys()
    assert {"cosine", "sgdr", "onecycle", "cyclic"} <= set(families)
    queries = site.explorer_queries()
    assert len(queries) >= 15
    for ident, query in queries.items():
        first, *rest = query.split("&")
        family, *pairs = first.removeprefix("c1=").split(",")
        assert family in families, (ident, family)
        keys = [p.split(":")[0] for p in pairs]
        assert set(keys) <= families[family] | {"warmup", "wshape"}, (ident, keys)
        assert all(r.split("=")[0] in ("n", "log", "epoch") for r in rest), ident


def test_an_explorer_link_draws_the_terms_own_schedule() -> None:
    from annealing.glossary._links import explorer_query

    queries = site.explorer_queries()
    assert queries["cosine-annealing"] == "c1=cosine,start:0.05,end:0,steps:200,exponent:1&n=200"
    assert queries["sgdr"] == (
        "c1=sgdr,eta_max:0.05,eta_min:0,T_0:10,T_mult:2,peak_decay:1,limit:0&n=150"
    )
    assert queries["learning-rate-schedule"].startswith("c1=cosine,start:1,end:0.1,steps:90,")
    assert "warmup:10,wshape:linear" in queries["learning-rate-schedule"]
    # WSD's own warmup is "warmup"; the explorer's added warmup on a WSD is "aw"
    assert queries["wsd"].startswith("c1=wsd,peak:1,warmup:5,stable:75,decay:20,end:0,")
    assert explorer_query(annealing.WSD(1.0, 10, 80, 10).to_dict()) == (
        "c1=wsd,peak:1,warmup:10,stable:80,decay:10,end:0,decay_shape:linear&n=100"
    )
    # an exponential given by its end point gets the equivalent rate
    sa = queries["simulated-annealing"]
    rate = float(re.search(r"rate:([\d.]+)", sa).group(1))  # type: ignore[union-attr]
    assert rate**1000 == pytest.approx(0.001)


def term_of_page(path: str) -> Any:
    return define(path.rsplit("/", 1)[-1].removesuffix(".md"))


def test_a_term_page_shows_one_screen_before_the_details() -> None:
    for ident, page in site.generate().items():
        if ident.endswith("index.md"):
            continue
        top = page[: page.index("## Details")]
        assert "**See also**" in top, ident
        assert top.count("\n## ") == 0 and "### " not in top, ident
        prose = re.sub(r"<[^>]+>|\]\([^)]*\)|[\[\]*]", "", top)
        assert "### Definition" not in top and term_of_page(ident).definition not in top
        # one phone screen at 390 px: ~45 characters a line, ~16 lines below the header
        assert len(prose) < 900, (ident, len(prose))


# --- auto-links: first mention, quotations, whole terms, casing, the library's name -------


@pytest.mark.parametrize(
    "fragment",
    [
        "<blockquote><p>we use a warmup</p></blockquote>",
        "<p>They wrote <q>a warmup helps</q>.</p>",
        "<p>Smith: “a warmup of five epochs”.</p>",
        "<p>Smith: &ldquo;a warmup of five epochs&rdquo;.</p>",
        '<p>The paper says "warmup helps" here.</p>',
        "<p>“The <em>warmup</em> then SGDR”</p>",
        "<cite>SGDR: Stochastic Gradient Descent</cite>",
    ],
)
def test_auto_links_never_go_inside_quotations(fragment: str) -> None:
    assert LINKER.link(fragment, href) == fragment


def test_an_unclosed_quotation_mark_stops_at_the_end_of_its_block() -> None:
    out = LINKER.link('<p>a 5" screen</p><p>Use a warmup.</p>', href)
    assert 'href="../warmup/"' in out


def test_the_librarys_own_name_is_not_a_glossary_mention() -> None:
    for text in (
        "<p>annealing is a Python package</p>",
        "<p>Install annealing, then call annealing.Cosine.</p>",
        "<p>The Annealing docs</p>",
    ):
        assert "glossary-link" not in LINKER.link(text, href), text
    out = LINKER.link("<p>learning-rate annealing</p>", href)
    assert 'href="../annealing/"' in out
    assert "glossary-link" in LINKER.link("<p>cosine annealing</p>", href)
    assert 'href="../simulated-annealing/"' in LINKER.link("<p>simulated annealing</p>", href)


def test_only_whole_terms_link() -> None:
    assert "glossary-link" not in LINKER.link("<p>Each run is one cycle of the data.</p>", href)
    assert 'href="../one-cycle/"' in LINKER.link("<p>the one-cycle policy</p>", href)
    for text in ("<p>prewarmup</p>", "<p>warmup_steps</p>", "<p>non-warmup</p>", "<p>SGDRx</p>"):
        assert "glossary-link" not in LINKER.link(text, href), text
    assert define("one cycle").id == "one-cycle"  # still found by define()


def test_casing_rules() -> None:
    assert "glossary-link" in LINKER.link("<p>Warm restarts help.</p>", href)
    assert "glossary-link" not in LINKER.link("<p>WARM RESTARTS</p>", href)
    assert "glossary-link" not in LINKER.link("<p>t_max</p>", href)
    assert "glossary-link" in LINKER.link("<p>T_max</p>", href)
    assert "glossary-link" not in LINKER.link("<p>boltzmann distribution</p>", href)
    assert "glossary-link" in LINKER.link("<p>Boltzmann distribution</p>", href)


def test_a_link_carries_its_definition_for_touch_and_screen_readers() -> None:
    out = LINKER.link("<p>SGDR and a warmup; SGDR again.</p>", href)
    assert out.count("glossary-link") == 2
    hidden = re.search(r'<div class="glossary-definitions" hidden>(.*?)</div>', out)
    assert hidden is not None
    assert f'<span id="glossary-def-sgdr">{define("sgdr").short}</span>' in hidden.group(1)
    assert 'id="glossary-def-warmup"' in hidden.group(1)
    for ref in re.findall(r'aria-describedby="([^"]+)"', out):
        assert f'id="{ref}"' in out
    assert "glossary-definitions" not in LINKER.link("<p>nothing</p>", href)


def test_the_glossary_term_pages_link_each_term_once() -> None:
    from collections import Counter

    page = site.generate()[site.page_path("cosine-annealing")]
    markdown = require("markdown")
    rendered = markdown.markdown(page, extensions=["attr_list", "md_in_html"])
    out = LINKER.link(rendered, href, current="cosine-annealing")
    counts = Counter(re.findall(r'class="glossary-link" href="\.\./([^/]+)/"', out))
    assert counts and max(counts.values()) == 1
    assert "<abbr" not in out


# --- order: index and nav by display name; "#" and Greek in the A–Z bar -------------------


def test_the_index_sorts_by_display_name_with_greek_and_other_groups() -> None:
    page = index_page(terms())
    names = re.findall(r"<li data-tags=\"[^\"]+\"><a [^>]+><strong>([^<]+)</strong>", page)
    assert names.index("η_max") > names.index("weight decay")  # not under E
    assert '<section id="glossary-greek">' in page and "<h2>Greek letters</h2>" in page
    bar = re.search(r'<nav class="glossary-letters"[^>]*>(.*?)</nav>', page).group(1)  # type: ignore[union-attr]
    assert 'href="#glossary-greek"' in bar
    # a name that starts with a digit goes to "#", which the bar reaches too
    digit = dataclasses.replace(define("one-cycle policy"), id="x-1cycle", term="1cycle")
    page = index_page([*terms(), digit])
    bar = re.search(r'<nav class="glossary-letters"[^>]*>(.*?)</nav>', page).group(1)  # type: ignore[union-attr]
    assert '<a href="#glossary-other" title="Numbers and symbols">#</a>' in bar
    assert '<section id="glossary-other">' in page
    for anchor in re.findall(r'href="#([\w-]+)"', bar):
        assert f'<section id="{anchor}">' in page


def test_the_nav_order_is_the_index_order() -> None:
    paths = [site.page_path(t.id) for t in terms()] + ["reference/glossary/index.md"]
    ordered = sorted(paths, key=site.nav_key)
    assert ordered[0] == "reference/glossary/index.md"
    index_names = re.findall(r"<strong>([^<]+)</strong></a>", index_page(terms()))
    by_path = {site.page_path(t.id): t.term for t in terms()}
    assert [by_path[p] for p in ordered[1:]] == index_names
    assert ordered[-2:] == ["reference/glossary/eta-max.md", "reference/glossary/eta-min.md"]


def test_the_hook_sorts_the_glossary_section_of_the_nav(tmp_path: Path) -> None:
    require("mkdocs")
    import importlib.util

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation, Section
    from mkdocs.structure.pages import Page

    spec = importlib.util.spec_from_file_location("glossary_hook", DOCS / "hooks" / "glossary.py")
    assert spec is not None and spec.loader is not None
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "docs_dir": str(tmp_path)})
    assert not config.validate()[0]

    def page(path: str) -> Page:
        return Page(None, File(path, str(tmp_path), str(tmp_path / "s"), True), config)

    paths = ["index.md", "eta-max.md", "adam.md", "t-0.md", "epoch.md"]
    children = [page(f"reference/glossary/{p}") for p in paths]
    nav = Navigation([page("home.md"), Section("Glossary", children)], [])
    nav = hook.on_nav(nav, config, Files([]))
    section = nav.items[1]
    got = [p.file.src_uri.rsplit("/", 1)[-1] for p in section.children]
    assert got == ["index.md", "adam.md", "epoch.md", "t-0.md", "eta-max.md"]
    assert nav.pages[0].file.src_uri == "home.md"
    assert nav.pages[2].previous_page is nav.pages[1] and nav.pages[-1].next_page is None


def test_a_page_that_already_links_a_term_gets_no_auto_link_for_it() -> None:
    out = LINKER.link('<p>SGDR and a warmup.</p><p><a href="../sgdr/">SGDR</a></p>', href)
    assert out.count('href="../sgdr/"') == 1 and 'href="../warmup/"' in out


def test_plot_alt_text_says_what_the_curve_is() -> None:
    from annealing._docs import plots

    generated = site.generate()
    (spec,) = plots.find_plots(generated[site.page_path("cosine-annealing")])
    assert spec.alt == (
        "The learning rate of cosine annealing against the step, Cosine, 0.05 to 0 over 200 steps"
    )
    (spec,) = plots.find_plots(generated[site.page_path("simulated-annealing")])
    assert spec.ylabel == "temperature" and spec.alt is not None
    assert spec.alt.startswith("The temperature of simulated annealing")


def test_a_library_class_name_is_not_the_term() -> None:
    out = LINKER.link("<p>Cosine is a class and Warmup wraps it; a cosine, a warmup.</p>", href)
    assert out.count("glossary-link") == 2
    assert '">cosine</a>' in out and '">warmup</a>' in out
    assert "glossary-link" in Linker(terms(), class_names=()).link("<p>Warmup</p>", href)
