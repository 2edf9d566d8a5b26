"""The rule registry: each check registers with :func:`check`, declaring the rules it
reports next to it; :func:`run` runs the enabled ones over a lesson.

:data:`BY_ID` holds every rule by id, in the order the checks declare them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..lesson import Lesson
from ..model import Finding, Page


@dataclass(frozen=True)
class Rule:
    id: str
    level: str  # "error": the build breaks or shows it wrong; "warning": a reviewer would
    # ask for a change; "info": worth a look
    catches: str
    fix: str


#: (file, line, column, rule id, message)
Hit = tuple[Path, int, int, str, str]
Check = Callable[[Lesson], Iterable[Hit]]
#: Each check, with the ids of the rules it reports.
CHECKS: list[tuple[Check, frozenset[str]]] = []
#: Every rule by id, in the order the checks declare them (``--list-rules`` order).
BY_ID: dict[str, Rule] = {}


def check(*declared: Rule) -> Callable[[Check], Check]:
    """Register a check, declaring the rules it reports."""

    def register(function: Check) -> Check:
        for rule in declared:
            if rule.id in BY_ID:
                raise ValueError(f"rule {rule.id!r} is declared twice")
            BY_ID[rule.id] = rule
        CHECKS.append((function, frozenset(rule.id for rule in declared)))
        return function

    return register


def run(lesson: Lesson, enabled: set[str]) -> list[Finding]:
    """Every finding of the enabled rules, less the suppressed ones, in file order."""
    by_path = {page.path: page for page in lesson.pages.values()}
    findings: set[Finding] = set()
    for function, reports in CHECKS:
        if not reports & enabled:
            continue
        for path, line, col, rule, message in function(lesson):
            if rule not in reports:
                raise ValueError(f"{function.__name__} reports {rule!r}, which it does not declare")
            if rule not in enabled or _suppressed(by_path.get(path), rule, line):
                continue
            findings.add(Finding(path, line, col, rule, BY_ID[rule].level, message))
    return sorted(findings)


def _suppressed(page: Page | None, rule: str, line: int) -> bool:
    if page is None:
        return False
    if page.suppressed_file & {rule, "*"}:
        return True
    return bool(page.suppressed.get(line, set()) & {rule, "*"})
