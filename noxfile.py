"""Test sessions: every supported Python with the oldest and newest Sphinx, every
docutils series the package allows with each of them, and the floors.

Run all with ``nox``, or one with ``nox -s "tests-3.13(sphinx='9')"``; ``nox -l``
lists them. ``nox -s mutants`` (not run by default) measures how many deliberate
mistakes the tests of the Sphinx-free modules catch. Sessions whose Python is not installed are skipped by nox (on CI,
``--error-on-missing-interpreters`` makes them errors).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import nox
from packaging.requirements import Requirement

nox.options.default_venv_backend = "venv"

PYTHONS = ["3.11", "3.12", "3.13", "3.14"]
#: The oldest supported Sphinx series and the newest major.
SPHINXES = ["8.2", "9"]
#: Every docutils series pyproject.toml allows (tests/test_release.py keeps them in step).
DOCUTILS = ["0.21", "0.22", "0.23"]
PYPROJECT = Path(__file__).parent / "pyproject.toml"


@nox.session(python=PYTHONS)
@nox.parametrize("sphinx", SPHINXES)
def tests(session: nox.Session, sphinx: str) -> None:
    session.install("-e", ".[test]", f"sphinx=={sphinx}.*")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(python="3.13")
@nox.parametrize("docutils", DOCUTILS)
@nox.parametrize("sphinx", SPHINXES)
def docutils(session: nox.Session, sphinx: str, docutils: str) -> None:
    """Each Sphinx with each docutils series the package allows."""
    session.install("-e", ".[test]", f"sphinx=={sphinx}.*")
    # Installed on its own: a Sphinx release (or sphinx-rtd-theme, a test requirement) may
    # cap docutils below what this package allows and renders with; pip warns and goes on.
    session.install(f"docutils=={docutils}.*")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(python="3.13")
def newest(session: nox.Session) -> None:
    """The newest Sphinx with the newest docutils (CI runs this one on every push)."""
    session.install("-e", ".[test]", f"sphinx=={SPHINXES[-1]}.*")
    session.install(f"docutils=={DOCUTILS[-1]}.*")
    session.run("python", "-m", "pip", "list", silent=False)
    session.run("python", "-m", "pytest", *session.posargs)


def lower_bounds(pyproject: Path = PYPROJECT) -> list[str]:
    """``name==floor`` for each requirement of the package and its extras with a ``>=`` bound."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    pins = {}
    for text in requirements:
        requirement = Requirement(text)
        if requirement.name == project["name"]:  # the package's own extras
            continue
        for spec in requirement.specifier:
            if spec.operator == ">=":
                pins[requirement.name] = f"{requirement.name}=={spec.version}"
    return sorted(pins.values())


@nox.session(python="3.11")
def floors(session: nox.Session) -> None:
    """The oldest versions pyproject.toml allows, all at once, on the oldest Python."""
    # Beside the session's virtualenv: session.create_tmp() would point TMPDIR into this
    # repository, where the tests' folders would be inside its git work tree.
    constraints = Path(session.virtualenv.location) / "floors.txt"
    constraints.write_text("\n".join(lower_bounds()) + "\n", encoding="utf-8")
    session.log("Constraints:\n" + constraints.read_text(encoding="utf-8"))
    session.install("-c", str(constraints), "-e", ".[test]")
    session.run("python", "-m", "pip", "list", silent=False)
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(python="3.13", default=False)
def mutants(session: nox.Session) -> None:
    """Mutation testing of the Sphinx-free modules ([tool.mutmut] in pyproject.toml says
    which, and with which tests): CPU-heavy, so never part of a plain ``nox``."""
    session.install("-e", ".[test]", "mutmut==3.8.1")
    session.run("mutmut", "run", *session.posargs)
    session.run("python", "tools/mutation_scores.py")
