"""The lesson template that ``new`` and ``update`` share, and their copier helpers.

The lesson template ships inside the package (``template/``) as a copier
template, so ``new`` works offline. copier, an optional dependency (the
``template`` extra), renders it and records the answers in the lesson's
``.copier-answers.yml``.

A lesson made from the shipped template records this project's repository and
the release's tag as its template source, so that ``copier update`` can rebuild
the version the lesson started from, which the three-way merge needs.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import __version__
from ..util import whole_file
from .output import CommandError

TEMPLATE_DIR = Path(__file__).parents[1] / "template"
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
    """A short name: lower-case letters, digits and single dashes ("äidinkieli" -> "aidinkieli")."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def folder_defaults(folder: Path) -> dict[str, str]:
    """Defaults taken from the lesson's folder name: ``git-intro`` -> "Git intro".

    The title keeps the name's letters as typed (å, ä, ö, データ); only the short name,
    used in addresses and file names, keeps to ASCII ("lesson" when nothing is left).
    """
    name = folder.resolve().name
    words = " ".join(name.replace("_", " ").replace("-", " ").split())
    if not words:
        return {}
    return {"short_name": slug(name) or "lesson", "title": words[:1].upper() + words[1:]}


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


def _answers_text(path: Path) -> str:
    from ..util import bounded

    try:
        return bounded.read_text(path)
    except OSError as err:
        raise CommandError(f"{path}: cannot be read: {err.strerror or err}") from None
    except bounded.InputError as err:
        raise CommandError(str(err)) from None


def read_answers(path: Path) -> dict[str, Any]:
    """The lesson's template answers: a YAML mapping, bounded; CommandError otherwise."""
    import yaml

    from ..util import bounded

    try:
        answers = bounded.load_yaml(_answers_text(path), str(path)) or {}
    except bounded.InputError as err:
        raise CommandError(str(err)) from None
    except yaml.YAMLError as err:
        raise CommandError(f"{path}: not valid YAML: {getattr(err, 'problem', None) or err}") from None
    if not isinstance(answers, dict):
        raise CommandError(f"{path}: should be a mapping of answers")
    return answers


def record_upstream(lesson: Path) -> None:
    """Point the lesson's answers at the upstream repository instead of the installed package."""
    path = lesson / ANSWERS_FILE
    text = _answers_text(path)
    header = "".join(
        line
        for line in text.splitlines(keepends=True)
        if line.startswith("#") and not line.startswith(MADE_WITH)
    )
    header += f"{MADE_WITH}{__version__}\n"
    import yaml

    answers = read_answers(path)
    answers["_src_path"] = UPSTREAM_URL
    ref = template_version()
    if ref:
        answers["_commit"] = ref
    else:
        answers.pop("_commit", None)
    # Same layout as copier's own to_nice_yaml, so that updates diff cleanly.
    body = yaml.safe_dump(answers, allow_unicode=True, default_flow_style=False, indent=4)
    try:
        whole_file.write(path, (header + body).encode("utf-8"))
    except OSError as err:
        raise CommandError(f"cannot write {path}: {err.strerror or err}") from None


def import_copier() -> Any:
    try:
        import copier
    except ImportError:
        raise CommandError(INSTALL_HINT, status=1) from None
    return copier


def call_copier(operation: Callable[..., Any], **kwargs: Any) -> None:
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
    except OSError as err:  # "Read-only file system: lesson/conf.py", not "[Errno 30] ..."
        where = f": {err.filename}" if err.filename else ""
        raise CommandError(f"{err.strerror or err}{where}", status=1) from None


def require_terminal(no_input: bool) -> None:
    if not no_input and not sys.stdin.isatty():
        raise CommandError("no terminal to ask the questions in: give --no-input (and options)")


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
