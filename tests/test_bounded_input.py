"""JSON and YAML from outside, too large or too deep: a one-line error, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sphinx_refinery.commands.cli import main
from sphinx_refinery.util import bounded

DEEP = 200_000


def one_line_error(capsys, command: str) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"sphinx-refinery {command}: error: "), err
    assert "Traceback" not in err
    return lines[0]


def test_helper_bounds_depth_and_size(tmp_path, monkeypatch):
    with pytest.raises(bounded.InputError, match="nested"):
        bounded.loads_json("[" * DEEP + "]" * DEEP, "x")
    with pytest.raises(bounded.InputError, match="nested"):
        bounded.loads_json("[" * 100 + "]" * 100, "x")  # parses, but deeper than the bound
    with pytest.raises(bounded.InputError, match="nested"):
        bounded.load_yaml("[" * DEEP + "]" * DEEP, "x")
    with pytest.raises(bounded.InputError, match="nested"):
        bounded.load_yaml("a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 80)) + "  " * 80 + "v", "x")
    assert bounded.loads_json('{"a": [1, {"b": 2}]}', "x") == {"a": [1, {"b": 2}]}
    assert bounded.load_yaml("a: [1, 2]\n", "x") == {"a": [1, 2]}
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    with pytest.raises(bounded.InputError, match="aliases are expanded"):
        bounded.load_yaml(bomb, "x")
    with pytest.raises(bounded.InputError, match="aliases are expanded"):
        bounded.load_yaml("a: &a [x, *a]\n", "x")
    big = tmp_path / "big.json"
    big.write_text("[" + "0," * 600 + "0]", encoding="utf-8")
    monkeypatch.setattr(bounded, "MAX_BYTES", 1000)
    with pytest.raises(bounded.InputError, match="larger than 1000 bytes"):
        bounded.read_text(big)


def test_deep_plan_is_one_line(tmp_path, capsys):
    plan = tmp_path / "workshop.yml"
    plan.write_text("[" * DEEP + "]" * DEEP, encoding="utf-8")
    assert main(["workshop", str(plan)]) == 2
    assert "nested" in one_line_error(capsys, "workshop")


def test_large_plan_is_not_read_whole(tmp_path, capsys, monkeypatch):
    plan = tmp_path / "workshop.yml"
    plan.write_text("title: x\n" + "# padding\n" * 500, encoding="utf-8")
    monkeypatch.setattr(bounded, "MAX_BYTES", 1000)
    assert main(["workshop", str(plan)]) == 2
    assert "larger than 1000 bytes" in one_line_error(capsys, "workshop")


def _plan_with_lesson(tmp_path, manifest_text: str):
    folder = tmp_path / "built"
    folder.mkdir()
    (folder / "lesson.json").write_text(manifest_text, encoding="utf-8")
    plan = tmp_path / "workshop.yml"
    plan.write_text(
        "timezone: UTC\ndays:\n  - date: 2027-03-16\n    start: '09:00'\n    lessons:\n      - lesson: built\n",
        encoding="utf-8",
    )
    return plan


def test_deep_manifest_is_one_line(tmp_path, capsys):
    plan = _plan_with_lesson(tmp_path, "[" * DEEP + "]" * DEEP)
    assert main(["workshop", str(plan)]) == 2
    assert "nested more than" in one_line_error(capsys, "workshop")


def test_large_manifest_is_one_line(tmp_path, capsys, monkeypatch):
    plan = _plan_with_lesson(tmp_path, json.dumps({"format": "x", "pad": "y" * 5000}))
    monkeypatch.setattr(bounded, "MAX_BYTES", 1000)
    assert main(["workshop", str(plan)]) == 2
    assert "larger than 1000 bytes" in one_line_error(capsys, "workshop")


def test_deep_answers_file_is_one_line(tmp_path, capsys):
    (tmp_path / ".copier-answers.yml").write_text("_commit: " + "[" * DEEP + "]" * DEEP, encoding="utf-8")
    assert main(["update", str(tmp_path)]) == 2
    assert "nested" in one_line_error(capsys, "update")


def test_deep_front_matter_is_a_problem_in_check(tmp_path):
    (tmp_path / "conf.py").write_text('extensions = ["sphinx_refinery"]\n', encoding="utf-8")
    (tmp_path / "index.md").write_text("---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n\n# Hi\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "sphinx_refinery", "check", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert "front matter" in done.stdout + done.stderr


def test_the_build_warns_of_a_deep_manifest_and_an_early_date(tmp_path):
    from tests.conftest import build_once

    (tmp_path / "deep").mkdir()
    (tmp_path / "deep" / "lesson.json").write_text("[" * DEEP + "]" * DEEP, encoding="utf-8")
    plan = "timezone: {zone}\ndays:\n  - date: {date}\n    start: '01:00'\n    lessons:\n      - lesson: ../deep\n"
    files = {
        "conf.py": 'extensions = ["sphinx_refinery"]\nproject = "W"\n',
        "index.md": "# W\n\n```{workshop-schedule} deep.yml\n```\n\n```{workshop-schedule} early.yml\n```\n",
        "deep.yml": plan.format(zone="UTC", date="2027-03-16"),
        "early.yml": plan.format(zone="Asia/Tokyo", date="0001-01-01"),
    }
    result = build_once(tmp_path / "src", files, builddir=tmp_path / "build")
    lines = result.warning_lines()
    assert len(lines) == 2, lines
    assert "deep.yml:6: lesson '../deep': " in lines[0] and "nested more than 64 levels" in lines[0]
    assert "early.yml:3: date: 0001-01-01 is out of range" in lines[1]
