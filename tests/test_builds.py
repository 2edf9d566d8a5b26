"""The example lesson in every builder, and build-mode equivalence (-j, incremental)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_LESSON, build_once

BUILDERS = ["html", "dirhtml", "singlehtml", "latex", "epub", "text", "man", "texinfo", "gettext"]


def copy_lesson(target: Path) -> Path:
    shutil.copytree(EXAMPLE_LESSON, target, ignore=shutil.ignore_patterns("_build"))
    return target


def html_files(outdir: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(outdir)): path.read_bytes()
        for path in sorted(outdir.rglob("*.html"))
        if "_static" not in path.parts
    }


def assert_same_html(left: Path, right: Path) -> None:
    a, b = html_files(left), html_files(right)
    assert sorted(a) == sorted(b)
    differing = [name for name in a if a[name] != b[name]]
    assert differing == []


@pytest.mark.parametrize("builder", BUILDERS)
def test_example_lesson_builds_without_warnings(tmp_path, builder):
    result = build_once(copy_lesson(tmp_path / "src"), None, builder)
    assert result.warning_lines() == [], result.warnings
    produced = [p for p in result.outdir.rglob("*") if p.is_file()]
    assert produced, "the builder wrote nothing"
    if builder in ("html", "dirhtml", "singlehtml", "epub"):
        pages = list(result.outdir.rglob("*.html")) + list(result.outdir.rglob("*.xhtml"))
        text = "".join(p.read_text(encoding="utf-8") for p in pages)
        assert "Rename the variables" in text and 'class="admonition' in text


def test_parallel_build_equals_serial(tmp_path):
    src = copy_lesson(tmp_path / "src")
    serial = build_once(src, None, builddir=tmp_path / "serial", parallel=1)
    parallel = build_once(src, None, builddir=tmp_path / "parallel", parallel=2)
    assert serial.warning_lines() == parallel.warning_lines() == []
    assert_same_html(serial.outdir, parallel.outdir)


NEW_EXERCISE = """
```{exercise} A warm-up
:label: ex-warmup

Name three things in your kitchen, with units.
```
"""


@pytest.mark.parametrize("parallel", [1, 2], ids=["serial", "parallel"])
def test_incremental_build_equals_clean_build(tmp_path, parallel):
    """Edit one episode: numbers, references and the exercise list follow."""
    src = copy_lesson(tmp_path / "src")
    build_once(src, None, builddir=tmp_path / "incremental", parallel=parallel)
    naming = src / "naming.md"
    text = naming.read_text()
    naming.write_text(text.replace("Code is read far more often", NEW_EXERCISE + "\nCode is read far more often"))
    incremental = build_once(src, None, builddir=tmp_path / "incremental", parallel=parallel)
    clean = build_once(src, None, builddir=tmp_path / "clean", parallel=parallel)
    assert incremental.warning_lines() == clean.warning_lines() == []
    # The edit renumbered exercises that other pages refer to.
    assert "Exercise 1.2: Rename the variables" in (clean.outdir / "testing.html").read_text()
    assert_same_html(incremental.outdir, clean.outdir)


def test_aggregate_pages_follow_an_edited_note(tmp_path):
    """Edit an instructor note and a key point: the gathered pages equal a clean build."""
    src = copy_lesson(tmp_path / "src")
    build_once(src, None, builddir=tmp_path / "incremental")
    sharing = src / "sharing.rst"
    text = sharing.read_text()
    sharing.write_text(
        text.replace("Point to :ref:`ex-licence` when learners ask about GPL.", "Mention the EUPL too.")
        .replace("- A licence makes reuse legal.", "- A licence makes reuse legal, and clear.")
    )
    incremental = build_once(src, None, builddir=tmp_path / "incremental")
    clean = build_once(src, None, builddir=tmp_path / "clean")
    for page in ("instructor-guide.html", "keypoints.html"):
        assert (incremental.outdir / page).read_text() == (clean.outdir / page).read_text()
    assert "Mention the EUPL too." in (incremental.outdir / "instructor-guide.html").read_text()
    assert "and clear." in (incremental.outdir / "keypoints.html").read_text()


def test_an_edit_outside_boxes_leaves_gathered_pages_alone(tmp_path):
    """Gathered pages are written again only when what they show changed."""
    src = copy_lesson(tmp_path / "src")
    first = build_once(src, None, builddir=tmp_path / "b")
    # (Sphinx itself rewrites index.html, the page whose toctree lists the edited one.)
    gathered = [first.outdir / p for p in ("exercises.html", "instructor-guide.html", "keypoints.html")]
    before = {p: p.stat().st_mtime_ns for p in gathered}
    naming = src / "naming.md"
    naming.write_text(naming.read_text().replace("Compare these two lines:", "Compare these lines:"))
    again = build_once(src, None, builddir=tmp_path / "b")
    assert "Compare these lines:" in (again.outdir / "naming.html").read_text()
    assert {p: p.stat().st_mtime_ns for p in gathered} == before


def test_writing_every_page_without_reading_any_equals_a_clean_build(tmp_path):
    """``sphinx-build -a`` on an unchanged lesson: numbers, labels and lists come from
    the pickled records alone (nothing is read), and the output is the same."""
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    src = copy_lesson(tmp_path / "src")
    clean = build_once(src, None, builddir=tmp_path / "b")
    before = html_files(clean.outdir)
    doctrees = {p: p.stat().st_mtime_ns for p in (tmp_path / "b" / "doctrees").glob("*.doctree")}
    assert len(doctrees) > 3
    for path in clean.outdir.rglob("*.html"):
        path.unlink()
    app = SphinxTestApp("html", srcdir=src, builddir=tmp_path / "b", status=StringIO(), warning=StringIO())
    try:
        app.build(force_all=True)
    finally:
        app.cleanup()
    assert {p: p.stat().st_mtime_ns for p in doctrees} == doctrees  # no page was read
    assert html_files(clean.outdir) == before
