"""A helper of the lesson: box kinds of its own."""
from sphinx_lesson.directives import _BaseCRDirective


class SignatureDirective(_BaseCRDirective):
    extra_classes = ["dropdown"]
