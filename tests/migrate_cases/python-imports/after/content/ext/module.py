import sphinx_refinery.compat


class ByModule(sphinx_refinery.compat.BoxDirective):
    title_text = "By module"
