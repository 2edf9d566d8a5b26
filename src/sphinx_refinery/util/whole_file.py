"""Files written whole or not at all: a temporary file beside the target, then a rename.

A full disk, a closed terminal or an error half-way leaves the previous file as
it was (and no temporary file behind), never half a new one.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def _default_mode() -> int:
    # What open() would give a new file: 0o666 less the umask (read without changing it
    # where the system can say it).
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write(path: Path, data: bytes, *, exclusive: bool = False, follow_links: bool = True) -> None:
    """Write ``data`` to ``path`` whole: OSError when it cannot, and ``path`` is then untouched.

    An existing file keeps its permissions. A symbolic link is followed (its target is
    replaced) unless ``follow_links`` is False (the link itself is replaced: ``migrate``
    never writes outside the lesson). ``exclusive``: FileExistsError when ``path``
    exists (nothing is replaced).
    """
    path = Path(path)
    if path.is_symlink() and follow_links and not exclusive:
        path = Path(os.path.realpath(path))
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = _default_mode()
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(name, mode)
        if exclusive:
            os.link(name, path)  # FileExistsError rather than replace
            os.unlink(name)
        else:
            os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
