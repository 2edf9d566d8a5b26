"""Stand-ins for sphinx-design's directives and roles when it is not set up in full.

The source scan (:mod:`.source_scan`) sets sphinx-design up in full for every file
below the source folder that uses it. Markup it cannot see (a file included from
outside the source folder, a directive that writes markup) meets these instead:
a located warning that says what to do, and the text shown plainly.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

logger = logging.getLogger(__name__)

MESSAGE = (
    "%r is sphinx-design markup, which sphinx-refinery sets up in full only when a file "
    "below the source folder uses it: list 'sphinx_design' in conf.py's extensions"
)


class _AnyOption(dict):
    """Takes every option, unchecked: the warning already says the markup is not understood."""

    def __contains__(self, name: object) -> bool:
        return True

    def __getitem__(self, name: str) -> Any:
        return directives.unchanged

    def get(self, name: str, default: Any = None) -> Any:
        return directives.unchanged


class StandInDirective(SphinxDirective):
    """Warns, then shows the argument and the content in a plain container."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = _AnyOption()

    def run(self) -> list[nodes.Node]:
        logger.warning(MESSAGE, self.name, location=self.get_location(), type="refinery", subtype="design")
        box = nodes.container(classes=["refinery-stand-in"])
        self.set_source_info(box)
        if self.arguments:
            title_nodes, messages = self.parse_inline(self.arguments[0])
            box += nodes.paragraph("", "", *title_nodes)
            box += messages
        box += self.parse_content_to_nodes()
        return [box]


class StandInRole(SphinxRole):
    """Warns, then shows the role's text."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        logger.warning(MESSAGE, self.name, location=self.get_location(), type="refinery", subtype="design")
        return [nodes.inline(self.rawtext, self.text)], []
