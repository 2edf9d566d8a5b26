"""How the package is put together: no import cycle, every checker rule declared with its check."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest

from sphinx_refinery.check import rules
from sphinx_refinery.check.rules import registry

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "sphinx_refinery"


def module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_nodes(tree: ast.AST):
    """Every node but those under ``if TYPE_CHECKING:`` (imports for type hints only)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def import_graph(package: Path) -> dict[str, set[str]]:
    """module -> the package's modules it imports when run (anywhere in it, even lazily).

    ``from .a import b`` runs ``a`` (and ``a.b`` when that is a module): both count.
    A module's own packages are not counted: they are always imported before it.
    """
    paths = sorted(package.rglob("*.py"))
    modules = {module_name(path, package): path for path in paths}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.split(".")
                    base = base[: len(base) - node.level + 1]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                found.add(target)
                found.update(f"{target}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        packages = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
        graph[name] = {target for target in found if target in modules} - {name} - packages
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []

    def visit(module: str, trail: list[str]) -> None:
        for target in sorted(graph.get(module, ())):
            if target == trail[0]:
                found.append([*trail, target])
            elif target not in trail and target > trail[0]:  # each cycle once, from its least name
                visit(target, [*trail, target])

    for module in sorted(graph):
        visit(module, [module])
    return found


def test_the_cycle_finder_finds_one():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle():
    graph = import_graph(PACKAGE)
    # the graph is read: markdown reads eval-rst blocks as rST; cli runs every command
    assert "sphinx_refinery.check.rst" in graph["sphinx_refinery.check.markdown"]
    assert "sphinx_refinery.migrate" in graph["sphinx_refinery.cli"]
    # an import for type hints only is no cycle
    assert "sphinx_refinery.domain" not in graph["sphinx_refinery.numbering"]
    assert cycles(graph) == []


def test_rules_are_the_checks_declarations():
    declared = [rule_id for _check, ids in rules.CHECKS for rule_id in sorted(ids)]
    assert sorted(declared) == sorted(rules.BY_ID) == sorted(r.id for r in rules.RULES)
    assert len(declared) == len(set(declared))


def test_a_rule_is_declared_once():
    rule = rules.BY_ID["link-text"]
    with pytest.raises(ValueError, match="declared twice"):
        rules.check(rule)(lambda lesson: ())
    assert len(rules.CHECKS) == len({id(f) for f, _ids in rules.CHECKS})


def test_a_check_reports_only_what_it_declares(monkeypatch, tmp_path):
    def stray(lesson):
        yield tmp_path / "x.md", 1, 1, "link-text", "not declared here"

    monkeypatch.setattr(registry, "CHECKS", [(stray, frozenset({"image-alt"}))])
    with pytest.raises(ValueError, match="does not declare"):
        rules.run(SimpleNamespace(pages={}), {"image-alt", "link-text"})  # type: ignore[arg-type]
