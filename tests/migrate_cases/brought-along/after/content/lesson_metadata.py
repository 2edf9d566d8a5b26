"""The lesson's own metadata table."""

from docutils import nodes
from docutils.parsers.rst import Directive


class LessonMetadataDirective(Directive):
    def run(self):
        return [nodes.paragraph("", "metadata")]


def setup(app):
    app.add_directive("lesson-metadata", LessonMetadataDirective)
