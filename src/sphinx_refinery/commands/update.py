"""``sphinx-refinery update [DIR]``: newer versions of the template merged into a lesson.

``update`` (or ``copier update``) merges newer versions of the template into a
lesson made by ``new``, three-way, from the answers in its
``.copier-answers.yml``. ``update --adopt`` writes those answers for a lesson
that was not made by ``new``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from ..util import whole_file
from .output import PROG, CommandError, warn
from .template import (
    ANSWERS_FILE,
    TEMPLATE_DIR,
    add_answer_options,
    answers_from_options,
    call_copier,
    choices,
    folder_defaults,
    import_copier,
    read_answers,
    record_upstream,
    require_terminal,
    slug,
    template_questions,
    template_version,
)


def run_update(args: argparse.Namespace) -> int:
    lesson = Path(args.directory).expanduser()
    if args.adopt:
        return _adopt(args, lesson)
    if args.answers_only or answers_from_options(args):
        raise CommandError("--answers-only and the answers go with --adopt")
    if not (lesson / ANSWERS_FILE).is_file():
        raise CommandError(
            f"{lesson}: no {ANSWERS_FILE}: not a lesson made from the template "
            "(--adopt takes an existing lesson in)",
        )
    answers = read_answers(lesson / ANSWERS_FILE)
    if not answers.get("_commit"):
        raise CommandError(
            f"{lesson / ANSWERS_FILE}: records no template version (_commit), which the "
            "three-way merge needs; write the template version the lesson was made from "
            "there as _commit (a tag such as v0.1.0)",
        )
    require_terminal(args.no_input)
    copier = import_copier()
    call_copier(
        copier.run_update,
        dst_path=lesson,
        vcs_ref=args.vcs_ref,
        defaults=args.no_input,
        # Only questions new in this template version are asked.
        skip_answered=True,
        # copier's update writes through a three-way merge, never blindly.
        overwrite=True,
        conflict="inline",
    )
    return 0


# -- adopt: an existing lesson takes the template in ------------------------------------------

#: What ``--adopt`` adds to a lesson that lacks it: the machinery around the pages.
#: The pages, conf.py, the licences and the README stay the authors' own.
ADOPTED = (".github/", ".pre-commit-config.yaml", ".readthedocs.yaml", "requirements.txt")
GITHUB_REPOSITORY = re.compile(
    r"^(?:https://|git@)(?P<host>[^/:]+)[/:](?P<path>[^/ ]+/[^/ ]+?)(?:\.git)?/?$"
)
#: What the template's repository_url question accepts.
REPOSITORY_URL = re.compile(r"^https://[^/ ]+/[^/ ]+/[^/ ]+$")
LICENCE_MARKS = {
    "text_licence": (
        ("Attribution-ShareAlike 4.0", "CC-BY-SA-4.0"),
        ("Attribution 4.0", "CC-BY-4.0"),
        ("CC0 1.0", "CC0-1.0"),
    ),
    "code_licence": (
        ("Permission is hereby granted, free of charge", "MIT"),
        ("Redistribution and use in source and binary forms", "BSD-3-Clause"),
        ("Apache License", "Apache-2.0"),
        ("CC0 1.0", "CC0-1.0"),
    ),
}
COLON_DIRECTIVE = re.compile(r"^\s*:{3,}\s*\{[\w-]+\}", re.MULTILINE)
BACKTICK_DIRECTIVE = re.compile(r"^\s*`{3,}\s*\{(?!code|code-block|eval-rst)[\w-]+\}", re.MULTILINE)


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def repository_url(lesson: Path, conf: dict[str, Any]) -> str | None:
    """The repository's web address: from conf.py's GitHub context, else git's origin remote."""
    context = conf.get("html_context")
    if isinstance(context, dict):
        user, repo = _text(context.get("github_user")), _text(context.get("github_repo"))
        if user and repo and "/" not in user + repo:
            return f"https://github.com/{user}/{repo}"
    git = shutil.which("git")
    if git is None:
        return None
    done = subprocess.run(
        [git, "-C", str(lesson), "remote", "get-url", "origin"],
        capture_output=True,
        text=True,
        check=False,
    )
    match = GITHUB_REPOSITORY.match(done.stdout.strip()) if done.returncode == 0 else None
    return f"https://{match['host']}/{match['path']}" if match else None


def guess_answers(lesson: Path, srcdir: Path, conf: dict[str, Any]) -> dict[str, str]:
    """Defaults for the template's questions, from what the lesson already says about itself."""
    questions = template_questions()
    guesses = folder_defaults(lesson)
    if title := _text(conf.get("project")):
        guesses["title"] = title
    author = _text(conf.get("author"))
    if author and author != "Author name not set":
        guesses["authors"] = author
    if (theme := conf.get("html_theme")) in choices(questions["theme"]):
        guesses["theme"] = theme
    if (url := repository_url(lesson, conf)) and REPOSITORY_URL.match(url):
        guesses["repository_url"] = url
        if name := slug(url.rsplit("/", 1)[-1]):
            guesses["short_name"] = name
    for question, names in (
        ("text_licence", ("LICENSE", "LICENSE.md", "LICENSE.txt")),
        ("code_licence", ("LICENSE.code", "LICENSE-CODE")),
    ):
        for name in names:
            path = lesson / name
            text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
            found = [choice for mark, choice in LICENCE_MARKS[question] if mark in text]
            if found:
                guesses[question] = found[0]
                break
    pages = [
        path.read_text(encoding="utf-8", errors="replace")
        for path in srcdir.rglob("*.md")
        if "_build" not in path.parts
    ]
    colons = sum(len(COLON_DIRECTIVE.findall(text)) for text in pages)
    backticks = sum(len(BACKTICK_DIRECTIVE.findall(text)) for text in pages)
    guesses["fence"] = "backtick" if backticks > colons else "colon"
    return guesses


def _adopt(args: argparse.Namespace, lesson: Path) -> int:
    from ..check.lesson import UsageError, find_srcdir, read_conf

    if args.vcs_ref:
        raise CommandError("--vcs-ref does not go with --adopt: it adopts the installed template")
    if (lesson / ANSWERS_FILE).exists():
        raise CommandError(
            f"{lesson / ANSWERS_FILE}: exists already; update the lesson without --adopt",
        )
    try:
        srcdir = find_srcdir(lesson)
    except UsageError as err:
        raise CommandError(str(err)) from None
    conf, error = read_conf(srcdir)
    if error:
        warn("update", f"conf.py could not be read ({error}); guessing less", label="note")
    data = answers_from_options(args)
    require_terminal(args.no_input)
    copier = import_copier()
    with tempfile.TemporaryDirectory() as scratch:
        rendered = Path(scratch) / "lesson"
        call_copier(
            copier.run_copy,
            src_path=str(TEMPLATE_DIR),
            dst_path=rendered,
            data=data,
            user_defaults=guess_answers(lesson, srcdir, conf),
            defaults=args.no_input,
            overwrite=False,
            quiet=True,
        )
        try:
            added, kept = adopt_files(rendered, lesson, srcdir, with_files=not args.answers_only)
            copy_new_file(rendered / ANSWERS_FILE, lesson / ANSWERS_FILE)
            record_upstream(lesson)
        except OSError as err:
            raise CommandError(str(err), status=1) from None
    print(f"Wrote {lesson / ANSWERS_FILE}: `{PROG} update` now merges template changes.")
    if not template_version():
        warn(
            "update",
            "this development version of sphinx-refinery cannot name its template version; "
            f"write it into {ANSWERS_FILE} as _commit before updating",
            label="note",
        )
    for name in added:
        print(f"  added {name}")
    for name in kept:
        print(f"  kept the lesson's own {name}")
    if added:
        print("Look at the added files (do they duplicate workflows of your own?), then commit.")
    return 0


def adopt_files(
    rendered: Path, lesson: Path, srcdir: Path, *, with_files: bool
) -> tuple[list[str], list[str]]:
    """Copy the template's machinery that the lesson lacks; never a file it has.

    Only for the template's layout (pages in content/), which the workflows build."""
    added: list[str] = []
    kept: list[str] = []
    if not with_files:
        return added, kept
    if srcdir.resolve() != (lesson / "content").resolve():
        warn(
            "update",
            "the pages are not in content/, which the template's workflows build: no files added",
            label="note",
        )
        return added, kept
    for path in sorted(rendered.rglob("*")):
        name = path.relative_to(rendered).as_posix()
        if not path.is_file() or not name.startswith(ADOPTED):
            continue
        target = lesson / name
        try:
            copy_new_file(path, target)
        except (FileExistsError, NotADirectoryError):  # the lesson's own, or in its way
            kept.append(name)
        else:
            added.append(name)
    return added, kept


def copy_new_file(source: Path, target: Path) -> None:
    """Copy to a path where nothing is yet: FileExistsError rather than overwrite."""
    if target.is_symlink():  # a dangling one too
        raise FileExistsError(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    whole_file.write(target, source.read_bytes(), exclusive=True)


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``update`` command, with ``--adopt``."""
    questions = template_questions()
    update = commands.add_parser(
        "update",
        help="take the template's latest changes into a lesson",
        description="Merge the changes of the lesson template since the lesson was made (or last "
        "updated) into it, with copier's three-way merge; conflicts are left marked in the files. "
        "Commit the lesson first.",
    )
    update.add_argument(
        "directory",
        metavar="DIR",
        nargs="?",
        default=".",
        help="the lesson's folder (default: the current folder)",
    )
    update.add_argument(
        "--no-input", action="store_true", help="ask nothing: new questions take their defaults"
    )
    update.add_argument(
        "--vcs-ref",
        dest="vcs_ref",
        metavar="REF",
        help="template version (git tag) to update to (default: the latest)",
    )
    adopting = update.add_argument_group(
        "adopting an existing lesson",
        "--adopt takes a lesson that was not made by `new` in: it writes the answers file "
        "(answers guessed from conf.py, the licence files and git, or given below) and adds "
        "the template's workflows and configuration files that the lesson lacks, never "
        "replacing a file. Later updates are then three-way merges.",
    )
    adopting.add_argument(
        "--adopt", action="store_true", help="write the answers for a lesson not made by `new`"
    )
    adopting.add_argument(
        "--answers-only",
        dest="answers_only",
        action="store_true",
        help="with --adopt: write the answers file and add no other file",
    )
    add_answer_options(adopting, questions)
    update.set_defaults(run=run_update)
