"""``sphinx-refinery migrate`` on a Carpentries Workbench lesson.

The mapping is data: ``workbench_fixtures/*.md`` hold pairs in the Workbench's own
syntax and what migrate makes of them (MyST-Parser's fixture format: a title,
then the page and the result, each closed by a ``.`` line). Each pair is put in a
small lesson as an episode (``learners.md``: as a learners page), migrated, and
compared. The other tests build imported lessons and drive the command.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from sphinx_refinery.commands.cli import main
from sphinx_refinery.migrate.rewrite import migrate_lesson

FIXTURES = Path(__file__).parent / "workbench_fixtures"
GIT = shutil.which("git")

CONFIG = """\
title: 'Test lesson'
created: '2024-01-31'
keywords: 'shell, data'
license: 'CC-BY 4.0'
source: 'https://github.com/example/lesson'
branch: 'main'
lang: en
episodes:
- page.md
- other.md
learners:
- setup.md
{extra_learners}
instructors:
profiles:
"""
LINKS_MD = """\
[style]: https://example.org/style
[swc]: https://software-carpentry.org/
[unused]: https://example.org/unused
"""


@pytest.fixture(autouse=True)
def _no_outer_repository(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def make_lesson(root: Path, page: str = "", *, learners_page: bool = False) -> Path:
    """A small Workbench lesson; ``page`` is episodes/page.md (or learners/extra.md)."""
    (root / "episodes" / "fig").mkdir(parents=True)
    (root / "learners").mkdir()
    (root / "instructors").mkdir()
    extra = "- extra.md" if learners_page else ""
    (root / "config.yaml").write_text(CONFIG.format(extra_learners=extra), encoding="utf-8")
    (root / "index.md").write_text(
        "---\nsite: sandpaper::sandpaper_site\n---\n\nWelcome.\n", encoding="utf-8"
    )
    (root / "links.md").write_text(LINKS_MD, encoding="utf-8")
    (root / "CONTRIBUTING.md").write_text("# Contributing\n", encoding="utf-8")
    (root / "README.md").write_text("# The lesson's repository\n", encoding="utf-8")
    (root / "episodes" / "fig" / "tree.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\n', encoding="utf-8"
    )
    episode = "---\ntitle: First\nteaching: 10\nexercises: 5\n---\n\n" + (
        "" if learners_page else page
    )
    (root / "episodes" / "page.md").write_text(
        episode if not learners_page else episode + "Text.\n", encoding="utf-8"
    )
    (root / "episodes" / "other.md").write_text(
        "---\ntitle: Other\nteaching: 20\nexercises: 0\n---\n\n## A section\n\nText.\n",
        encoding="utf-8",
    )
    (root / "learners" / "setup.md").write_text(
        "---\ntitle: Setup\n---\n\nInstall things.\n", encoding="utf-8"
    )
    if learners_page:
        (root / "learners" / "extra.md").write_text(page, encoding="utf-8")
    return root


def fixture_params():
    for path in sorted(FIXTURES.glob("*.md")):
        for line, _title, page, expected in read_fixture_file(path):
            yield pytest.param(path.stem, page, expected, id=f"{path.stem}:{line}")


@pytest.mark.parametrize(("name", "page", "expected"), list(fixture_params()))
def test_mapping(name, page, expected, tmp_path):
    learners = name == "learners"
    root = make_lesson(tmp_path / "lesson", page, learners_page=learners)
    ctx = migrate_lesson(root)
    path = root / ("learners/extra.md" if learners else "episodes/page.md")
    source = ctx.files.get(path)
    text = source.text if source is not None else path.read_text(encoding="utf-8")
    if not learners:
        head = "---\ntitle: First\nteaching: 10\nexercises: 5\n---\n\n"
        assert text.startswith(head)
        text = text[len(head) :]
    assert text.rstrip("\n") == expected.rstrip("\n")
    # A second migration of the result changes nothing.
    for changed in ctx.changed():
        changed.path.write_text(changed.text, encoding="utf-8")
    again = migrate_lesson(root)
    assert [c.path for c in again.changed()] == []


# -- the command ------------------------------------------------------------------------------


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(["migrate", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=a@b", "-c", "user.name=t", "-c", "commit.gpgsign=false",
         "-c", "init.defaultBranch=main", *args],
        cwd=cwd, check=True, capture_output=True,
    )


def test_the_report_lists_what_changed_and_what_was_left(tmp_path, capsys):
    root = make_lesson(tmp_path / "lesson", "::: challenge\nDo it.\n:::\n")
    config = root / "config.yaml"
    config.write_text(config.read_text().replace("- other.md", "- other.md\n- gone.md"))
    code, out, err = run(capsys, root)
    assert (code, err) == (0, "")
    assert "  conf.py\n    - made from config.yaml" in out
    assert "  episodes/page.md\n    - Workbench page: 1 div(s) to lesson boxes" in out
    assert "config.yaml: episodes: 'gone.md' is listed but episodes/gone.md does not exist" in out
    conf = (root / "conf.py").read_text()
    assert '"episodes/gone.md"' not in conf and '"episodes/gone"' not in conf
    assert 'project = "Test lesson"' in conf
    assert "sphinx-refinery" in (root / "requirements.txt").read_text()
    # Repository files stay out of the build: only the listed pages are included.
    assert '"README.md"' not in conf and '"CONTRIBUTING.md"' not in conf


def test_second_run_changes_nothing(tmp_path, capsys):
    root = make_lesson(tmp_path / "lesson", "::: challenge\n## T\n::: solution\nx\n:::\n:::\n")
    assert run(capsys, root)[0] == 0
    first = snapshot(root)
    code, out, _ = run(capsys, root)
    assert code == 0
    assert snapshot(root) == first
    assert "Nothing to change" in out


def test_dry_run_writes_nothing_and_shows_the_new_files(tmp_path, capsys):
    root = make_lesson(tmp_path / "lesson", "::: callout\nx\n:::\n")
    before = snapshot(root)
    code, out, _ = run(capsys, root, "--dry-run")
    assert code == 0
    assert snapshot(root) == before
    assert "--- /dev/null\n+++ b/conf.py\n" in out
    assert "+++ b/episodes/page.md" in out
    assert "+:::{callout}" in out


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_uncommitted_changes_are_refused_and_new_files_are_not(tmp_path, capsys):
    root = make_lesson(tmp_path / "lesson", "::: callout\nx\n:::\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "lesson")
    page = root / "episodes" / "page.md"
    page.write_text(page.read_text() + "\nMore.\n")
    code, _out, err = run(capsys, root)
    assert code == 1
    assert "uncommitted changes" in err and "episodes/page.md" in err
    assert not (root / "conf.py").exists()
    git(root, "commit", "-q", "-am", "more")
    code, _out, err = run(capsys, root)
    assert (code, err) == (0, "")  # conf.py and the like are new: nobody's work is lost
    assert (root / "conf.py").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: [unclosed\n", "config.yaml is not valid YAML (line"),
        ("- a\n- b\n", "config.yaml does not hold a mapping of settings"),
    ],
)
def test_a_broken_config_yaml_is_a_one_line_error(text, message, tmp_path, capsys):
    root = make_lesson(tmp_path / "lesson")
    (root / "config.yaml").write_text(text)
    before = snapshot(root)
    code, _out, err = run(capsys, root)
    assert code == 1
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert snapshot(root) == before


def test_an_empty_episode_list_means_alphabetical_order(tmp_path, capsys):
    root = make_lesson(tmp_path / "lesson", "Text.\n")
    config = root / "config.yaml"
    config.write_text(config.read_text().replace("- page.md\n- other.md\n", ""))
    assert run(capsys, root)[0] == 0
    conf = (root / "conf.py").read_text()
    assert conf.index('"episodes/other"') < conf.index('"episodes/page"')
    index = (root / "index.md").read_text()
    assert index.index("episodes/other\n") < index.index("episodes/page\n")


def test_an_episode_list_with_no_pages_at_all(tmp_path, capsys):
    root = make_lesson(tmp_path / "lesson")
    for page in (root / "episodes").glob("*.md"):
        page.unlink()
    config = root / "config.yaml"
    config.write_text(config.read_text().replace("- page.md\n- other.md\n", ""))
    code, _out, err = run(capsys, root)
    assert (code, err) == (0, "")
    assert "refinery_episodes = [\n]" in (root / "conf.py").read_text()


# -- building an imported lesson ---------------------------------------------------------------

EPISODE = """\
---
title: "Loops — für Anfänger ✓"
teaching: 10
exercises: 5
start: no
---

::::::::: objectives
- Loop.
:::::::::

## Looping {#looping}

::: challenge
## Count *files*
How many?
::: hint
### A hint
Use `wc`.
:::
::: solution
Three.
:::
:::

::: spoiler
### Details
Hidden.
:::

::: caution
## Mind this
Careful.
:::

::: group-tab
### Windows
PowerShell.
### macOS
Terminal.
:::

```output
3
```

term
:   a definition

Math $x^2$, but money stays text: it costs $5 and $10. ~~Gone~~.

- [x] a done task

See [a section](other.md#a-section), [setup](setup.html) and [loops](#looping).

![](fig/tree.svg){alt="'data' is: a \\"grid\\""}

![A *small* tree](fig/tree.svg){width="10px"}
"""
EXTRA = """\
---
title: Extra exercises
teaching: 30
exercises: 30
---

::: challenge
An extra challenge: not an episode.
:::
"""


def test_an_imported_lesson_builds_without_warnings(tmp_path, capsys):
    from bs4 import BeautifulSoup

    from tests.conftest import build_once

    root = make_lesson(tmp_path / "lesson", EPISODE.split("---\n", 2)[2], learners_page=True)
    (root / "episodes" / "page.md").write_text(EPISODE, encoding="utf-8")
    (root / "learners" / "extra.md").write_text(EXTRA, encoding="utf-8")
    assert run(capsys, root)[0] == 0
    result = build_once(root, None, builddir=tmp_path / "build")
    assert result.warning_lines() == []
    soup = BeautifulSoup((result.outdir / "episodes" / "page.html").read_text(), "html.parser")
    assert "Loops — für Anfänger ✓" in soup.h1.get_text()
    kinds = {
        kind: soup.select(f".refinery-box.{kind}")
        for kind in ("exercise", "hint", "solution", "spoiler", "caution", "objectives")
    }
    assert all(len(found) == 1 for found in kinds.values()), kinds
    assert kinds["spoiler"][0].name == "details" and kinds["hint"][0].name == "details"
    assert kinds["caution"][0].name == "div"
    assert "Mind this" in kinds["caution"][0].get_text()
    assert "A hint" in kinds["hint"][0].get_text()
    assert len(soup.select(".sd-tab-set")) == 1
    assert [label.get_text(strip=True) for label in soup.select("label.sd-tab-label")] == [
        "Windows", "macOS"
    ]
    assert soup.select("div.output div.highlight")
    assert soup.select("dl dt") and "a definition" in soup.select("dl dd")[0].get_text()
    hrefs = [a.get("href") for a in soup.select("a.reference.internal")]
    assert "other.html#a-section" in hrefs and "../learners/setup.html" in hrefs
    assert "#looping" in hrefs and soup.find(id="looping") is not None
    assert len(soup.select("span.math")) == 1 and "costs $5 and $10" in soup.get_text()
    assert soup.select("s") and soup.select("input[type=checkbox]")
    alts = [img.get("alt") for img in soup.select("img") if "tree" in img.get("src", "")]
    assert alts == ["'data' is: a \"grid\"", "A small tree"]
    assert "small" in soup.select("figure figcaption")[0].get_text()
    manifest = json.loads((result.outdir / "lesson.json").read_text())
    episodes = [(e["page"], e["minutes"]) for e in manifest["episodes"]]
    # learners/extra has a challenge and minutes, but config.yaml does not list it.
    assert episodes == [("episodes/page", 15), ("episodes/other", 20)]


# -- nesting, whatever the fences' lengths -----------------------------------------------------

KINDS = ["challenge", "solution", "callout", "hint", "spoiler", "instructor", "keypoints:"]
DIRECTIVE = {"challenge": "exercise", "instructor": "instructor-note"}


def _div_trees():
    from hypothesis import strategies as st

    leaf = st.just(None)  # a paragraph

    def divs(children):
        return st.tuples(
            st.sampled_from(KINDS),
            st.integers(3, 12),  # the opening fence's colons
            st.integers(3, 12),  # the closing fence's: pandoc does not match them
            st.lists(children, max_size=3),
        )

    return st.lists(st.recursive(leaf, divs, max_leaves=8), min_size=1, max_size=4)


def _pandoc_source(blocks) -> str:
    out = []
    for block in blocks:
        if block is None:
            out.append("Some text.\n")
            continue
        kind, opening, closing, children = block
        inner = _pandoc_source(children)
        out.append(f"{':' * opening} {kind}\n\n{inner}{':' * closing}\n")
    return "\n".join(out)


def _expected(blocks) -> list:
    return [
        (DIRECTIVE.get(b[0], b[0]), _expected(b[3])) for b in blocks if b is not None
    ]


def _myst_tree(text: str) -> list:
    """The colon fences MyST sees, nested (each fence's content parsed again)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.colon_fence import colon_fence_plugin

    parser = MarkdownIt("commonmark").use(colon_fence_plugin)
    tree = []
    for token in parser.parse(text):
        if token.type == "colon_fence":
            name = token.info.strip().split()[0] if token.info.strip() else ""
            tree.append((name.strip("{}"), _myst_tree(token.content)))
    return tree


def test_divs_nest_in_myst_as_in_pandoc(tmp_path_factory):
    from hypothesis import HealthCheck, given, settings

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_div_trees())
    def check(blocks):
        root = make_lesson(tmp_path_factory.mktemp("lesson"), _pandoc_source(blocks))
        ctx = migrate_lesson(root)
        source = ctx.files[root / "episodes" / "page.md"]
        body = source.text.split("---\n", 2)[2]
        assert _myst_tree(body) == _expected(blocks)

    check()


def test_hostile_pages_build_without_warnings(tmp_path, capsys):
    from tests.conftest import build_once

    root = make_lesson(tmp_path / "lesson")
    # No front matter at all; a title with markup and odd Unicode; unbalanced fences.
    (root / "episodes" / "page.md").write_text(
        "Just text, no front matter.\n\n:::\n\n::: callout\nNever closed.\n", encoding="utf-8"
    )
    (root / "episodes" / "other.md").write_text(
        '---\ntitle: "Use `ls` *now* — ﬁ\u200b\u202e\u202e 🐚"\nteaching: 5\n---\n\n'
        "::: challenge\n## A `code` title with [a link](page.md) and *emphasis*\nGo.\n:::\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, root)
    assert (code, err) == (0, "")
    assert "episodes/page.md:3: a div fence that opens or closes nothing" in out
    assert "episodes/page.md:5: a div fence that opens or closes nothing" in out
    result = build_once(root, None, builddir=tmp_path / "build")
    assert result.warning_lines() == []
    from bs4 import BeautifulSoup

    other = BeautifulSoup((result.outdir / "episodes" / "other.html").read_text(), "html.parser")
    assert "🐚" in other.h1.get_text() and other.h1.code is not None
    title = other.select_one(".refinery-box.exercise .admonition-title")
    assert "A code title with a link and emphasis" in title.get_text()
    assert title.code is not None and title.em is not None
    page = (result.outdir / "episodes" / "page.html").read_text(encoding="utf-8")
    assert "Never closed." in page and ":::" in page


def test_config_values_are_python_literals_in_conf_py(tmp_path, capsys):
    import ast

    root = make_lesson(tmp_path / "lesson")
    title = 'It\'s "the" \\ lesson\nü 🐚 \u202e'
    config = root / "config.yaml"
    config.write_text(
        config.read_text().replace("title: 'Test lesson'", "title: " + json.dumps(title, ensure_ascii=False)),
        encoding="utf-8",
    )
    assert run(capsys, root)[0] == 0
    tree = ast.parse((root / "conf.py").read_text(encoding="utf-8"))
    values = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and not isinstance(node.value, ast.Name)
    }
    assert values["project"] == title
    assert values["refinery_metadata"]["keywords"] == ["shell", "data"]


def test_r_markdown_episodes_are_read_as_markdown_and_said_not_run(tmp_path, capsys):
    from tests.conftest import build_once

    root = make_lesson(tmp_path / "lesson")
    config = root / "config.yaml"
    config.write_text(config.read_text().replace("- other.md", "- other.md\n- plots.Rmd"))
    (root / "episodes" / "plots.Rmd").write_text(
        "---\ntitle: Plots\nteaching: 10\nexercises: 10\n---\n\n"
        "```{r, echo=FALSE}\nplot(1:10)\n```\n\n::: challenge\nPlot it.\n:::\n\n"
        "```{r setup, include = FALSE}\nlibrary(stats)\n```\n\n```{r, eval=FALSE}\nx\n```\n\n"
        "Ten is `r 5 + 5`, or `r 2 * 5` (``` `r x` ``` is code).\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, root)
    assert (code, err) == (0, "")
    assert "episodes/plots.Rmd: R Markdown: its chunks are shown as code blocks" in out
    # What knitr would show otherwise, located: hidden code, inline R.
    assert "episodes/plots.Rmd:7: 2 R chunk(s) whose code knitr hides" in out
    assert "episodes/plots.Rmd:23: 2 inline R expression(s)" in out
    assert "```r\nplot(1:10)\n```" in (root / "episodes" / "plots.Rmd").read_text()
    result = build_once(root, None, builddir=tmp_path / "build")
    assert result.warning_lines() == []
    manifest = json.loads((result.outdir / "lesson.json").read_text())
    assert [e["page"] for e in manifest["episodes"]][-1] == "episodes/plots"
    assert "plot" in (result.outdir / "episodes" / "plots.html").read_text()


def test_check_reads_an_imported_lesson_as_the_build_does(tmp_path, capsys):
    """Titles from front matter, pandoc's heading ids and [span]{#id} ids are there for
    ``sphinx-refinery check`` too: no false missing-anchor or heading-skip."""
    root = make_lesson(tmp_path / "lesson")
    (root / "episodes" / "page.md").write_text(
        "---\ntitle: First\nteaching: 10\nexercises: 5\n---\n\n"
        "::: objectives\n- x\n:::\n\n### Using v1.2_beta\n\nA [term]{#the-term}.\n\n"
        "See [deep](#using-v1.2_beta), [term](#the-term) and [section](other.md#a-section).\n",
        encoding="utf-8",
    )
    assert run(capsys, root)[0] == 0
    code = main(["check", str(root)])
    out = capsys.readouterr().out
    assert "missing-anchor" not in out and "heading-skip" not in out, out
    assert code == 0, out
    from sphinx_refinery.check.lesson import load, settings_from_conf

    page = load(settings_from_conf(root)).pages["episodes/page"]
    assert (page.headings[0].level, page.headings[0].text) == (1, "First")
    assert "using-v1.2_beta" in page.anchors


def test_the_root_page_is_titled_from_config_yaml(tmp_path, capsys):
    root = make_lesson(tmp_path / "lesson")
    code, out, _ = run(capsys, root)
    assert code == 0 and "no title" not in out
    index = (root / "index.md").read_text(encoding="utf-8")
    assert index.startswith("---\nsite: sandpaper::sandpaper_site\n---\n\n# Test lesson\n")
    assert index.count("\n# ") == 1


def test_an_empty_config_yaml_means_defaults_everywhere(tmp_path, capsys):
    root = make_lesson(tmp_path / "my-lesson")
    (root / "config.yaml").write_text("", encoding="utf-8")
    code, _out, err = run(capsys, root)
    assert (code, err) == (0, "")
    conf = (root / "conf.py").read_text(encoding="utf-8")
    assert 'project = "my-lesson"' in conf
    assert '"episodes/other",\n    "episodes/page",' in conf  # alphabetical
    assert "# my-lesson\n" in (root / "index.md").read_text(encoding="utf-8")


def test_a_heading_id_on_two_pages_is_one_label(tmp_path, capsys):
    from tests.conftest import build_once

    box = "::: challenge\n## Try {#try-it}\nGo.\n:::\n"
    root = make_lesson(tmp_path / "lesson", "## Install {#setup-steps}\n\nText.\n\n" + box)
    other = root / "episodes" / "other.md"
    other.write_text(other.read_text() + "\n## Again {#setup-steps}\n\nMore.\n\n" + box)
    code, out, _ = run(capsys, root)
    assert code == 0
    assert "id 'setup-steps' is also one on page.md" in out
    assert "(setup-steps)=" in (root / "episodes" / "page.md").read_text()
    assert "(setup-steps)=" not in other.read_text()
    assert ":name: try-it" in (root / "episodes" / "page.md").read_text()
    assert ":name:" not in other.read_text()
    result = build_once(root, None, builddir=tmp_path / "build")
    assert result.warning_lines() == []


FRAGMENTS = [
    "::: challenge", ":::::: solution", ":::", "::::::::", "::: group-tab", "### Tab {#t}",
    "## A *title* {#x .y}", "# Top", "```output", "```", "~~~", "```{r, echo=FALSE}",
    "![a](fig/tree.svg){alt='q\\'s' width=3}", "![](fig/tree.svg){alt=\"b: c\"}",
    "[l](setup.html#x)", "[r][style]", "<!--", "-->", "text", "", "1. item", "   ::: callout",
    "***", "[t]{#id}", ":::: {.hint #h}", "::: {.unknown}", "term", ":   definition",
    "<img src=\"fig/tree.svg\">", "::: instructor", "$x$", "\\", "{", "`::: x`",
]


def test_any_page_migrates_without_failing_and_only_once(tmp_path_factory):
    from hypothesis import HealthCheck, example, given, settings
    from hypothesis import strategies as st

    @example(["![](fig/tree.svg){alt=\"b: c\"}"])  # once inline, an image must stay one
    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.sampled_from(FRAGMENTS), max_size=25))
    def check(parts):
        root = make_lesson(tmp_path_factory.mktemp("lesson"), "\n".join(parts) + "\n")
        ctx = migrate_lesson(root)
        assert not [n for n in ctx.notes if "could not be migrated" in n.message]
        for changed in ctx.changed():
            changed.path.write_bytes(changed.encoded())
        again = migrate_lesson(root)
        assert [(c.path.name, c.text) for c in again.changed()] == []

    check()
