"""sphinx-design: in full for lessons that use its markup, else only its tab sets."""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sphinx_refinery.extensions import design, design_markup
from tests.conftest import write_sources

TABS = """\
# Lesson

````{tabs}
```{group-tab} Python
Python text.
```
```{group-tab} R
R text.
```
````
"""

LATE_DESIGN = """\
def setup(app):
    app.setup_extension("sphinx_design")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
"""
CONF_WITH_LOCAL_EXTENSIONS = """\
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
extensions = {extensions!r}
"""


def _tab_inputs(result, page="index"):
    return result.html(page).select(".sd-tab-set > input[type=radio]")


def test_a_lesson_without_its_markup_gets_tab_sets_only(build):
    result = build({"index.md": TABS})
    assert result.warning_lines() == []
    assert design.EXTENSION not in result.app.extensions
    soup = result.html()
    assert len(_tab_inputs(result)) == 2
    labels = [label.get_text(strip=True) for label in soup.select(".sd-tab-set > label")]
    assert labels == ["Python", "R"]
    assert soup.select_one('link[href^="_static/sphinx-design.min.css"]') is not None
    assert soup.select_one('script[src^="_static/design-tabs.js"]') is not None
    assert (result.outdir / "_static" / "sphinx-design.min.css").is_file()
    # Containers keep sphinx-design's rendering (no "container" class on tab sets).
    assert "container" not in soup.select_one(".sd-tab-set")["class"]


FULL_CASES = {
    "myst-colon-fence": (
        {"index.md": "# Lesson\n\n:::{dropdown} More\nHidden text.\n:::\n"},
        "details.sd-dropdown",
    ),
    "myst-backtick-fence": (
        {"index.md": "# Lesson\n\n```{card} A card\nCard text.\n```\n"},
        ".sd-card",
    ),
    "rst-directive-any-case": (
        {"index.rst": "Lesson\n======\n\n.. Dropdown:: More\n\n   Hidden text.\n"},
        "details.sd-dropdown",
    ),
    "myst-role": ({"index.md": "# Lesson\n\nA {bdg-primary}`new` badge.\n"}, ".sd-badge"),
    "rst-role": (
        {"index.rst": "Lesson\n======\n\nOn :octicon:`mark-github` GitHub.\n"},
        "svg.sd-octicon",
    ),
    "hidden-title-field": (
        {"index.md": "---\nsd_hide_title: true\n---\n# Lesson\n\nText.\n"},
        "h1.sd-d-none",
    ),
    "included-from-an-excluded-folder": (
        {
            "conf.py": 'extensions = ["sphinx_refinery"]\nexclude_patterns = ["snippets"]\n',
            "index.md": "# Lesson\n\n```{include} snippets/more.md\n```\n",
            "snippets/more.md": ":::{dropdown} More\nHidden text.\n:::\n",
        },
        "details.sd-dropdown",
    ),
    "conf-epilog": (
        {
            "conf.py": 'extensions = ["sphinx_refinery"]\n'
            'rst_epilog = ".. |gh| replace:: :octicon:`mark-github`"\n',
            "index.rst": "Lesson\n======\n\nOn |gh| GitHub.\n",
        },
        "svg.sd-octicon",
    ),
    "conf-option": (
        {
            "conf.py": 'extensions = ["sphinx_refinery"]\nsd_tabs_storage_prefix = "my-lesson-"\n',
            "index.md": TABS,
        },
        'script[data-sd-tabs-storage-prefix="my-lesson-"]',
    ),
    "conf-lists-it": (
        {"conf.py": 'extensions = ["sphinx_refinery", "sphinx_design"]\n', "index.md": TABS},
        'script[data-sd-tabs-storage-prefix][src^="_static/design-tabs.js"]',
    ),
}


@pytest.mark.parametrize("case", FULL_CASES, ids=list(FULL_CASES))
def test_its_markup_sets_it_up_in_full(build, case):
    files, selector = FULL_CASES[case]
    result = build(files)
    assert result.warning_lines() == []
    assert design.EXTENSION in result.app.extensions
    assert result.html().select_one(selector) is not None, selector


def test_an_extension_may_set_it_up_after_sphinx_refinery(build):
    conf = CONF_WITH_LOCAL_EXTENSIONS.format(extensions=["sphinx_refinery", "late_design_ext"])
    result = build({"conf.py": conf, "late_design_ext.py": LATE_DESIGN, "index.md": TABS})
    assert result.warning_lines() == []
    assert design.EXTENSION in result.app.extensions
    assert len(_tab_inputs(result)) == 2  # the tab set is rendered once


PAGES = {
    "index.md": "# Lesson\n\n```{toctree}\nepisode\n```\n",
    "episode.md": TABS
    + "\n:::{exercise} Try\nDo it.\n:::\n\n:::{solution}\nDone.\n:::\n\n```{container} plain\nText.\n```\n",
}


def test_pages_look_the_same_with_it_in_full(build, tmp_path):
    tabs_only = build(PAGES, builddir=tmp_path / "tabs-only")
    listed = build(
        {**PAGES, "conf.py": 'extensions = ["sphinx_refinery", "sphinx_design"]\n'},
        builddir=tmp_path / "listed",
    )
    assert design.EXTENSION not in tabs_only.app.extensions
    assert design.EXTENSION in listed.app.extensions
    for page in ("index.html", "episode.html"):
        assert tabs_only.text(page) == listed.text(page)


def test_starting_and_stopping_to_use_it_rebuilds_as_a_clean_build_would(build, tmp_path):
    """Incremental builds across the switch give the clean build's pages."""
    episode = PAGES["episode.md"]
    steps = [episode, episode + "\n:::{dropdown} More\nHidden text.\n:::\n", episode]
    src = tmp_path / "lesson"
    # A page that is written once: it keeps what the first build gave it.
    write_sources(src, {**PAGES, "index.md": PAGES["index.md"].replace("episode\n", "episode\nother\n"),
                        "other.md": "# Other\n\nText.\n"})
    for i, text in enumerate(steps):
        if i:  # only the episode changes: the index page is not read again
            (src / "episode.md").write_text(text, encoding="utf-8")
            os.utime(src / "episode.md", ns=(i * 10**18, i * 10**18))
        again = build(None, srcdir=src, builddir=tmp_path / "incremental")
        clean = build(None, srcdir=src, builddir=tmp_path / f"clean-{i}")
        assert (design.EXTENSION in again.app.extensions) == (i == 1)
        for page in ("index.html", "episode.html", "other.html"):
            assert again.text(page) == clean.text(page), (i, page)


@pytest.mark.parametrize(
    "text",
    [
        "A grid of cards, a dropdown and a badge.",
        "{gridiron}`x` and {bdg-nope}`y`",
        "```{code-block} python\ncard = 1\n```",
        ".. note:: a card",
        "see :ref:`card` and :octicon: without text",
        "sd_hide_titles",
    ],
)
def test_prose_and_other_markup_do_not_count(text):
    assert not design_markup.uses_markup(text)


@given(
    name=st.sampled_from(sorted(design_markup.markup().directives)),
    before=st.text(max_size=40),
    after=st.text(max_size=40),
)
def test_every_directive_counts_in_either_syntax(name, before, after):
    assert design_markup.uses_markup(f"{before}\n```{{{name}}}\n{after}")
    assert design_markup.uses_markup(f"{before}\n.. {name}:: title\n{after}")


#: Text without markup characters, often holding the field's name, whole or as part of a word.
FIELD_TEXT = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(blacklist_characters="{}:."), max_size=10),
        st.sampled_from(["sd_hide_title", "xsd_hide_title", "sd_hide_titles", "sd_hide_title_",
                         "sd_hide_titlé", "ésd_hide_title", " ", "\n", "-", "_"]),
    ),
    max_size=5,
).map("".join)


@given(FIELD_TEXT)
def test_text_without_markup_characters_counts_only_for_the_field(text):
    assert design_markup.uses_markup(text) == bool(re.search(r"\bsd_hide_title\b", text))


def test_the_checker_knows_its_directives(tmp_path):
    from sphinx_refinery.check.lesson import settings_from_conf

    write_sources(tmp_path, {"index.md": "# Lesson\n"})
    known = settings_from_conf(tmp_path).known
    assert all(name in known for name in ("grid", "dropdown", "tab-set", "tabs"))
    assert "gridiron" not in known


def test_markup_the_scan_cannot_see_warns_and_keeps_its_text(build, tmp_path):
    (tmp_path / "outside.rst").write_text(
        ".. dropdown:: More\n   :open:\n\n   Hidden text.\n\nA :bdg-primary:`new` badge.\n"
    )
    (tmp_path / "outside.md").write_text(":::{card} A card\n:link: https://example.org\nCard text.\n:::\n")
    result = build(
        {
            "index.rst": "Lesson\n======\n\n.. include:: ../outside.rst\n\n.. toctree::\n\n   page\n",
            "page.md": "# Page\n\n```{include} ../outside.md\n```\n",
        }
    )
    assert design.EXTENSION not in result.app.extensions
    warnings = result.warning_lines()
    assert len(warnings) == 3, warnings
    for name, page in (("dropdown", "outside.rst:1"), ("bdg-primary", "outside.rst:6"), ("card", "outside.md:1")):
        assert any(f"'{name}' is sphinx-design markup" in w and page in w and "[refinery.design]" in w
                   for w in warnings), (name, warnings)
    text = result.html().get_text()
    assert "More" in text and "Hidden text." in text and "new" in text
    assert "Card text." in result.html("page").get_text()


def test_a_lesson_directive_of_the_same_name_is_left_alone(build, tmp_path):
    conf = CONF_WITH_LOCAL_EXTENSIONS.format(extensions=["sphinx_refinery", "own_card"])
    own_card = (
        "from docutils import nodes\n"
        "from sphinx.util.docutils import SphinxDirective\n\n"
        "class Card(SphinxDirective):\n"
        "    has_content = True\n"
        "    def run(self):\n"
        "        return [nodes.paragraph(text='my own card')]\n\n"
        "def setup(app):\n"
        "    app.add_directive('card', Card)\n"
        "    return {'parallel_read_safe': True}\n"
    )
    (tmp_path / "outside.rst").write_text(".. card::\n\n   x\n")
    result = build({"conf.py": conf, "own_card.py": own_card,
                    "index.rst": "Lesson\n======\n\n.. include:: ../outside.rst\n"})
    assert design.EXTENSION not in result.app.extensions
    assert result.warning_lines() == []
    assert "my own card" in result.html().get_text()


def test_a_sphinx_design_it_cannot_read_is_set_up_in_full(build, monkeypatch):
    monkeypatch.setattr(design_markup, "markup", lambda: design_markup.Markup(frozenset(), frozenset()))
    monkeypatch.setattr(
        design_markup, "can_set_up_tab_sets_alone", design_markup.can_set_up_tab_sets_alone.__wrapped__
    )
    assert not design_markup.uses_markup(".. grid::\n")
    result = build({"index.md": TABS})
    assert result.warning_lines() == []
    assert design.EXTENSION in result.app.extensions
    assert len(_tab_inputs(result)) == 2
