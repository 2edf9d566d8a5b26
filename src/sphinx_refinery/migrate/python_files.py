"""Python files: conf.py (see :mod:`.conf_file`) and modules that import from sphinx-lesson,
such as a lesson's own directives subclassing its ``_BaseCRDirective``.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .conf_file import conf_extensions, conf_options, extension_strings, is_lesson_extension
from .context import Context
from .edits import Edit, Positions, apply_edits
from .files import SourceFile


def rewrite_python(source: SourceFile, ctx: Context) -> None:
    """Imports from sphinx-lesson, and in conf.py its extensions and settings."""
    path = source.path
    is_conf = path.name == "conf.py"
    if "\r" in source.text:
        ctx.note(path, None, "Python with old Mac line ends (CR): its rewrites skipped")
        return
    try:
        tree = ast.parse(source.text)
    except (SyntaxError, ValueError) as err:
        line = getattr(err, "lineno", None)
        ctx.note(
            path,
            line,
            f"Python that does not parse ({err.__class__.__name__}): its rewrites skipped",
        )
        return
    pos = Positions(source.text)
    edits: list[Edit] = []
    changes: list[str] = []
    python_imports(ctx, path, tree, pos, edits, changes)
    expected = None
    if is_conf:
        expected = conf_extensions(ctx, path, tree, pos, edits, changes)
        conf_options(ctx, path, tree, pos, edits, changes)
    if not edits:
        return
    try:
        new_text = apply_edits(source.text, edits)
        new_tree = ast.parse(new_text)
    except (ValueError, SyntaxError):
        ctx.note(
            path, None, "could not be rewritten safely (" + "; ".join(changes) + "): left alone"
        )
        return
    if expected is not None and extension_strings(new_tree) != expected:
        ctx.note(path, None, "the extensions list could not be rewritten safely: left alone")
        return
    source.text = new_text
    source.changes.extend(changes)


def python_imports(
    ctx: Context, path: Path, tree: ast.AST, pos: Positions, edits: list[Edit], changes: list[str]
) -> None:
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if not is_lesson_extension(node.module):
                continue
            names = [(a.name, a.asname) for a in node.names]
            if node.module == "sphinx_lesson.directives" and [n for n, _ in names] == [
                "_BaseCRDirective"
            ]:
                alias = names[0][1] or "_BaseCRDirective"
                start, end = pos.span(node)
                new = f"from sphinx_refinery.compat import BoxDirective as {alias}"
                edits.append(Edit(start, end, new))
                changes.append(
                    f"line {node.lineno}: _BaseCRDirective now from sphinx_refinery.compat"
                )
                continue
            if node.module == "sphinx_lesson" and [n for n, _ in names] == ["directives"]:
                bound = names[0][1] or "directives"
                new = "from sphinx_refinery import compat" + (
                    f" as {bound}" if bound != "compat" else ""
                )
                if module_uses(
                    tree,
                    parents,
                    pos,
                    bound,
                    [bound, "_BaseCRDirective"],
                    edits,
                    f"{bound}.BoxDirective",
                ):
                    start, end = pos.span(node)
                    edits.append(Edit(start, end, new))
                    changes.append(
                        f"line {node.lineno}: sphinx_lesson.directives -> sphinx_refinery.compat"
                    )
                    continue
            ctx.note(
                path,
                node.lineno,
                f"imports from {node.module}, which sphinx-refinery does not have: left alone",
            )
        elif isinstance(node, ast.Import):
            lesson = [a for a in node.names if is_lesson_extension(a.name)]
            if not lesson:
                continue
            if len(node.names) == 1 and lesson[0].name == "sphinx_lesson.directives":
                alias = lesson[0].asname
                if alias:
                    chain, new_use, new = (
                        [alias, "_BaseCRDirective"],
                        f"{alias}.BoxDirective",
                        f"import sphinx_refinery.compat as {alias}",
                    )
                else:
                    chain = ["sphinx_lesson", "directives", "_BaseCRDirective"]
                    new_use, new = (
                        "sphinx_refinery.compat.BoxDirective",
                        "import sphinx_refinery.compat",
                    )
                if module_uses(tree, parents, pos, chain[0], chain, edits, new_use):
                    start, end = pos.span(node)
                    edits.append(Edit(start, end, new))
                    changes.append(
                        f"line {node.lineno}: sphinx_lesson.directives -> sphinx_refinery.compat"
                    )
                    continue
            names = ", ".join(a.name for a in lesson)
            ctx.note(
                path,
                node.lineno,
                f"imports {names}, which sphinx-refinery does not replace: left alone",
            )


def module_uses(
    tree: ast.AST,
    parents: dict[ast.AST, ast.AST],
    pos: Positions,
    bound: str,
    chain: list[str],
    edits: list[Edit],
    new_use: str,
) -> bool:
    """When every use of ``bound`` is the attribute chain ``chain``: edits to ``new_use``."""
    found: list[Edit] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Name) and node.id == bound):
            continue
        outer: ast.AST = node
        for attr in chain[1:]:
            parent = parents.get(outer)
            if not (
                isinstance(parent, ast.Attribute) and parent.value is outer and parent.attr == attr
            ):
                return False
            outer = parent
        if outer.lineno != outer.end_lineno or pos.segment(outer) != ".".join(chain):
            return False
        found.append(Edit(*pos.span(outer), new_use))
    edits.extend(found)
    return True
