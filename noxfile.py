"""Test matrix: the oldest and newest supported Sphinx, on the Pythons they need.

Run all with ``nox``, or one with ``nox -s "tests(sphinx='9.2')"``.
"""

import nox

nox.options.default_venv_backend = "venv"

MATRIX = [
    ("3.11", "8.2", "0.21"),
    ("3.11", "9.0", "0.22"),
    ("3.13", "9.2", "0.23"),
]


@nox.session
@nox.parametrize(("python", "sphinx", "docutils"), MATRIX, ids=[f"sphinx{s}" for _p, s, _d in MATRIX])
def tests(session: nox.Session, sphinx: str, docutils: str) -> None:
    session.install("-e", ".[test]", f"sphinx=={sphinx}.*", f"docutils=={docutils}.*")
    session.run("python", "-m", "pytest", *session.posargs)
