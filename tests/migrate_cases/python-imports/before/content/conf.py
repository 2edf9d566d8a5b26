import sys, os
sys.path.insert(0, os.path.abspath("."))

extensions = ["sphinx_lesson"]

from custom import DIRECTIVES


def setup(app):
    for obj in DIRECTIVES:
        app.add_directive(obj.get_cssname(), obj)
