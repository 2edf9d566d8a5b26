"""``refinery-gallery``: every example in docs/gallery/, its MyST and rST source, rendered.

Each example is a pair of files, NAME.md and NAME.rst, listed with a heading in
gallery/examples.txt. The page shows both sources and what the MyST one renders
to; tests/test_gallery.py checks that the two sources render the same.
"""

from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

GALLERY = Path(__file__).resolve().parent.parent / "gallery"


def examples():
    """(name, heading) pairs, in the order of examples.txt."""
    for line in (GALLERY / "examples.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            name, heading = line.split("\t")
            yield name, heading


class Gallery(SphinxDirective):
    has_content = False

    def run(self):
        out = []
        for name, heading in examples():
            for suffix in (".md", ".rst"):
                self.env.note_dependency(str(GALLERY / f"{name}{suffix}"))
            markdown = (GALLERY / f"{name}.md").read_text(encoding="utf-8")
            text = (GALLERY / f"{name}.rst").read_text(encoding="utf-8")
            # The sources side by side in tabs, then the rendering, all as MyST.
            fence = "`" * 8
            lines = [
                f"```{{rubric}} {heading}",
                "```",
                "",
                f"{fence}{{tab-set}}",
                f"{fence[:-1]}{{tab-item}} MyST",
                f"{fence[:-2]}md",
                *markdown.splitlines(),
                fence[:-2],
                fence[:-1],
                f"{fence[:-1]}{{tab-item}} reStructuredText",
                f"{fence[:-2]}rst",
                *text.splitlines(),
                fence[:-2],
                fence[:-1],
                fence,
                "",
            ]
            container = nodes.container(classes=["refinery-gallery-example"], ids=[f"gallery-{name}"])
            self.state.nested_parse(StringList(lines, source=str(GALLERY / f"{name}.md")), 0, container)
            rendered = nodes.container(classes=["refinery-gallery-rendered"])
            self.state.nested_parse(
                StringList(markdown.splitlines(), source=str(GALLERY / f"{name}.md")), 0, rendered
            )
            # The reader came to see every kind: instructor notes show in the
            # learner view too, as on the instructor guide.
            for box in rendered.findall(nodes.admonition):
                if "instructor-note" in box["classes"]:
                    box["classes"].append("refinery-listed")
            container += rendered
            out.append(container)
        return out


def setup(app):
    app.add_directive("refinery-gallery", Gallery)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
