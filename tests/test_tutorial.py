"""The first-lesson tutorial (docs/tutorial.md) works as written: its files build warning-free."""

from __future__ import annotations

import re

from tests.conftest import ROOT, build_once

FENCE = re.compile(
    r"^(?P<fence>`{3,})(?P<lang>\w+)\n(?P<body>.*?)^(?P=fence)$", re.MULTILINE | re.DOTALL
)


def tutorial_files() -> dict[str, str]:
    text = (ROOT / "docs/tutorial.md").read_text(encoding="utf-8")
    blocks = [(m["lang"], m["body"]) for m in FENCE.finditer(text)]
    [conf] = [body for lang, body in blocks if lang == "python"]
    index, first, exercises = [body for lang, body in blocks if lang == "md"]
    return {"conf.py": conf, "index.md": index, "first.md": first, "exercises.md": exercises}


def test_tutorial_lesson_builds(tmp_path):
    files = tutorial_files()
    assert "{toctree}" in files["index.md"]  # the index page is shown with its toctree
    result = build_once(tmp_path / "content", files, "html")
    assert result.warning_lines() == [], result.warnings
    first = result.html("first").get_text(" ", strip=True)
    assert "Exercise 1.1: Try it" in first
    assert "(10 min)" in first
    assert result.html("first").select("details.solution")
    assert "Try it" in result.html("exercises").get_text()
    assert result.html("index").select("table.refinery-schedule")
