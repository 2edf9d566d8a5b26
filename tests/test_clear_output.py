"""Output that says one thing once: escaped text from manifests, single labels, no
spurious "configuration has changed", and ``--version``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sphinx_refinery import __version__
from sphinx_refinery.commands.cli import main
from sphinx_refinery.util.printable import printable
from tests.conftest import write_sources

EVIL = "\x1b]0;owned\x07\x1b[2J\x1b[31mRed\u202eevil\r\nline\x9b"


def test_printable_escapes_controls_only():
    assert printable(EVIL) == "\\x1b]0;owned\\x07\\x1b[2J\\x1b[31mRed\\u202eevil\\x0d\\x0aline\\x9b"
    assert printable("Äidinkieli データ 👩‍💻 tab-free") == "Äidinkieli データ 👩‍💻 tab-free"


@pytest.mark.parametrize("fmt", ["text", "csv", "md", "ics", "json"])
def test_manifest_text_reaches_no_output_raw(tmp_path, capsys, fmt):
    (tmp_path / "built").mkdir()
    (tmp_path / "built" / "lesson.json").write_text(json.dumps({
        "format": "sphinx-refinery-lesson", "version": 1, "lesson": {"title": EVIL, "url": ""},
        "episodes": [{"page": "intro", "title": EVIL, "teaching": 10}],
    }), encoding="utf-8")
    plan = tmp_path / "workshop.yml"
    plan.write_text(
        "timezone: UTC\ndays:\n  - date: 2027-03-16\n    start: '09:00'\n    lessons:\n      - lesson: built\n",
        encoding="utf-8",
    )
    assert main(["workshop", str(plan), "--format", fmt]) == 0
    out = capsys.readouterr().out
    shown = json.loads(out) if fmt == "json" else None
    text = json.dumps(shown) if shown is not None else out
    for char in ("\x1b", "\x07", "\u202e", "\x9b"):
        assert char not in (out + (str(shown) if shown else ""))
    assert "x1b" in text  # shown, escaped: nothing is dropped


def test_version():
    done = subprocess.run(
        [sys.executable, "-m", "sphinx_refinery", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and done.stdout.strip() == f"sphinx-refinery {__version__}"


def test_schedule_warnings_are_labelled_once(tmp_path, capsys):
    write_sources(tmp_path / "lesson", {
        "conf.py": 'extensions = ["sphinx_refinery"]\nproject = "T"\n',
        "index.md": "# T\n\n```{toctree}\nintro\n```\n",
        "intro.md": "---\nteaching: soon\n---\n\n# Intro\n",
    })
    assert main(["schedule", str(tmp_path / "lesson")]) == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if "soon" in line]
    assert len(lines) == 1
    assert lines[0].startswith("sphinx-refinery schedule: warning: ")
    assert "WARNING" not in lines[0] and "\x1b" not in lines[0]


@pytest.mark.parametrize("design", [False, True], ids=["tab-sets", "sphinx-design"])
def test_an_unchanged_rebuild_finds_the_configuration_unchanged(tmp_path, design):
    markup = "::::{grid} 2\n:::{grid-item}\nx\n:::\n::::\n" if design else "::::{tab-set}\n:::{tab-item} A\nx\n:::\n::::\n"
    write_sources(tmp_path / "src", {
        "conf.py": 'extensions = ["sphinx_refinery"]\nproject = "T"\n',
        "index.md": f"# T\n\n{markup}",
    })
    args = [sys.executable, "-m", "sphinx", "-b", "html", str(tmp_path / "src"), str(tmp_path / "out")]
    first = subprocess.run(args, capture_output=True, text=True, check=True)
    again = subprocess.run(args, capture_output=True, text=True, check=True)
    assert "configuration has changed" not in first.stdout + again.stdout, again.stdout
    assert "0 added, 0 changed, 0 removed" in again.stdout or "none found" in again.stdout
    static = tmp_path / "out" / "_static"
    assert (static / "sphinx-refinery.css").is_file() and (static / "sphinx-design.min.css").is_file()
