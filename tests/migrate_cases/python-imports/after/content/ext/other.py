import sphinx_lesson
from sphinx_lesson.directives import _BaseCRDirective, ExerciseDirective
import sphinx_lesson.directives

version = sphinx_lesson.__version__


class Mixed(sphinx_lesson.directives.ExerciseDirective):
    pass
