"""Shared fixtures: build a small lesson from source text with Sphinx's own test app."""

from __future__ import annotations

import os
import re
import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytest_plugins = ["sphinx.testing.fixtures"]

ROOT = Path(__file__).parent.parent
ANSI = re.compile(r"\x1b\[[0-9;]*m")
EXAMPLE_LESSON = ROOT / "example-lesson"
ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
#: The real lessons that the corpus tests read lie beside the checkout. CI must have
#: them, unless a run says it has none (the project's public CI sets REFINERY_NO_CORPUS).
CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_REQUIRED = ON_CI and not os.environ.get("REFINERY_NO_CORPUS")


@dataclass
class Build:
    app: object
    srcdir: Path
    outdir: Path

    @property
    def warnings(self) -> str:
        return ANSI.sub("", self.app._warning.getvalue())

    def warning_lines(self) -> list[str]:
        return [line for line in self.warnings.splitlines() if "WARNING" in line or "ERROR" in line]

    def html(self, page: str = "index") -> BeautifulSoup:
        name = page if page.endswith(".html") else f"{page}.html"
        return BeautifulSoup((self.outdir / name).read_text(encoding="utf-8"), "html.parser")

    def text(self, name: str) -> str:
        return (self.outdir / name).read_text(encoding="utf-8")


DEFAULT_CONF = 'extensions = ["sphinx_refinery"]\n'


def write_sources(srcdir: Path, files: dict[str, str]) -> None:
    files = dict(files)
    files.setdefault("conf.py", DEFAULT_CONF)
    for name, content in files.items():
        path = srcdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")


def build_once(srcdir: Path, files: dict[str, str] | None, builder: str = "html", **kwargs) -> Build:
    """Build outside a test function (for module-scoped fixtures)."""
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    if files is not None:
        srcdir.mkdir(parents=True, exist_ok=True)
        write_sources(srcdir, files)
    builddir = kwargs.pop("builddir", srcdir.parent / f"build-{srcdir.name}")
    app = SphinxTestApp(
        builder, srcdir=srcdir, builddir=builddir, status=StringIO(), warning=StringIO(), **kwargs
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return Build(app=app, srcdir=srcdir, outdir=Path(app.outdir))


@pytest.fixture
def build(make_app, tmp_path) -> Callable[..., Build]:
    """``build(files, builder="html", **kwargs)``: write the files and build them.

    ``files`` maps a path below the source folder to its text; conf.py defaults
    to loading sphinx_refinery. Extra keyword arguments go to Sphinx's make_app
    (``confoverrides``, ``parallel``, ``freshenv``, ...). Calling it again with
    ``files=None`` rebuilds the same sources (an incremental build).
    """

    def _build(files: dict[str, str] | None = None, builder: str = "html", srcdir=None, **kwargs):
        src = Path(srcdir) if srcdir else tmp_path / "src"
        if files is not None:
            if src.exists() and srcdir is None:
                shutil.rmtree(src)
            src.mkdir(parents=True, exist_ok=True)
            write_sources(src, files)
        builddir = kwargs.pop("builddir", tmp_path / "build")
        app = make_app(builder, srcdir=src, builddir=builddir, **kwargs)
        app.build()
        return Build(app=app, srcdir=src, outdir=Path(app.outdir))

    return _build


def boxes(soup: BeautifulSoup) -> list[tuple[str, list[str], str]]:
    """(tag, classes, title text) of every lesson box on a page, in order."""
    found = []
    for element in soup.select(".admonition"):
        title = element.find(class_="admonition-title")
        found.append((element.name, element.get("class", []), title.get_text(" ", strip=True) if title else ""))
    return found


@pytest.fixture(autouse=True, scope="session")
def _session_cache(tmp_path_factory):
    """The checker's cache goes to a folder of this test session, not the user's."""
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    yield
    patch.undo()
