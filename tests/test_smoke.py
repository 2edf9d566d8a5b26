"""Smoke tests: a build, and a quick command line."""

import subprocess
import sys


def test_smoke(build):
    result = build({"index.md": "# Hi\n\n```{exercise}\nDo it.\n```\n"})
    assert "exercise" in result.html("index").select_one(".admonition")["class"]


def test_help_loads_no_sphinx_application():
    """``sphinx-refinery --help`` stays quick: no command module imports Sphinx's application."""
    code = (
        "import sys\n"
        "from sphinx_refinery.cli import build_parser\n"
        "build_parser().format_help()\n"
        "print('sphinx.application' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr
