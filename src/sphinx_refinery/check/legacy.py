"""Legacy syntax: what ``sphinx-refinery migrate`` would convert, found with its own code."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from ..extensions.other_extensions import replaced_problem, replaced_setting_problem
from ..migrate.conf_file import assigned_names, extension_entries, is_lesson_extension
from ..migrate.files import iter_files
from ..migrate.markdown import MarkdownConverter


def markdown_legacy(path: Path, text: str) -> list[tuple[int, str]]:
    """(line, what) of each construct migrate would rewrite in a Markdown page."""
    converter = MarkdownConverter(path, notes=[])
    converter.convert(text)
    return sorted((c.line, c.what) for c in converter.conversions)


def conf_extensions(conf_path: Path) -> Iterator[tuple[int, int, str]]:
    """(line, col, name) of each extension conf.py lists, as migrate reads them."""
    try:
        tree = ast.parse(conf_path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return
    for name, node, _container in extension_entries(tree):
        yield node.lineno, node.col_offset + 1, name


def conf_replaced(conf_path: Path) -> Iterator[tuple[int, int, str]]:
    """(line, col, message) of each extension conf.py lists that clashes with
    sphinx-refinery, and each setting it makes of what sphinx-refinery replaces: the
    build and ``check`` report them alike."""
    try:
        tree = ast.parse(conf_path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return
    found = []
    for name, node, _container in extension_entries(tree):
        problem = replaced_problem(name)
        if problem:
            found.append((node.lineno, node.col_offset + 1, problem))
    for stmt in tree.body:
        for name in assigned_names(stmt):
            problem = replaced_setting_problem(name)
            if problem:
                found.append((stmt.lineno, stmt.col_offset + 1, problem))
    yield from sorted(found)


def conf_legacy(conf_path: Path) -> Iterator[tuple[int, int, str]]:
    """(line, col, name) of each sphinx-lesson extension conf.py loads."""
    for line, col, name in conf_extensions(conf_path):
        if is_lesson_extension(name):
            yield line, col, name


def python_legacy(srcdir: Path) -> Iterator[tuple[Path, int, int, str]]:
    """(path, line, col, module) of each import from sphinx-lesson in the lesson's Python
    files other than conf.py (helpers that subclass its ``_BaseCRDirective``)."""
    for path in iter_files(srcdir, notes=[]):
        if path.suffix != ".py" or path.name == "conf.py":
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if "sphinx_lesson" not in text:
            continue
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue  # not ours to report: Python itself will
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                if is_lesson_extension(module):
                    yield path, node.lineno, node.col_offset + 1, module
