"""``sphinx-refinery new`` and ``update``: the lesson template, its builds, and template updates."""

from __future__ import annotations

import datetime
import importlib.util
import io
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from sphinx_refinery import __version__, new
from sphinx_refinery.cli import main
from tests.conftest import ON_CI, build_once

#: Every file of a lesson made with the default answers.
LESSON_FILES = sorted(
    [
        ".copier-answers.yml",
        ".github/workflows/deploy.yml",
        ".github/workflows/pull-request.yml",
        ".gitignore",
        ".pre-commit-config.yaml",
        ".readthedocs.yaml",
        "CITATION.cff",
        "CONTRIBUTING.md",
        "LICENSE",
        "LICENSE.code",
        "README.md",
        "content/conf.py",
        "content/exercises.md",
        "content/going-further.md",
        "content/index.md",
        "content/instructor-guide.md",
        "content/introduction.md",
        "content/keypoints.md",
        "content/quick-reference.md",
        "content/setup.md",
        "requirements.txt",
    ]
)
#: A line of each licence's official text.
LICENCE_LINES = {
    "CC-BY-4.0": "Creative Commons Attribution 4.0 International Public License",
    "CC-BY-SA-4.0": "Creative Commons Attribution-ShareAlike 4.0 International Public License",
    "CC0-1.0": "CC0 1.0 Universal",
    "MIT": "Permission is hereby granted, free of charge",
    "BSD-3-Clause": "Redistribution and use in source and binary forms",
    "Apache-2.0": "Apache License\nVersion 2.0, January 2004",
}
BUILDERS = ["html", "dirhtml", "singlehtml", "latex", "epub"]
#: Each theme's module: what its front page links to for "edit this page", and its stylesheet.
THEMES = {
    "sphinx_rtd_theme": (
        "https://github.com/demo/lesson/blob/main/content/index.md",
        "css/theme.css",
    ),
    "furo": ("https://github.com/demo/lesson/edit/main/content/index.md", "styles/furo.css"),
    "pydata_sphinx_theme": (
        "https://github.com/demo/lesson/edit/main/content/index.md",
        "styles/pydata-sphinx-theme.css",
    ),
    "sphinx_book_theme": (
        "https://github.com/demo/lesson/edit/main/content/index.md",
        "styles/sphinx-book-theme.css",
    ),
    "alabaster": ("https://github.com/demo/lesson", "alabaster.css"),
}
#: With the template at the root of a repository, copier.yml as the project's root would hold it.
UPSTREAM_COPIER_YML = """\
!include src/sphinx_refinery/template/copier.yml
---
_subdirectory: src/sphinx_refinery/template/lesson
"""


def need(module: str) -> None:
    """Skip without an optional module, but fail on CI, whose test requirements must have it."""
    if importlib.util.find_spec(module) is None:
        message = f"{module} is not installed (it belongs in the test requirements)"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def copier():
    need("copier")
    import copier

    return copier


@pytest.fixture
def git(monkeypatch, tmp_path):
    """``git(*args, cwd=...)``, with an identity and no user or system configuration."""
    if shutil.which("git") is None:
        pytest.fail("git is needed: copier updates through git")
    config = tmp_path / "gitconfig"
    config.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@example.org")

    def run(*args: str, cwd: Path) -> str:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
        return done.stdout

    return run


def create(folder: Path, *options: str) -> Path:
    assert main(["new", str(folder), "--no-input", *options]) == 0
    return folder


def files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def answers(lesson: Path) -> dict:
    return yaml.safe_load((lesson / ".copier-answers.yml").read_text(encoding="utf-8"))


def commit_all(git, folder: Path, message: str) -> None:
    git("add", "-A", cwd=folder)
    git("commit", "-q", "-m", message, cwd=folder)


# -- new: what it makes ----------------------------------------------------------------------


def test_defaults_without_input(copier, tmp_path):
    lesson = create(tmp_path / "git-intro")
    assert files(lesson) == LESSON_FILES
    recorded = answers(lesson)
    assert recorded["short_name"] == "git-intro"
    assert recorded["title"] == "Git intro"
    assert recorded["theme"] == "sphinx_rtd_theme"
    assert recorded["fence"] == "colon"
    # Updates come from the project's repository, at this release's tag (none for dev versions).
    assert recorded["_src_path"] == new.UPSTREAM_URL
    assert recorded.get("_commit") == new.upstream_ref(__version__)
    requirements = (lesson / "requirements.txt").read_text().splitlines()
    assert "sphinx-rtd-theme>=3.0,<4" in requirements
    assert "::::{exercise} Greet the group" in (lesson / "content/introduction.md").read_text()


def test_options_become_answers(copier, tmp_path):
    lesson = create(
        tmp_path / "lesson",
        "--title", 'Tidy "research" code',
        "--short-name", "tidy-code",
        "--author", "Ada Lovelace",
        "--author", "Alan Turing",
        "--organisation", "CodeRefinery",
        "--repository-url", "https://github.com/coderefinery/tidy-code",
        "--text-licence", "CC-BY-SA-4.0",
        "--code-licence", "BSD-3-Clause",
        "--theme", "furo",
        "--fence", "backtick",
    )  # fmt: skip
    recorded = answers(lesson)
    assert recorded["authors"] == "Ada Lovelace, Alan Turing"
    assert recorded["short_name"] == "tidy-code"
    assert recorded["theme"] == "furo"

    conf = runpy.run_path(str(lesson / "content/conf.py"))
    assert conf["project"] == 'Tidy "research" code'
    assert conf["author"] == "Ada Lovelace, Alan Turing"
    assert conf["html_theme"] == "furo"
    assert conf["refinery_metadata"] == {"license": "CC-BY-SA-4.0"}
    assert (
        conf["html_theme_options"]["source_repository"]
        == "https://github.com/coderefinery/tidy-code/"
    )

    citation = yaml.safe_load((lesson / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["title"] == 'Tidy "research" code'
    assert citation["authors"] == [{"name": "Ada Lovelace"}, {"name": "Alan Turing"}]
    assert citation["license"] == "CC-BY-SA-4.0"
    assert citation["url"] == "https://coderefinery.github.io/tidy-code/"

    year = datetime.date.today().year
    assert (
        f"Copyright (c) {year} Ada Lovelace, Alan Turing." in (lesson / "LICENSE.code").read_text()
    )
    assert any(
        line.startswith("furo>=") for line in (lesson / "requirements.txt").read_text().splitlines()
    )
    episode = (lesson / "content/introduction.md").read_text()
    assert "`````{exercise} Greet the group" in episode and ":::" not in episode


@pytest.mark.parametrize(
    ("question", "choice"),
    [
        (question, choice)
        for question in ("text_licence", "code_licence")
        for choice in new.choices(new.template_questions()[question])
    ],
)
def test_licence_texts_follow_the_answers(copier, tmp_path, question, choice):
    lesson = create(tmp_path / "lesson", "--" + question.replace("_", "-"), choice)
    written = (lesson / ("LICENSE" if question == "text_licence" else "LICENSE.code")).read_text()
    assert LICENCE_LINES[choice] in written
    assert len(written) > 1000  # the whole text: the shortest, MIT, is about 1 kB
    for placeholder in ("<year>", "<owner>", "<copyright holders>", "{{"):
        assert placeholder not in written


def test_template_requires_the_running_release_series(copier, tmp_path):
    lesson = create(tmp_path / "lesson")
    major, minor = (int(part) for part in __version__.split(".")[:2])
    line = (lesson / "requirements.txt").read_text().splitlines()
    assert f"sphinx-refinery>={major}.{minor},<{major}.{minor + 1}" in line


# -- new: refusing, and errors ---------------------------------------------------------------


def test_empty_existing_folder_is_used(copier, tmp_path):
    folder = tmp_path / "lesson"
    folder.mkdir()
    create(folder)
    assert files(folder) == LESSON_FILES


def test_refuses_a_folder_that_is_not_empty(copier, tmp_path, capsys):
    folder = tmp_path / "lesson"
    folder.mkdir()
    (folder / "README.md").write_text("my notes\n")
    assert main(["new", str(folder), "--no-input"]) == 1
    assert files(folder) == ["README.md"]
    assert (folder / "README.md").read_text() == "my notes\n"
    err = capsys.readouterr().err
    assert "not empty" in err


def test_refuses_a_file(copier, tmp_path, capsys):
    path = tmp_path / "lesson"
    path.write_text("keep me\n")
    assert main(["new", str(path), "--no-input"]) == 2
    assert path.read_text() == "keep me\n"
    assert "not a folder" in capsys.readouterr().err


def test_rejected_answer_is_an_error_not_a_traceback(copier, tmp_path, capsys):
    folder = tmp_path / "lesson"
    assert main(["new", str(folder), "--no-input", "--short-name", "Not A Slug"]) == 2
    err = capsys.readouterr().err
    assert "short_name" in err
    assert not folder.exists()


def test_author_takes_one_name(copier, tmp_path, capsys):
    folder = tmp_path / "lesson"
    assert main(["new", str(folder), "--no-input", "--author", "Lovelace, Ada"]) == 2
    assert "--author" in capsys.readouterr().err
    assert not folder.exists()


def test_bad_choice_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["new", str(tmp_path / "lesson"), "--theme", "nope"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_theme_takes_the_package_name_too(copier, tmp_path):
    lesson = create(tmp_path / "lesson", "--theme", "pydata-sphinx-theme")
    assert answers(lesson)["theme"] == "pydata_sphinx_theme"


def test_questions_need_a_terminal(copier, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    folder = tmp_path / "lesson"
    assert main(["new", str(folder)]) == 2
    assert "--no-input" in capsys.readouterr().err
    assert not folder.exists()


def test_questions_asked_unless_answered(copier, tmp_path, monkeypatch):
    """Interactive: options are answers copier does not ask again; the rest it asks."""
    calls = []

    def fake_run_copy(**kwargs):
        calls.append(kwargs)
        Path(kwargs["dst_path"]).mkdir()
        (Path(kwargs["dst_path"]) / ".copier-answers.yml").write_text("_src_path: here\n")

    monkeypatch.setattr(sys, "stdin", type("Tty", (io.StringIO,), {"isatty": lambda self: True})())
    monkeypatch.setattr(copier, "run_copy", fake_run_copy)
    assert main(["new", str(tmp_path / "my-lesson"), "--theme", "furo", "--author", "Ada"]) == 0
    [call] = calls
    assert call["defaults"] is False
    assert call["data"] == {"theme": "furo", "authors": "Ada"}
    assert call["user_defaults"] == {"short_name": "my-lesson", "title": "My lesson"}
    assert Path(call["src_path"]) == new.TEMPLATE_DIR


def test_interrupted_questions_end_quietly(copier, tmp_path, monkeypatch, capsys):
    from copier.errors import CopierError

    # copier's CopierAnswersInterrupt is both a CopierError and a KeyboardInterrupt.
    class Interrupt(CopierError, KeyboardInterrupt):
        pass

    def interrupted(**kwargs):
        raise Interrupt("answers so far")

    monkeypatch.setattr(copier, "run_copy", interrupted)
    assert main(["new", str(tmp_path / "lesson"), "--no-input"]) == 130
    assert capsys.readouterr().err.strip() == "sphinx-refinery new: interrupted"


def test_without_copier(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "copier", None)  # import copier raises ImportError
    folder = tmp_path / "lesson"
    assert main(["new", str(folder), "--no-input"]) == 1
    err = capsys.readouterr().err
    assert "sphinx-refinery[template]" in err
    assert not folder.exists()


def test_update_needs_a_lesson_from_the_template(tmp_path, capsys):
    assert main(["update", str(tmp_path), "--no-input"]) == 2
    assert ".copier-answers.yml" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("version", "ref"),
    [("0.1.0", "v0.1.0"), ("1.2", "v1.2"), ("0.1.0.dev0", None), ("1.0rc1", None)],
)
def test_upstream_ref(version, ref):
    assert new.upstream_ref(version) == ref


# -- the lesson builds and passes its checks -------------------------------------------------


@pytest.fixture(scope="module", params=["colon", "backtick"])
def lesson(request, tmp_path_factory):
    need("copier")
    need("sphinx_rtd_theme")
    folder = tmp_path_factory.mktemp(f"lesson-{request.param}") / "lesson"
    return create(
        folder, "--fence", request.param, "--repository-url", "https://github.com/demo/lesson"
    )


@pytest.mark.slow
@pytest.mark.parametrize("builder", BUILDERS)
def test_lesson_builds_without_warnings(lesson, builder, tmp_path):
    result = build_once(lesson / "content", None, builder, builddir=tmp_path / "build")
    assert result.warning_lines() == [], result.warnings
    text = "".join(
        p.read_text(encoding="utf-8")
        for p in result.outdir.rglob("*")
        if p.suffix in (".html", ".xhtml", ".tex")
    )
    # Boxes, the schedule, the exercise list and the tabs all made it to the output.
    for expected in ("Greet the group", "Greet nobody", "Going further", "Windows"):
        assert expected in text
    if builder == "html":
        index = result.html("index")
        assert index.select("table.refinery-schedule")
        assert "Total" in index.select_one("table.refinery-schedule").get_text()
        assert result.html("exercises").find(string=lambda s: s and "Greet nobody" in s)
        assert result.html("quick-reference").select("dl.glossary")
        assert result.html("going-further").select(".sd-tab-set")
        introduction = result.html("introduction")
        assert introduction.select("details.solution")
        # Numbered from the first episode on; the glossary term links to its entry.
        assert "Exercise 1.1: Greet the group" in introduction.get_text()
        assert introduction.select_one('a[href="quick-reference.html#term-Episode"]')


def test_lesson_passes_its_check(lesson):
    # As the pull-request workflow runs it, in a process of its own; --strict: no warnings either.
    command = [sys.executable, "-m", "sphinx_refinery.cli", "check", "--strict", "content"]
    done = subprocess.run(command, cwd=lesson, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    workflow = (lesson / ".github/workflows/pull-request.yml").read_text()
    assert "run: sphinx-refinery check content" in workflow


@pytest.mark.slow
@pytest.mark.parametrize("theme", sorted(THEMES))
def test_every_theme_builds_with_its_edit_link(theme, tmp_path):
    need("copier")
    need(theme)
    lesson = create(
        tmp_path / "lesson", "--theme", theme, "--repository-url", "https://github.com/demo/lesson"
    )
    # A process of its own, as on CI: some themes change Sphinx's shared defaults in-process.
    out = tmp_path / "html"
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html"]
    command += ["-d", str(tmp_path / "doctrees"), str(lesson / "content"), str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    edit_link, stylesheet = THEMES[theme]
    assert (out / "_static" / stylesheet).is_file()
    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert edit_link in {a.get("href") for a in index.select("a")}


# -- template updates ------------------------------------------------------------------------


def change_template(template: Path) -> None:
    """A new version of the template: an edited workflow, a new file, an edited page."""
    workflow = template / ".github/workflows/pull-request.yml"
    text = workflow.read_text()
    assert 'python-version: "3.12"' in text
    workflow.write_text(text.replace('python-version: "3.12"', 'python-version: "3.13"'))
    (template / "NEWS.md").write_text("Template news.\n")
    page = template / "content/introduction.md.jinja"
    page.write_text(page.read_text() + "\nA paragraph added by the template.\n")


def edit_lesson(lesson: Path) -> None:
    """The authors' own changes, in a file the template changes too and in a page."""
    with (lesson / ".github/workflows/pull-request.yml").open("a") as workflow:
        workflow.write("      - run: echo our own step\n")
    with (lesson / "content/introduction.md").open("a") as page:
        page.write("\nOur own paragraph.\n")


def assert_updated(lesson: Path) -> None:
    workflow = (lesson / ".github/workflows/pull-request.yml").read_text()
    assert 'python-version: "3.13"' in workflow  # the template's change arrived
    assert "echo our own step" in workflow  # and the lesson's survived the merge
    assert "<<<<<<<" not in workflow
    assert (lesson / "NEWS.md").read_text() == "Template news.\n"
    page = (lesson / "content/introduction.md").read_text()
    assert "Our own paragraph." in page
    assert "added by the template" not in page  # updates leave the pages alone


def test_update_merges_template_changes(copier, git, tmp_path):
    template = tmp_path / "template"
    shutil.copytree(new.TEMPLATE_DIR, template)
    git("init", "-q", "-b", "main", cwd=template)
    commit_all(git, template, "v1")
    git("tag", "v1", cwd=template)

    lesson = tmp_path / "lesson"
    copier.run_copy(
        src_path=str(template), dst_path=lesson, vcs_ref="v1", defaults=True, quiet=True
    )
    assert answers(lesson)["_commit"] == "v1"
    git("init", "-q", "-b", "main", cwd=lesson)
    commit_all(git, lesson, "New lesson")
    edit_lesson(lesson)
    commit_all(git, lesson, "Our changes")

    change_template(template / "lesson")
    commit_all(git, template, "v2")
    git("tag", "v2", cwd=template)

    copier.run_update(dst_path=lesson, vcs_ref="v2", defaults=True, overwrite=True, quiet=True)
    assert answers(lesson)["_commit"] == "v2"
    assert_updated(lesson)


def test_lesson_from_new_updates_from_the_project_repository(copier, git, tmp_path, monkeypatch):
    """``new`` then ``update``, with the project's repository laid out as upstream."""
    upstream = tmp_path / "sphinx-refinery"
    template = upstream / "src/sphinx_refinery/template"
    shutil.copytree(new.TEMPLATE_DIR, template)
    (upstream / "copier.yml").write_text(UPSTREAM_COPIER_YML)
    git("init", "-q", "-b", "main", cwd=upstream)
    commit_all(git, upstream, "Release 0.1.0")
    git("tag", "v0.1.0", cwd=upstream)
    monkeypatch.setattr(new, "UPSTREAM_URL", str(upstream))
    monkeypatch.setattr(new, "__version__", "0.1.0")

    lesson = create(tmp_path / "lesson")
    assert answers(lesson)["_commit"] == "v0.1.0"
    git("init", "-q", "-b", "main", cwd=lesson)
    commit_all(git, lesson, "New lesson")
    edit_lesson(lesson)
    commit_all(git, lesson, "Our changes")

    change_template(template / "lesson")
    commit_all(git, upstream, "Release 0.2.0")
    git("tag", "v0.2.0", cwd=upstream)

    assert main(["update", str(lesson), "--no-input"]) == 0
    assert answers(lesson)["_commit"] == "v0.2.0"
    assert_updated(lesson)
