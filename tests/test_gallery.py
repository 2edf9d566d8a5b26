"""The documentation's gallery: each example's MyST and rST sources render the same."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, build_once

GALLERY = ROOT / "docs" / "gallery"
NAMES = [line.split("\t")[0] for line in (GALLERY / "examples.txt").read_text().splitlines() if line.strip()]


def lesson(suffix: str) -> dict[str, str]:
    heading = {"md": "# Example\n\n", "rst": "Example\n=======\n\n"}[suffix]
    files = {f"{name}.{suffix}": heading + (GALLERY / f"{name}.{suffix}").read_text() for name in NAMES}
    files["index.md"] = "# Gallery\n\n```{toctree}\n" + "\n".join(NAMES) + "\n```\n"
    return files


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = {}
    for suffix in ("md", "rst"):
        result = build_once(tmp_path_factory.mktemp(suffix) / "src", lesson(suffix))
        assert result.warning_lines() == [], result.warnings
        out[suffix] = {name: body(result.html(name)) for name in NAMES}
    return out


def body(soup) -> str:
    main = soup.select_one("[role=main]") or soup.body
    section = main.find("section")
    section.find("h1").decompose()
    return str(section)


def test_every_example_has_both_sources():
    assert len(NAMES) >= 16
    for name in NAMES:
        assert (GALLERY / f"{name}.md").is_file() and (GALLERY / f"{name}.rst").is_file()


@pytest.mark.parametrize("name", NAMES)
def test_myst_and_rst_render_the_same(rendered, name):
    assert 'class="admonition' in rendered["md"][name] or "sd-tab-set" in rendered["md"][name]
    assert rendered["md"][name] == rendered["rst"][name]
