"""Box kinds as the Workbench's div kinds (the classes sandpaper styles).

The rule for lesson boxes is the model's (:mod:`..model.workbench_forms`), which the
import reads back by, docutils' own admonitions included.
"""

from __future__ import annotations

from ..model.workbench_forms import (
    ADMONITION_TITLES,
    DIV_OF_ADMONITION,
    DIV_OF_KIND,
    NEAREST,
    div_of,
)

__all__ = ["ADMONITION_TITLES", "DIV_OF_ADMONITION", "DIV_OF_KIND", "NEAREST", "div_of"]
