"""Reading a lesson's files, and writing them back without losing anything."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..util import whole_file

#: Folders never searched: builds, version control, environments, caches.
SKIP_DIRS = frozenset(
    {
        "_build",
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        "site-packages",
        "jupyter_execute",
        ".ipynb_checkpoints",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".jupyter_cache",
    }
)


@dataclass(frozen=True)
class Note:
    """Something left alone, for the report."""

    path: Path
    line: int | None
    message: str


#: Links are left alone (their targets may be shared), and said so once.
SYMLINK_NOTE = "a symbolic link: left alone"


def iter_files(root: Path, notes: list[Note]) -> Iterator[Path]:
    """Every regular file below ``root``, less builds, environments and nested repositories."""
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        kept = []
        for name in sorted(dirs):
            sub = here / name
            if name in SKIP_DIRS or "venv" in name.lower():
                continue
            if (sub / "pyvenv.cfg").exists() or (sub / "conda-meta").is_dir():
                continue
            if (sub / ".git").exists():
                notes.append(Note(sub, None, "a nested git repository (submodule?): not searched"))
                continue
            kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            path = here / name
            if path.is_symlink():
                if name == "conf.py" or name.endswith((".md", ".py", ".txt", ".yml", ".toml")):
                    notes.append(Note(path, None, SYMLINK_NOTE))
                continue
            yield path


def read_only(path: Path) -> bool:
    """A file this user may not write (``chmod a-w`` does that for anyone but root).

    Permission bits alone are not asked: root may write any file, and copies of
    lessons kept read-only (as a shared corpus is) are migrated as usual there.
    """
    return not os.access(path, os.W_OK)


class SourceFile:
    """A text file being rewritten: its text with ``\\n`` line ends, and how to write it back."""

    def __init__(self, path: Path, raw: bytes, *, new: bool = False) -> None:
        self.path = path
        self.raw = raw
        #: The file does not exist yet: migrate creates it.
        self.new = new
        text = raw.decode("utf-8")  # UnicodeDecodeError: the caller reports it
        self.bom = text.startswith("\ufeff")
        if self.bom:
            text = text[1:]
        crlf = text.count("\r\n")
        lf = text.count("\n") - crlf
        self.newline: str | None = "\r\n" if crlf and not lf else "\n" if not crlf else None
        self._original_lines = text.split("\n")
        self.original = text.replace("\r\n", "\n")
        self.text = self.original
        self.changes: list[str] = []

    @property
    def changed(self) -> bool:
        return self.text != self.original or (self.new and bool(self.changes))

    def encoded(self) -> bytes:
        """The new text with the file's own line ends (and byte order mark)."""
        if self.newline is not None:
            text = self.text.replace("\n", self.newline)
        else:
            text = self._mixed_line_ends()
        return (("\ufeff" if self.bom else "") + text).encode("utf-8")

    def _mixed_line_ends(self) -> str:
        # Lines left as they were keep their own line end; new lines get \n.
        old = self._original_lines
        old_bare = [line.removesuffix("\r") for line in old]
        new = self.text.split("\n")
        ends = ["\n"] * len(new)
        matcher = difflib.SequenceMatcher(None, old_bare, new, autojunk=False)
        for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
            if tag == "equal":
                for k in range(i2 - i1):
                    ends[j1 + k] = "\r\n" if old[i1 + k].endswith("\r") else "\n"
        return "".join(line + end for line, end in zip(new[:-1], ends, strict=False)) + new[-1]


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: a temporary file in the same folder, then a rename."""
    whole_file.write(path, data, follow_links=False)  # a link out of the lesson is replaced
