"""Which rules run: ``--select``/``--ignore``, conf.py and pyproject.toml settings.

A selector is a rule id, a level ("error", "warning", "info": every rule of
that level) or "all".
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .lesson import Settings
from .model import LEVELS
from .rules import BY_ID, RULES

PYPROJECT_SECTION = ("tool", "sphinx-refinery", "check")
PYPROJECT_KEYS = ("select", "ignore")


def expand(selectors: Iterable[str]) -> tuple[set[str], list[str]]:
    """The rule ids the selectors name, and the selectors that name nothing."""
    ids: set[str] = set()
    unknown: list[str] = []
    for selector in selectors:
        selector = selector.strip()
        if not selector:
            continue
        if selector == "all":
            ids.update(BY_ID)
        elif selector in LEVELS:
            ids.update(rule.id for rule in RULES if rule.level == selector)
        elif selector in BY_ID:
            ids.add(selector)
        else:
            unknown.append(selector)
    return ids, unknown


def split_option(values: Iterable[str] | None) -> list[str]:
    """``--select a,b --select c`` -> ["a", "b", "c"]."""
    return [part for value in values or () for part in re.split(r"[\s,]+", value) if part]


def selector_list(value: Any) -> list[str] | None:
    """A setting's value as a list of selectors; None when it is not a string or list of them.

    A string may hold several, comma-separated (as ``-D refinery_check_rules=a,b`` gives).
    """
    if isinstance(value, str):
        return split_option([value])
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def read_pyproject(path: Path) -> tuple[dict[str, Any], str | None]:
    """The ``[tool.sphinx-refinery.check]`` table, and the error when the file does not parse."""
    try:
        data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        return {}, f"pyproject.toml could not be read: {err}"
    for key in PYPROJECT_SECTION:
        data = data.get(key, {}) if isinstance(data, dict) else {}
    if not isinstance(data, dict):
        return {}, "[tool.sphinx-refinery.check] must be a table"
    return data, None


def line_of(path: Path, name: str) -> int:
    """The line that sets ``name`` in a config file (1 when it cannot be told)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 1
    match = re.search(rf"^[ \t]*{re.escape(name)}[ \t]*[=:]", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def enabled_rules(
    settings: Settings, start: Path, cli_select: set[str] | None, cli_ignore: set[str]
) -> set[str]:
    """All rules, or the selected ones; less those conf.py, pyproject.toml and --ignore leave out.

    ``--select`` wins over pyproject.toml's ``select``; the ignores add up. Bad settings
    become ``config`` findings (in ``settings.problems``).
    """
    enabled = set(BY_ID)
    ignored = set(cli_ignore)
    conf = settings.conf_path
    if conf is not None and settings.ignore:
        ignored |= _read_selectors(settings, conf, "refinery_check_ignore", settings.ignore)
    pyproject = find_pyproject(start)
    if pyproject is not None:
        section, error = read_pyproject(pyproject)
        if error:
            settings.problems.append((pyproject, 1, error))
        for key in sorted(set(section) - set(PYPROJECT_KEYS)):
            message = (
                f"unknown setting {key!r} in [tool.sphinx-refinery.check] (known: select, ignore)"
            )
            settings.problems.append((pyproject, line_of(pyproject, key), message))
        if "select" in section:
            enabled = _read_selectors(settings, pyproject, "select", section["select"])
        if "ignore" in section:
            ignored |= _read_selectors(settings, pyproject, "ignore", section["ignore"])
    if cli_select is not None:
        enabled = set(cli_select)
    return enabled - ignored


def _read_selectors(settings: Settings, path: Path, name: str, value: Any) -> set[str]:
    """The rule ids a setting names; what is wrong with it goes to ``settings.problems``."""
    selectors = selector_list(value)
    if selectors is None:
        settings.problems.append((path, line_of(path, name), f"{name} must be a list of rule ids"))
        return set()
    ids, unknown = expand(selectors)
    if unknown:
        message = (
            f"{name} names unknown rule id(s) {', '.join(map(repr, unknown))}: "
            "see `sphinx-refinery check --list-rules`"
        )
        settings.problems.append((path, line_of(path, name), message))
    return ids
