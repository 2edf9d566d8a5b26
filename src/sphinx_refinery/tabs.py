"""sphinx-tabs syntax (tabs, tab, group-tab, code-tab), rendered as sphinx-design tab sets."""

from __future__ import annotations

from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    pass
