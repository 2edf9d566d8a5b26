"""Files a command writes are written whole or not at all: a full disk keeps the last good file.

A full disk is played by a file-size limit (RLIMIT_FSIZE) in a child process:
writing past it fails with EFBIG, as writing to a full disk fails with ENOSPC.
"""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
import textwrap

import pytest

from sphinx_refinery.util import whole_file

LIMIT = 4096


def _limited():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def run_limited(args: list[str], cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, check=False, preexec_fn=_limited
    )


def lesson_manifest(episodes: int) -> str:
    return json.dumps({
        "format": "sphinx-refinery-lesson", "version": 1, "lesson": {"title": "Long lesson", "url": ""},
        "episodes": [{"page": f"page-{i}", "title": f"Episode number {i}", "teaching": 1} for i in range(episodes)],
        "schedule": {"options": {}},
    })


def test_workshop_output_on_a_full_disk_keeps_the_last_calendar(tmp_path):
    (tmp_path / "built").mkdir()
    (tmp_path / "built" / "lesson.json").write_text(lesson_manifest(200), encoding="utf-8")
    (tmp_path / "workshop.yml").write_text(
        "timezone: UTC\ndays:\n  - date: 2027-03-16\n    start: '09:00'\n    lessons:\n      - lesson: built\n",
        encoding="utf-8",
    )
    good = "BEGIN:VCALENDAR\r\nthe last run's calendar\r\nEND:VCALENDAR\r\n"
    (tmp_path / "w.ics").write_text(good, encoding="utf-8", newline="")
    done = run_limited(["-m", "sphinx_refinery", "workshop", "workshop.yml", "--format", "ics", "-o", "w.ics"], tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("sphinx-refinery workshop: error: cannot write w.ics"), done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "w.ics").read_bytes() == good.encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["built", "w.ics", "workshop.yml"]  # no temporary left


def test_answers_and_adopted_files_on_a_full_disk(tmp_path):
    answers = tmp_path / "lesson" / ".copier-answers.yml"
    answers.parent.mkdir()
    answers.write_text("_src_path: x\nproject: " + "y" * (LIMIT - 100) + "\n", encoding="utf-8")
    before = answers.read_text(encoding="utf-8")
    source = tmp_path / "big.txt"
    source.write_text("z" * (LIMIT * 2), encoding="utf-8")
    script = textwrap.dedent(f"""
        from pathlib import Path
        from sphinx_refinery.commands import template, update
        from sphinx_refinery.commands.output import CommandError
        try:
            template.record_upstream(Path({str(answers.parent)!r}))
        except CommandError as err:
            print("answers:", err)
        try:
            update.copy_new_file(Path({str(source)!r}), Path({str(tmp_path / "lesson" / "new.txt")!r}))
        except OSError as err:
            print("copy:", err.errno)
    """)
    done = run_limited(["-c", script], tmp_path)
    assert "answers: cannot write" in done.stdout, done.stdout + done.stderr
    assert "copy: 27" in done.stdout  # EFBIG
    assert answers.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in answers.parent.iterdir()) == [".copier-answers.yml"]


def test_helper_keeps_permissions_and_refuses_to_replace_when_exclusive(tmp_path):
    target = tmp_path / "f.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    whole_file.write(target, b"new")
    assert target.read_bytes() == b"new" and (target.stat().st_mode & 0o777) == 0o640
    with pytest.raises(FileExistsError):
        whole_file.write(target, b"other", exclusive=True)
    assert target.read_bytes() == b"new"
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    whole_file.write(link, b"through the link")
    assert link.is_symlink() and target.read_bytes() == b"through the link"
    whole_file.write(link, b"the link replaced", follow_links=False)
    assert not link.is_symlink() and target.read_bytes() == b"through the link"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt", "link.txt"]
