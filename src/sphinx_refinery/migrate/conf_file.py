"""conf.py: ``sphinx_lesson`` becomes ``sphinx_refinery``; what it replaces goes; its settings
are commented out.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from ..extensions.other_extensions import (
    DROPPED_EXTENSIONS,
    replaced_setting_problem,
    sphinx9_problem,
    still_needed,
)
from .context import Context
from .edits import Edit, Positions

#: sphinx-lesson's extension name; its submodules (``sphinx_lesson.*``) count too.
LESSON_EXTENSION = "sphinx_lesson"
REFINERY_EXTENSION = "sphinx_refinery"
OPTION_NOTE = "# sphinx-refinery migrate: no equivalent, kept for reference: "


def is_lesson_extension(name: str) -> bool:
    return name == LESSON_EXTENSION or name.startswith(LESSON_EXTENSION + ".")


def extension_entries(tree: ast.AST) -> list[tuple[str, ast.Constant, ast.AST]]:
    """(name, string node, container) of every string in conf.py's extensions, in order."""
    found = []
    for node in ast.walk(tree):
        container = None
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "extensions" for t in targets):
                container = node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "extensions"
        ):
            if node.func.attr == "extend" and node.args:
                container = node.args[0]
            elif node.func.attr in ("append", "insert") and node.args:
                arg = node.args[-1]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.append((arg.value, arg, node))
                continue
        if isinstance(container, ast.List | ast.Tuple):
            for elt in container.elts:
                if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                    found.append((elt.value, elt, container))
    # The append/insert "container" is the call; removal needs the statement.
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    result = []
    for value, node, container in found:
        if isinstance(container, ast.Call):
            statement = parents.get(container)
            container = statement if isinstance(statement, ast.Expr) else container
        result.append((value, node, container))
    result.sort(key=lambda entry: (entry[1].lineno, entry[1].col_offset))
    return result


def html_theme(tree: ast.Module) -> str | None:
    """conf.py's ``html_theme``, when it is a plain string at the top level."""
    for stmt in tree.body:
        if (
            "html_theme" in assigned_names(stmt)
            and isinstance(stmt, ast.Assign)
            and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str)
        ):
            return stmt.value.value
    return None


#: A lesson's own extension that registers this directive (several CodeRefinery lessons).
_OWN_METADATA = re.compile(r"""add_directive\(\s*["']lesson-metadata["']""")


def own_lesson_metadata(confdir: Path, module: str) -> Path | None:
    """The file of a local extension ``module`` that registers ``lesson-metadata``."""
    relative = Path(*module.split("."))
    folders = [confdir, *(p for p in sorted(confdir.iterdir()) if p.is_dir())]
    for folder in folders:
        for candidate in (folder / relative.with_suffix(".py"), folder / relative / "__init__.py"):
            try:
                if candidate.is_file() and _OWN_METADATA.search(candidate.read_text("utf-8")):
                    return candidate
            except (OSError, UnicodeDecodeError):
                continue
    return None


def extension_strings(tree: ast.AST) -> list[str]:
    return [value for value, _, _ in extension_entries(tree)]


def assigned_names(stmt: ast.AST) -> list[str]:
    if isinstance(stmt, ast.Assign):
        targets = stmt.targets
    elif isinstance(stmt, ast.AnnAssign | ast.AugAssign):
        targets = [stmt.target]
    else:
        return []
    return [t.id for t in targets if isinstance(t, ast.Name)]


def conf_extensions(
    ctx: Context, path: Path, tree: ast.AST, pos: Positions, edits: list[Edit], changes: list[str]
) -> list[str]:
    """Edits to the extensions; returns the extension names expected afterwards."""
    entries = extension_entries(tree)
    values = [value for value, _, _ in entries]
    migrating = REFINERY_EXTENSION in values or any(is_lesson_extension(v) for v in values)
    have_refinery = REFINERY_EXTENSION in values
    final: dict[int, str | None] = {}  # id(node) -> its name afterwards, None: removed
    removals: dict[int, tuple[ast.AST, list[tuple[ast.AST, str]]]] = {}
    for value, node, container in entries:
        final[id(node)] = value
        if is_lesson_extension(value) and not have_refinery:
            segment = pos.segment(node)
            new = segment.replace(value, REFINERY_EXTENSION, 1)
            try:
                ok = ast.literal_eval(new) == REFINERY_EXTENSION
            except (ValueError, SyntaxError):
                ok = False
            if ok:
                edits.append(Edit(*pos.span(node), new))
                changes.append(f"extensions: {value} -> {REFINERY_EXTENSION}")
                have_refinery = True
                final[id(node)] = REFINERY_EXTENSION
            else:
                ctx.note(path, node.lineno, f"the extension {value} could not be rewritten")
            continue
        problem = sphinx9_problem(value)
        if problem:
            ctx.note(path, node.lineno, f"the extension {value}: {problem}")
        if is_lesson_extension(value):
            reason = f"one {REFINERY_EXTENSION} is enough"
        elif migrating and value in DROPPED_EXTENSIONS:
            reason = DROPPED_EXTENSIONS[value]
        elif migrating and (own := own_lesson_metadata(path.parent, value)):
            reason = (
                "sphinx-refinery has the lesson-metadata directive, which reads CITATION.cff;"
                f" {ctx.rel(own)} is left in place"
            )
        else:
            continue
        removals.setdefault(id(container), (container, []))[1].append((node, reason))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for container, doomed in removals.values():
        failed = remove_entries(pos, parents, container, [n for n, _ in doomed], edits)
        for node, reason in doomed:
            value = final[id(node)]
            if id(node) in failed:
                ctx.note(
                    path, node.lineno, f"the extension {value} could not be removed: left alone"
                )
            else:
                final[id(node)] = None
                changes.append(f"extensions: dropped {value} ({reason})")
    names = [final[id(node)] for _, node, _ in entries if final[id(node)] is not None]
    if migrating:
        for requirement in still_needed(names, html_theme(tree)):
            if requirement not in ctx.needed:
                ctx.needed.append(requirement)
    return names


def remove_lines(pos: Positions, node: ast.AST, edits: list[Edit], element: bool) -> bool:
    """An edit deleting the lines of a statement or list element (a comment after it stays)."""
    rest = pos.own_lines(node)
    if rest is None or (not element and rest.group(0).lstrip(" \t").startswith(",")):
        return False
    stmt = node
    indent = re.match(r"[ \t]*", pos.lines[stmt.lineno - 1]).group(0)
    comment = rest.group(1)
    keep = f"{indent}{comment}\n" if comment else ""
    edits.append(Edit(pos.line_start(stmt.lineno), pos.line_end(stmt.end_lineno), keep))
    return True


def remove_entries(
    pos: Positions,
    parents: dict[ast.AST, ast.AST],
    container: ast.AST,
    nodes: list[ast.AST],
    edits: list[Edit],
) -> set[int]:
    """Edits removing strings from an extensions list; returns the ids of those that stay."""
    if isinstance(container, ast.Expr):  # extensions.append("x")
        return set() if remove_lines(pos, container, edits, False) else {id(nodes[0])}
    elts = container.elts
    removed = {id(node) for node in nodes}
    if all(id(elt) in removed for elt in elts):
        # ``extensions += [...]`` or ``extensions.extend([...])`` with nothing left.
        holder = parents.get(container)
        if isinstance(holder, ast.Call):
            holder = parents.get(holder)
        if isinstance(holder, ast.AugAssign | ast.Expr) and remove_lines(pos, holder, edits, False):
            return set()
    failed: set[int] = set()
    own = {id(node) for node in nodes if pos.own_lines(node) is not None}
    for node in nodes:
        if id(node) in own:
            remove_lines(pos, node, edits, True)
    inline = [i for i, elt in enumerate(elts) if id(elt) in removed and id(elt) not in own]
    runs: list[list[int]] = []
    for i in inline:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        first, last = elts[run[0]], elts[run[-1]]
        after = elts[run[-1] + 1] if run[-1] + 1 < len(elts) else None
        before = elts[run[0] - 1] if run[0] > 0 else None
        if after is not None and id(after) not in removed and after.lineno == last.end_lineno:
            edits.append(Edit(pos.span(first)[0], pos.span(after)[0], ""))
        elif before is not None and id(before) not in removed and before.end_lineno == first.lineno:
            edits.append(Edit(pos.span(before)[1], pos.span(last)[1], ""))
        elif len(run) == len(elts):
            end = pos.span(last)[1]
            comma = re.match(r"[ \t]*,", pos.text[end:])
            edits.append(Edit(pos.span(first)[0], end + (comma.end() if comma else 0), ""))
        else:
            failed.update(id(elts[i]) for i in run)
    return failed


def conf_options(
    ctx: Context,
    path: Path,
    tree: ast.Module,
    pos: Positions,
    edits: list[Edit],
    changes: list[str],
) -> None:
    loads = {
        n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    }
    body = tree.body
    for index, stmt in enumerate(body):
        names = assigned_names(stmt)
        if not names or not any(replaced_setting_problem(n) for n in names):
            continue
        label = ", ".join(names)
        if not all(replaced_setting_problem(n) for n in names):
            ctx.note(path, stmt.lineno, f"{label} are set together: left alone")
            continue
        if loads & set(names):
            ctx.note(path, stmt.lineno, f"the setting {label} is used in conf.py: left alone")
            continue
        prev_end = body[index - 1].end_lineno if index else 0
        next_start = body[index + 1].lineno if index + 1 < len(body) else None
        rest = pos.text[pos.span(stmt)[1] : pos.line_end(stmt.end_lineno)]
        if (
            stmt.col_offset != 0
            or prev_end >= stmt.lineno
            or (next_start is not None and next_start <= stmt.end_lineno)
            or not re.fullmatch(r"[ \t]*(#[^\n]*)?\n?", rest)
        ):
            ctx.note(
                path, stmt.lineno, f"the setting {label} could not be commented out: left alone"
            )
            continue
        lines = pos.lines[stmt.lineno - 1 : stmt.end_lineno]
        new = [OPTION_NOTE + lines[0]] + ["# " + line for line in lines[1:]]
        start = pos.line_start(stmt.lineno)
        end = start + sum(len(line) + 1 for line in lines) - 1
        edits.append(Edit(start, end, "\n".join(new)))
        changes.append(f"commented out {label} (no equivalent in sphinx-refinery)")
    top_level = {id(stmt) for stmt in body}
    for node in ast.walk(tree):
        names = assigned_names(node)
        lesson_names = [n for n in names if replaced_setting_problem(n)]
        if lesson_names and id(node) not in top_level:
            ctx.note(
                path,
                node.lineno,
                f"the setting {', '.join(lesson_names)} (not at the top level): left alone",
            )
        if "jupyter_execute_notebooks" in names and id(node) in top_level:
            ctx.note(
                path,
                node.lineno,
                "jupyter_execute_notebooks is a setting of old myst-nb versions"
                " (now nb_execution_mode): left alone",
            )
