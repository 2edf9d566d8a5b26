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


def _nodes(tree: ast.AST, *, type_hints: bool, in_functions: bool = True):
    """The tree's nodes, without ``if TYPE_CHECKING:`` blocks unless ``type_hints``, and
    without function bodies unless ``in_functions`` (what runs when the module is imported)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if not type_hints and isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            stack.extend(node.orelse)
            continue
        if not in_functions and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        stack.extend(ast.iter_child_nodes(node))


def _modules(package: Path) -> dict[str, Path]:
    return {module_name(path, package): path for path in sorted(package.rglob("*.py"))}


def imports_of(name: str, path: Path, *, type_hints: bool = False, in_functions: bool = True) -> set[str]:
    """Every module named by the imports of one module (``from .a import b``: ``a`` and ``a.b``)."""
    here = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in _nodes(tree, type_hints=type_hints, in_functions=in_functions):
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
    return found


def import_graph(
    package: Path, *, type_hints: bool = False, in_functions: bool = True
) -> dict[str, set[str]]:
    """module -> the package's modules it imports (anywhere in it, even lazily).

    ``from .a import b`` runs ``a`` (and ``a.b`` when that is a module): both count.
    A module's own packages are not counted: they are always imported before it.
    """
    modules = _modules(package)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = imports_of(name, path, type_hints=type_hints, in_functions=in_functions)
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


def test_no_import_cycle_not_even_for_type_hints():
    graph = import_graph(PACKAGE, type_hints=True)
    # the graph is read: markdown reads eval-rst blocks as rST; cli runs every command;
    # numbering names the domain's type in hints only
    assert "sphinx_refinery.check.rst" in graph["sphinx_refinery.check.markdown"]
    assert "sphinx_refinery.commands.migrate" in graph["sphinx_refinery.commands.cli"]
    assert "sphinx_refinery.boxes.domain" in graph["sphinx_refinery.boxes.numbering"]
    assert "sphinx_refinery.boxes.domain" not in import_graph(PACKAGE)["sphinx_refinery.boxes.numbering"]
    assert cycles(graph) == []


# -- layers ----------------------------------------------------------------------------------

#: The extension's own modules at the top: they set up every part of the build.
EXTENSION_MODULES = {"sphinx_refinery", "sphinx_refinery.compat", "sphinx_refinery.config"}
COMMANDS = "commands"
#: Sphinx and its extensions: a command imports the build only inside a function.
SPHINX = ("sphinx", "myst_parser", "myst_nb", "sphinx_design")


def part_of(module: str) -> str:
    """The folder a module is in (``boxes``), or the module itself for top-level ones."""
    parts = module.split(".")
    if module == "sphinx_refinery.__main__":
        return COMMANDS  # ``python -m sphinx_refinery`` is the command line
    if module in EXTENSION_MODULES:
        return "extension"
    return parts[1]


def declared_imports(package: Path) -> dict[str, set[str]]:
    """Each part's ``May import:`` line in its ``__init__``: the rule this test holds the code to."""
    parts = sorted(p.parent.name for p in package.glob("*/__init__.py"))
    declared: dict[str, set[str]] = {}
    for part in parts:
        doc = ast.get_docstring(ast.parse((package / part / "__init__.py").read_text(encoding="utf-8")))
        lines = [line for line in (doc or "").splitlines() if line.startswith("May import: ")]
        assert len(lines) == 1, f"{part}/__init__.py must say once what it may import ('May import: ...')"
        names = lines[0].removeprefix("May import: ").rstrip(".")
        if names == "every part":
            declared[part] = set(parts) - {part}
        elif names == "nothing":
            declared[part] = set()
        else:
            declared[part] = {name.strip() for name in names.split(",")}
            unknown = declared[part] - set(parts)
            assert not unknown, f"{part}/__init__.py names parts that do not exist: {sorted(unknown)}"
    # the extension sets up every part of the build, never a command
    declared["extension"] = set(parts) - {COMMANDS}
    return declared


def wrong_way_imports(package: Path) -> list[str]:
    """Imports that go against the parts' declared layers, as 'module -> module (part -> part)'."""
    declared = declared_imports(package)
    wrong = []
    for module, targets in import_graph(package, type_hints=True).items():
        for target in sorted(targets):
            source, dest = part_of(module), part_of(target)
            if source != dest and dest not in declared[source]:
                wrong.append(f"{module} -> {target} ({source} may not import {dest})")
    return wrong


def sphinx_at_import(package: Path, module: str) -> list[str]:
    """The chain of module-level imports by which importing ``module`` loads Sphinx, if any."""
    modules = _modules(package)
    trail: dict[str, str | None] = {module: None}
    queue = [module]
    while queue:
        current = queue.pop(0)
        for target in sorted(imports_of(current, modules[current], in_functions=False)):
            if target.split(".")[0] in SPHINX:
                chain = [target, current]
                while trail[chain[-1]] is not None:
                    chain.append(trail[chain[-1]])  # type: ignore[arg-type]
                return chain[::-1]
            if target in modules and target not in trail:
                trail[target] = current
                queue.append(target)
    return []


def test_the_layers_are_declared_and_run_one_way():
    declared = declared_imports(PACKAGE)
    assert declared["model"] == set() and declared["util"] == set()
    assert COMMANDS not in set().union(*(v for k, v in declared.items() if k != COMMANDS))
    graph = {part: parts for part, parts in declared.items() if part != "extension"}
    assert cycles(graph) == [], "the parts' declared imports must not go round"
    assert wrong_way_imports(PACKAGE) == []


def test_a_wrong_way_import_is_found(tmp_path):
    """The layers test fails on an import against the declared direction."""
    import shutil

    package = tmp_path / "sphinx_refinery"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "template"))
    (package / "locale").mkdir()
    shutil.copy(PACKAGE / "locale" / "__init__.py", package / "locale" / "__init__.py")
    assert wrong_way_imports(package) == []
    rules = package / "model" / "lesson_rules.py"
    rules.write_text(rules.read_text(encoding="utf-8") + "\nfrom ..boxes import titles\n", encoding="utf-8")
    command = package / "boxes" / "titles.py"
    command.write_text(
        command.read_text(encoding="utf-8") + "\n\ndef f():\n    from ..commands import cli\n",
        encoding="utf-8",
    )
    assert wrong_way_imports(package) == [
        "sphinx_refinery.boxes.titles -> sphinx_refinery.commands (boxes may not import commands)",
        "sphinx_refinery.boxes.titles -> sphinx_refinery.commands.cli (boxes may not import commands)",
        "sphinx_refinery.model.lesson_rules -> sphinx_refinery.boxes (model may not import boxes)",
        "sphinx_refinery.model.lesson_rules -> sphinx_refinery.boxes.titles (model may not import boxes)",
    ]


def test_commands_load_no_sphinx_when_imported():
    commands = [m for m in _modules(PACKAGE) if part_of(m) == COMMANDS]
    assert "sphinx_refinery.commands.schedule" in commands
    assert {m: chain for m in commands if (chain := sphinx_at_import(PACKAGE, m))} == {}
    # the finder finds a chain where there is one
    assert sphinx_at_import(PACKAGE, "sphinx_refinery.workshops.directive")[-1].startswith(SPHINX)


def test_the_lesson_model_is_plain_python():
    for module in (m for m in _modules(PACKAGE) if part_of(m) == "model"):
        assert sphinx_at_import(PACKAGE, module) == []
        path = _modules(PACKAGE)[module]
        found = imports_of(module, path, type_hints=True)
        assert not [t for t in found if t.split(".")[0] in (*SPHINX, "docutils")], module


def test_no_module_is_over_600_lines():
    long = {
        module: lines
        for module, path in _modules(PACKAGE).items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert long == {}


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
