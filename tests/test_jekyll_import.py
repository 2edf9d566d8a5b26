"""``sphinx-refinery migrate`` on a lesson in the Carpentries' older, Jekyll format."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from sphinx_refinery.commands.cli import main

EPISODE = """\
---
title: "Loops"
teaching: 10
exercises: 5
questions:
- "How can I repeat things?"
objectives:
- "Write a loop."
keypoints:
- "A loop repeats."
---
Loops repeat commands. See [the setup]({{ page.root }}/setup/) and {{ site.carpentry }}.

~~~
$ for f in *.dat; do echo $f; done
~~~
{: .language-bash}

~~~
a.dat
~~~
{: .output}

> ## Count the files
>
> How many?
>
> ~~~
> $ ls | wc -l
> ~~~
> {: .language-bash}
>
> > ## Solution
> > Three.
> {: .solution}
{: .challenge}

{% include links.md %}
"""


@pytest.fixture(autouse=True)
def _no_outer_repository(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def make_lesson(root: Path) -> Path:
    (root / "_episodes").mkdir(parents=True)
    (root / "_extras").mkdir()
    (root / "_includes").mkdir()
    (root / "_config.yml").write_text(
        "title: 'Shell loops'\ncarpentry: 'swc'\nlang: en\n", encoding="utf-8"
    )
    (root / "index.md").write_text(
        "---\nlayout: lesson\nroot: .\n---\nWelcome to {{ site.title }}.\n", encoding="utf-8"
    )
    (root / "setup.md").write_text("---\ntitle: Setup\n---\nInstall things.\n", encoding="utf-8")
    (root / "_extras" / "about.md").write_text("---\ntitle: About\n---\nAbout.\n")
    (root / "_includes" / "links.md").write_text("[swc]: https://software-carpentry.org/\n")
    (root / "_episodes" / "01-loops.md").write_text(EPISODE, encoding="utf-8")
    return root


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(["migrate", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_jekyll_lesson_is_imported(tmp_path, capsys):
    root = make_lesson(tmp_path / "lesson")
    code, out, err = run(capsys, root)
    assert (code, err) == (0, ""), out
    page = (root / "_episodes" / "01-loops.md").read_text(encoding="utf-8")
    assert "[the setup](../setup.md)" in page and "and swc." in page
    assert "[swc]: https://software-carpentry.org/" in page
    assert "~~~bash\n$ for f" in page
    assert "~~~{code-block} text\n:class: output\na.dat" in page
    assert ":::{questions}\n- How can I repeat things?\n:::" in page
    assert page.rstrip().endswith(":::{keypoints}\n- A loop repeats.\n:::")
    assert "{challenge} Count the files" in page and "{solution}" in page
    assert "{: ." not in page and "{{" not in page and "{%" not in page
    conf = (root / "conf.py").read_text(encoding="utf-8")
    assert 'project = "Shell loops"' in conf and '"_episodes/01-loops"' in conf
    # A second run changes nothing.
    code, out, _ = run(capsys, root)
    assert code == 0 and "Nothing to change" in out, out


def test_an_imported_jekyll_lesson_builds_without_warnings(tmp_path, capsys):
    from tests.conftest import build_once

    root = make_lesson(tmp_path / "lesson")
    assert run(capsys, root)[0] == 0
    result = build_once(root, None, builddir=tmp_path / "build")
    assert result.warning_lines() == []
    manifest = json.loads((result.outdir / "lesson.json").read_text())
    assert [(e["page"], e["minutes"]) for e in manifest["episodes"]] == [("_episodes/01-loops", 15)]
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((result.outdir / "_episodes" / "01-loops.html").read_text(), "html.parser")
    for kind in ("questions", "objectives", "exercise", "solution", "keypoints"):
        assert len(soup.select(f".refinery-box.{kind}")) == 1, kind
    assert soup.select("div.output div.highlight") and soup.select("div.highlight-bash")
    assert soup.find("a", href="../setup.html") is not None


def test_liquid_that_cannot_be_rendered_is_listed_and_kept(tmp_path, capsys):
    root = make_lesson(tmp_path / "lesson")
    (root / "_episodes" / "01-loops.md").write_text(
        textwrap.dedent("""\
            ---
            title: Loops
            ---
            See {{ site.no_such_setting }} and {% include missing.html %}.
            """),
        encoding="utf-8",
    )
    code, out, err = run(capsys, root)
    assert (code, err) == (0, "")
    assert "_episodes/01-loops.md: Liquid that cannot be rendered" in out
    assert "{{ site.no_such_setting }}" in (root / "_episodes" / "01-loops.md").read_text()


def test_code_classes_after_fences_opened_by_a_list_marker(tmp_path, capsys):
    # carpentries-incubator/hpc-intro's form: a fence after "1. " in a box; the blocks
    # after it (an odd number of such fences) must get their classes too.
    root = make_lesson(tmp_path / "lesson")
    (root / "_episodes" / "01-loops.md").write_text(textwrap.dedent("""\
        ---
        title: "Jobs"
        ---
        > ## Submit
        >
        > 1. ~~~
        >    $ sbatch job.sh
        >    ~~~
        >    {: .language-bash}
        > 2. Wait.
        >    ~~~
        >    queued
        >    ~~~
        >    {: .output}
        >
        > ~~~
        > done
        > ~~~
        > {: .output}
        {: .challenge}

        ~~~
        x = 1
        ~~~
        {: .language-python}
        """), encoding="utf-8")
    code, out, err = run(capsys, root)
    assert (code, err) == (0, "")
    assert "left alone" not in out
    text = (root / "_episodes" / "01-loops.md").read_text(encoding="utf-8")
    assert "1. ~~~bash\n   $ sbatch" in text
    assert "   ~~~{code-block} text\n   :class: output\n   queued" in text
    assert "~~~{code-block} text\n:class: output\ndone" in text
    assert "~~~python\nx = 1" in text and "{:" not in text


def test_r_markdown_episodes_in_episodes_rmd(tmp_path, capsys):
    # R lessons keep their sources in _episodes_rmd/ and the knitted pages in _episodes/:
    # a knitted page is imported (it has the output); an episode with no knitted page
    # is imported from its source, said not run.
    root = make_lesson(tmp_path / "lesson")
    (root / "_episodes_rmd").mkdir()
    (root / "_episodes_rmd" / "01-loops.Rmd").write_text("---\ntitle: Loops\n---\nSource.\n")
    (root / "_episodes_rmd" / "02-plots.Rmd").write_text(
        "---\ntitle: Plots\nteaching: 5\nexercises: 0\n---\n\n```{r}\nplot(1)\n```\n\n"
        "> ## Plot\n> Do it.\n{: .challenge}\n", encoding="utf-8")
    code, out, err = run(capsys, root)
    assert (code, err) == (0, "")
    assert "_episodes_rmd/01-loops.Rmd: R Markdown source of _episodes/01-loops.md" in out
    assert "_episodes_rmd/02-plots.Rmd: R Markdown: its chunks are shown as code blocks" in out
    conf = (root / "conf.py").read_text(encoding="utf-8")
    assert '"_episodes/01-loops",\n    "_episodes_rmd/02-plots",' in conf
    assert '"_episodes_rmd/01-loops.Rmd"' not in conf
    assert ":::{challenge} Plot" in (root / "_episodes_rmd" / "02-plots.Rmd").read_text()


def test_a_lesson_with_episodes_rmd_only_is_recognised(tmp_path, capsys):
    root = make_lesson(tmp_path / "lesson")
    (root / "_episodes_rmd").mkdir()
    (root / "_episodes" / "01-loops.md").rename(root / "_episodes_rmd" / "01-loops.Rmd")
    (root / "_episodes").rmdir()
    code, _out, err = run(capsys, root)
    assert (code, err) == (0, "")
    assert '"_episodes_rmd/01-loops",' in (root / "conf.py").read_text(encoding="utf-8")
    from tests.conftest import build_once

    result = build_once(root, None, builddir=tmp_path / "build")
    assert result.warning_lines() == []
    page = (result.outdir / "_episodes_rmd" / "01-loops.html").read_text(encoding="utf-8")
    assert "Count the files" in page and "refinery-box" in page
