"""The distributions: one version everywhere, a complete sdist, a typed wheel, full metadata."""

from __future__ import annotations

import importlib.metadata
import re
import tarfile
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
import yaml
from packaging.version import Version

from sphinx_refinery import __version__
from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
#: Files outside tests/ that the tests read: the sdist must carry them.
READ_BY_TESTS = [
    "tools/update_translations.py",
    ".pre-commit-hooks.yaml",
    "benchmarks/run.py",
    "benchmarks/profile_build.py",
    ".ci/run",
    "copier.yml",
    "noxfile.py",
    "CHANGELOG.md",
    "docs/conf.py",
    "example-lesson/conf.py",
    "src/sphinx_refinery/template/copier.yml",
]


@pytest.fixture(scope="module")
def dists(tmp_path_factory, request) -> dict[str, Path]:
    """The sdist and the wheel, built by the project's build backend from this tree."""
    from flit_core import buildapi  # a test requirement: see below

    out = tmp_path_factory.mktemp("dist")
    monkeypatch = pytest.MonkeyPatch()
    request.addfinalizer(monkeypatch.undo)
    monkeypatch.chdir(ROOT)
    return {
        "sdist": out / buildapi.build_sdist(str(out)),
        "wheel": out / buildapi.build_wheel(str(out)),
    }


def test_flit_is_a_test_requirement():
    # So that the dists fixture never skips where the test requirements are installed.
    assert any(
        req.startswith("flit_core") for req in PYPROJECT["project"]["optional-dependencies"]["test"]
    )


# -- one version -----------------------------------------------------------------------------


def _nox_list(name: str) -> list[str]:
    """A list of strings assigned at the top of noxfile.py (read, not imported: nox
    need not be installed where the tests run)."""
    import ast

    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == [name]:
            return ast.literal_eval(node.value)
    raise AssertionError(f"noxfile.py has no {name}")


def _requirement(name: str):
    from packaging.requirements import Requirement

    for text in PYPROJECT["project"]["dependencies"]:
        requirement = Requirement(text)
        if requirement.name.lower() == name:
            return requirement.specifier
    raise AssertionError(f"{name} is not a requirement")


def test_nox_runs_every_docutils_series_allowed():
    allowed = _requirement("docutils")
    series = [f"0.{minor}" for minor in range(10, 40) if f"0.{minor}" in allowed
              or f"0.{minor}.0" in allowed]
    assert _nox_list("DOCUTILS") == series


def test_nox_runs_the_oldest_and_newest_sphinx_allowed():
    allowed = _requirement("sphinx")
    floor = next(Version(spec.version) for spec in allowed if spec.operator == ">=")
    cap = next(Version(spec.version) for spec in allowed if spec.operator == "<")
    newest_major = str(cap.major - 1 if cap.minor == 0 else cap.major)
    assert _nox_list("SPHINXES") == [f"{floor.major}.{floor.minor}", newest_major]


def test_version_has_one_source():
    assert "version" not in PYPROJECT["project"]
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert str(Version(__version__)) == __version__  # normalised, as the index shows it


def test_installed_metadata_agrees():
    assert importlib.metadata.version("sphinx-refinery") == __version__


def test_template_pins_this_release():
    config = yaml.safe_load((ROOT / "src/sphinx_refinery/template/copier.yml").read_text())
    assert config["refinery_release"]["default"] == Version(__version__).base_version


def test_docs_name_this_release():
    """The pre-commit example in the checker's page gives this release's tag."""
    text = (ROOT / "docs/checker.md").read_text(encoding="utf-8")
    revs = re.findall(r"^\s*rev: (v[\w.]+)", text, flags=re.MULTILINE)
    assert revs == [f"v{Version(__version__).base_version}"]


def test_built_metadata(dists):
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        [name] = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(wheel.read(name).decode("utf-8"))
    assert metadata["Version"] == __version__
    assert dists["sdist"].name == f"sphinx_refinery-{__version__}.tar.gz"
    classifiers = metadata.get_all("Classifier")
    for expected in (
        "Typing :: Typed",
        "Framework :: Sphinx :: Extension",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.14",
    ):
        assert expected in classifiers
    assert "lesson" in metadata["Keywords"].split(",")
    urls = dict(line.split(", ", 1) for line in metadata.get_all("Project-URL"))
    assert {"Documentation", "Source", "Issues", "Changelog"} <= set(urls)
    assert metadata["License-Expression"] == "MIT"
    requires = {r.replace(" ", "") for r in metadata.get_all("Requires-Dist")}
    # The floors below which `nox -s floors` fails (sphinx-design 0.6.1 lacks the tab
    # choice's storage, Sphinx 8.2.0-8.2.1 duplicate the script config, older myst-parser
    # misplaces option warnings).
    for floor in ("sphinx>=8.2.2", "sphinx-design>=0.8", "myst-parser>=5.2"):
        assert any(r.startswith(floor + ",") or r == floor for r in requires), floor


# -- contents --------------------------------------------------------------------------------


def test_wheel_is_typed_and_carries_the_template(dists):
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        names = set(wheel.namelist())
    assert "sphinx_refinery/py.typed" in names
    template = ROOT / "src/sphinx_refinery/template"
    for path in template.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            assert f"sphinx_refinery/{path.relative_to(template.parent).as_posix()}" in names


def test_sdist_carries_what_the_tests_read(dists):
    with tarfile.open(dists["sdist"]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    missing = [name for name in READ_BY_TESTS if name not in names]
    assert missing == []
    tests = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "tests").rglob("*")
        if path.is_file() and not {"__pycache__", "node_modules", ".pytest_cache"} & set(path.parts)
    ]
    assert [name for name in tests if name not in names] == []
    assert not [name for name in names if "/_build/" in name or "__pycache__" in name]


def test_every_imported_distribution_is_declared():
    """What the package imports is in its requirements (or an extra's), not only a
    dependency of a dependency; and the test extra lists nothing that nothing imports."""
    import ast
    import sys

    from packaging.requirements import Requirement

    project = PYPROJECT["project"]
    declared = {Requirement(r).name.lower().replace("_", "-") for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        declared |= {Requirement(r).name.lower().replace("_", "-") for r in extra}
    owners = importlib.metadata.packages_distributions()
    imported: set[str] = set()
    for path in (ROOT / "src" / "sphinx_refinery").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.partition(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.partition(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"sphinx_refinery"}
    missing = {
        module: owners.get(module)
        for module in third_party
        if not {d.lower().replace("_", "-") for d in owners.get(module, [])} & declared
    }
    assert missing == {}
    assert "defusedxml" not in declared  # imported nowhere
