"""Requirement files: ``sphinx-lesson`` becomes ``sphinx-refinery``; what it replaces goes.

``requirements*.txt``, ``environment*.yml`` and ``pyproject.toml`` are rewritten;
workflows that install sphinx-lesson are only reported.
"""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path

from ..extensions.other_extensions import DROPPED_REQUIREMENTS
from .conf_file import REFINERY_EXTENSION
from .context import Context
from .edits import Edit, apply_edits
from .files import SourceFile

#: A conda package spec: an optional channel, the name, then a version or nothing.
_CONDA = re.compile(
    r"^(?:[\w.-]+::)?(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:[=<>!~ ].*)?$"
)


def split_comment(line: str) -> tuple[str, str]:
    """``(code, comment)`` of a requirements line; the comment keeps the space before it."""
    match = re.search(r"(^|\s)#", line)
    if not match:
        return line, ""
    code = line[: match.start()].rstrip()
    return code, line[len(code) :]


def _parsed(spec: str):  # -> packaging.requirements.Requirement | None
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return Requirement(spec)
    except InvalidRequirement:
        return None


def requirement_name(spec: str, conda: bool = False) -> str | None:
    """The normalised project name of a PEP 508 requirement (read by ``packaging``, as
    pip reads it), or with ``conda`` of a conda package spec; else None."""
    spec = spec.strip()  # options (-r), URLs and empty lines are neither
    if conda:
        match = _CONDA.match(spec)
        return normalise_name(match.group("name")) if match else None
    requirement = _parsed(spec)
    return normalise_name(requirement.name) if requirement else None


def requirement_marker(spec: str) -> str:
    """The environment marker of a requirement as written (``; python_version...``), or ""."""
    spec = spec.strip()
    requirement = _parsed(spec)
    if requirement is None or requirement.marker is None:
        return ""
    at = spec.rindex(";")  # a marker holds no semicolon
    return spec[len(spec[:at].rstrip()) :]


def mentions_lesson(text: str) -> bool:
    return (
        re.search(r"sphinx[-_.]lesson(?![-_.]?template)(?![\w-])", text, re.IGNORECASE) is not None
    )


def normalise_name(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def line_of(text: str, pattern: str) -> int | None:
    """The line number of the first match of ``pattern`` in ``text``."""
    match = re.search(pattern, text, re.MULTILINE | re.IGNORECASE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def is_requirements(path: Path) -> bool:
    """Whether migrate rewrites this file's requirements."""
    name = path.name.lower()
    if name == "pyproject.toml":
        return True
    if re.fullmatch(r"requirements.*\.txt", name):
        return True
    return re.fullmatch(r"environment.*\.ya?ml", name) is not None


def refinery_requirement(ctx: Context) -> str:
    return "sphinx-refinery[notebooks]" if ctx.notebooks else "sphinx-refinery"


def rewrite_requirements(source: SourceFile, ctx: Context) -> None:
    """A requirements file or conda environment (pyproject.toml: :func:`rewrite_pyproject`)."""
    path = source.path
    if path.name.lower() == "pyproject.toml":
        rewrite_pyproject(source, ctx)
        return
    is_yaml = path.suffix.lower() in (".yml", ".yaml")
    lines = source.text.split("\n")
    entries = []  # (index, prefix, spec, suffix, name, in_pip)
    pip_indent: int | None = None
    for index, line in enumerate(lines):
        if is_yaml:
            item = re.match(r"^(?P<prefix>[ \t]*-[ \t]+)(?P<rest>.*)$", line)
            indent = len(line) - len(line.lstrip())
            if (
                line.strip()
                and not line.lstrip().startswith("#")
                and pip_indent is not None
                and indent <= pip_indent
            ):
                pip_indent = None
            if not item:
                continue
            if re.fullmatch(r"pip[ \t]*:[ \t]*(#.*)?", item.group("rest").strip()):
                pip_indent = indent
                continue
            code, comment = split_comment(item.group("rest"))
            quote = re.fullmatch(r"(['\"])(.*)\1", code.strip())
            spec = quote.group(2) if quote else code
            name = requirement_name(spec, conda=pip_indent is None)
            entries.append(
                (
                    index,
                    item.group("prefix"),
                    code,
                    comment,
                    name,
                    pip_indent is not None,
                    quote,
                )
            )
        else:
            code, comment = split_comment(line)
            if not code.strip():
                continue
            name = requirement_name(code)
            prefix = re.match(r"[ \t]*", code).group(0)
            entries.append((index, prefix, code.strip(), comment, name, True, None))
    names = {entry[4] for entry in entries}
    missing = [r for r in ctx.needed if normalise_name(r) not in names]
    has_refinery = "sphinx-refinery" in names
    if "sphinx-lesson" not in names and not has_refinery:
        for index, _prefix, code, _comment, name, _pip, _quote in entries:
            if name is None and mentions_lesson(code):
                ctx.note(path, index + 1, "installs sphinx-lesson from a URL: left alone")
        return
    new_lines: dict[int, str | None] = {}
    for index, prefix, code, comment, name, in_pip, quote in entries:
        if name == "sphinx-lesson":
            if is_yaml and not in_pip:
                ctx.note(
                    path,
                    index + 1,
                    "sphinx-lesson as a conda package (sphinx-refinery is on PyPI): left alone",
                )
                continue
            if has_refinery:
                new_lines[index] = None
                source.changes.append(
                    f"line {index + 1}: dropped {code.strip()} (sphinx-refinery is listed)"
                )
                continue
            spec = quote.group(2) if quote else code
            new = refinery_requirement(ctx) + requirement_marker(spec)
            if quote:
                new = quote.group(1) + new + quote.group(1)
            added = [
                prefix + (quote.group(1) + r + quote.group(1) if quote else r) for r in missing
            ]
            new_lines[index] = "\n".join([prefix + new + comment, *added])
            has_refinery = True
            source.changes.append(f"line {index + 1}: {code.strip()} -> {new}")
            for requirement in missing:
                source.changes.append(
                    f"line {index + 1}: added {requirement} (conf.py uses it;"
                    " sphinx-lesson used to install it)"
                )
        elif name in DROPPED_REQUIREMENTS:
            new_lines[index] = None
            source.changes.append(f"line {index + 1}: dropped {code.strip()} (no longer needed)")
        elif name is None and mentions_lesson(code):
            ctx.note(path, index + 1, "installs sphinx-lesson from a URL: left alone")
    out = []
    for index, line in enumerate(lines):
        if index in new_lines:
            if new_lines[index] is not None:
                out.append(new_lines[index])
        else:
            out.append(line)
    source.text = "\n".join(out)


def rewrite_pyproject(source: SourceFile, ctx: Context) -> None:
    path = source.path
    try:
        data = tomllib.loads(source.text)
    except tomllib.TOMLDecodeError as err:
        if mentions_lesson(source.text):
            ctx.note(path, None, f"TOML that does not parse ({err}): left alone")
        return
    arrays: list[list] = []
    expected = copy.deepcopy(data)
    project = data.get("project", {})
    exp_project = expected.get("project", {})
    if isinstance(project.get("dependencies"), list):
        arrays.append((project["dependencies"], exp_project["dependencies"]))
    for table_name, exp_table in (
        (project.get("optional-dependencies"), exp_project.get("optional-dependencies")),
        (data.get("dependency-groups"), expected.get("dependency-groups")),
    ):
        if isinstance(table_name, dict):
            for key, value in table_name.items():
                if isinstance(value, list):
                    arrays.append((value, exp_table[key]))
    poetry = data.get("tool", {}).get("poetry", {})
    for group in [poetry.get("dependencies")] + [
        g.get("dependencies") for g in poetry.get("group", {}).values() if isinstance(g, dict)
    ]:
        if isinstance(group, dict) and any(normalise_name(k) == "sphinx-lesson" for k in group):
            line = line_of(source.text, r"^\s*[\"']?sphinx[-_.]lesson[\"']?\s*=")
            ctx.note(path, line, "a Poetry dependency on sphinx-lesson: left alone")
    text = source.text
    edits: list[Edit] = []
    changes: list[str] = []
    used: set[int] = set()
    for values, exp_values in arrays:
        names = [requirement_name(v) if isinstance(v, str) else None for v in values]
        if "sphinx-lesson" not in names and "sphinx-refinery" not in names:
            continue
        has_refinery = "sphinx-refinery" in names
        for value, name in zip(values, names, strict=True):
            if name == "sphinx-lesson":
                replacement = (
                    None if has_refinery else refinery_requirement(ctx) + requirement_marker(value)
                )
                has_refinery = True
            elif name in DROPPED_REQUIREMENTS:
                replacement = None
            else:
                continue
            found = toml_string(text, value, edits, replacement, used)
            if not found:
                line = line_of(text, re.escape(value))
                ctx.note(path, line, f"the dependency {value!r} could not be rewritten: left alone")
                continue
            exp_values.remove(value)
            if replacement is not None:
                exp_values.insert(values.index(value), replacement)
                changes.append(f"{value} -> {replacement}")
                for requirement in ctx.needed:
                    if normalise_name(requirement) not in names:
                        ctx.note(
                            path,
                            line_of(text, re.escape(value)),
                            f"conf.py uses {requirement}, which sphinx-lesson used to"
                            " install: add it to these dependencies",
                        )
            else:
                changes.append(f"dropped {value}")
    if not edits:
        return
    try:
        new_text = apply_edits(text, edits)
        ok = tomllib.loads(new_text) == expected
    except (ValueError, tomllib.TOMLDecodeError):
        ok = False
    if not ok:
        ctx.note(path, None, "its dependencies could not be rewritten safely: left alone")
        return
    source.text = new_text
    source.changes.extend(changes)


def toml_string(
    text: str, value: str, edits: list[Edit], replacement: str | None, used: set[int]
) -> bool:
    """Edits for one quoted ``value`` in a TOML array (``replacement`` None: remove it).

    The first occurrence not yet edited, in either quotes, that can be edited is: the
    same text elsewhere (a comment) is skipped when it cannot, and the caller compares
    the result with what it expects, so that a wrong one leaves the file alone."""
    for match in re.finditer(r"([\"'])" + re.escape(value) + r"\1", text):
        quote = match[1]
        if match.start() in used:
            continue
        if replacement is not None:
            used.add(match.start())
            edits.append(Edit(match.start(), match.end(), quote + replacement + quote))
            return True
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end < 0 else line_end + 1
        before = text[line_start : match.start()]
        after = text[match.end() : line_end]
        following = re.match(r"[ \t]*,[ \t]*", after)
        preceding = re.search(r",[ \t]*$", before)
        if not before.strip() and re.fullmatch(r"[ \t]*,?[ \t]*(#[^\n]*)?\n?", after):
            edit = Edit(line_start, line_end, "")  # the entry's own line
        elif following and after[following.end() :].strip() not in ("", "]"):
            edit = Edit(match.start(), match.end() + following.end(), "")  # with its comma
        elif preceding:
            edit = Edit(line_start + preceding.start(), match.end(), "")  # with the comma before
        else:
            continue
        used.add(match.start())
        edits.append(edit)
        return True
    return False


def check_requirements(ctx: Context, requirement_files: list[Path], confs: list[Path]) -> None:
    """A note when conf.py was migrated but no requirements file names sphinx-refinery."""
    migrated_conf = any(
        ctx.files.get(c) is not None and REFINERY_EXTENSION in ctx.files[c].text for c in confs
    )
    if not migrated_conf:
        return
    for path in requirement_files:
        source = ctx.files.get(path)
        if source and re.search(r"sphinx[-_.]refinery", source.text, re.IGNORECASE):
            return
    ctx.note(
        ctx.root,
        None,
        f"no requirements file lists sphinx-refinery: add {refinery_requirement(ctx)} to the"
        " lesson's dependencies yourself",
    )


def check_workflow(source: SourceFile, ctx: Context) -> None:
    """Notes for a CI workflow's installs of sphinx-lesson (workflows are not rewritten)."""
    path = source.path
    for index, line in enumerate(source.text.split("\n")):
        code, _ = split_comment(line)
        if re.search(r"\b(pip|conda|mamba|uv)\b.*\binstall\b", code) and mentions_lesson(code):
            ctx.note(path, index + 1, "a workflow installs sphinx-lesson: left alone")
