#!/usr/bin/env python
"""Benchmark sphinx-refinery against the floor: Sphinx + MyST with plain admonitions.

For each lesson two variants of the same content are built:

* **refinery**: ``extensions = ["sphinx_refinery"]`` and the lesson directives
  (exercise, solution, instructor-note, ..., ``tabs``/``group-tab``, ``exerciselist``);
* **floor**: ``myst_parser`` + ``sphinx_design`` + ``sphinx_copybutton`` with every
  lesson box written as a plain ``admonition`` (tabs as sphinx-design ``tab-set``).

Lessons: synthetic lessons of ``--sizes`` pages (default 50, 500, 2000), the real
sphinx-lesson lessons in ``../shared/corpus/lessons/*/content`` (migrated copies) and
the Carpentries Workbench lessons named with ``--workbench`` (copies imported by
``sphinx-refinery migrate``; their floor builds the same imported pages).

Every build runs in a fresh ``python -c`` subprocess that calls
``sphinx.cmd.build.main`` and reports its own CPU time and peak memory. The refinery
variant is built beside each floor in turn, the two builds of a pair side by side, one
per core (``--serial``: one after the other, alternating); a ratio is the median of the
pairs' own ratios, and each figure the median of the repeats: 3, but 1 for
2000 pages, for the real lessons and for the ``-j 2`` builds (only on 500 pages), so
that the default run stays within ten minutes on two idle cores. Targets on time are
judged on CPU time (``--metric wall`` for wall-clock time), as the machine may be shared.

Usage (from the repository root, with the project installed)::

    python benchmarks/run.py                      # the default run (about 7 minutes, 2 cores)
    python benchmarks/run.py --sizes 50,500 --repeat 5 --json results.json
    python benchmarks/run.py --packages           # also: a fresh venv with `pip install .`
    python benchmarks/run.py --sizes '' --lessons '' --workbench LESSON [LESSON ...]

Only the standard library, Sphinx and the project are used.
"""

from __future__ import annotations

import argparse
import datetime
import glob
import itertools
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS_GLOB = str(ROOT.parent / "shared" / "corpus" / "lessons" / "*" / "content")
#: "floor": what sphinx-refinery sets up (myst-parser, sphinx-design, sphinx-copybutton)
#: without it; "floor-myst": Sphinx and myst-parser alone, what a user starts from.
VARIANTS = ("refinery", "floor", "floor-myst")
FLOORS = ("floor", "floor-myst")
FLOOR_NAMES = {"floor": "+ design + copybutton", "floor-myst": "Sphinx + myst-parser"}

#: Sizes at or above this many pages get ``--big-repeat`` repeats (default 1), so that
#: the default run stays under ten minutes on two cores.
BIG_SIZE = 2000

# -- targets --------------------------------------------------------------------------------

TARGET_CLEAN = 1.10  # clean build <= 1.10x floor
TARGET_MEMORY = 1.15  # peak memory of the clean build <= 1.15x floor
TARGET_INCREMENTAL = 1.3  # one-file incremental <= 1.3x floor
TARGET_GROWTH = 4.4  # t(2000) / t(500) <= 4.4 (linear would be 4.0)
PARALLEL_SIZE = 500  # -j 2 must beat -j 1 on this size
#: The floor each kind of lesson is judged against: real lessons against what their
#: authors would otherwise use, synthetic ones against the same extensions without ours.
FLOOR_FOR = {"real": "floor-myst", "synthetic": "floor"}
TARGET_HELP = 0.15  # `sphinx-refinery --help`, seconds
TARGET_CHECK = 0.5  # `sphinx-refinery check` on git-intro, seconds
#: The same check with its cache of directive names off (reported, no target).
CHECK_UNCACHED = "sphinx-refinery check git-intro, cache off"

# -- the build wrapper, run as `python -c WRAPPER RESULT.json SPHINX-ARGS...` ----------------

WRAPPER = r"""
import json, resource, sys, time
result_path, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
from sphinx.cmd.build import main
status = main(argv)
elapsed = time.perf_counter() - start
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(result_path, "w") as f:
    json.dump({
        "status": status,
        "in_process": elapsed,
        "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
        "maxrss_kib": me.ru_maxrss,
        "children_maxrss_kib": kids.ru_maxrss,
        "refinery_modules": sorted(m for m in sys.modules if m.startswith("sphinx_refinery")),
    }, f)
sys.exit(status)
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- synthetic lessons ------------------------------------------------------------------------

FRONT_MATTER = "---\nteaching: 10\nexercises: 15\n---\n\n"

TOPICS = ("data", "files", "loops", "tests", "plots", "arrays", "strings", "paths")


def n_exercises(i: int) -> int:
    return 3 if i % 2 else 2


def page_name(i: int) -> str:
    return f"ep-{i:04d}"


def ref_target(i: int, n: int) -> int:
    """The page whose first exercise page ``i`` refers to: another page."""
    return i - 1 if i > 1 else n


def _prose(i: int) -> str:
    """The page's own text: kept short, so that the boxes are a large part of each page."""
    topic = TOPICS[i % len(TOPICS)]
    return (
        f"This episode is about {topic}. We start from a small script and improve it "
        f"step by step, with `python` and **pytest**, keeping each change small.\n\n"
        "```python\n"
        f"def load_{topic}(path):\n"
        "    with open(path) as f:\n"
        "        return [line.rstrip() for line in f]\n"
        "```\n"
    )


def _tab_bodies() -> list[tuple[str, str]]:
    return [
        ("Linux", "Run `python -m pip install pytest` in a terminal.\n"),
        ("macOS", "Run `python3 -m pip install pytest` in a terminal.\n"),
        ("Windows", "Run `py -m pip install pytest` in the Anaconda prompt.\n"),
    ]


def refinery_page(i: int, n: int) -> str:
    j = ref_target(i, n)
    parts = [FRONT_MATTER, f"# Episode {i}: {TOPICS[i % len(TOPICS)]}\n\n"]
    parts.append(
        f":::{{objectives}}\n- Read and change the {TOPICS[i % len(TOPICS)]} script.\n"
        "- Write a first test for it.\n:::\n\n"
    )
    parts.append(":::{questions}\n- How do we know the script still works?\n:::\n\n")
    parts.append(_prose(i) + "\n")
    parts.append(f"Before starting, look back at {{ref}}`ex-{j}-1`.\n\n")
    for k in range(1, n_exercises(i) + 1):
        parts.append(
            f"::::{{exercise}} Improve the script, part {k}\n"
            f":label: ex-{i}-{k}\n:time: 5\n\n"
            f"Change `load_{TOPICS[i % len(TOPICS)]}` so that it skips empty lines, "
            "then run the tests again.\n\n"
            ":::{solution}\n"
            "```python\nreturn [line.rstrip() for line in f if line.strip()]\n```\n"
            ":::\n::::\n\n"
        )
    parts.append(
        ":::{instructor-note}\nLive-code the first exercise; let learners do the rest.\n:::\n\n"
    )
    parts.append(":::{discussion}\nWhich of your own scripts would need a test first?\n:::\n\n")
    parts.append("`````{tabs}\n")
    for label, body in _tab_bodies():
        parts.append(f"````{{group-tab}} {label}\n{body}````\n")
    parts.append("`````\n\n")
    parts.append(
        ":::{keypoints}\n- Small steps, each one tested.\n- Names say what a value means.\n:::\n"
    )
    return "".join(parts)


def floor_page(i: int, n: int, design: bool = True) -> str:
    """The same page with every box a plain admonition (titles as refinery renders them).

    Without sphinx-design (``design=False``) the tabs are plain admonitions too.
    """
    j = ref_target(i, n)
    parts = [FRONT_MATTER, f"# Episode {i}: {TOPICS[i % len(TOPICS)]}\n\n"]
    parts.append(
        ":::{admonition} Objectives\n:class: objectives\n\n"
        f"- Read and change the {TOPICS[i % len(TOPICS)]} script.\n"
        "- Write a first test for it.\n:::\n\n"
    )
    parts.append(
        ":::{admonition} Questions\n:class: questions\n\n"
        "- How do we know the script still works?\n:::\n\n"
    )
    parts.append(_prose(i) + "\n")
    parts.append(f"Before starting, look back at {{ref}}`Exercise {j}.1: Improve the script, part 1 <ex-{j}-1>`.\n\n")
    for k in range(1, n_exercises(i) + 1):
        parts.append(
            f"(ex-{i}-{k})=\n"
            f"::::{{admonition}} Exercise {i}.{k}: Improve the script, part {k} (5 min)\n"
            ":class: exercise\n\n"
            f"Change `load_{TOPICS[i % len(TOPICS)]}` so that it skips empty lines, "
            "then run the tests again.\n\n"
            f":::{{admonition}} Solution to Exercise {i}.{k}\n:class: solution dropdown\n\n"
            "```python\nreturn [line.rstrip() for line in f if line.strip()]\n```\n"
            ":::\n::::\n\n"
        )
    parts.append(
        ":::{admonition} Instructor note\n:class: instructor-note\n\n"
        "Live-code the first exercise; let learners do the rest.\n:::\n\n"
    )
    parts.append(
        ":::{admonition} Discussion\n:class: discussion\n\n"
        "Which of your own scripts would need a test first?\n:::\n\n"
    )
    if design:
        parts.append("`````{tab-set}\n")
        for label, body in _tab_bodies():
            parts.append(f"````{{tab-item}} {label}\n:sync: {label}\n\n{body}````\n")
        parts.append("`````\n\n")
    else:
        for label, body in _tab_bodies():
            parts.append(f"````{{admonition}} {label}\n:class: tab\n\n{body}````\n\n")
    parts.append(
        ":::{admonition} Keypoints\n:class: keypoints\n\n"
        "- Small steps, each one tested.\n- Names say what a value means.\n:::\n"
    )
    return "".join(parts)


def index_page(n: int) -> str:
    entries = "\n".join(page_name(i) for i in range(1, n + 1))
    return (
        "# A synthetic lesson\n\n"
        f"A generated lesson of {n} episodes for benchmarking.\n\n"
        f"```{{toctree}}\n:caption: Episodes\n:maxdepth: 1\n\n{entries}\n```\n\n"
        "```{toctree}\n:caption: Reference\n:maxdepth: 1\n\nexercises\n```\n"
    )


#: Both variants leave out alabaster's global navigation sidebar: it renders the whole
#: toctree on every page, a cost quadratic in the number of pages and the same for both
#: variants, which would hide the extension's own scaling.
CONF_COMMON = (
    'project = "Synthetic lesson"\nauthor = "benchmark"\nexclude_patterns = ["_build"]\n'
    'html_sidebars = {"**": ["localtoc.html", "relations.html", "searchbox.html"]}\n'
)

CONF = {
    "refinery": CONF_COMMON
    + 'extensions = ["sphinx_refinery"]\nrefinery_number_exercises = "episode"\n',
    "floor": CONF_COMMON
    + 'extensions = ["myst_parser", "sphinx_design", "sphinx_copybutton"]\n'
    + 'myst_enable_extensions = ["colon_fence"]\n',
    "floor-myst": CONF_COMMON
    + 'extensions = ["myst_parser"]\nmyst_enable_extensions = ["colon_fence"]\n',
}

EXERCISE_PAGE = {
    "refinery": "# All exercises\n\nEvery exercise of the lesson, by episode.\n\n```{exerciselist}\n```\n",
    "floor": "# All exercises\n\nEvery exercise of the lesson, by episode.\n\n"
    "The exercises are listed in each episode.\n",
}
EXERCISE_PAGE["floor-myst"] = EXERCISE_PAGE["floor"]


def write_synthetic(root: Path, variant: str, n: int) -> Path:
    src = root / f"synthetic-{n}" / variant
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    (src / "conf.py").write_text(CONF[variant])
    (src / "index.md").write_text(index_page(n))
    (src / "exercises.md").write_text(EXERCISE_PAGE[variant])
    for i in range(1, n + 1):
        if variant == "refinery":
            text = refinery_page(i, n)
        else:
            text = floor_page(i, n, design=variant == "floor")
        (src / f"{page_name(i)}.md").write_text(text)
    return src


# -- real lessons: a migrated copy, and its floor --------------------------------------------

#: Every box kind sphinx-lesson and sphinx-refinery provide, with its default title.
FLOOR_KINDS = {
    "exercise": "Exercise",
    "challenge": "Exercise",
    "solution": "Solution",
    "instructor-note": "Instructor note",
    "discussion": "Discussion",
    "keypoints": "Keypoints",
    "objectives": "Objectives",
    "questions": "Questions",
    "prerequisites": "Prerequisites",
    "prereq": "Prerequisites",
    "callout": "Callout",
    "checklist": "Checklist",
    "testimonial": "Testimonial",
    "demo": "Demo",
    "type-along": "Type-Along",
    "homework": "Homework",
    "output": "Output",
    # the Workbench's kinds that sphinx-refinery adds
    "spoiler": "Spoiler",
    "hint": "Hint",
    "caution": "Caution",
}

#: The floor's stand-in for sphinx_refinery in a real lesson: the same third-party
#: extensions, and every lesson directive a thin docutils Admonition with a default title.
FLOOR_SHIM = '''\
"""Floor for the benchmark: lesson directives as plain admonitions (no sphinx-refinery)."""
import importlib.util

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.directives.admonitions import Admonition
from sphinx.util.docutils import SphinxDirective

from sphinx_refinery.extensions.notebooks import find_notebook
# pandoc's heading ids, which an imported Workbench lesson's conf.py names for MyST
from sphinx_refinery.model.lesson_rules import pandoc_heading_id  # noqa: F401

KINDS = %(kinds)r
#: With sphinx-design and sphinx-copybutton (tabs as tab sets), or myst-parser alone.
DESIGN = %(design)r


def _any(argument):
    return argument


class PlainBox(Admonition):
    """A generic admonition whose title is optional (default: the kind's title)."""

    required_arguments = 0
    optional_arguments = 1
    cssname = None
    title_text = None
    extra_classes = []
    option_spec = {
        "class": directives.class_option, "name": directives.unchanged,
        "label": _any, "time": _any, "nonumber": directives.flag, "exercise": _any,
    }

    @classmethod
    def get_cssname(cls):
        return cls.cssname or cls.__name__.removesuffix("Directive").lower()

    def run(self):
        name = self.name
        if not self.arguments:
            self.arguments = [self.title_text or KINDS.get(name, name.title())]
        if "label" in self.options and "name" not in self.options:
            self.options["name"] = self.options["label"]
        classes = [name, *self.extra_classes, *self.options.get("class", [])]
        self.options["class"] = classes
        if not self.content:
            self.content.append("", "<floor>", 0)  # docutils wants content
        return super().run()


BoxDirective = PlainBox  # for lessons' custom.py (sphinx-lesson's _BaseCRDirective)


class ExerciseList(SphinxDirective):
    option_spec = {"include": _any, "exclude": _any}

    def run(self):
        return [nodes.paragraph("", "The exercises are listed in each episode.")]


class PlainTab(PlainBox):
    """Without sphinx-design: a tab is a plain admonition, a tab set a plain container."""

    def run(self):
        self.options.setdefault("class", []).append("tab")
        return super().run()


class PlainTabs(SphinxDirective):
    has_content = True

    def run(self):
        box = nodes.container(classes=["tabs"])
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]


if DESIGN:
    from sphinx_design.shared import create_component
    from sphinx_design.tabs import TabItemDirective, TabSetDirective

    class GroupTab(TabItemDirective):
        def run_with_defaults(self):
            self.options.setdefault("sync", " ".join(self.arguments[0].split()))
            return super().run_with_defaults()


class CodeTab(SphinxDirective):
    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {"linenos": directives.flag, "emphasize-lines": _any, "caption": _any,
                   "name": _any, "dedent": _any, "force": directives.flag,
                   "lineno-start": _any, "class": _any}

    def run(self):
        language, *label = self.arguments[0].split(None, 1)
        label = label[0] if label else language
        code = "\\n".join(self.content)
        literal = nodes.literal_block(code, code, language=language)
        rubric = nodes.rubric(label, label, classes=["sd-tab-label"])
        if not DESIGN:
            return [nodes.container("", rubric, literal, classes=["tab"])]
        content = create_component("tab-content", classes=["sd-tab-content"], children=[literal])
        return [create_component("tab-item", classes=["sd-tab-item"], children=[rubric, content])]


def _wants_myst_nb(app):
    # The same choice sphinx_refinery makes, so every variant parses with the same parser.
    if "myst_nb" in app.config.extensions:
        return True
    found = find_notebook(app.srcdir, app.config.exclude_patterns,
                          skip=(app.outdir, app.doctreedir))
    return found is not None and importlib.util.find_spec("myst_nb") is not None


def _defaults(app, config):
    if DESIGN and config.copybutton_exclude == ".linenos":
        config.copybutton_exclude = ".linenos, .gp"
    enabled = config.myst_enable_extensions
    if "colon_fence" not in enabled:
        config.myst_enable_extensions = [*enabled, "colon_fence"]


def _configured_kinds(app, config):
    for name in config.refinery_box_kinds or {}:
        app.add_directive(name, PlainBox, override=True)


def setup(app):
    app.setup_extension("myst_nb" if _wants_myst_nb(app) else "myst_parser")
    if DESIGN:
        app.setup_extension("sphinx_design")
        app.setup_extension("sphinx_copybutton")
    app.add_config_value("refinery_box_kinds", {}, "env")
    app.add_config_value("refinery_number_exercises", False, "env")
    app.add_config_value("refinery_solutions", "collapsed", "env")
    app.connect("config-inited", _defaults)
    app.connect("config-inited", _configured_kinds)
    for name in KINDS:
        # override: docutils has its own "hint" and "caution", which take no title
        app.add_directive(name, PlainBox, override=True)
    app.add_directive("exerciselist", ExerciseList)
    # the pages an imported Workbench lesson gathers (instructor notes, key points)
    app.add_directive("instructor-guide", ExerciseList)
    app.add_directive("keypoints-summary", ExerciseList)
    if DESIGN:
        app.add_directive("tabs", TabSetDirective)
        app.add_directive("tab", TabItemDirective)
        app.add_directive("group-tab", GroupTab)
    else:
        app.add_directive("tabs", PlainTabs)
        app.add_directive("tab", PlainTab)
        app.add_directive("group-tab", PlainTab)
    app.add_directive("code-tab", CodeTab)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
'''

#: Appended to both variants' conf.py: no notebook execution, no network (same for both).
BENCH_OVERRIDES = """

# -- added by benchmarks/run.py: the same for both variants --
nb_execution_mode = "off"
intersphinx_mapping = {}
"""

def minimal_migration(lesson: Path) -> list[str]:
    """The rewrite ``sphinx-refinery migrate`` does at the least (used when it fails)."""
    done = []
    conf = lesson / "content" / "conf.py"
    text = conf.read_text()
    new = re.sub(r"""(["'])sphinx_lesson\1""", r"\1sphinx_refinery\1", text)
    if new != text:
        conf.write_text(new)
        done.append("conf.py: sphinx_lesson -> sphinx_refinery")
    for custom in (lesson / "content").glob("*.py"):
        text = custom.read_text()
        new = text.replace(
            "from sphinx_lesson.directives import _BaseCRDirective",
            "from sphinx_refinery.compat import BoxDirective as _BaseCRDirective",
        )
        if new != text:
            custom.write_text(new)
            done.append(f"{custom.name}: _BaseCRDirective import")
    return done


def prepare_real(root: Path, content: Path) -> tuple[str, dict[str, Path], dict[str, Any]]:
    """Migrated copy (refinery) and its floor; returns (name, {variant: srcdir}, notes)."""
    lesson = content.parent
    name = lesson.name
    base = root / "real" / name
    if base.exists():
        shutil.rmtree(base)
    ref_root = base / "refinery"
    shutil.copytree(
        lesson, ref_root, ignore=shutil.ignore_patterns("_build", ".git", "jupyter_execute")
    )
    notes: dict[str, Any] = {}
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx_refinery.commands.cli", "migrate", "--force", str(ref_root)],
        capture_output=True,
        text=True,
    )
    notes["migrate_status"] = proc.returncode
    conf_text = (ref_root / "content" / "conf.py").read_text()
    if proc.returncode != 0 or LESSON_EXT.search(conf_text) or _lesson_imports(ref_root):
        notes["manual_migration"] = minimal_migration(ref_root)
        notes["migrate_output"] = (proc.stdout + proc.stderr)[-2000:]
    ref_src = ref_root / "content"
    with open(ref_src / "conf.py", "a") as f:
        f.write(BENCH_OVERRIDES)

    sources = {"refinery": ref_src}
    for floor in FLOORS:
        sources[floor] = _floor_copy(name, ref_root, base / floor, design=floor == "floor")
    return name, sources, notes


def prepare_workbench(root: Path, lesson: Path) -> tuple[str, dict[str, Path], dict[str, Any]]:
    """A Carpentries Workbench lesson imported by ``sphinx-refinery migrate`` (refinery),
    and its floors: the same imported pages built without sphinx-refinery."""
    lesson = lesson.resolve()
    name = f"workbench-{lesson.name}"
    base = root / "workbench" / lesson.name
    if base.exists():
        shutil.rmtree(base)
    ref_root = base / "refinery"
    shutil.copytree(lesson, ref_root, ignore=shutil.ignore_patterns(
        "_build", ".git", "site", "renv", "conf.py", "requirements.txt", "key-points.md"))
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx_refinery.commands.cli", "migrate", "--force", str(ref_root)],
        capture_output=True,
        text=True,
    )
    notes: dict[str, Any] = {"migrate_status": proc.returncode}
    if proc.returncode != 0 or not (ref_root / "conf.py").is_file():
        raise RuntimeError(f"{name}: migrate failed: {(proc.stdout + proc.stderr)[-1500:]}")
    with open(ref_root / "conf.py", "a") as f:
        f.write(BENCH_OVERRIDES)
    sources = {"refinery": ref_root}
    for floor in FLOORS:
        sources[floor] = _floor_copy(name, ref_root, base / floor, design=floor == "floor",
                                     content="")
    return name, sources, notes


def _floor_copy(
    name: str, ref_root: Path, floor_root: Path, design: bool, content: str = "content"
) -> Path:
    """A copy of the migrated lesson with the floor's shim in place of sphinx_refinery
    (``content``: the folder of conf.py in the lesson; "" for its root)."""
    shutil.copytree(ref_root, floor_root)
    floor_src = floor_root / content
    conf = floor_src / "conf.py"
    text = conf.read_text()
    text, count = re.subn(r"""(["'])sphinx_refinery\1""", r'"refinery_floor_shim"', text)
    text = text.replace("sphinx_refinery.compat.pandoc_heading_id",
                        "refinery_floor_shim.pandoc_heading_id")
    if count == 0:
        raise RuntimeError(f"{name}: no sphinx_refinery extension in the migrated conf.py")
    text = "import os as _o, sys as _s\n_s.path.insert(0, _o.path.dirname(_o.path.abspath(__file__)))\n" + text
    conf.write_text(text)
    (floor_src / "refinery_floor_shim.py").write_text(
        FLOOR_SHIM % {"kinds": FLOOR_KINDS, "design": design}
    )
    for custom in floor_src.glob("*.py"):
        text = custom.read_text()
        new = re.sub(
            r"from sphinx_refinery\.compat import BoxDirective",
            "from refinery_floor_shim import BoxDirective",
            text,
        )
        if new != text:
            custom.write_text(new)
    leftover = [
        str(p.relative_to(floor_src))
        for p in floor_src.glob("*.py")
        if p.name != "refinery_floor_shim.py" and "sphinx_refinery" in p.read_text()
    ]
    if leftover:
        raise RuntimeError(f"{name}: floor copy still imports sphinx_refinery in {leftover}")
    return floor_src


LESSON_EXT = re.compile(r"""(["'])sphinx_lesson\1""")
LESSON_IMPORT = re.compile(r"^\s*(from|import)\s+sphinx_lesson\b", re.MULTILINE)


def _lesson_imports(lesson: Path) -> bool:
    return any(LESSON_IMPORT.search(p.read_text()) for p in (lesson / "content").glob("*.py"))


def episode_to_edit(src: Path) -> Path:
    """The page the incremental measurement edits: the largest non-index source page."""
    pages = [
        p
        for p in sorted(src.rglob("*"))
        if p.suffix in (".md", ".rst", ".Rmd")
        and p.stem != "index"
        and not any(part.startswith(("_", ".")) for part in p.relative_to(src).parts)
    ]
    return max(pages, key=lambda p: p.stat().st_size)


# -- running builds ---------------------------------------------------------------------------


@dataclass
class Build:
    wall: float
    cpu: float
    maxrss_mib: float
    status: int
    warnings: int


@dataclass
class Lesson:
    name: str
    pages: int | None  # synthetic size, or None for a real lesson
    src: dict[str, Path]
    edit: dict[str, Path]
    repeat: int
    parallel: bool  # also build with -j 2
    j2_repeat: int = 0
    notes: dict[str, Any] = field(default_factory=dict)
    results: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    #: floor -> measurement -> refinery / floor, one per pair of builds made together.
    ratios: dict[str, dict[str, list[float]]] = field(default_factory=dict)


def child_env() -> dict[str, str]:
    """The builds' environment: with .pyc files, as an installed package has them.

    Under PYTHONDONTWRITEBYTECODE=1 an editable install would compile the package's
    sources in every build (0.1 to 0.2 s of CPU), a cost no installed package has and
    the floors' packages do not pay.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def sphinx_build(
    src: Path, out: Path, logdir: Path, tag: str, jobs: int = 1, clean: bool = False
) -> Build:
    if clean and out.exists():
        shutil.rmtree(out)
    result = logdir / f"{tag}.json"
    stderr = logdir / f"{tag}.log"
    args = ["-b", "html", "-q", "-d", str(out / ".doctrees"), str(src), str(out / "html")]
    if jobs > 1:
        args[0:0] = ["-j", str(jobs)]
    start = time.perf_counter()
    with open(stderr, "w") as err:
        proc = subprocess.run(
            [sys.executable, "-c", WRAPPER, str(result), *args],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=child_env(),
        )
    wall = time.perf_counter() - start
    if proc.returncode != 0 or not result.exists():
        raise RuntimeError(f"build failed ({tag}): see {stderr}\n{stderr.read_text()[-3000:]}")
    data = json.loads(result.read_text())
    if data["refinery_modules"] and not BUILD_MODULES:
        BUILD_MODULES.extend(data["refinery_modules"])
    warnings = sum(1 for line in stderr.read_text().splitlines() if "WARNING" in line)
    return Build(
        wall=wall,
        cpu=data["cpu"],
        maxrss_mib=max(data["maxrss_kib"], data["children_maxrss_kib"]) / 1024,
        status=data["status"],
        warnings=warnings,
    )


def pickle_size(out: Path) -> int:
    return (out / ".doctrees" / "environment.pickle").stat().st_size


def run_pair(steps: dict[str, Any], order: tuple[str, ...], paired: bool) -> dict[str, Build]:
    """Two builds: side by side, one per core, when paired; else one after the other."""
    if not paired:
        return {v: steps[v]() for v in order}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {v: pool.submit(steps[v]) for v in order}
        return {v: f.result() for v, f in futures.items()}


#: What each step records, from the build's figures.
STEP_FIGURES = {
    "clean": (("clean", "wall"), ("clean_cpu", "cpu"), ("peak_rss_mib", "maxrss_mib"),
              ("warnings", "warnings")),
    "noop": (("noop", "wall"), ("noop_cpu", "cpu")),
    "incremental": (("incremental", "wall"), ("incremental_cpu", "cpu")),
}


def measure(lesson: Lesson, work: Path, paired: bool) -> None:
    """All build measurements of one lesson, as pairs: sphinx-refinery beside each floor.

    Each repeat builds two pairs, (refinery, floor) and (refinery, floor-myst), with a
    clean, a no-op and a one-file incremental build each. Paired (the default): the
    two builds of a pair run at the same time, one per core, so both see the same
    machine, and each ratio is the median of the pairs' own ratios. Serial: one after
    the other, alternating which goes first. The -j 2 builds always run alone.
    """
    logdir = work / "logs" / lesson.name
    logdir.mkdir(parents=True, exist_ok=True)
    res: dict[str, dict[str, list[float]]] = {v: {} for v in VARIANTS}
    ratios: dict[str, dict[str, list[float]]] = {floor: {} for floor in FLOORS}
    lesson.results, lesson.ratios = res, ratios

    def step(v: str, tag: str, out: Path, rep: int, **kw: Any) -> Any:
        return lambda: sphinx_build(lesson.src[v], out, logdir, f"{v}-{tag}-{rep}", **kw)

    def record(floor: str, kind: str, builds: dict[str, Build], outs: dict[str, Path]) -> None:
        for key, attr in STEP_FIGURES[kind]:
            for v, b in builds.items():
                res[v].setdefault(key, []).append(getattr(b, attr))
            if key != "warnings":
                ratio = getattr(builds["refinery"], attr) / getattr(builds[floor], attr)
                ratios[floor].setdefault(key, []).append(ratio)
        if kind == "clean":
            sizes = {v: pickle_size(out) for v, out in outs.items()}
            for v, size in sizes.items():
                res[v].setdefault("pickle_bytes", []).append(size)
            ratios[floor].setdefault("pickle_bytes", []).append(sizes["refinery"] / sizes[floor])

    originals = {v: lesson.edit[v].read_text() for v in VARIANTS}
    try:
        for rep in range(lesson.repeat):
            log(f"  {lesson.name}: repeat {rep + 1}/{lesson.repeat}")
            for floor in FLOORS:
                pair = ("refinery", floor)
                order = pair if rep % 2 == 0 else pair[::-1]
                outs = {v: work / "out" / lesson.name / f"{v}-beside-{floor}" for v in pair}
                for v in pair:
                    lesson.edit[v].write_text(originals[v])
                for kind in STEP_FIGURES:
                    if kind == "incremental":
                        for v in pair:
                            with open(lesson.edit[v], "a") as f:
                                f.write("\nOne more line, added by the benchmark.\n")
                    steps = {v: step(v, f"{kind}-beside-{floor}", outs[v], rep,
                                     clean=kind == "clean") for v in pair}
                    record(floor, kind, run_pair(steps, order, paired), outs)
            if lesson.parallel and rep < lesson.j2_repeat:
                # Alone, as it uses both cores; and right after it, a -j 1 clean build of the
                # refinery variant, also alone, so that the -j 2 speed-up compares two builds
                # made in the same conditions.
                for v in ("refinery", "floor") if rep % 2 == 0 else ("floor", "refinery"):
                    out = work / "out" / lesson.name / f"{v}-j2"
                    b = step(v, "j2", out, rep, jobs=2, clean=True)()
                    res[v].setdefault("clean_j2", []).append(b.wall)
                    res[v].setdefault("clean_j2_cpu", []).append(b.cpu)
                    shutil.rmtree(out)
                    if v == "refinery":
                        b = step(v, "j1-alone", out, rep, clean=True)()
                        res[v].setdefault("clean_j1_alone", []).append(b.wall)
                        shutil.rmtree(out)
    finally:
        for v in VARIANTS:
            lesson.edit[v].write_text(originals[v])
        shutil.rmtree(work / "out" / lesson.name, ignore_errors=True)


# -- import time and packages -----------------------------------------------------------------


#: The sphinx_refinery modules a refinery build had loaded by its end (from the wrapper).
BUILD_MODULES: list[str] = []

FLOOR_IMPORTS = "import sphinx.application, myst_parser.sphinx_ext.main, sphinx_design, sphinx_copybutton"


def import_times(repeat: int = 5) -> dict[str, float]:
    """Median wall time of ``python -c STATEMENT`` in a fresh interpreter."""
    modules = BUILD_MODULES or ["sphinx_refinery"]
    statements = {
        "python -c pass": "pass",
        "import sphinx": "import sphinx",
        "import sphinx_refinery": "import sphinx_refinery",
        "import sphinx.application": "import sphinx.application",
        "the floor's extensions (sphinx.application, myst_parser, sphinx_design, sphinx_copybutton)": (
            FLOOR_IMPORTS
        ),
        f"the same + the {len(modules)} sphinx_refinery modules a build loads": (
            FLOOR_IMPORTS + ", " + ", ".join(modules)
        ),
    }
    times: dict[str, list[float]] = {k: [] for k in statements}
    for _ in range(repeat):
        for label, stmt in statements.items():
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", stmt], check=True, env=child_env())
            times[label].append(time.perf_counter() - start)
    result = {k: statistics.median(v) for k, v in times.items()}
    labels = list(statements)
    result["=> sphinx_refinery's own import cost in a build"] = result[labels[5]] - result[labels[4]]
    # With PYTHONDONTWRITEBYTECODE=1 an editable install has no .pyc files: every build
    # compiles the package's sources. Measure that cost on its own.
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        code = (
            "import importlib.util, sys, time\n"
            "srcs = [open(importlib.util.find_spec(m).origin).read() for m in sys.argv[1:]]\n"
            "t = time.perf_counter()\n"
            "[compile(s, 'x', 'exec') for s in srcs]\n"
            "print(time.perf_counter() - t)\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code, *modules], check=True, capture_output=True, text=True
        )
        result["of which: compiling their sources (PYTHONDONTWRITEBYTECODE=1, no .pyc)"] = float(
            out.stdout.strip()
        )
    return result


def _venv_footprint(work: Path, name: str, requirements: list[str]) -> dict[str, Any]:
    venv_dir = work / name
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(venv_dir)], check=True)
    python = venv_dir / "bin" / "python"
    proc = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", *requirements], capture_output=True, text=True
    )
    if proc.returncode != 0:
        shutil.rmtree(venv_dir, ignore_errors=True)
        return {"error": (proc.stdout + proc.stderr)[-2000:]}
    listing = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=json"],
        check=True, capture_output=True, text=True,
    )
    packages = [p["name"] for p in json.loads(listing.stdout)]
    site = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip())
    tooling = ("pip", "setuptools", "_distutils_hack", "distutils-precedence.pth")
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    tool_size = sum(
        p.stat().st_size
        for p in site.rglob("*")
        if p.is_file() and p.relative_to(site).parts[0].split("-")[0] in tooling
    )
    shutil.rmtree(venv_dir)
    return {
        "requirements": requirements,
        "packages": len(packages),
        "packages_without_pip_setuptools": len([p for p in packages if p not in ("pip", "setuptools")]),
        "site_packages_mib": round(size / 2**20, 1),
        "site_packages_mib_without_pip_setuptools": round((size - tool_size) / 2**20, 1),
        "seconds": round(time.perf_counter() - start, 1),
    }


def package_footprint(work: Path) -> dict[str, Any]:
    """Fresh venvs: ``pip install <repo>``, and the floor's three extensions for comparison."""
    return {
        "refinery": _venv_footprint(work, "venv-refinery", [str(ROOT)]),
        "floor": _venv_footprint(
            work, "venv-floor", ["sphinx", "myst-parser", "sphinx-design", "sphinx-copybutton"]
        ),
    }


# -- report -----------------------------------------------------------------------------------

ROWS = (
    ("clean", "clean build, -j 1 (s)", 1.0),
    ("clean_cpu", "  its CPU time (s)", 1.0),
    ("noop", "no-op rebuild (s)", 1.0),
    ("noop_cpu", "  its CPU time (s)", 1.0),
    ("incremental", "one-file incremental (s)", 1.0),
    ("incremental_cpu", "  its CPU time (s)", 1.0),
    ("clean_j2", "clean build, -j 2 (s)", 1.0),
    ("clean_j2_cpu", "  its CPU time, all processes (s)", 1.0),
    ("clean_j1_alone", "  -j 1 build alone, just after (s)", 1.0),
    ("pickle_bytes", "environment.pickle (MiB, no target)", 1 / 2**20),
    ("peak_rss_mib", "peak RSS (MiB)", 1.0),
)


def medians(lesson: Lesson) -> dict[str, dict[str, float]]:
    return {
        v: {k: statistics.median(vals) for k, vals in lesson.results[v].items()} for v in VARIANTS
    }


def ratio_medians(lesson: Lesson) -> dict[str, dict[str, float]]:
    """floor -> measurement -> the median of refinery / floor over the pairs."""
    return {
        floor: {k: statistics.median(vals) for k, vals in lesson.ratios.get(floor, {}).items()}
        for floor in FLOORS
    }


Row = tuple[str, float, list[tuple[float | None, float | None]]]


def table_rows(med: dict[str, dict[str, float]], ratios: dict[str, dict[str, float]]) -> list[Row]:
    """(label, refinery's value, [(floor's value, ratio) for each floor]).

    The ratio is the median of the pairs' ratios, which need not equal the ratio of
    the two medians.
    """
    rows: list[Row] = []
    for key, label, scale in ROWS:
        if key not in med["refinery"]:
            continue
        r = med["refinery"][key] * scale
        floors = []
        for floor in FLOORS:
            f = med.get(floor, {}).get(key)
            # (The -j 2 builds run alone, not in pairs: the ratio of their medians.)
            ratio = ratios.get(floor, {}).get(key, r / (f * scale) if f else None)
            floors.append((f * scale, ratio) if f else (None, None))
        rows.append((label, r, floors))
    return rows


def pairs(n: int) -> str:
    return f"{n} pair" if n == 1 else f"{n} pairs"


def _num(value: float | None, width: int) -> str:
    return f"{value:{width}.2f}" if value is not None else f"{'-':>{width}}"


def table(lesson: Lesson) -> str:
    if not all(lesson.results.get(v) for v in VARIANTS):
        return f"{lesson.name}: no results"
    med = medians(lesson)
    head = (f"{lesson.name}: median of {pairs(lesson.repeat)} beside each floor "
            f"(-j 2: {lesson.j2_repeat if lesson.parallel else 0})")
    floors = "".join(f" {name:>22} {'ratio':>7}" for name in FLOOR_NAMES.values())
    lines = [head, f"  {'measurement':34} {'refinery':>10}{floors}"]
    for label, r, values in table_rows(med, ratio_medians(lesson)):
        cells = "".join(f" {_num(f, 22)} {_num(ratio, 7)}" for f, ratio in values)
        lines.append(f"  {label:34} {r:10.2f}{cells}")
    if "clean_j1_alone" in med["refinery"]:
        speed = med["refinery"]["clean_j1_alone"] / med["refinery"]["clean_j2"]
        lines.append(f"  {'-j 2 speed-up, refinery (x)':34} {speed:10.2f}")
    warn = {v: int(med[v].get("warnings", 0)) for v in VARIANTS}
    lines.append(f"  {'warnings (median)':34} {warn['refinery']:10d} "
                 + " ".join(f"{warn[f]:22d}        " for f in FLOORS))
    if "error" in lesson.notes:
        lines.append("  (incomplete: a build failed)")
    return "\n".join(lines)


def check_targets(lessons: list[Lesson], metric: str) -> list[dict[str, Any]]:
    """Each target, judged on ``metric`` (cpu or wall); the other is reported beside it.

    Real lessons are judged against Sphinx + myst-parser alone, synthetic ones against
    the floor with sphinx-design and sphinx-copybutton (:data:`FLOOR_FOR`).
    """
    checks: list[dict[str, Any]] = []
    suffix = {"cpu": "_cpu", "wall": ""}

    def ratio(num: dict[str, float], den: dict[str, float], key: str, m: str) -> float:
        return num[key + suffix[m]] / den[key + suffix[m]]

    def pair_ratio(lesson: Lesson, floor: str, key: str, m: str) -> float:
        return statistics.median(lesson.ratios[floor][key + suffix[m]])

    def check(name: str, lesson: str, limit: float, values: dict[str, float],
              metric: str = metric) -> None:
        value = values[metric]
        checks.append({
            "target": name, "lesson": lesson, "limit": limit, "metric": metric,
            "value": value, "values": values, "pass": value <= limit,
        })

    complete = [lesson for lesson in lessons if "error" not in lesson.notes]
    for lesson in complete:
        floor = FLOOR_FOR["synthetic" if lesson.pages else "real"]
        against = f"x {FLOOR_NAMES[floor]}"
        check(f"clean build <= {TARGET_CLEAN} {against}", lesson.name, TARGET_CLEAN,
              {m: pair_ratio(lesson, floor, "clean", m) for m in suffix})
        check(f"peak memory <= {TARGET_MEMORY} {against}", lesson.name, TARGET_MEMORY,
              {"rss": statistics.median(lesson.ratios[floor]["peak_rss_mib"])}, metric="rss")
        check(f"one-file incremental <= {TARGET_INCREMENTAL} {against}", lesson.name,
              TARGET_INCREMENTAL, {m: pair_ratio(lesson, floor, "incremental", m) for m in suffix})
    by_size = {lesson.pages: medians(lesson) for lesson in complete if lesson.pages}
    if 500 in by_size and 2000 in by_size:
        for v in ("refinery", "floor"):
            name = f"t(2000)/t(500) <= {TARGET_GROWTH}"
            check(name if v == "refinery" else name + " (floor: for reference)", v, TARGET_GROWTH,
                  {m: ratio(by_size[2000][v], by_size[500][v], "clean", m) for m in suffix})
    if PARALLEL_SIZE in by_size and "clean_j2" in by_size[PARALLEL_SIZE]["refinery"]:
        r = by_size[PARALLEL_SIZE]["refinery"]
        # Wall time by nature: -j 2 against a -j 1 build run alone right after it.
        value = r["clean_j2"] / r["clean_j1_alone"]
        checks.append({
            "target": f"-j 2 faster than -j 1 on {PARALLEL_SIZE} pages",
            "lesson": f"synthetic-{PARALLEL_SIZE}", "limit": 1.0, "metric": "wall",
            "value": value, "values": {"wall": value}, "pass": value < 1.0,
        })
    return checks


def command_checks(commands: dict[str, float]) -> list[dict[str, Any]]:
    """The command-line targets, on wall time (what a user waits for)."""
    checks = []
    for label, limit in (("sphinx-refinery --help", TARGET_HELP),
                         ("sphinx-refinery check git-intro", TARGET_CHECK)):
        if label in commands:
            value = commands[label]
            checks.append({
                "target": f"{label} < {limit} s", "lesson": "", "limit": limit,
                "metric": "wall", "value": value, "values": {"wall": value},
                "pass": value < limit,
            })
    return checks


def command_times(lessons_glob: str, work: Path, repeat: int = 5) -> dict[str, float]:
    """Median wall time of the command line, in fresh processes (after one warm-up).

    The checker runs with a cache folder of its own in ``work``: the warm-up fills it,
    as a lesson's first check does. The same check with the cache off is reported too.
    """
    commands: dict[str, tuple[list[str], dict[str, str]]] = {
        "sphinx-refinery --help": (["--help"], {})
    }
    git_intro = [c for c in (glob.glob(lessons_glob) if lessons_glob else [])
                 if Path(c).parent.name == "git-intro"]
    if git_intro:
        check = ["check", str(Path(git_intro[0]).parent)]
        cache = {"XDG_CACHE_HOME": str(work / "xdg-cache")}
        commands["sphinx-refinery check git-intro"] = (check, cache)
        commands[CHECK_UNCACHED] = (check, {**cache, "REFINERY_NO_CACHE": "1"})
    result = {}
    for label, (args, extra_env) in commands.items():
        script = Path(sys.executable).parent / "sphinx-refinery"
        argv = [str(script)] if script.exists() else [sys.executable, "-m", "sphinx_refinery.commands.cli"]
        argv += args
        # With .pyc files, as an installed package has them (the warm-up writes them).
        env = {**child_env(), **extra_env}
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                       check=False)  # check exits 1 when it finds problems
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                           check=False)
            times.append(time.perf_counter() - start)
        result[label] = statistics.median(times)
    return result


def versions() -> dict[str, str]:
    code = (
        "import json, platform, sphinx, docutils, myst_parser, sphinx_refinery\n"
        "from importlib.metadata import version\n"
        "print(json.dumps({'python': platform.python_version(), 'sphinx': sphinx.__version__,"
        " 'docutils': docutils.__version__, 'myst-parser': myst_parser.__version__,"
        " 'sphinx-design': version('sphinx-design'), 'sphinx-copybutton': version('sphinx-copybutton'),"
        " 'sphinx-refinery': sphinx_refinery.__version__}))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    info = json.loads(out.stdout)
    git = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True)
    if git.returncode == 0:
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"],
                               capture_output=True, text=True).stdout.strip()
        info["commit"] = git.stdout.strip() + (" (src/ modified)" if dirty else "")
    return info


def markdown(data: dict[str, Any]) -> str:
    """The results as MyST tables, for docs/benchmarks.md."""
    out = []
    for lesson in data["lessons"]:
        med = lesson["medians"]
        if not all(med.get(v) for v in VARIANTS):
            continue
        out.append(f"**{lesson['name']}** (median of {pairs(lesson['repeat'])} beside each floor)\n")
        floors = "".join(f" {name} | ratio |" for name in FLOOR_NAMES.values())
        out.append(f"| measurement | refinery |{floors}\n|---|---:|" + "---:|---:|" * len(FLOORS))
        for label, r, values in table_rows(med, lesson["ratio_medians"]):
            cells = "".join(f" {_num(f, 0).strip()} | {_num(ratio, 0).strip()} |" for f, ratio in values)
            out.append(f"| {label.strip()} | {r:.2f} |{cells}")
        out.append("")
    out.append("| target | lesson | value | limit | result |\n|---|---|---:|---:|---|")
    for c in data["targets"]:
        other = "".join(f" ({m}: {v:.2f})" for m, v in c["values"].items() if m != c["metric"])
        out.append(f"| {c['target']} | {c['lesson']} | {c['value']:.2f} ({c['metric']}){other} "
                   f"| {c['limit']} | {'PASS' if c['pass'] else 'FAIL'} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50,500,2000",
                        help="synthetic lesson sizes in pages (default: 50,500,2000)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="repeats per measurement; the median is reported (default: 3)")
    parser.add_argument("--big-repeat", type=int, default=1,
                        help=f"repeats for sizes >= {BIG_SIZE} pages (default: 1)")
    parser.add_argument("--j2-repeat", type=int, default=1,
                        help="repeats of the -j 2 build and of its -j 1 reference (default: 1)")
    parser.add_argument("--j2-sizes", default=str(PARALLEL_SIZE),
                        help=f"synthetic sizes also built with -j 2 (default: {PARALLEL_SIZE})")
    parser.add_argument("--real-repeat", type=int, default=1,
                        help="repeats for the real lessons (default: 1, to stay within ten minutes)")
    parser.add_argument("--real-j2", action="store_true",
                        help="also build the real lessons with -j 2 (off by default: too small to gain)")
    parser.add_argument("--lessons", default=CORPUS_GLOB,
                        help="glob of the real lessons' content folders ('' for none)")
    parser.add_argument("--workbench", nargs="*", default=[], metavar="LESSON",
                        help="Carpentries Workbench lesson folders (config.yaml, episodes/): "
                        "a copy of each is imported by `sphinx-refinery migrate` and timed "
                        "against the same pages built by Sphinx and MyST alone")
    parser.add_argument("--serial", action="store_true",
                        help="run refinery and floor -j 1 builds one after the other "
                        "(default: side by side, one per core)")
    parser.add_argument("--metric", choices=("cpu", "wall"), default="cpu",
                        help="time the targets are judged on (default: cpu; -j 2 is always wall)")
    parser.add_argument("--packages", action="store_true",
                        help="also count packages and site-packages size of a fresh venv "
                        "with `pip install <repo>` (slow: it is off by default)")
    parser.add_argument("--json", metavar="OUT", help="write all results to this JSON file")
    parser.add_argument("--markdown", metavar="OUT", help="write the tables as Markdown")
    parser.add_argument("--workdir", help="where to generate lessons and build (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args(argv)

    t_start = time.perf_counter()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    j2_repeat = min(args.j2_repeat, args.repeat)
    j2_sizes = {int(s) for s in args.j2_sizes.split(",") if s.strip()}
    real_repeat = args.real_repeat
    paired = not args.serial
    work = Path(args.workdir or tempfile.mkdtemp(prefix="refinery-bench-")).resolve()
    work.mkdir(parents=True, exist_ok=True)
    log(f"work directory: {work}")
    info: dict[str, Any] = versions()
    info.update(
        date=datetime.datetime.now().isoformat(timespec="seconds"),
        machine=f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        mode="serial" if args.serial else "paired",
        load_before=os.getloadavg(),
    )
    print(f"sphinx-refinery benchmark, {info['date']}: {info['machine']}")
    print("versions: " + ", ".join(f"{k} {v}" for k, v in info.items()
                                   if k not in ("date", "machine", "mode", "load_before")))
    print(f"mode: {info['mode']}; targets judged on {args.metric} time; "
          f"load average before: {', '.join(f'{x:.1f}' for x in info['load_before'])}\n")

    # Compile every module once, so that no measured build pays for it (see child_env).
    # (The whole package, whatever its modules are called now.)
    subprocess.run([sys.executable, "-c", "import compileall, os, sphinx.application, "
                    "sphinx_refinery; compileall.compile_dir(os.path.dirname("
                    "sphinx_refinery.__file__), quiet=1)"],
                   check=True, env=child_env())
    lessons: list[Lesson] = []
    for n in sizes:
        src = {v: write_synthetic(work, v, n) for v in VARIANTS}
        edit = {v: src[v] / f"{page_name(max(1, n // 2))}.md" for v in VARIANTS}
        big = n >= BIG_SIZE
        lessons.append(Lesson(
            f"synthetic-{n}", n, src, edit, args.big_repeat if big else args.repeat,
            parallel=n in j2_sizes, j2_repeat=j2_repeat,
        ))
    for content in sorted(glob.glob(args.lessons)) if args.lessons else []:
        name, src, notes = prepare_real(work, Path(content))
        edit = {v: episode_to_edit(src[v]) for v in VARIANTS}
        notes["edited_page"] = str(edit["refinery"].relative_to(src["refinery"]))
        lessons.append(Lesson(
            name, None, src, edit, real_repeat, parallel=args.real_j2,
            j2_repeat=min(j2_repeat, real_repeat), notes=notes,
        ))
    for folder in args.workbench:
        try:
            name, src, notes = prepare_workbench(work, Path(folder))
        except RuntimeError as err:
            print(f"{Path(folder).name}: {err}\n", flush=True)
            continue
        edit = {v: episode_to_edit(src[v] / "episodes") for v in VARIANTS}
        notes["edited_page"] = str(edit["refinery"].relative_to(src["refinery"]))
        lessons.append(Lesson(
            name, None, src, edit, real_repeat, parallel=args.real_j2,
            j2_repeat=min(j2_repeat, real_repeat), notes=notes,
        ))

    for lesson in lessons:
        t = time.perf_counter()
        log(f"{lesson.name}: building")
        try:
            measure(lesson, work, paired)
        except RuntimeError as err:  # a failed build: report it, go on with the others
            lesson.notes["error"] = str(err)[:4000]
            print(f"{lesson.name}: {str(err)[:1500]}\n", flush=True)
        lesson.notes["seconds"] = time.perf_counter() - t
        print(table(lesson), flush=True)
        print(f"  ({lesson.notes['seconds']:.0f} s)\n", flush=True)

    log("import times")
    imports = import_times()
    print("import time (median of 5 fresh interpreters, wall, s)")
    for label, value in imports.items():
        print(f"  {label:92} {value:6.3f}")
    print()

    log("command line")
    commands = command_times(args.lessons, work)
    print("command line (median of 5 fresh processes, wall, s)")
    for label, value in commands.items():
        print(f"  {label:92} {value:6.3f}")
    print()

    packages: dict[str, Any] | None = None
    if args.packages:
        log("packages: fresh venvs with pip install (slow)")
        print("installed packages in a fresh venv")
        packages = package_footprint(work)
        for v, fp in packages.items():
            if "error" in fp:
                print(f"  {v}: pip install failed: {fp['error'][-300:]}")
                continue
            print(f"  {v:9} pip install {' '.join(Path(r).name for r in fp['requirements'])}: "
                  f"{fp['packages_without_pip_setuptools']} packages (+ pip, setuptools), "
                  f"site-packages {fp['site_packages_mib_without_pip_setuptools']} MiB "
                  f"({fp['site_packages_mib']} MiB with pip, setuptools)")
        print()
    else:
        print("packages: skipped (pass --packages to count them; it is slow)\n")

    sized = [lesson for lesson in lessons if lesson.pages and "error" not in lesson.notes]
    if len(sized) > 1:
        print("growth of the clean build, -j 1 (t(n) / t(previous size); wall, cpu)")
        for prev, cur in itertools.pairwise(sized):
            for v in VARIANTS:
                g = {k: statistics.median(cur.results[v][k]) / statistics.median(prev.results[v][k])
                     for k in ("clean", "clean_cpu")}
                print(f"  {v:9} t({cur.pages})/t({prev.pages}) = {g['clean']:.2f}, "
                      f"{g['clean_cpu']:.2f}  (pages x{cur.pages / prev.pages:.1f})")
        print()

    checks = check_targets(lessons, args.metric) + command_checks(commands)
    print(f"targets (judged on {args.metric} time; the other in brackets)")
    for c in checks:
        mark = "PASS" if c["pass"] else "FAIL"
        other = "".join(f" ({m} {v:.2f})" for m, v in c["values"].items() if m != c["metric"])
        print(f"  {mark}  {c['target']:48} {c['lesson']:22} {c['value']:6.2f}{other}")
    total = time.perf_counter() - t_start
    info["load_after"] = os.getloadavg()
    print(f"\ntotal benchmark time: {total:.0f} s "
          f"(load average after: {', '.join(f'{x:.1f}' for x in info['load_after'])})")

    data = {
        "info": info,
        "args": vars(args),
        "lessons": [
            {"name": lesson.name, "pages": lesson.pages, "repeat": lesson.repeat,
             "j2_repeat": lesson.j2_repeat if lesson.parallel else 0, "notes": lesson.notes,
             "results": lesson.results, "medians": medians(lesson),
             "ratios": lesson.ratios, "ratio_medians": ratio_medians(lesson)}
            for lesson in lessons
        ],
        "imports": imports,
        "commands": commands,
        "packages": packages,
        "targets": checks,
        "total_seconds": total,
    }
    if args.json:
        Path(args.json).write_text(json.dumps(data, indent=2, default=str))
        log(f"results written to {args.json}")
    if args.markdown:
        Path(args.markdown).write_text(markdown(data))
        log(f"tables written to {args.markdown}")
    if not args.keep and not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
