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
