"""The scan of a lesson's files made before its extensions are set up, and its cache."""

from __future__ import annotations

import json
import os

import pytest

from sphinx_refinery.extensions import source_scan
from tests.conftest import write_sources

GRID = "```{grid} 2\n```\n"
TEXT_NOTEBOOK = "---\njupytext:\n  text_representation:\n    format_name: myst\n---\n# Notebook\n"


@pytest.fixture
def reads(monkeypatch):
    """The files the scan reads, in order."""
    seen: list[str] = []
    facts_of = source_scan._facts_of

    def counting(path, size):
        seen.append(path.name)
        return facts_of(path, size)

    monkeypatch.setattr(source_scan, "_facts_of", counting)
    return seen


def test_reads_text_files_and_leaves_out_the_rest(tmp_path):
    write_sources(tmp_path, {"index.md": "# Lesson\n"})
    for folder in (".git", "venv", "conda", "node_modules", "_build"):
        write_sources(tmp_path / folder, {"page.md": GRID, "nb.ipynb": "{}"})
    (tmp_path / "venv" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / "conda" / "conda-meta").mkdir()
    (tmp_path / "script.py").write_text(f'TEXT = """{GRID}"""\n')
    (tmp_path / "data.txt").write_text(GRID)  # lessons ship data as .txt
    (tmp_path / "broken.md").write_bytes(b"\xff\xfe\x00 not text {grid \x80")
    assert source_scan.scan(tmp_path, skip=[tmp_path / "_build", None]) == ((), ())
    write_sources(tmp_path, {"deep/er/part.inc": ".. grid:: 2\n", "nb.md": TEXT_NOTEBOOK, "x/a.ipynb": "{}"})
    facts = source_scan.scan(tmp_path, skip=[tmp_path / "_build"])
    assert facts.design == ("deep/er/part.inc",)
    assert facts.notebooks == ("nb.md", "x/a.ipynb")


def test_a_rebuild_reads_only_the_files_that_changed(tmp_path, reads):
    src, cache = tmp_path / "src", tmp_path / "doctrees"
    write_sources(src, {"index.md": "# Lesson\n", "a.md": "# A\n", "b.md": "# B\n"})
    assert source_scan.scan(src, cache_dir=cache).design == ()
    assert sorted(reads) == ["a.md", "b.md", "index.md"]
    reads.clear()
    assert source_scan.scan(src, cache_dir=cache).design == ()
    assert reads == []
    (src / "b.md").write_text("# B\n\n" + GRID)
    os.utime(src / "b.md", ns=(1, 1))  # a new size alone must do, whatever the clock
    assert source_scan.scan(src, cache_dir=cache).design == ("b.md",)
    assert reads == ["b.md"]
    reads.clear()
    (src / "a.md").unlink()
    assert source_scan.scan(src, cache_dir=cache).design == ("b.md",)
    assert reads == []
    assert "a.md" not in json.loads((cache / source_scan.CACHE_NAME).read_text())["files"]


@pytest.mark.parametrize(
    "damage",
    [
        "",
        "not json",
        "[]",
        '{"key": null}',
        '{"key": KEY, "files": []}',
        '{"key": KEY, "files": {"index.md": "x"}}',
        '{"key": KEY, "files": {"index.md": [0, 0, "yes", null]}}',
        '{"key": ["0", "0"], "files": {}}',
    ],
)
def test_a_damaged_cache_is_read_again(tmp_path, reads, damage):
    src, cache = tmp_path / "src", tmp_path / "doctrees"
    write_sources(src, {"index.md": GRID})
    cache.mkdir()
    (cache / source_scan.CACHE_NAME).write_text(damage.replace("KEY", json.dumps(source_scan._key())))
    assert source_scan.scan(src, cache_dir=cache).design == ("index.md",)
    assert "index.md" in reads


def test_files_too_large_for_a_page_are_not_read(tmp_path, reads, monkeypatch):
    monkeypatch.setattr(source_scan, "MAX_READ", 100)
    write_sources(tmp_path, {"big.md": GRID + "x" * 200, "big.ipynb": "{" + " " * 200 + "}", "page.md": GRID})
    facts = source_scan.scan(tmp_path)
    assert facts.design == ("page.md",)
    assert facts.notebooks == ("big.ipynb",)
    assert sorted(reads) == ["big.ipynb", "big.md", "page.md"]  # asked, and answered by size


def test_a_cache_that_cannot_be_written_is_left_alone(tmp_path):
    src = tmp_path / "src"
    write_sources(src, {"index.md": GRID})
    blocked = tmp_path / "file"
    blocked.write_text("a file where the doctree folder would go")
    assert source_scan.scan(src, cache_dir=blocked).design == ("index.md",)
    assert blocked.read_text().startswith("a file")
