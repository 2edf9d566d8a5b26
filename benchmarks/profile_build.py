#!/usr/bin/env python
"""Profile one Sphinx build by CPU time, and show where sphinx-refinery spends it.

    python benchmarks/profile_build.py SRCDIR OUTDIR [-o prof.out] [--top 30] [-- SPHINX-ARGS]

Runs ``sphinx.cmd.build.main(["-b", "html", "-q", SRCDIR, OUTDIR, ...])`` under cProfile
with a CPU-time clock (``time.process_time``), so that other load on the machine does
not distort the figures, then prints the functions with the largest cumulative time,
first the whole build and then those of sphinx_refinery. Build into an OUTDIR that
already holds a build to profile a no-op or an incremental rebuild.

Compare two profiles (refinery and floor) with ``--compare OTHER.prof``: the functions
whose cumulative time differs most are listed first.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time


def _key(func: tuple[str, int, str]) -> str:
    filename, line, name = func
    for marker in ("site-packages/", "/src/"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    return f"{filename}:{line}({name})"


def cumulative(path: str) -> dict[str, tuple[int, float, float]]:
    stats = pstats.Stats(path).stats  # type: ignore[attr-defined]
    out: dict[str, tuple[int, float, float]] = {}
    for func, (_cc, ncalls, tottime, cumtime, _callers) in stats.items():
        out[_key(func)] = (ncalls, tottime, cumtime)
    return out


def show(path: str, top: int, pattern: str | None) -> None:
    rows = sorted(cumulative(path).items(), key=lambda kv: -kv[1][2])
    if pattern:
        rows = [r for r in rows if pattern in r[0]]
    print(f"{'calls':>9} {'own s':>8} {'cum s':>8}  function")
    for name, (ncalls, tottime, cumtime) in rows[:top]:
        print(f"{ncalls:9d} {tottime:8.3f} {cumtime:8.3f}  {name}")


def compare(path: str, other: str, top: int) -> None:
    a, b = cumulative(path), cumulative(other)
    rows = []
    for name in set(a) | set(b):
        ra, rb = a.get(name, (0, 0.0, 0.0)), b.get(name, (0, 0.0, 0.0))
        rows.append((ra[2] - rb[2], name, ra, rb))
    rows.sort(reverse=True)
    print(f"{'delta s':>8} {'this s':>8} {'other s':>8} {'calls':>8} {'other':>8}  function")
    for delta, name, ra, rb in rows[:top]:
        print(f"{delta:8.3f} {ra[2]:8.3f} {rb[2]:8.3f} {ra[0]:8d} {rb[0]:8d}  {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("srcdir", nargs="?")
    parser.add_argument("outdir", nargs="?")
    parser.add_argument("-o", "--output", default="prof.out", help="profile file (default: prof.out)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--show", metavar="PROF", help="only print an existing profile")
    parser.add_argument("--compare", metavar="OTHER", help="print the differences with OTHER")
    parser.add_argument("sphinx_args", nargs="*", help="more sphinx-build arguments (after --)")
    args = parser.parse_args(argv)

    path = args.show or args.output
    if not args.show:
        if not (args.srcdir and args.outdir):
            parser.error("SRCDIR and OUTDIR are needed to profile a build")
        from sphinx.cmd.build import main as sphinx_main

        profile = cProfile.Profile(time.process_time)
        status = profile.runcall(
            sphinx_main, ["-b", "html", "-q", *args.sphinx_args, args.srcdir, args.outdir]
        )
        profile.dump_stats(path)
        if status:
            print(f"the build failed ({status})", file=sys.stderr)
    print(f"== {path}: whole build")
    show(path, args.top, None)
    print(f"\n== {path}: sphinx_refinery")
    show(path, args.top, "sphinx_refinery")
    if args.compare:
        print(f"\n== {path} against {args.compare}")
        compare(path, args.compare, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
