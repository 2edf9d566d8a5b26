"""``sphinx-refinery check``: the rules (data-driven cases), output, exit codes, settings,
the sphinx-build integration, and the real lessons of the corpus."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from sphinx_refinery.check import rules
from sphinx_refinery.commands.check import check_lesson
from sphinx_refinery.commands.cli import main
from tests.conftest import CORPUS, CORPUS_REQUIRED, EXAMPLE_LESSON, ROOT

CASES = Path(__file__).parent / "check_cases"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())
DEFAULT_CONF = 'extensions = ["sphinx_refinery"]\n'
DEFAULT_INDEX = "# Checker case\n\nA page that the rule's pages sit beside.\n"


def case_lesson(name: str, tmp_path: Path) -> Path:
    """A copy of a case folder, with a conf.py and an index page when it has none."""
    src = tmp_path / name
    shutil.copytree(CASES / name, src)
    (src / "expected.txt").unlink()
    if not (src / "conf.py").exists():
        (src / "conf.py").write_text(DEFAULT_CONF, encoding="utf-8")
    if not (src / "index.md").exists() and not (src / "index.rst").exists():
        (src / "index.md").write_text(DEFAULT_INDEX, encoding="utf-8")
    return src


def findings(srcdir: Path, select: set[str] | None = None) -> list:
    return check_lesson(srcdir.resolve(), select=select)[1]


def expected_places(name: str) -> list[tuple[str, int]]:
    """``expected.txt``: one ``file:line`` a line (twice for two findings on a line)."""
    places = []
    for line in (CASES / name / "expected.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            file, _sep, number = line.rpartition(":")
            places.append((file, int(number)))
    return sorted(places)


def check(*args: str) -> tuple[int, str, str]:
    """Run the command in a subprocess: (exit status, stdout, stderr)."""
    command = [sys.executable, "-m", "sphinx_refinery", "check", *args]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return result.returncode, result.stdout, result.stderr


# -- the rules, one case folder each ---------------------------------------------------------


def test_every_rule_has_a_case():
    assert set(CASE_NAMES) == set(rules.BY_ID)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_rule_case(name, tmp_path):
    src = case_lesson(name, tmp_path)
    found = sorted(
        (f.path.relative_to(src.resolve()).as_posix(), f.line)
        for f in findings(src, {name})
        if f.rule == name
    )
    expected = expected_places(name)
    assert expected, "a case must trigger its rule"
    assert all(file.startswith(("bad", "conf.py")) for file, _line in expected)
    assert found == expected
    goods = [p for p in src.iterdir() if p.name.startswith("good")]
    assert goods, "a case must have a file that passes"
    in_goods = [f for f in findings(src) if f.path.name.startswith("good")]
    assert in_goods == []


def test_rules_have_levels_and_fixes():
    for rule in rules.RULES:
        assert rule.level in ("error", "warning", "info")
        assert rule.catches and rule.fix


def test_messages_say_how_to_fix(tmp_path):
    src = case_lesson("unknown-directive", tmp_path)
    messages = {f.message for f in findings(src)}
    assert "unknown directive 'exercize': did you mean 'exercise'?" in messages


def test_conf_py_that_fails(tmp_path):
    src = case_lesson("link-text", tmp_path)
    (src / "conf.py").write_text('extensions = ["sphinx_refinery"]\nraise RuntimeError("boom")\n')
    found = findings(src)
    config = [f for f in found if f.rule == "config"]
    assert len(config) == 1
    assert config[0].path.name == "conf.py" and "boom" in config[0].message
    # Its extensions cannot be known, so no directive is called unknown.
    assert not [f for f in found if f.rule == "unknown-directive"]


def test_suppression_comments(tmp_path):
    src = case_lesson("link-text", tmp_path)
    (src / "page.md").write_text(
        "# Page\n\n"
        "<!-- refinery: ignore link-text -->\n"
        "See [here](https://example.org/a).\n\n"
        "See [here](https://example.org/b).\n",
        encoding="utf-8",
    )
    (src / "other.rst").write_text(
        ".. refinery: ignore-file\n\nOther\n=====\n\nSee `here <https://example.org/c>`_.\n",
        encoding="utf-8",
    )
    found = [(f.path.name, f.line) for f in findings(src, {"link-text"})]
    assert ("page.md", 6) in found
    assert ("page.md", 4) not in found
    assert not [f for f in found if f[0] == "other.rst"]


# -- the command line ------------------------------------------------------------------------


@pytest.fixture
def bad_lesson(tmp_path) -> Path:
    """A lesson with one error (a misspelt directive), one warning and one info."""
    src = tmp_path / "lesson" / "content"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(DEFAULT_CONF, encoding="utf-8")
    (src / "index.md").write_text(
        "# Lesson\n\n"
        "```{exercize}\nTry.\n```\n\n"
        "See [here](https://example.org).\n\n"
        "```{exercise}\nTry this.\n```\n",
        encoding="utf-8",
    )
    return tmp_path / "lesson"


def test_text_output_and_exit_status(bad_lesson, monkeypatch):
    monkeypatch.chdir(bad_lesson.parent)
    status, out, _err = check("lesson")
    lines = out.splitlines()
    assert status == 1
    assert lines[0] == (
        "lesson/content/index.md:3:1: error [unknown-directive] "
        "unknown directive 'exercize': did you mean 'exercise'?"
    )
    assert lines[1].startswith("lesson/content/index.md:7:5: warning [link-text] ")
    assert lines[2].startswith("lesson/content/index.md:9:1: info [exercise-without-solution] ")
    assert lines[3].startswith("Found 1 error, 1 warning, 1 info. Checked 1 pages in ")


def test_paths_outside_the_current_folder(bad_lesson, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    _status, out, _err = check("../lesson")
    assert out.startswith("../lesson/content/index.md:3:1: error")


def test_exit_status_levels(bad_lesson):
    assert check(str(bad_lesson), "--ignore", "unknown-directive")[0] == 0
    assert check(str(bad_lesson), "--ignore", "unknown-directive", "--strict")[0] == 1
    assert check(str(bad_lesson), "--select", "info", "--strict")[0] == 0
    assert check(str(bad_lesson), "--select", "error")[0] == 1


def test_select_and_ignore(bad_lesson):
    _status, out, _err = check(str(bad_lesson), "--select", "link-text,exercise-without-solution")
    assert "[link-text]" in out and "[exercise-without-solution]" in out
    assert "[unknown-directive]" not in out
    _status, out, _err = check(str(bad_lesson), "--ignore", "warning", "--ignore", "info")
    assert "[unknown-directive]" in out
    assert "[link-text]" not in out and "[exercise-without-solution]" not in out


def test_usage_errors(tmp_path, bad_lesson):
    status, _out, err = check(str(tmp_path / "nowhere"))
    assert status == 2 and "no such file or folder" in err
    (tmp_path / "file.txt").write_text("x")
    assert check(str(tmp_path / "file.txt"))[0] == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    status, _out, err = check(str(empty))
    assert status == 2 and "no conf.py" in err
    status, _out, err = check(str(bad_lesson), "--select", "no-such-rule")
    assert status == 2 and "no-such-rule" in err
    assert check(str(bad_lesson), "--format", "xml")[0] == 2


def test_json_output(bad_lesson, monkeypatch):
    monkeypatch.chdir(bad_lesson)
    status, out, _err = check("--format", "json")
    data = json.loads(out)
    assert status == 1
    assert data[0] == {
        "path": "content/index.md",
        "line": 3,
        "column": 1,
        "level": "error",
        "rule": "unknown-directive",
        "message": "unknown directive 'exercize': did you mean 'exercise'?",
    }
    assert [d["level"] for d in data] == ["error", "warning", "info"]


def test_github_output(bad_lesson, monkeypatch):
    monkeypatch.chdir(bad_lesson)
    _status, out, _err = check("--format", "github")
    lines = out.splitlines()
    assert lines[0] == (
        "::error file=content/index.md,line=3,col=1,title=unknown-directive::"
        "unknown directive 'exercize': did you mean 'exercise'?"
    )
    assert lines[1].startswith("::warning file=content/index.md,line=7,col=5,title=link-text::")
    assert lines[2].startswith("::notice file=content/index.md,line=9,col=1,")
    assert len(lines) == 3


def test_list_rules():
    status, out, _err = check("--list-rules")
    assert status == 0
    assert [line.split()[0] for line in out.splitlines()] == [r.id for r in rules.RULES]


def test_main_entry_point(bad_lesson, capsys):
    assert main(["check", str(bad_lesson), "--select", "error"]) == 1
    assert "[unknown-directive]" in capsys.readouterr().out


# -- settings in conf.py and pyproject.toml --------------------------------------------------


def test_conf_py_ignore(bad_lesson):
    conf = bad_lesson / "content" / "conf.py"
    conf.write_text(DEFAULT_CONF + 'refinery_check_ignore = ["unknown-directive", "info"]\n')
    status, out, _err = check(str(bad_lesson))
    assert status == 0
    assert "[unknown-directive]" not in out and "[exercise-without-solution]" not in out
    assert "[link-text]" in out


def test_conf_py_unknown_rule(bad_lesson):
    conf = bad_lesson / "content" / "conf.py"
    conf.write_text(DEFAULT_CONF + 'refinery_check_ignore = ["unknown-directiv"]\n')
    status, out, _err = check(str(bad_lesson), "--select", "config")
    assert status == 1
    assert "content/conf.py:2:1: error [config] refinery_check_ignore names unknown rule" in out


def test_pyproject_settings(bad_lesson):
    pyproject = bad_lesson / "pyproject.toml"
    pyproject.write_text('[tool.sphinx-refinery.check]\nignore = ["unknown-directive"]\n')
    status, out, _err = check(str(bad_lesson))
    assert status == 0 and "[unknown-directive]" not in out and "[link-text]" in out
    pyproject.write_text('[tool.sphinx-refinery.check]\nselect = ["info"]\n')
    status, out, _err = check(str(bad_lesson / "content"))  # found in a parent folder
    assert status == 0 and "[exercise-without-solution]" in out and "[link-text]" not in out
    pyproject.write_text('[tool.sphinx-refinery.check]\nignored = ["info"]\n')
    _status, out, _err = check(str(bad_lesson))
    assert "pyproject.toml:2:1: error [config] unknown setting 'ignored'" in out


# -- during sphinx-build ---------------------------------------------------------------------

BUILD_PAGES = {
    "index.md": """\
        # Lesson

        ![](diagram.png)

        ```{exercize}
        Try.
        ```
        """,
    "diagram.png": "",
}


def test_build_default_adds_no_warnings(build):
    result = build(BUILD_PAGES)
    assert "refinery." not in result.warnings


def test_build_opt_in_rules(build):
    result = build(
        BUILD_PAGES, confoverrides={"refinery_check_rules": ["image-alt", "unknown-directive"]}
    )
    lines = [line for line in result.warning_lines() if "[refinery." in line]
    assert len(lines) == 2
    assert lines[0].endswith(
        "index.md:3: WARNING: image 'diagram.png' has no alt text, which screen readers need: "
        "write it between the brackets: ![what it shows](...) [refinery.image-alt]"
    )
    assert "index.md:5: WARNING: unknown directive 'exercize'" in lines[1]
    assert lines[1].endswith("[refinery.unknown-directive]")


def test_build_levels_and_ignore(build):
    result = build(
        BUILD_PAGES,
        confoverrides={"refinery_check_rules": "all", "refinery_check_ignore": ["error"]},
    )
    assert "[refinery.image-alt]" in result.warnings
    assert "[refinery.unknown-directive]" not in result.warnings


def test_build_suppress_warnings(build):
    result = build(
        BUILD_PAGES,
        confoverrides={
            "refinery_check_rules": "all",
            "suppress_warnings": ["refinery.image-alt"],
        },
    )
    assert "[refinery.image-alt]" not in result.warnings
    assert "[refinery.unknown-directive]" in result.warnings


def test_build_bad_setting(build):
    result = build(BUILD_PAGES, confoverrides={"refinery_check_rules": ["image-alt", "nope"]})
    assert (
        "refinery_check_rules: unknown rule id(s) 'nope'; using the default []" in result.warnings
    )
    assert "[refinery.config]" in result.warnings
    assert "[refinery.image-alt]" not in result.warnings


def test_example_lesson_builds_without_warnings(tmp_path):
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-W",
        "-q",
        "-b",
        "html",
        str(EXAMPLE_LESSON),
        str(tmp_path / "out"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_example_lesson_is_clean():
    found = findings(EXAMPLE_LESSON)
    assert [(f.rule, f.message) for f in found if f.level != "info"] == []
    # Infos only where an exercise has no solution on purpose (testing.md's second
    # exercise: the solution after it names the edge-case exercise).
    assert {f.rule for f in found} <= {"exercise-without-solution"}


def test_check_after_a_build_in_the_same_process(build):
    """Builds reset docutils' directive registry; the checker must not depend on it."""
    build(BUILD_PAGES)
    assert [f.message for f in findings(EXAMPLE_LESSON) if f.rule == "unknown-directive"] == []


def test_docs_describe_every_rule():
    text = (ROOT / "docs" / "checker.md").read_text(encoding="utf-8")
    for rule in rules.RULES:
        assert f"| `{rule.id}` | {rule.level} |" in text
        assert f"`{rule.id}`" in text.split("## The rules", 1)[1].split("### ", 1)[1]


def test_pre_commit_hook():
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks == [
        {
            "id": "sphinx-refinery-check",
            "name": "sphinx-refinery check",
            "description": "Check a sphinx-refinery lesson for common problems",
            "entry": "sphinx-refinery check",
            "language": "python",
            "pass_filenames": False,
            "types_or": ["markdown", "rst", "python", "jupyter", "toml"],
        }
    ]


# -- the real lessons of the corpus ----------------------------------------------------------

#: Per-rule counts, triaged by hand (see docs/checker.md). "mig": after
#: `sphinx-refinery migrate`; "orig": the lesson as written for sphinx-lesson.
CORPUS_COUNTS = {
    ("git-intro", "orig"): {
        # episodes with no exercise: motivation and under-the-hood (objectives), level (key points)
        "episode-keypoints": 9,
        "episode-objectives": 1,
        "exercise-without-solution": 17,
        "http-link": 13,
        "image-alt": 4,
        "legacy-syntax": 1,
        "unclosed-fence": 2,
    },
    ("git-intro", "mig"): {
        # episodes with no exercise: motivation and under-the-hood (objectives), level (key points)
        "episode-keypoints": 9,
        "episode-objectives": 1,
        "exercise-without-solution": 17,
        "http-link": 13,
        "image-alt": 4,
        "unclosed-fence": 2,
    },
    ("testing", "orig"): {
        "episode-keypoints": 1,  # quick-reference: it has a keypoints box, so it is an episode
        "episode-objectives": 5,
        "exercise-without-solution": 6,
        "http-link": 6,
        "legacy-syntax": 1,
        "unclosed-fence": 1,
    },
    ("testing", "mig"): {
        # conclusions (timed, no box) is not an episode; quick-reference (key points) is
        "episode-keypoints": 1,
        "episode-objectives": 5,
        "exercise-without-solution": 6,
        "http-link": 6,
        "unclosed-fence": 1,
    },
    ("intermediate-mpi", "orig"): {
        "config": 1,
        "exercise-without-solution": 15,
        "http-link": 11,
        "image-alt": 46,
        "legacy-syntax": 2,  # conf.py, and custom.py importing _BaseCRDirective
        "link-text": 4,
    },
    ("intermediate-mpi", "mig"): {
        "exercise-without-solution": 15,
        "http-link": 11,
        "image-alt": 46,
        "link-text": 4,
    },
    ("sphinx-lesson-docs", "orig"): {
        "exercise-without-solution": 7,
        "image-alt": 5,
        "legacy-syntax": 1,
        "link-text": 2,
        "replaced-extension": 1,  # sphinx_lesson_transform_html_img (migrate comments it out)
    },
    ("sphinx-lesson-docs", "mig"): {
        "exercise-without-solution": 7,
        "image-alt": 5,
        "link-text": 2,
    },
}


@pytest.fixture(scope="module")
def corpus_copies(tmp_path_factory) -> Path:
    if not (CORPUS / "lessons").is_dir():
        if CORPUS_REQUIRED:
            pytest.fail(f"the corpus is missing: {CORPUS}")
        pytest.skip("the corpus (../shared/corpus) is not here")
    root = tmp_path_factory.mktemp("corpus")
    for name in {name for name, _state in CORPUS_COUNTS}:
        shutil.copytree(CORPUS / "lessons" / name, root / "orig" / name)
        shutil.copytree(CORPUS / "lessons" / name, root / "mig" / name)
        assert main(["migrate", str(root / "mig" / name), "--force"]) == 0
    return root


@pytest.mark.parametrize(("name", "state"), sorted(CORPUS_COUNTS))
def test_corpus_lesson(corpus_copies, name, state):
    found = findings(corpus_copies / state / name / "content")
    counts = dict(sorted(Counter(f.rule for f in found).items()))
    assert counts == CORPUS_COUNTS[name, state]


def test_corpus_lesson_from_the_command_line(corpus_copies):
    status, out, _err = check(
        str(corpus_copies / "mig" / "git-intro"), "--select", "unclosed-fence"
    )
    assert status == 1
    assert out.count("[unclosed-fence]") == 2


def test_a_setup_that_fails_keeps_what_it_registered(tmp_path):
    from tests.conftest import write_sources

    conf = (
        'extensions = ["sphinx_refinery"]\n'
        "from docutils.parsers.rst.directives.body import Topic\n"
        "def setup(app):\n"
        '    app.add_directive("mine", Topic)\n'
        '    raise RuntimeError("boom")\n'
    )
    page = "# T\n\n```{exercize}\nx\n```\n\n```{mine}\n```\n\n```{nothing-like-it}\n```\n"
    write_sources(tmp_path, {"conf.py": conf, "index.md": page})
    found = [(f.line, f.message) for f in findings(tmp_path) if f.rule == "unknown-directive"]
    # conf.py's directive is known; a close name is still suggested; a name without one may
    # come from what did not run, so it is not called unknown.
    assert found == [(3, "unknown directive 'exercize': did you mean 'exercise'?")]
