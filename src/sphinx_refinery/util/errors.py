"""Errors from other code, told in one line."""

from __future__ import annotations


def short_error(text: str) -> str:
    """An error from running conf.py in one line: a traceback's first and last lines."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) > 1 and any(line.startswith("Traceback") for line in lines):
        return f"{lines[0]} {lines[-1]}"
    return " ".join(lines)
