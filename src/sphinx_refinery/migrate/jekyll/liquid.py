"""Liquid in a Jekyll lesson's pages, rendered with a real engine (python-liquid).

Variables come from ``_config.yml`` (``site``) and the page (``page``, with
``page.root`` the way back to the lesson's root); ``{% include %}`` reads the
lesson's own ``_includes``. A tag or variable the engine cannot render is
listed, and the page keeps its Liquid.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

#: Jekyll's ``{% include file.md %}`` names the file bare; Liquid wants a string.
_JEKYLL_INCLUDE = re.compile(r"\{%-?\s*include\s+(?P<name>[\w./-]+)")
LIQUID = re.compile(r"\{\{|\{%")


class LiquidUnavailable(Exception):
    """python-liquid is not installed."""


def render(text: str, root: Path, site: dict[str, Any], page: dict[str, Any]) -> tuple[str, str | None]:
    """(the rendered text, None) or (``text``, why it could not be rendered)."""
    if not LIQUID.search(text):
        return text, None
    try:
        from liquid import CachingFileSystemLoader, Environment, FalsyStrictUndefined
    except ImportError:
        raise LiquidUnavailable(
            "Liquid is not rendered without python-liquid: "
            "install sphinx-refinery[carpentries]"
        ) from None
    env = Environment(
        loader=CachingFileSystemLoader(str(root / "_includes")), undefined=FalsyStrictUndefined
    )
    source = _JEKYLL_INCLUDE.sub(lambda m: "{% include '" + m.group("name") + "'", text)
    try:
        return env.from_string(source).render(site=site, page=page), None
    except Exception as err:  # noqa: BLE001  (python-liquid's errors have no one base)
        message = " ".join(str(err).split())
        return text, f"Liquid that cannot be rendered ({message}): left as it is"
