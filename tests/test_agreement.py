"""The build and ``sphinx-refinery check`` give the same answers on the same pages:
which pages are episodes, which box each solution belongs to, and the timing
findings (``timing-missing``, ``timing-budget``).

The lessons are in ``agreement_cases``: ``myst`` times some pages and shows no
schedule; ``rst`` shows a schedule. Each answer is also checked against what
the documented rule gives, so two equally wrong answers do not pass.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from sphinx_refinery.check import rules
from sphinx_refinery.check.build import REPORTED_BY_THE_BUILD
from sphinx_refinery.commands.check import check_lesson
from tests.conftest import build_once

CASES = Path(__file__).parent / "agreement_cases"
TIMING_RULES = ("timing-missing", "timing-budget")

#: The documented rule: a page past the front page with objectives, an exercise or key points.
EPISODES = {
    "myst": ["timed", "untimed", "keyonly"],
    "rst": ["intro", "practice", "wrapup"],
}
#: The over-budget pages; and, in a lesson that shows a schedule, the episodes
#: without timing (without a schedule, none: though check asked for them).
TIMING = {
    "myst": {("timed", "timing-budget")},
    "rst": {("practice", "timing-missing"), ("wrapup", "timing-missing"), ("intro", "timing-budget")},
}
#: Per page, each solution's owner as (kind, its place among that kind's boxes), or None.
OWNERS = {
    "myst": {
        "timed": [("exercise", 0), ("discussion", 0)],
        "untimed": [("demo", 0)],
        "reference": [None],
    },
    "rst": {
        "intro": [("exercise", 0)],
        "practice": [("discussion", 0), ("type-along", 0)],
    },
}
WARNING = re.compile(r"^(?P<path>\S+?):(?P<line>\d+): WARNING: .* \[refinery\.(?P<rule>[\w-]+)\]$")


def _copy(name: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    srcdir = tmp_path_factory.mktemp(name) / "src"
    shutil.copytree(CASES / name, srcdir)
    return srcdir


@pytest.fixture(scope="module", params=sorted(EPISODES))
def lesson(request, tmp_path_factory):
    """(name, the build, the checker's lesson and findings) for one case lesson."""
    name = request.param
    srcdir = _copy(name, tmp_path_factory)
    checked, findings = check_lesson(srcdir.resolve(), select=set(TIMING_RULES))
    _all_checked, all_findings = check_lesson(srcdir.resolve(), select=set(REPORTED_BY_THE_BUILD))
    built = build_once(srcdir, None)
    return name, built, checked, findings, all_findings


def _build_timing(built, srcdir: Path) -> Counter:
    found: Counter = Counter()
    for line in built.warning_lines():
        match = WARNING.match(line)
        if match and match["rule"] in TIMING_RULES:
            page = Path(match["path"]).resolve().relative_to(srcdir.resolve()).with_suffix("")
            found[(page.as_posix(), match["rule"])] += 1
            if match["rule"] == "timing-missing":  # both put it where the front matter goes
                assert match["line"] == "1", line
    return found


def _check_timing(checked, findings) -> Counter:
    docname = {page.path: name for name, page in checked.pages.items()}
    assert all(f.line == 1 for f in findings if f.rule == "timing-missing"), findings
    return Counter((docname[f.path], f.rule) for f in findings if f.rule in TIMING_RULES)


def test_episodes_agree(lesson):
    name, built, checked, _findings, _all = lesson
    by_build = built.app.env.domains["refinery"].episodes(built.app.env)
    by_check = [page.docname for page in rules.episodes(checked)]
    assert by_build == by_check == EPISODES[name]


def test_timing_findings_agree(lesson):
    name, built, checked, findings, _all = lesson
    by_build = _build_timing(built, built.srcdir)
    by_check = _check_timing(checked, findings)
    assert by_build == by_check == Counter(TIMING[name])


#: Every rule both report (check.build.REPORTED_BY_THE_BUILD), with what each case holds.
BOTH = {
    "myst": {
        ("reference", "solution-without-exercise"), ("setup", "timing-value"),
        ("setup", "duplicate-label"), ("timed", "timing-budget"),
    },
    "rst": {
        ("index", "schedule-page"), ("practice", "timing-missing"), ("wrapup", "timing-missing"),
        ("intro", "timing-budget"), ("conf", "replaced-extension"),
    },
}


def test_every_rule_both_report_agrees(lesson):
    name, built, checked, _findings, findings = lesson
    by_build: Counter = Counter()
    for line in built.warning_lines():
        match = WARNING.match(line)
        if match and match["rule"] in REPORTED_BY_THE_BUILD:
            page = Path(match["path"]).resolve().relative_to(built.srcdir.resolve()).with_suffix("")
            by_build[(page.as_posix(), match["rule"])] += 1
    docname = {page.path: page_name for page_name, page in checked.pages.items()}

    def where(path: Path) -> str:  # a page, or a file such as conf.py by its name
        return docname.get(path) or path.resolve().relative_to(built.srcdir.resolve()).with_suffix("").as_posix()

    by_check = Counter((where(f.path), f.rule) for f in findings if f.rule in REPORTED_BY_THE_BUILD)
    assert by_build == by_check == Counter(BOTH[name])
    covered = {rule for case in BOTH.values() for _page, rule in case}
    assert covered == set(REPORTED_BY_THE_BUILD)


def test_timing_findings_agree_with_the_checker_rules_on(tmp_path_factory):
    """With the rules asked for in conf.py, the build still gives check's answer, once."""
    srcdir = _copy("myst", tmp_path_factory)
    conf = srcdir / "conf.py"
    conf.write_text(conf.read_text() + 'refinery_check_rules = ["timing-missing", "timing-budget"]\n')
    checked, findings = check_lesson(srcdir.resolve(), select=set(TIMING_RULES))
    built = build_once(srcdir, None)
    assert _build_timing(built, srcdir) == _check_timing(checked, findings) == Counter(TIMING["myst"])


BOX_RULES = {"solution-without-exercise", "exercise-without-solution"}


def test_solution_owners_agree(lesson):
    """What each side does with a solution's owner, not the shared rule's answer twice:
    the build links a solution to its exercise; check flags exercises left without one
    and solutions that belong to nothing."""
    name, built, checked, _findings, _all = lesson
    domain = built.app.env.domains["refinery"]
    _lesson, box_findings = check_lesson(built.srcdir.resolve(), select=BOX_RULES)
    flagged: dict[tuple[str, str], list[int]] = {}
    docname = {page.path: doc for doc, page in checked.pages.items()}
    for finding in box_findings:
        flagged.setdefault((docname[finding.path], finding.rule), []).append(finding.line)
    for doc in sorted(checked.pages):
        records = domain.records(doc)
        exercises = [r for r in records if r.kind == "exercise"]
        solutions = [r for r in records if r.kind == "solution"]
        expected = OWNERS[name].get(doc, [])
        assert len(solutions) == len(expected), (doc, solutions)
        # The build: each solution links to the exercise it answers, or to nothing.
        linked = [
            ("exercise", [f"#{e.id}" for e in exercises].index(s.exercise)) if s.exercise else None
            for s in solutions
        ]
        assert linked == [o if o and o[0] == "exercise" else None for o in expected], doc
        # check: the solutions that belong to no box, and the exercises no solution answers.
        assert sorted(flagged.get((doc, "solution-without-exercise"), [])) == [
            s.line for s, owner in zip(solutions, expected, strict=True) if owner is None
        ], doc
        answered = {o[1] for o in expected if o and o[0] == "exercise"}
        assert sorted(flagged.get((doc, "exercise-without-solution"), [])) == [
            e.line for number, e in enumerate(exercises) if number not in answered
        ], doc
    assert {doc for doc, _rule in flagged} <= set(checked.pages)
