"""git: which files have changes it does not have (migrate refuses to touch those)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


class GitProblem(Exception):
    """Whether files are committed cannot be told."""


def uncommitted(root: Path, paths: list[Path]) -> list[Path]:
    """The ``paths`` with changes git does not have (modified, staged, untracked, ignored)."""
    try:
        probe = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        if any((folder / ".git").exists() for folder in (root, *root.parents)):
            raise GitProblem(
                "git is not installed, so uncommitted changes cannot be checked"
            ) from None
        return []
    except OSError as err:
        raise GitProblem(f"git could not be run ({err})") from None
    if probe.returncode != 0:
        if "not a git repository" in probe.stderr.lower():
            return []
        raise GitProblem(
            "git failed: " + (probe.stderr.strip() or f"exit status {probe.returncode}")
        )
    top = Path(probe.stdout.strip()).resolve()
    wanted = {p.resolve(): p for p in paths}
    relative = [os.path.relpath(p, top) for p in wanted]
    status = subprocess.run(
        [
            "git",
            "--no-optional-locks",
            "-C",
            str(top),
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--",
            *relative,
        ],
        capture_output=True,
        check=False,
    )
    tracked = subprocess.run(
        ["git", "-C", str(top), "ls-files", "-z", "--full-name", "--", *relative],
        capture_output=True,
        check=False,
    )
    if status.returncode != 0 or tracked.returncode != 0:
        raise GitProblem(
            "git status failed: "
            + (status.stderr or tracked.stderr).decode(errors="replace").strip()
        )
    dirty: set[Path] = set()
    entries = status.stdout.decode("utf-8", errors="surrogateescape").split("\0")
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        dirty.add((top / entry[3:]).resolve())
        if entry[0] in "RC":
            index += 1  # the original path follows
    known = {
        (top / name).resolve()
        for name in tracked.stdout.decode("utf-8", errors="surrogateescape").split("\0")
        if name
    }
    return sorted(wanted[p] for p in wanted if p in dirty or p not in known)
