"""The checker's reading of raw HTML: a browser's answers, not a regex's guesses."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sphinx_refinery.check.syntax import scan_html, split_title


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


# -- raw HTML: what counts as an image, a link, an anchor --------------------------------------


@pytest.mark.parametrize(
    ("html", "links", "ids"),
    [
        ('<a href="x.html" id="here" name="old">', ["x.html"], ["here", "old"]),
        ('<a href="">empty</a><a>none</a><a href>bare</a>', [], []),
        ('<a href="first.html" href="second.html" id="one" id="two">', ["first.html"], ["one"]),
        ('<A HREF="upper.html" NAME="UP">', ["upper.html"], ["UP"]),
        ('<a href="self-closed.html"/><img id="pic" name="not-an-anchor" src="p.png"/>', ["self-closed.html"], ["pic"]),
        ('<link href="style.css"><area href="map.html" id="" name="n">', [], []),
        ('<a href="a&amp;b.html#x&lt;y" id="&quot;q&quot;">', ["a&b.html#x<y"], ['"q"']),
    ],
)
def test_links_and_anchors(html, links, ids):
    facts = scan_html(html)
    assert [href for _offset, href in facts.links] == links
    assert facts.ids == ids


def test_an_img_without_src_has_an_empty_one():
    assert [(src, alt) for _o, src, alt in scan_html('<img alt="no source"><img src alt>').images] == [
        ("", "no source"), ("", None)]


@settings(max_examples=80, derandomize=True, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", " ", "\n", "text\n", "é\n\n", "<!-- x\n -->"]),
                          st.sampled_from(['<img src="i.png">', '<a href="h.html">', "<img\nsrc=j.png/>"])),
                max_size=6))
def test_offsets_point_at_each_tag(pieces):
    html = "".join(before + tag for before, tag in pieces)
    facts = scan_html(html)
    offsets = sorted([o for o, _s, _a in facts.images] + [o for o, _h in facts.links])
    expected, at = [], 0
    for before, tag in pieces:
        at += len(before)
        expected.append(at)
        at += len(tag)
    assert offsets == expected
    assert all(html.startswith(("<img", "<a"), offset) for offset in offsets)


# -- titles and targets of roles and links -------------------------------------------------


@settings(max_examples=150, derandomize=True, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab <>\n\t")), max_size=14))
def test_split_title_is_sphinxs_split_of_an_explicit_title(text):
    from sphinx.util.nodes import split_explicit_title

    explicit, title, target = split_explicit_title(text.strip())
    assume(">" not in target)  # docutils allows no ">" in a link's target; Sphinx's roles do
    if explicit:
        assert split_title(text) == (title, target.strip())
    else:
        assert split_title(text) == (None, text.strip())


@pytest.mark.parametrize(
    ("text", "split"),
    [
        ("Title <target>", ("Title", "target")),
        ("  Title   <  target  >  ", ("Title", "target")),
        ("target", (None, "target")),
        ("<target>", (None, "<target>")),
        ("Two\nlines <target>", ("Two\nlines", "target")),
        ("a <b> <c>", ("a <b>", "c")),
    ],
)
def test_split_title(text, split):
    assert split_title(text) == split
