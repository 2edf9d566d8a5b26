"""The checker's reading of raw HTML: a browser's answers, not a regex's guesses."""

from __future__ import annotations

import pytest

from sphinx_refinery.check.syntax import scan_html


@pytest.mark.parametrize(
    ("html", "images"),
    [
        ('<img alt="a > b" src="pic.png">', [("pic.png", "a > b")]),
        ("<img src='single.png' alt='x'>", [("single.png", "x")]),
        ("<img src=bare.png alt=x>", [("bare.png", "x")]),
        ('<IMG SRC="upper.png">', [("upper.png", None)]),
        ('<img src="a&amp;b.png"/>', [("a&b.png", None)]),
        ('<img src="first.png" src="second.png">', [("first.png", None)]),
        ('<!-- <img src="commented.png"> -->', []),
        ('<img\n  alt="on two lines"\n  src="two.png">', [("two.png", "on two lines")]),
        ('<image src="not-an-img.png">', []),
    ],
)
def test_images(html, images):
    assert [(src, alt) for _offset, src, alt in scan_html(html).images] == images


def test_links_and_offsets():
    html = 'Text <a href="one.html">1</a>\n<!-- <a href="no.html"> -->\n<a class="x > y" href=\'two.html\'>2</a>'
    facts = scan_html(html)
    assert [href for _offset, href in facts.links] == ["one.html", "two.html"]
    assert [html[offset:offset + 2] for offset, _href in facts.links] == ["<a", "<a"]
    assert facts.links[1][0] == html.index("<a class")


def test_ids_are_what_a_fragment_finds():
    html = ('<div id="box" data-id="not-an-anchor"></div><a name="old-style"></a>'
            '<input name="field"><span id=\'single\'></span><!-- <p id="hidden"> -->')
    assert scan_html(html).ids == ["box", "old-style", "single"]


# -- rST: titles and roles as docutils reads them ---------------------------------------------


def _rst(text: str):
    from pathlib import Path

    from sphinx_refinery.check.model import Page
    from sphinx_refinery.check.options import MystOptions
    from sphinx_refinery.check.rst import parse_rst

    page = Page("page", Path("page.rst"), "rst", text)
    parse_rst(page, text, MystOptions())
    return page


def _docutils_titles(text: str) -> list[str]:
    from docutils import nodes
    from docutils.core import publish_doctree

    tree = publish_doctree(text, settings_overrides={"report_level": 5, "halt_level": 5,
                                                     "doctitle_xform": False})
    return [title.astext() for title in tree.findall(nodes.title)]


@pytest.mark.parametrize(
    "text",
    [
        "Hi\n==\n\nText.\n",  # two characters under two
        "A\n-\n\nText.\n",  # one under one
        "Hello\n==\n\nText.\n",  # too short and under 4: ordinary text
        "Hello\n====\n\nText.\n",  # too short, but 4: a title (with a warning)
        "日本\n===\n\nText.\n",  # wide characters take two columns each
        "日本\n====\n\nText.\n",
        "Title\n=====\n\nSub\n---\n\nText.\n",
    ],
)
def test_titles_are_docutils_titles(text):
    assert [heading.text for heading in _rst(text).headings] == _docutils_titles(text)


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        ("See :doc:`intro`.\n", ["intro"]),
        ("See \\:doc:`intro`, escaped.\n", []),
        ("See \\\\:doc:`intro`: the backslash is escaped, not the role.\n", ["intro"]),
        ("See \\`Title <https://example.org/>`_ escaped.\n", []),
        ("See `Title <https://example.org/a>`_.\n", ["https://example.org/a"]),
    ],
)
def test_escaped_markup_is_text(text, targets):
    assert [link.target for link in _rst(text).links] == targets
