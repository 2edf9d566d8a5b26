"""The ``conf.py`` of an imported Workbench lesson, made from its ``config.yaml``."""

from __future__ import annotations

import re
from pathlib import Path

from ...model.workbench import WorkbenchLesson
from ...model.workbench_forms import CONFIG_KEY, refinery_settings

_GITHUB = re.compile(r"^https?://github\.com/(?P<user>[^/\s]+)/(?P<repo>[^/\s]+?)(?:\.git)?/?$")


#: conf.py's first line: a conf.py that starts with it is migrate's own.
CONF_HEAD = "# Sphinx configuration of the lesson, made by `sphinx-refinery migrate` from the"


def _s(value: object) -> str:
    """A Python literal of a string or a list of strings (double quotes, as Black writes)."""
    if isinstance(value, list):
        return "[" + ", ".join(_s(item) for item in value) + "]"
    text = repr(str(value))
    if text.startswith("'") and '"' not in text:
        text = '"' + text[1:-1].replace("\\'", "'") + '"'
    return text


def repository_files_url(lesson: WorkbenchLesson) -> str:
    """The web address of the lesson's files on its default branch ("" when not on GitHub)."""
    match = _GITHUB.match(lesson.text("source"))
    if match is None:
        return ""
    branch = lesson.text("branch") or "main"
    return f"https://github.com/{match['user']}/{match['repo']}/blob/{branch}"


def conf_text(lesson: WorkbenchLesson, pages: list[str], episodes: list[str]) -> str:
    """conf.py's text: ``pages`` are the built sources (paths), ``episodes`` their docnames."""
    title = lesson.text("title") or lesson.root.name
    lines = [
        CONF_HEAD,
        "# Carpentries Workbench's config.yaml (which stays, for the Workbench). Build it with",
        "#   python -m sphinx -b html . _build/html",
        "",
        f"project = {_s(title)}",
    ]
    if lesson.text("lang"):
        lines.append(f"language = {_s(lesson.text('lang'))}")
    lines += [
        "",
        "# sphinx-refinery sets up MyST, sphinx-design and sphinx-copybutton too.",
        'extensions = ["sphinx_refinery"]',
        "",
        "# The Workbench's Markdown is pandoc's: definition lists, [spans]{#id} and",
        "# attributes after images, $math$ (with pandoc's rules for a $), ~~struck~~ text,",
        "# task lists, a page's title in its front matter, pandoc's heading ids.",
        "myst_enable_extensions = [",
        '    "colon_fence", "deflist", "attrs_inline", "dollarmath", "strikethrough", "tasklist",',
        "]",
        "myst_dmath_allow_space = False",
        "myst_dmath_allow_digits = False",
        "myst_title_to_header = True",
        "myst_heading_anchors = 6",
        'myst_heading_slug_func = "sphinx_refinery.compat.pandoc_heading_id"',
        "# The Workbench does not mind a heading level skipped, nor code its highlighter",
        "# cannot read (Sphinx shows it as it is after the warning); MyST warns of ~~struck~~",
        "# text even in HTML, where it works.",
        'suppress_warnings = ["myst.header", "misc.highlighting_failure", "myst.strikethrough"]',
        "",
        *(
            [
                "# R Markdown pages are read as Markdown: chunks are code, not run.",
                'source_suffix = {".md": "markdown", ".Rmd": "markdown"}',
                "",
            ]
            if any(p.endswith(".Rmd") for p in pages)
            else []
        ),
        "# ... and `sphinx-refinery check` need not say so either.",
        'refinery_check_ignore = ["heading-skip"]',
        "",
        "# The pages config.yaml lists (and those the Workbench always builds); the",
        "# repository's other files (README, CONTRIBUTING, LICENSE, site/ ...) stay out.",
        "include_patterns = [",
        *[f"    {_s(page)}," for page in pages],
        "]",
        'exclude_patterns = ["_build", "site", "jupyter_execute"]',
        "",
        "# The episodes, in order (config.yaml's episodes): the schedule, timing and",
        "# lesson.json use this list.",
        "refinery_episodes = [",
        *[f"    {_s(name)}," for name in episodes],
        "]",
    ]
    metadata = {}
    for key in ("license", "created"):
        if lesson.text(key):
            metadata[key] = lesson.text(key)
    keywords = [k.strip() for k in lesson.text("keywords").split(",") if k.strip()]
    if keywords:
        metadata["keywords"] = keywords
    if metadata:
        lines += ["", "refinery_metadata = {"]
        lines += [f"    {_s(k)}: {_s(v)}," for k, v in metadata.items()]
        lines.append("}")
    settings, _problems = refinery_settings(lesson.config)
    if settings:
        lines += ["", f"# The lesson's settings that config.yaml's {CONFIG_KEY!r} key keeps (an export writes it)."]
        lines += [f"refinery_{name} = {value!r}" for name, value in settings.items()]
    lines += ["", "html_title = project"]
    if lesson.text("url"):
        lines.append(f"html_baseurl = {_s(lesson.text('url').rstrip('/') + '/')}")
    match = _GITHUB.match(lesson.text("source"))
    if match:
        lines += [
            "# Where the pages' sources are, for the themes' edit links.",
            "html_context = {",
            f'    "github_user": {_s(match["user"])},',
            f'    "github_repo": {_s(match["repo"])},',
            f'    "github_version": {_s(lesson.text("branch") or "main")},',
            '    "conf_py_path": "/",',
            "}",
        ]
    return "\n".join(lines) + "\n"


def page_patterns(lesson: WorkbenchLesson, index: Path) -> list[str]:
    rels = [index.relative_to(lesson.root).as_posix()]
    rels += [p.relative_to(lesson.root).as_posix() for p in lesson.all_pages()]
    return list(dict.fromkeys(rels))
