#!/usr/bin/env python3
"""The share of mutants killed per module, after ``mutmut run`` (``nox -s mutants``).

Reads ``mutmut results --all true`` and prints a Markdown table: per mutated module,
the mutants killed (a test failed, or ran past its time), those that survived (every
test passed), those no test ran, and the score: killed / all. docs/test-strength.md
holds the last figures.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict

CAUGHT = {"killed", "timeout"}


def main() -> int:
    output = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        capture_output=True, text=True, check=True,
    ).stdout
    counts: dict[str, Counter] = defaultdict(Counter)
    for line in output.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if not sep or "__mutmut_" not in name:
            continue
        # sphinx_refinery.model.schedule.x_format_clock__mutmut_1, or .xǁClassǁmethod__...
        module = name.partition(".x_")[0] if ".x_" in name else name.partition(".xǁ")[0]
        counts[module][status.strip()] += 1
    print("| Module | Mutants | Killed | Survived | No test | Score |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for module in sorted(counts):
        count = counts[module]
        total = sum(count.values())
        killed = sum(count[s] for s in CAUGHT)
        print(f"| `{module}` | {total} | {killed} | {count['survived']} | {count['no tests']} "
              f"| {killed / total:.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
