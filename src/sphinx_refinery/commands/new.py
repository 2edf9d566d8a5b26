"""``sphinx-refinery new DIR``: a new lesson from the template (see lesson_template.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .output import CommandError
from .template import (
    TEMPLATE_DIR,
    add_answer_options,
    answers_from_options,
    call_copier,
    folder_defaults,
    import_copier,
    record_upstream,
    require_terminal,
    template_questions,
)

#: Entries a new lesson's folder may hold already.
IGNORED = frozenset({".git", ".DS_Store"})


def check_destination(folder: Path) -> None:
    """Only a new or empty folder: nothing that exists is ever overwritten."""
    if not folder.exists():
        return
    if not folder.is_dir():
        raise CommandError(f"{folder}: exists and is not a folder")
    # What "clone the empty repository, then run new in it" leaves, and a file macOS adds.
    if any(entry.name not in IGNORED for entry in folder.iterdir()):
        raise CommandError(
            f"{folder}: the folder is not empty; give a new or empty folder", status=1
        )


def template_source(source: str) -> str:
    """A template folder as an absolute path, so that the answers file still finds it when
    ``update`` runs from another folder; git URLs and copier's shortcuts stay as they are."""
    path = Path(source).expanduser()
    return str(path.resolve()) if path.exists() else source


def create(args: argparse.Namespace) -> Path:
    folder = Path(args.directory).expanduser()
    check_destination(folder)
    data = answers_from_options(args)
    require_terminal(args.no_input)
    copier = import_copier()
    shipped = args.template is None
    call_copier(
        copier.run_copy,
        src_path=str(TEMPLATE_DIR if shipped else template_source(args.template)),
        dst_path=folder,
        data=data,
        user_defaults=folder_defaults(folder),
        defaults=args.no_input,
        vcs_ref=args.vcs_ref,
        overwrite=False,
        quiet=True,  # copier's own listing ("Copying from template version None", colours)
    )
    if shipped:
        record_upstream(folder)
    return folder


def run_new(args: argparse.Namespace) -> int:
    from .. import __version__
    from .template import upstream_ref

    folder = create(args)
    git = "  git add . && git commit -m 'New lesson'" if (folder / ".git").exists() else (
        "  git init -b main && git add . && git commit -m 'New lesson'"
    )
    if upstream_ref(__version__):
        install = "  python -m pip install -r requirements.txt"
    else:  # requirements.txt pins a version that is not released
        install = (
            f"  # sphinx-refinery {__version__} is a development version, which requirements.txt\n"
            "  # cannot install: in the environment that has it, install the rest with\n"
            "  grep -v '^sphinx-refinery' requirements.txt | python -m pip install -r /dev/stdin"
        )
    print(
        f"The lesson is in {folder}. Next steps:\n"
        f"  cd {folder}\n"
        f"{git}\n"
        f"{install}\n"
        "  python -m sphinx -W -b html content _build/html\n"
        "README.md says how it is checked, published and updated."
    )
    return 0


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``new`` command."""
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
