"""Gathered lists: what they show in every builder, relative links, and rebuilds."""

from __future__ import annotations

import collections
import re
import shutil

import pytest
from bs4 import BeautifulSoup

from tests.conftest import build_once

CONF = 'extensions = ["sphinx_refinery"]\nrefinery_number_exercises = "episode"\n'

#: A list at the root and episodes in a folder: their relative links must follow the copies.
NESTED = {
    "conf.py": CONF,
    "index.md": "# Lesson\n\n```{toctree}\nepisodes/one\nepisodes/two\nepisodes/three\nlist\n```\n",
    "episodes/one.md": """
        # One

        ````{exercise} Linked
        Read {doc}`two` and [the third](three.rst), then [the second](two).

        ```{code-block} python
        print("one")
        ```

        ```{solution}
        See {doc}`../index`.
        ```
        ````
        """,
    "episodes/two.md": "# Two\n\n```{exercise} Plain\nNothing to follow.\n```\n",
    "episodes/three.rst": """
        Three
        =====

        .. exercise:: In rST

           Go back to :doc:`one`, or :any:`two`.

           .. tab-set::

              .. tab-item:: A

                 First tab.

              .. tab-item:: B

                 Second tab.
        """,
    "list.md": "# List\n\n```{exerciselist}\n```\n",
}


def _hrefs(element) -> list[str]:
    return [a["href"] for a in element.select("a[href]")]


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_relative_links_follow_the_copy_in_html(build, builder):
    result = build(NESTED, builder=builder)
    assert result.warning_lines() == []
    page = "list/index.html" if builder == "dirhtml" else "list.html"
    raw = (result.outdir / page).read_text(encoding="utf-8")
    soup = BeautifulSoup(raw, "html.parser")
    listed = soup.select(".refinery-listed")
    assert len(listed) == 3
    first = _hrefs(listed[0])
    if builder == "html":
        assert "episodes/two.html" in first and "episodes/three.html" in first
        assert "index.html" in first  # the solution's {doc}`../index`
        assert "episodes/one.html" in _hrefs(listed[2])
    else:
        assert "../episodes/two/" in first and "../episodes/three/" in first
        assert "../" in first
        assert "../episodes/one/" in _hrefs(listed[2])
    # The copy is the episode's own rendering: highlighted code, a numbered title.
    assert listed[0].select_one(".highlight") is not None
    assert listed[0].select_one(".admonition-title").get_text().startswith("Exercise 1.1")
    # Ids, and the radio groups of the tabs, stay unique on the list page.
    ids = collections.Counter(re.findall(r'\bid="([^"]+)"', raw))
    assert [i for i, n in ids.items() if n > 1] == []
    names = {i["name"] for i in listed[2].select("input[type=radio]")}
    episode = BeautifulSoup(
        (result.outdir / page.replace("list", "episodes/three")).read_text(encoding="utf-8"),
        "html.parser",
    )
    assert len(names) == 1 and names.isdisjoint(i["name"] for i in episode.select("input[type=radio]"))
    labels = [label["for"] for label in listed[2].select("label[for]")]
    assert labels and all(listed[2].find(id=target) for target in labels)
    # The episode page itself carries no trace of the marks.
    assert "<!--/refinery-box" not in (result.outdir / page.replace("list", "episodes/one")).read_text()


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_headings_and_backlinks_lead_to_each_episode(build, builder):
    """HTML lists write their headings and backlinks as text: the episode's title,
    escaped, and links that lead to the page and to the box."""
    files = dict(NESTED)
    files["episodes/two.md"] = '# Two & <3 `<b>`\n\n```{exercise} Plain\n:label: ex-plain\nNothing.\n```\n'
    result = build(files, builder=builder)
    assert result.warning_lines() == []
    page = "list/index.html" if builder == "dirhtml" else "list.html"
    soup = BeautifulSoup((result.outdir / page).read_text(encoding="utf-8"), "html.parser")
    headings = [(p.get_text(), _hrefs(p)) for p in soup.select("p.refinery-list-episode")]
    backlinks = [_hrefs(p) for p in soup.select("p.refinery-backlink")]
    if builder == "html":
        pages = ["episodes/one.html", "episodes/two.html", "episodes/three.html"]
    else:
        pages = ["../episodes/one/", "../episodes/two/", "../episodes/three/"]
    assert headings == [
        ("One", [pages[0]]),
        ("Two & <3 <b>", [pages[1]]),
        ("Three", [pages[2]]),
    ]
    assert soup.find("b") is None  # text, escaped
    ids = [box["id"] for box in soup.select(".refinery-listed")]
    assert len(ids) == 3
    assert [links[0].partition("#")[0] for links in backlinks] == pages
    assert backlinks[1] == [f"{pages[1]}#ex-plain"]
    for links, page_uri in zip(backlinks, pages, strict=True):
        episode = (result.outdir / page).parent / page_uri.partition("#")[0]
        target = links[0].partition("#")[2]
        html = (episode / "index.html" if builder == "dirhtml" else episode).read_text(encoding="utf-8")
        assert f'id="{target}"' in html


@pytest.mark.parametrize("builder", ["singlehtml", "text", "latex"])
def test_relative_links_follow_the_copy_in_other_builders(build, builder):
    result = build(NESTED, builder=builder)
    assert result.warning_lines() == []
    if builder == "singlehtml":
        soup = result.html("index")
        listed = soup.select(".refinery-listed")
        assert len(listed) == 3
        assert "#document-episodes/two" in _hrefs(listed[0])
        assert "#document-episodes/one" in _hrefs(listed[2])
    elif builder == "text":
        text = result.text("list.txt")
        assert "Read Two and the third, then the second." in text
        assert "Go back to One, or Two." in text
    else:
        tex = next(result.outdir.glob("*.tex")).read_text(encoding="utf-8")
        listed = tex[tex.index(r"\label{\detokenize{list::doc}}") :]
        assert r"\hyperref[\detokenize{episodes/two::doc}]" in listed


def test_rst_list_page_in_a_folder(tmp_path):
    """An rST list page below the episodes' folder: links climb back up."""
    files = {
        **NESTED,
        "index.md": "# Lesson\n\n```{toctree}\nepisodes/one\nepisodes/two\nepisodes/three\nextra/list\n```\n",
        "extra/list.rst": "List\n====\n\n.. exerciselist::\n",
    }
    del files["list.md"]
    src = _copy(tmp_path, "src", files)
    text = build_once(src, None, "text", builddir=tmp_path / "text")
    assert text.warning_lines() == []
    assert "Read Two and the third, then the second." in text.text("extra/list.txt")
    html = build_once(src, None, builddir=tmp_path / "html")
    assert html.warning_lines() == []
    listed = html.html("extra/list").select(".refinery-listed")
    assert "../episodes/two.html" in _hrefs(listed[0])
    assert "../episodes/one.html" in _hrefs(listed[2])


def _copy(tmp_path, name, files):
    from tests.conftest import write_sources

    src = tmp_path / name
    write_sources(src, files)
    return src


def _pages(outdir):
    return {p.relative_to(outdir).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(outdir.rglob("*.html")) if "_static" not in p.parts}


@pytest.mark.parametrize("parallel", [1, 2], ids=["serial", "parallel"])
def test_changed_include_rewrites_the_episodes(tmp_path, parallel):
    """A list that starts showing other boxes gets them, as a clean build does."""
    files = {
        **NESTED,
        "episodes/two.md": "# Two\n\n```{exercise} Plain\nNothing.\n```\n\n```{discussion} Talk\nTalk *about it*.\n```\n",
    }
    src = _copy(tmp_path, "src", files)
    first = build_once(src, None, builddir=tmp_path / "incremental", parallel=parallel)
    assert "about it" not in (first.outdir / "list.html").read_text()
    (src / "list.md").write_text("# List\n\n```{exerciselist}\n:include: exercise discussion\n```\n")
    incremental = build_once(src, None, builddir=tmp_path / "incremental", parallel=parallel)
    clean = build_once(src, None, builddir=tmp_path / "clean", parallel=parallel)
    assert incremental.warning_lines() == clean.warning_lines() == []
    assert "<em>about it</em>" in (clean.outdir / "list.html").read_text()
    assert _pages(incremental.outdir) == _pages(clean.outdir)


def test_lost_fragments_are_rendered_again(tmp_path):
    src = _copy(tmp_path, "src", NESTED)
    build_once(src, None, builddir=tmp_path / "build")
    shutil.rmtree(tmp_path / "build" / "doctrees" / "refinery-boxes")
    (src / "list.md").write_text("# The list\n\n```{exerciselist}\n```\n")
    again = build_once(src, None, builddir=tmp_path / "build")
    assert again.warning_lines() == []
    assert len(again.html("list").select(".refinery-listed")) == 3


def test_parallel_list_equals_serial(tmp_path):
    src = _copy(tmp_path, "src", NESTED)
    serial = build_once(src, None, builddir=tmp_path / "serial", parallel=1)
    parallel = build_once(src, None, builddir=tmp_path / "parallel", parallel=2)
    assert serial.warning_lines() == parallel.warning_lines() == []
    assert _pages(serial.outdir) == _pages(parallel.outdir)


class _FakeBuilder:
    """What relocate() asks of a builder: output files and relative links (html layout)."""

    outdir = "/out"

    def get_outfilename(self, docname):
        return f"/out/{docname}.html"

    def get_relative_uri(self, from_, to):
        import posixpath

        return posixpath.relpath(f"{to}.html", posixpath.dirname(from_) or ".")


def test_relocate_rebases_links_and_prefixes_ids():
    from sphinx_refinery.views.list_html import Places, relocate

    fragment = (
        '<div class="admonition exercise" id="ex">'
        '<a href="two.html#sec">two</a> <a href="../index.html">home</a> '
        '<a href="#ex">self</a> <a href="#note">note</a> '
        '<a href="https://example.org/a.html">out</a> <a href="mailto:x@y.z">mail</a> '
        '<img src="../_images/p.png" alt="p"/> '
        '<input id="tab-1" name="set-0" type="radio"/><label for="tab-1">A</label>'
        "<p>id=&quot;ex&quot; stays text</p></div>"
    )
    out = relocate(fragment, Places(_FakeBuilder()), "episodes/one", "list", "exercises-0-1")
    assert out.startswith('<div class="admonition exercise refinery-listed no-search" id="exercises-0-1-ex">')
    assert 'href="episodes/two.html#sec"' in out
    assert 'href="index.html"' in out
    assert 'href="#exercises-0-1-ex"' in out
    assert 'href="episodes/one.html#note"' in out  # outside the box: back to the episode
    assert 'href="https://example.org/a.html"' in out and 'href="mailto:x@y.z"' in out
    assert 'src="_images/p.png"' in out
    assert 'id="exercises-0-1-tab-1" name="exercises-0-1-set-0"' in out
    assert 'for="exercises-0-1-tab-1"' in out
    assert "id=&quot;ex&quot; stays text" in out


def test_relocate_reads_raw_html_as_a_browser_does():
    """An author's raw HTML: single-quoted and bare values are rebased too; tags in
    comments are text; a tag that needs no change keeps its bytes."""
    from sphinx_refinery.views.list_html import Places, relocate

    fragment = (
        "<div class=\"admonition exercise\" id=\"ex\">"
        "<a href='two.html' title='a > b'>single</a> <a href=two.html#sec>bare</a> "
        "<img src='../_images/p.png' alt='p'> <img src=pic.png alt=q> <A HREF=\"pic.html?a=1&amp;b=2\">upper</A> "
        "<!-- <a href=\"two.html\"> --><span data-id=\"x\" class='keep'>same</span></div>"
    )
    out = relocate(fragment, Places(_FakeBuilder()), "episodes/one", "lists/all", "ex-0")
    assert out.startswith('<div class="admonition exercise refinery-listed no-search" id="ex-0-ex">')
    assert '<a href="../episodes/two.html" title="a &gt; b">single</a>' in out
    assert '<a href="../episodes/two.html#sec">bare</a>' in out
    assert "<img src='../_images/p.png' alt='p'>" in out  # the same place from both folders
    assert '<img src="../episodes/pic.png" alt="q">' in out
    assert '<a href="../episodes/pic.html?a=1&amp;b=2">upper</A>' in out
    assert '<!-- <a href="two.html"> -->' in out  # a comment is not a link
    assert "<span data-id=\"x\" class='keep'>same</span>" in out  # unchanged, byte for byte
