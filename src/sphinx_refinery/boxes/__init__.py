"""Lesson boxes: the directives, their titles, the records each page's boxes become, the
``refinery`` domain with numbers and labels, references, and editions that leave boxes out.

May import: model, util, locale, pages.
"""
