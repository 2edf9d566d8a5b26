"""One bound for a plausible box and episode (lesson_rules.MAX_MINUTES), in every tool."""

from __future__ import annotations

import pytest

from sphinx_refinery.commands.cli import main
from sphinx_refinery.model import lesson_rules
from tests.conftest import write_sources

HUGE = "99999999999999999999"
FILES = {
    "conf.py": 'extensions = ["sphinx_refinery"]\nproject = "Huge"\n',
    "index.md": "# Huge\n\n```{schedule}\n:start: 09:00\n```\n\n```{toctree}\nintro\nlong\n```\n",
    "intro.md": (
        "---\nteaching: 10\nexercises: 99999999999\n---\n\n# Intro\n\n"
        f"```{{exercise}} Forever\n:time: {HUGE}\n\nTry.\n```\n"
    ),
    "long.md": "---\nteaching: 1441\n---\n\n# Long\n",
}


def test_the_bound_is_a_day():
    assert lesson_rules.parse_minutes("1440") == 1440
    assert lesson_rules.parse_minutes("1441") is None
    assert lesson_rules.parse_minutes(HUGE) is None


def test_build_warns_of_implausible_minutes(build):
    result = build(FILES)
    text = result.warnings
    assert "'99999999999' is more than 1440 minutes" in text or "99999999999 is more than 1440 minutes" in text.replace("'", "")
    assert f"{HUGE}' is more than 1440 minutes" in text
    assert "1441 is more than 1440 minutes" in text.replace("'", "")
    assert "d)" not in result.text("index.html").split("Total")[0][-200:]


def test_check_reports_implausible_minutes(tmp_path, capsys):
    write_sources(tmp_path / "lesson", FILES)
    main(["check", str(tmp_path / "lesson")])
    out = capsys.readouterr().out.replace("'", "")
    assert "exercises: 99999999999 is more than 1440 minutes" in out
    assert f":time: {HUGE} is more than 1440 minutes" in out
    assert "teaching: 1441 is more than 1440 minutes" in out


@pytest.mark.parametrize("command", ["schedule"])
def test_schedule_leaves_implausible_minutes_out(tmp_path, capsys, command):
    write_sources(tmp_path / "lesson", FILES)
    assert main([command, str(tmp_path / "lesson")]) == 0
    out = capsys.readouterr()
    assert "+69444444444444444d" not in out.out and "d)" not in out.out
    assert "is more than 1440 minutes" in out.err
