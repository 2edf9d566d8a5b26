"""A whole lesson migrated: which rewriter runs on which file, in which order."""

from __future__ import annotations

import re
from pathlib import Path

from .context import Context
from .fences import front_matter_end
from .files import iter_files
from .jekyll import is_jekyll, migrate_jekyll
from .markdown import rewrite_markdown
from .python_files import rewrite_python
from .requirements import (
    check_requirements,
    check_workflow,
    is_requirements,
    rewrite_requirements,
    split_comment,
)
from .timing_tables import rewrite_timing_tables
from .workbench import is_workbench, migrate_workbench


def migrate_lesson(root: Path) -> Context:
    """Rewrite the lesson below ``root`` in memory; the context holds the files and notes."""
    ctx = Context(root)
    if is_workbench(root):
        # A Carpentries Workbench lesson: imported whole, by its own rewriters.
        migrate_workbench(ctx)
        return ctx
    if is_jekyll(root) and not _foreign_conf(root):
        # The Carpentries' older (Jekyll) format.
        migrate_jekyll(ctx)
        return ctx
    paths = list(iter_files(root, ctx.notes))
    confs = [p for p in paths if p.name == "conf.py"]
    ctx.srcdirs = sorted({p.parent for p in confs}, key=lambda p: len(p.parts), reverse=True)
    if not confs:
        ctx.note(root, None, "no conf.py found below this folder")
    requirement_files = [p for p in paths if is_requirements(p)]
    ctx.notebooks = uses_notebooks(ctx, paths, confs, requirement_files)
    for path in paths:
        if path.suffix == ".py" and (path.name == "conf.py" or _mentions_lesson(path)):
            ctx.rewrite(path, rewrite_python)
    for path in requirement_files:
        ctx.rewrite(path, rewrite_requirements)
    check_requirements(ctx, requirement_files, confs)
    for path in paths:
        if path.suffix == ".md" and ctx.srcdir_of(path):
            ctx.rewrite(path, rewrite_markdown)
    rewrite_timing_tables(paths, ctx)
    for path in paths:
        if path.parent.name == "workflows" and path.suffix in (".yml", ".yaml"):
            ctx.rewrite(path, check_workflow)
    return ctx


def _foreign_conf(root: Path) -> bool:
    """A conf.py at the root that migrate did not make (the lesson is a Sphinx one)."""
    from .workbench.conf_writer import CONF_HEAD

    try:
        return not (root / "conf.py").read_text(encoding="utf-8").startswith(CONF_HEAD)
    except FileNotFoundError:
        return False
    except (OSError, UnicodeDecodeError):
        return True


def _mentions_lesson(path: Path) -> bool:
    """Whether a Python file other than conf.py may import sphinx-lesson (so is loaded)."""
    try:
        return b"sphinx_lesson" in path.read_bytes()
    except OSError:
        return True  # loading it reports why it cannot be read


def uses_notebooks(
    ctx: Context, paths: list[Path], confs: list[Path], requirements: list[Path]
) -> bool:
    if any(p.suffix == ".ipynb" for p in paths):
        return True
    for path in requirements:
        source = ctx.load(path)
        if source is None:
            continue
        for line in source.text.split("\n"):
            code, _ = split_comment(line)
            if re.search(r"(?<![\w-])myst[-_.]nb(?![\w-])", code, re.IGNORECASE):
                return True
    for path in confs:
        source = ctx.load(path)
        if source is None:
            continue
        if re.search(r"^nb_\w+\s*=", source.text, re.MULTILINE):
            return True
        if re.search(r"""^[^#\n]*["']myst_nb["']""", source.text, re.MULTILINE):
            return True
    for path in paths:
        if path.suffix == ".md" and ctx.srcdir_of(path):
            source = ctx.load(path)
            if source is None:
                continue
            lines = source.text.split("\n")
            head = "\n".join(lines[: front_matter_end(lines)])
            if re.search(r"^(jupytext|kernelspec):", head, re.MULTILINE):
                return True
            if re.search(r"^[ \t]*(`{3,}|:{3,})\{code-cell\}", source.text, re.MULTILINE):
                return True
    return False
