"""Lesson rules that the build, ``sphinx-refinery check`` and ``migrate`` share, free of Sphinx.

Each rule is decided here once, so that the build (from its environment) and
the checker (from its reading of the sources) give the same answer: the box
kinds, what an episode is, which box a solution belongs to, minutes and clock
times, the timing rules, label normalisation, page order and the directives
whose content is not markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# -- box kinds -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """A built-in box kind, as plain data (its title and icon are the build's, in boxes.py)."""

    name: str  # the directive and the CSS class
    aliases: tuple[str, ...] = ()  # other directive names (sphinx-lesson's)
    collapsible: str | None = None  # None: a plain box; "closed"/"open": folded in HTML
    timed: bool = False  # takes ``:time:`` minutes
    question: bool = False  # poses a task or a question: a solution may belong to it
    episode: bool = False  # makes its page an episode
    legacy: bool = True  # a box class of sphinx-lesson and its kramdown pages

    @property
    def directive_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


EXERCISE = "exercise"
SOLUTION = "solution"

#: The built-in kinds, in the order the documentation lists them.
KINDS: tuple[Kind, ...] = (
    Kind(EXERCISE, aliases=("challenge",), timed=True, question=True, episode=True),
    Kind(SOLUTION, collapsible="closed"),
    Kind("instructor-note"),
    Kind("discussion", timed=True, question=True),
    Kind("keypoints", episode=True),
    Kind("objectives", episode=True),
    Kind("questions"),
    Kind("prerequisites", aliases=("prereq",)),
    Kind("callout"),
    Kind("checklist"),
    Kind("testimonial"),
    Kind("demo", timed=True, question=True),
    Kind("type-along", timed=True, question=True),
    Kind("homework", question=True),
    Kind("output"),
    # sphinx-togglebutton's directive, which sphinx-lesson lessons use: a folded box.
    Kind("toggle", collapsible="closed", legacy=False),
    # The Carpentries Workbench's kinds sphinx-refinery had no box for.
    Kind("spoiler", collapsible="closed", legacy=False),
    Kind("hint", collapsible="closed", legacy=False),
    Kind("caution", legacy=False),
)

#: Boxes that pose a task or a question, so a solution may belong to them.
QUESTION_KINDS = frozenset(kind.name for kind in KINDS if kind.question)
#: Boxes that make a page an episode (rather than a setup or reference page).
EPISODE_KINDS = frozenset(kind.name for kind in KINDS if kind.episode)
#: Directive name (a kind's name or alias) -> kind name.
KIND_OF_DIRECTIVE: dict[str, str] = {
    name: kind.name for kind in KINDS for name in kind.directive_names
}
#: sphinx-lesson's box classes (kramdown ``{: .challenge}``, ``.. instructor_note::``)
#: -> the directive each becomes; sphinx-lesson's names stay as they are.
LEGACY_BOX_CLASSES: dict[str, str] = {
    **{name: name for kind in KINDS if kind.legacy for name in kind.directive_names},
    "instructor_note": "instructor-note",
}


# -- page order ------------------------------------------------------------------------------


def toctree_order(
    root: str, children: Callable[[str], Iterable[str]], docs: Container[str]
) -> list[str]:
    """Pages in reading order: the root page, then its toctree, depth first.

    ``children(page)`` gives a page's toctree entries in order; pages not in
    ``docs`` and pages met before are skipped.
    """
    order: list[str] = []
    seen: set[str] = set()
    stack = [root]
    while stack:
        docname = stack.pop()
        if docname in seen or docname not in docs:
            continue
        seen.add(docname)
        order.append(docname)
        stack.extend(reversed(list(children(docname))))
    return order


# -- episodes and solutions ------------------------------------------------------------------


def is_episode(kinds: Iterable[str | None]) -> bool:
    """A page whose boxes (their kinds) include objectives, an exercise or key points."""
    return any(kind in EPISODE_KINDS for kind in kinds)


def episode_docname(entry: str) -> str:
    """A ``refinery_episodes`` entry as a docname: "episodes/intro.md" -> "episodes/intro"."""
    entry = entry.strip().replace("\\", "/").removeprefix("./")
    for suffix in (".md", ".rst", ".ipynb", ".Rmd", ".txt"):
        if entry.endswith(suffix):
            return entry[: -len(suffix)]
    return entry


def episodes(
    order: Sequence[str],
    kinds_of: Callable[[str], Iterable[str | None]],
    listed: Sequence[str] = (),
) -> list[str]:
    """The episodes among pages in reading order, the front page (``order[0]``) aside.

    With ``listed`` (``refinery_episodes``), the pages it names are the episodes;
    without it, a page whose boxes make it one (:func:`is_episode`): a setup or
    reference page, and the front page, are not episodes."""
    if listed:
        wanted = {episode_docname(entry) for entry in listed}
        return [docname for docname in order[1:] if docname in wanted]
    return [docname for docname in order[1:] if is_episode(kinds_of(docname))]


def on_lesson_schedule(docname: str, listed: Sequence[str]) -> bool:
    """Whether a page that gives timing takes part in the schedule, the timing badges
    and lesson.json: with ``refinery_episodes``, only the episodes it lists do
    (a learners' page with a challenge and minutes is not one); without it, every
    page that gives timing does."""
    return not listed or docname in {episode_docname(entry) for entry in listed}


def missing_episodes(listed: Sequence[str], docs: Container[str]) -> list[str]:
    """``refinery_episodes`` entries that name no page of the build."""
    return [entry for entry in listed if episode_docname(entry) not in docs]


def number_exercises(
    mode: Any, episodes: Sequence[str], numbered: Callable[[str], Iterable[str]]
) -> dict[str, dict[str, str]]:
    """docname -> {box id: number} for the exercises a build shows: "3.2" (the
    episode's place, then the exercise's) or, with mode "lesson", "7".

    ``numbered(docname)`` gives the ids of a page's numbered boxes that are
    shown, in page order; ``mode`` is ``refinery_number_exercises``.
    """
    mode = "episode" if mode is True else mode
    numbers: dict[str, dict[str, str]] = {}
    if not mode:
        return numbers
    count = 0
    for episode, docname in enumerate(episodes, start=1):
        if mode == "episode":
            count = 0
        for ident in numbered(docname):
            count += 1
            numbers.setdefault(docname, {})[ident] = (
                f"{episode}.{count}" if mode == "episode" else str(count)
            )
    return numbers


def solution_owner(kinds: Sequence[str | None], parents: Sequence[int], index: int) -> int:
    """The box a page's solution box ``index`` belongs to, or -1 for none.

    ``kinds`` and ``parents`` describe the page's boxes in order (a parent of -1:
    at the top level). The owner is the question box holding the solution, else
    the last one before it on the page: a solution after a discussion answers the
    discussion, not an exercise further up.
    """
    parent = parents[index]
    while parent >= 0:
        if kinds[parent] in QUESTION_KINDS:
            return parent
        parent = parents[parent]
    return next((i for i in range(index - 1, -1, -1) if kinds[i] in QUESTION_KINDS), -1)


def misplaced_solution(kinds: Sequence[str | None], parents: Sequence[int], index: int) -> bool:
    """A solution that belongs to no question on a page that has questions.

    On a page with no question box at all, solutions are folded sections (the
    Carpentries' setup pages fold each system's instructions so), not answers.
    """
    if solution_owner(kinds, parents, index) >= 0:
        return False
    return any(kind in QUESTION_KINDS for kind in kinds)


# -- minutes and times of day ----------------------------------------------------------------

#: ASCII digits (``str.isdigit`` would take "²" and "①", which ``int`` refuses, and a
#: regex's ``\d`` takes "٣"), then optionally "min": the documented rule.
_MINUTES = re.compile(r"([0-9]+)\s*(?:min)?")
#: What sphinx-lesson lessons' timing tables write ("15 mins", "15 Minutes.", "15 m"),
#: which only ``migrate`` reads: the same digits, more ways to say "minutes".
_TABLE_MINUTES = re.compile(r"([0-9]+)\s*(?:min|mins|minutes?|m)?\.?", re.IGNORECASE)
_CLOCK = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


def _whole_minutes(pattern: re.Pattern[str], text: str) -> int | None:
    match = pattern.fullmatch(text.strip())
    if match is None:
        return None
    try:
        return int(match[1])
    except ValueError:  # more digits than Python converts
        return None


#: The longest a box, an episode or a break may plausibly take: a day. Past it the
#: number is a typo (``:time: 99999999999``), and a schedule would run for centuries.
MAX_MINUTES = 24 * 60


def parse_minutes(text: str) -> int | None:
    """A whole number of minutes ("15", "15 min") up to :data:`MAX_MINUTES`, or None."""
    value = _whole_minutes(_MINUTES, text)
    return value if value is None or value <= MAX_MINUTES else None


def parse_day(text: str) -> int | None:
    """A page's ``day:`` number ("2"), or None (a calendar bounds how many days there are)."""
    return _whole_minutes(_MINUTES, text)


def minutes_problem(text: str) -> str:
    """Why ``text`` is not minutes (for a value :func:`parse_minutes` refuses)."""
    if _MINUTES.fullmatch(text.strip()) is not None:
        return f"is more than {MAX_MINUTES} minutes (a day), which no box or episode takes"
    return "is not a whole number of minutes"


def parse_table_minutes(text: str) -> int | None:
    """The minutes an old timing table's cell gives ("15", "15 mins", "15 minutes."), or None."""
    return _whole_minutes(_TABLE_MINUTES, text)


def parse_clock(text: str) -> int | None:
    """ "09:30" -> 570 minutes after midnight; None when it is not a time of day."""
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        return None
    return int(match[1]) * 60 + int(match[2])


# -- timing ----------------------------------------------------------------------------------

#: Front-matter keys that say how long a page takes.
MINUTE_KEYS = ("teaching", "exercises", "break")



def start_problem(value: Any) -> str:
    """Why a ``start:`` value is not a time of day, and how to write one."""
    text = str(value).strip()
    if text.isascii() and text.isdigit():
        # YAML 1.1 reads an unquoted 13:00 as the base-60 number 13 * 60 + 0 = 780
        # (MyST passes front matter on as text, so the number comes as "780").
        hours, mins = divmod(int(text), 60)
        return (
            f"start: {text} is not a time of day: YAML reads an unquoted {hours}:{mins:02d} "
            f'as the number {text}; quote the time, like start: "{hours:02d}:{mins:02d}"'
        )
    return f"start: {value!r} is not a time of day like 09:00"

def has_timing(metadata: Mapping[str, Any]) -> bool:
    """The page gives teaching, exercises or break minutes (a value that is not a
    number counts: ``timing-value`` reports it, not ``timing-missing``)."""
    return any(metadata.get(key) not in (None, "") for key in MINUTE_KEYS)


def untimed_episodes(
    episode_pages: Iterable[str], metadata: Callable[[str], Mapping[str, Any]], shows_schedule: bool
) -> list[str]:
    """The episodes ``timing-missing`` names: those without timing, in a lesson that
    shows a schedule (which leaves them out). A lesson without one is not asked:
    a badge that is missing leaves nothing out, and a lesson migrated with timing
    for some pages builds as quietly as before."""
    if not shows_schedule:
        return []
    return [page for page in episode_pages if not has_timing(metadata(page))]


def on_schedule(timed: bool, exercise_total: int) -> bool:
    """A page the schedule lists and badges: it gives timing, or its exercises give
    ``:time:`` minutes."""
    return timed or exercise_total > 0


#: What ``timing-missing`` says of an episode, in the build and in check.
#: ``solution-without-exercise``, in the build and in ``check``.
ORPHAN_SOLUTION = (
    "this solution belongs to no exercise (none holds it or comes before it on "
    "the page): move it into or after its exercise, or name the exercise with "
    ":exercise: LABEL"
)


def unknown_exercise(named: str) -> str:
    """``solution-without-exercise`` for a solution naming a label no exercise has."""
    return (
        f"the solution names exercise {named!r}, but no exercise has that label: "
        f"correct :exercise: or give the exercise :label: {named}"
    )


MISSING_TIMING = (
    "episode has no timing: add teaching: and exercises: minutes to its front matter "
    "(rST: :teaching: fields at the top)"
)


def exercise_minutes(boxes: Iterable[tuple[str | None, int | None]]) -> int:
    """The minutes of a page's exercises: the sum of the ``:time:`` of its (kind,
    minutes) boxes that are exercises."""
    return sum(minutes or 0 for kind, minutes in boxes if kind == EXERCISE)


def budget_problem(exercise_total: int, budget: int | None) -> str | None:
    """``timing-budget``: why the exercises do not fit the page's ``exercises:`` minutes."""
    if budget is None or exercise_total <= budget:
        return None
    return (
        f"the exercises' times add up to {exercise_total} min, more than the {budget} min "
        "this episode gives to exercises: raise exercises: or shorten the :time: values"
    )


# -- labels and literal content --------------------------------------------------------------


def normalize_label(label: str) -> str:
    """A label as Sphinx compares it (docutils' ``fully_normalize_name``): case and
    runs of spaces do not count."""
    return " ".join(label.lower().split())


def pandoc_heading_id(text: str) -> str:
    """The id pandoc gives a heading (its ``auto_identifiers``), as the Carpentries'
    Workbench links to it: lower case, only letters, digits, ``_``, ``-`` and ``.``,
    spaces as hyphens, nothing before the first letter; ``section`` when nothing is
    left. MyST uses it for lessons imported from the Workbench
    (``myst_heading_slug_func``), so their ``#anchor`` links keep working."""
    kept = "".join(c for c in text.lower() if c.isalnum() or c in "_-." or c.isspace())
    slug = "-".join(kept.split())
    first = next((i for i, c in enumerate(slug) if c.isalpha()), len(slug))
    return slug[first:] or "section"


#: Directives whose content is not markup: never read for links, labels or boxes.
LITERAL_DIRECTIVES = frozenset(
    {
        "code",
        "code-block",
        "sourcecode",
        "code-cell",
        "raw-cell",
        "highlight",
        "literalinclude",
        "include",
        "math",
        "raw",
        "csv-table",
        "parsed-literal",
        "productionlist",
        "mermaid",
        "graphviz",
        "graph",
        "digraph",
        "glossary",
        "bibliography",
        "jupyter-execute",
        "ipython",
        "doctest",
        "testcode",
        "testoutput",
        "testsetup",
        "testcleanup",
        "autosummary",
        "tabularcolumns",
        "toctree",
        "exec",
        "plot",
    }
)
