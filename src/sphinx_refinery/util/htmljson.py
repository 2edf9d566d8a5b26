"""JSON for HTML: the one way a value of ours is written into an HTML page.

Jinja2's ``htmlsafe_json_dumps`` writes ``<``, ``>``, ``&`` and ``'`` as
``\\u003c``-style escapes, so no text (``</script>``, ``<!--``, ``<script>``)
can end the ``<script>`` element that holds it or open another one. Every
JSON block the extension writes into a page goes through :func:`script_element`
or :func:`html_json`.
"""

from __future__ import annotations

import json
from functools import partial
from html import escape
from typing import Any

from jinja2.utils import htmlsafe_json_dumps


def html_json(value: Any) -> str:
    """``value`` as JSON that is safe anywhere in an HTML page."""
    dumps = partial(json.dumps, ensure_ascii=False, sort_keys=True)
    return str(htmlsafe_json_dumps(value, dumps=dumps))


def script_element(value: Any, type_: str, **attributes: str) -> str:
    """A ``<script>`` element holding ``value`` as JSON (attribute values escaped)."""
    attrs = "".join(f' {name}="{escape(text)}"' for name, text in {"type": type_, **attributes}.items())
    return f"<script{attrs}>{html_json(value)}</script>"
