"""Test matrix: the oldest and newest supported Sphinx and docutils, on the Pythons they need.

Run all with ``nox``, or one with ``nox -s "tests(sphinx9.2-docutils0.23)"``.
"""

import nox

nox.options.default_venv_backend = "venv"

MATRIX = [
    ("3.11", "8.2", "0.21"),
    ("3.11", "9.0", "0.22"),
    ("3.13", "9.2", "0.22"),
    ("3.13", "9.2", "0.23"),
]


@nox.session
@nox.parametrize(
    ("python", "sphinx", "docutils"),
    MATRIX,
    ids=[f"sphinx{s}-docutils{d}" for _p, s, d in MATRIX],
)
def tests(session: nox.Session, sphinx: str, docutils: str) -> None:
    session.install("-e", ".[test]", f"sphinx=={sphinx}.*")
    # Installed on its own: sphinx-rtd-theme (a test requirement) still caps
    # docutils below 0.23, though it renders with it; pip warns and goes on.
    session.install(f"docutils=={docutils}.*")
    session.run("python", "-m", "pytest", *session.posargs)
