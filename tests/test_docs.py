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
