"""What an export changed: each construct the Workbench has no form for, what it became, and why."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Entry:
    page: str  # the source page (docname), or "" for the lesson
    line: int | None
    construct: str  # what the lesson had: "exercise number 1.2", "only block (latex)"
    became: str  # what the Workbench copy has instead
    why: str


@dataclass
class Report:
    entries: list[Entry] = field(default_factory=list)

    def add(self, page: str, line: int | None, construct: str, became: str, why: str) -> None:
        self.entries.append(Entry(page, line, construct, became, why))

    def kinds(self) -> Counter[str]:
        """How many of each construct, by its first words (before any parenthesis)."""
        return Counter(entry.construct.split(" (")[0] for entry in self.entries)

    def as_text(self) -> str:
        if not self.entries:
            return "Nothing needed changing: every construct has a Workbench form.\n"
        lines = [f"{len(self.entries)} constructs written in the nearest Workbench form:"]
        lines += [f"  {count:4d}  {name}" for name, count in sorted(self.kinds().items())]
        lines.append("")
        for entry in self.entries:
            where = entry.page or "(lesson)"
            if entry.line:
                where += f":{entry.line}"
            lines.append(f"{where}: {entry.construct} -> {entry.became} ({entry.why})")
        return "\n".join(lines) + "\n"
