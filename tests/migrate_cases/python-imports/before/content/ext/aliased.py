from sphinx_lesson.directives import (
    _BaseCRDirective as Base,
)


class Aliased(Base):
    cssname = "aliased"
