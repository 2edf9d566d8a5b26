from sphinx_refinery import compat as directives


class FromPackage(directives.BoxDirective):
    pass
