"""``refinery-settings``: the reference table of every config value, from its one declaration."""

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from sphinx_refinery.config import SETTINGS


class SettingsTable(SphinxDirective):
    def run(self):
        items = nodes.definition_list()
        for setting in SETTINGS:
            term = nodes.term()
            term += nodes.literal(setting.config_name, setting.config_name)
            definition = nodes.definition()
            text, _messages = self.state.inline_text(setting.doc, self.lineno)
            definition += nodes.paragraph("", "", *text)
            default = f"Default: {setting.default!r}. Changing it re-reads: {setting.rebuild}."
            definition += nodes.paragraph(default, default)
            items += nodes.definition_list_item("", term, definition)
        return [items]


def setup(app):
    app.add_directive("refinery-settings", SettingsTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
