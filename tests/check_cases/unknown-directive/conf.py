extensions = ["sphinx_refinery"]
refinery_box_kinds = {"signature": {"title": "Signature"}}


def setup(app):
    from docutils.parsers.rst.directives.admonitions import Note

    app.add_directive("lesson-note", Note)
