# -*- coding: utf-8 -*-
# Box kinds of this lesson.

from sphinx_refinery.compat import BoxDirective as _BaseCRDirective


class SignatureDirective(_BaseCRDirective):
    extra_classes = ["toggle-shown", "dropdown"]


class ParametersDirective(_BaseCRDirective):
    extra_classes = ["dropdown"]


DIRECTIVES = [SignatureDirective, ParametersDirective]
