from sphinx_refinery.compat import BoxDirective as Base


class Aliased(Base):
    cssname = "aliased"
