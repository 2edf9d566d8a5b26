import sphinx_refinery.compat as sld


class ByAlias(sld.BoxDirective):
    pass
