"""``sphinx-refinery migrate``: rewriting sphinx-lesson lessons for sphinx-refinery.

Most cases are data: ``migrate_cases/<case>/before`` is a lesson, ``after`` is
what migrate must make of it, and ``report.txt`` lists what it must report as
left alone.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sphinx_refinery.commands.cli import main
from sphinx_refinery.extensions.other_extensions import DROPPED_EXTENSIONS
from sphinx_refinery.migrate.conf_file import extension_strings
from sphinx_refinery.migrate.edits import Edit, apply_edits
from sphinx_refinery.migrate.files import Note, write_atomic
from sphinx_refinery.migrate.markdown import MarkdownConverter
from sphinx_refinery.migrate.requirements import requirement_name
from sphinx_refinery.model.lesson_rules import LEGACY_BOX_CLASSES
from tests.conftest import CORPUS, CORPUS_REQUIRED

CASES_DIR = Path(__file__).parent / "migrate_cases"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "before").is_dir())
CORPUS_LESSONS = ("git-intro", "testing", "intermediate-mpi", "sphinx-lesson-docs")
ON_CI = bool(os.environ.get("CI"))
GIT = shutil.which("git")

needs_git = pytest.mark.skipif(
    GIT is None and not ON_CI, reason="git is not installed (required on CI)"
)


@pytest.fixture(autouse=True)
def _no_outer_repository(tmp_path, monkeypatch):
    """git never finds a repository above tmp_path (in case the temp folder sits in one)."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time (git's own files left out)."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def run_migrate(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["migrate", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def left_alone(out: str) -> list[str]:
    """The lines of the report's "Left alone" section."""
    lines = out.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("Left alone ("):
            return [item.strip() for item in lines[index + 1 :] if item.startswith("  ")]
    return []


def copy_case(name: str, dest: Path) -> Path:
    shutil.copytree(CASES_DIR / name / "before", dest)
    return dest


def writable_copy(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    for path in [dest, *dest.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return dest


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        [
            "git",
            "-c",
            "user.email=a@b",
            "-c",
            "user.name=t",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def committed_repo(path: Path) -> Path:
    git(path, "init", "-q")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "lesson")
    return path


# --------------------------------------------------------------------------- #
# Content preservation: what a rewrite may drop on purpose

#: Lines a rewrite replaces or drops by design (extensions, requirements, kramdown classes).
DROPPED_BY_DESIGN = [
    re.compile(
        r"""^["']?(sphinx_lesson(\.\w+)?|lesson_metadata|"""
        + "|".join(re.escape(name) for name in DROPPED_EXTENSIONS)
        + r""")["']?,?(\s*#.*)?$"""
    ),
    re.compile(r"""^extensions\s*(=|\+=|\.append\(|\.extend\().*"""),
    re.compile(
        r"""^-?\s*["']?(sphinx[-_.]lesson|sphinx[-_.]tabs|sphinx[-_.]togglebutton)\b.*""",
        re.IGNORECASE,
    ),
    re.compile(r"""^(docs|other)\s*=\s*\[.*"""),  # a TOML array written on one line
    re.compile(r"^(from|import) sphinx_lesson.*"),
    # A box heading that only repeats its kind's title: the box shows that title.
    re.compile(r"^(>\s?)+#{1,6}\s*(objectives|solution|key\s?points)\s*$", re.IGNORECASE),
    re.compile(r"^_BaseCRDirective( as \w+)?,?$"),  # in a parenthesised import
    re.compile(r"^class \w+\((sphinx_lesson\.directives|sld|directives)\._BaseCRDirective\):$"),
]


def essential_variants(line: str) -> list[str]:
    """What of ``line`` must survive: the line, less blockquote markers and heading marks."""
    text = line.strip()
    unquoted = re.sub(r"^(>\s?)+", "", text).strip()
    if not re.search(r"\w", unquoted):
        return []  # only marks: quotes, headings, fences, brackets (structure, not content)
    variants = [text]
    variants.append(unquoted)
    heading = re.match(r"^#{1,6}\s+(.*?)(\s+#+)?$", unquoted)
    if heading:
        variants.append(heading.group(1))
    image = re.search(r"""<img\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+)""", text, re.IGNORECASE)
    if image:
        variants.append(image.group(1))
    return [v for v in variants if v]


def lost_lines(before: str, after: str) -> list[str]:
    """The lines of ``before`` whose text ``after`` does not keep.

    Each line must be found in a line of ``after``, and each piece of ``after`` keeps
    one line only: a line written twice must be there twice, and a short line is not
    kept by the same words inside another (a rewriter may reorder lines, so order is
    not asked for). Kramdown class lines become a directive's name.
    """
    remaining = after.splitlines()
    lost = []
    for line in before.splitlines():
        if not line.strip():
            continue
        text = line.strip()
        kramdown = re.match(r"^(>\s?)*\{:\s*\.([\w-]+)\s*\}$", text)
        if kramdown:
            kind = kramdown.group(2).replace("_", "-")
            if f"{{{kind}}}" in after or text in after:
                continue
        if any(p.match(text) for p in DROPPED_BY_DESIGN):
            continue
        variants = essential_variants(line)
        if variants and not _consume(remaining, variants):
            lost.append(line)
    return lost


def _consume(lines: list[str], variants: list[str]) -> bool:
    """Take the first variant found in a line out of that line (the whole line first)."""
    for variant in variants:
        for index, candidate in enumerate(lines):
            if candidate.strip() == variant:
                lines[index] = ""
                return True
    for variant in variants:
        for index, candidate in enumerate(lines):
            if variant in candidate:
                lines[index] = candidate.replace(variant, "\0", 1)
                return True
    return False


def assert_nothing_lost(before_root: Path, after_root: Path) -> None:
    lost = {}
    for name, data in tree(before_root).items():
        try:
            before = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        after = (after_root / name).read_text(encoding="utf-8")
        missing = lost_lines(before, after)
        if missing:
            lost[name] = missing
    assert lost == {}


def test_lost_lines_notices_a_dropped_line():
    assert lost_lines("> ## Title\n> body\n{: .challenge}\n", ":::{challenge} Title\n:::\n") == [
        "> body"
    ]
    assert lost_lines("keep me\n", "something else\n") == ["keep me"]
    # A line written twice is kept twice; a short line is not kept by a longer one's words.
    assert lost_lines("Run it.\n\nRun it.\n", "Run it.\n") == ["Run it."]
    assert lost_lines("x = 1\nx\n", "x = 1\n") == ["x"]
    assert (
        lost_lines("> ## Title\n> body\n{: .challenge}\n", ":::{challenge} Title\nbody\n:::") == []
    )


# --------------------------------------------------------------------------- #
# The data-driven cases


@pytest.mark.parametrize("case", CASES)
def test_case(case, tmp_path, capsys):
    lesson = copy_case(case, tmp_path / case)
    code, out, err = run_migrate(capsys, lesson)
    assert (code, err) == (0, "")
    expected = tree(CASES_DIR / case / "after")
    assert tree(lesson) == expected
    report = (CASES_DIR / case / "report.txt").read_text(encoding="utf-8").splitlines()
    assert left_alone(out) == report
    changed = {
        name for name, data in tree(CASES_DIR / case / "before").items() if expected[name] != data
    }
    for name in changed:
        assert f"\n  {name}\n" in out


@pytest.mark.parametrize("case", CASES)
def test_case_second_run_changes_nothing(case, tmp_path, capsys):
    lesson = copy_case(case, tmp_path / case)
    assert run_migrate(capsys, lesson)[0] == 0
    first = snapshot(lesson)
    code, out, _ = run_migrate(capsys, lesson)
    assert code == 0
    assert snapshot(lesson) == first
    assert "Nothing to change" in out
    assert "Changed" not in out


@pytest.mark.parametrize("case", CASES)
def test_case_keeps_content(case):
    assert_nothing_lost(CASES_DIR / case / "before", CASES_DIR / case / "after")


@pytest.mark.parametrize("case", CASES)
def test_dry_run_writes_nothing_and_prints_the_diff(case, tmp_path, capsys):
    lesson = copy_case(case, tmp_path / case)
    before = snapshot(lesson)
    code, out, _ = run_migrate(capsys, lesson, "--dry-run")
    assert code == 0
    assert snapshot(lesson) == before
    assert not list(lesson.rglob("*.migrate-tmp"))
    expected = tree(CASES_DIR / case / "after")
    changed = sorted(
        n for n, data in tree(CASES_DIR / case / "before").items() if expected[n] != data
    )
    assert sorted(re.findall(r"^\+\+\+ b/(.*)$", out, re.MULTILINE)) == changed
    assert sorted(re.findall(r"^--- a/(.*)$", out, re.MULTILINE)) == changed
    for name in changed:
        old = (CASES_DIR / case / "before" / name).read_text(encoding="utf-8").splitlines()
        new = expected[name].decode("utf-8").splitlines()
        removed = [line for line in old if line not in new]
        added = [line for line in new if line not in old]
        for line in removed:
            assert f"\n-{line}\n" in out
        for line in added:
            assert f"\n+{line}\n" in out
    assert "Would change" in out


def test_dry_run_diff_of_conf_py(tmp_path, capsys):
    lesson = copy_case("conf-extensions", tmp_path / "lesson")
    _, out, _ = run_migrate(capsys, "--dry-run", lesson)
    assert "--- a/content/conf.py\n+++ b/content/conf.py\n@@ " in out
    assert '\n-    "sphinx_lesson",\n' in out
    assert '\n+    "sphinx_refinery",\n' in out
    assert "(dry run: nothing is written)" in out


# --------------------------------------------------------------------------- #
# Small rewrites, as (input, expected) text pairs

MARKDOWN_PAIRS = [
    pytest.param(
        "> ## Title text\n> body line\n> > ## Nested solution\n> > body\n> {: .solution}\n{: .challenge}\n",
        "::::{challenge} Title text\nbody line\n:::{solution} Nested solution\nbody\n:::\n::::\n",
        id="nested",
    ),
    pytest.param(
        ">No space after the marker\n>\n>   indented\n{: .callout}",
        ":::{callout}\nNo space after the marker\n\n  indented\n:::",
        id="no-title-no-final-newline",
    ),
    pytest.param(
        "> ##\n> Empty title\n{: .checklist}\n",
        ":::{checklist}\nEmpty title\n:::\n",
        id="empty-title",
    ),
    pytest.param(
        "> ## Solution\n> Body.\n{: .solution}\n\n> ## Key Points\n> - x\n{: .keypoints}\n",
        ":::{solution}\nBody.\n:::\n\n:::{keypoints}\n- x\n:::\n",
        id="title-repeating-the-kind",
    ),
    pytest.param(
        "> ## Before you start ##\n> - Git\n{: .prereq}\n",
        ":::{prereq} Before you start\n- Git\n:::\n",
        id="closing-hashes",
    ),
    pytest.param(
        "> ## Tip\n> ---\n> A rule first.\n{: .testimonial}\n",
        ":::{testimonial} Tip\n\n---\nA rule first.\n:::\n",
        id="body-read-as-options",
    ),
    pytest.param(
        "> ## Watch\n> Watch.\n{:.demo}\n\n> ## Printed\n> x\n{: .output }\n",
        ":::{demo} Watch\nWatch.\n:::\n\n:::{output} Printed\nx\n:::\n",
        id="attribute-spacing",
    ),
    pytest.param(
        "> quote\n> more\n\nText.\n",
        "> quote\n> more\n\nText.\n",
        id="plain-quote",
    ),
    pytest.param(
        "```{note}\n> ## In a directive\n{: .callout}\n```\n",
        "```{note}\n> ## In a directive\n{: .callout}\n```\n",
        id="backtick-directive",
    ),
    pytest.param(
        '<img src="a.png" height="3em" align="left">\n',
        "```{image} a.png\n:height: 3em\n:align: left\n```\n",
        id="image",
    ),
    pytest.param(
        "# Title\n<img src='b.png'/>\n",
        "# Title\n```{image} b.png\n```\n",
        id="image-after-heading",
    ),
]


@pytest.mark.parametrize(("before", "after"), MARKDOWN_PAIRS)
def test_markdown_pairs(before, after):
    notes: list[Note] = []
    converter = MarkdownConverter(Path("page.md"), notes)
    assert converter.convert(before) == after
    assert MarkdownConverter(Path("page.md"), []).convert(after) == after
    assert lost_lines(before, after) == []


@pytest.mark.parametrize("kind", sorted(LEGACY_BOX_CLASSES))
def test_every_kind_converts(kind):
    text = f"> ## A {kind}\n> Text.\n{{: .{kind}}}\n"
    directive = LEGACY_BOX_CLASSES[kind]
    notes: list[Note] = []
    result = MarkdownConverter(Path("p.md"), notes).convert(text)
    assert result == f":::{{{directive}}} A {kind}\nText.\n:::\n"
    assert notes == []


def test_converter_records_its_conversions():
    text = (
        "# Title\n\n"
        "> ## Outer\n> > ## Inner\n> > Text.\n> {: .solution}\n{: .challenge}\n\n"
        "<img src='a.png'/>\n\n"
        "Some <img src='b.png'> in text.\n"
    )
    converter = MarkdownConverter(Path("p.md"), [])
    converter.convert(text)
    recorded = sorted((c.line, c.box, c.what) for c in converter.conversions)
    assert recorded == [
        (3, "challenge", "a Jekyll/kramdown box ({: .challenge} below a '>' block)"),
        (4, "solution", "a Jekyll/kramdown box ({: .solution} below a '>' block)"),
        (9, "", "a raw <img> line"),
    ]
    from sphinx_refinery.check.legacy import markdown_legacy

    assert markdown_legacy(Path("p.md"), text) == [(line, what) for line, _box, what in recorded]


def test_box_kinds_are_sphinx_refinery_directives():
    from sphinx_refinery.boxes.directives import BOX_KINDS

    names = {name for kind in BOX_KINDS for name in kind.directive_names}
    assert set(LEGACY_BOX_CLASSES.values()) - names == set()


@pytest.mark.parametrize(
    ("spec", "name"),
    [
        ("sphinx-lesson", "sphinx-lesson"),
        ("Sphinx_Lesson==0.8.19", "sphinx-lesson"),
        ("sphinx.lesson >= 0.8", "sphinx-lesson"),
        ("sphinx-lesson[x] ; python_version > '3'", "sphinx-lesson"),
        ("sphinx-lesson @ https://example.org/s.zip", "sphinx-lesson"),
        ("sphinx-lessons", "sphinx-lessons"),
        ("sphinx-lesson-template", "sphinx-lesson-template"),
        ("git+https://github.com/coderefinery/sphinx-lesson.git", None),
        ("-r other.txt", None),
        ("", None),
        # As pip reads them (packaging): not a guess from the first word.
        ("sphinx-lesson (>=0.8)", "sphinx-lesson"),
        ("sphinx-lesson>>0.8", None),
        ("sphinx-lesson=0.8", None),  # conda's "=", which pip refuses
        ("sphinx-lesson --hash=sha256:abc", None),
        ("sphinx lesson", None),
    ],
)
def test_requirement_name(spec, name):
    assert requirement_name(spec) == name


@pytest.mark.parametrize(
    ("spec", "name"),
    [("sphinx-lesson=0.8", "sphinx-lesson"), ("conda-forge::sphinx-lesson", "sphinx-lesson"),
     ("python>=3.11", "python"), ("sphinx-lesson 0.8.*", "sphinx-lesson")],
)
def test_conda_requirement_name(spec, name):
    assert requirement_name(spec, conda=True) == name


@pytest.mark.parametrize(
    ("spec", "marker"),
    [("sphinx-lesson ; python_version >= '3.8'", " ; python_version >= '3.8'"),
     ("sphinx-lesson[x]>=0.8;sys_platform=='linux'", ";sys_platform=='linux'"),
     ("sphinx-lesson @ https://example.org/a.zip ; os_name == 'nt'", " ; os_name == 'nt'"),
     ("sphinx-lesson", ""), ("sphinx-lesson;;", "")],
)
def test_requirement_marker_as_written(spec, marker):
    from sphinx_refinery.migrate.requirements import requirement_marker

    assert requirement_marker(spec) == marker


def test_overlapping_replacements_are_refused():
    with pytest.raises(ValueError):
        apply_edits("abcdef", [Edit(0, 3, "x"), Edit(2, 4, "y")])
    assert apply_edits("abcdef", [Edit(0, 3, ""), Edit(2, 4, "")]) == "ef"


def test_requirement_lines_only_change_beside_sphinx_lesson(tmp_path, capsys):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "conf.py").write_text('extensions = ["sphinx_tabs.tabs"]\n')
    (tmp_path / "requirements.txt").write_text("sphinx-tabs\nsphinx\n")
    before = tree(tmp_path)
    code, out, _ = run_migrate(capsys, tmp_path)
    assert code == 0
    assert tree(tmp_path) == before
    assert "Nothing to change" in out


# --------------------------------------------------------------------------- #
# Files: line ends, encodings, modes


def _box_lesson(root: Path, episode: bytes) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "content" / "conf.py").write_text('extensions = ["sphinx_lesson"]\n')
    (root / "content" / "episode.md").write_bytes(episode)
    return root / "content" / "episode.md"


def test_crlf_and_byte_order_mark_are_kept(tmp_path, capsys):
    text = "# Episode\n\n> ## Task\n> Do it.\n{: .challenge}\n\nAfter.\n"
    page = _box_lesson(tmp_path, b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert run_migrate(capsys, tmp_path)[0] == 0
    data = page.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# Episode\r\n")
    assert re.search(rb"(?<!\r)\n", data) is None
    assert data.decode("utf-8-sig") == (
        "# Episode\n\n:::{challenge} Task\nDo it.\n:::\n\nAfter.\n".replace("\n", "\r\n")
    )


def test_mixed_line_ends_are_kept_on_untouched_lines(tmp_path, capsys):
    raw = b"# Episode\r\nfirst\n\n> ## Task\r\n> Do it.\n{: .challenge}\n\nlast\r\n"
    page = _box_lesson(tmp_path, raw)
    assert run_migrate(capsys, tmp_path)[0] == 0
    assert (
        page.read_bytes() == b"# Episode\r\nfirst\n\n:::{challenge} Task\nDo it.\n:::\n\nlast\r\n"
    )


def test_writes_keep_the_file_mode_and_leave_no_temporary_files(tmp_path, capsys):
    page = _box_lesson(tmp_path, b"> ## Task\n> Do it.\n{: .challenge}\n")
    page.chmod(0o640)
    assert run_migrate(capsys, tmp_path)[0] == 0
    assert stat.S_IMODE(page.stat().st_mode) == 0o640
    assert page.read_text() == ":::{challenge} Task\nDo it.\n:::\n"
    assert sorted(p.name for p in page.parent.iterdir()) == ["conf.py", "episode.md"]


def test_a_failed_write_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    target = tmp_path / "file.txt"
    target.write_bytes(b"old\n")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(target, b"new\n")
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]


def test_not_utf8_files_are_reported_and_left_alone(tmp_path, capsys):
    page = _box_lesson(tmp_path, "> ## Tâche\n{: .challenge}\n".encode("latin-1"))
    code, out, err = run_migrate(capsys, tmp_path)
    assert (code, err) == (0, "")
    assert page.read_bytes() == "> ## Tâche\n{: .challenge}\n".encode("latin-1")
    assert "content/episode.md: is not UTF-8 text: left alone" in left_alone(out)
    assert "sphinx_refinery" in (tmp_path / "content" / "conf.py").read_text()


def test_unreadable_conf_py_is_reported(tmp_path, capsys, monkeypatch):
    lesson = copy_case("requirements-plain", tmp_path / "lesson")
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "conf.py":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, out, err = run_migrate(capsys, lesson)
    assert (code, err) == (0, "")
    assert "content/conf.py: could not be read (Permission denied): left alone" in left_alone(out)
    monkeypatch.setattr(Path, "read_bytes", real)
    assert (lesson / "content" / "conf.py").read_text() == "extensions = ['sphinx_lesson']\n"
    assert "sphinx-refinery" in (lesson / "requirements.txt").read_text()


def test_syntax_error_in_conf_py_is_reported_without_traceback(tmp_path, capsys):
    (tmp_path / "conf.py").write_text('extensions = ["sphinx_lesson"\nnb_execution_mode = "off"\n')
    (tmp_path / "requirements.txt").write_text("sphinx-lesson\n")
    code, out, err = run_migrate(capsys, tmp_path)
    assert (code, err) == (0, "")
    assert "Traceback" not in out
    assert left_alone(out)[0].startswith("conf.py:")
    assert "does not parse" in left_alone(out)[0]
    assert (tmp_path / "requirements.txt").read_text() == "sphinx-refinery[notebooks]\n"


def test_an_unexpected_error_leaves_that_file_alone(tmp_path, capsys, monkeypatch):
    page = _box_lesson(tmp_path, b"> ## Task\n{: .challenge}\n")

    def broken(self, text):
        raise RuntimeError("a bug")

    monkeypatch.setattr(MarkdownConverter, "convert", broken)
    code, out, err = run_migrate(capsys, tmp_path)
    assert (code, err) == (0, "")
    assert page.read_bytes() == b"> ## Task\n{: .challenge}\n"
    assert "content/episode.md: could not be migrated (RuntimeError: a bug): left alone" in (
        left_alone(out)
    )
    assert "sphinx_refinery" in (tmp_path / "content" / "conf.py").read_text()


def test_python_with_cr_line_ends_is_left_alone(tmp_path, capsys):
    (tmp_path / "conf.py").write_bytes(b'x = 1\rextensions = ["sphinx_lesson"]\r')
    code, out, _ = run_migrate(capsys, tmp_path)
    assert code == 0
    assert (tmp_path / "conf.py").read_bytes() == b'x = 1\rextensions = ["sphinx_lesson"]\r'
    assert "conf.py: Python with old Mac line ends (CR): its rewrites skipped" in left_alone(out)


def test_build_and_environment_folders_are_skipped(tmp_path, capsys):
    _box_lesson(tmp_path, b"# Episode\n")
    for folder in ("content/_build/html", ".venv/lib", "node_modules/x", "env-with-venv"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "requirements.txt").write_text("sphinx-lesson\n")
        (tmp_path / folder / "page.md").write_text("> ## T\n{: .challenge}\n")
    before = tree(tmp_path)
    assert run_migrate(capsys, tmp_path)[0] == 0
    after = tree(tmp_path)
    assert {n for n in before if before[n] != after[n]} == {"content/conf.py"}


# --------------------------------------------------------------------------- #
# Command line: paths and exit status


def test_missing_path_is_a_usage_error(tmp_path, capsys):
    code, out, err = run_migrate(capsys, tmp_path / "nowhere")
    assert code == 2
    assert "nowhere: no such folder" in err
    assert out == ""


def test_a_file_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "conf.py").write_text("extensions = []\n")
    code, _, err = run_migrate(capsys, tmp_path / "conf.py")
    assert code == 2
    assert "not a folder" in err


def test_no_path_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["migrate"])
    assert exit_info.value.code == 2


def test_a_folder_that_is_no_lesson_is_an_error(tmp_path, capsys):
    # An empty folder, or one like /usr: not "Nothing to change", which says it is migrated.
    code, out, err = run_migrate(capsys, tmp_path)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "not a lesson: no conf.py in it" in err


def test_a_folder_above_lessons_is_refused_and_left_alone(tmp_path, capsys):
    # Another project beside the lesson: its requirements.txt is not the lesson's.
    lesson = copy_case("python-imports", tmp_path / "lesson")
    other = tmp_path / "other-project"
    other.mkdir()
    (other / "requirements.txt").write_text("requests\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    code, _out, err = run_migrate(capsys, tmp_path)
    assert code == 2 and "not a lesson" in err
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    code, _out, _err = run_migrate(capsys, lesson, "--force")
    assert code == 0
    assert (other / "requirements.txt").read_text(encoding="utf-8") == "requests\n"


def test_the_command_in_a_subprocess(tmp_path):
    lesson = copy_case("python-imports", tmp_path / "lesson")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx_refinery", "migrate", str(lesson)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Changed 7 file(s):" in result.stdout
    assert result.stderr == ""
    assert tree(lesson) == tree(CASES_DIR / "python-imports" / "after")
    missing = subprocess.run(
        [sys.executable, "-m", "sphinx_refinery", "migrate", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2
    assert "Traceback" not in missing.stderr


# --------------------------------------------------------------------------- #
# git: refusing to touch uncommitted work


def test_a_folder_outside_git_is_migrated(tmp_path, capsys):
    lesson = copy_case("requirements-plain", tmp_path / "lesson")
    if GIT:
        probe = subprocess.run(
            ["git", "-C", str(lesson), "rev-parse"], capture_output=True, check=False
        )
        assert probe.returncode != 0
    code, out, _ = run_migrate(capsys, lesson)
    assert code == 0
    assert "Changed 2 file(s)" in out
    assert tree(lesson) == tree(CASES_DIR / "requirements-plain" / "after")


@needs_git
def test_clean_repository_is_migrated(tmp_path, capsys):
    lesson = committed_repo(copy_case("requirements-plain", tmp_path / "lesson"))
    code, _, err = run_migrate(capsys, lesson)
    assert (code, err) == (0, "")
    assert tree(lesson) == tree(CASES_DIR / "requirements-plain" / "after")
    assert set(git(lesson, "status", "--porcelain").split()) == {
        "M",
        "content/conf.py",
        "requirements.txt",
    }


@needs_git
@pytest.mark.parametrize("state", ["modified", "staged", "untracked"])
def test_uncommitted_changes_are_refused(state, tmp_path, capsys):
    lesson = copy_case("requirements-plain", tmp_path / "lesson")
    requirements = lesson / "requirements.txt"
    if state == "untracked":
        requirements.rename(tmp_path / "requirements.txt")
        committed_repo(lesson)
        (tmp_path / "requirements.txt").rename(requirements)
    else:
        committed_repo(lesson)
        requirements.write_text(requirements.read_text() + "furo\n")
        if state == "staged":
            git(lesson, "add", "requirements.txt")
    before = snapshot(lesson)
    code, out, err = run_migrate(capsys, lesson)
    assert code == 1
    assert "uncommitted changes" in err
    assert "  requirements.txt" in err.splitlines()
    assert "content/conf.py" not in err
    assert snapshot(lesson) == before
    assert "Changed" not in out


@needs_git
def test_ignored_files_count_as_uncommitted(tmp_path, capsys):
    lesson = copy_case("requirements-plain", tmp_path / "lesson")
    (lesson / ".gitignore").write_text("content/scratch.md\n")
    committed_repo(lesson)
    (lesson / "content" / "scratch.md").write_text("> ## Try\n{: .challenge}\n")
    assert git(lesson, "status", "--porcelain") == ""
    code, _, err = run_migrate(capsys, lesson)
    assert code == 1
    assert "  content/scratch.md" in err.splitlines()
    assert (lesson / "content" / "scratch.md").read_text() == "> ## Try\n{: .challenge}\n"


@needs_git
def test_force_overrides_the_refusal(tmp_path, capsys):
    lesson = committed_repo(copy_case("requirements-plain", tmp_path / "lesson"))
    conf = lesson / "content" / "conf.py"
    conf.write_text(conf.read_text() + "# my own edit\n")
    assert run_migrate(capsys, lesson)[0] == 1
    code, out, err = run_migrate(capsys, lesson, "--force")
    assert (code, err) == (0, "")
    assert conf.read_text() == "extensions = ['sphinx_refinery']\n# my own edit\n"
    assert "Changed 2 file(s)" in out


@needs_git
def test_uncommitted_files_migrate_leaves_alone_do_not_block(tmp_path, capsys):
    lesson = committed_repo(copy_case("requirements-plain", tmp_path / "lesson"))
    (lesson / "notes.txt").write_text("scratch\n")
    (lesson / ".github" / "workflows" / "build.yml").write_text("jobs: {}\n")
    code, _, err = run_migrate(capsys, lesson)
    assert (code, err) == (0, "")
    assert "sphinx_refinery" in (lesson / "content" / "conf.py").read_text()


@needs_git
def test_dry_run_in_a_dirty_repository_warns_and_writes_nothing(tmp_path, capsys):
    lesson = committed_repo(copy_case("requirements-plain", tmp_path / "lesson"))
    (lesson / "requirements.txt").write_text("sphinx-lesson\n")
    before = snapshot(lesson)
    code, out, _ = run_migrate(capsys, lesson, "--dry-run")
    assert code == 0
    assert "a real run would refuse" in out
    assert "+sphinx-refinery" in out
    assert snapshot(lesson) == before


def test_without_git_a_repository_is_refused(tmp_path, capsys, monkeypatch):
    lesson = copy_case("requirements-plain", tmp_path / "lesson")
    (lesson / ".git").mkdir()

    def no_git(*args, **kwargs):
        raise FileNotFoundError("git")

    monkeypatch.setattr(subprocess, "run", no_git)
    before = snapshot(lesson)
    code, _, err = run_migrate(capsys, lesson)
    assert code == 1
    assert "git is not installed" in err
    assert snapshot(lesson) == before
    assert run_migrate(capsys, lesson, "--force")[0] == 0
    assert "sphinx-refinery" in (lesson / "requirements.txt").read_text()


def test_without_git_a_plain_folder_is_migrated(tmp_path, capsys, monkeypatch):
    lesson = copy_case("requirements-plain", tmp_path / "lesson")

    def no_git(*args, **kwargs):
        raise FileNotFoundError("git")

    monkeypatch.setattr(subprocess, "run", no_git)
    code, _, err = run_migrate(capsys, lesson)
    assert (code, err) == (0, "")
    assert tree(lesson) == tree(CASES_DIR / "requirements-plain" / "after")


# --------------------------------------------------------------------------- #
# The real lessons


def corpus_lesson(name: str) -> Path:
    path = CORPUS / "lessons" / name
    if not path.is_dir():
        if CORPUS_REQUIRED:
            pytest.fail(f"the lesson corpus is missing on CI: {path}")
        pytest.skip(f"the lesson corpus is not here ({path}): it lives beside the checkout")
    return path


#: What migrate must do to each real lesson: (file, text it must then hold).
CORPUS_EXPECTED = {
    "git-intro": [
        ("content/conf.py", '    "sphinx_refinery",\n'),
        ("requirements.txt", "\nsphinx-refinery[notebooks]\n"),
    ],
    "testing": [
        ("content/conf.py", "    'sphinx_refinery',\n"),
        ("content/motivation.md", "---\nteaching: 15\n---\n# Motivation\n"),
        ("content/conclusions.md", "---\nteaching: 5\n---\n"),
        ("requirements.txt", "\nsphinx-refinery[notebooks]\n"),
    ],
    "intermediate-mpi": [
        (
            "content/custom.py",
            "\nfrom sphinx_refinery.compat import BoxDirective as _BaseCRDirective\n",
        ),
        ("content/communicators-groups.rst", ":teaching: 40\n\n.. _comms-groups:\n"),
        ("content/mpi-and-threads-pt1.rst", ":teaching: 70\n\nIntroducing MPI and threads\n"),
        ("requirements.txt", "\nsphinx-refinery\n"),
    ],
    "sphinx-lesson-docs": [
        ("content/conf.py", "    'sphinx_refinery',\n"),
        (
            "content/conf.py",
            (
                "\n# sphinx-refinery migrate: no equivalent, kept for reference: "
                "sphinx_lesson_transform_html_img = False\n"
            ),
        ),
    ],
}


@pytest.mark.parametrize("name", CORPUS_LESSONS)
def test_corpus_lesson(name, tmp_path, capsys):
    source = corpus_lesson(name)
    lesson = writable_copy(source, tmp_path / name)
    code, out, err = run_migrate(capsys, lesson)
    assert (code, err) == (0, "")
    for path, text in CORPUS_EXPECTED[name]:
        assert text in (lesson / path).read_text(encoding="utf-8")
    assert_nothing_lost(source, lesson)
    # Nothing of sphinx-lesson is left where Sphinx or pip would look.
    for path in lesson.rglob("requirements*.txt"):
        names = {requirement_name(line) for line in path.read_text().splitlines()}
        assert "sphinx-lesson" not in names
    for path in lesson.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "sphinx_lesson" not in text:
            continue
        module = ast.parse(text)
        assert not [v for v in extension_strings(module) if v.startswith("sphinx_lesson")]
        imported = [
            node
            for node in ast.walk(module)
            if isinstance(node, ast.Import | ast.ImportFrom)
            and "sphinx_lesson" in ast.unparse(node)
        ]
        assert imported == []
    first = snapshot(lesson)
    code, out, _ = run_migrate(capsys, lesson)
    assert code == 0
    assert "Nothing to change" in out
    assert snapshot(lesson) == first


def test_corpus_legacy_syntax_docs_stay_as_they_are(tmp_path, capsys):
    source = corpus_lesson("sphinx-lesson-docs")
    lesson = writable_copy(source, tmp_path / "docs")
    before = tree(lesson)
    code, out, _ = run_migrate(capsys, lesson)
    assert code == 0
    after = tree(lesson)
    assert {n for n in before if before[n] != after[n]} == {"content/conf.py"}
    assert [line for line in left_alone(out) if ".md" in line or ".rst" in line] == []


# -- fences as MyST reads them (markdown-it's tokens) ------------------------------------------


def _convert(text: str) -> tuple[str, list[Note]]:
    notes: list[Note] = []
    return MarkdownConverter(Path("page.md"), notes).convert(text), notes


def test_backticks_indented_four_spaces_are_code_not_a_fence():
    # Never closed, an opening fence would hide the rest of the page from migrate.
    text = "Text.\n\n    ```\n    indented code\n\n> ## Task\n> Do it.\n{: .challenge}\n"
    out, _notes = _convert(text)
    assert ":::{challenge} Task\nDo it.\n:::" in out
    assert "    ```\n    indented code\n" in out  # the code stays as it is


@pytest.mark.parametrize("marker", ["1. ", "- ", "> 1. "])
def test_a_fence_after_a_list_marker_is_a_fence(marker):
    indent = " " * len(marker) if not marker.startswith(">") else ">" + " " * (len(marker) - 1)
    text = f"# Page\n\n{marker}```html\n{indent}<img src=\"pic.png\" alt=\"a picture\">\n{indent}```\n"
    out, notes = _convert(text)
    assert out == text  # code: nothing in it is rewritten
    assert [note.message for note in notes] == ["a raw <img> tag in a code block: left alone"]


def test_a_fence_inside_a_colon_directive_is_read():
    text = ":::{note}\n```\n<img src=\"pic.png\" alt=\"x\">\n```\n<img src=\"real.png\" alt=\"y\">\n:::\n"
    out, _notes = _convert(text)
    assert '```\n<img src="pic.png" alt="x">\n```' in out
    assert "```{image} real.png" in out


def test_a_timing_table_after_indented_backticks_is_read():
    """Backticks indented four spaces are code: they open no fence that would hide the
    table below them; a table shown inside a code fence is an example, not read."""
    from sphinx_refinery.migrate.timing_tables import myst_csv_tables

    table = "```{csv-table}\n:delim: ;\n\n10 min ; {doc}`intro`\n```\n"
    text = "# Index\n\n    ```\n    code\n\n" + table + "\n````markdown\n" + table + "````\n"
    found = list(myst_csv_tables(Path("index.md"), text))
    assert len(found) == 1
    assert [row for _line, row in found[0].rows if row] == ["10 min ; {doc}`intro`"]
