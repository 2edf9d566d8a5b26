"""sphinx-tabs syntax (tabs, tab, group-tab, code-tab), rendered as sphinx-design tab sets.

Lessons written for sphinx-tabs keep working without it::

    .. tabs::

       .. group-tab:: Command line

          ...

       .. code-tab:: py

          print("hello")

The directives build the very nodes sphinx-design's ``tab-set`` and ``tab-item``
build (a ``tab-set`` container of ``tab-item`` containers, each a
``sd-tab-label`` rubric followed by a ``tab-content`` container), so
sphinx-design renders them in every builder: its HTML post-transform turns
them into radio-button tabs, and other builders show each label as a rubric
over its content.

``group-tab`` and ``code-tab`` labels carry sphinx-design's sync keys (group
:data:`SYNC_GROUP`, the label as the id): choosing a tab selects the tabs with
the same label in every other tab set, and sphinx-design's ``design-tabs.js``
remembers the choice in the browser's local storage, so it holds on the
following pages too. Plain ``tab`` tabs are not synchronised.
"""

from __future__ import annotations

import functools
from typing import Any, ClassVar

from docutils import nodes
from pygments.lexers import get_all_lexers, get_lexer_by_name
from pygments.util import ClassNotFound
from sphinx.application import Sphinx
from sphinx.directives.code import CodeBlock
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx_design.shared import create_component, is_component

from ..locale import _

logger = logging.getLogger(__name__)

#: sphinx-design sync group of ``group-tab`` and ``code-tab`` labels; also the
#: URL query parameter that selects a tab (``page.html?tabs=Python``).
SYNC_GROUP = "tabs"

#: Directive names of the tabs that may sit in a ``tabs`` directive.
TAB_DIRECTIVES = ("tab", "group-tab", "code-tab")


def sync_id(label: str) -> str:
    """The sync key of a label: tabs with the same label (bar spacing) go together."""
    return " ".join(label.split())


def lexer_label(language: str) -> str:
    """What sphinx-tabs showed for ``code-tab:: LANGUAGE``: the Pygments lexer's name."""
    name = _builtin_lexer_names().get(language.lower())
    if name is not None:
        return name
    try:  # a lexer from a plugin: slower, as Pygments then scans the installed packages
        return get_lexer_by_name(language).name
    except ClassNotFound:
        return language


@functools.cache
def _builtin_lexer_names() -> dict[str, str]:
    """Alias -> name of Pygments' own lexers, read from its table without importing them."""
    return {alias: name for name, aliases, *_ in get_all_lexers(plugins=False) for alias in aliases}


def _warn(message: str, *args: Any, location: Any, subtype: str = "tabs") -> None:
    logger.warning(message, *args, location=location, type="refinery", subtype=subtype)


class TabsDirective(SphinxDirective):
    """``tabs``: a tab set holding ``tab``, ``group-tab`` and ``code-tab`` directives."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        here = (self.env.docname, self.lineno)
        if not self.content:
            _warn("'%s' directive without content: it needs tabs (%s)",
                  self.name, ", ".join(TAB_DIRECTIVES), location=here)
            return []
        tab_set = create_component("tab-set", classes=["sd-tab-set"])
        self.set_source_info(tab_set)
        self.state.nested_parse(self.content, self.content_offset, tab_set)

        targets: list[nodes.Node] = []
        items: list[nodes.Node] = []
        # Anything else goes after the tab set, so that no content gets lost.
        stray: list[nodes.Node] = []
        for child in tab_set.children:
            if is_component(child, "tab-item"):
                items.append(child)
            elif isinstance(child, nodes.target):
                targets.append(child)  # keep references to it working
            elif isinstance(child, nodes.system_message):
                stray.append(child)  # already reported
            elif isinstance(child, nodes.comment):
                continue
            else:
                # sphinx-tabs showed such content without a word, and real lessons
                # have it; the build stays quiet and shows it after the tab set.
                stray.append(child)
        if not items:
            _warn("'%s' directive holds no tab (%s)",
                  self.name, ", ".join(TAB_DIRECTIVES), location=here)
            return [*targets, *stray]
        tab_set.children = []
        tab_set.extend([*targets, *items])
        return [tab_set, *stray]


class TabDirective(SphinxDirective):
    """``tab LABEL``: one tab of a ``tabs`` set.

    As in sphinx-tabs, the directive takes no argument: the first content line
    is the label and the lines after it are the body, so a body may start on
    the very next line (``.. group-tab:: CUDA`` directly over a
    ``literalinclude``). MyST hands the text after the name over the same way.
    """

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {}
    #: Tabs of this kind with the same label are selected together.
    synchronised = False

    def label(self) -> str:
        return self.content[0].strip() if self.content else ""

    def body(self) -> tuple[Any, int]:
        """The body's lines and the offset of the first of them."""
        return self.content[1:], self.content_offset + 1

    def fill(self, content: nodes.Element) -> None:
        """Add the tab's content to the ``content`` node."""
        lines, offset = self.body()
        self.state.nested_parse(lines, offset, content)

    def run(self) -> list[nodes.Node]:
        here = (self.env.docname, self.lineno)
        label = self.label()
        if not label:
            _warn("'%s' directive without a label", self.name, location=here)
            label = str(_("Tab"))
        label_nodes, messages = self.state.inline_text(label, self.lineno)
        rubric = nodes.rubric(label, "", *label_nodes)
        self.set_source_info(rubric)  # else Sphinx logs a costly rendering of it at read time
        if not any(line.strip() for line in self.body()[0]):
            _warn("'%s' directive %r has no content", self.name, label, location=here)
        content = create_component("tab-content", classes=["sd-tab-content"], children=messages)
        self.fill(content)

        if not is_component(self.state_machine.node, "tab-set"):
            # Generic nodes, so that every builder shows the content.
            _warn("'%s' directive outside a 'tabs' directive; shown as a heading over its content",
                  self.name, location=here)
            return [rubric, *content.children]

        rubric["classes"].append("sd-tab-label")
        if self.synchronised:
            rubric["sync_group"] = SYNC_GROUP
            rubric["sync_id"] = sync_id(label)
        item = create_component("tab-item", classes=["sd-tab-item"], children=[rubric, content])
        self.set_source_info(item)
        return [item]


class GroupTabDirective(TabDirective):
    """``group-tab LABEL``: a tab selected together with the same label everywhere."""

    synchronised = True


class CodeTabDirective(TabDirective):
    """``code-tab LANGUAGE [LABEL]``: a synchronised tab holding a code block.

    Without a label the tab is named after the language, as sphinx-tabs did.
    Takes the options of ``code-block`` (``:linenos:``, ``:emphasize-lines:``, ...).
    """

    synchronised = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = dict(CodeBlock.option_spec)

    def body(self) -> tuple[Any, int]:
        return self.content, self.content_offset

    def language(self) -> str:
        return self.arguments[0].split(None, 1)[0] if self.arguments else ""

    def label(self) -> str:
        if not self.arguments:
            return ""
        language, *label = self.arguments[0].split(None, 1)
        return label[0].strip() if label else lexer_label(language)

    def run(self) -> list[nodes.Node]:
        if not self.arguments:
            _warn("'%s' directive without a language (e.g. '%s:: python')", self.name, self.name,
                  location=(self.env.docname, self.lineno))
        return super().run()

    def fill(self, content: nodes.Element) -> None:
        if not self.content:
            return
        language = self.language()
        code_block = CodeBlock(
            self.name,
            [language] if language else [],
            self.options,
            self.content,
            self.lineno,
            self.content_offset,
            self.block_text,
            self.state,
            self.state_machine,
        )
        content.extend(code_block.run())


#: sphinx-tabs, which lessons may still list (check: ``replaced-extension``).
SPHINX_TABS = "sphinx_tabs.tabs"


def _directives() -> dict[str, type]:
    return {
        "tabs": TabsDirective,
        "tab": TabDirective,
        "group-tab": GroupTabDirective,
        "code-tab": CodeTabDirective,
    }


def keep_tabs_from_sphinx_tabs(app: Sphinx, config: Any) -> None:
    """``config-inited``: with sphinx-tabs set up too, its directive names are ours again."""
    if SPHINX_TABS in app.extensions:
        for name, directive in _directives().items():
            app.add_directive(name, directive, override=True)


def setup(app: Sphinx) -> None:
    listed = list(app.config.extensions or ())
    # Listed after this extension, sphinx-tabs registers these names when it is set up,
    # which must find them free (or Sphinx warns); they become ours at config-inited.
    if not (SPHINX_TABS in listed and SPHINX_TABS not in app.extensions):
        for name, directive in _directives().items():
            app.add_directive(name, directive, override=True)
    app.connect("config-inited", keep_tabs_from_sphinx_tabs, priority=550)
