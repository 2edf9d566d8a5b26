"""The rules: what each one catches, and the checks that find it in a lesson's facts.

Each check is registered with :func:`check`, which declares the rules it reports
next to it; :data:`RULES` and :data:`BY_ID` are views of those declarations.
Every rule has an id (what ``--select``, ``--ignore``, ``refinery_check_ignore``
and suppression comments name), a level and a one-line fix. The checks read
only :class:`~.model.Page` facts, so they work the same on MyST and rST and
on the command line and in a build.
"""

from __future__ import annotations

import difflib
import fnmatch
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from docutils.nodes import make_id

from .. import lesson_rules, timing
from ..lesson_rules import normalize_label as _norm
from ..other_extensions import sphinx9_problem
from .legacy import conf_extensions, conf_legacy, markdown_legacy, python_legacy
from .lesson import Lesson
from .model import Finding, Link, Page


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


def _pages(lesson: Lesson) -> Iterator[Page]:
    return (page for page in lesson.pages.values() if page.syntax != "ipynb")


# -- configuration and parse problems --------------------------------------------------------


def _parse_problems(lesson: Lesson, rules: set[str]) -> Iterator[Hit]:
    """What the parsers noticed (their problems carry the rule id)."""
    for page in lesson.pages.values():
        for problem in page.problems:
            if problem.rule in rules:
                yield page.path, problem.line, problem.col, problem.rule, problem.message


# -- directives ------------------------------------------------------------------------------


@check(
    Rule(
        "unknown-directive",
        "error",
        "a directive that no loaded extension defines, usually a misspelt name",
        "correct the name (the message suggests close ones), or add the extension that "
        "defines it to conf.py",
    ),
)
def unknown_directives(lesson: Lesson) -> Iterator[Hit]:
    known = lesson.settings.known
    if not known.complete and known.conf_failed:
        return  # conf.py did not run: its extensions' directives cannot be known (see config)
    names = sorted(known.names)
    plain = [n for n in names if ":" not in n]
    for page in _pages(lesson):
        for directive in page.directives:
            if directive.name in known:
                continue
            pool = names if ":" in directive.name else plain
            close = difflib.get_close_matches(directive.name, pool, n=3, cutoff=0.75)
            if close:
                suggestion = " or ".join(repr(c) for c in close)
                message = f"unknown directive {directive.name!r}: did you mean {suggestion}?"
            elif not known.complete:
                continue  # it may come from the extension that could not be loaded
            else:
                message = (
                    f"unknown directive {directive.name!r}: no extension of this lesson defines "
                    "it; correct the name, or add the extension that provides it to conf.py"
                )
            yield page.path, directive.line, directive.col, "unknown-directive", message


@check(
    Rule(
        "unclosed-fence",
        "error",
        "a MyST backtick or colon fence that is opened but never closed",
        "add the closing fence (as many backticks or colons as the opening one)",
    ),
    Rule(
        "fence-nesting",
        "error",
        "a fence inside a fence of the same length or longer, whose closing line closes the "
        "outer one early",
        "make the outer fence longer than every fence inside it (```` around ```)",
    ),
)
def fence_problems(lesson: Lesson) -> Iterator[Hit]:
    return _parse_problems(lesson, {"unclosed-fence", "fence-nesting"})


# -- exercises and solutions -----------------------------------------------------------------


def _kind(lesson: Lesson, name: str) -> str | None:
    return lesson.settings.kinds.get(name)


@check(
    Rule(
        "solution-without-exercise",
        "warning",
        "a solution that is not inside an exercise, follows none on its page, and names none "
        "with :exercise: (or names a label no exercise has)",
        "move the solution into or after its exercise, or give it :exercise: LABEL",
    ),
    Rule(
        "exercise-without-solution",
        "info",
        "an exercise that no solution belongs to",
        "add a solution, if the exercise has one answer",
    ),
)
def exercises_and_solutions(lesson: Lesson) -> Iterator[Hit]:
    exercise_labels: set[str] = set()
    for page in _pages(lesson):
        for directive in page.directives:
            if _kind(lesson, directive.name) == "exercise":
                for key in ("label", "name"):
                    if directive.options.get(key):
                        exercise_labels.add(_norm(directive.options[key]))
    answered: set[str] = set()  # exercise labels that a solution names
    unanswered: list[tuple[Page, int]] = []
    for page in _pages(lesson):
        kinds = [_kind(lesson, d.name) for d in page.directives]
        parents = [d.parent for d in page.directives]
        has_solution: set[int] = set()
        for index, directive in enumerate(page.directives):
            if kinds[index] != "solution":
                continue
            named = directive.options.get("exercise", "").strip()
            if named:
                if _norm(named) in exercise_labels:
                    answered.add(_norm(named))
                    continue
                yield (
                    page.path,
                    directive.line,
                    directive.col,
                    "solution-without-exercise",
                    f"the solution names exercise {named!r}, but no exercise has that label: "
                    "correct :exercise: or give the exercise :label: " + named,
                )
                continue
            owner = lesson_rules.solution_owner(kinds, parents, index)
            if owner < 0:
                yield (
                    page.path,
                    directive.line,
                    directive.col,
                    "solution-without-exercise",
                    (
                        "this solution belongs to no exercise (none holds it or comes before it on "
                        "the page): move it into or after its exercise, or name the exercise with "
                        ":exercise: LABEL"
                    ),
                )
                continue
            has_solution.add(owner)
        for index, kind in enumerate(kinds):
            if kind == "exercise" and index not in has_solution:
                unanswered.append((page, index))
    for page, index in unanswered:
        directive = page.directives[index]
        labels = {
            _norm(directive.options[k]) for k in ("label", "name") if directive.options.get(k)
        }
        if labels & answered:
            continue
        yield (
            page.path,
            directive.line,
            directive.col,
            "exercise-without-solution",
            (
                "this exercise has no solution: add a solution box inside or after it, if the "
                "exercise has one answer"
            ),
        )


# -- labels ----------------------------------------------------------------------------------


@check(
    Rule(
        "duplicate-label",
        "error",
        "a label defined twice in the lesson: :label: and :name: options, MyST (label)= "
        "and rST .. _label: targets (compared without case, as Sphinx does)",
        "rename one of them (and the references to it)",
    ),
)
def duplicate_labels(lesson: Lesson) -> Iterator[Hit]:
    first: dict[str, tuple[Page, int]] = {}
    for page in _pages(lesson):
        for label in page.labels:
            key = _norm(label.name)
            if key not in first:
                first[key] = (page, label.line)
                continue
            other, line = first[key]
            where = "line" if other is page else f"{_rel(lesson, other.path)}, line"
            yield (
                page.path,
                label.line,
                label.col,
                "duplicate-label",
                (
                    f"label {label.name!r} is already defined ({where} {line}): labels must be "
                    "unique across the lesson; rename one of them"
                ),
            )


def _rel(lesson: Lesson, path: Path) -> str:
    try:
        return path.relative_to(lesson.srcdir).as_posix()
    except ValueError:
        return str(path)


# -- images and links ------------------------------------------------------------------------


@check(
    Rule(
        "image-alt",
        "warning",
        "an image without alt text: ![](x.png), image/figure directives without :alt:, "
        "<img> without alt",
        'describe the image in alt text (<img alt=""> marks a decorative image)',
    ),
)
def image_alt(lesson: Lesson) -> Iterator[Hit]:
    for page in _pages(lesson):
        for image in page.images:
            if image.alt is not None and (image.alt.strip() or image.kind == "html"):
                continue
            how = {
                "markdown": "write it between the brackets: ![what it shows](...)",
                "directive": "add an :alt: option",
                "html": 'add alt="what it shows" (alt="" for a decorative image)',
            }[image.kind]
            yield (
                page.path,
                image.line,
                image.col,
                "image-alt",
                f"image {image.src!r} has no alt text, which screen readers need: {how}",
            )


VAGUE_LINK_TEXT = frozenset({"here", "click here", "link", "this", "more"})


@check(
    Rule(
        "link-text",
        "warning",
        "link text that says nothing of the target: here, click here, link, this, more",
        "use words that say where the link goes, such as the page's title",
    ),
)
def link_text(lesson: Lesson) -> Iterator[Hit]:
    for page in _pages(lesson):
        for link in page.links:
            if link.text is None:
                continue
            words = " ".join(re.sub(r"[^\w\s]", " ", link.text).lower().split())
            if words in VAGUE_LINK_TEXT:
                yield (
                    page.path,
                    link.line,
                    link.col,
                    "link-text",
                    (
                        f"link text {link.text.strip()!r} does not say where the link goes: use "
                        "words that describe the target, such as its title"
                    ),
                )


#: Hosts an http:// link may name: this machine, and the names reserved for examples and tests.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "::1", "[::1]"})
TEST_DOMAINS = ("example.com", "example.org", "example.net")
TEST_TLDS = ("example", "test", "invalid", "localhost")


def plain_http_allowed(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host in LOCAL_HOSTS or host.startswith("127."):
        return True
    if any(host == d or host.endswith("." + d) for d in TEST_DOMAINS):
        return True
    return host.rsplit(".", 1)[-1] in TEST_TLDS


@check(
    Rule(
        "http-link",
        "warning",
        "an http:// link or image (localhost, 127.0.0.1 and example/test domains excepted)",
        "use https://",
    ),
)
def http_links(lesson: Lesson) -> Iterator[Hit]:
    for page in _pages(lesson):
        for link in page.links:
            if not link.target.lower().startswith("http://"):
                continue
            try:
                host = urlsplit(link.target).hostname or ""
            except ValueError:
                host = ""
            if plain_http_allowed(host):
                continue
            yield (
                page.path,
                link.line,
                link.col,
                "http-link",
                f"{link.target!r} is not encrypted: use https:// (check that the site serves it)",
            )


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
#: Images Sphinx picks per builder: ``image.*``.
_GLOB = re.compile(r"[*?\[]")


class _Targets:
    """What relative references may point at in a lesson."""

    def __init__(self, lesson: Lesson) -> None:
        self.lesson = lesson
        self.srcdir = lesson.srcdir
        self.docs = set(lesson.pages)
        self.labels = {_norm(label.name) for p in lesson.pages.values() for label in p.labels}
        self.suffixes = tuple(lesson.settings.suffixes)

    def docname(self, page: Page, target: str) -> str:
        """A page reference's docname, relative to the page unless it starts with /."""
        if target.startswith("/"):
            name = target.lstrip("/")
        else:
            name = posixpath.join(posixpath.dirname(page.docname), target)
        name = posixpath.normpath(name) if name else name
        if target.endswith("/") and name not in self.docs:
            name = posixpath.join(name, "index")  # a folder URL: its index page
        for suffix in (*self.suffixes, ".html"):
            if name.endswith(suffix):
                return name[: -len(suffix)]
        return name

    def file(self, page: Page, target: str) -> Path:
        if target.startswith("/"):
            return self.srcdir / target.lstrip("/")
        return page.path.parent / target

    def file_exists(self, page: Page, target: str) -> bool:
        path = self.file(page, target)
        if _GLOB.search(target):
            return any(path.parent.glob(path.name))
        if path.exists():
            return True
        return self.in_built_site(page, target)

    def in_built_site(self, page: Page, target: str) -> bool:
        """A file that html_static_path or html_extra_path puts where the link points."""
        settings = self.lesson.settings
        if target.startswith("/"):
            where = target.lstrip("/")
        else:
            where = posixpath.normpath(posixpath.join(posixpath.dirname(page.docname), target))
        if where.startswith("_static/"):
            rest = where.removeprefix("_static/")
            return any((folder / rest).exists() for folder in settings.static_dirs)
        return any((folder / where).exists() for folder in settings.extra_dirs)


def _relative(target: str) -> bool:
    return bool(target) and not _SCHEME.match(target) and not target.startswith("//")


@check(
    Rule(
        "missing-file",
        "error",
        "a relative link, image, include, literalinclude, toctree entry, {doc} or {download} "
        "target that does not exist in the lesson",
        "correct the path (it is relative to the page, or to the source folder when it "
        "starts with /)",
    ),
    Rule(
        "missing-anchor",
        "warning",
        "a #anchor link to a heading, label or id that its page does not have",
        "link to an anchor the page has (a heading's id or slug, or a label)",
    ),
)
def missing_targets(lesson: Lesson) -> Iterator[Hit]:
    targets = _Targets(lesson)
    for page in _pages(lesson):
        for link in page.links:
            yield from _missing(targets, page, link)
        for entry in page.toctree:
            yield from _missing_toc(targets, page, entry.target, entry.line, entry.col, entry.glob)


#: Link kinds that name a file, a page or an anchor (roles like {ref} name labels).
_LOCAL_KINDS = frozenset(
    {"link", "html", "target", "image", "include", "literalinclude", "download", "doc"}
)


def _missing(targets: _Targets, page: Page, link: Link) -> Iterator[Hit]:
    if link.kind not in _LOCAL_KINDS:
        return
    target = link.target.strip()
    if target.startswith(("path:", "project:")):
        target = target.split(":", 1)[1]
    if not _relative(target) and not target.startswith("#"):
        return
    if "{{" in target or "{%" in target:
        return  # a template, filled in elsewhere
    where = (page.path, link.line, link.col)
    if link.kind == "doc":
        docname = targets.docname(page, target)
        if docname not in targets.docs:
            yield (
                *where,
                "missing-file",
                f"{{doc}} names page {target!r}, which does not exist in the lesson",
            )
        return
    path, _sep, anchor = target.partition("#")
    path = unquote(path.partition("?")[0])
    if link.kind in ("image", "include", "literalinclude", "download"):
        if path and not targets.file_exists(page, path):
            shown = _rel(targets.lesson, targets.file(page, path).resolve())
            yield *where, "missing-file", f"{path!r} does not exist (looked for {shown})"
        return
    # A link: a file, a page (with or without its suffix, or as .html), or a MyST label.
    if not path:
        if anchor and not _has_anchor(page, anchor):
            yield *where, "missing-anchor", f"this page has no heading, label or id {anchor!r}"
        return
    docname = targets.docname(page, path)
    if docname not in targets.docs and path.endswith("/"):
        # A folder-style URL (dirhtml): relative to the page's own folder URL.
        docname = targets.docname(page, f"/{page.docname}/{path}")
    if docname in targets.docs:
        other = targets.lesson.pages[docname]
        if anchor and other.syntax != "ipynb" and not _has_anchor(other, anchor):
            yield (
                *where,
                "missing-anchor",
                f"{path!r} has no heading, label or id {anchor!r}",
            )
        return
    if targets.file_exists(page, path):
        return
    if page.syntax == "md" and not anchor and _norm(path) in targets.labels:
        return  # [text](label): MyST resolves it as a reference
    yield *where, "missing-file", f"{path!r} is not a file, page or label of this lesson"


def _has_anchor(page: Page, anchor: str) -> bool:
    anchor = unquote(anchor)
    return bool({anchor, anchor.lower(), make_id(anchor)} & page.anchors)


def _missing_toc(
    targets: _Targets, page: Page, entry: str, line: int, col: int, glob: bool
) -> Iterator[Hit]:
    if entry == "self" or not _relative(entry):
        return
    docname = targets.docname(page, entry)
    if glob and _GLOB.search(entry):
        if not any(fnmatch.fnmatch(doc, docname) for doc in targets.docs):
            yield (
                page.path,
                line,
                col,
                "missing-file",
                f"the toctree pattern {entry!r} matches no page",
            )
        return
    if docname not in targets.docs:
        yield (
            page.path,
            line,
            col,
            "missing-file",
            f"the toctree names page {entry!r}, which does not exist in the lesson (or is excluded)",
        )


# -- headings --------------------------------------------------------------------------------


@check(
    Rule(
        "heading-skip",
        "warning",
        "a heading level that skips one (# then ###), or a page whose first heading is not "
        "a top-level one",
        "use the next level down",
    ),
    Rule(
        "multiple-titles",
        "warning",
        "more than one top-level heading on a page: each becomes a separate entry in the "
        "table of contents",
        "keep one title per page and make the others one level lower",
    ),
)
def headings(lesson: Lesson) -> Iterator[Hit]:
    for page in _pages(lesson):
        previous = 0
        titles = 0
        for heading in page.headings:
            if heading.level > previous + 1:
                if previous:
                    message = (
                        f"heading level jumps from {previous} to {heading.level} "
                        f"({heading.text!r}): use level {previous + 1}"
                    )
                    if page.syntax == "rst":
                        message += ", the adornment style first used at that level"
                else:
                    message = (
                        f"the page's first heading ({heading.text!r}) is level {heading.level}: "
                        "start the page with a level-1 title"
                    )
                yield page.path, heading.line, heading.col, "heading-skip", message
            if heading.level == 1:
                titles += 1
                if titles > 1:
                    yield (
                        page.path,
                        heading.line,
                        heading.col,
                        "multiple-titles",
                        (
                            f"a second top-level heading ({heading.text!r}): a page has one title, "
                            "so make this heading (and its subheadings) one level lower"
                        ),
                    )
            previous = heading.level


# -- episodes and timing ---------------------------------------------------------------------


def toctree_order(lesson: Lesson) -> list[str]:
    """The pages reachable from the root page through toctrees, in the build's reading order."""
    targets = _Targets(lesson)

    def children(docname: str) -> Iterator[str]:
        page = lesson.pages[docname]
        for entry in page.toctree:
            if not _relative(entry.target) or entry.target == "self":
                continue
            name = targets.docname(page, entry.target)
            if entry.glob and _GLOB.search(entry.target):
                yield from sorted(d for d in targets.docs if fnmatch.fnmatch(d, name))
            elif name in targets.docs:
                yield name

    return lesson_rules.toctree_order(lesson.settings.root_doc, children, lesson.pages)


def _has_timing(page: Page) -> bool:
    return lesson_rules.has_timing(page.metadata)


def episodes(lesson: Lesson) -> list[Page]:
    """The episodes in toctree order (lesson_rules.episodes, as the build decides).

    Reference pages (a glossary, the exercise list, an instructor guide) have no
    objectives, exercise or key points, so they are not held to an episode's structure.
    """

    def kinds(docname: str) -> Iterator[str | None]:
        page = lesson.pages[docname]
        if page.syntax != "ipynb":  # notebooks are known, not read
            yield from (_kind(lesson, d.name) for d in page.directives)

    return [lesson.pages[d] for d in lesson_rules.episodes(toctree_order(lesson), kinds)]


def _first_line(page: Page) -> int:
    return page.headings[0].line if page.headings else 1


@check(
    Rule(
        "episode-objectives",
        "info",
        "an episode without an objectives box",
        "add an objectives box near the top of the episode",
    ),
    Rule(
        "episode-keypoints",
        "info",
        "an episode without a keypoints box",
        "add a keypoints box at the end of the episode",
    ),
)
def episode_structure(lesson: Lesson) -> Iterator[Hit]:
    for page in episodes(lesson):
        kinds = {_kind(lesson, d.name) for d in page.directives}
        line = _first_line(page)
        if "objectives" not in kinds:
            yield (
                page.path,
                line,
                1,
                "episode-objectives",
                (
                    "this episode has no objectives box: add one near the top, saying what "
                    "learners will be able to do"
                ),
            )
        if "keypoints" not in kinds:
            yield (
                page.path,
                line,
                1,
                "episode-keypoints",
                "this episode has no keypoints box: add one at the end, summing up what to remember",
            )


def _minutes(value: object) -> int | None:
    return lesson_rules.parse_minutes(str(value))


@check(
    Rule(
        "timing-missing",
        "info",
        "an episode with no teaching or exercises minutes, in a lesson that shows a "
        "schedule (which leaves the episode out)",
        "add teaching: and exercises: minutes to its front matter (rST: a field list at the top)",
    ),
    Rule(
        "timing-budget",
        "warning",
        "exercises whose :time: minutes add up to more than the episode's exercises: minutes",
        "shorten the exercises' times or give the episode more exercise minutes",
    ),
    Rule(
        "timing-value",
        "error",
        "a teaching, exercises, break or day value, or a box's :time:, that is not a whole "
        "number of minutes; a start that is not a time of day",
        "write whole minutes, like 15 (and start times like 09:00)",
    ),
    Rule(
        "schedule-page",
        "warning",
        "a schedule's :days: or :breaks: naming a page that is not in the toctree (a typo?) "
        "or that has no timing: the schedule would drop that day or break",
        "name the page as its docname, like episodes/intro, and give it timing",
    ),
)
def timing_checks(lesson: Lesson) -> Iterator[Hit]:
    for page in _pages(lesson):
        for key in (*lesson_rules.MINUTE_KEYS, "day"):
            value = page.metadata.get(key)
            if value not in (None, "") and _minutes(value) is None:
                yield (
                    page.path,
                    page.metadata_lines.get(key, 1),
                    1,
                    "timing-value",
                    (
                        f"{key}: {value!r} is not a whole number{' of minutes' if key != 'day' else ''}: "
                        "write it like 15"
                    ),
                )
        start = page.metadata.get("start")
        if start not in (None, "") and lesson_rules.parse_clock(str(start)) is None:
            yield (
                page.path,
                page.metadata_lines.get("start", 1),
                1,
                "timing-value",
                f"{timing.start_problem(start)} (quoted in YAML)",
            )
        timed_boxes: list[tuple[str | None, int | None]] = []
        for directive in page.directives:
            kind = _kind(lesson, directive.name)
            if "time" not in directive.options or kind not in lesson.settings.timed:
                continue
            value = _minutes(directive.options["time"])
            timed_boxes.append((kind, value))
            if value is None:
                yield (
                    page.path,
                    directive.option_lines.get("time", directive.line),
                    1,
                    "timing-value",
                    (
                        f":time: {directive.options['time']!r} is not a whole number of minutes: "
                        "write it like 15"
                    ),
                )
        problem = lesson_rules.budget_problem(
            lesson_rules.exercise_minutes(timed_boxes), _minutes(page.metadata.get("exercises"))
        )
        if problem:
            yield page.path, page.metadata_lines.get("exercises", 1), 1, "timing-budget", problem
    yield from _schedule_pages(lesson)
    untimed = lesson_rules.untimed_episodes(
        [page.docname for page in episodes(lesson)],
        lambda docname: lesson.pages[docname].metadata,
        shows_schedule=any(
            d.name == "schedule" for p in lesson.pages.values() for d in p.directives
        ),
    )
    for docname in untimed:
        page = lesson.pages[docname]
        yield page.path, _first_line(page), 1, "timing-missing", lesson_rules.MISSING_TIMING


def _schedule_pages(lesson: Lesson) -> Iterator[Hit]:
    """A schedule's :days: and :breaks: entries that it would drop (see timing.page_problems)."""
    schedules = [(p, d) for p in _pages(lesson) for d in p.directives if d.name == "schedule"]
    if not schedules:
        return
    order = toctree_order(lesson)
    timed = {
        docname
        for docname in order
        if lesson_rules.on_schedule(
            _has_timing(page := lesson.pages[docname]),
            lesson_rules.exercise_minutes(
                (_kind(lesson, d.name), _minutes(d.options.get("time"))) for d in page.directives
            ),
        )
    }
    for page, directive in schedules:
        options, problems = timing.parse_schedule_options(directive.options)
        for problem in problems:
            yield page.path, directive.line, 1, "timing-value", problem
        for problem in timing.page_problems(options, order, timed):
            option = problem.split(" ", 1)[0].strip(":")
            line = directive.option_lines.get(option, directive.line)
            yield page.path, line, 1, "schedule-page", problem


# -- extensions ------------------------------------------------------------------------------


@check(
    Rule(
        "front-matter",
        "error",
        "YAML front matter that does not parse",
        "correct the YAML between the --- lines (quote values holding ': ')",
    ),
)
def front_matter(lesson: Lesson) -> Iterator[Hit]:
    return _parse_problems(lesson, {"front-matter"})


@check(
    Rule(
        "legacy-syntax",
        "warning",
        "sphinx-lesson-era syntax that `sphinx-refinery migrate` converts: Jekyll/kramdown "
        "boxes ({: .challenge}), raw <img> lines, sphinx_lesson in conf.py or imported by "
        "the lesson's Python files",
        "run `sphinx-refinery migrate` on the lesson",
    ),
)
def legacy_syntax(lesson: Lesson) -> Iterator[Hit]:
    conf = lesson.settings.conf_path
    if conf is not None and conf.is_file():
        for line, col, name in conf_legacy(conf):
            yield (
                conf,
                line,
                col,
                "legacy-syntax",
                (
                    f"conf.py loads {name!r} (sphinx-lesson): run `sphinx-refinery migrate` to "
                    "switch the lesson to sphinx-refinery"
                ),
            )
    for path, line, col, module in python_legacy(lesson.srcdir):
        yield (
            path,
            line,
            col,
            "legacy-syntax",
            (
                f"imports {module!r} from sphinx-lesson: `sphinx-refinery migrate` takes "
                "_BaseCRDirective from sphinx_refinery.compat, and reports what it cannot replace"
            ),
        )
    for page in _pages(lesson):
        if page.syntax != "md":
            continue
        for line, what in markdown_legacy(page.path, page.text):
            yield (
                page.path,
                line,
                1,
                "legacy-syntax",
                f"{what}: `sphinx-refinery migrate` converts it to a MyST directive",
            )


@check(
    Rule(
        "sphinx9-extension",
        "warning",
        "an extension in conf.py that is known to fail on Sphinx 9 (sphinx-refinery's table "
        "of them, for example sphinx-hoverxref 1.4)",
        "pin `sphinx<9` in the lesson's requirements (sphinx-refinery supports Sphinx 8.2 and "
        "later), or remove the extension",
    ),
)
def sphinx9_extensions(lesson: Lesson) -> Iterator[Hit]:
    conf = lesson.settings.conf_path
    if conf is None or not conf.is_file():
        return
    for line, col, name in conf_extensions(conf):
        problem = sphinx9_problem(name)
        if problem:
            yield conf, line, col, "sphinx9-extension", f"conf.py loads {name!r}: {problem}"


# -- legacy syntax ---------------------------------------------------------------------------


@check(
    Rule(
        "config",
        "error",
        "a conf.py that does not run, a checker setting naming an unknown rule, a file that "
        "cannot be read",
        "fix conf.py or the setting, as the message says",
    ),
)
def config_problems(lesson: Lesson) -> Iterator[Hit]:
    for path, line, message in lesson.settings.problems:
        yield path, line, 1, "config", message


RULES: tuple[Rule, ...] = tuple(BY_ID.values())
