"""sphinx-refinery together with the rest of Sphinx: conditionals (ifconfig, todo),
translated lessons, LaTeX labels, intersphinx, EPUB, included files."""

from __future__ import annotations

import pytest

from tests.conftest import build_once

IFCONFIG_CONF = """\
extensions = ["sphinx_refinery", "sphinx.ext.ifconfig"]
refinery_number_exercises = True
show_secret = False

def setup(app):
    app.add_config_value("show_secret", False, "env")
"""

IFCONFIG_EP = """\
---
teaching: 10
---
# Ep

```{exercise} Open
:time: 5

Open task.
```

````{ifconfig} show_secret
:::{exercise} Secret
:label: ex-secret
:time: 20

SECRETTASK
:::
````

```{exercise} Last
:time: 5

Last task.
```

See {ref}`ex-secret`.
"""


def _ifconfig_lesson() -> dict[str, str]:
    return {
        "conf.py": IFCONFIG_CONF,
        "index.md": "# L\n\n```{schedule}\n```\n\n```{toctree}\nep\nlist\nguide\n```\n",
        "ep.md": IFCONFIG_EP,
        "list.md": "# List\n\n```{exerciselist}\n```\n",
        "guide.md": "# Guide\n\n```{instructor-guide}\n```\n",
    }


def test_ifconfig_is_honoured_like_only(build):
    result = build(_ifconfig_lesson())
    assert result.warning_lines() == [], result.warnings
    ep = result.html("ep")
    titles = [t.get_text(" ", strip=True) for t in ep.select(".admonition-title")]
    assert titles == ["Exercise 1.1: Open (5 min)", "Exercise 1.2: Last (5 min)"]
    assert "SECRETTASK" not in result.html("list").get_text()
    assert not [a for a in ep.find_all("a", href=True) if "ex-secret" in a["href"]]
    cells = [td.get_text(" ", strip=True) for td in result.html("index").select("table td")]
    assert "20 min" in cells  # 10 teaching + 2 x 5, not the left-out 20

    shown = build(None, confoverrides={"show_secret": True})
    titles = [t.get_text(" ", strip=True) for t in shown.html("ep").select(".admonition-title")]
    assert "Exercise 1.2: Secret (20 min)" in titles


@pytest.mark.parametrize("builder", ["latex", "text"])
def test_ifconfig_leaves_boxes_out_of_lists_in_other_builders(build, builder):
    result = build(_ifconfig_lesson(), builder=builder)
    assert result.warning_lines() == [], result.warnings
    written = "".join(p.read_text(encoding="utf-8") for p in result.outdir.glob("*.t*"))
    assert "SECRETTASK" not in written and "Open task" in written


def test_ifconfig_on_the_builder_name_is_read_again_for_another_builder(build):
    files = _ifconfig_lesson()
    files["ep.md"] = IFCONFIG_EP.replace("{ifconfig} show_secret", "{ifconfig} builder == 'text'")
    html = build(files)
    assert "SECRETTASK" not in html.html("ep").get_text()
    text = build(None, builder="text")
    assert "SECRETTASK" in text.text("ep.txt")


def test_boxes_in_a_todo_left_out_are_not_listed(build):
    files = {
        "conf.py": 'extensions = ["sphinx_refinery", "sphinx.ext.todo"]\nrefinery_number_exercises = True\n',
        "index.md": "# L\n\n```{toctree}\nep\nlist\n```\n",
        "ep.md": "# Ep\n\n````{todo}\n:::{exercise} Later\nTODOTASK\n:::\n````\n\n"
        ":::{exercise} Now\nDo.\n:::\n",
        "list.md": "# List\n\n```{exerciselist}\n```\n",
    }
    result = build(files)
    assert result.warning_lines() == [], result.warnings
    titles = [t.get_text(" ", strip=True) for t in result.html("ep").select(".admonition-title")]
    assert titles == ["Exercise 1.1: Now"]
    assert "TODOTASK" not in result.html("list").get_text()


# -- translated lessons ----------------------------------------------------------------------

TRANSLATED_EP = """\
# Naming

```{exercise} Rename the variables
:label: ex-rename
:time: 10

Rename them.
```

```{exercise}
:time: 5

Untitled.
```
"""

PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Naming"
msgstr "Nimeäminen"

msgid "Rename the variables"
msgstr "Nimeä muuttujat"
"""


def _translated_lesson() -> dict[str, str]:
    return {
        "conf.py": 'extensions = ["sphinx_refinery"]\nrefinery_number_exercises = True\n'
        'locale_dirs = ["locales"]\n',
        "index.md": "# L\n\n```{toctree}\nep\nlist\n```\n",
        "ep.md": TRANSLATED_EP,
        "list.md": "# List\n\n```{exerciselist}\n```\n",
        "locales/fi/LC_MESSAGES/ep.po": PO,
    }


def test_a_translated_title_keeps_its_duration(tmp_path):
    pot = build_once(tmp_path / "src", _translated_lesson(), "gettext", builddir=tmp_path / "pot")
    catalog = pot.text("ep.pot")
    assert 'msgid "Rename the variables"' in catalog and "min)" not in catalog
    result = build_once(tmp_path / "src", None, confoverrides={"language": "fi"})
    assert result.warning_lines() == [], result.warnings
    titles = [t.get_text(" ", strip=True) for t in result.html("ep").select(".admonition-title")]
    assert titles == ["Tehtävä 1.1: Nimeä muuttujat (10 min)", "Tehtävä 1.2 (5 min)"]
    listed = result.html("list").get_text(" ", strip=True)
    assert "Nimeä muuttujat (10 min)" in listed


@pytest.mark.parametrize(("builder", "name"), [("text", "ep.txt"), ("latex", "projectnamenotset.tex")])
def test_one_space_between_a_title_and_its_duration(build, builder, name):
    result = build(_translated_lesson(), builder=builder)
    written = result.text(name)
    assert "Rename the variables (10 min)" in written
    assert "variables  (" not in written and "1.2  (" not in written


# -- LaTeX: every link to a box has a label ---------------------------------------------------

LINKED = {
    "conf.py": 'extensions = ["sphinx_refinery"]\nrefinery_number_exercises = True\n',
    "index.md": "# L\n\n```{toctree}\nep\nanswers\nlist\n```\n",
    "ep.md": "# Ep\n\n```{exercise} Rename the variables\n:label: ex-rename\n\nDo.\n```\n\n"
    "```{exercise}\nUnlabelled.\n```\n\nSee {ref}`ex-rename` and {numref}`ex-rename`.\n",
    "answers.md": "# Answers\n\n```{solution}\n:exercise: ex-rename\n\nDone.\n```\n",
    "list.md": "# List\n\n```{exerciselist}\n```\n",
}


@pytest.mark.parametrize("builder", ["latex", "texinfo"])
def test_every_link_to_a_box_has_a_target(build, builder):
    import re

    result = build(LINKED, builder=builder)
    assert result.warning_lines() == [], result.warnings
    written = "".join(p.read_text(encoding="utf-8") for p in result.outdir.glob("*.te*"))
    if builder == "latex":
        links = set(re.findall(r"\\hyperref\[\\detokenize\{([^}]*)\}\]", written))
        targets = set(re.findall(r"\\label\{\\detokenize\{([^}]*)\}\}", written))
        assert any("ex-rename" in link for link in links)
    else:  # Texinfo's writer anchors every id (numbered)
        links = set(re.findall(r"@ref\{([^,}]*)", written))
        targets = set(re.findall(r"@anchor\{([^}]*)\}", written))
    assert links and links <= targets, sorted(links - targets)


# -- references across lessons (intersphinx) -------------------------------------------------

LESSON_A = {
    "conf.py": 'extensions = ["sphinx_refinery"]\nrefinery_number_exercises = True\n',
    "index.md": "# A\n\n```{toctree}\nnaming\n```\n",
    "naming.md": "# Naming\n\n```{exercise} Rename the variables\n:label: ex-rename\n\nDo.\n```\n\n"
    "```{solution}\n:label: sol-rename\n\nDone.\n```\n",
}

LESSON_B_PAGE = """\
# B

- ref: {ref}`a:ex-rename`
- bare ref: {ref}`ex-rename`
- external: {external+a:ref}`ex-rename`
- box role: {refinery:box}`a:ex-rename`
- solution: {ref}`a:sol-rename`
- inv link: [](inv:a#ex-rename)
"""


def _inventory(path):
    from sphinx.util.inventory import InventoryFile

    with open(path, "rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
    return inventory.data if hasattr(inventory, "data") else inventory


def test_objects_inv_names_each_box_once_with_its_number(tmp_path):
    a = build_once(tmp_path / "a", LESSON_A)
    entries = [
        (kind, name, item[3] if isinstance(item, tuple) else item.display_name)
        for kind, items in _inventory(a.outdir / "objects.inv").items()
        for name, item in items.items()
        if name in ("ex-rename", "sol-rename")
    ]
    assert sorted(entries) == [
        ("std:label", "ex-rename", "Exercise 1.1: Rename the variables"),
        ("std:label", "sol-rename", "Solution to Exercise 1.1"),
    ]


def test_every_reference_form_to_another_lessons_box_resolves(tmp_path):
    a = build_once(tmp_path / "a", LESSON_A)
    conf = (
        'extensions = ["sphinx_refinery", "sphinx.ext.intersphinx"]\n'
        f"intersphinx_mapping = {{'a': ({str(a.outdir)!r}, None)}}\n"
    )
    b = build_once(tmp_path / "b", {"conf.py": conf, "index.md": LESSON_B_PAGE}, warningiserror=True)
    assert b.warning_lines() == [], b.warnings
    items = [li.get_text(" ", strip=True) for li in b.html("index").select("div.body li")]
    assert items == [
        "ref: Exercise 1.1: Rename the variables",
        "bare ref: Exercise 1.1: Rename the variables",
        "external: Exercise 1.1: Rename the variables",
        "box role: Exercise 1.1: Rename the variables",
        "solution: Solution to Exercise 1.1",
        "inv link: Exercise 1.1: Rename the variables",
    ]
    links = [a_["href"] for a_ in b.html("index").select("div.body li a")]
    assert len(links) == 6 and all(link.endswith(("naming.html#ex-rename", "naming.html#sol-rename")) for link in links)


def test_the_box_role_resolves_in_its_own_lesson(build):
    files = dict(LESSON_A)
    files["naming.md"] += "\nSee {refinery:box}`ex-rename`.\n"
    result = build(files)
    assert result.warning_lines() == [], result.warnings
    see = result.html("naming").select("div.body p")[-1]
    assert see.get_text() == "See Exercise 1.1: Rename the variables."
    assert see.a["href"] == "#ex-rename"


@pytest.mark.parametrize("same_page", [True, False], ids=["same-page", "two-pages"])
def test_one_duplicate_label_one_warning(build, same_page):
    box = "```{exercise} T\n:label: ex-twice\n\nDo.\n```\n\n"
    files = {"index.md": "# L\n\n```{toctree}\none\ntwo\n```\n", "one.md": "# One\n\n" + box}
    if same_page:
        files["one.md"] += box
        files["two.md"] = "# Two\n"
    else:
        files["two.md"] = "# Two\n\n" + box
    result = build(files)
    lines = result.warning_lines()
    assert len(lines) == 1, lines
    assert "duplicate label 'ex-twice'" in lines[0] and "[refinery.duplicate-label]" in lines[0]


# -- EPUB -------------------------------------------------------------------------------------

#: What sphinx-design itself writes into pages of the example lesson: its own inline SVG
#: icons (no SVG namespace, and no "svg" property in the manifest). Not ours to fix.
SPHINX_DESIGN_EPUB_MESSAGES = ("RSC-005", "OPF-014")


def _sphinx_design_pages(outdir) -> set[str]:
    """The pages where sphinx-design draws an icon of its own (class "sd-octicon")."""
    return {path.name for path in outdir.rglob("*.xhtml") if "sd-octicon" in path.read_text(encoding="utf-8")}


def test_epub_has_plain_boxes_without_inline_svg(tmp_path):
    from tests.test_builds import copy_lesson

    result = build_once(copy_lesson(tmp_path / "src"), None, "epub")
    assert result.warning_lines() == [], result.warnings
    page = (result.outdir / "naming.xhtml").read_text(encoding="utf-8")
    assert "Rename the variables" in page and 'class="admonition' in page
    assert "<details" not in page and "refinery-icon" not in page


def test_the_example_lessons_epub_passes_epubcheck(tmp_path):
    import json
    import os
    import shutil
    import subprocess

    from tests.conftest import ON_CI
    from tests.test_builds import copy_lesson

    if shutil.which("epubcheck") is None:
        if ON_CI:
            pytest.fail("epubcheck is missing (apt-get install epubcheck)")
        pytest.skip("epubcheck is not installed")
    result = build_once(copy_lesson(tmp_path / "src"), None, "epub")
    (epub,) = result.outdir.glob("*.epub")
    report = tmp_path / "report.json"
    command = [shutil.which("epubcheck")]
    if command[0].endswith(".jar") or os.path.realpath(command[0]).endswith(".jar"):
        command = ["java", "-jar", os.path.realpath(command[0])]  # Debian's is a bare jar
    subprocess.run([*command, str(epub), "--json", str(report)], capture_output=True, check=False)
    messages = json.loads(report.read_text(encoding="utf-8"))["messages"]
    theirs = _sphinx_design_pages(result.outdir)
    ours = []
    for message in messages:
        if message["severity"] not in ("ERROR", "FATAL", "WARNING"):
            continue
        places = {loc["path"].rsplit("/", 1)[-1] for loc in message["locations"]}
        if message["ID"] in SPHINX_DESIGN_EPUB_MESSAGES and places <= theirs:
            continue
        ours.append((message["ID"], message["message"], sorted(places)))
    assert ours == []


def test_html_icons_carry_the_svg_namespace(build):
    result = build({"index.md": "# L\n\n```{exercise} T\nDo.\n```\n"})
    icons = result.html("index").select("svg.refinery-icon")
    assert icons and all(icon.get("xmlns") == "http://www.w3.org/2000/svg" for icon in icons)


# -- warnings about boxes in included files --------------------------------------------------

@pytest.mark.parametrize("suffix", [".md", ".rst"])
def test_warnings_about_included_boxes_name_the_included_file(build, suffix):
    if suffix == ".md":
        page = "# Ep\n\n```{exercise} Here\n:label: ex-twice\n\nDo.\n```\n\n```{include} part.inc\n```\n"
        part = "Text.\n\nMore.\n\n\n```{exercise} There\n:label: ex-twice\n\nDo.\n```\n\n" \
            "```{solution}\n:exercise: ex-nowhere\n\nDone.\n```\n"
    else:
        page = "Ep\n==\n\n.. exercise:: Here\n   :label: ex-twice\n\n   Do.\n\n.. include:: part.inc\n"
        part = "Text.\n\nMore.\n\n\n.. exercise:: There\n   :label: ex-twice\n\n   Do.\n\n" \
            ".. solution::\n   :exercise: ex-nowhere\n\n   Done.\n"
    files = {
        "conf.py": 'extensions = ["sphinx_refinery"]\nexclude_patterns = ["*.inc"]\n',
        "index" + suffix: page,
        "part.inc": part,
    }
    if suffix == ".rst":
        files["index.md"] = None
    result = build({k: v for k, v in files.items() if v is not None})
    lines = result.warning_lines()
    duplicate = [line for line in lines if "duplicate label" in line]
    solution = [line for line in lines if "no exercise has that label" in line]
    assert len(duplicate) == 1 and len(solution) == 1, lines
    assert "part.inc:6:" in duplicate[0], duplicate
    assert f"part.inc:{12 if suffix == '.md' else 11}:" in solution[0], solution


def test_lesson_metadata_field_names_stay_out_of_the_lessons_pot(build):
    conf = (
        'extensions = ["sphinx_refinery"]\nproject = "Git intro"\nauthor = "Ada"\n'
        'refinery_metadata = {"license": "CC-BY-4.0", "keywords": ["git"]}\n'
    )
    result = build({"conf.py": conf, "index.md": "# Lesson\n\n```{lesson-metadata}\n```\n"}, builder="gettext")
    catalog = result.text("index.pot")
    assert 'msgid "Lesson"' in catalog  # the page's own text is there
    for name in ("Title", "Authors", "Licence", "Keywords"):
        assert f'msgid "{name}"' not in catalog, catalog


# -- Read the Docs ----------------------------------------------------------------------------

RTD_URL = "https://tidy-code.readthedocs.io/en/latest/"


@pytest.mark.parametrize("baseurl", ["", "https://example.org/tidy/"])
def test_read_the_docs_canonical_url_when_the_lesson_sets_none(build, monkeypatch, baseurl):
    import json

    monkeypatch.setenv("READTHEDOCS_CANONICAL_URL", RTD_URL)
    conf = f'extensions = ["sphinx_refinery"]\nproject = "Tidy"\nhtml_baseurl = {baseurl!r}\n'
    result = build({"conf.py": conf, "index.md": "# Tidy\n\nText.\n"})
    expected = baseurl or RTD_URL
    page = result.html("index")
    assert page.find("link", rel="canonical")["href"] == expected + "index.html"
    assert json.loads(result.text("lesson.json"))["lesson"]["url"] == expected
    (ld,) = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    assert ld["url"] == expected


# -- single HTML ------------------------------------------------------------------------------


def test_singlehtml_links_to_boxes_have_one_fragment(build):
    result = build(LINKED, builder="singlehtml")
    assert result.warning_lines() == [], result.warnings
    page = result.html("index")
    links = [a["href"] for a in page.select("a.reference.internal")]
    to_boxes = [link for link in links if "ex-rename" in link or "solution" in link or "exercise" in link]
    assert "#ex-rename" in to_boxes
    assert [link for link in links if link.count("#") > 1] == []
    ids = {element["id"] for element in page.select("[id]")}
    assert {link[1:] for link in to_boxes} <= ids


def test_numbers_differ_between_builders_only_where_only_says_so(tmp_path):
    """docs/exercises.md: numbers count what a build keeps; ``only html`` shifts LaTeX's."""
    files = {
        "conf.py": 'extensions = ["sphinx_refinery"]\nrefinery_number_exercises = True\n',
        "index.md": "# L\n\n```{toctree}\nep\n```\n",
        "ep.md": "# Ep\n\n````{only} html\n:::{exercise} Web only\nW.\n:::\n````\n\n"
        ":::{exercise} Everywhere\nE.\n:::\n",
    }
    html = build_once(tmp_path / "src", files)
    latex = build_once(tmp_path / "src", None, "latex", builddir=tmp_path / "latex")
    assert "Exercise 1.2: Everywhere" in html.text("ep.html")
    assert "Exercise 1.1: Everywhere" in next(latex.outdir.glob("*.tex")).read_text(encoding="utf-8")


# -- a theme's admonition folded with :class: dropdown ----------------------------------------


@pytest.mark.parametrize(
    ("source", "kind", "title", "is_open"),
    [
        ("```{note}\n:class: dropdown\n\nBODY\n```", "note", "Note", False),
        ("```{admonition} Generic\n:class: dropdown toggle-shown\n\nBODY\n```", "toggle-shown", "Generic", True),
    ],
)
def test_a_folded_theme_admonition_keeps_the_themes_markup(build, source, kind, title, is_open):
    """Themes style ``div.admonition`` and its ``p.admonition-title`` (alabaster and furo
    nothing else, pydata a direct child): a folded theme admonition stays exactly that,
    marked for the page script to fold, its body in place."""
    result = build({"index.md": f"# Page\n\n{source}\n"})
    assert result.warning_lines() == [], result.warnings
    page = result.html()
    assert page.select("details") == []  # our <details> look is for lesson boxes
    (box,) = page.select(f"div.admonition.{kind}")
    assert {"dropdown", "refinery-dropdown"} <= set(box["class"])
    assert ("refinery-dropdown-open" in box["class"]) is is_open
    first = box.find(True, recursive=False)
    assert first.name == "p" and first["class"] == ["admonition-title"]
    assert first.get_text(strip=True) == title and "BODY" in box.get_text()


# -- lessons that still list what sphinx-refinery replaces -----------------------------------

def _needs(module: str) -> None:
    """An extension of the test extra: missing, the test skips, except on CI."""
    import importlib.util

    from tests.conftest import ON_CI

    if importlib.util.find_spec(module) is None:
        if ON_CI:
            pytest.fail(f"{module} is missing (pip install -e '.[test]')")
        pytest.skip(f"{module} is not installed")


TOGGLE_PAGE = """\
# Ep

```{exercise} Task
Do.
```

```{solution}
Done.
```

```{toggle} More about it
Hidden.
```
"""


@pytest.mark.parametrize("order", ["after", "before"])
def test_sphinx_togglebutton_is_reported_and_solutions_keep_working(build, order):
    _needs("sphinx_togglebutton")
    listed = ["sphinx_refinery", "sphinx_togglebutton"]
    if order == "before":
        listed.reverse()
    conf = f"extensions = {listed!r}\n"
    result = build({"conf.py": conf, "index.md": TOGGLE_PAGE})
    lines = result.warning_lines()
    assert len(lines) == 1, lines  # ours; not Sphinx's "already registered"
    assert "conf.py:1: WARNING: conf.py lists 'sphinx_togglebutton'" in lines[0]
    assert "[refinery.replaced-extension]" in lines[0]
    page = result.html()
    titles = [t.get_text(" ", strip=True) for t in page.select(".admonition-title")]
    assert titles == ["Task", "Solution", "More about it"]
    assert page.select_one("details.admonition.solution") is not None
    assert page.select_one("details.admonition.toggle") is not None
    # Its script selects nothing: no second button, nothing hidden after "Expand all".
    scripts = " ".join(s.get_text() for s in page.find_all("script"))
    assert "var togglebuttonSelector = '.refinery-not-for-togglebutton';" in scripts


def test_a_lessons_copybutton_settings_keep_working(build):
    conf = 'extensions = ["sphinx_refinery"]\ncopybutton_prompt_text = "MYPROMPT> "\n'
    result = build({"conf.py": conf, "index.md": "# L\n\n```bash\nMYPROMPT> ls\n```\n"})
    assert result.warning_lines() == [], result.warnings
    assert "MYPROMPT> " in result.text("_static/copybutton.js")


TABS_PAGE = """\
# Ep

````{tabs}
```{tab} One
First.
```
```{tab} Two
Second.
```
````
"""


@pytest.mark.parametrize("order", ["after", "before"])
def test_sphinx_tabs_is_reported_and_tabs_stay_ours(build, order):
    _needs("sphinx_tabs")
    listed = ["sphinx_refinery", "sphinx_tabs.tabs"]
    if order == "before":
        listed.reverse()
    result = build({"conf.py": f"extensions = {listed!r}\n", "index.md": TABS_PAGE})
    lines = result.warning_lines()
    assert len(lines) == 1, lines
    assert "conf.py lists 'sphinx_tabs.tabs'" in lines[0] and "[refinery.replaced-extension]" in lines[0]
    page = result.html()
    assert page.select_one(".sd-tab-set") is not None  # sphinx-refinery's tab sets
    assert page.select_one(".sphinx-tabs") is None
