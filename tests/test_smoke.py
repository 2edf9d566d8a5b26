"""Smoke tests: a build, and a quick command line."""

import subprocess
import sys


def test_smoke(build):
    result = build({"index.md": "# Hi\n\n```{exercise}\nDo it.\n```\n"})
    assert "exercise" in result.html("index").select_one(".admonition")["class"]


def test_help_loads_only_the_parsers():
    """``sphinx-refinery --help`` stays quick: no command module imports Sphinx's application,
    and the commands' work (migrate's rewriters, calendars) is imported when they run."""
    heavy = ["sphinx.application", "sphinx_refinery.migrate.rewrite", "sphinx_refinery.workshops.ics"]
    code = (
        "import sys\n"
        "from sphinx_refinery.commands.cli import build_parser\n"
        "build_parser().format_help()\n"
        f"print([name for name in {heavy!r} if name in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stderr
