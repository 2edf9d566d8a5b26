"""Each box kind's icon: an Octicon as inline SVG before the title, in HTML only."""

from __future__ import annotations

import pytest

from sphinx_refinery.boxes.directives import BOX_KINDS, BoxKind

PAGE = """\
# Icons

```{exercise} Try
Do it.
```

```{solution}
Done.
```

```{keypoints}
- One.
```

```{note}
:class: dropdown
A folded note.
```

```{warmup}
Stretch.
```
"""
CONF = 'extensions = ["sphinx_refinery"]\nrefinery_box_kinds = {"warmup": {"icon": "flame"}, "plain": {}}\n'


def test_every_built_in_kind_has_its_own_icon():
    icons = [kind.icon for kind in BOX_KINDS]
    assert len(set(icons)) == len(icons), icons


def test_icons_precede_titles_in_html(build):
    result = build({"conf.py": CONF, "index.md": PAGE})
    assert result.warning_lines() == [], result.warnings
    soup = result.html()
    for kind, icon in [("exercise", "pencil"), ("solution", "eye"), ("keypoints", "key"), ("warmup", "flame")]:
        title = soup.select_one(f".admonition.{kind} > .admonition-title")
        svgs = title.find_all("svg")
        shown = [svg for svg in svgs if "refinery-icon" in svg["class"]]
        assert len(shown) == 1, (kind, svgs)
        assert f"sd-octicon-{icon}" in shown[0]["class"]
        assert shown[0]["aria-hidden"] == "true"
    # Folded boxes: the marker comes first (it floats right, on the title's first line).
    summary = soup.select_one("details.solution > summary")
    assert "refinery-marker" in summary.find("svg")["class"]
    # A theme admonition keeps the theme's icon, folded too (the script adds the marker).
    note = soup.select_one("div.note.refinery-dropdown > p.admonition-title")
    assert note.find_all("svg") == []


@pytest.mark.parametrize("builder", ["latex", "text"])
def test_other_builders_have_no_icons(build, builder):
    result = build({"conf.py": CONF, "index.md": PAGE}, builder=builder)
    out = "".join(p.read_text(encoding="utf-8") for p in result.outdir.glob("*.t*"))
    assert "Stretch." in out
    assert "<svg" not in out and "octicon" not in out


def test_a_configured_kind_without_an_icon_gets_the_default():
    assert BoxKind.from_config("plain", {}).icon == "note"


@pytest.mark.parametrize(
    ("icon", "message"),
    [("flam", "unknown icon 'flam' (did you mean 'flame'?)"), (3, "icon must be an Octicon name")],
)
def test_a_bad_icon_is_a_typed_config_warning(build, icon, message):
    conf = f'extensions = ["sphinx_refinery"]\nrefinery_box_kinds = {{"warmup": {{"icon": {icon!r}}}}}\n'
    result = build({"conf.py": conf, "index.md": "# Page\n\nText.\n"})
    assert f"refinery_box_kinds: kind 'warmup': {message}" in result.warnings
    assert "[refinery.config]" in result.warnings
    assert "Traceback" not in result.warnings
