"""The export: read the lesson, write every page of the Workbench copy, then move the
whole folder into place (a failed export leaves nothing behind)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..pages.metadata import lesson_metadata
from ..timing.reader import timings
from ..workshops import manifest
from ..workshops.reader import LessonError
from .assets import Assets
from .blocks import PageContext, PageWriter
from .config_file import config_yaml, configured_kinds, front_matter, schedule_table
from .plan import Plan, plan_pages
from .reading import read_lesson
from .report import Report


class ExportError(Exception):
    """An export that cannot start (status 2: bad input) or finish (status 1); the message says why."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def check_out(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(f"{out} exists and is not an empty folder: give a new one")


def export_lesson(lesson: Path, out: Path, *, source: str = "") -> Report:
    check_out(out)
    report = Report()
    files: dict[str, str] = {}
    try:
        with read_lesson(lesson) as app:
            assets = Assets(Path(app.env.srcdir))
            _write_pages(app, files, assets, report, source)
    except LessonError as err:
        raise ExportError(str(err)) from err
    _write_whole(out, files, assets.copies)
    return report


def _write_pages(app: Any, files: dict[str, str], assets: Assets, report: Report, source: str) -> None:
    env = app.env
    known = timings(env)
    data = manifest.manifest(env, manifest.directive_options(env))
    plan = plan_pages(env, [entry["page"] for entry in data["episodes"]], report)
    table = schedule_table(data["schedule"])
    meta = lesson_metadata(env.config, Path(env.srcdir))
    _note_editions(env, report)
    numbers = env.domains["refinery"].numbers
    top_ids = {docname: _title_ids(env.get_doctree(docname)) for docname in plan.pages}
    own_kinds = configured_kinds(env.config)
    for docname, path in plan.pages.items():
        ctx = PageContext(
            env=env, tags=app.tags, docname=docname, out_path=path, pages=plan.pages,
            report=report, copy_asset=assets.copy, schedule=table, numbers=numbers.get(docname, {}), top_ids=top_ids,
            own_kinds=own_kinds,
        )
        try:
            body = PageWriter(ctx).page(env.get_doctree(docname))
        except Exception as err:  # a page the writer cannot read: say which, in one line
            raise ExportError(f"{docname}: could not be exported ({type(err).__name__}: {err})", status=1) from err
        title = env.titles[docname].astext() if docname in env.titles else docname
        values: dict[str, Any] = {"title": title}
        if docname == env.config.root_doc:
            values = {"site": "sandpaper::sandpaper_site"}
            body = (f"# {title}\n\n" if title else "") + body
        elif docname in plan.episodes:
            values.update(_minutes(docname, known.get(docname), report))
        files[path] = front_matter(values) + body.rstrip() + "\n"
    _schedule_page(data, table, plan, files, report)
    _standard_pages(meta, plan, files, report)
    settings = {"number_exercises": env.config.refinery_number_exercises, "box_kinds": own_kinds}
    files["config.yaml"] = config_yaml(meta, plan, source or _source(env), report, settings)


def _title_ids(doctree: Any) -> set[str]:
    from docutils import nodes

    section = doctree.next_node(nodes.section)
    return set(section["ids"]) if section is not None else set()


def _minutes(docname: str, record: Any, report: Report) -> dict[str, Any]:
    if record is None:
        report.add(docname, None, "episode with no timing", "no 'teaching' and 'exercises'",
                   "the lesson gives none; the Workbench asks for both")
        return {}
    if record.is_break:
        report.add(docname, None, f"break ({record.duration} min)", "teaching 0, exercises 0, 'break' kept",
                   "the Workbench has no breaks; its schedule leaves them out")
        return {"teaching": 0, "exercises": 0, "break": record.duration}
    values = {"teaching": record.teaching or 0, "exercises": record.exercise_total}
    if record.exercises is None and record.exercise_minutes:
        report.add(docname, None, "exercise minutes from the boxes' :time:",
                   f"exercises: {record.exercise_minutes}", "the Workbench reads episode minutes only")
    if record.day is not None or record.start is not None:
        report.add(docname, None, "day or clock time of the schedule", "instructors/schedule.md",
                   "the Workbench's schedule has no days or clock times")
    return values


def _note_editions(env: Any, report: Report) -> None:
    for setting, kind in (("refinery_solutions", "solutions"), ("refinery_instructor_notes", "instructor notes")):
        if getattr(env.config, setting, None) == "hidden":
            report.add("", None, f"edition without {kind} ({setting} = 'hidden')",
                       f"a copy without {kind}", "the export writes the edition this build publishes")


def _source(env: Any) -> str:
    context = env.config.html_context or {}
    user, repo = context.get("github_user"), context.get("github_repo")
    return f"https://github.com/{user}/{repo}" if user and repo else ""


def _schedule_page(data: dict[str, Any], table: str, plan: Plan, files: dict[str, str], report: Report) -> None:
    rows = data["schedule"]["rows"]
    clock = any(e.get("day") or e.get("start") for e in data["episodes"])
    if not clock or not table:
        return
    files["instructors/schedule.md"] = (
        front_matter({"title": "Schedule"})
        + "The schedule as the lesson planned it, with days and clock times.\n\n"
        + table + "\n"
    )
    plan.instructors.append("__schedule__")
    plan.pages["__schedule__"] = "instructors/schedule.md"
    report.add("", None, f"schedule with days and clock times ({len(rows)} rows)", "instructors/schedule.md",
               "the Workbench's schedule shows minutes only")


def _standard_pages(meta: Any, plan: Plan, files: dict[str, str], report: Report) -> None:
    if not any(plan.pages[d] == "learners/setup.md" for d in plan.learners):
        files["learners/setup.md"] = front_matter({"title": "Setup"}) + "The lesson's pages say what to set up.\n"
        report.add("", None, "no setup page", "learners/setup.md, short", "every Workbench lesson has one")
    if "instructors/instructor-notes.md" not in files:
        files["instructors/instructor-notes.md"] = (
            front_matter({"title": "Instructor notes"})
            + "The Workbench gathers the episodes' instructor notes on this page.\n"
        )
    files["LICENSE.md"] = front_matter({"title": "Licenses"}) + f"This lesson is licensed {meta.license or 'CC-BY 4.0'}.\n"
    files["CODE_OF_CONDUCT.md"] = (
        front_matter({"title": "Contributor Code of Conduct"})
        + "This lesson follows The Carpentries' Code of Conduct: "
        "<https://docs.carpentries.org/topic_folders/policies/code-of-conduct.html>.\n"
    )


def _write_whole(out: Path, files: dict[str, str], copies: dict[str, Path]) -> None:
    """Everything into a folder beside OUT, then renamed to OUT."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for rel, text in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        for rel, source in copies.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, path)
        check_out(out)
        if out.exists():
            out.rmdir()
        staging.rename(out)
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise ExportError(f"could not write {out}: {err}", status=1) from err
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
