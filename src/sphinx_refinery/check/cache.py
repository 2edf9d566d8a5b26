"""A cache of what setting up a lesson's extensions registers, for ``sphinx-refinery check``.

Setting up a Sphinx application to learn a lesson's directives costs more than
checking its pages, and gives the same answer until conf.py, a lesson module it
imports, or an installed extension changes. One file per lesson folder, in
``$XDG_CACHE_HOME/sphinx-refinery/check`` (``~/.cache`` without it; the
:data:`MAX_FILES` most recent are kept), holds the answer and the key it was
computed for. The key hashes conf.py's text, the
extension list, Python's, Sphinx's and docutils' versions, and where every other
extension (sphinx-refinery and the extensions it sets up among them) is installed
and when its files last changed. Lesson modules imported while setting up are
hashed separately and compared on every read.

``REFINERY_NO_CACHE`` set (not empty) turns the cache off. A cache that cannot
be read, parsed or written is ignored: the answer is computed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

#: Bumped whenever the file's shape or the key's recipe changes.
FORMAT = 1
#: Set (not empty): no cache is read or written.
BYPASS_ENV = "REFINERY_NO_CACHE"
#: Extensions sphinx-refinery sets up itself, whatever conf.py lists.
ALWAYS_LOADED = ("sphinx_refinery", "myst_parser", "myst_nb", "sphinx_design", "sphinx_copybutton")
#: Packages fingerprinted by their version alone: large, and versioned on every release.
VERSIONED = ("sphinx", "docutils")
#: Lesson files kept at most; the least recently written go first.
MAX_FILES = 64


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "sphinx-refinery", "check")


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
            data = json.loads(self.path.read_text(encoding="utf-8"))
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
        temporary = self.path.with_name(f"{self.path.stem}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(data), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            return
        _prune(self.path.parent)


def _prune(folder: Path) -> None:
    """Keep the cache small: a lesson folder that is gone (a test's) leaves a file behind."""
    with contextlib.suppress(OSError):
        files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
        for old in files[:-MAX_FILES]:
            old.unlink(missing_ok=True)
