"""``sphinx-refinery new DIR`` and ``sphinx-refinery update [DIR]``: lessons from the template.

The lesson template ships inside the package (``template/``) as a copier
template, so ``new`` works offline. copier, an optional dependency (the
``template`` extra), renders it and records the answers in the lesson's
``.copier-answers.yml``; ``update`` (or ``copier update``) later merges newer
versions of the template into the lesson, three-way.

A lesson made from the shipped template records this project's repository and
the release's tag as its template source, so that ``copier update`` can rebuild
the version the lesson started from, which the three-way merge needs.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import __version__

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


class CliError(Exception):
    """A problem reported as one line on stderr, ending the command with ``status``."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


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


def record_upstream(lesson: Path) -> None:
    """Point the lesson's answers at the upstream repository instead of the installed package."""
    path = lesson / ANSWERS_FILE
    text = path.read_text(encoding="utf-8")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    import yaml

    answers = yaml.safe_load(text) or {}
    answers["_src_path"] = UPSTREAM_URL
    ref = upstream_ref(__version__)
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
        raise CliError(INSTALL_HINT) from None
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
        raise CliError(str(err)) from None
    except ValueError as err:  # copier's word for a rejected answer (validator, choice)
        raise CliError(str(err), 2) from None
    except ProcessExecutionError as err:
        raise CliError(f"git failed: {(err.stderr or '').strip() or err}") from None
    except OSError as err:
        raise CliError(str(err)) from None


def _require_terminal(no_input: bool) -> None:
    if not no_input and not sys.stdin.isatty():
        raise CliError("no terminal to ask the questions in: give --no-input (and options)", 2)


# -- new -------------------------------------------------------------------------------------


def check_destination(folder: Path) -> None:
    """Only a new or empty folder: nothing that exists is ever overwritten."""
    if not folder.exists():
        return
    if not folder.is_dir():
        raise CliError(f"{folder}: exists and is not a folder", 2)
    if any(folder.iterdir()):
        raise CliError(f"{folder}: the folder is not empty; give a new or empty folder")


def answers_from_options(args: argparse.Namespace) -> dict[str, str]:
    data = {
        name: getattr(args, name) for name in OPTION_QUESTIONS if getattr(args, name) is not None
    }
    if args.author:
        names = [name.strip() for name in args.author]
        if any("," in name or not name for name in names):
            raise CliError("--author takes one name (no commas); repeat it for each author", 2)
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
        src_path=str(TEMPLATE_DIR if shipped else args.template),
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


def _reporting_errors(command: str, action: Callable[[], int]) -> int:
    """Run a command's work; a CliError or Ctrl-C becomes one line and an exit status."""
    try:
        return action()
    except CliError as err:
        print(f"{PROG} {command}: error: {err}", file=sys.stderr)
        return err.status
    except KeyboardInterrupt:
        print(f"{PROG} {command}: interrupted", file=sys.stderr)
        return 130


def run_new(args: argparse.Namespace) -> int:
    return _reporting_errors("new", lambda: _new(args))


def _new(args: argparse.Namespace) -> int:
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
    return _reporting_errors("update", lambda: _update(args))


def _update(args: argparse.Namespace) -> int:
    lesson = Path(args.directory).expanduser()
    if not (lesson / ANSWERS_FILE).is_file():
        raise CliError(f"{lesson}: no {ANSWERS_FILE}: not a lesson made from the template", 2)
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


def _theme(value: str) -> str:
    # Accept the package name too: pydata-sphinx-theme -> pydata_sphinx_theme.
    return value.replace("-", "_")


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
    answers = parser.add_argument_group("answers")
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
    update.set_defaults(run=run_update)
