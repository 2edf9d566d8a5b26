"""A label with no ASCII letter gets an anchor of its own, which stays when a box is added above."""

from __future__ import annotations

from tests.conftest import build_once

BOX = "```{{exercise}} {title}\n:label: {label}\n\nText.\n```\n\n"


def anchors(labels: list[str], folder) -> dict[str, str]:
    body = "".join(BOX.format(title=f"T{i}", label=label) for i, label in enumerate(labels))
    refs = " ".join(f"{{ref}}`{label}`" for label in labels)
    files = {"conf.py": 'extensions = ["sphinx_refinery"]\n', "index.md": f"# Page\n\n{body}See {refs}.\n"}
    result = build_once(folder / "src", files, builddir=folder / "build")
    assert result.warning_lines() == []
    soup = result.html()
    found = {}
    for link in soup.select("a.reference.internal"):
        found[link.get_text()] = link["href"]
    return found


def test_anchor_stays_when_a_box_is_added_above(tmp_path):
    before = anchors(["データ"], tmp_path / "one")
    after = anchors(["ゆき", "データ"], tmp_path / "two")
    assert before["T0"] == after["T1"]
    assert before["T0"].startswith("#box-") and before["T0"] != "#box"
    assert after["T0"] != after["T1"]
