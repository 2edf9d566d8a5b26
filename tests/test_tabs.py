"""sphinx-tabs syntax (tabs, tab, group-tab, code-tab) rendered as sphinx-design tab sets."""

from __future__ import annotations

import re

import pytest

from sphinx_refinery.extensions.tabs import SYNC_GROUP, lexer_label, sync_id

#: project, copyright and version keep the epub builder from warning.
CONF = """
extensions = ["sphinx_refinery"]
project = "Tabs"
copyright = "2024, Tests"
version = "1.0"
"""


def tab_sets(soup):
    """Labels of each tab set on a page, in order (each set's own labels only)."""
    return [
        [label.get_text(" ", strip=True) for label in own_labels(tab_set)]
        for tab_set in soup.select(".sd-tab-set")
    ]


def own_labels(tab_set):
    return tab_set.find_all("label", class_="sd-tab-label", recursive=False)


def labels(soup):
    return soup.select(".sd-tab-set > label.sd-tab-label")


def panel_of(label):
    """The content panel a label controls."""
    return label.find_next_sibling(class_="sd-tab-content")


# --- Both syntaxes for each directive -------------------------------------------------------

SYNTAX_CASES = {
    "myst-tab": (
        "index.md",
        """
        # Page

        ````{tabs}
        ```{tab} First
        Alpha content.
        ```
        ```{tab} Second
        Beta content.
        ```
        ````
        """,
    ),
    "rst-tab": (
        "index.rst",
        """
        Page
        ====

        .. tabs::

           .. tab:: First

              Alpha content.

           .. tab:: Second

              Beta content.
        """,
    ),
    "myst-group-tab": (
        "index.md",
        """
        # Page

        :::::{tabs}
        ::::{group-tab} First
        Alpha content.
        ::::
        ::::{group-tab} Second
        Beta content.
        ::::
        :::::
        """,
    ),
    "rst-group-tab": (
        "index.rst",
        """
        Page
        ====

        .. tabs::

           .. group-tab:: First

              Alpha content.

           .. group-tab:: Second

              Beta content.
        """,
    ),
    "myst-code-tab": (
        "index.md",
        """
        # Page

        ````{tabs}
        ```{code-tab} python First
        alpha = "Alpha content."
        ```
        ```{code-tab} r Second
        beta <- "Beta content."
        ```
        ````
        """,
    ),
    "rst-code-tab": (
        "index.rst",
        """
        Page
        ====

        .. tabs::

           .. code-tab:: python First

              alpha = "Alpha content."

           .. code-tab:: r Second

              beta <- "Beta content."
        """,
    ),
}


@pytest.mark.parametrize("case", SYNTAX_CASES)
def test_syntax_renders_a_sphinx_design_tab_set(build, case):
    name, source = SYNTAX_CASES[case]
    result = build({name: source, "conf.py": CONF})
    soup = result.html("index")
    assert result.warning_lines() == []
    assert tab_sets(soup) == [["First", "Second"]]
    first, second = labels(soup)
    assert "Alpha content." in panel_of(first).get_text()
    assert "Beta content." in panel_of(second).get_text()
    # sphinx-design's markup: a radio input per tab, the first one chosen.
    inputs = soup.select(".sd-tab-set > input[type=radio]")
    assert [i.has_attr("checked") for i in inputs] == [True, False]
    assert first["for"] == inputs[0]["id"]


@pytest.mark.parametrize(
    ("directive", "synced"), [("tab", False), ("group-tab", True), ("code-tab", True)]
)
def test_only_group_and_code_tabs_are_synchronised(build, directive, synced):
    arguments = {"tab": "Python", "group-tab": "Python", "code-tab": "py"}[directive]
    source = f"""
    # Page

    ````{{tabs}}
    ```{{{directive}}} {arguments}
    x = 1
    ```
    ````
    """
    soup = build({"index.md": source}).html("index")
    (label,) = labels(soup)
    assert label.get_text(strip=True) == "Python"
    if synced:
        assert (label.get("data-sync-group"), label.get("data-sync-id")) == (SYNC_GROUP, "Python")
    else:
        assert not label.has_attr("data-sync-group")
        assert not label.has_attr("data-sync-id")


# --- Labels ---------------------------------------------------------------------------------


def test_labels_are_kept_in_order_with_markup(build):
    result = build(
        {
            "index.md": """
            # Page

            :::::{tabs}
            ::::{group-tab} Command line
            a
            ::::
            ::::{group-tab} Browser (GitHub)
            b
            ::::
            ::::{group-tab} VS Code
            c
            ::::
            ::::{group-tab} Local (VS Code, Command line)
            d
            ::::
            ::::{tab} `git` **status**
            e
            ::::
            :::::
            """
        }
    )
    soup = result.html("index")
    assert tab_sets(soup) == [
        [
            "Command line",
            "Browser (GitHub)",
            "VS Code",
            "Local (VS Code, Command line)",
            "git status",
        ]
    ]
    last = labels(soup)[-1]
    assert last.find("code") is not None
    assert last.find("strong").get_text() == "status"


@pytest.mark.parametrize(
    ("arguments", "label", "language"),
    [
        ("py", "Python", "py"),
        ("python", "Python", "python"),
        ("c++", "C++", "c++"),
        ("cpp", "C++", "cpp"),
        ("bash", "Bash", "bash"),
        ("console", "Bash Session", "console"),
        ("fortran", "Fortran", "fortran"),
        ("r R", "R", "r"),
        ("py  Optional label", "Optional label", "py"),
        ("julia  Julia (1.10)", "Julia (1.10)", "julia"),
    ],
)
@pytest.mark.parametrize("syntax", ["md", "rst"])
def test_code_tab_label_and_language(build, arguments, label, language, syntax):
    if syntax == "md":
        source = f"# Page\n\n````{{tabs}}\n```{{code-tab}} {arguments}\nsome code\n```\n````\n"
    else:
        source = f"Page\n====\n\n.. tabs::\n\n   .. code-tab:: {arguments}\n\n      some code\n"
    result = build({f"index.{syntax}": source})
    soup = result.html("index")
    assert result.warning_lines() == []
    assert tab_sets(soup) == [[label]]
    (tab,) = labels(soup)
    assert tab["data-sync-id"] == label
    block = panel_of(tab).select_one("div.highlight")
    assert f"highlight-{language}" in block.parent["class"]
    assert block.get_text() == "some code\n"


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("py", "Python"),
        ("PYTHON", "Python"),
        ("cpp", "C++"),
        ("r", "S"),
        ("no-such-lexer", "no-such-lexer"),
    ],
)
def test_lexer_label_is_the_pygments_name(language, label):
    # sphinx-tabs showed the Pygments lexer's name ("S" for r, hence "code-tab:: r R" in lessons).
    assert lexer_label(language) == label


def test_code_tab_takes_code_block_options(build):
    result = build(
        {
            "index.rst": """
            Page
            ====

            .. tabs::

               .. code-tab:: python
                  :linenos:
                  :emphasize-lines: 2
                  :caption: example.py

                  a = 1
                  b = 2
            """
        }
    )
    soup = result.html("index")
    assert result.warning_lines() == []
    panel = panel_of(labels(soup)[0])
    assert [span.get_text() for span in panel.select(".linenos")] == ["1", "2"]
    assert "b" in panel.select_one(".hll").get_text()
    assert panel.select_one(".code-block-caption").get_text(strip=True).startswith("example.py")


def test_code_tab_code_is_literal(build):
    """The body of a code-tab is code: no markup is parsed in it."""
    source = "# Page\n\n````{tabs}\n```{code-tab} rst\n.. note:: *not* a box\n```\n````\n"
    soup = build({"index.md": source}).html("index")
    panel = panel_of(labels(soup)[0])
    assert panel.select(".admonition") == []
    assert panel.select_one("pre").get_text() == ".. note:: *not* a box\n"


# --- Synchronisation and persistence --------------------------------------------------------

SYNC_PAGE = """
# Page

:::::{tabs}
::::{group-tab} Command line
one
::::
::::{group-tab} GitHub
two
::::
::::{tab} Plain
three
::::
:::::

Another set, other order:

:::::{tabs}
::::{group-tab} GitHub
four
::::
::::{group-tab} Command  line
five
::::
::::{code-tab} py
six = 6
::::
:::::

:::::{tabs}
::::{group-tab} Python
seven
::::
::::{tab} Plain
eight
::::
:::::
"""


def test_group_tabs_with_the_same_label_share_a_sync_key(build):
    result = build({"index.md": SYNC_PAGE})
    soup = result.html("index")
    assert result.warning_lines() == []
    keys = [
        [(label.get("data-sync-group"), label.get("data-sync-id")) for label in own_labels(tab_set)]
        for tab_set in soup.select(".sd-tab-set")
    ]
    assert keys == [
        [("tabs", "Command line"), ("tabs", "GitHub"), (None, None)],
        [("tabs", "GitHub"), ("tabs", "Command line"), ("tabs", "Python")],
        [("tabs", "Python"), (None, None)],
    ]


@pytest.mark.parametrize(
    ("label", "key"),
    [("Command line", "Command line"), ("  Command \n line ", "Command line"), ("C++", "C++")],
)
def test_sync_id_is_the_label_bar_spacing(label, key):
    assert sync_id(label) == key


def test_sphinx_design_script_persists_the_choice(build):
    """Persistence across pages comes from sphinx-design's design-tabs.js (localStorage)."""
    result = build({"index.md": SYNC_PAGE})
    page = result.html("index")
    scripts = [s for s in page.select("script[src]") if "design-tabs.js" in s["src"]]
    assert len(scripts) == 1
    assert scripts[0]["data-sd-tabs-storage-prefix"] != ""
    script = (result.outdir / "_static" / "design-tabs.js").read_text(encoding="utf-8")
    assert "localStorage.setItem" in script
    assert "data-sync-group" in script


def test_no_tab_script_outside_html(build):
    result = build({"index.md": SYNC_PAGE, "conf.py": CONF}, builder="latex")
    assert not (result.outdir / "_static" / "design-tabs.js").exists()
    assert "design-tabs" not in result.text("tabs.tex")


# --- Nesting and targets --------------------------------------------------------------------


def test_nested_tabs(build):
    result = build(
        {
            "index.md": """
            # Page

            ``````{tabs}
            `````{group-tab} Outer A
            ````{tabs}
            ```{tab} Inner 1
            inner one
            ```
            ```{code-tab} py
            inner = 2
            ```
            ````
            `````
            `````{group-tab} Outer B
            outer b
            `````
            ``````
            """
        }
    )
    soup = result.html("index")
    assert result.warning_lines() == []
    assert tab_sets(soup) == [["Outer A", "Outer B"], ["Inner 1", "Python"]]
    outer, inner = soup.select(".sd-tab-set")
    assert inner.parent is panel_of(outer.find("label", recursive=False))
    # The inner set gets its own radio group.
    names = {i["name"] for i in inner.find_all("input", recursive=False)}
    assert len(names) == 1
    assert names.isdisjoint(i["name"] for i in outer.find_all("input", recursive=False))


def test_nested_tabs_rst(build):
    result = build(
        {
            "index.rst": """
            Page
            ====

            .. tabs::

               .. tab:: Outer A

                  .. tabs::

                     .. group-tab:: Inner 1

                        inner one

                     .. group-tab:: Inner 2

                        inner two

               .. tab:: Outer B

                  outer b
            """
        }
    )
    assert result.warning_lines() == []
    assert tab_sets(result.html("index")) == [["Outer A", "Outer B"], ["Inner 1", "Inner 2"]]


@pytest.mark.parametrize("syntax", ["rst", "md"])
def test_tab_body_may_start_on_the_line_after_the_label(build, syntax):
    """sphinx-tabs' rule: the first content line is the label, the rest the body."""
    files = {"code.cu": "__global__ void kernel() {}\n", "code.hip": "hipLaunchKernel();\n"}
    if syntax == "rst":
        files["index.rst"] = """
            Page
            ====

            .. tabs::

               .. group-tab:: CUDA
                  .. literalinclude:: code.cu
                     :language: c

               .. group-tab:: HIP
                     Text straight under the label, indented deeper.

                     .. literalinclude:: code.hip

               .. tab:: Plain
                  One line of body.
            """
    else:
        files["index.md"] = """
            # Page

            ````{tabs}
            ```{group-tab} CUDA
            :::{literalinclude} code.cu
            :language: c
            :::
            ```
            ```{group-tab} HIP
            Text straight under the label, indented deeper.

            :::{literalinclude} code.hip
            :::
            ```
            ```{tab} Plain
            One line of body.
            ```
            ````
            """
    result = build(files)
    assert result.warning_lines() == []
    soup = result.html("index")
    assert tab_sets(soup) == [["CUDA", "HIP", "Plain"]]
    cuda, hip, plain = (panel_of(label) for label in labels(soup))
    assert "__global__ void kernel" in cuda.get_text()
    assert "Text straight under the label" in hip.get_text()
    assert "hipLaunchKernel" in hip.get_text()
    assert plain.get_text(strip=True) == "One line of body."


def test_targets_in_tabs_are_kept(build):
    result = build(
        {
            "index.md": """
            # Page

            See [the tabs](my-tabs).

            :::::{tabs}
            (my-tabs)=
            ::::{group-tab} One
            one
            ::::
            :::::
            """
        }
    )
    soup = result.html("index")
    assert result.warning_lines() == []
    assert tab_sets(soup) == [["One"]]
    link = soup.select_one("a.reference.internal")
    assert link["href"] == "#my-tabs"
    assert soup.find(id="my-tabs") is not None


# --- Every builder --------------------------------------------------------------------------

BUILDERS = {
    "html": "index.html",
    "dirhtml": "index.html",
    "singlehtml": "index.html",
    "latex": "tabs.tex",
    "epub": "index.xhtml",
    "text": "index.txt",
    "man": "tabs.1",
    "texinfo": "tabs.texi",
}

BUILDER_PAGE = """
# Page

``````{tabs}
`````{group-tab} Command line
Shell content.

````{tabs}
```{tab} Nested label
Nested content.
```
````
`````
`````{tab} Plain label
Plain content.
`````
`````{code-tab} py
codeContent = 1
`````
``````

The same in rST:

```{eval-rst}
.. tabs::

   .. code-tab:: bash  Rst label

      rstCodeContent

   .. group-tab:: Other label

      Other content.
```
"""


@pytest.mark.parametrize("builder", BUILDERS)
def test_every_builder(build, builder):
    result = build({"index.md": BUILDER_PAGE, "conf.py": CONF}, builder=builder)
    assert result.warning_lines() == []
    output = result.text(BUILDERS[builder])
    for text in [
        "Command line",
        "Shell content.",
        "Nested label",
        "Nested content.",
        "Plain label",
        "Plain content.",
        "Python",
        "codeContent",
        "Rst label",
        "rstCodeContent",
        "Other label",
        "Other content.",
    ]:
        assert text in output, text
    if builder in ("html", "dirhtml", "singlehtml", "epub"):
        assert output.count('class="sd-tab-set') == 3


# --- Bad input ------------------------------------------------------------------------------

BAD_CASES = {
    "myst-tab-outside-tabs": (
        "index.md",
        """
        # Page

        ```{tab} Lonely
        Lonely content.
        ```
        """,
        3,
        "'tab' directive outside a 'tabs' directive",
        "Lonely content.",
    ),
    "rst-group-tab-outside-tabs": (
        "index.rst",
        """
        Page
        ====

        .. group-tab:: Lonely

           Lonely content.
        """,
        4,
        "'group-tab' directive outside a 'tabs' directive",
        "Lonely content.",
    ),
    # rST here: MyST numbers the lines of nested directives one line late per level
    # (sphinx-design's own warnings show the same).
    "tab-in-a-tab-without-tabs": (
        "index.rst",
        """
        Page
        ====

        .. tabs::

           .. tab:: Outer

              .. tab:: Inner

                 Inner content.
        """,
        8,
        "'tab' directive outside a 'tabs' directive",
        "Inner content.",
    ),
    # As in sphinx-tabs, the first content line is the label: text under a bare
    # directive line becomes the label, and the tab is reported as empty.
    "myst-tab-without-label": (
        "index.md",
        """
        # Page

        ````{tabs}
        ```{tab}
        Unlabelled content.
        ```
        ````
        """,
        4,
        "'tab' directive 'Unlabelled content.' has no content",
        "Unlabelled content.",
    ),
    "rst-group-tab-without-label": (
        "index.rst",
        """
        Page
        ====

        .. tabs::

           .. group-tab::

              Unlabelled content.
        """,
        6,
        "'group-tab' directive 'Unlabelled content.' has no content",
        "Unlabelled content.",
    ),
    "rst-empty-group-tab": (
        "index.rst",
        """
        Page
        ====

        .. tabs::

           .. group-tab::

           Under the tab set.
        """,
        6,
        "'group-tab' directive without a label",
        "Under the tab set.",
    ),
    "code-tab-without-language": (
        "index.md",
        """
        # Page

        ````{tabs}
        ```{code-tab}
        unlabelled_code = 1
        ```
        ````
        """,
        4,
        "'code-tab' directive without a language",
        "unlabelled_code",
    ),
    "myst-empty-tabs": (
        "index.md",
        """
        # Page

        Before.

        ```{tabs}
        ```

        After.
        """,
        5,
        "'tabs' directive without content",
        "After.",
    ),
    "rst-empty-tabs": (
        "index.rst",
        """
        Page
        ====

        .. tabs::

        After.
        """,
        4,
        "'tabs' directive without content",
        "After.",
    ),
    "tabs-without-a-tab": (
        "index.md",
        """
        # Page

        ```{tabs}
        Only text.
        ```
        """,
        3,
        "'tabs' directive holds no tab",
        "Only text.",
    ),
    "rst-misindented-tab-content": (
        "index.rst",
        """
        Page
        ====

        .. tabs::

           .. tab:: One

           Not indented under the tab.
        """,
        6,
        "'tab' directive 'One' has no content",
        "Not indented under the tab.",
    ),
}


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_input_warns_with_file_and_line(build, case):
    name, source, line, message, kept = BAD_CASES[case]
    result = build({name: source})
    warnings = result.warning_lines()
    matching = [w for w in warnings if message in w]
    assert len(matching) == 1, result.warnings
    assert f"{name}:{line}: WARNING" in matching[0]
    assert "[refinery.tabs]" in matching[0]
    assert all(f"{name}:" in w for w in warnings), result.warnings  # every warning located
    # No content gets lost.
    assert kept in result.html("index").get_text()


STRAY_CONTENT = {
    "text-between-tabs": (
        "index.rst",
        """
        Page
        ====

        .. tabs::

           .. group-tab:: One

              one

           Stray text.

           .. group-tab:: Two

              two
        """,
    ),
}


def test_stray_content_is_shown_after_the_tab_set(build):
    """sphinx-tabs showed it silently, and real lessons have it: no warning, nothing lost."""
    name, source = STRAY_CONTENT["text-between-tabs"]
    result = build({name: source})
    assert result.warning_lines() == []
    soup = result.html("index")
    (tab_set,) = soup.select(".sd-tab-set")
    assert tab_sets(soup) == [["One", "Two"]]
    assert "Stray text." not in tab_set.get_text()
    assert tab_set.find_next_sibling("p").get_text() == "Stray text."


def test_tab_outside_tabs_becomes_a_heading(build):
    _name, source, *_ = BAD_CASES["myst-tab-outside-tabs"]
    soup = build({"index.md": source}).html("index")
    assert soup.select(".sd-tab-set, .sd-tab-label, .sd-tab-content") == []
    rubric = soup.select_one("p.rubric")
    assert rubric.get_text() == "Lonely"
    assert rubric.find_next_sibling("p").get_text() == "Lonely content."


def test_bad_input_in_every_text_builder_does_not_crash(build):
    """A tab outside tabs leaves generic nodes that the text builder writes."""
    _name, source, *_ = BAD_CASES["myst-tab-outside-tabs"]
    result = build({"index.md": source, "conf.py": CONF}, builder="text")
    assert re.search(r"Lonely\s.*Lonely content\.", result.text("index.txt"), re.S)
