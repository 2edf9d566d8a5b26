"""Box kinds as the Workbench's div kinds (the classes sandpaper styles).

The rule for lesson boxes is the model's (:mod:`..model.workbench_forms`), which the
import reads back by; docutils' own admonitions, which no import turns back, are here.
"""

from __future__ import annotations

from ..model.workbench_forms import DIV_OF_KIND, NEAREST, div_of

__all__ = ["ADMONITIONS", "ADMONITION_TITLES", "DIV_OF_KIND", "NEAREST", "div_of"]

#: docutils' own admonitions (note, warning, ...) -> the Workbench div.
ADMONITIONS = {
    "note": "callout",
    "tip": "callout",
    "important": "callout",
    "seealso": "callout",
    "attention": "caution",
    "caution": "caution",
    "warning": "caution",
    "danger": "caution",
    "error": "caution",
    "hint": "hint",
}

#: docutils' admonitions' titles, as the HTML build shows them.
ADMONITION_TITLES = {
    "note": "Note",
    "tip": "Tip",
    "important": "Important",
    "seealso": "See also",
    "attention": "Attention",
    "caution": "Caution",
    "warning": "Warning",
    "danger": "Danger",
    "error": "Error",
    "hint": "Hint",
}
