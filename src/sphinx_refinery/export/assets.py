"""Images and files copied beside the pages, where the Workbench looks for them:
``episodes/fig/`` and ``episodes/files/``, each name once."""

from __future__ import annotations

from pathlib import Path, PurePosixPath


class Assets:
    def __init__(self, srcdir: Path) -> None:
        self.srcdir = srcdir.resolve()
        self.copies: dict[str, Path] = {}  # path in the copy -> the source file
        self._names: dict[tuple[str, str], str] = {}  # (folder, source) -> name

    def copy(self, source: str, folder: str) -> str | None:
        """The file's name in ``episodes/<folder>/``; None when the lesson has no such file."""
        source = source.lstrip("/")
        key = (folder, source)
        if key in self._names:
            return self._names[key]
        path = (self.srcdir / source).resolve()
        if not path.is_file() or not path.is_relative_to(self.srcdir):
            return None
        parts = PurePosixPath(source).parts
        name = parts[-1]
        depth = 1
        while f"episodes/{folder}/{name}" in self.copies and self.copies[f"episodes/{folder}/{name}"] != path:
            depth += 1
            name = "-".join(parts[-depth:]) if depth <= len(parts) else f"{depth}-{parts[-1]}"
        self.copies[f"episodes/{folder}/{name}"] = path
        self._names[key] = name
        return name
