"""Hostile and unusual input: each case failed before its fix (issue 15)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

import sphinx_refinery
from sphinx_refinery.commands.cli import main
from tests.conftest import write_sources
from tests.test_timing import LESSON

PACKAGE = Path(sphinx_refinery.__file__).parent

# -- JSON in HTML goes through one helper ----------------------------------------------------

#: Modules that write JSON for the command line or into files of its own, never into HTML:
#: the commands' output, lesson.json, a lesson read in a subprocess, and the rendered boxes
#: that lists reuse.
JSON_FOR_THE_TERMINAL = {
    "commands/schedule.py",
    "workshops/report.py",
    "check/report.py",
    "workshops/manifest.py",
    "views/list_html.py",
    "workshops/reader.py",
    "check/cache.py",  # the checker's cache files, never a page
    "extensions/source_scan.py",  # the scan's cache in the doctree folder, never a page
}


def _modules() -> dict[str, str]:
    return {
        path.relative_to(PACKAGE).as_posix(): path.read_text(encoding="utf-8")
        for path in PACKAGE.rglob("*.py")
    }


def test_json_reaches_html_only_through_the_helper():
    modules = _modules()
    dumping = {name for name, text in modules.items() if re.search(r"\bjson\.dumps?\(", text)}
    assert dumping - JSON_FOR_THE_TERMINAL == set()
    scripts = {name for name, text in modules.items() if "<script" in text}
    assert scripts <= {"util/htmljson.py"}
    # Sphinx writes an add_js_file body into the page as it is.
    for name, text in modules.items():
        if re.search(r"add_js_file\([^)]*body=", text):
            assert "html_json" in text, name


HOSTILE_TEXT = "HTML comments start with <!-- and scripts with <script> or </script>"


def test_script_text_in_title_and_metadata_leaves_the_page_intact(build):
    conf = (
        'extensions = ["sphinx_refinery"]\n'
        f"project = {HOSTILE_TEXT!r}\n"
        f"refinery_metadata = {{'description': {HOSTILE_TEXT!r}, 'keywords': ['<!--', '&amp;']}}\n"
    )
    body = "The body text is still here."
    result = build({"conf.py": conf, "index.md": f"# Page\n\n{body}\n"})
    soup = result.html()
    main = soup.select_one("[role=main]") or soup.body
    assert body in main.get_text(" ", strip=True)
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["name"] == HOSTILE_TEXT and data["description"] == HOSTILE_TEXT
    assert data["keywords"] == ["<!--", "&amp;"]
    config = soup.find("script", id="sphinx-refinery-config")
    assert config is not None and json.loads(config.string)["labels"]
    raw = result.text("index.html")
    assert "<!-- and" not in raw.split("<body", 1)[0]


def test_html_json_escapes_what_ends_a_script():
    from sphinx_refinery.util.htmljson import html_json, script_element

    text = html_json({"a": "</script><!--<script>&'"})
    assert not set("<>&'") & set(text)
    assert json.loads(text) == {"a": "</script><!--<script>&'"}
    element = script_element([1], "application/json", id='x"y')
    assert element == '<script type="application/json" id="x&quot;y">[1]</script>'


# -- timing: ASCII digits, page names, unquoted times ----------------------------------------



def _schedule_index(options: str) -> str:
    return f"# Lesson\n\n```{{schedule}}\n{options}\n```\n\n```{{toctree}}\nfirst\nsecond\n```\n"


@pytest.mark.parametrize("value", ["5²", "①", "٣"])
def test_unicode_digits_in_front_matter_warn_with_location(build, value):
    result = build({**LESSON, "first.md": f"---\nteaching: {value}\n---\n# First\n"})
    assert f"first.md:1: WARNING: teaching: {value!r} is not a whole number of minutes" in result.warnings
    assert (result.outdir / "first.html").exists()


def test_unicode_digits_in_breaks_warn_with_location(build):
    result = build({**LESSON, "index.md": _schedule_index(":breaks: first 5²")})
    assert "index.md:3: WARNING: :breaks: 'first 5²' should be a page and whole minutes" in result.warnings


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (":breaks: frist 10", ":breaks: no page 'frist' in the lesson's toctree; did you mean 'first'?"),
        (":days: secnod 13:00", ":days: no page 'secnod' in the lesson's toctree; did you mean 'second'?"),
        (":breaks: untimed 10", ":breaks: the break after 'untimed' is left out of the schedule"),
    ],
)
def test_schedule_page_typos_warn(build, options, expected):
    files = {
        **LESSON,
        "index.md": _schedule_index(options).replace("second\n```", "second\nuntimed\n```"),
        "untimed.md": "# Untimed\n",
    }
    result = build(files)
    assert f"index.md:3: WARNING: {expected}" in result.warnings, result.warnings
    assert "[refinery.schedule-page]" in result.warnings


def test_schedule_page_typos_in_check_and_schedule(tmp_path, capsys):
    lesson = tmp_path / "lesson"
    write_sources(lesson, {**LESSON, "index.md": _schedule_index(":breaks: frist 10")})
    assert main(["check", str(lesson), "--select", "schedule-page"]) == 0
    out = capsys.readouterr().out
    assert "index.md:4:1: warning [schedule-page]" in out and "did you mean 'first'?" in out and "schedule-page" in out
    assert main(["schedule", str(lesson), "--days", "secnod 13:00"]) == 0
    err = capsys.readouterr().err
    assert "warning: :breaks: no page 'frist'" in err
    assert "warning: :days: no page 'secnod' in the lesson's toctree; did you mean 'second'?" in err


def test_schedule_command_rejects_unicode_digits(tmp_path, capsys):
    lesson = tmp_path / "lesson"
    write_sources(lesson, LESSON)
    assert main(["schedule", str(lesson), "--breaks", "first 5²"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "should be a page and whole minutes" in err


def test_unquoted_start_time_is_explained(build, tmp_path, capsys):
    first = "---\nteaching: 5\nday: 2\nstart: 13:00\n---\n# First\n"
    result = build({**LESSON, "first.md": first})
    expected = 'YAML reads an unquoted 13:00 as the number 780'
    assert expected in result.warnings and 'start: "13:00"' in result.warnings
    assert "'780' is not a time of day" not in result.warnings
    lesson = tmp_path / "lesson"
    write_sources(lesson, {**LESSON, "first.md": first})
    assert main(["check", str(lesson), "--select", "timing-value"]) == 1
    out = capsys.readouterr().out
    assert expected in out and 'start: "13:00"' in out


# -- commands that crashed ------------------------------------------------------------------


@pytest.fixture
def lesson_dir(tmp_path):
    write_sources(tmp_path / "lesson", LESSON)
    return tmp_path / "lesson"


@pytest.mark.parametrize("target", ["missing/out.txt", "."], ids=["missing-folder", "a-folder"])
def test_schedule_output_that_cannot_be_written(lesson_dir, tmp_path, capsys, target):
    assert main(["schedule", str(lesson_dir), "-o", str(tmp_path / target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sphinx-refinery schedule: error: cannot write") and err.count("\n") == 1


def test_schedule_with_a_conf_py_that_raises(tmp_path, capsys):
    lesson = tmp_path / "lesson"
    write_sources(lesson, {**LESSON, "conf.py": LESSON["conf.py"] + "raise RuntimeError('boom here')\n"})
    assert main(["schedule", str(lesson)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "boom here" in err and "Traceback" not in err


@pytest.mark.parametrize("command", ["schedule", "migrate"])
def test_an_empty_path_is_an_error(tmp_path, monkeypatch, capsys, command):
    write_sources(tmp_path, {**LESSON, "conf.py": 'extensions = ["sphinx_lesson"]\n'})
    monkeypatch.chdir(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert main([command, ""]) == 2
    err = capsys.readouterr().err
    assert "empty" in err and err.count("\n") == 1
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_dry_run_into_a_closed_pipe(tmp_path):
    """``migrate --dry-run X | head -1``: the reader stops early; no traceback."""
    import subprocess
    import sys

    write_sources(tmp_path / "lesson", {"conf.py": 'extensions = ["sphinx_lesson"]\n', **{
        f"page{n}.md": "# P\n\n> ## Task\n> Body.\n{: .challenge}\n" for n in range(40)
    }})
    code = (
        "import sys; from sphinx_refinery.commands.cli import main; "
        "sys.exit(main(['migrate', '--dry-run', sys.argv[1]]))"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path / "lesson")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    proc.stdout.readline()
    proc.stdout.close()  # as head does after its lines
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert proc.returncode in (0, 1)


# -- migrate: links, read-only files, titles -------------------------------------------------

KRAMDOWN_PAGE = "# T\n\n> ## Solution\n> Body.\n{: .solution}\n"
GUIDE = "# Guide\n\n```{csv-table}\n:delim: ;\n10 min ; {doc}`page`\n```\n"


def _lesson_with(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "lesson"
    write_sources(root, {"content/conf.py": 'extensions = ["sphinx_lesson"]\n', **files})
    return root


def test_migrate_leaves_a_linked_page_alone_and_says_so_once(tmp_path, capsys):
    root = _lesson_with(tmp_path, {"content/episodes/real.md": KRAMDOWN_PAGE, "content/guide.md": GUIDE})
    link = root / "content" / "page.md"
    link.symlink_to("episodes/real.md")
    target = root / "content" / "episodes" / "real.md"
    assert main(["migrate", "--force", str(root)]) == 0
    out = capsys.readouterr().out
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert "{solution}" in target.read_text()  # migrated as itself, once
    assert "teaching" not in target.read_text()  # not through the link
    assert out.count("content/page.md") == 1
    assert "content/page.md: a symbolic link: left alone" in out


def test_migrate_asks_for_force_on_read_only_files(tmp_path, capsys, monkeypatch):
    root = _lesson_with(tmp_path, {"content/page.md": KRAMDOWN_PAGE})
    page = root / "content" / "page.md"
    page.chmod(0o444)
    # What a user other than root is told; root may write any file, so ask as such a user.
    access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: access(path, mode) and not (
            mode & os.W_OK and Path(path) == page
        )
    )
    assert main(["migrate", str(root)]) == 1
    err = capsys.readouterr().err
    assert "refusing to change read-only files" in err and "content/page.md" in err
    assert page.read_text() == KRAMDOWN_PAGE
    assert main(["migrate", "--dry-run", str(root)]) == 0
    assert "a real run would refuse (without --force): read-only files" in capsys.readouterr().out
    assert main(["migrate", "--force", str(root)]) == 0
    assert "{solution}" in page.read_text()
    assert not page.stat().st_mode & 0o222  # still read-only


def test_migrate_writes_files_the_user_may_write_whatever_their_bits(tmp_path, capsys, monkeypatch):
    """Root may write a chmod a-w file: copies of a read-only corpus migrate as usual."""
    root = _lesson_with(tmp_path, {"content/page.md": KRAMDOWN_PAGE})
    page = root / "content" / "page.md"
    page.chmod(0o444)
    monkeypatch.setattr(os, "access", lambda path, mode: True)
    assert main(["migrate", str(root)]) == 0
    assert "{solution}" in page.read_text()
    assert not page.stat().st_mode & 0o222  # its mode is kept


@pytest.mark.parametrize("suffix", [".md", ".rst"])
def test_a_title_repeating_the_kind_is_the_default_title(build, suffix):
    if suffix == ".md":
        page = "# Ep\n\n```{exercise} Exercise\nDo.\n```\n\n```{solution} solution\nDone.\n```\n"
    else:
        page = "Ep\n==\n\n.. exercise:: Exercise\n\n   Do.\n\n.. solution:: Solution\n\n   Done.\n"
    files = {
        "conf.py": 'extensions = ["sphinx_refinery"]\nrefinery_number_exercises = True\n',
        "index.md": "# L\n\n```{toctree}\nep\n```\n",
        "ep" + suffix: page,
    }
    titles = [t.get_text(" ", strip=True) for t in build(files).html("ep").select(".admonition-title, summary")]
    assert "Exercise 1.1" in titles
    assert any(t.startswith("Solution to Exercise 1.1") and not t.endswith(("Solution", "solution")) for t in titles)


# -- {numref} as Sphinx's --------------------------------------------------------------------

NUMREF_PAGE = """\
# Ep

```{{exercise}} Rename files
:label: ex

Do.
```

A: {{numref}}`See {{name}} <ex>`. B: {{numref}}`Task %s <ex>`. C: {{numref}}`Task {{number}}: {{name}} <ex>`.
D: {{numref}}`ex`. E: {{numref}}`Task <ex>`.
"""


def _numref_build(build, numbered: bool):
    conf = f'extensions = ["sphinx_refinery"]\nrefinery_number_exercises = {numbered}\n'
    files = {"conf.py": conf, "index.md": "# L\n\n```{toctree}\nep\n```\n", "ep.md": NUMREF_PAGE.format()}
    result = build(files)
    paragraph = result.html("ep").find(string=re.compile("^A: ")).parent
    return result, paragraph.get_text("", strip=False)


def test_numref_follows_sphinx(build):
    result, text = _numref_build(build, True)
    assert "A: See Rename files." in text
    assert "B: Task 1.1." in text
    assert "C: Task 1.1: Rename files." in text
    assert "D: Exercise 1.1." in text
    assert "E: Task." in text  # as written, with a warning: no place for the number
    assert "invalid numref text 'Task'" in result.warnings
    assert result.warnings.count("[refinery.numref]") == 1


def test_numref_without_numbers_warns(build):
    result, text = _numref_build(build, False)
    assert "B: Task %s." in text  # as Sphinx leaves it, never silently "Task "
    lines = [line for line in result.warning_lines() if "[refinery.numref]" in line]
    assert len(lines) == 5
    assert all("ep.md:9" in line or "ep.md:10" in line for line in lines), lines
    assert all("no number is assigned to 'ex'" in line for line in lines)


# -- only:: as Sphinx's ----------------------------------------------------------------------

ONLY_MD = """\
---
teaching: 10
---
# Ep

```{exercise} Open
:time: 5

Open task.
```

```{only} instructor
:::{exercise} Secret
:label: ex-secret
:time: 20

Secret task.

::::{solution}
SECRET-ANSWER
::::
:::
```

```{exercise} Last
:time: 5

Last task.
```

See {ref}`ex-secret`.
"""

ONLY_RST = """\
:teaching: 10

Ep
==

.. exercise:: Open
   :time: 5

   Open task.

.. only:: instructor

   .. exercise:: Secret
      :label: ex-secret
      :time: 20

      Secret task.

      .. solution::

         SECRET-ANSWER

.. exercise:: Last
   :time: 5

   Last task.

See :ref:`ex-secret`.
"""


def _only_lesson(suffix: str) -> dict[str, str]:
    return {
        "conf.py": 'extensions = ["sphinx_refinery"]\nrefinery_number_exercises = True\n',
        "index.md": "# L\n\n```{schedule}\n```\n\n```{toctree}\nep\nlist\n```\n",
        "ep" + suffix: ONLY_MD if suffix == ".md" else ONLY_RST,
        "list.md": "# List\n\n```{exerciselist}\n```\n",
    }


@pytest.mark.parametrize("suffix", [".md", ".rst"])
def test_only_is_honoured_by_lists_numbers_references_and_schedule(build, suffix):
    result = build(_only_lesson(suffix))
    ep, listing = result.html("ep"), result.html("list")
    assert "Secret task" not in ep.get_text() and "SECRET-ANSWER" not in listing.get_text()
    assert "Secret task" not in listing.get_text()
    titles = [t.get_text(" ", strip=True) for t in ep.select(".admonition-title")]
    assert titles == ["Exercise 1.1: Open (5 min)", "Exercise 1.2: Last (5 min)"]
    assert not [a for a in ep.find_all("a", href=True) if "ex-secret" in a["href"]]  # no dead link
    cells = [td.get_text(" ", strip=True) for td in result.html("index").select("table td")]
    assert "20 min" in cells  # 10 teaching + 2 x 5 exercise minutes, not the guarded 20

    # The same sources with the tag, in the same build folder: the page is read again.
    tagged = build(None, tags=["instructor"])
    ep, listing = tagged.html("ep"), tagged.html("list")
    assert "SECRET-ANSWER" in listing.get_text()
    titles = [t.get_text(" ", strip=True) for t in ep.select(".admonition-title")]
    assert titles[:2] == ["Exercise 1.1: Open (5 min)", "Exercise 1.2: Secret (20 min)"]
    assert "Exercise 1.3: Last (5 min)" in titles
    assert [a for a in ep.find_all("a", href=True) if a["href"].endswith("#ex-secret")]
    cells = [td.get_text(" ", strip=True) for td in tagged.html("index").select("table td")]
    assert "40 min" in cells


# -- hidden editions publish nothing of what they hide ---------------------------------------

HIDDEN_WORDS = ("SOLTITLE-HIDDEN", "SOLBODY-HIDDEN", "NOTETITLE-HIDDEN", "NOTEBODY-HIDDEN",
                "FOOTNOTE-HIDDEN", "TARGET-HIDDEN", "SUBST-HIDDEN")
HIDDEN_PAGE_MD = """\
# Ep

```{exercise} Task
:label: ex1
Do it.
```

```{solution} SOLTITLE-HIDDEN
:label: sol1
SOLBODY-HIDDEN[^f1] and [a link](https://example.org/TARGET-HIDDEN).

[^f1]: FOOTNOTE-HIDDEN
```

```{instructor-note} NOTETITLE-HIDDEN
:label: note1
NOTEBODY-HIDDEN
```

See {ref}`sol1` and {ref}`note1`.
"""
HIDDEN_PAGE_RST = """\
Ep
==

.. exercise:: Task
   :label: ex1

   Do it.

.. solution:: SOLTITLE-HIDDEN
   :label: sol1

   SOLBODY-HIDDEN [#f1]_ `target-hidden <https://example.org/TARGET-HIDDEN>`_ |subst|

   .. [#f1] FOOTNOTE-HIDDEN

   .. |subst| replace:: SUBST-HIDDEN

.. instructor-note:: NOTETITLE-HIDDEN
   :label: note1

   NOTEBODY-HIDDEN

See :ref:`sol1` and :ref:`note1`.
"""
HIDDEN_EDITION = {"refinery_solutions": "hidden", "refinery_instructor_notes": "hidden"}


def _files_containing(folder: Path, words: tuple[str, ...]) -> dict[str, list[str]]:
    """Every file below ``folder`` with any of ``words`` (objects.inv decompressed)."""
    import zlib

    found = {}
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.name == "objects.inv":
            data = zlib.decompress(data.split(b"\n", 4)[4])
        hits = [word for word in words if word.encode() in data]
        if hits:
            found[str(path.relative_to(folder))] = hits
    return found


@pytest.mark.parametrize("suffix", [".md", ".rst"])
def test_a_hidden_edition_publishes_nothing_it_hides(build, tmp_path, suffix):
    files = {
        "conf.py": 'extensions = ["sphinx_refinery"]\nrefinery_number_exercises = True\n',
        "index.md": "# L\n\n```{toctree}\nep\nlist\nguide\n```\n",
        "ep" + suffix: HIDDEN_PAGE_MD if suffix == ".md" else HIDDEN_PAGE_RST,
        "list.md": "# List\n\n```{exerciselist}\n```\n",
        "guide.md": "# Guide\n\n```{instructor-guide}\n```\n",
    }
    full = build(files)
    assert (full.outdir / "_sources" / f"ep{suffix}.txt").exists()  # the edition with everything
    # The hidden edition, built into the same folders: nothing of it may remain anywhere.
    hidden = build(None, confoverrides=HIDDEN_EDITION)
    build_root = tmp_path / "build"  # holds the output folder and the doctrees
    assert _files_containing(build_root, HIDDEN_WORDS) == {}
    ep = hidden.html("ep")
    assert "Do it." in ep.get_text()  # what is not hidden stays
    assert not ep.select('a[href*="_sources"]')
    assert (hidden.outdir / "_sources" / "index.md.txt").exists()  # pages hiding nothing keep theirs


# -- metadata: no placeholders, a checked CITATION.cff ---------------------------------------


def test_no_placeholder_author_or_title(build):
    # No project, no author: only the citation file's keywords and licence are facts.
    citation = "cff-version: 1.2.0\nkeywords:\n  - git\nlicense: CC-BY-4.0\n"
    result = build({"index.md": "# L\n\n```{lesson-metadata}\n```\n", "CITATION.cff": citation})
    # (The theme's own footer and <title> show Sphinx's placeholders: not ours to change.)
    script = result.html().find("script", type="application/ld+json").string
    assert "not set" not in script and "author" not in json.loads(script)
    assert json.loads(script)["keywords"] == ["git"]
    shown = result.html().select_one(".refinery-lesson-metadata")
    names = [name.get_text(strip=True).rstrip(":") for name in shown.select("dt")]
    assert names == ["Licence", "Keywords"], shown
    assert "not set" not in shown.get_text() and "git" in shown.get_text()


MALFORMED_CFF = """\
cff-version: 1.2.0
title:
  - One
  - Two
keywords: git, python
authors:
  - name: Ada
"""


def test_malformed_citation_file_warns_and_is_not_published_as_is(build):
    result = build({"index.md": "# L\n\n```{lesson-metadata}\n```\n", "CITATION.cff": MALFORMED_CFF})
    cff = result.srcdir / "CITATION.cff"
    assert f"{cff}:2: WARNING: title should be text, not ['One', 'Two']: left out" in result.warnings
    assert f"{cff}:5: WARNING: keywords should be a list, not 'git, python'" in result.warnings
    assert result.warnings.count("[refinery.metadata]") == 2  # once per build, not per page
    data = json.loads(result.html().find("script", type="application/ld+json").string)
    assert data["keywords"] == ["git", "python"]
    assert "One" not in data.get("name", "") and [a["name"] for a in data["author"]] == ["Ada"]
    shown = result.html().select_one(".refinery-lesson-metadata").get_text(" ", strip=True)
    assert "git, python" in shown and "['One'" not in shown


def test_only_and_hidden_editions_build_the_same_in_parallel(build, tmp_path):
    files = _only_lesson(".md")
    files["ep2.md"] = HIDDEN_PAGE_MD.replace("# Ep", "# Ep two").replace("ex1", "ex9")
    files["index.md"] = files["index.md"].replace("ep\nlist", "ep\nep2\nlist")
    pages = ("ep", "ep2", "list", "index")
    outputs = []
    for parallel in (1, 2):
        result = build(files, parallel=parallel, confoverrides=HIDDEN_EDITION,
                       builddir=tmp_path / f"build-{parallel}")
        outputs.append({page: result.text(f"{page}.html") for page in pages})
    assert outputs[0] == outputs[1]
    assert "SOLBODY-HIDDEN" not in "".join(outputs[0].values())


def test_schedule_command_counts_what_the_html_shows(tmp_path, capsys):
    lesson = tmp_path / "lesson"
    page = "---\nteaching: 10\n---\n# First\n\n```{only} html\n:::{exercise}\n:time: 7\nDo.\n:::\n```\n"
    write_sources(lesson, {**LESSON, "first.md": page})
    assert main(["schedule", str(lesson), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert rows[0]["minutes"] == 17
