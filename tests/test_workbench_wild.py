"""Workbench lessons as they are in the wild: what the three test lessons do not use.

Each case is written in the Workbench's own syntax: a README as the home page,
grid tables, and whole generated lessons (hypothesis) that migrate must import
without failing, once, with every div's text in the build.
"""

from __future__ import annotations

from tests.test_workbench import make_lesson, run


def test_without_index_md_the_home_page_is_the_readme(tmp_path, capsys):
    # sandpaper builds its home page from README.md when there is no index.md.
    from tests.conftest import build_once

    root = make_lesson(tmp_path / "lesson")
    (root / "index.md").unlink()
    (root / "README.md").write_text(
        "# About this lesson\n\nIt teaches [the first episode](episodes/page.md).\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, root)
    assert (code, err) == (0, "")
    assert "the home page shows README.md, as the Workbench's does" in out
    result = build_once(root, None, builddir=tmp_path / "build")
    assert result.warning_lines() == []
    home = (result.outdir / "index.html").read_text(encoding="utf-8")
    assert "It teaches" in home and 'href="episodes/page.html"' in home
    assert "Test lesson" in home  # config.yaml's title
    assert run(capsys, root)[1].count("Changed") == 0  # once only


def test_grid_tables_raw_blocks_and_scripts_are_rendered(tmp_path, capsys):
    from tests.conftest import build_once

    root = make_lesson(
        tmp_path / "lesson",
        "+-----+--------+\n| Key | Value  |\n+=====+========+\n| a   | one    |\n"
        "|     | line 2 |\n+-----+--------+\n\n"
        '```{=html}\n<iframe src="https://example.org/v"></iframe>\n```\n\n'
        "```{=latex}\n\\newpage\n```\n\nWater is H~2~O, R^2^ is high.\n\n"
        "One`<br>`{=html}two.\n",
    )
    code, out, err = run(capsys, root)
    assert (code, err) == (0, "")
    assert "episodes/page.md:7: a grid table, which MyST does not read" in out
    result = build_once(root, None, builddir=tmp_path / "build")
    assert result.warning_lines() == []
    page = (result.outdir / "episodes" / "page.html").read_text(encoding="utf-8")
    assert "<table" in page and "line 2" in page and "+-----" not in page
    assert '<iframe src="https://example.org/v">' in page and "newpage" not in page
    assert "H<sub>2</sub>O" in page and "R<sup>2</sup> is" in page
    assert "One<br>two." in page



# -- whole generated lessons ------------------------------------------------------------------

#: Div kinds: the Workbench's, tabs, one it does not style.
KINDS = ("challenge", "solution", "callout", "hint", "spoiler", "caution", "instructor",
         "discussion", "keypoints", "group-tab", "tab", "custom-kind")
#: Odd text: right-to-left marks, zero-width and combining characters, emoji, CJK, quotes.
ODD = ("\u202e", "\u200b", "e\u0301", "🐚", "ﬁ", "漢字", "'", '"', ": ", "#", "{", "}",
       "<", "&", "*", "\\", "|", "$", "ǅ", "~", "^")
#: Lines that look like fences but are not well formed ones.
HOSTILE = (":::", "::::: end challenge", "::: {.callout", "::: {.challenge} extra",
           ":::::::::::::", "```", "<!--", "-->", "---", "+--+--+")


def _lesson_strategy():
    from hypothesis import strategies as st

    odd = st.lists(st.sampled_from(ODD), max_size=4).map("".join)
    words = st.lists(st.sampled_from(("alpha", "beta", "gamma", *ODD)), max_size=5).map(" ".join)

    def div(children):
        return st.tuples(st.sampled_from(KINDS), st.integers(3, 12), st.booleans(),
                         st.booleans(), words, st.lists(children, max_size=3))

    block = st.recursive(
        st.one_of(st.just("text"), st.sampled_from(HOSTILE).map(lambda h: ("hostile", h))),
        div, max_leaves=8,
    )
    scalar = st.one_of(st.none(), st.integers(-5, 500), odd, st.just("ten"), st.just([]))
    front = st.one_of(st.none(), st.fixed_dictionaries(
        {"title": st.one_of(odd, words, st.integers())},
        optional={"teaching": scalar, "exercises": scalar, "start": st.booleans()},
    ))
    episode = st.tuples(front, st.lists(block, min_size=1, max_size=4))
    listed = st.sampled_from(("all", "absent", "empty", "missing-too", "as-string"))
    config = st.fixed_dictionaries({}, optional={
        "title": st.one_of(odd, words, st.integers(), st.just(["a", "list"])),
        "carpentry": st.sampled_from(("swc", "incubator", "lab")),
        "life_cycle": st.sampled_from(("pre-alpha", "stable", "")),
        "url": st.sampled_from(("", "https://example.org/x", "not a url")),
        "branch": st.sampled_from(("main", "gh-pages", "")),
        "contact": odd, "sandpaper": words, "varnish": words, "keywords": words,
        "learners": st.just(None), "instructors": st.just([]), "profiles": st.just(None),
    })
    return st.tuples(config, listed, st.lists(episode, min_size=1, max_size=3))


class _Writer:
    """Writes a generated episode's blocks; every text block carries a marker to find."""

    def __init__(self) -> None:
        self.markers: list[str] = []

    def text(self) -> str:
        marker = f"zqmark{len(self.markers)}x"
        self.markers.append(marker)
        return marker

    def blocks(self, blocks, depth: int = 0) -> list[str]:
        out: list[str] = []
        for block in blocks:
            if block == "text":
                out += [self.text(), ""]
            elif block[0] == "hostile":
                out += [block[1], ""]
            else:
                kind, colons, braces, titled, words, children = block
                fence = ":" * colons
                out.append(f"{fence} {{.{kind}}}" if braces else f"{fence} {kind}")
                if titled:
                    heading = "###" if kind in ("tab", "group-tab") else "##"
                    out += [f"{heading} {words} {self.text()}".rstrip(), ""]
                out += [self.text(), ""]
                out += self.blocks(children, depth + 1)
                out += [fence, ""]
        return out


def test_any_generated_lesson_imports_once_and_keeps_every_div_text(tmp_path_factory, capsys):
    import yaml
    from hypothesis import HealthCheck, example, given, settings

    from tests.conftest import build_once

    # Found by this test: fence-like lines in an HTML comment in a box (MyST closed the
    # box there, and the rest of the page lost its boxes).
    @example(({}, "all", [(None, [("instructor", 9, True, False, "", [
        "text", ("tab", 6, False, True, "é", [
            ("hostile", "<!--"), ("hostile", "::: {.challenge} extra"),
            ("hostile", ":::::::::::::")])]),
        "text", ("solution", 8, True, True, "", [
            ("hostile", "-->"), ("solution", 11, True, False, "ǅ", [
                ("hostile", ":::::::::::::")]),
            ("group-tab", 4, True, False, "ǅ", ["text"])])])]))
    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_lesson_strategy())
    def check(lesson):
        config, listed, episodes = lesson
        root = tmp_path_factory.mktemp("wild")
        (root / "episodes").mkdir()
        (root / "index.md").write_text("---\nsite: sandpaper::sandpaper_site\n---\n\nHome.\n")
        names, markers = [], {}
        for number, (front, blocks) in enumerate(episodes):
            writer = _Writer()
            body = "\n".join(writer.blocks(blocks))
            head = ("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n") if front else ""
            name = f"{number:02d}-ep.md"
            (root / "episodes" / name).write_text(head + body, encoding="utf-8")
            names.append(name)
            markers[name] = writer.markers
        config = dict(config)
        if listed == "all":
            config["episodes"] = names
        elif listed == "empty":
            config["episodes"] = []
        elif listed == "missing-too":
            config["episodes"] = [*names, "nowhere.md"]
        elif listed == "as-string":
            config["episodes"] = names[0]
            names = names[:1]
        (root / "config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")

        code, out, err = run(capsys, root)
        assert (code, err) == (0, ""), err
        assert "Traceback" not in out and "could not be migrated" not in out
        again = run(capsys, root)
        assert again[0] == 0 and "Changed" not in again[1]  # idempotent
        result = build_once(root, None, builddir=root.parent / f"{root.name}-build")
        assert "Traceback" not in result.warnings and "Exception" not in result.warnings
        for name in names:
            html = (result.outdir / "episodes" / name.replace(".md", ".html")).read_text(
                encoding="utf-8")
            lost = [m for m in markers[name] if m not in html]
            assert not lost, (name, lost)

    check()


def test_an_overview_lesson_has_no_episodes(tmp_path, capsys):
    # datacarpentry/genomics-workshop: "overview: true", an episode listed, no episodes/.
    from tests.conftest import build_once

    root = make_lesson(tmp_path / "lesson")
    for page in (root / "episodes").glob("*.md"):
        page.unlink()
    (root / "episodes" / "fig" / "tree.svg").unlink()
    (root / "episodes" / "fig").rmdir()
    (root / "episodes").rmdir()
    config = root / "config.yaml"
    config.write_text(config.read_text() + "overview: true\nworkbench-beta: true\ncreated: ~\n")
    code, out, err = run(capsys, root)
    assert (code, err) == (0, "")
    assert "config.yaml: overview: true, a lesson without episodes" in out
    assert "is listed but" not in out  # no episode is missing: an overview has none
    conf = (root / "conf.py").read_text(encoding="utf-8")
    assert "refinery_episodes = [\n]" in conf
    result = build_once(root, None, builddir=tmp_path / "build")
    assert result.warning_lines() == []
    assert "Install things" in (result.outdir / "learners" / "setup.html").read_text()


def test_schedule_is_the_older_name_of_the_episode_list(tmp_path, capsys):
    # sandpaper's set_dropdown(): "schedule" stands for "episodes" when that is absent.
    root = make_lesson(tmp_path / "lesson")
    config = root / "config.yaml"
    config.write_text(config.read_text().replace("episodes:\n", "schedule:\n"))
    (root / "episodes" / "zz-unlisted.md").write_text("---\ntitle: Unlisted\n---\n\nNo.\n")
    code, _out, err = run(capsys, root)
    assert (code, err) == (0, "")
    conf = (root / "conf.py").read_text(encoding="utf-8")
    assert 'refinery_episodes = [\n    "episodes/page",\n    "episodes/other",\n]' in conf


def test_knitr_child_documents_are_included(tmp_path, capsys):
    # An R Markdown page knits a child document in (```{r child="files/part.Rmd"}```):
    # the child's text is the chunk's output, so it is included, its divs converted.
    from tests.conftest import build_once

    root = make_lesson(tmp_path / "lesson")
    config = root / "config.yaml"
    config.write_text(config.read_text().replace("- other.md", "- other.md\n- knit.Rmd"))
    (root / "episodes" / "files").mkdir()
    (root / "episodes" / "files" / "part.Rmd").write_text(
        "::: callout\n## From the child\nShared text.\n:::\n", encoding="utf-8")
    (root / "episodes" / "knit.Rmd").write_text(
        "---\ntitle: Knit\nteaching: 5\nexercises: 0\n---\n\nBefore.\n\n"
        "```{r child = 'files/part.Rmd'}\n```\n\n```{r, child=\"files/gone.Rmd\"}\n```\n\nAfter.\n",
        encoding="utf-8")
    code, out, err = run(capsys, root)
    assert (code, err) == (0, "")
    assert "episodes/knit.Rmd:9: knitr child document files/part.Rmd: included" in out
    assert "episodes/knit.Rmd:12: knitr child document 'files/gone.Rmd' not found" in out
    assert (root / "episodes" / "files" / "part.Rmd").read_text().startswith(
        ":::{callout} From the child\n")
    assert run(capsys, root)[1].count("Changed") == 0  # once only
    result = build_once(root, None, builddir=tmp_path / "build")
    assert result.warning_lines() == []
    html = (result.outdir / "episodes" / "knit.html").read_text(encoding="utf-8")
    assert "Shared text." in html and "From the child" in html
    assert html.index("Before.") < html.index("Shared text.") < html.index("After.")
