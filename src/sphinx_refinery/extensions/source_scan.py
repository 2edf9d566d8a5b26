"""What the build must know of a lesson's files before it sets up its extensions.

Two facts per file decide which extensions a lesson gets: whether it is a
notebook (:mod:`.notebooks`: myst-nb) and whether it uses sphinx-design's own
markup (:mod:`.design_markup`). Every text file below the source folder is read once:
the facts are kept beside the doctrees, keyed by each file's size and
modification time, so that a rebuild reads only the files that changed.

The scan leaves out dot-folders, the build's output, virtual environments and
package folders. It does not apply ``exclude_patterns``: excluded files may be
included by others (the notebook decision applies them itself).
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from ..util import bounded, cache_file

#: Bumped when what a file's entry means changes.
FORMAT = 1
#: The cache's file name, in the doctree folder.
CACHE_NAME = "refinery-sources.json"
#: Files the scan reads: lesson pages, notebooks and files they include (not ``.txt``:
#: lessons ship data in it).
SCANNED_SUFFIXES = frozenset({".md", ".rst", ".ipynb", ".myst", ".inc"})
#: Larger files are not read: no page is written that long; a notebook is one by its name.
MAX_READ = 8 * 1024 * 1024
#: Folders left out besides dot-folders and the build's output.
SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "site-packages"})
#: A folder holding one of these is a Python environment (venv, conda).
ENVIRONMENT_MARKERS = ("pyvenv.cfg", "conda-meta")
#: A line of front matter that makes a Markdown page a text notebook.
_NOTEBOOK_KEY = re.compile(r"(jupytext|kernelspec)\s*:")
#: Lines of front matter read at most: a text notebook's keys come first.
_FRONT_MATTER_LINES = 200


class Facts(NamedTuple):
    #: Notebooks (``.ipynb`` files and MyST text notebooks), relative paths, sorted.
    notebooks: tuple[str, ...]
    #: Files that use sphinx-design's directives, roles or fields, sorted.
    design: tuple[str, ...]


def scan(
    srcdir: str | os.PathLike[str],
    skip: Iterable[str | os.PathLike[str] | None] = (),
    cache_dir: str | os.PathLike[str] | None = None,
) -> Facts:
    """The facts of every text file below ``srcdir`` (see the module's docstring).

    ``skip``: folders to leave out (the build's output; None entries are ignored).
    ``cache_dir``: where the facts are kept between runs (None: not kept).
    """
    root = Path(srcdir)
    cache_path = Path(cache_dir, CACHE_NAME) if cache_dir else None
    key = _key()
    known = _read_cache(cache_path, key)
    entries: dict[str, list[int | bool]] = {}
    for relative, stat in _files(root, skip):
        stamp = [stat.st_mtime_ns, stat.st_size]
        entry = known.get(relative)
        if entry is None or entry[:2] != stamp:
            entry = [*stamp, *_facts_of(root / relative, stat.st_size)]
        entries[relative] = entry
    if entries != known:
        _write_cache(cache_path, key, entries)
    return Facts(
        notebooks=tuple(sorted(p for p, e in entries.items() if e[2])),
        design=tuple(sorted(p for p, e in entries.items() if e[3])),
    )


def _files(root: Path, skip: Iterable[str | os.PathLike[str] | None]) -> Iterable[tuple[str, os.stat_result]]:
    skipped = {os.path.realpath(p) for p in skip if p}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [
            d
            for d in dirs
            if not d.startswith(".")
            and d not in SKIPPED_FOLDERS
            and os.path.realpath(os.path.join(folder, d)) not in skipped
            and not any(os.path.exists(os.path.join(folder, d, m)) for m in ENVIRONMENT_MARKERS)
        ]
        relative = Path(folder).relative_to(root).as_posix()
        prefix = "" if relative == "." else relative + "/"
        for name in files:
            if os.path.splitext(name)[1].lower() not in SCANNED_SUFFIXES:
                continue
            try:
                stat = os.stat(os.path.join(folder, name))
            except OSError:
                continue
            yield prefix + name, stat


def _facts_of(path: Path, size: int) -> tuple[bool, bool]:
    """(notebook, uses sphinx-design) for one file; an unreadable file has neither."""
    from .design_markup import uses_markup

    suffix = path.suffix.lower()
    if size > MAX_READ:
        return suffix == ".ipynb", False
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False, False
    notebook = suffix == ".ipynb" or (suffix == ".md" and is_text_notebook(text))
    return notebook, uses_markup(text)


def is_text_notebook(text: str) -> bool:
    """Markdown whose front matter has a ``jupytext`` or ``kernelspec`` key (a MyST notebook)."""
    lines = iter(text.splitlines())
    if next(lines, "").rstrip() != "---":
        return False
    for line in itertools.islice(lines, _FRONT_MATTER_LINES):
        if line.rstrip() == "---":
            return False
        if _NOTEBOOK_KEY.match(line):
            return True
    return False


def _key() -> list[str]:
    """What the entries depend on besides the files: this format, sphinx-design's names."""
    import sphinx_design

    return [str(FORMAT), str(getattr(sphinx_design, "__version__", "?"))]


def _read_cache(path: Path | None, key: list[str]) -> dict[str, list[int | bool]]:
    if path is None:
        return {}
    try:
        data = bounded.loads_json(bounded.read_bytes(path), str(path))
        if data["key"] != key:
            return {}
        files = data["files"]
        return {
            str(name): entry
            for name, entry in files.items()
            if isinstance(entry, list) and len(entry) == 4 and all(isinstance(v, int) for v in entry)
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # none yet, or damaged: read the files again


def _write_cache(path: Path | None, key: list[str], entries: dict[str, list[int | bool]]) -> None:
    if path is not None:  # (a read-only build folder: the next run reads the files again)
        cache_file.write(path, json.dumps({"key": key, "files": entries}).encode())
