"""Findings as text, GitHub Actions annotations or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from .model import Finding

FORMATS = ("text", "github", "json")
#: GitHub annotation commands by level.
GITHUB_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def display_path(path: Path, root: Path, shown_root: str) -> str:
    """``path`` relative to the current folder when it is below it, else below PATH as given."""
    cwd = Path.cwd().resolve()
    if path.is_relative_to(cwd):
        return path.relative_to(cwd).as_posix()
    if path.is_relative_to(root):
        return (Path(shown_root) / path.relative_to(root)).as_posix()
    return str(path)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(findings: list[Finding], fmt: str, shown: Callable[[Path], str]) -> str:
    if fmt == "json":
        return json.dumps(
            [
                {
                    "path": shown(f.path),
                    "line": f.line,
                    "column": f.col,
                    "level": f.level,
                    "rule": f.rule,
                    "message": f.message,
                }
                for f in findings
            ],
            indent=2,
        )
    lines = []
    for f in findings:
        if fmt == "github":
            lines.append(
                f"::{GITHUB_COMMANDS[f.level]} file={_escape_property(shown(f.path))},"
                f"line={f.line},col={f.col},title={_escape_property(f.rule)}::{_escape_data(f.message)}"
            )
        else:
            lines.append(f"{shown(f.path)}:{f.line}:{f.col}: {f.level} [{f.rule}] {f.message}")
    return "\n".join(lines)


def summary(findings: list[Finding]) -> str:
    counts = {
        level: sum(f.level == level for f in findings) for level in ("error", "warning", "info")
    }
    if not findings:
        return "No problems found."
    parts = [f"{n} {level}{'s' if n != 1 else ''}" for level, n in counts.items() if n]
    return "Found " + ", ".join(parts) + "."
