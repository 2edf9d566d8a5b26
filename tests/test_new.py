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
from packaging.version import Version

from sphinx_refinery import __version__
from sphinx_refinery.commands import new
from sphinx_refinery.commands import template as lesson_template
from sphinx_refinery.commands.cli import main
from tests.conftest import ON_CI, build_once

#: Every file of a lesson made with the default answers.
LESSON_FILES = sorted(
    [
        ".copier-answers.yml",
        ".github/dependabot.yml",
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
    """The folder's files, its git repository left out."""
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder).parts[0] != ".git"
    )


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
    assert "html_baseurl" in runpy.run_path(str(lesson / "content/conf.py"))
    # Updates come from the project's repository, at this release's tag (for a development
    # version: the commit of the clone it runs from, when that is known).
    assert recorded["_src_path"] == lesson_template.UPSTREAM_URL
    assert recorded.get("_commit") == lesson_template.template_version()
    assert (
        f"# Made with sphinx-refinery {__version__}\n"
        in (lesson / ".copier-answers.yml").read_text()
    )
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
    assert conf["html_baseurl"] == citation["url"]  # the canonical link, lesson.json's url

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
        for choice in lesson_template.choices(lesson_template.template_questions()[question])
    ],
)
def test_licence_texts_follow_the_answers(copier, tmp_path, question, choice):
    lesson = create(tmp_path / "lesson", "--" + question.replace("_", "-"), choice)
    written = (lesson / ("LICENSE" if question == "text_licence" else "LICENSE.code")).read_text()
    assert LICENCE_LINES[choice] in written
    assert len(written) > 1000  # the whole text: the shortest, MIT, is about 1 kB
    for placeholder in ("<year>", "<owner>", "<copyright holders>", "{{"):
        assert placeholder not in written


@pytest.mark.parametrize("theme", ["sphinx_rtd_theme", "furo"])
def test_requirements_and_hook_pin_the_running_release_alike(copier, tmp_path, theme):
    lesson = create(tmp_path / "lesson", "--theme", theme)
    release = Version(__version__).base_version
    requirements = (lesson / "requirements.txt").read_text().splitlines()
    assert f"sphinx-refinery=={release}" in requirements
    [theme_line] = [
        line for line in requirements if line and not line.startswith(("#", "sphinx-refinery"))
    ]
    config = yaml.safe_load((lesson / ".pre-commit-config.yaml").read_text())
    [refinery] = [repo for repo in config["repos"] if repo["repo"].endswith("/sphinx-refinery")]
    assert refinery["rev"] == f"v{release}"
    [hook] = refinery["hooks"]
    assert hook["id"] == "sphinx-refinery-check"
    # The hook's environment has what conf.py imports: the theme, as requirements.txt gives it.
    assert hook["additional_dependencies"] == [theme_line]
    assert theme.replace("_", "-") in theme_line


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
    assert Path(call["src_path"]) == lesson_template.TEMPLATE_DIR


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
    assert lesson_template.upstream_ref(version) == ref


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
    command = [sys.executable, "-m", "sphinx_refinery", "check", "--strict", "content"]
    done = subprocess.run(command, cwd=lesson, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    workflow = (lesson / ".github/workflows/pull-request.yml").read_text()
    assert "run: sphinx-refinery check --format github content" in workflow
    # GitHub's annotation format, as the workflow asks for it: nothing to annotate.
    command = [
        sys.executable,
        "-m",
        "sphinx_refinery",
        "check",
        "--format",
        "github",
        "content",
    ]
    done = subprocess.run(command, cwd=lesson, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "::error" not in done.stdout, done.stdout + done.stderr


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
    assert 'python-version: "3.13"' in text
    workflow.write_text(text.replace('python-version: "3.13"', 'python-version: "3.14"'))
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
    assert 'python-version: "3.14"' in workflow  # the template's change arrived
    assert "echo our own step" in workflow  # and the lesson's survived the merge
    assert "<<<<<<<" not in workflow
    assert (lesson / "NEWS.md").read_text() == "Template news.\n"
    page = (lesson / "content/introduction.md").read_text()
    assert "Our own paragraph." in page
    assert "added by the template" not in page  # updates leave the pages alone


def test_update_merges_template_changes(copier, git, tmp_path):
    template = tmp_path / "template"
    shutil.copytree(lesson_template.TEMPLATE_DIR, template)
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
    shutil.copytree(lesson_template.TEMPLATE_DIR, template)
    (upstream / "copier.yml").write_text(UPSTREAM_COPIER_YML)
    git("init", "-q", "-b", "main", cwd=upstream)
    commit_all(git, upstream, "Release 0.1.0")
    git("tag", "v0.1.0", cwd=upstream)
    monkeypatch.setattr(lesson_template, "UPSTREAM_URL", str(upstream))
    monkeypatch.setattr(lesson_template, "__version__", "0.1.0")

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


def upstream_repository(git, tmp_path: Path, monkeypatch, tag: str = "v0.1.0") -> Path:
    """The project's repository as upstream, released as ``tag``; ``new`` runs as that release."""
    upstream = tmp_path / "sphinx-refinery"
    shutil.copytree(lesson_template.TEMPLATE_DIR, upstream / "src/sphinx_refinery/template")
    (upstream / "copier.yml").write_text(UPSTREAM_COPIER_YML)
    git("init", "-q", "-b", "main", cwd=upstream)
    commit_all(git, upstream, "Release")
    git("tag", tag, cwd=upstream)
    monkeypatch.setattr(lesson_template, "UPSTREAM_URL", str(upstream))
    monkeypatch.setattr(lesson_template, "__version__", tag.removeprefix("v"))
    return upstream


def release_template_change(git, upstream: Path, tag: str = "v0.2.0") -> None:
    change_template(upstream / "src/sphinx_refinery/template/lesson")
    commit_all(git, upstream, "Next release")
    git("tag", tag, cwd=upstream)


# -- template source and version -------------------------------------------------------------


def test_relative_template_path_is_stored_absolute(copier, git, tmp_path, monkeypatch):
    """``new --template ./tpl`` and then ``update`` from another folder."""
    template = tmp_path / "tpl"
    shutil.copytree(lesson_template.TEMPLATE_DIR, template)
    git("init", "-q", "-b", "main", cwd=template)
    commit_all(git, template, "v1")
    git("tag", "v1", cwd=template)
    monkeypatch.chdir(tmp_path)
    lesson = create(Path("lesson"), "--template", "./tpl", "--vcs-ref", "v1")
    assert answers(lesson)["_src_path"] == str(template.resolve())
    git("init", "-q", "-b", "main", cwd=lesson)
    commit_all(git, lesson, "New lesson")

    change_template(template / "lesson")
    commit_all(git, template, "v2")
    git("tag", "v2", cwd=template)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["update", str(tmp_path / "lesson"), "--no-input"]) == 0
    assert answers(tmp_path / "lesson")["_commit"] == "v2"


def test_git_urls_stay_as_given():
    assert new.template_source("https://example.org/t.git") == "https://example.org/t.git"
    assert new.template_source("gh:someone/template") == "gh:someone/template"


def test_checkout_commit(git, tmp_path):
    folder = tmp_path / "repo" / "template"
    folder.mkdir(parents=True)
    assert lesson_template.checkout_commit(folder) is None  # not in git
    (folder / "copier.yml").write_text("a: 1\n")
    git("init", "-q", "-b", "main", cwd=folder.parent)
    assert lesson_template.checkout_commit(folder) is None  # in a repository, but not tracked there
    commit_all(git, folder.parent, "template")
    head = git("rev-parse", "HEAD", cwd=folder).strip()
    assert lesson_template.checkout_commit(folder) == head
    (folder / "copier.yml").write_text("a: 2\n")
    assert lesson_template.checkout_commit(folder) is None  # changed since the commit


def test_development_version_records_its_commit(copier, tmp_path, monkeypatch):
    monkeypatch.setattr(lesson_template, "__version__", "0.3.0.dev2")
    monkeypatch.setattr(lesson_template, "checkout_commit", lambda folder: "a" * 40)
    lesson = create(tmp_path / "lesson")
    assert answers(lesson)["_commit"] == "a" * 40
    assert "# Made with sphinx-refinery 0.3.0.dev2" in (lesson / ".copier-answers.yml").read_text()


def test_update_without_a_template_version_is_one_line(copier, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(lesson_template, "__version__", "0.3.0.dev2")
    monkeypatch.setattr(lesson_template, "checkout_commit", lambda folder: None)
    lesson = create(tmp_path / "lesson")
    assert "_commit" not in answers(lesson)
    capsys.readouterr()
    assert main(["update", str(lesson), "--no-input"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "_commit" in err


# -- the workflows ---------------------------------------------------------------------------

#: The action majors the template uses (Dependabot moves them in lessons afterwards).
CURRENT_ACTIONS = {
    "actions/checkout@v6",
    "actions/setup-python@v7",
    "actions/upload-pages-artifact@v5",
    "actions/deploy-pages@v5",
    "actions/upload-artifact@v7",
}


def workflow(lesson: Path, name: str) -> dict:
    return yaml.safe_load((lesson / ".github/workflows" / name).read_text(encoding="utf-8"))


def steps(flow: dict) -> list[dict]:
    return [step for job in flow["jobs"].values() for step in job["steps"]]


def test_configuration_passes_its_schemas(lesson):
    need("check_jsonschema")
    checks = {
        "vendor.github-workflows": sorted((lesson / ".github/workflows").glob("*.yml")),
        "vendor.dependabot": [lesson / ".github/dependabot.yml"],
        "vendor.readthedocs": [lesson / ".readthedocs.yaml"],
        "vendor.citation-file-format": [lesson / "CITATION.cff"],
    }
    assert len(checks["vendor.github-workflows"]) == 2
    for schema, paths in checks.items():
        command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema]
        done = subprocess.run(
            [*command, *map(str, paths)], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, f"{schema}: {done.stdout}{done.stderr}"


def test_schema_check_can_fail(tmp_path):
    need("check_jsonschema")
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  build:\n    steps: []\n")  # no runs-on
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema"]
    done = subprocess.run(
        [*command, "vendor.github-workflows", str(bad)], capture_output=True, check=False
    )
    assert done.returncode == 1


def test_workflows_use_current_actions_and_least_rights(lesson):
    deploy, pull_request = workflow(lesson, "deploy.yml"), workflow(lesson, "pull-request.yml")
    used = {
        step["uses"] for flow in (deploy, pull_request) for step in steps(flow) if "uses" in step
    }
    assert used == CURRENT_ACTIONS
    # Only the deploy job, which runs nothing of the lesson's, may write to Pages.
    for flow in (deploy, pull_request):
        assert flow["permissions"] == {"contents": "read"}
    assert "permissions" not in deploy["jobs"]["build"]
    assert deploy["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert not any("run" in step for step in deploy["jobs"]["deploy"]["steps"])
    # A pull request is checked with annotations and built with warnings as errors.
    runs = [step["run"] for step in steps(pull_request) if "run" in step]
    assert "sphinx-refinery check --format github content" in runs
    assert any(run.startswith("python -m sphinx -W ") for run in runs)
    dependabot = yaml.safe_load((lesson / ".github/dependabot.yml").read_text())
    ecosystems = {update["package-ecosystem"] for update in dependabot["updates"]}
    assert ecosystems == {"github-actions", "pip", "pre-commit"}


@pytest.mark.slow
def test_deploy_build_publishes_no_dot_folder(lesson, tmp_path):
    """The deploy workflow's own build command, run as CI runs it: with -W, and nothing
    hidden (doctrees above all) in the folder uploaded to Pages."""
    copy = tmp_path / "lesson"
    shutil.copytree(lesson, copy, ignore=shutil.ignore_patterns("_build"))
    build = workflow(copy, "deploy.yml")["jobs"]["build"]["steps"]
    [command] = [
        step["run"] for step in build if step.get("run", "").startswith("python -m sphinx")
    ]
    [upload] = [step for step in build if step.get("uses", "").startswith("actions/upload-pages")]
    args = command.split()
    assert "-W" in args
    done = subprocess.run(
        [sys.executable, *args[1:]], cwd=copy, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    published = copy / upload["with"]["path"]
    assert (published / "index.html").is_file()
    hidden = [p for p in published.rglob(".*") if p.is_dir()]
    assert hidden == []
    assert list((copy / "_build").rglob("*.doctree"))  # they exist, just not in Pages


# -- adopting a lesson not made by new -------------------------------------------------------

LICENCE_SA = "Attribution-ShareAlike 4.0 International Public License\n..."
OWN_FILES = {
    "content/conf.py": (
        'project = "Regular expressions"\n'
        'author = "Ada Lovelace"\n'
        'extensions = ["sphinx_refinery"]\n'
        'html_theme = "furo"\n'
        'html_context = {"github_user": "example", "github_repo": "regex-intro"}\n'
    ),
    "content/index.md": "# Regular expressions\n\n```{exercise} Match it\nTry.\n```\n",
    "requirements.txt": "sphinx-refinery\nfuro\n",
    "README.md": "# Our lesson\n",
    "LICENSE": LICENCE_SA,
    ".pre-commit-config.yaml": "repos: []\n",
}


def own_lesson(folder: Path) -> Path:
    for name, text in OWN_FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def assert_untouched(lesson: Path) -> None:
    for name, text in OWN_FILES.items():
        assert (lesson / name).read_text(encoding="utf-8") == text, name


def test_adopt_then_update_merges_three_way(copier, git, tmp_path, monkeypatch, capsys):
    upstream = upstream_repository(git, tmp_path, monkeypatch)
    lesson = own_lesson(tmp_path / "our-lesson")
    git("init", "-q", "-b", "main", cwd=lesson)
    commit_all(git, lesson, "Our lesson")

    assert main(["update", "--adopt", "--no-input", str(lesson)]) == 0
    recorded = answers(lesson)
    assert recorded["_commit"] == "v0.1.0"
    assert recorded["_src_path"] == str(upstream)
    # Guessed from conf.py (and its GitHub context) and the licence file.
    assert recorded["title"] == "Regular expressions"
    assert recorded["authors"] == "Ada Lovelace"
    assert recorded["theme"] == "furo"
    assert recorded["repository_url"] == "https://github.com/example/regex-intro"
    assert recorded["short_name"] == "regex-intro"
    assert recorded["text_licence"] == "CC-BY-SA-4.0"
    assert recorded["fence"] == "backtick"
    assert_untouched(lesson)  # nothing of the lesson's is replaced
    added = sorted(set(files(lesson)) - set(OWN_FILES) - {".copier-answers.yml"})
    assert added == [
        ".github/dependabot.yml",
        ".github/workflows/deploy.yml",
        ".github/workflows/pull-request.yml",
        ".readthedocs.yaml",
    ]
    out = capsys.readouterr().out
    assert "kept the lesson's own requirements.txt" in out

    commit_all(git, lesson, "Adopt the template")
    with (lesson / ".github/workflows/pull-request.yml").open("a") as flow:
        flow.write("      - run: echo our own step\n")
    commit_all(git, lesson, "Our step")
    release_template_change(git, upstream)

    assert main(["update", str(lesson), "--no-input"]) == 0
    assert answers(lesson)["_commit"] == "v0.2.0"
    flow = (lesson / ".github/workflows/pull-request.yml").read_text()
    assert 'python-version: "3.14"' in flow  # the template's change
    assert "echo our own step" in flow  # and ours, merged
    assert "<<<<<<<" not in flow
    assert (lesson / "NEWS.md").read_text() == "Template news.\n"
    assert_untouched(lesson)
    # The template's example pages, never part of this lesson, stay out of it.
    assert not (lesson / "content/introduction.md").exists()


def test_adopt_answers_from_options(copier, git, tmp_path, monkeypatch):
    upstream_repository(git, tmp_path, monkeypatch)
    lesson = own_lesson(tmp_path / "lesson")
    options = ["--title", "Regex", "--theme", "alabaster", "--text-licence", "CC0-1.0"]
    assert main(["update", "--adopt", "--no-input", "--answers-only", *options, str(lesson)]) == 0
    recorded = answers(lesson)
    assert (recorded["title"], recorded["theme"], recorded["text_licence"]) == (
        "Regex",
        "alabaster",
        "CC0-1.0",
    )
    assert sorted(files(lesson)) == sorted([*OWN_FILES, ".copier-answers.yml"])


def test_adopt_refuses_a_lesson_with_answers(copier, tmp_path, capsys):
    lesson = own_lesson(tmp_path / "lesson")
    (lesson / ".copier-answers.yml").write_text("_src_path: x\n")
    assert main(["update", "--adopt", "--no-input", str(lesson)]) == 2
    assert (lesson / ".copier-answers.yml").read_text() == "_src_path: x\n"
    assert "exists already" in capsys.readouterr().err


def test_adopt_needs_a_lesson(copier, tmp_path, capsys):
    assert main(["update", "--adopt", "--no-input", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "conf.py" in err
    assert files(tmp_path) == []


def test_adopt_outside_the_template_layout_adds_only_answers(copier, git, tmp_path, monkeypatch):
    upstream_repository(git, tmp_path, monkeypatch)
    lesson = tmp_path / "lesson"
    (lesson / "docs").mkdir(parents=True)
    (lesson / "docs/conf.py").write_text('project = "Docs lesson"\n')
    (lesson / "docs/index.md").write_text("# Docs lesson\n")
    assert main(["update", "--adopt", "--no-input", str(lesson)]) == 0
    assert files(lesson) == [".copier-answers.yml", "docs/conf.py", "docs/index.md"]
    assert answers(lesson)["title"] == "Docs lesson"


def test_answers_without_adopt_are_a_usage_error(tmp_path, capsys):
    assert main(["update", "--title", "X", str(tmp_path)]) == 2
    assert "--adopt" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("conf", "note"),
    [
        ('raise RuntimeError("boom")\n', "could not be read"),
        ('project = "  "\nhtml_context = {"github_user": "a b", "github_repo": "c"}\n', None),
    ],
    ids=["conf-raises", "unusable-values"],
)
def test_adopt_guesses_only_what_the_template_accepts(
    copier, git, tmp_path, monkeypatch, capsys, conf, note
):
    upstream_repository(git, tmp_path, monkeypatch)
    lesson = tmp_path / "odd-lesson"
    (lesson / "content").mkdir(parents=True)
    (lesson / "content/conf.py").write_text(conf)
    assert main(["update", "--adopt", "--no-input", "--answers-only", str(lesson)]) == 0
    recorded = answers(lesson)
    assert recorded["title"] == "Odd lesson"  # from the folder's name
    assert recorded["repository_url"] == "https://github.com/your-name/odd-lesson"
    err = capsys.readouterr().err
    if note:
        assert note in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    else:
        assert err == ""


def test_adopt_takes_no_vcs_ref(tmp_path, capsys):
    assert main(["update", "--adopt", "--vcs-ref", "v1", str(tmp_path)]) == 2
    assert "--vcs-ref" in capsys.readouterr().err


def test_adopt_leaves_what_is_in_the_way(copier, git, tmp_path, monkeypatch, capsys):
    upstream_repository(git, tmp_path, monkeypatch)
    lesson = own_lesson(tmp_path / "lesson")
    (lesson / ".github").write_text("not a folder\n")
    (lesson / ".readthedocs.yaml").symlink_to(lesson / "missing.yaml")  # dangling
    assert main(["update", "--adopt", "--no-input", str(lesson)]) == 0
    assert (lesson / ".github").read_text() == "not a folder\n"
    assert (lesson / ".readthedocs.yaml").is_symlink()
    assert_untouched(lesson)
    out = capsys.readouterr().out
    assert "kept the lesson's own .github/workflows/deploy.yml" in out
    assert "kept the lesson's own .readthedocs.yaml" in out
