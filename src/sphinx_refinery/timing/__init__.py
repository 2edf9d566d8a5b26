"""Timing: each page's minutes read into the environment, the badge under an episode's
title, and the ``schedule`` directive.

May import: model, util, locale, pages.
"""
