"""A helper already migrated."""
from sphinx_refinery.compat import BoxDirective as _BaseCRDirective


class SignatureDirective(_BaseCRDirective):
    extra_classes = ["dropdown"]
