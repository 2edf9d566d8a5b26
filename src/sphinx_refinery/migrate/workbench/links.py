"""Link targets as the Workbench resolves them, rewritten to work in a folder-by-folder build.

The Workbench builds every page into one folder, so a link that works there may
name its target as if it were beside the page (``fig/x.png`` from ``learners/``,
``setup.html`` from an episode). Such targets become real relative paths; links
to built pages name their ``.md`` source (MyST resolves those), and links to
pages left out of the build point at the lesson's repository.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote, unquote

#: Folders the Workbench's site puts in one place, searched in this order.
FLAT_FOLDERS = ("episodes", "learners", "instructors", "profiles",
                "episodes/fig", "episodes/data", "episodes/files", "")
PAGE_SUFFIXES = (".md", ".Rmd")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


class LinkResolver:
    """Rewrites the targets of one lesson's links."""

    def __init__(
        self,
        root: Path,
        built: set[Path],
        repository: str = "",
        folders: tuple[str, ...] = FLAT_FOLDERS,
    ) -> None:
        self.root = root.resolve()
        #: The folders the site puts in one place (Jekyll's: _episodes, _extras, the root).
        self.folders = folders
        self.built = {p.resolve() for p in built}
        #: The lesson's repository files as a web address ("" when not known).
        self.repository = repository.rstrip("/")

    def find(self, page: Path, path: str) -> Path | None:
        """The file ``path`` (from ``page``) names in the Workbench's site, else None."""
        candidates = [page.parent / path]
        flat = re.sub(r"^(\./)*(\.\./)+", "", path)
        flat = re.sub(r"^(episodes|learners|instructors|profiles)/", "", flat)
        candidates += [self.root / folder / flat for folder in self.folders]
        for candidate in candidates:
            options = [candidate]
            if candidate.suffix == ".html":
                options = [candidate.with_suffix(s) for s in PAGE_SUFFIXES]
            elif not candidate.suffix:
                options += [candidate.with_suffix(s) for s in PAGE_SUFFIXES]
            for option in options:
                try:
                    resolved = option.resolve()
                except (OSError, ValueError):
                    continue
                if resolved.is_file() and resolved.is_relative_to(self.root):
                    return resolved
        return None

    def rewrite(self, page: Path, target: str) -> str | None:
        """The target to write instead of ``target``, or None to leave it as it is."""
        if not target or _SCHEME.match(target) or target.startswith("#"):
            return None
        path, hash_, fragment = target.partition("#")
        path = path.split("?", 1)[0]
        if path.endswith("/") and path.strip("/."):
            path = path.rstrip("/")  # a Jekyll permalink: the page "name/" is name.md
        if not path or path.endswith("/"):
            return None
        found = self.find(page, unquote(path))
        if found is None:
            return None  # broken in the Workbench too: left for the author
        if found.suffix in PAGE_SUFFIXES and found not in self.built:
            if not self.repository:
                return None
            rel = found.relative_to(self.root).as_posix()
            return f"{self.repository}/{quote(rel)}" + (hash_ + fragment if fragment else "")
        rel = Path(os.path.relpath(found, page.resolve().parent)).as_posix()
        new = quote(rel, safe="/._-~") + (hash_ + fragment if fragment else "")
        if (page.parent / unquote(path)).resolve() == found and path.split("/")[-1] == found.name:
            return None  # already right
        return new
