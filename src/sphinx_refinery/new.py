"""``sphinx-refinery new DIR`` and ``sphinx-refinery update [DIR]``: lessons from the template.

The lesson template ships inside the package (``template/``) as a copier
template, so ``new`` works offline. copier, an optional dependency (the
``template`` extra), renders it and records the answers in the lesson's
``.copier-answers.yml``; ``update`` (or ``copier update``) later merges newer
versions of the template into the lesson, three-way.

A lesson made from the shipped template records this project's repository and
the release's tag as its template source, so that ``copier update`` can rebuild
the version the lesson started from, which the three-way merge needs.
``update --adopt`` writes those answers for a lesson that was not made by ``new``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import __version__
from .command_output import CommandError, warn

PROG = "sphinx-refinery"
TEMPLATE_DIR = Path(__file__).parent / "template"
#: Where ``copier update`` finds later versions of the shipped template.
UPSTREAM_URL = "https://github.com/coderefinery/sphinx-refinery.git"
ANSWERS_FILE = ".copier-answers.yml"
INSTALL_HINT = 'copier is not installed; install it with: pip install "sphinx-refinery[template]"'
#: Questions that have a command-line option (``--short-name`` answers ``short_name``).
OPTION_QUESTIONS = (
    "title",
    "short_name",
    "organisation",
    "repository_url",
    "text_licence",
    "code_licence",
    "theme",
    "fence",
)
RELEASE = re.compile(r"^\d+(\.\d+)*$")
#: The answers file's comment naming the sphinx-refinery version that wrote it.
MADE_WITH = "# Made with sphinx-refinery "


# -- the template ----------------------------------------------------------------------------


def template_questions() -> dict[str, dict[str, Any]]:
    """The questions of the shipped template's copier.yml (settings and computed values left out)."""
    import yaml  # a dependency of myst-parser; loaded when needed, not for --help

    config = yaml.safe_load((TEMPLATE_DIR / "copier.yml").read_text(encoding="utf-8"))
    return {
        name: spec
        for name, spec in config.items()
        if not name.startswith("_") and spec.get("when") is not False
    }


def choices(question: dict[str, Any]) -> list[str]:
    return list(question.get("choices", {}).values())


def slug(text: str) -> str:
    """A short name: lower-case letters, digits and single dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def folder_defaults(folder: Path) -> dict[str, str]:
    """Defaults taken from the lesson's folder name: ``git-intro`` -> "Git intro"."""
    name = slug(folder.resolve().name)
    if not name:
        return {}
    return {"short_name": name, "title": name.replace("-", " ").capitalize()}


def upstream_ref(version: str) -> str | None:
    """The tag of this release's template upstream; development versions have none."""
    return f"v{version}" if RELEASE.match(version) else None


def checkout_commit(folder: Path) -> str | None:
    """The git commit of ``folder`` when it lies unchanged in a git checkout (a development
    install from a clone), else None."""
    git = shutil.which("git")
    if git is None:
        return None

    def run(*args: str) -> str | None:
        done = subprocess.run(
            [git, "-C", str(folder), *args], capture_output=True, text=True, check=False
        )
        return done.stdout.strip() if done.returncode == 0 else None

    # Tracked there, not merely lying in some other project's repository (a venv in it).
    if run("ls-files", "--error-unmatch", "--", "copier.yml") is None:
        return None
    commit = run("rev-parse", "--verify", "HEAD")
    changes = run("status", "--porcelain", "--untracked-files=no", "--", ".")
    return commit if commit and changes == "" else None


def template_version() -> str | None:
    """The upstream git ref of the shipped template: the release's tag, or for a development
    version the commit it was installed from, when that can be known."""
    return upstream_ref(__version__) or checkout_commit(TEMPLATE_DIR)


def record_upstream(lesson: Path) -> None:
    """Point the lesson's answers at the upstream repository instead of the installed package."""
    path = lesson / ANSWERS_FILE
    text = path.read_text(encoding="utf-8")
    header = "".join(
        line
        for line in text.splitlines(keepends=True)
        if line.startswith("#") and not line.startswith(MADE_WITH)
    )
    header += f"{MADE_WITH}{__version__}\n"
    import yaml

    answers = yaml.safe_load(text) or {}
    answers["_src_path"] = UPSTREAM_URL
    ref = template_version()
    if ref:
        answers["_commit"] = ref
    else:
        answers.pop("_commit", None)
    # Same layout as copier's own to_nice_yaml, so that updates diff cleanly.
    body = yaml.safe_dump(answers, allow_unicode=True, default_flow_style=False, indent=4)
    path.write_text(header + body, encoding="utf-8")


def _import_copier() -> Any:
    try:
        import copier
    except ImportError:
        raise CommandError(INSTALL_HINT, status=1) from None
    return copier


def _call_copier(operation: Callable[..., Any], **kwargs: Any) -> None:
    """Run a copier operation; what it reports becomes a one-line error."""
    from copier.errors import CopierError
    from plumbum import ProcessExecutionError  # git, run by copier

    try:
        operation(**kwargs)
    except KeyboardInterrupt:  # copier's CopierAnswersInterrupt too
        raise
    except CopierError as err:
        raise CommandError(str(err), status=1) from None
    except ValueError as err:  # copier's word for a rejected answer (validator, choice)
        raise CommandError(str(err)) from None
    except ProcessExecutionError as err:
        raise CommandError(f"git failed: {(err.stderr or '').strip() or err}", status=1) from None
    except OSError as err:
        raise CommandError(str(err), status=1) from None


def _require_terminal(no_input: bool) -> None:
    if not no_input and not sys.stdin.isatty():
        raise CommandError("no terminal to ask the questions in: give --no-input (and options)")


# -- new -------------------------------------------------------------------------------------


def check_destination(folder: Path) -> None:
    """Only a new or empty folder: nothing that exists is ever overwritten."""
    if not folder.exists():
        return
    if not folder.is_dir():
        raise CommandError(f"{folder}: exists and is not a folder")
    if any(folder.iterdir()):
        raise CommandError(
            f"{folder}: the folder is not empty; give a new or empty folder", status=1
        )


def template_source(source: str) -> str:
    """A template folder as an absolute path, so that the answers file still finds it when
    ``update`` runs from another folder; git URLs and copier's shortcuts stay as they are."""
    path = Path(source).expanduser()
    return str(path.resolve()) if path.exists() else source


def answers_from_options(args: argparse.Namespace) -> dict[str, str]:
    data = {
        name: getattr(args, name) for name in OPTION_QUESTIONS if getattr(args, name) is not None
    }
    if args.author:
        names = [name.strip() for name in args.author]
        if any("," in name or not name for name in names):
            raise CommandError("--author takes one name (no commas); repeat it for each author")
        data["authors"] = ", ".join(names)
    return data


def create(args: argparse.Namespace) -> Path:
    folder = Path(args.directory).expanduser()
    check_destination(folder)
    data = answers_from_options(args)
    _require_terminal(args.no_input)
    copier = _import_copier()
    shipped = args.template is None
    _call_copier(
        copier.run_copy,
        src_path=str(TEMPLATE_DIR if shipped else template_source(args.template)),
        dst_path=folder,
        data=data,
        user_defaults=folder_defaults(folder),
        defaults=args.no_input,
        vcs_ref=args.vcs_ref,
        overwrite=False,
    )
    if shipped:
        record_upstream(folder)
    return folder


def run_new(args: argparse.Namespace) -> int:
    folder = create(args)
    print(
        f"\nThe lesson is in {folder}. Next steps:\n"
        f"  cd {folder}\n"
        "  git init -b main && git add . && git commit -m 'New lesson'\n"
        "  python -m pip install -r requirements.txt\n"
        "  python -m sphinx -W -b html content _build/html\n"
        "README.md says how it is checked, published and updated."
    )
    return 0


# -- update ----------------------------------------------------------------------------------


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
    import yaml

    answers = yaml.safe_load((lesson / ANSWERS_FILE).read_text(encoding="utf-8")) or {}
    if not answers.get("_commit"):
        raise CommandError(
            f"{lesson / ANSWERS_FILE}: records no template version (_commit), which the "
            "three-way merge needs; write the template version the lesson was made from "
            "there as _commit (a tag such as v0.1.0)",
        )
    _require_terminal(args.no_input)
    copier = _import_copier()
    _call_copier(
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
    from .check.lesson import UsageError, find_srcdir, read_conf

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
    _require_terminal(args.no_input)
    copier = _import_copier()
    with tempfile.TemporaryDirectory() as scratch:
        rendered = Path(scratch) / "lesson"
        _call_copier(
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
    with source.open("rb") as original, target.open("xb") as copy:
        shutil.copyfileobj(original, copy)


def _theme(value: str) -> str:
    # Accept the package name too: pydata-sphinx-theme -> pydata_sphinx_theme.
    return value.replace("-", "_")


def add_answer_options(
    answers: argparse._ArgumentGroup, questions: dict[str, dict[str, Any]]
) -> None:
    """Options that answer the template's questions in advance."""
    answers.add_argument("--title", help="title of the lesson (default: from DIR's name)")
    answers.add_argument(
        "--short-name", dest="short_name", help="short name, e.g. git-intro (default: DIR's name)"
    )
    answers.add_argument(
        "--author", action="append", metavar="NAME", help="an author (repeat for each one)"
    )
    answers.add_argument("--organisation", help="organisation behind the lesson")
    answers.add_argument(
        "--repository-url",
        dest="repository_url",
        metavar="URL",
        help="web address of the lesson's repository",
    )
    for name, flag, help_text in (
        ("text_licence", "--text-licence", "licence of the text"),
        ("code_licence", "--code-licence", "licence of the code examples"),
        ("theme", "--theme", "Sphinx theme"),
        ("fence", "--fence", "how MyST directives are fenced"),
    ):
        question = questions[name]
        answers.add_argument(
            flag,
            dest=name,
            choices=choices(question),
            type=_theme if name == "theme" else str,
            help=f"{help_text} (default: {question['default']})",
        )


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``new`` command, and ``update`` beside it (they share the template)."""
    questions = template_questions()
    parser = commands.add_parser(
        "new",
        help="create a new lesson from the template",
        description="Create a lesson from the sphinx-refinery lesson template (needs copier: "
        'pip install "sphinx-refinery[template]"). Asks its questions unless --no-input is given; '
        "options answer them in advance. DIR must be new or empty.",
    )
    parser.add_argument("directory", metavar="DIR", help="folder of the new lesson (new or empty)")
    parser.add_argument(
        "--no-input", action="store_true", help="ask nothing: use the options, else the defaults"
    )
    add_answer_options(parser.add_argument_group("answers"), questions)
    advanced = parser.add_argument_group("template")
    advanced.add_argument(
        "--template", metavar="SRC", help="another copier template (a path or a git URL)"
    )
    advanced.add_argument(
        "--vcs-ref", dest="vcs_ref", metavar="REF", help="git tag or commit of --template to use"
    )
    parser.set_defaults(run=run_new)

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
