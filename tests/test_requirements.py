"""migrate's requirement files, one rewriter call at a time (no lesson on disk).

Fast on purpose: ``nox -s mutants`` runs them against every mutant of
``migrate/requirements.py``. Names are compared with ``packaging``'s answers, rewritten
files read back with ``tomllib`` and ``packaging``; the whole-lesson cases are in
tests/migrate_cases/ (test_migrate.py).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from sphinx_refinery.migrate import requirements as req
from sphinx_refinery.migrate.context import Context
from sphinx_refinery.migrate.files import SourceFile

ROOT = Path("/lesson")


def rewrite(name: str, text: str, *, notebooks: bool = False, needed: tuple[str, ...] = ()):
    ctx = Context(root=ROOT, notebooks=notebooks, needed=list(needed))
    source = SourceFile(ROOT / name, text.encode("utf-8"))
    req.rewrite_requirements(source, ctx)
    assert all(note.path == source.path for note in ctx.notes)  # each note names the file
    return source.text, source.changes, [(note.line, note.message) for note in ctx.notes]


# -- names, markers, comments ---------------------------------------------------------------


@settings(max_examples=100, derandomize=True, deadline=None)
@given(st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,12}[A-Za-z0-9])?", fullmatch=True))
def test_names_are_compared_as_pip_compares_them(name):
    assert req.normalise_name(name) == canonicalize_name(name)
    assert req.requirement_name(name) == canonicalize_name(name)
    assert req.requirement_name(f"  {name}[extra] >=1.0, <2 ; python_version >= '3.11'  ") == canonicalize_name(name)
    assert req.requirement_name(f"{name}=1.0", conda=True) == canonicalize_name(name)
    assert req.requirement_name(f"conda-forge::{name} >=1.0", conda=True) == canonicalize_name(name)


@pytest.mark.parametrize(
    "spec",
    ["", "   ", "-r other.txt", "--index-url x", "-e .", "https://example.org/sphinx-lesson.zip",
     "git+https://example.org/sphinx-lesson.git", "file:///lesson/pkg", "git+ssh://git@example.org/sphinx-lesson",
     "-e git+https://example.org/x.git#egg=sphinx-lesson", "HTTPS://example.org/sphinx-lesson.zip"],
)
def test_lines_that_name_no_requirement(spec):
    assert req.requirement_name(spec) is None
    assert req.requirement_name(spec, conda=True) is None


@pytest.mark.parametrize("spec", ["-name", "name-", ".name", "::name", "", "==1.0", "name/other"])
def test_conda_specs_that_are_no_package(spec):
    assert req.requirement_name(spec, conda=True) is None


@pytest.mark.parametrize(
    ("spec", "marker"),
    [
        ("  sphinx-lesson>=0.8 ; python_version < '3.12'  ", " ; python_version < '3.12'"),
        ("sphinx-lesson;python_version<'3.12'", ";python_version<'3.12'"),
        ("not a requirement ; x", ""),
        # a semicolon in the URL is the URL's: the marker is after the last one
        ("sphinx-lesson @ https://example.org/a;b.zip ; os_name == 'nt'", " ; os_name == 'nt'"),
    ],
)
def test_markers_are_kept_as_written(spec, marker):
    assert req.requirement_marker(spec) == marker
    if marker:
        assert Requirement("x" + marker).marker == Requirement(spec.strip()).marker


@settings(max_examples=100, derandomize=True, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab #\t=")), max_size=12))
def test_comments_are_split_as_pip_splits_them(line):
    code, comment = req.split_comment(line)
    assert code + comment == line
    # pip: a "#" at the start of the line, or after whitespace, starts a comment.
    starts = [i for i, char in enumerate(line) if char == "#" and (i == 0 or line[i - 1] in " \t")]
    if starts:
        assert code == line[: starts[0]].rstrip()
        assert comment.lstrip(" \t").startswith("#")
    else:
        assert (code, comment) == (line, "")


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("sphinx-lesson", True), ("sphinx_lesson", True), ("Sphinx.Lesson", True), ("SPHINX-LESSON>=1", True),
        ("git+https://example.org/coderefinery/sphinx-lesson.git", True), ("sphinx-lesson/", True),
        ("sphinx-lesson-template", False), ("sphinx_lessontemplate", False), ("sphinx-lesson-extra", False),
        ("sphinx-lessons", False), ("sphinxlesson", False), ("sphinx-lesson2", False), ("sphinx lesson", False),
    ],
)
def test_what_mentions_sphinx_lesson(text, mentions):
    assert req.mentions_lesson(text) is mentions
    assert req.mentions_lesson(f"pip install {text} # and more") is mentions


def test_line_of():
    text = "first\nSecond = 1\n  second = 2\n"
    assert req.line_of(text, r"^second") == 2  # each line's start, any case
    assert req.line_of(text, r"^\s*second = 2") == 3
    assert req.line_of(text, "first") == 1
    assert req.line_of(text, "third") is None
    assert req.line_of("\nfirst", "first") == 2  # a file that starts with an empty line


@pytest.mark.parametrize(
    ("name", "rewritten"),
    [
        ("requirements.txt", True), ("Requirements-docs.TXT", True), ("requirements_dev.txt", True),
        ("environment.yml", True), ("environment-docs.yaml", True), ("ENVIRONMENT.YML", True),
        ("pyproject.toml", True), ("PyProject.toml", True),
        ("requirements.txt.bak", False), ("my-requirements.txt", False), ("requirements.in", False),
        ("environment.json", False), ("conda-environment.yml", False), ("setup.cfg", False),
    ],
)
def test_which_files_are_requirement_files(name, rewritten):
    assert req.is_requirements(Path("lesson") / name) is rewritten


# -- requirements.txt --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "options", "after"),
    [
        ("sphinx-lesson\nsphinx\n", {}, "sphinx-refinery\nsphinx\n"),
        ("sphinx-lesson\n", {"notebooks": True}, "sphinx-refinery[notebooks]\n"),
        ("Sphinx_Lesson>=0.8 ; python_version >= '3.11'  # the look\n", {},
         "sphinx-refinery ; python_version >= '3.11'  # the look\n"),
        ("  sphinx-lesson\n", {}, "  sphinx-refinery\n"),
        ("sphinx\nsphinx-tabs\nsphinx-lesson\nsphinx-togglebutton==0.3  # toggles\n", {}, "sphinx\nsphinx-refinery\n"),
        ("sphinx-lesson\n", {"needed": ("sphinx-copybutton", "myst-parser")},
         "sphinx-refinery\nsphinx-copybutton\nmyst-parser\n"),
        ("  sphinx-lesson\nmyst_parser\n", {"needed": ("sphinx-copybutton", "myst-parser")},
         "  sphinx-refinery\n  sphinx-copybutton\nmyst_parser\n"),
        ("sphinx-refinery\nsphinx-lesson\nsphinx-tabs\n", {"needed": ("sphinx-copybutton",)}, "sphinx-refinery\n"),
        ("# docs\n\nsphinx-lesson  # look\n-r base.txt\n", {}, "# docs\n\nsphinx-refinery  # look\n-r base.txt\n"),
        # Nothing of sphinx-lesson: nothing changes, not even what it replaced.
        ("sphinx\nsphinx-tabs\n", {"needed": ("sphinx-copybutton",)}, "sphinx\nsphinx-tabs\n"),
        ("sphinx-lesson-template\n", {}, "sphinx-lesson-template\n"),
    ],
)
def test_requirements_txt(before, options, after):
    text, changes, notes = rewrite("requirements.txt", before, **options)
    assert text == after
    assert notes == []
    assert bool(changes) == (before != after)


def test_what_a_requirements_txt_rewrite_reports():
    _text, changes, _notes = rewrite("requirements.txt", "sphinx\nsphinx-lesson>=0.8\nsphinx-tabs\n",
                                     needed=("sphinx-copybutton",))
    assert changes == [
        "line 2: sphinx-lesson>=0.8 -> sphinx-refinery",
        "line 2: added sphinx-copybutton (conf.py uses it; sphinx-lesson used to install it)",
        "line 3: dropped sphinx-tabs (no longer needed)",
    ]
    _text, changes, _notes = rewrite("requirements.txt", "sphinx-refinery\n  sphinx-lesson  # old\n")
    assert changes == ["line 2: dropped sphinx-lesson (sphinx-refinery is listed)"]


def test_a_second_sphinx_lesson_line_is_dropped():
    text, changes, _notes = rewrite("requirements.txt", "sphinx-lesson\nsphinx-lesson>=0.8\n", needed=("a-b",))
    assert text == "sphinx-refinery\na-b\n"
    assert len(changes) == 3


@pytest.mark.parametrize(
    ("before", "notes"),
    [
        ("git+https://example.org/sphinx-lesson.git\n", [(1, "installs sphinx-lesson from a URL: left alone")]),
        ("sphinx\ngit+https://example.org/sphinx-lesson.git@main  # pinned\n",
         [(2, "installs sphinx-lesson from a URL: left alone")]),
        ("git+https://example.org/sphinx-lesson-template.git\n", []),
        ("https://example.org/other.zip\n", []),
    ],
)
def test_a_url_install_is_reported_and_left_alone(before, notes):
    text, changes, found = rewrite("requirements.txt", before)
    assert (text, changes, found) == (before, [], notes)


def test_a_url_install_beside_a_named_one():
    before = "sphinx-lesson\ngit+https://example.org/sphinx-lesson.git\n"
    text, _changes, notes = rewrite("requirements.txt", before)
    assert text == "sphinx-refinery\ngit+https://example.org/sphinx-lesson.git\n"
    assert notes == [(2, "installs sphinx-lesson from a URL: left alone")]


# -- environment.yml ---------------------------------------------------------------------------

ENVIRONMENT = """\
name: lesson
dependencies:
  - python=3.11
  - sphinx-tabs
  - pip  # for the rest
  - pip:   # from PyPI
      # the lesson's look
      - "sphinx-lesson>=0.8"

      - sphinx-togglebutton
      - 'myst-parser'  # markdown
  - sphinx-lesson=0.8
  - conda-forge::sphinx-togglebutton
"""


def test_environment_yml():
    text, changes, notes = rewrite("environment.yml", ENVIRONMENT, needed=("sphinx-copybutton",))
    assert text == """\
name: lesson
dependencies:
  - python=3.11
  - pip  # for the rest
  - pip:   # from PyPI
      # the lesson's look
      - "sphinx-refinery"
      - "sphinx-copybutton"

      - 'myst-parser'  # markdown
  - sphinx-lesson=0.8
"""
    # conda's sphinx-lesson is reported, not replaced: sphinx-refinery is on PyPI only.
    assert notes == [(12, "sphinx-lesson as a conda package (sphinx-refinery is on PyPI): left alone")]
    assert changes == [
        "line 4: dropped sphinx-tabs (no longer needed)",
        'line 8: "sphinx-lesson>=0.8" -> "sphinx-refinery"',
        "line 8: added sphinx-copybutton (conf.py uses it; sphinx-lesson used to install it)",
        "line 10: dropped sphinx-togglebutton (no longer needed)",
        "line 13: dropped conda-forge::sphinx-togglebutton (no longer needed)",
    ]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("dependencies:\n- pip:\n  - sphinx-lesson\n", "dependencies:\n- pip:\n  - sphinx-refinery\n"),
        ("dependencies:\n\t- pip:\n\t\t- 'sphinx-lesson'\n", "dependencies:\n\t- pip:\n\t\t- 'sphinx-refinery'\n"),
        ("dependencies:\n- pip:\n  - \"sphinx-lesson ; python_version >= '3.11'\"  # look\n",
         "dependencies:\n- pip:\n  - \"sphinx-refinery ; python_version >= '3.11'\"  # look\n"),
        # the pip list ends where a line is no deeper than "- pip:"
        ("dependencies:\n  - pip:\n    - sphinx\n  - sphinx-lesson\n", None),
        ("dependencies:\n  - pip:\n    - sphinx-lesson\n  # a comment at the list's depth\n    - sphinx-tabs\n",
         "dependencies:\n  - pip:\n    - sphinx-refinery\n  # a comment at the list's depth\n"),
        ("pip:\n  - sphinx-lesson\n", None),  # no list item: no pip list
        # a comment at any depth does not end the pip list
        ("dependencies:\n  - pip:\n  # from PyPI\n    - sphinx-lesson\n",
         "dependencies:\n  - pip:\n  # from PyPI\n    - sphinx-refinery\n"),
    ],
)
def test_the_pip_list_of_an_environment(before, after):
    text, _changes, _notes = rewrite("environment.yaml", before)
    assert text == (before if after is None else after)


# -- pyproject.toml ----------------------------------------------------------------------------

PYPROJECT = """\
[project]
name = "lesson"
dependencies = [
    "sphinx",
    "sphinx-lesson>=0.8 ; python_version >= '3.11'",  # the look
    'sphinx-tabs',
]

[project.optional-dependencies]
docs = ["sphinx-lesson", "sphinx-togglebutton", "furo"]
other = ["sphinx-tabs"]
last = ["furo", "sphinx-tabs"]
one = ["sphinx-refinery", "sphinx-lesson"]

[dependency-groups]
dev = [
  "pytest", "sphinx-lesson",
]
"""


def test_pyproject():
    text, changes, notes = rewrite("pyproject.toml", PYPROJECT, notebooks=True)
    data = tomllib.loads(text)
    assert data["project"]["dependencies"] == ["sphinx", "sphinx-refinery[notebooks] ; python_version >= '3.11'"]
    optional = data["project"]["optional-dependencies"]
    # Only arrays that list sphinx-lesson (or sphinx-refinery) change.
    assert optional == {"docs": ["sphinx-refinery[notebooks]", "furo"], "other": ["sphinx-tabs"],
                        "last": ["furo", "sphinx-tabs"], "one": ["sphinx-refinery"]}
    assert data["dependency-groups"] == {"dev": ["pytest", "sphinx-refinery[notebooks]"]}
    assert "    \"sphinx-refinery[notebooks] ; python_version >= '3.11'\",  # the look\n" in text
    assert text.count("\n") == PYPROJECT.count("\n") - 1  # the dropped line goes whole
    assert notes == []
    assert changes == [
        "sphinx-lesson>=0.8 ; python_version >= '3.11' -> sphinx-refinery[notebooks] ; python_version >= '3.11'",
        "dropped sphinx-tabs",
        "sphinx-lesson -> sphinx-refinery[notebooks]",
        "dropped sphinx-togglebutton",
        "dropped sphinx-lesson",
        "sphinx-lesson -> sphinx-refinery[notebooks]",
    ]


@pytest.mark.parametrize(
    ("array", "after"),
    [
        ('["sphinx-tabs", "sphinx-lesson"]', '["sphinx-refinery"]'),
        ('["a", "sphinx-tabs", "b", "sphinx-lesson"]', '["a", "b", "sphinx-refinery"]'),
        ('["a", "sphinx-tabs"  ,  "sphinx-lesson"]', '["a", "sphinx-refinery"]'),
        ('[\n  "sphinx-lesson",\n  "sphinx-tabs"  # gone\n]', '[\n  "sphinx-refinery",\n]'),
        ("['sphinx-lesson', 'sphinx-togglebutton',]", "['sphinx-refinery',]"),
        ('["sphinx-refinery", "sphinx-lesson" ]', '["sphinx-refinery" ]'),
        ('["sphinx-refinery", "sphinx-tabs"]', '["sphinx-refinery"]'),  # already migrated, in part
        ('["sphinx-lesson", "sphinx-lesson>=0.8"]', '["sphinx-refinery"]'),  # listed twice: once
        ('["sphinx-lesson", 3, {a = "b"}]', '["sphinx-refinery", 3, {a = "b"}]'),  # not PEP 621: kept
        # a single-quoted entry, with the same text double-quoted in another array first
        ("[\"sphinx-lesson\", 'sphinx-tabs']\nother = [\"sphinx-tabs\"]", '["sphinx-refinery"]\nother = ["sphinx-tabs"]'),
    ],
)
def test_toml_array_entries(array, after):
    text, _changes, notes = rewrite("pyproject.toml", f"[project]\ndependencies = {array}\n")
    assert text == f"[project]\ndependencies = {after}\n"
    assert notes == []


def test_the_same_entry_in_two_arrays():
    before = '[project]\ndependencies = ["sphinx-lesson"]\n[dependency-groups]\ndocs = ["sphinx-lesson"]\n'
    text, _changes, _notes = rewrite("pyproject.toml", before)
    assert text == before.replace("sphinx-lesson", "sphinx-refinery")


@pytest.mark.parametrize(
    ("before", "notes"),
    [
        ('[tool.poetry.dependencies]\npython = "^3.11"\nsphinx_lesson = "^0.8"\n',
         [(3, "a Poetry dependency on sphinx-lesson: left alone")]),
        ('[tool.poetry.group.docs.dependencies]\n"sphinx-lesson" = "*"\n',
         [(2, "a Poetry dependency on sphinx-lesson: left alone")]),
        ('[tool.poetry.dependencies]\nsphinx = "*"\n', []),
        ("[project\nsphinx-lesson\n", [(None, "TOML that does not parse")]),
        ("[project\nsphinx\n", []),
        # an entry the text does not hold as written (an escape): reported
        ('[project]\ndependencies = ["sphinx\\u002dlesson"]\n',
         [(None, "the dependency 'sphinx-lesson' could not be rewritten: left alone")]),
        # an entry that shares its line with the array's end, with no comma to take
        ('[project]\ndependencies = [\n  "sphinx-refinery",\n  "sphinx-lesson"]\n',
         [(4, "the dependency 'sphinx-lesson' could not be rewritten: left alone")]),
        (   # ... also on the file's last line, without a line end
            '[project]\ndependencies = [\n  "sphinx-refinery",\n  "sphinx-lesson"]',
            [(4, "the dependency 'sphinx-lesson' could not be rewritten: left alone")],
        ),
        ('[project]\ndependencies = ["sphinx-lesson"]\n', []),
    ],
)
def test_pyproject_notes(before, notes):
    text, _changes, found = rewrite("pyproject.toml", before)
    assert [(line, message[: len(expected)]) for (line, message), (_l, expected) in zip(found, notes, strict=True)] == notes
    if notes:
        assert text == before


def test_pyproject_needed_requirements_are_reported_not_added():
    before = '[project]\ndependencies = [\n  "sphinx",\n  "sphinx-lesson",\n  "myst-parser",\n]\n'
    text, _changes, notes = rewrite("pyproject.toml", before, needed=("sphinx-copybutton", "myst_parser"))
    assert tomllib.loads(text)["project"]["dependencies"] == ["sphinx", "sphinx-refinery", "myst-parser"]
    assert notes == [(4, "conf.py uses sphinx-copybutton, which sphinx-lesson used to install: "
                         "add it to these dependencies")]


def test_an_entry_in_a_comment_is_not_the_entry():
    before = '[project]\ndependencies = [\n  # "sphinx-tabs"\n  "sphinx-lesson", "sphinx-tabs",\n]\n'
    text, _changes, notes = rewrite("pyproject.toml", before)
    assert text == '[project]\ndependencies = [\n  # "sphinx-tabs"\n  "sphinx-refinery",\n]\n'
    assert notes == []


def test_an_entry_that_cannot_be_rewritten_leaves_the_others_to_be():
    before = '[project]\ndependencies = ["sphinx\\u002dlesson", "sphinx-tabs"]\n'
    text, changes, notes = rewrite("pyproject.toml", before)
    assert text == '[project]\ndependencies = ["sphinx\\u002dlesson"]\n'
    assert changes == ["dropped sphinx-tabs"]
    assert notes == [(None, "the dependency 'sphinx-lesson' could not be rewritten: left alone")]


def test_a_rewrite_that_would_not_parse_is_refused():
    # The same text first in an inline table, where dropping it breaks the TOML.
    before = '[project]\nurls = {a = "sphinx-tabs", b = "c"}\ndependencies = ["sphinx-lesson", "sphinx-tabs"]\n'
    text, changes, notes = rewrite("pyproject.toml", before)
    assert (text, changes) == (before, [])
    assert notes == [(None, "its dependencies could not be rewritten safely: left alone")]


def test_a_rewrite_that_would_change_the_toml_otherwise_is_refused():
    # The entry's text in a comment, where it can be edited: the result is checked.
    before = '[project]\ndependencies = [\n  # "sphinx-tabs", "old"\n  "sphinx-lesson", "sphinx-tabs",\n]\n'
    text, changes, notes = rewrite("pyproject.toml", before)
    assert (text, changes) == (before, [])
    assert notes == [(None, "its dependencies could not be rewritten safely: left alone")]


# -- checks ------------------------------------------------------------------------------------


def _checked(files: dict[str, str]) -> list[tuple[Path, int | None, str]]:
    ctx = Context(root=ROOT)
    for name, text in files.items():
        ctx.files[ROOT / name] = SourceFile(ROOT / name, text.encode("utf-8"))
    req.check_requirements(ctx, [ROOT / "requirements.txt", ROOT / "docs.txt"], [ROOT / "conf.py"])
    return [(note.path, note.line, note.message) for note in ctx.notes]


def test_a_migrated_lesson_without_sphinx_refinery_in_its_requirements():
    conf = 'extensions = ["sphinx_refinery"]\n'
    assert _checked({"conf.py": conf, "requirements.txt": "sphinx\n"}) == [
        (ROOT, None, "no requirements file lists sphinx-refinery: add sphinx-refinery to the "
                     "lesson's dependencies yourself")
    ]
    assert _checked({"conf.py": conf}) != []
    assert _checked({"conf.py": conf, "requirements.txt": "sphinx\n", "docs.txt": "Sphinx_Refinery\n"}) == []
    assert _checked({"conf.py": 'extensions = ["sphinx_lesson"]\n', "requirements.txt": "sphinx\n"}) == []
    assert _checked({"requirements.txt": "sphinx\n"}) == []


@pytest.mark.parametrize(
    ("line", "noted"),
    [
        ("run: pip install sphinx-lesson", True),
        ("  - run: python -m pip install -r reqs.txt sphinx_lesson>=0.8", True),
        ("conda install -c conda-forge sphinx-lesson", True),
        ("mamba install sphinx-lesson", True),
        ("uv pip install sphinx-lesson", True),
        ("pip install sphinx-lesson-template", False),
        ("pip install sphinx  # sphinx-lesson comes later", False),
        ("echo install sphinx-lesson", False),
        ("pipx install sphinx-lesson", False),
        ("pip uninstall-ish sphinx-lesson", False),
    ],
)
def test_workflow_installs_are_reported(line, noted):
    ctx = Context(root=ROOT)
    source = SourceFile(ROOT / "ci.yml", f"jobs:\n{line}\n".encode())
    req.check_workflow(source, ctx)
    assert [(n.line, n.message) for n in ctx.notes] == (
        [(2, "a workflow installs sphinx-lesson: left alone")] if noted else [])
    assert source.text == f"jobs:\n{line}\n"
