"""Caches for ``sphinx-refinery check``: what a lesson's extensions register, and its pages.

Setting up a Sphinx application to learn a lesson's directives costs more than
checking its pages, and gives the same answer until conf.py, a lesson module it
imports, or an installed extension changes (:class:`KnownCache`). Its key hashes
conf.py's text, the extension list, Python's, Sphinx's and docutils' versions,
and where every other extension (sphinx-refinery and the extensions it sets up
among them) is installed and when its files last changed. Lesson modules
imported while setting up are hashed separately and compared on every read.

Reading the pages (tokenising MyST) is most of what is left; a page whose text,
MyST options and known directive names are as before is not read again
(:class:`PageCache`).

Each lesson folder has one file of each, in the system's cache folder (platformdirs:
``$XDG_CACHE_HOME/sphinx-refinery/check`` or ``~/.cache/...`` on Linux, the user's
Caches or local application data elsewhere; the :data:`MAX_FILES` most recent are kept).
``REFINERY_NO_CACHE`` set (not empty) turns both off. A cache that cannot be
read, parsed or written is ignored: the answer is computed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import pickle
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..util import bounded, cache_file

#: Bumped whenever the file's shape or the key's recipe changes.
FORMAT = 2
#: Set (not empty): no cache is read or written.
BYPASS_ENV = "REFINERY_NO_CACHE"
#: Extensions sphinx-refinery sets up itself, whatever conf.py lists.
ALWAYS_LOADED = ("sphinx_refinery", "myst_parser", "myst_nb", "sphinx_design", "sphinx_copybutton")
#: Packages fingerprinted by their version alone: large, and versioned on every release.
VERSIONED = ("sphinx", "docutils")
#: Files kept at most (two a lesson); the least recently written go first.
MAX_FILES = 128


def cache_dir() -> Path:
    """The system's cache folder for programs (``$XDG_CACHE_HOME`` or ``~/.cache`` on
    Linux, ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows)."""
    from platformdirs import user_cache_path

    return user_cache_path("sphinx-refinery", appauthor=False) / "check"


def enabled() -> bool:
    return not os.environ.get(BYPASS_ENV)


def _package_stamp(top: str) -> str:
    """Where ``top`` is installed and when its Python files last changed ("-": not found)."""
    if top in VERSIONED:
        module = sys.modules.get(top) or __import__(top)
        return str(getattr(module, "__version__", "?"))
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.origin:
        return "-"
    locations = list(spec.submodule_search_locations or [])
    newest, count = 0, 0
    if not locations:
        try:
            newest, count = os.stat(spec.origin).st_mtime_ns, 1
        except OSError:
            return "-"
    for location in locations:
        for folder, dirs, files in os.walk(location):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in files:
                if name.endswith(".py"):
                    try:
                        newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime_ns)
                    except OSError:
                        continue
                    count += 1
    return f"{spec.origin}:{newest}:{count}"


def _distribution_root(name: str) -> str:
    """The package an extension is installed as: its top-level one, or for a namespace
    package (``sphinxcontrib.bibtex``) the one below it."""
    top, _sep, rest = name.partition(".")
    if not rest or top in VERSIONED:
        return top
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return top
    if spec is not None and spec.origin is None:  # a namespace package (no __init__.py)
        return f"{top}.{rest.partition('.')[0]}"
    return top


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@dataclass
class Entry:
    """The cached answer: directive names, extensions that could not be loaded."""

    names: set[str]
    missing: list[str]


class KnownCache:
    """The cache file of one lesson, and the key of its current configuration."""

    def __init__(self, srcdir: Path, extensions: Iterable[str], conf_ran: bool) -> None:
        self.srcdir = srcdir
        extensions = list(extensions)
        conf_text = _digest(srcdir / "conf.py") if conf_ran else "-"
        tops = sorted({_distribution_root(name) for name in (*extensions, *ALWAYS_LOADED)})
        recipe = {
            "format": FORMAT,
            "python": [sys.version, sys.executable],
            "conf": conf_text,
            "extensions": extensions,
            "packages": {top: _package_stamp(top) for top in (*VERSIONED, *tops)},
        }
        self.key = hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()
        where = hashlib.sha256(str(srcdir).encode()).hexdigest()[:32]
        self.path = cache_dir() / f"{where}.json"

    def read(self) -> Entry | None:
        """The cached answer, when it was computed for this key and its lesson modules."""
        try:
            data = bounded.loads_json(bounded.read_bytes(self.path), str(self.path))
            if data["key"] != self.key:
                return None
            files = data["files"]
            for name, digest in files.items():
                if _digest(self.srcdir / name) != digest:
                    return None
            names, missing = data["names"], data["missing"]
            if not all(isinstance(n, str) for n in (*names, *missing)):
                return None
            return Entry(set(names), list(missing))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # no cache, or a damaged one: computed again

    def write(self, entry: Entry) -> None:
        """Store the answer, with the lesson modules now imported (their hashes)."""
        files = {}
        for module in list(sys.modules.values()):
            module_file = getattr(module, "__file__", None)
            if not module_file:
                continue
            path = Path(module_file).resolve()
            if path.is_relative_to(self.srcdir):
                files[path.relative_to(self.srcdir).as_posix()] = _digest(path)
        data = {
            "key": self.key,
            "files": files,
            "names": sorted(entry.names),
            "missing": entry.missing,
        }
        _write(self.path, json.dumps(data).encode())


class PageCache:
    """The facts read from each page of one lesson, keyed on the page's text.

    The key also holds what reading depends on besides the text: the MyST
    options, the known directive names (bodies of unknown ones are not read) and
    the code that reads (sphinx-refinery's, MyST's, markdown-it's, docutils').
    Stored with :mod:`pickle`, like Sphinx's own environment, in the user's cache.
    """

    READERS = ("sphinx_refinery", "myst_parser", "markdown_it", "mdit_py_plugins", "yaml")

    def __init__(self, srcdir: Path, options: Any) -> None:
        known = options.known_directives
        recipe = {
            "format": FORMAT,
            "python": [sys.version, sys.executable],
            "extensions": sorted(options.extensions),
            "heading_anchors": options.heading_anchors,
            "slug": options.slug,
            "title_to_header": options.title_to_header,
            "known": None if known is None else sorted(getattr(known, "names", None) or known),
            "packages": {top: _package_stamp(top) for top in (*VERSIONED, *self.READERS)},
        }
        self.key = hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()
        where = hashlib.sha256(str(srcdir).encode()).hexdigest()[:32]
        self.path = cache_dir() / f"{where}.pages"
        self.pages: dict[str, tuple[str, Any]] = {}
        self.changed = False
        try:
            with self.path.open("rb") as handle:
                key, pages = pickle.load(handle)
            if key == self.key and isinstance(pages, dict):
                self.pages = pages
        except Exception:  # noqa: BLE001 - no cache, or a damaged one: pages are read again
            self.pages = {}

    @staticmethod
    def _page_key(path: Path, text: str) -> str:
        return hashlib.sha256(f"{path}\0{text}".encode()).hexdigest()

    def get(self, docname: str, path: Path, text: str) -> Any:
        """The page's facts as read before from the same text, or None."""
        found = self.pages.get(docname)
        if found is None or found[0] != self._page_key(path, text):
            return None
        return found[1]

    def put(self, docname: str, path: Path, text: str, page: Any) -> None:
        """Keep a page just read; :meth:`save` stores it, before any rule runs."""
        self.pages[docname] = (self._page_key(path, text), page)
        self.changed = True

    def save(self, docnames: Iterable[str]) -> None:
        """Store the pages of this run (pages gone from the lesson are dropped)."""
        kept = {d: self.pages[d] for d in docnames if d in self.pages}
        if not self.changed and len(kept) == len(self.pages):
            return
        try:
            data = pickle.dumps((self.key, kept), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - a front matter value pickle cannot store
            return
        _write(self.path, data)


def _write(path: Path, data: bytes) -> None:
    """Write atomically, then keep the folder small; a cache that cannot be written is left alone."""
    if cache_file.write(path, data):
        _prune(path.parent)


def _prune(folder: Path) -> None:
    """Keep the cache small: a lesson folder that is gone (a test's) leaves a file behind."""
    with contextlib.suppress(OSError):
        files = sorted(
            (p for p in folder.iterdir() if p.suffix in (".json", ".pages")),
            key=lambda p: p.stat().st_mtime_ns,
        )
        for old in files[:-MAX_FILES]:
            old.unlink(missing_ok=True)
