"""Cache files: written whole or not at all, and left alone when they cannot be written."""

from __future__ import annotations

from pathlib import Path

from . import whole_file


def write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename; False if it failed.

    A cache that cannot be written (a read-only folder, a file in the way) is no
    error: the next run computes its content again.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        whole_file.write(path, data)
    except OSError:
        return False
    return True
