"""Hostile and unusual input: each case failed before its fix (issue 15)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import sphinx_refinery

PACKAGE = Path(sphinx_refinery.__file__).parent

# -- JSON in HTML goes through one helper ----------------------------------------------------

#: Modules that write JSON for the command line, never into HTML.
JSON_FOR_THE_TERMINAL = {"schedule_report.py", "check/report.py"}


def _modules() -> dict[str, str]:
    return {
        path.relative_to(PACKAGE).as_posix(): path.read_text(encoding="utf-8")
        for path in PACKAGE.rglob("*.py")
    }


def test_json_reaches_html_only_through_the_helper():
    modules = _modules()
    dumping = {name for name, text in modules.items() if re.search(r"\bjson\.dumps?\(", text)}
    assert dumping - JSON_FOR_THE_TERMINAL == set()
    scripts = {name for name, text in modules.items() if "<script" in text}
    assert scripts <= {"htmljson.py"}
    # Sphinx writes an add_js_file body into the page as it is.
    for name, text in modules.items():
        if re.search(r"add_js_file\([^)]*body=", text):
            assert "html_json" in text, name


HOSTILE_TEXT = "HTML comments start with <!-- and scripts with <script> or </script>"


def test_script_text_in_title_and_metadata_leaves_the_page_intact(build):
    conf = (
        'extensions = ["sphinx_refinery"]\n'
        f"project = {HOSTILE_TEXT!r}\n"
        f"refinery_metadata = {{'description': {HOSTILE_TEXT!r}, 'keywords': ['<!--', '&amp;']}}\n"
    )
    body = "The body text is still here."
    result = build({"conf.py": conf, "index.md": f"# Page\n\n{body}\n"})
    soup = result.html()
    main = soup.select_one("[role=main]") or soup.body
    assert body in main.get_text(" ", strip=True)
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["name"] == HOSTILE_TEXT and data["description"] == HOSTILE_TEXT
    assert data["keywords"] == ["<!--", "&amp;"]
    config = soup.find("script", id="sphinx-refinery-config")
    assert config is not None and json.loads(config.string)["labels"]
    raw = result.text("index.html")
    assert "<!-- and" not in raw.split("<body", 1)[0]


def test_html_json_escapes_what_ends_a_script():
    from sphinx_refinery.htmljson import html_json, script_element

    text = html_json({"a": "</script><!--<script>&'"})
    assert not set("<>&'") & set(text)
    assert json.loads(text) == {"a": "</script><!--<script>&'"}
    element = script_element([1], "application/json", id='x"y')
    assert element == '<script type="application/json" id="x&quot;y">[1]</script>'
