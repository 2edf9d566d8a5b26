"""Standard output that cannot be written (full, closed): one line on standard error, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import write_sources

LESSON = {
    "conf.py": 'extensions = ["sphinx_refinery"]\nproject = "Tiny"\n',
    "index.md": "# Tiny\n\n```{toctree}\nintro\n```\n",
    "intro.md": "---\nteaching: 10\n---\n\n# Intro\n\nText.\n",
}


@pytest.fixture(scope="module")
def places(tmp_path_factory):
    root = tmp_path_factory.mktemp("stdout")
    write_sources(root / "lesson", LESSON)
    (root / "built").mkdir()
    (root / "built" / "lesson.json").write_text(
        '{"format": "sphinx-refinery-lesson", "version": 1, "lesson": {"title": "T"},'
        ' "episodes": [{"page": "a", "title": "A", "teaching": 10}]}',
        encoding="utf-8",
    )
    (root / "workshop.yml").write_text(
        "timezone: UTC\ndays:\n  - date: 2027-03-16\n    start: '09:00'\n    lessons:\n      - lesson: built\n",
        encoding="utf-8",
    )
    return root


COMMANDS = {
    "check": lambda root: ["check", str(root / "lesson")],
    "schedule": lambda root: ["schedule", str(root / "lesson")],
    "workshop": lambda root: ["workshop", str(root / "workshop.yml")],
}


def _close_stdout():
    os.close(1)


@pytest.mark.parametrize("how", ["full", "closed"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_failing_standard_output_is_one_line(places, command, how):
    args = [sys.executable, "-m", "sphinx_refinery", *COMMANDS[command](places)]
    if how == "full":
        with open("/dev/full", "w") as full:
            done = subprocess.run(args, stdout=full, stderr=subprocess.PIPE, text=True, check=False)
    else:
        done = subprocess.run(args, stderr=subprocess.PIPE, text=True, check=False, preexec_fn=_close_stdout)
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith(f"sphinx-refinery {command}: error: cannot write to standard output"), done.stderr
    assert done.returncode == 1


def test_closed_standard_output_is_no_error_with_o(places, tmp_path):
    args = [sys.executable, "-m", "sphinx_refinery", "workshop", str(places / "workshop.yml"), "-o", str(tmp_path / "w.txt")]
    done = subprocess.run(args, stderr=subprocess.PIPE, text=True, check=False, preexec_fn=_close_stdout)
    assert done.returncode == 0, done.stderr
    assert "09:00" in (tmp_path / "w.txt").read_text(encoding="utf-8")
