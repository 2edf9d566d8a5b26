"""The documentation site builds with sphinx-refinery itself, warning-free."""

import shutil

from tests.conftest import ROOT, build_once


def test_docs_build_without_warnings(tmp_path):
    src = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", src, ignore=shutil.ignore_patterns("_build"))
    shutil.copy(ROOT / "CHANGELOG.md", tmp_path / "CHANGELOG.md")
    result = build_once(src, None, "html")
    assert result.warning_lines() == [], result.warnings
    reference = result.html("configuration")
    from sphinx_refinery.config import SETTINGS

    for setting in SETTINGS:
        assert reference.find("code", string=setting.config_name) or setting.config_name in reference.get_text()
    # The gallery shows every kind in either view: its instructor note is not hidden
    # from learners (the class the learner view spares).
    notes = result.html("gallery").select(".refinery-gallery-rendered .admonition.instructor-note")
    assert notes and all("refinery-listed" in note["class"] for note in notes)
    # The design notes show a screenshot per theme and scheme, each one copied.
    images = result.html("design").select("img")
    assert len(images) == 8 and all((result.outdir / img["src"]).is_file() for img in images)
