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
