"""The rules: what each one catches, and the checks that find it in a lesson's facts.

Each check is registered with :func:`~.registry.check`, which declares the rules it
reports next to it; :data:`RULES` and :data:`BY_ID` are views of those declarations.
Every rule has an id (what ``--select``, ``--ignore``, ``refinery_check_ignore``
and suppression comments name), a level and a one-line fix. The checks read
only :class:`~sphinx_refinery.check.model.Page` facts, so they work the same on
MyST and rST and on the command line and in a build.
"""

from __future__ import annotations

from .registry import BY_ID, CHECKS, Rule, check, run

# isort: off
# The checks register as their modules are imported: this order is RULES' order
# (the ``--list-rules`` order, which docs/checker.md follows).
from . import directives  # noqa: F401
from . import boxes  # noqa: F401
from . import links  # noqa: F401
from . import headings  # noqa: F401
from . import timing  # noqa: F401
from . import extensions  # noqa: F401

# isort: on
from .timing import episodes, toctree_order

#: Every rule, in the order the checks declare them.
RULES: tuple[Rule, ...] = tuple(BY_ID.values())

__all__ = ["BY_ID", "CHECKS", "RULES", "Rule", "check", "episodes", "run", "toctree_order"]
