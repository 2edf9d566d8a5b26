"""Lesson metadata: one place for the facts lessons now copy by hand.

Read from conf.py (``project``, ``author``, ``refinery_metadata``) and from a
``CITATION.cff`` beside conf.py or one folder up, conf.py winning. Shown by the
``lesson-metadata`` directive and written into every HTML page's head as
schema.org ``LearningResource`` JSON-LD.
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, is_directive_registered

from ..locale import _
from ..util import bounded
from ..util.htmljson import script_element

logger = logging.getLogger(__name__)

#: The keys ``refinery_metadata`` accepts, and the type each takes.
FIELDS: dict[str, type | tuple[type, ...]] = {
    "authors": list,
    "license": str,
    "doi": str,
    "created": str,
    "keywords": list,
    "audience": str,
    "prerequisites": list,
    "description": str,
}


def check_metadata(value: Any) -> str | None:
    """Validation for ``refinery_metadata`` (see config.py)."""
    if not isinstance(value, dict):
        return "must be a dict"
    for key, item in value.items():
        if key not in FIELDS:
            return f"unknown key {key!r} (known: {', '.join(FIELDS)})"
        if not isinstance(item, FIELDS[key]):
            return f"{key!r} must be a {FIELDS[key].__name__}"
        if isinstance(item, list) and not all(isinstance(v, str) for v in item):
            return f"{key!r} must be a list of strings"
    return None


@dataclass
class LessonMetadata:
    title: str = ""
    authors: list[str] = field(default_factory=list)
    license: str = ""
    doi: str = ""
    created: str = ""
    keywords: list[str] = field(default_factory=list)
    audience: str = ""
    prerequisites: list[str] = field(default_factory=list)
    description: str = ""
    language: str = ""
    url: str = ""

    def json_ld(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "LearningResource",
            "name": self.title,
            "learningResourceType": "lesson",
        }
        if self.authors:
            data["author"] = [{"@type": "Person", "name": name} for name in self.authors]
        if self.description:
            data["description"] = self.description
        if self.license:
            data["license"] = self.license
        if self.doi:
            data["identifier"] = f"https://doi.org/{self.doi}"
        if self.created:
            data["dateCreated"] = self.created
        if self.keywords:
            data["keywords"] = self.keywords
        if self.audience:
            data["audience"] = {"@type": "EducationalAudience", "educationalRole": self.audience}
        if self.prerequisites:
            data["competencyRequired"] = self.prerequisites
        if self.language:
            data["inLanguage"] = self.language
        if self.url:
            data["url"] = self.url
        return data


def citation_file(srcdir: Path) -> Path | None:
    for folder in (srcdir, srcdir.parent):
        path = folder / "CITATION.cff"
        if path.is_file():
            return path
    return None


#: Sphinx's own values for a conf.py that sets none: never published as facts.
PLACEHOLDERS = {"project": "Project name not set", "author": "Author name not set"}

#: CITATION.cff keys read here, and the type each must have (CFF 1.2).
CFF_TYPES: dict[str, type | tuple[type, ...]] = {
    "title": str,
    "authors": list,
    "license": (str, list),
    "doi": str,
    "date-released": (str, date),
    "keywords": list,
    "abstract": str,
}


def _from_citation(path: Path, problems: list[tuple[int, str]] | None = None) -> dict[str, Any]:
    """What CITATION.cff says; values of the wrong type are left out, and said so
    in ``problems`` as (line, message), line 0 for the whole file."""
    import yaml  # a dependency of myst-parser

    try:
        text = bounded.read_text(path)
        data = copy.deepcopy(_parsed_yaml(text)) or {}  # (the checks below change it)
    except (OSError, bounded.InputError, yaml.YAMLError) as err:
        _problem(problems, 0, f"could not be read: {err}")
        return {}
    if not isinstance(data, dict):
        _problem(problems, 1, "is not a YAML mapping (key: value lines): not used")
        return {}
    for key, wanted in CFF_TYPES.items():
        value = data.get(key)
        if value is None or isinstance(value, wanted):
            continue
        if key == "keywords" and isinstance(value, str):
            # "keywords: git, python" is one string; CFF wants a list.
            data[key] = [k.strip() for k in value.split(",") if k.strip()]
            hint = "read as a comma-separated list; write it as [git, python]"
        else:
            data[key] = None
            hint = "left out"
        names = wanted if isinstance(wanted, tuple) else (wanted,)
        kinds = " or ".join(TYPE_NAMES.get(t, t.__name__) for t in names)
        _problem(problems, _line_of(text, key), f"{key} should be {kinds}, not {value!r}: {hint}")
    authors = []
    for person in data.get("authors") or []:
        if isinstance(person, dict):
            name = person.get("name") or " ".join(
                str(person[k]) for k in ("given-names", "family-names") if person.get(k)
            )
            if name:
                authors.append(str(name))
    licence = data.get("license")
    if isinstance(licence, list):  # CFF allows several
        licence = " OR ".join(str(item) for item in licence)
    found: dict[str, Any] = {
        "title": data.get("title"),
        "authors": authors,
        "license": licence,
        "doi": data.get("doi"),
        "created": str(data["date-released"]) if data.get("date-released") else None,
        "keywords": [str(k) for k in data.get("keywords") or []],
        "description": data.get("abstract"),
    }
    return {k: v for k, v in found.items() if v}


TYPE_NAMES = {str: "text", list: "a list", date: "a date"}


@functools.lru_cache(maxsize=4)
def _parsed_yaml(text: str) -> Any:
    """A build reads CITATION.cff three times (set-up, its check, lesson.json): parsed once."""
    return bounded.load_yaml(text, "CITATION.cff")


def _problem(problems: list[tuple[int, str]] | None, line: int, message: str) -> None:
    if problems is not None:
        problems.append((line, message))


def _line_of(text: str, key: str) -> int:
    match = re.search(rf"^{re.escape(key)}\s*:", text, flags=re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def lesson_metadata(config: Config, srcdir: Path, problems: list[tuple[int, str]] | None = None) -> LessonMetadata:
    """The lesson's facts; CITATION.cff's problems go to ``problems``."""
    values: dict[str, Any] = {}
    path = citation_file(srcdir)
    if path is not None:
        values.update(_from_citation(path, problems))
    if config.project and config.project != PLACEHOLDERS["project"]:
        values["title"] = config.project
    if config.author and config.author != PLACEHOLDERS["author"] and "authors" not in values:
        values["authors"] = [config.author]
    values.update(config.refinery_metadata or {})
    if config.language:
        values["language"] = config.language
    if config.html_baseurl:
        values["url"] = config.html_baseurl
    return LessonMetadata(**{k: v for k, v in values.items() if k in LessonMetadata.__dataclass_fields__})


def check_citation(app: Sphinx) -> None:
    """``builder-inited``: CITATION.cff's problems, once per build, at their lines."""
    path = citation_file(Path(app.srcdir))
    if path is None:
        return
    problems: list[tuple[int, str]] = []
    _from_citation(path, problems)
    for line, message in problems:
        location = f"{path}:{line}" if line else str(path)
        logger.warning(message, location=location, type="refinery", subtype="metadata")


class LessonMetadataDirective(SphinxDirective):
    """``lesson-metadata``: the lesson's facts as a field list."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        path = citation_file(Path(self.env.srcdir))
        if path is not None:
            self.env.note_dependency(str(path))
        meta = lesson_metadata(self.config, Path(self.env.srcdir))
        rows = [
            (_("Title"), meta.title),
            (_("Authors"), ", ".join(meta.authors)),
            (_("Licence"), meta.license),
            (_("DOI"), meta.doi),
            (_("Created"), meta.created),
            (_("Keywords"), ", ".join(meta.keywords)),
            (_("Audience"), meta.audience),
            (_("Prerequisites"), "; ".join(meta.prerequisites)),
        ]
        field_list = nodes.field_list(classes=["refinery-lesson-metadata"])
        for name, value in rows:
            if not value:
                continue
            body: nodes.Node = nodes.paragraph(value, value)
            if name == _("DOI"):
                url = f"https://doi.org/{value}"
                body = nodes.paragraph("", "", nodes.reference(value, value, refuri=url))
            # Already in the reader's language (our catalog): kept out of the lesson's .pot.
            field_name = nodes.field_name(str(name), str(name), translatable=False)
            field_list += nodes.field("", field_name, nodes.field_body("", body))
        return [field_list]


class JsonLd:
    """The lesson's JSON-LD, made once per build and added to every HTML page's head."""

    def __init__(self) -> None:
        self.tag = ""

    def builder_inited(self, app: Sphinx) -> None:
        if app.builder.format != "html":
            return
        meta = lesson_metadata(app.config, Path(app.srcdir))
        self.tag = script_element(meta.json_ld(), "application/ld+json") + "\n"

    def page_context(self, app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
        context["metatags"] = context.get("metatags", "") + self.tag


#: The directive's name. Several sphinx-lesson lessons ship their own under it.
DIRECTIVE = "lesson-metadata"


def add_directive(app: Sphinx, config: Config) -> None:
    """``config-inited``: the built-in directive, unless the lesson registered its own.

    By then conf.py's extensions and ``setup()`` have run, so a lesson's own
    ``lesson-metadata`` is kept, without Sphinx's "already registered" warning.
    """
    if not is_directive_registered(DIRECTIVE):
        app.add_directive(DIRECTIVE, LessonMetadataDirective)


def setup(app: Sphinx) -> None:
    app.connect("config-inited", add_directive)
    app.connect("builder-inited", check_citation)
    json_ld = JsonLd()
    app.connect("builder-inited", json_ld.builder_inited)
    app.connect("html-page-context", json_ld.page_context)
