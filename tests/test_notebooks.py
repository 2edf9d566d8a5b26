"""Notebook lessons: with the notebooks extra, .ipynb pages build as under sphinx-lesson.

These builds run in a subprocess: myst-nb registers its source suffixes into a
default that Sphinx shares between applications in one process.
"""

from __future__ import annotations

import json
import subprocess
import sys

import myst_nb  # noqa: F401  (the notebooks extra is a test requirement)
import pytest
from bs4 import BeautifulSoup

from tests.conftest import write_sources

NOTEBOOK = json.dumps(
    {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# A notebook\n", "\n", ":::{exercise} In a notebook\nTry.\n:::\n"]},
            {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [
                {"name": "stdout", "output_type": "stream", "text": ["42\n"]}], "source": ["print(42)"]},
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
)
INDEX = "# Lesson\n\n```{toctree}\nnotebook\n```\n"


@pytest.mark.parametrize(
    "conf",
    [
        # sphinx-lesson lessons set nb_* options without listing myst_nb.
        'extensions = ["sphinx_refinery"]\nnb_execution_mode = "off"\n',
        'extensions = ["sphinx_refinery", "myst_nb"]\nnb_execution_mode = "off"\n',
        'extensions = ["myst_nb", "sphinx_refinery"]\nnb_execution_mode = "off"\n',
    ],
    ids=["implied", "listed-after", "listed-before"],
)
def test_notebook_pages(tmp_path, conf):
    extensions = build_in_subprocess(tmp_path, {"conf.py": conf, "index.md": INDEX, "notebook.ipynb": NOTEBOOK})
    assert "myst_nb" in extensions
    soup = BeautifulSoup((tmp_path / "out" / "notebook.html").read_text(), "html.parser")
    assert soup.select_one(".admonition.exercise .admonition-title").get_text() == "In a notebook"
    assert "42" in soup.select_one(".cell_output").get_text()


def test_plain_markdown_lessons_do_not_load_myst_nb(tmp_path):
    extensions = build_in_subprocess(tmp_path, {"index.md": "# Lesson\n"})
    assert "myst_nb" not in extensions
    assert "myst_parser" in extensions


BUILD_AND_LIST_EXTENSIONS = """
import sys
from sphinx.application import Sphinx
app = Sphinx(sys.argv[1], sys.argv[1], sys.argv[2], sys.argv[2] + "/.doctrees", "html",
             status=None)
app.build()
print(" ".join(sorted(app.extensions)))
"""


def build_in_subprocess(tmp_path, files):
    src = tmp_path / "src"
    write_sources(src, files)
    done = subprocess.run(
        [sys.executable, "-c", BUILD_AND_LIST_EXTENSIONS, str(src), str(tmp_path / "out")],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    return done.stdout.split()


# -- which lessons load myst-nb: a scan of the source folder ---------------------------------

TEXT_NOTEBOOK = "---\njupytext:\n  formats: md:myst\nkernelspec:\n  name: python3\n---\n# A text notebook\n"


def test_nb_settings_without_notebooks_load_myst_parser_silently(tmp_path):
    # git-intro's case: nb_* options left over from sphinx-lesson, no notebook.
    extensions = build_in_subprocess(
        tmp_path,
        {"conf.py": 'extensions = ["sphinx_refinery"]\nnb_execution_mode = "off"\n',
         "index.md": "# Lesson\n"},
    )
    assert "myst_nb" not in extensions
    assert "myst_parser" in extensions


def test_text_notebook_loads_myst_nb(tmp_path):
    extensions = build_in_subprocess(
        tmp_path,
        {"conf.py": 'extensions = ["sphinx_refinery"]\nnb_execution_mode = "off"\n',
         "index.md": "# Lesson\n\n```{toctree}\nnb\n```\n", "nb.md": TEXT_NOTEBOOK},
    )
    assert "myst_nb" in extensions


def test_find_notebook(tmp_path):
    from sphinx_refinery.extensions.notebooks import find_notebook

    write_sources(tmp_path, {"index.md": "---\ntitle: x\n---\n# Lesson\n", "a/page.md": "# Page\n"})
    assert find_notebook(tmp_path) is None
    write_sources(tmp_path, {".ipynb_checkpoints/x-checkpoint.ipynb": "{}", "_build/html/y.ipynb": "{}"})
    assert find_notebook(tmp_path, ["_build"]) is None
    write_sources(tmp_path, {"drafts/old.ipynb": "{}", "a/nb.md": TEXT_NOTEBOOK})
    assert find_notebook(tmp_path, ["_build", "drafts", "a/nb.md"]) is None
    assert find_notebook(tmp_path, ["_build", "drafts"]) == "a/nb.md"
    assert find_notebook(tmp_path, ["_build", "**/nb.md"]) == "drafts/old.ipynb"
    # The build's own folders are skipped whatever exclude_patterns says.
    skip = [tmp_path / "drafts", tmp_path / "_build"]
    assert find_notebook(tmp_path, ["**/nb.md"], skip=skip) is None


def test_notebooks_without_myst_nb_warn(build, monkeypatch):
    """A lesson with notebooks but without the notebooks extra says so, once, and builds."""
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "myst_nb" else real_find_spec(name, *a)
    )
    result = build({"index.md": "# Lesson\n", "extra.ipynb": NOTEBOOK})
    warnings = [line for line in result.warning_lines() if "[refinery.notebooks]" in line]
    assert len(warnings) == 1 and "extra.ipynb is a notebook" in warnings[0]
    assert "myst_parser" in result.app.extensions and "myst_nb" not in result.app.extensions


def test_checker_knows_myst_nb_directives_only_with_notebooks(tmp_path):
    from sphinx_refinery.check.lesson import settings_from_conf

    write_sources(tmp_path / "plain", {"index.md": "# Lesson\n"})
    write_sources(tmp_path / "nb", {"index.md": "# Lesson\n", "nb.md": TEXT_NOTEBOOK})
    assert "glue" not in settings_from_conf(tmp_path / "plain").known
    known = settings_from_conf(tmp_path / "nb").known
    assert "glue" in known and "tabs" in known
