"""What lessons written for sphinx-lesson rely on, kept working.

sphinx-lesson lessons declare their own box kinds by subclassing its private
``_BaseCRDirective``::

    class SignatureDirective(_BaseCRDirective):
        extra_classes = ["toggle-shown", "dropdown"]

    app.add_directive(SignatureDirective.get_cssname(), SignatureDirective)

:class:`BoxDirective` accepts the same class attributes and both naming
methods (``get_cssname()`` and the older ``cssname()``), so ``sphinx-refinery
migrate`` only has to change the import. New lessons use ``refinery_box_kinds``.
"""

from __future__ import annotations

from typing import ClassVar

from .boxes.directives import BoxKind, LessonBox

# Lessons imported from the Carpentries' Workbench name it in conf.py
# (``myst_heading_slug_func``), so heading anchors are pandoc's; here it stays put.
from .model.lesson_rules import pandoc_heading_id as pandoc_heading_id


class BoxDirective(LessonBox):
    """A box kind declared the sphinx-lesson way, by subclassing."""

    #: Default title; default: the name with its first letter upper-cased.
    title_text: ClassVar[str | None] = None
    extra_classes: ClassVar[list[str]] = []

    @classmethod
    def get_cssname(cls) -> str:
        """CSS class and directive name.

        A subclass may set ``cssname = "name"``; otherwise sphinx-lesson's rule
        applies: the class name up to ``Directive``, lower-cased, ``_`` as ``-``
        (``Hands_OnDirective`` is ``hands-on``).
        """
        override = getattr(cls, "cssname", None)
        if isinstance(override, str) and override:
            return override
        return cls.__name__.split("Directive")[0].lower().replace("_", "-")

    @classmethod
    def cssname(cls) -> str:  # type: ignore[override]  # a string in subclasses that set one
        """sphinx-lesson's older spelling of :meth:`get_cssname`, still used by lessons."""
        return cls.get_cssname()

    @classmethod
    def box_kind(cls) -> BoxKind:
        name = cls.get_cssname()
        return BoxKind(
            name=name,
            title=cls.title_text or name.title(),
            extra_classes=tuple(cls.extra_classes),
        )
