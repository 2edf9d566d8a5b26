#!/usr/bin/env python3
"""Judge a corpus check run whose only shortfall may be a known reference error.

Usage: corpus_gate.py CORPUS SCRATCH REPORT

CORPUS is the corpus folder, SCRATCH the folder its check.py kept (``--keep``)
and REPORT what check.py printed. Exit status 0 only when every lesson built,
every item matched, and each lesson gives no more warnings than its reference
once the lines in ``corpus-known.txt`` are set aside. That file lists, one a
line, warnings the reference build gave too but did not count, each with the
reason; nothing else is forgiven.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
LEVELS = ("WARNING", "ERROR", "CRITICAL")  # what check.py counts


def known_lines() -> dict[str, list[re.Pattern[str]]]:
    """lesson -> patterns of warnings its reference count left out."""
    known: dict[str, list[re.Pattern[str]]] = {}
    for line in (HERE / "corpus-known.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lesson, location, message = (part.strip() for part in line.split("\t")[:3])
        pattern = re.escape(location) + r": (?:ERROR|CRITICAL): " + re.escape(message) + "$"
        known.setdefault(lesson, []).append(re.compile(pattern))
    return known


def main(corpus: Path, scratch: Path, report: str) -> int:
    specs = json.loads((corpus / "lessons.json").read_text(encoding="utf-8"))
    known = known_lines()
    ok = True
    for spec in specs:
        name = spec["name"]
        result = re.search(rf"^{re.escape(name)}: (ok|SHORT): matched (\d+)/(\d+) items", report, re.M)
        if result is None or result.group(2) != result.group(3):
            print(f"corpus gate: {name} did not build or did not match every item")
            ok = False
            continue
        warnings = scratch / f"{name}.warnings.txt"
        lines = [
            line.strip()
            for line in warnings.read_text(encoding="utf-8", errors="replace").splitlines()
            if any(level in line for level in LEVELS)
        ] if warnings.exists() else []
        patterns = known.get(name, [])
        forgiven = [line for line in lines if any(p.search(line) for p in patterns)]
        counted = len(lines) - len(forgiven)
        if counted > spec.get("reference_warnings", 0):
            print(f"corpus gate: {name}: {counted} warnings, reference {spec['reference_warnings']}")
            ok = False
        elif forgiven:
            print(f"corpus gate: {name}: {len(forgiven)} warnings the reference build gave "
                  "but did not count (see .ci/corpus-known.txt)")
    print("corpus gate: " + ("passed" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]).read_text(encoding="utf-8")))
