"""The checker's rules during ``sphinx-build``, as typed warnings (``refinery.<rule>``).

Opt-in: ``refinery_check_rules`` is empty by default, so a lesson builds exactly
as before until it asks for rules. The rules run once per build, after
reading (``env-check-consistency``, which Sphinx emits whenever a page was
read), over the whole lesson, with the application's own configuration and
directive registry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

RULES_SETTING = "refinery_check_rules"
#: Rules the build already reports on its own, with the same ids and from the same
#: rules (lesson_rules: episodes, timing): not twice.
REPORTED_BY_THE_BUILD = frozenset(
    {
        "duplicate-label",
        "timing-missing",
        "timing-budget",
        "timing-value",
        "schedule-page",
        "solution-without-exercise",
        "replaced-extension",
    }
)
IGNORE_SETTING = "refinery_check_ignore"
SETTINGS = (RULES_SETTING, IGNORE_SETTING)


def validate(app: Sphinx, config: Config) -> None:
    """``config-inited``: a bad value is reported (``refinery.config``) and reset to []."""
    if not any(config[name] for name in SETTINGS):
        return  # the default: ordinary builds never load the checker's rules
    from .selection import expand, selector_list

    for name in SETTINGS:
        value = config[name]
        selectors = selector_list(value)
        if selectors is None:
            problem = f'{value!r} is not a list of rule ids (or "all")'
        else:
            unknown = expand(selectors)[1]
            problem = f"unknown rule id(s) {', '.join(map(repr, unknown))}" if unknown else None
        if problem:
            logger.warning(
                "%s: %s; using the default []",
                name,
                problem,
                type="refinery",
                subtype="config",
            )
            config[name] = []


def enabled_rules(config: Config) -> set[str]:
    from .selection import expand, selector_list

    wanted = expand(selector_list(config[RULES_SETTING]) or [])[0]
    ignored = expand(selector_list(config[IGNORE_SETTING]) or [])[0]
    return wanted - ignored


def check_lesson(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: run the enabled rules, warn once per finding."""
    if not app.config[RULES_SETTING]:
        return  # the default: no rules, and no import of them
    enabled = enabled_rules(app.config) - REPORTED_BY_THE_BUILD
    if not enabled:
        return
    from . import known, rules
    from .lesson import load, settings_from_app

    settings = settings_from_app(app, known.from_app(app))
    docs = {docname: Path(env.doc2path(docname)) for docname in env.found_docs}
    lesson = load(settings, docs)
    docname_of = {page.path: docname for docname, page in lesson.pages.items()}
    for finding in rules.run(lesson, enabled):
        docname = docname_of.get(finding.path)
        location: Any = (docname, finding.line) if docname else f"{finding.path}:{finding.line}"
        logger.warning(finding.message, location=location, type="refinery", subtype=finding.rule)


def report_replaced(app: Sphinx, config: Config) -> None:
    """``config-inited``: what conf.py lists of what sphinx-refinery replaces (the
    ``replaced-extension`` rule, whatever ``refinery_check_rules`` says)."""
    from .legacy import conf_replaced

    conf = Path(app.confdir) / "conf.py"
    for line, _col, message in conf_replaced(conf):
        logger.warning(message, location=f"{conf}:{line}", type="refinery", subtype="replaced-extension")


def setup(app: Sphinx) -> None:
    app.connect("config-inited", report_replaced, priority=400)
    # Never a reason to re-read pages: the rules run over the sources at every build.
    app.add_config_value(RULES_SETTING, [], "", types=frozenset({list, tuple, str}))
    app.add_config_value(IGNORE_SETTING, [], "", types=frozenset({list, tuple, str}))
    app.connect("config-inited", validate, priority=400)
    app.connect("env-check-consistency", check_lesson)
