"""Generated lessons and command lines: no traceback, every warning located, nothing dropped.

Hypothesis writes whole small lessons (boxes of every kind, nested, with any
title and label text, front matter, tabs, ``only``, includes; MyST and rST)
and builds each in two builders; and it drives the command line with odd paths
and options. Bounded (few examples, no deadline) so the suites run in CI.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_refinery.boxes.directives import BOX_KINDS
from sphinx_refinery.commands.cli import main
from tests.conftest import build_once, write_sources

KIND_NAMES = [name for kind in BOX_KINDS for name in kind.directive_names]
TIMED_NAMES = {name for kind in BOX_KINDS if kind.timed for name in kind.directive_names}
#: Text an author may write in a title or a label: anything on one line, and markup.
LINE = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
    st.sampled_from(["```", ":::", "{exercise}", "<!--", "</script>", "%s", "{name}", "`code`", "*",
                     "[x](y)", "$x$", "\\", "|sub|", "Solution", "ex-1", ":label: x", "a <b>"]),
).map(lambda text: " ".join(text.split()))
#: `only` expressions, and the builders for which each holds.
ONLY = {"html": {"html"}, "text": {"text"}, "latex": {"latex"}, "nosuchtag": set(),
        "not nosuchtag": {"html", "text", "latex"}}
MINUTES = st.sampled_from(["", "5", "15 min", "0", "-1", "5²", "①", "abc", "99999999999999999999", "13:00"])
#: A deeper local run, with fresh random examples: REFINERY_EXAMPLES=200 pytest tests/test_generated_lessons.py
#: By default the examples are the same on every run, so CI never turns red by chance.
#: (Eight were too few: a box directive that dropped every body passed them.)
DEEP = "REFINERY_EXAMPLES" in os.environ
SETTINGS = settings(
    max_examples=int(os.environ.get("REFINERY_EXAMPLES", "25")),
    derandomize=not DEEP,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass
class Block:
    """One piece of a page; ``marker`` is a word the output must show."""

    kind: str  # "para", "box", "tabs", "only", "include"
    marker: str = ""
    title: str = ""
    label: str = ""
    time: str = ""
    expr: str = ""
    children: list[Block] = field(default_factory=list)

    def depth(self) -> int:
        return 1 + max((child.depth() for child in self.children), default=0)


_markers = itertools.count()


def _marker() -> str:
    return f"mk{next(_markers)}x"


#: What a lesson without mistakes writes: titles, and minutes that are valid.
CLEAN_LINE = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789", min_size=1, max_size=15).map(
    lambda text: " ".join(text.split()) or "Title")
CLEAN_MINUTES = st.sampled_from(["", "5", "15 min", "0"])


@st.composite
def blocks(draw, depth: int = 0, clean: bool = False) -> Block:
    """A block of a page; ``clean``: one the build has no reason to warn about."""
    choices = ["para", "box", "tabs", "include"] + ([] if clean else ["ref"])
    choices += ["box", "only"] if depth < 2 else []
    kind = draw(st.sampled_from(choices))
    line = CLEAN_LINE if clean else LINE
    if kind == "box":
        children = (draw(st.lists(blocks(depth=depth + 1, clean=clean), min_size=1, max_size=2))
                    if depth < 2 else [])
        marker = _marker()
        name = draw(st.sampled_from(KIND_NAMES))
        timed = not clean or name in TIMED_NAMES  # a clean lesson times only what takes :time:
        return Block(
            "box",
            marker=marker,
            title=name + "|" + draw(line),
            # A clean lesson's labels are unique: the marker makes them so.
            label=draw(st.sampled_from(["", f"label-{marker[2:-1]}"])) if clean else draw(st.one_of(st.just(""), LINE)),
            time=draw(st.one_of(st.just(""), CLEAN_MINUTES if clean else MINUTES)) if timed else "",
            children=children,
        )
    if kind == "only":
        return Block("only", expr=draw(st.sampled_from(sorted(ONLY))),
                     children=draw(st.lists(blocks(depth=depth + 1, clean=clean), min_size=1, max_size=2)))
    if kind in ("tabs", "ref"):
        return Block(kind, title=draw(line), marker=_marker())
    return Block(kind, marker=_marker())


def _kind_and_title(block: Block) -> tuple[str, str]:
    kind, _sep, title = block.title.partition("|")
    return kind, title


def render_md(block: Block, includes: dict[str, str]) -> str:
    fence = "`" * (3 + block.depth())
    if block.kind == "para":
        return f"Text {block.marker}.\n"
    if block.kind == "ref":
        return f"See {{numref}}`{block.title or 'x'}` and {{ref}}`{block.title or 'x'}` {block.marker}.\n"
    if block.kind == "include":
        name = f"_inc/{block.marker[2:-1]}.md"  # a name, not the marker: the env keeps names
        includes[name] = f"Included {block.marker}.\n"
        return f"{fence}{{include}} {name}\n{fence}\n"
    if block.kind == "tabs":
        return f"{fence}{{tabs}}\n```{{tab}} {block.title or 'Tab'}\nIn a tab {block.marker}.\n```\n{fence}\n"
    if block.kind == "only":
        inner = "\n".join(render_md(child, includes) for child in block.children)
        return f"{fence}{{only}} {block.expr}\n{inner}\n{fence}\n"
    kind, title = _kind_and_title(block)
    options = [f":label: {block.label}" if block.label else "", f":time: {block.time}" if block.time else ""]
    head = "\n".join(option for option in options if option)
    inner = "\n".join(render_md(child, includes) for child in block.children)
    return f"{fence}{{{kind}}} {title}\n{head}\n\nBox {block.marker}.\n\n{inner}\n{fence}\n"


def render_rst(block: Block, includes: dict[str, str], indent: str = "") -> str:
    if block.kind == "para":
        return f"{indent}Text {block.marker}.\n"
    if block.kind == "ref":
        return f"{indent}See :numref:`{block.title or 'x'}` and :ref:`{block.title or 'x'}` {block.marker}.\n"
    if block.kind == "include":
        name = f"_inc/{block.marker[2:-1]}.rst"
        includes[name] = f"Included {block.marker}.\n"
        return f"{indent}.. include:: /{name}\n"
    if block.kind == "tabs":
        return (f"{indent}.. tabs::\n\n{indent}   .. tab:: {block.title or 'Tab'}\n\n"
                f"{indent}      In a tab {block.marker}.\n")
    inner = "\n".join(render_rst(child, includes, indent + "   ") for child in block.children)
    if block.kind == "only":
        return f"{indent}.. only:: {block.expr}\n\n{inner}\n"
    kind, title = _kind_and_title(block)
    lines = [f"{indent}.. {kind}:: {title}".rstrip()]
    if block.label:
        lines.append(f"{indent}   :label: {block.label}")
    if block.time:
        lines.append(f"{indent}   :time: {block.time}")
    return "\n".join(lines) + f"\n\n{indent}   Box {block.marker}.\n\n{inner}\n"


def expected_markers(block: Block, builder: str, hidden: set[str]) -> list[str]:
    """The markers the output must show; ``hidden``: the kinds the edition leaves out."""
    if block.kind == "only" and builder not in ONLY[block.expr]:
        return []
    if block.kind == "box" and _kind_and_title(block)[0] in hidden:
        return []
    found = [block.marker] if block.marker else []
    for child in block.children:
        found += expected_markers(child, builder, hidden)
    return found


def hidden_markers(block: Block, hidden: set[str], inside: bool = False) -> list[str]:
    """The markers of boxes the edition leaves out, and of all they hold."""
    inside = inside or (block.kind == "box" and _kind_and_title(block)[0] in hidden)
    found = [block.marker] if inside and block.marker else []
    for child in block.children:
        found += hidden_markers(child, hidden, inside)
    return found


@st.composite
def lessons(draw, clean: bool = False):
    pages = {}
    for number in range(draw(st.integers(1, 3))):
        syntax = draw(st.sampled_from(["md", "rst"]))
        content = draw(st.lists(blocks(clean=clean), min_size=1, max_size=4))
        if clean:  # timed, with room for every exercise's minutes (a schedule is shown)
            front = {"teaching": draw(CLEAN_MINUTES.filter(bool)), "exercises": "600"}
        else:
            front = {key: draw(MINUTES) for key in ("teaching", "exercises") if draw(st.booleans())}
        pages[f"ep{number}.{syntax}"] = (front, content)
    if clean:  # a break after a timed page
        timed = next(iter(pages.values()))[0]
        breaks = draw(st.sampled_from(["", "ep0 10"])) if timed else ""
    else:
        breaks = draw(st.sampled_from(["", "ep0 10", "ep1 5", "nosuchpage 5", "ep0 5²"]))
    edition = {
        "refinery_number_exercises": draw(st.sampled_from([False, "episode", "lesson"])),
        "refinery_solutions": draw(st.sampled_from(["collapsed", "hidden"])),
        "refinery_instructor_notes": draw(st.sampled_from(["toggle", "hidden"])),
    }
    return pages, breaks, edition


def hidden_kinds(edition: dict[str, object]) -> set[str]:
    return {
        kind
        for kind, key in (("solution", "refinery_solutions"), ("instructor-note", "refinery_instructor_notes"))
        if edition[key] == "hidden"
    }


def write_lesson(pages, breaks: str, edition: dict[str, object]) -> dict[str, str]:
    includes: dict[str, str] = {}
    settings_lines = "".join(f"{key} = {value!r}\n" for key, value in edition.items())
    files = {
        "conf.py": 'extensions = ["sphinx_refinery"]\nexclude_patterns = ["_inc"]\n' + settings_lines,
        "index.md": "# Lesson\n\n```{schedule}\n"
                    + (f":breaks: {breaks}\n" if breaks else "")
                    + "```\n\n```{exerciselist}\n```\n\n```{toctree}\n"
                    + "\n".join(name.rpartition(".")[0] for name in pages) + "\n```\n",
    }
    for name, (front, content) in pages.items():
        if name.endswith(".md"):
            head = "".join(f"{k}: {v}\n" for k, v in front.items())
            text = (f"---\n{head}---\n" if head else "") + f"# Page {name}\n\n"
            text += "\n".join(render_md(block, includes) for block in content)
        else:
            text = "".join(f":{k}: {v}\n" for k, v in front.items()) + ("\n" if front else "")
            text += f"Page {name}\n{'=' * (5 + len(name))}\n\n"
            text += "\n".join(render_rst(block, includes) for block in content)
        files[name] = text
    files.update(includes)
    return files


def render(name: str, block: Block, includes: dict[str, str], indent: str = "") -> str:
    return render_md(block, includes) if name.endswith(".md") else render_rst(block, includes, indent)


def excusing_lines(name: str, text: str, content: list[Block]) -> dict[str, set[int]]:
    """marker -> the page's lines a warning must point at to excuse its absence: the
    lines of the blocks that hold it (itself, and each block around it)."""
    lines: dict[str, set[int]] = {}

    def walk(block: Block, start: int, indent: str, around: set[int]) -> None:
        chunk = render(name, block, {}, indent)
        offset = text.find(chunk, start)
        assert offset >= 0, (chunk, text)
        first = text.count("\n", 0, offset) + 1
        mine = around | set(range(first, first + chunk.count("\n") + 1))
        if block.marker:
            lines[block.marker] = mine
        child_indent = indent + "   " if not name.endswith(".md") else ""
        for child in block.children:
            walk(child, offset, child_indent, mine)

    for block in content:
        walk(block, 0, "", set())
    return lines


def _located(line: str, src: str) -> tuple[str, int | None]:
    """(file below the source folder, line or None) of a warning line."""
    match = re.match(rf"{re.escape(src)}/([^:]+):(\d+)?", line)
    return match[1], int(match[2]) if match[2] else None


def output_text(outdir: Path, builder: str, page: str) -> str:
    if builder == "html":
        from bs4 import BeautifulSoup

        html = (outdir / f"{page}.html").read_text(encoding="utf-8")
        return BeautifulSoup(html, "html.parser").get_text(" ")
    if builder == "text":
        return (outdir / f"{page}.txt").read_text(encoding="utf-8")
    return "\n".join(p.read_text(encoding="utf-8") for p in outdir.glob("*.tex"))


@SETTINGS
@given(lesson=lessons(), builder=st.sampled_from(["text", "latex"]))
def test_generated_lessons_build_cleanly(tmp_path_factory, lesson, builder):
    pages, breaks, edition = lesson
    files = write_lesson(pages, breaks, edition)
    hidden = hidden_kinds(edition)
    secret = [m for _front, content in pages.values() for block in content for m in hidden_markers(block, hidden)]
    root = tmp_path_factory.mktemp("lesson")
    for name in ("html", builder):
        result = build_once(root / "src", files if name == "html" else None, name,
                            builddir=root / f"build-{name}")
        src = str(result.srcdir)
        lines = result.warning_lines()
        # Every warning says where: a file of the lesson, with a line where it has one.
        assert all(line.startswith(src + "/") for line in lines), result.warnings
        located = [_located(line, src) for line in lines]
        for page, (_front, content) in pages.items():
            shown = output_text(result.outdir, name, page.rpartition(".")[0])
            wanted = [m for block in content for m in expected_markers(block, name, hidden)]
            missing = [m for m in wanted if m not in shown]
            # Nothing the author wrote goes without a word: shown, or warned about where
            # it is (at a line of the block that holds it, or in the file it includes).
            excuses = excusing_lines(page, files[page], content)
            for marker in missing:
                include = f"_inc/{marker[2:-1]}."
                assert any(
                    (where == page and number in excuses[marker]) or where.startswith(include)
                    for where, number in located
                ), (page, marker, files[page], result.warnings)
        # What the edition hides is nowhere in what it publishes, nor in its doctrees.
        if secret:
            for path in (root / f"build-{name}").rglob("*"):
                if path.is_file() and path.name != "objects.inv":
                    data = path.read_bytes()
                    assert not [m for m in secret if m.encode() in data], (str(path), files)


@settings(SETTINGS, max_examples=int(os.environ.get("REFINERY_EXAMPLES", "10")))
@given(lesson=lessons(clean=True), builder=st.sampled_from(["html", "text", "latex"]))
def test_generated_lessons_without_mistakes_show_everything(tmp_path_factory, lesson, builder):
    """A lesson with nothing to warn about: no warning, and every block is shown."""
    pages, breaks, edition = lesson
    files = write_lesson(pages, breaks, edition)
    hidden = hidden_kinds(edition)
    result = build_once(tmp_path_factory.mktemp("clean") / "src", files, builder)
    src = f"{result.srcdir}/"
    assert [line for line in result.warning_lines() if line.startswith(src)] == [], (files, result.warnings)
    for page, (_front, content) in pages.items():
        shown = output_text(result.outdir, builder, page.rpartition(".")[0])
        wanted = [m for block in content for m in expected_markers(block, builder, hidden)]
        assert [m for m in wanted if m not in shown] == [], (page, files[page])


# -- the command line ------------------------------------------------------------------------

LESSON_FILES = {
    "conf.py": 'extensions = ["sphinx_refinery"]\nproject = "Generated"\n',
    "index.md": "# L\n\n```{schedule}\n```\n\n```{toctree}\nfirst\n```\n",
    "first.md": "---\nteaching: 10\n---\n# First\n\n```{exercise}\n:time: 5\nDo.\n```\n",
}
PATHS = st.sampled_from(["lesson", "", "missing", "file.txt", "empty", "raises", "lesson/first.md",
                         "ünïcødé ☃", "lesson/../lesson", "-"])
ODD = st.one_of(st.sampled_from(["09:00", "25:00", "9", "", "first 10", "first 5²", "nosuch 13:00",
                                 "first", ",,,", "first 99999999999999999999"]), LINE)
COMMANDS = st.sampled_from(["check", "schedule", "migrate"])


@st.composite
def command_lines(draw):
    command = draw(COMMANDS)
    argv = [command, draw(PATHS)]
    if command == "check":
        argv += draw(st.lists(st.sampled_from(["--strict", "--format=json", "--format=text", "--select=all",
                                               "--ignore=timing-value", "--select=nosuch", "--format=bogus"]),
                              max_size=2))
    elif command == "schedule":
        for option in ("--start", "--days", "--breaks"):
            if draw(st.booleans()):
                argv += [option, draw(ODD)]
        argv += draw(st.lists(st.sampled_from(["--format=text", "--format=csv", "--format=json",
                                               "-o", "out/x.txt", "-o", "."]), max_size=2))
    else:
        argv.append("--dry-run")  # the fixture lesson stays as it is
        argv += draw(st.lists(st.sampled_from(["--force"]), max_size=1))
    return argv


@pytest.fixture(scope="module")
def cli_folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    write_sources(root / "lesson", LESSON_FILES)
    write_sources(root / "raises", {**LESSON_FILES, "conf.py": "raise ValueError('broken conf')\n"})
    (root / "empty").mkdir()
    (root / "file.txt").write_text("not a lesson\n")
    return root


@SETTINGS
@given(argv=command_lines())
def test_generated_command_lines_never_crash(cli_folder, monkeypatch, argv):
    monkeypatch.chdir(cli_folder)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exit_:  # argparse: a usage error
            status = exit_.code
    assert status in (0, 1, 2), (argv, status)
    errors = [line for line in err.getvalue().splitlines() if "error:" in line]
    assert len(errors) <= 1, (argv, err.getvalue())
    if status == 2:
        # One line saying what is wrong (argparse adds its usage line before it).
        assert errors, (argv, err.getvalue())
    assert "Traceback" not in err.getvalue() + out.getvalue()
