"""Markdown's fenced blocks and front matter, followed line by line."""

from __future__ import annotations

import re

from ..model.lesson_rules import LITERAL_DIRECTIVES

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
COLON_FENCE = re.compile(r"^[ \t]*(?P<fence>:{3,})(?P<info>.*)$")
#: Colon-fence directives whose content is not Markdown (``eval-rst`` holds rST).
LITERAL_FENCES = LITERAL_DIRECTIVES | {"eval-rst"}


class FenceTracker:
    """Follows fenced blocks line by line.

    ``feed`` tells what a line belongs to: ``"code"`` (a fenced code block or a
    colon-fence directive whose content is literal, fences included),
    ``"directive"`` (a backtick/tilde-fenced MyST directive: Markdown, but left
    alone), or None. Other colon-fence directives (``:::{note}``) hold Markdown:
    their lines are None, and ``colons`` is how many of them are open.
    """

    def __init__(self) -> None:
        self.fence: str | None = None
        self.kind: str | None = None
        self.colon_stack: list[int] = []

    @property
    def colons(self) -> int:
        return len(self.colon_stack)

    def feed(self, line: str) -> str | None:
        if self.fence is not None:
            kind = self.kind
            stripped = line.strip()
            if stripped and set(stripped) == {self.fence[0]} and len(stripped) >= len(self.fence):
                self.fence = self.kind = None
            return kind
        match = _FENCE_OPEN.match(line)
        if match and not (match.group("fence")[0] == "`" and "`" in match.group("info")):
            self.fence = match.group("fence")
            name = re.match(r"\{([^}]*)\}", match.group("info").strip())
            literal = name is None or name.group(1).strip() in LITERAL_FENCES
            self.kind = "code" if literal else "directive"
            return self.kind
        match = COLON_FENCE.match(line)
        if match:
            fence = match.group("fence")
            info = match.group("info").strip()
            name = re.match(r"\{([^}]*)\}", info)
            if name and name.group(1).strip() in LITERAL_FENCES:
                self.fence, self.kind = fence, "code"
                return "code"
            if name:
                self.colon_stack.append(len(fence))
            elif not info and self.colon_stack and len(fence) >= self.colon_stack[-1]:
                self.colon_stack.pop()
        return None


def front_matter_end(lines: list[str]) -> int:
    """Index of the line after a YAML front matter block, else 0."""
    if lines and lines[0].rstrip() == "---":
        for index in range(1, len(lines)):
            if lines[index].rstrip() in ("---", "..."):
                return index + 1
    return 0
