"""The ``sphinx-refinery`` command: one way for every command to report an error."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys

import pytest

from sphinx_refinery.commands import output as command_output
from sphinx_refinery.commands.cli import build_parser, main
from sphinx_refinery.commands.output import CommandError

PREFIX = "sphinx-refinery {command}: error: "


def _bad_inputs(tmp_path):
    """(command, its arguments, the exit status, words of the message), one per command."""
    a_file = tmp_path / "a-file.txt"
    a_file.write_text("not a folder\n", encoding="utf-8")
    nowhere = tmp_path / "nowhere"
    return {
        "new": (["new", str(a_file), "--no-input"], 2, "not a folder"),
        "update": (["update", str(tmp_path)], 2, "no .copier-answers.yml"),
        "check": (["check", str(nowhere)], 2, "no such file or folder"),
        "migrate": (["migrate", str(nowhere)], 2, "no such folder"),
        "export": (["export", "--to", "workbench", str(nowhere), str(tmp_path / "out")], 2, "no such folder"),
        "schedule": (["schedule", str(nowhere)], 2, "no such folder"),
        "workshop": (["workshop", str(nowhere / "plan.yml")], 2, "cannot be read"),
    }


COMMANDS = ["new", "update", "check", "migrate", "export", "schedule", "workshop"]


@pytest.mark.parametrize("command", COMMANDS)
def test_bad_input_is_one_line_with_the_common_prefix(command, tmp_path):
    args, status, words = _bad_inputs(tmp_path)[command]
    result = subprocess.run(
        [sys.executable, "-m", "sphinx_refinery", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(PREFIX.format(command=command))
    assert words in lines[0]
    assert result.stdout == ""


def test_every_command_is_covered():
    """A new command joins the tests here (its bad input, its run function)."""
    help_text = build_parser().format_help()
    listed = re.findall(r"^    (\w+) {2,}", help_text, re.MULTILINE)
    assert sorted(listed) == sorted(COMMANDS)
    assert sorted(RUNS) == sorted(COMMANDS)


#: Where each command's work starts: (module, function name).
RUNS = {
    "new": ("sphinx_refinery.commands.new", "run_new"),
    "update": ("sphinx_refinery.commands.update", "run_update"),
    "check": ("sphinx_refinery.commands.check", "run"),
    "migrate": ("sphinx_refinery.commands.migrate", "run"),
    "export": ("sphinx_refinery.commands.export", "run"),
    "schedule": ("sphinx_refinery.commands.schedule", "run"),
    "workshop": ("sphinx_refinery.commands.workshop", "run"),
}


def _replace_run(monkeypatch, command: str, run) -> None:
    module, name = RUNS[command]
    monkeypatch.setattr(importlib.import_module(module), name, run)


@pytest.mark.parametrize("command", COMMANDS)
def test_ctrl_c_is_status_130_and_one_line(command, tmp_path, monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    _replace_run(monkeypatch, command, interrupted)
    args, _status, _words = _bad_inputs(tmp_path)[command]
    assert main(args) == 130
    assert capsys.readouterr().err == f"sphinx-refinery {command}: interrupted\n"


@pytest.mark.parametrize("status", [1, 2])
def test_a_command_error_keeps_its_status(status, tmp_path, monkeypatch, capsys):
    def fails(args):
        print("partial output")
        raise CommandError(f"it went wrong ({status})", status=status)

    _replace_run(monkeypatch, "check", fails)
    assert main(["check", str(tmp_path)]) == status
    captured = capsys.readouterr()
    assert captured.out == "partial output\n"
    assert captured.err == f"sphinx-refinery check: error: it went wrong ({status})\n"


def test_warnings_and_notes_share_the_prefix(capsys):
    command_output.warn("schedule", "a page is untimed")
    command_output.warn("update", "guessing less", label="note")
    assert capsys.readouterr().err == (
        "sphinx-refinery schedule: warning: a page is untimed\n"
        "sphinx-refinery update: note: guessing less\n"
    )
