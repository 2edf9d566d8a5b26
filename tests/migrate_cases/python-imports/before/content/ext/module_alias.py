import sphinx_lesson.directives as sld


class ByAlias(sld._BaseCRDirective):
    pass
