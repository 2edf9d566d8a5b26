"""Text from outside shown safely: control characters escaped, so that a title from a
manifest cannot move the cursor, recolour or rewrite an organiser's terminal, nor
break a line of text output."""

from __future__ import annotations

import re
from typing import Any

#: C0 and C1 controls, line and paragraph separators, and the bidirectional
#: overrides and isolates (which reorder what a terminal shows).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, keep: str = "") -> str:
    """``text`` with each control character written as an escape (``\\x1b``, ``\\u202e``),
    except those in ``keep`` (a command's own multi-line message keeps its ``\\n``)."""
    return _CONTROL.sub(lambda m: m[0] if m[0] in keep else _escape(m), text)


def printable_values(value: Any, depth: int = 0) -> Any:
    """Every string in a JSON-like value made :func:`printable` (keys too)."""
    if depth > 100:  # callers bound the depth already; this stops a cycle
        return value
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [printable_values(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {printable_values(k, depth + 1): printable_values(v, depth + 1) for k, v in value.items()}
    return value
