"""What the rewriters share: the lesson's root and source folders, its files, the notes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .files import SYMLINK_NOTE, Note, SourceFile


@dataclass
class Context:
    """One migration's state; rewriters read it, add notes to it and load files through it."""

    root: Path
    #: Folders holding a conf.py, deepest first.
    srcdirs: list[Path] = field(default_factory=list)
    #: Whether the lesson uses notebooks (then it needs the ``notebooks`` extra).
    notebooks: bool = False
    #: Requirements conf.py still needs that only sphinx-lesson installed.
    needed: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    files: dict[Path, SourceFile] = field(default_factory=dict)
    #: Files that may not be rewritten (unreadable, not UTF-8, links).
    bad: set[Path] = field(default_factory=set)

    def note(self, path: Path, line: int | None, message: str) -> None:
        self.notes.append(Note(path, line, message))

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix() or "."
        except ValueError:
            return str(path)

    def srcdir_of(self, path: Path) -> Path | None:
        for srcdir in self.srcdirs:
            if path.is_relative_to(srcdir):
                return srcdir
        return None

    def load(self, path: Path) -> SourceFile | None:
        """The file being rewritten (read once); None, with a note, when it may not be."""
        if path in self.files:
            return self.files[path]
        if path in self.bad:
            return None
        if any(p.is_symlink() for p in (path, *path.parents) if p.is_relative_to(self.root)):
            # A page a timing table names may be a link: writing would replace it.
            self.note(path, None, SYMLINK_NOTE)
            self.bad.add(path)
            return None
        try:
            source = SourceFile(path, path.read_bytes())
        except OSError as err:
            self.note(path, None, f"could not be read ({err.strerror or err}): left alone")
            self.bad.add(path)
            return None
        except UnicodeDecodeError:
            self.note(path, None, "is not UTF-8 text: left alone")
            self.bad.add(path)
            return None
        self.files[path] = source
        return source

    def create(self, path: Path) -> SourceFile | None:
        """A file migrate writes whole: the existing one (loaded), else a new, empty one."""
        if path.exists() or path.is_symlink():
            return self.load(path)
        source = self.files.get(path)
        if source is None:
            source = self.files[path] = SourceFile(path, b"", new=True)
        return source

    def rewrite(self, path: Path, rewriter: Callable[[SourceFile, Context], None]) -> None:
        """Run one file's rewriter; should it fail unexpectedly, the file stays as it was."""
        source = self.files.get(path)
        saved = (source.text, list(source.changes)) if source else None
        try:
            source = self.load(path)
            if source is not None:
                rewriter(source, self)
        except Exception as err:  # noqa: BLE001  (a bug must not cost the other files)
            source = self.files.get(path)
            if source is not None:
                source.text, source.changes = saved or (source.original, [])
            self.note(
                path, None, f"could not be migrated ({err.__class__.__name__}: {err}): left alone"
            )

    def changed(self) -> list[SourceFile]:
        return sorted((f for f in self.files.values() if f.changed), key=lambda f: f.path)
