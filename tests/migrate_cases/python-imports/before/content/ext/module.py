import sphinx_lesson.directives


class ByModule(sphinx_lesson.directives._BaseCRDirective):
    title_text = "By module"
