"""Bad input: a clear warning with file and line, escaped output, never a traceback."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_refinery.boxes.directives import BOX_KINDS
from tests.conftest import build_once

CASES_FILE = Path(__file__).parent / "cases" / "bad_input.txt"


def load_cases(path: Path) -> list[tuple[str, dict[str, str], list[str]]]:
    cases = []
    for chunk in re.split(r"^=== ", path.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]:
        name, _, rest = chunk.partition("\n")
        parts = re.split(r"^--- (.+)\n", rest, flags=re.MULTILINE)[1:]
        sections = dict(zip(parts[0::2], parts[1::2], strict=True))
        expect = [line for line in sections.pop("expect").splitlines() if line.strip()]
        cases.append((name.strip(), sections, expect))
    return cases


CASES = load_cases(CASES_FILE)


@pytest.mark.parametrize(("name", "files", "expect"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_warns_with_location(build, name, files, expect):
    result = build(files)
    src = str(result.srcdir)
    for fragment in expect:
        assert fragment.format(src=src) in result.warnings, result.warnings
    # A crash would have raised out of the build; what can still go wrong is a
    # warning nobody can find, or a page not written.
    assert all(line.startswith(f"{src}/") for line in result.warning_lines()), result.warnings
    assert (result.outdir / "index.html").exists()


def test_warnings_are_typed(build):
    """Every warning carries a type and subtype, so suppress_warnings works."""
    checked = 0
    for _name, files, _expect in CASES:
        for line in build(files).warning_lines():
            if "WARNING" in line:
                assert re.search(r"\[[\w-]+\.[\w-]+\]$", line), line
                checked += 1
    assert checked >= len(CASES) - 2


def test_suppress_warnings_silences_a_subtype(build):
    files = dict(next(files for name, files, _ in CASES if name == "duplicate label in one page"))
    result = build(files)
    src = f"{result.srcdir}/"
    loud = [line for line in result.warning_lines() if line.startswith(src)]  # the lesson's
    typed = [line for line in loud if line.endswith("[refinery.duplicate-label]")]
    assert typed, loud  # the warning is there, with its subtype
    files["conf.py"] = 'extensions = ["sphinx_refinery"]\nsuppress_warnings = ["refinery.duplicate-label"]\n'
    quiet = [line for line in build(files).warning_lines() if line.startswith(src)]
    # Exactly that warning is gone, whatever its words; every other one stays.
    assert quiet == [line for line in loud if line not in typed]


HOSTILE = '<script>alert("x")</script> & \'quotes\' "double"'


@pytest.mark.parametrize("suffix", [".md", ".rst"])
def test_title_is_escaped(build, suffix):
    if suffix == ".md":
        source = f"# Page\n\n```{{exercise}} {HOSTILE}\nBody.\n```\n"
    else:
        source = f"Page\n====\n\n.. exercise:: {HOSTILE}\n\n   Body.\n"
    result = build({"index" + suffix: source})
    raw = result.text("index.html")
    assert "<script>alert" not in raw
    assert html.escape("<script>alert") in raw
    title = result.html().select_one(".admonition-title").get_text()
    assert "<script>" in title and "&" in title


KIND_NAMES = [name for kind in BOX_KINDS for name in kind.directive_names]
OPTION_LINES = st.sampled_from(
    [":class: dropdown", ":class: toggle-shown dropdown", ":label: x", ":name: y", ":time: 5",
     ":time: -1", ":nonumber:", ":exercise: x", ":bogus: 1", ":class:", ""]
)
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


@st.composite
def box_source(draw, depth=0):
    name = draw(st.sampled_from([*KIND_NAMES, "exerciselist", "not-a-box"]))
    title = draw(TEXT).replace("\n", " ")
    options = draw(st.lists(OPTION_LINES, max_size=3))
    body = [draw(TEXT)]
    if depth < 3 and draw(st.booleans()):
        body.append(draw(box_source(depth=depth + 1)))
    fence = ":" * (3 + 3 - depth)
    return "\n".join([f"{fence}{{{name}}} {title}", *options, "", *body, fence, ""])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sources=st.lists(box_source(), min_size=1, max_size=3))
def test_generated_boxes_never_crash(tmp_path_factory, sources):
    files = {"index.md": "# Page\n\n" + "\n".join(sources)}
    result = build_once(tmp_path_factory.mktemp("gen") / "src", files)
    src = str(result.srcdir)
    assert all(line.startswith(f"{src}/index.md:") for line in result.warning_lines()), result.warnings
    assert (result.outdir / "index.html").exists()
