from sphinx_lesson import directives


class FromPackage(directives._BaseCRDirective):
    pass
