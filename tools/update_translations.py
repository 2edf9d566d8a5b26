#!/usr/bin/env python3
"""Keep sphinx-refinery's message catalogues in step with the source.

    python tools/update_translations.py           # extract, update each .po, compile each .mo
    python tools/update_translations.py --check   # change nothing; exit 1 if anything is stale
    python tools/update_translations.py --add pt  # start a catalogue for a new language

The steps, all with babel (a Sphinx dependency):

1. **extract** every ``_("...")`` call in ``src/sphinx_refinery/**.py`` into the
   template ``src/sphinx_refinery/locale/sphinx_refinery.pot``;
2. **update** each ``locale/<lang>/LC_MESSAGES/sphinx_refinery.po`` from it, keeping
   existing translations (a changed message comes back marked fuzzy, with its
   old translation as a suggestion; a new one comes back empty);
3. **compile** each ``.po`` into the ``.mo`` next to it, which is what Sphinx reads.
   The ``.mo`` files are committed: the wheel is built by flit, which has no
   build hooks.

``--check`` fails when the template or a catalogue would change, when a ``.mo``
does not hold what its ``.po`` says, and when a catalogue has an empty, fuzzy
or broken (placeholders that differ from the msgid) translation.

Messages are found by parsing the source with :mod:`ast` rather than with
babel's tokenizer-based Python extractor: the latter finds ``_()`` calls inside
f-strings only on Python 3.12 and later, so the template would depend on the
Python that ran this script. A ``_()`` whose argument is not a plain string
literal cannot be extracted; it is reported, and ``--check`` fails on it.

A comment starting with ``Translators:`` on the lines right above a ``_()``
call goes into the template for translators, as do the notes in ``NOTES`` below.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import sys
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path("src") / "sphinx_refinery"
CATALOG = "sphinx_refinery"  # = sphinx_refinery.locale.CATALOG
PROJECT = "sphinx-refinery"
COPYRIGHT_HOLDER = "sphinx-refinery contributors"
BUGS_ADDRESS = "https://github.com/coderefinery/sphinx-refinery"

#: The gettext functions: name -> babel keyword spec (None: the first argument). The
#: lesson model takes its gettext as an argument (model/schedule.py).
KEYWORDS: dict[str, None] = {"_": None, "gettext": None}
COMMENT_TAGS = ("Translators:",)

#: Language codes that get a copy of another language's compiled catalogue.
#: gettext already finds ``nb`` for ``language = "nb_NO"`` (and ``fi`` for
#: ``fi_FI``, ...), but nothing leads from the generic Norwegian ``no`` to ``nb``.
ALIASES: dict[str, str] = {"no": "nb"}

#: Notes for translators, by msgid, for messages whose English is ambiguous.
#: (A ``# Translators:`` comment above the ``_()`` call does the same from the source.)
NOTES: dict[str, str] = {
    "Exercise": (
        "Box title, and the label of a numbered exercise: 'Exercise 1.2'; "
        "also follows 'Solution to' (see there)."
    ),
    "Solution": "Box title: the solution to an exercise (usually a collapsed box below it).",
    "Instructor note": "Box title: a note for whoever teaches the lesson, not for learners.",
    "Discussion": "Box title: a question for the group to discuss together.",
    "Keypoints": "Box title: the main points to remember at the end of an episode ('key points').",
    "Objectives": "Box title: the learning objectives of an episode.",
    "Questions": "Box title: the questions an episode answers.",
    "Prerequisites": "Box title and lesson metadata field: what learners need to know beforehand.",
    "Callout": "Box title: a highlighted aside, worth noticing.",
    "Checklist": "Box title: a list of things to check.",
    "Testimonial": "Box title: a quote from a former learner or user.",
    "Demo": "Box title: the instructor demonstrates something while learners watch.",
    "Type-Along": (
        "Box title: learners type the same commands as the instructor, at the same time."
    ),
    "Homework": "Box title: work to do after the session.",
    "Output": "Box title: what a command or program prints.",
    "(%d min)": "Duration in minutes after a box title: 'Exercise (20 min)'.",
    "Break": "A break in the schedule (a row of the schedule table).",
    "Break %(duration)s": "Badge at the top of a break page: 'Break 15 min'.",
    "Teaching %(duration)s": (
        "Badge at the top of an episode: the time for teaching, 'Teaching 20 min'; "
        "shown with 'Exercises %(duration)s' after a middle dot."
    ),
    "Exercises %(duration)s": (
        "Badge at the top of an episode: the time learners spend on exercises, "
        "'Exercises 30 min'."
    ),
    "Exercise %(number)s": "A numbered exercise: 'Exercise 3.2' (episode 3, its 2nd exercise).",
    "Solution to Exercise %(number)s": (
        "Title of the solution of a numbered exercise: 'Solution to Exercise 3.2'; "
        "the whole phrase links to the exercise."
    ),
    "%(label)s: %(title)s": (
        "A numbered label and the author's own title: 'Exercise 3.2: Rename the variables'. "
        "Adapt the punctuation to your language (French puts a space before the colon)."
    ),
    "%(clock)s (+%(days)dd)": (
        "A time of day that falls on a later day than the one it starts on: '01:30 (+1d)'."
    ),
    "%(hours)d h %(minutes)d min": "A duration: '1 h 30 min'. Use the usual abbreviations.",
    "%d h": "A duration in whole hours: '2 h'.",
    "%d min": "A duration in minutes: '45 min'.",
    "Start": "Schedule table heading: the time of day an episode starts.",
    "Episode": "Schedule table heading: a lesson is made of episodes (chapters).",
    "Duration": "Schedule table heading.",
    "Day": "Schedule table heading: the day (1, 2, ...) of a multi-day workshop.",
    "Total": "Last row of the schedule table: the length of the whole lesson.",
    "Tab": "Label of a tab whose author gave it none.",
    "Title": "Lesson metadata field: the lesson's title.",
    "Licence": "Lesson metadata field: the licence the lesson is published under.",
    "Created": "Lesson metadata field: the date the lesson was first published.",
    "Audience": "Lesson metadata field: who the lesson is for.",
    "Learner view": "Button: show the page as learners see it (instructor notes hidden).",
    "Instructor view": "Button: show the page with the instructor notes.",
    "Present": "Short button label (a verb): start the presentation mode.",
    "Presentation mode (P); arrow keys step through sections": (
        "Tooltip of the 'Present' button. P is the keyboard key: keep it."
    ),
    "Lesson tools": (
        "Accessible name of the toolbar with the view switch and the other lesson buttons."
    ),
    "Go to this exercise in its episode": (
        "Link under an exercise copied into the list of all exercises; an episode is "
        "one page (chapter) of the lesson."
    ),
}


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def problem(self, text: str) -> None:
        self.problems.append(text)


# ---- extract -----------------------------------------------------------------


def _comment_lines(source: str) -> dict[int, str]:
    """Line number -> comment text, for lines that hold only a comment."""
    comments: dict[int, str] = {}
    code_lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.string[1:].strip()
        elif token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            code_lines.update(range(token.start[0], token.end[0] + 1))
    return {line: text for line, text in comments.items() if line not in code_lines}


def _translator_comments(comments: dict[int, str], line: int, tags: tuple[str, ...]) -> list[str]:
    """The tagged comment block right above ``line``, as babel's extractors take it."""
    block: list[str] = []
    line -= 1
    while line in comments:
        block.insert(0, comments[line])
        line -= 1
    for index, text in enumerate(block):
        if text.startswith(tags):
            return block[index:]
    return []


def make_extractor(problems: list[str], label: str):
    """A babel extraction method for Python source, built on ``ast``.

    Yields ``(lineno, funcname, message, comments)`` for every call of a
    keyword function whose arguments are string literals, and appends a
    problem for every such call it cannot read.
    """

    def extract_ast(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
        source = fileobj.read().decode("utf-8")
        tree = ast.parse(source)
        comments = _comment_lines(source)
        tags = tuple(comment_tags)
        calls = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in keywords
        ]
        for node in sorted(calls, key=lambda call: (call.lineno, call.col_offset)):
            args = node.args
            if node.keywords or not args or not all(
                isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in args
            ):
                call = ast.get_source_segment(source, node) or node.func.id + "(...)"
                problems.append(
                    f"{label}:{node.lineno}: {call}: gettext needs a plain string literal "
                    "(use %-placeholders, not an f-string or concatenation)"
                )
                continue
            messages = tuple(arg.value for arg in args)
            yield (
                node.lineno,
                node.func.id,
                messages if len(messages) > 1 else messages[0],
                _translator_comments(comments, node.lineno, tags),
            )

    return extract_ast


def extract_template(root: Path, report: Report) -> Catalog:
    """Every message in the package's Python source, in file order."""
    template = Catalog(
        project=PROJECT,
        copyright_holder=COPYRIGHT_HOLDER,
        msgid_bugs_address=BUGS_ADDRESS,
        # No year, no date: the template only changes when the messages do.
        header_comment=(
            f"# Messages of {PROJECT}: the template for its translations.\n"
            "# Generated by tools/update_translations.py; do not edit by hand."
        ),
        charset="utf-8",
        fuzzy=False,
    )
    package = root / PACKAGE
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        method = make_extractor(report.problems, relative)
        with path.open("rb") as fileobj:
            for lineno, message, comments, context in extract(
                method, fileobj, KEYWORDS, COMMENT_TAGS, strip_comment_tags=True
            ):
                template.add(
                    message,
                    locations=[(relative, lineno)],
                    auto_comments=comments,
                    context=context,
                )
    for message in template:
        note = NOTES.get(message.id) if isinstance(message.id, str) else None
        if note and note not in message.auto_comments:
            message.auto_comments.append(note)
    return template


# ---- read and write ----------------------------------------------------------

#: Header lines that change without the catalogue changing.
VOLATILE = ('"POT-Creation-Date:', '"PO-Revision-Date:', '"Generated-By:')


def render(catalog: Catalog) -> str:
    out = io.BytesIO()
    # No line numbers: an edit elsewhere in a file must not make the catalogues stale.
    write_po(out, catalog, width=76, include_lineno=False, ignore_obsolete=True)
    return out.getvalue().decode("utf-8")


def same_po(a: str, b: str) -> bool:
    def strip(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith(VOLATILE)]

    return strip(a) == strip(b)


def compile_mo(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def mo_messages(data: bytes) -> dict:
    """What a compiled catalogue translates: {msgid: msgstr}, with the plural forms."""
    catalog = read_mo(io.BytesIO(data))
    found = {message.id: message.string for message in catalog if message.id}
    found[""] = catalog.plural_forms
    return found


def po_messages(catalog: Catalog) -> dict:
    found = {
        message.id: message.string
        for message in catalog
        if message.id and message.string and not message.fuzzy
    }
    found[""] = catalog.plural_forms
    return found


def locale_dir(root: Path) -> Path:
    return root / PACKAGE / "locale"


def po_path(root: Path, language: str) -> Path:
    return locale_dir(root) / language / "LC_MESSAGES" / f"{CATALOG}.po"


def mo_path(root: Path, language: str) -> Path:
    return locale_dir(root) / language / "LC_MESSAGES" / f"{CATALOG}.mo"


def languages(root: Path) -> list[str]:
    """The languages with a catalogue: every ``locale/<lang>/LC_MESSAGES/sphinx_refinery.po``."""
    found = locale_dir(root).glob(f"*/LC_MESSAGES/{CATALOG}.po")
    return sorted(path.parent.parent.name for path in found)


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as fileobj:
        return read_po(fileobj, locale=language, abort_invalid=True)


# ---- the steps ---------------------------------------------------------------


def untranslated(catalog: Catalog, label: str) -> list[str]:
    """What keeps a catalogue from being complete: empty, fuzzy and broken entries."""
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if not all(strings):
            problems.append(f"{label}: no translation for {message.id!r}")
        elif message.fuzzy:
            problems.append(f"{label}: fuzzy (review it, then drop the flag) {message.id!r}")
        elif message.python_format and placeholders(message.id) != placeholders(strings[0]):
            problems.append(
                f"{label}: {message.id!r} has the placeholders {placeholders(message.id)}, "
                f"but its translation has {placeholders(strings[0])}"
            )
    for message, errors in catalog.check():
        for error in errors:
            problems.append(f"{label}: {message.id!r}: {error}")
    return problems


#: A printf-style placeholder, as Python's ``%`` operator reads it.
PLACEHOLDER = re.compile(
    r"%(?:\((\w+)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])"
)


def placeholders(text: str) -> list[str]:
    """The placeholders of a message, sorted: ``['%(hours)d', '%(minutes)d']``, ``['%d']``.

    Babel's own check lets a translation drop a named placeholder; here every
    placeholder must stay (only their order may change).
    """
    found = []
    for match in PLACEHOLDER.finditer(text):
        name, kind = match.groups()
        if kind != "%":
            found.append(f"%({name}){kind}" if name else f"%{kind}")
    return sorted(found) if all("(" in item for item in found) else found


def update_template(root: Path, check: bool, report: Report) -> Catalog:
    template = extract_template(root, report)
    pot = locale_dir(root) / f"{CATALOG}.pot"
    label = pot.relative_to(root).as_posix()
    new_text = render(template)
    if pot.exists() and same_po(pot.read_text(encoding="utf-8"), new_text):
        return read_catalog(pot)  # unchanged: keep its date
    if check:
        report.problem(f"{label}: out of date (run tools/update_translations.py)")
    else:
        pot.write_text(new_text, encoding="utf-8")
        report.changed.append(label)
    return template


def update_language(
    root: Path, language: str, template: Catalog, check: bool, report: Report
) -> None:
    path = po_path(root, language)
    label = path.relative_to(root).as_posix()
    old_text = path.read_text(encoding="utf-8")
    catalog = read_catalog(path, language)
    catalog.update(template, update_creation_date=False)
    new_text = render(catalog)
    if not same_po(old_text, new_text):
        if check:
            report.problem(f"{label}: out of date (run tools/update_translations.py)")
        else:
            path.write_text(new_text, encoding="utf-8")
            report.changed.append(label)

    # Check and compile what the file says (in check mode it may be stale).
    on_disk = read_catalog(path, language)
    report.problems.extend(untranslated(on_disk, label))
    compiled = compile_mo(on_disk)
    for code in [language, *(alias for alias, target in ALIASES.items() if target == language)]:
        mo = mo_path(root, code)
        mo_label = mo.relative_to(root).as_posix()
        if mo.exists() and mo_messages(mo.read_bytes()) == mo_messages(compiled):
            continue
        if check:
            report.problem(f"{mo_label}: does not match the .po (run tools/update_translations.py)")
        else:
            mo.parent.mkdir(parents=True, exist_ok=True)
            mo.write_bytes(compiled)
            report.changed.append(mo_label)


def add_language(root: Path, language: str, template: Catalog, report: Report) -> None:
    path = po_path(root, language)
    if path.exists():
        raise SystemExit(f"{path.relative_to(root)} already exists")
    catalog = Catalog(
        locale=language,
        project=PROJECT,
        copyright_holder=COPYRIGHT_HOLDER,
        msgid_bugs_address=BUGS_ADDRESS,
        last_translator=COPYRIGHT_HOLDER,
        language_team=Locale.parse(language).english_name,
        header_comment=(
            f"# {Locale.parse(language).english_name} translations for {PROJECT}.\n"
            f"# This file is distributed under the same license as {PROJECT}.\n"
            "# Update it with tools/update_translations.py (see docs/translations.md)."
        ),
        charset="utf-8",
        fuzzy=False,
    )
    catalog.update(template)
    path.parent.mkdir(parents=True)
    path.write_text(render(catalog), encoding="utf-8")
    report.changed.append(path.relative_to(root).as_posix())


def run(root: Path = ROOT, check: bool = False, add: list[str] | None = None) -> Report:
    report = Report()
    template = update_template(root, check, report)
    for language in add or []:
        add_language(root, language, template, report)
    found = languages(root)
    for alias, target in ALIASES.items():
        if target not in found:
            report.problem(f"alias {alias!r} names {target!r}, which has no catalogue")
    for language in found:
        update_language(root, language, template, check, report)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 if a file is out of date or a translation is missing",
    )
    parser.add_argument(
        "--add", metavar="LANG", action="append", help="start a catalogue for LANG (e.g. pt_BR)"
    )
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.check and args.add:
        parser.error("--add changes files; it cannot be used with --check")

    report = run(args.root.resolve(), check=args.check, add=args.add)
    for name in report.changed:
        print(f"updated {name}")
    for problem in report.problems:
        print(f"error: {problem}", file=sys.stderr)
    if report.problems:
        return 1
    if args.check:
        print(f"{len(languages(args.root.resolve()))} catalogues, all up to date and complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
