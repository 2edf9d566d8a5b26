"""Every ``refinery_*`` setting, declared once, with its validation.

A setting that fails validation is reported as a typed Sphinx warning
(``refinery.config``) and replaced by its default, so a typo in conf.py never
ends a build with a traceback. A setting made of entries (``refinery_box_kinds``)
is validated entry by entry, once per build: a bad entry is reported and left
out, the others are kept, each as its typed value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Setting:
    """One config value: ``refinery_<name>``."""

    name: str
    default: Any
    doc: str
    choices: tuple[Any, ...] | None = None
    #: Extra check returning an error message, or None when the value is fine.
    check: Callable[[Any], str | None] | None = None
    #: What a change invalidates: "env" re-reads every page, "html" only rewrites.
    rebuild: str = "env"
    #: For a dict of entries: the typed value of one entry (name, options), raising
    #: TypeError or ValueError for a bad one. The setting then holds the typed values.
    entry: Callable[[str, Any], Any] | None = None

    @property
    def types(self) -> tuple[type, ...]:
        values = self.choices if self.choices is not None else (self.default,)
        return tuple(dict.fromkeys(type(v) for v in values))

    @property
    def config_name(self) -> str:
        return f"refinery_{self.name}"

    def problem(self, value: Any) -> str | None:
        if self.choices is not None and value not in self.choices:
            options = ", ".join(repr(c) for c in self.choices)
            return f"{value!r} is not one of {options}"
        if self.check is not None:
            return self.check(value)
        return None


def _box_kind(name: str, options: Any) -> Any:
    from .boxes.directives import BoxKind  # late: boxes imports this module

    if isinstance(options, BoxKind):  # validated already (a config pickled by Sphinx)
        return options
    if not isinstance(name, str) or not name:
        raise TypeError("a kind's name must be a non-empty string")
    return BoxKind.from_config(name, options)


def _check_metadata(value: Any) -> str | None:
    from .pages.metadata import check_metadata

    return check_metadata(value)


def _check_timezone(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a time zone name, like 'Europe/Helsinki'"
    if not value:
        return None
    from .workshops.ics import CalendarError, zone

    try:
        zone(value)
    except CalendarError as err:
        return str(err)
    return None


def _check_episodes(value: Any) -> str | None:
    if not isinstance(value, list | tuple) or not all(
        isinstance(v, str) and v.strip() for v in value
    ):
        return 'must be a list of pages, like ["episodes/intro", "episodes/loops"]'
    return None


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "box_kinds",
        {},
        "Extra lesson box kinds: ``{name: {title, collapsible, timed, aliases, icon}}``.",
        entry=_box_kind,
    ),
    Setting(
        "number_exercises",
        False,
        'Number exercises: ``False``, ``"episode"`` ("Exercise 3.2") or ``"lesson"``'
        ' ("Exercise 7"). ``True`` means ``"episode"``.',
        choices=(False, True, "episode", "lesson"),
    ),
    Setting(
        "solutions",
        "collapsed",
        'How solutions show: ``"collapsed"``, ``"open"`` or ``"hidden"`` (left out).',
        choices=("collapsed", "open", "hidden"),
    ),
    Setting(
        "instructor_notes",
        "toggle",
        'Instructor notes: ``"toggle"`` (a control switches between the learner and the '
        'instructor view), ``"shown"`` (always shown, no control) or ``"hidden"`` (left out '
        "of the build: a learners' edition).",
        choices=("toggle", "shown", "hidden"),
    ),
    Setting(
        "default_view",
        "learner",
        'The view a reader first sees with ``refinery_instructor_notes = "toggle"``: '
        '``"learner"`` or ``"instructor"``. Readers switch with the control, or with '
        "``?view=instructor`` in the address.",
        choices=("learner", "instructor"),
        rebuild="html",
    ),
    Setting(
        "show_timing",
        "all",
        'The timing badge at the top of each episode: ``"all"`` (everyone sees it), '
        '``"instructor"`` (only in the instructor view) or ``"none"``.',
        choices=("all", "instructor", "none"),
    ),
    Setting(
        "metadata",
        {},
        "Lesson facts beyond ``project`` and ``author``: ``authors``, ``license``, ``doi``, "
        "``created``, ``keywords``, ``audience``, ``prerequisites``, ``description``. "
        "CITATION.cff fills in what is not given here.",
        check=_check_metadata,
    ),
    Setting(
        "episodes",
        [],
        "The lesson's episodes, in order (docnames, like ``episodes/intro``). The schedule, "
        "``lesson.json``, the timing badges, exercise numbers and ``check`` use it. Empty "
        "(the default): a page with objectives, an exercise or key points is an episode.",
        check=_check_episodes,
    ),
    Setting(
        "timezone",
        "",
        "The time zone of the schedule's times of day, an IANA name like "
        '``"Europe/Helsinki"`` or ``"UTC"``: ``sphinx-refinery schedule --format ics`` '
        "uses it when no ``--timezone`` is given.",
        check=_check_timezone,
        rebuild="",
    ),
)

BY_NAME = {s.config_name: s for s in SETTINGS}


def add_settings(app: Sphinx) -> None:
    for setting in SETTINGS:
        app.add_config_value(
            setting.config_name, setting.default, setting.rebuild, types=setting.types
        )


def validate(app: Sphinx, config: Config) -> None:
    """``config-inited``: reset bad values to their defaults, and leave bad entries
    out, each with a warning."""
    for setting in SETTINGS:
        value = config[setting.config_name]
        problem = setting.problem(value)
        if problem is None and setting.entry is not None:
            if isinstance(value, dict):
                config[setting.config_name] = _valid_entries(app, setting, value)
                continue
            problem = "must be a dict mapping a name to its options"
        if problem:
            _warn(app, setting, f"{problem}; using the default {setting.default!r}")
            config[setting.config_name] = setting.default


def _valid_entries(app: Sphinx, setting: Setting, value: dict) -> dict[str, Any]:
    """Each entry as its typed value; one that fails is reported and left out alone."""
    assert setting.entry is not None
    valid: dict[str, Any] = {}
    for name, options in value.items():
        try:
            valid[name] = setting.entry(name, options)
        except (TypeError, ValueError) as err:
            _warn(app, setting, f"kind {name!r}: {err}; left out (the others are kept)")
    return valid


def _warn(app: Sphinx, setting: Setting, message: str) -> None:
    logger.warning(
        "%s: %s",
        setting.config_name,
        message,
        type="refinery",
        subtype="config",
        location=conf_location(app, setting.config_name),
    )


def check_episodes(app: Sphinx, env: Any) -> None:
    """``env-check-consistency``: ``refinery_episodes`` entries that name no page."""
    from .model import lesson_rules

    for entry in lesson_rules.missing_episodes(app.config.refinery_episodes, env.found_docs):
        logger.warning(
            "refinery_episodes names %r, which is not a page of the lesson",
            entry,
            location=conf_location(app, "refinery_episodes"),
            type="refinery",
            subtype="config",
        )


def conf_location(app: Sphinx, name: str) -> str | None:
    """Where conf.py sets ``name`` ("path:line"), for its warning; None without a conf.py."""
    path = Path(app.confdir) / "conf.py"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    line = next((n for n, text in enumerate(lines, 1) if text.startswith(name)), 1)
    return f"{path}:{line}"
