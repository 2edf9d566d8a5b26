"""No private attribute of Sphinx, docutils or other libraries is read in src/.

An underscore attribute is allowed only when the package defines that name itself
(its own classes' state, its own helpers); anything else belongs to a library.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "sphinx_refinery"
#: Module-level names that look public but are Sphinx's internals.
INTERNAL_NAMES = frozenset({"builtin_extensions"})
#: Modules whose underscore types may be named: argparse's subparser types, in annotations.
ALLOWED_OWNERS = frozenset({"argparse"})


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def own_names(trees: list[ast.AST]) -> set[str]:
    """Underscore names the package defines: functions, classes, assigned names and attributes."""
    names: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
    return {n for n in names if _private(n)}


def foreign_private(tree: ast.AST, own: set[str]) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in own:
            if not (isinstance(node.value, ast.Name) and node.value.id in ALLOWED_OWNERS):
                found.append((node.lineno, node.attr))
        elif isinstance(node, ast.ImportFrom) and not node.level:
            for alias in node.names:
                if (_private(alias.name) and alias.name not in own) or alias.name in INTERNAL_NAMES:
                    found.append((node.lineno, alias.name))
        elif isinstance(node, ast.Attribute) and node.attr in INTERNAL_NAMES:
            found.append((node.lineno, node.attr))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _private(node.args[1].value)
            and node.args[1].value not in own
        ):
            found.append((node.lineno, node.args[1].value))
    return found


def test_the_detector_finds_private_access():
    code = (
        "from sphinx.application import builtin_extensions\n"
        "from docutils.parsers.rst.directives import _directives\n"
        "raw = config._raw_config\n"
        "names = getattr(directives, '_directive_registry')\n"
        "self._mine = 1\n"
        "ok = self._mine\n"
        "def f(sub: argparse._SubParsersAction): pass\n"
    )
    tree = ast.parse(code)
    assert foreign_private(tree, own_names([tree])) == [
        (1, "builtin_extensions"),
        (2, "_directives"),
        (3, "_raw_config"),
        (4, "_directive_registry"),
    ]


def test_no_private_attribute_of_a_library_is_read():
    files = sorted(SRC.rglob("*.py"))
    assert len(files) > 10
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in files}
    own = own_names(list(trees.values()))
    found = [
        f"{path.relative_to(SRC.parent)}:{line}: {name}"
        for path, tree in trees.items()
        for line, name in foreign_private(tree, own)
    ]
    assert found == []
