"""Workshops: plans of several lessons over several days, reading a lesson wherever it is,
``lesson.json``, calendars, reports and the ``workshop-schedule`` directive.

May import: model, util, locale, pages, timing.
"""
