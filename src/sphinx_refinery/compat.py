"""What lessons written for sphinx-lesson rely on, kept working.

sphinx-lesson lessons declare their own box kinds by subclassing its private
``_BaseCRDirective``::

    class SignatureDirective(_BaseCRDirective):
        extra_classes = ["toggle-shown", "dropdown"]

    app.add_directive(SignatureDirective.get_cssname(), SignatureDirective)

:class:`BoxDirective` accepts the same class attributes, so ``sphinx-refinery
migrate`` only has to change the import. New lessons use ``refinery_box_kinds``.
"""

from __future__ import annotations

from typing import ClassVar

from .boxes import BoxKind, LessonBox


class BoxDirective(LessonBox):
    """A box kind declared the sphinx-lesson way, by subclassing."""

    #: CSS class and directive name; default: the class name less "Directive", lower-cased.
    cssname: ClassVar[str | None] = None
    #: Default title; default: the name with its first letter upper-cased.
    title_text: ClassVar[str | None] = None
    extra_classes: ClassVar[list[str]] = []

    @classmethod
    def get_cssname(cls) -> str:
        return cls.cssname or cls.__name__.removesuffix("Directive").lower()

    @classmethod
    def box_kind(cls) -> BoxKind:
        name = cls.get_cssname()
        return BoxKind(
            name=name,
            title=cls.title_text or name.title(),
            extra_classes=tuple(cls.extra_classes),
        )
