"""How the checker is put together: no import cycle, every rule declared with its check."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest

from sphinx_refinery.check import rules

CHECK = Path(__file__).resolve().parents[1] / "src" / "sphinx_refinery" / "check"


def imports_within(package: Path) -> dict[str, set[str]]:
    """module -> the modules of the same package it imports (anywhere in it, even lazily)."""
    modules = {path.stem for path in package.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in package.glob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    found.add(node.module.split(".")[0])
                else:
                    found.update(alias.name for alias in node.names)
        graph[path.stem] = found & modules - {path.stem}
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


def test_no_import_cycle_in_the_checker():
    graph = imports_within(CHECK)
    assert "rst" in graph["markdown"]  # the graph is read: markdown reads eval-rst blocks as rST
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

    monkeypatch.setattr(rules, "CHECKS", [(stray, frozenset({"image-alt"}))])
    with pytest.raises(ValueError, match="does not declare"):
        rules.run(SimpleNamespace(pages={}), {"image-alt", "link-text"})  # type: ignore[arg-type]
