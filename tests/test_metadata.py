"""Lesson metadata: the lesson-metadata directive and schema.org JSON-LD."""

from __future__ import annotations

import json

import pytest

CITATION = """
cff-version: 1.2.0
title: "From the citation file"
authors:
  - given-names: Ada
    family-names: Lovelace
  - name: "The Carpentries"
license: CC-BY-4.0
doi: 10.5281/zenodo.123
date-released: 2021-03-04
keywords: [git, version control]
"""


def json_ld(soup) -> dict:
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def test_json_ld_from_conf_and_citation(build):
    conf = (
        'extensions = ["sphinx_refinery"]\nproject = "Git intro"\nlanguage = "en-GB"\n'
        'refinery_metadata = {"audience": "researchers", "prerequisites": ["a terminal"]}\n'
    )
    result = build({"conf.py": conf, "index.md": "# L\n\n```{lesson-metadata}\n```\n", "CITATION.cff": CITATION})
    assert result.warning_lines() == []
    data = json_ld(result.html())
    assert data["@type"] == "LearningResource" and data["@context"] == "https://schema.org"
    assert data["name"] == "Git intro"  # conf.py wins over CITATION.cff
    assert [a["name"] for a in data["author"]] == ["Ada Lovelace", "The Carpentries"]
    assert data["license"] == "CC-BY-4.0"
    assert data["identifier"] == "https://doi.org/10.5281/zenodo.123"
    assert data["dateCreated"] == "2021-03-04"
    assert data["keywords"] == ["git", "version control"]
    assert data["audience"]["educationalRole"] == "researchers"
    assert data["competencyRequired"] == ["a terminal"]
    assert data["inLanguage"] == "en-GB"
    shown = result.html().select_one(".refinery-lesson-metadata")
    names = [dt.get_text(strip=True).rstrip(":") for dt in shown.find_all("dt")]
    assert names == ["Title", "Authors", "Licence", "DOI", "Created", "Keywords", "Audience", "Prerequisites"]
    text = shown.get_text(" ", strip=True)
    assert "Ada Lovelace, The Carpentries" in text and "10.5281/zenodo.123" in text
    assert result.html().select_one(".refinery-lesson-metadata a")["href"] == "https://doi.org/10.5281/zenodo.123"


def test_json_ld_escapes_script_end(build):
    conf = 'extensions = ["sphinx_refinery"]\nproject = "A </script><script>alert(1)</script> lesson"\n'
    result = build({"conf.py": conf, "index.md": "# L\n"})
    raw = result.text("index.html")
    assert "</script><script>alert(1)" not in raw
    assert json_ld(result.html())["name"] == "A </script><script>alert(1)</script> lesson"


def test_no_json_ld_outside_html(build):
    result = build({"index.md": "# L\n"}, builder="latex")
    assert "ld+json" not in next(result.outdir.glob("*.tex")).read_text()


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"licence": "MIT"}, "unknown key 'licence'"),
        ({"keywords": "git"}, "'keywords' must be a list"),
        ({"keywords": [1, 2]}, "'keywords' must be a list of strings"),
        ("MIT", "must be a dict"),
    ],
)
def test_bad_metadata_config(build, value, problem):
    conf = f'extensions = ["sphinx_refinery"]\nrefinery_metadata = {value!r}\n'
    result = build({"conf.py": conf, "index.md": "# L\n"})
    assert problem in result.warnings and "[refinery.config]" in result.warnings


def test_citation_with_several_licences(build):
    citation = CITATION.replace("license: CC-BY-4.0", "license: [CC-BY-4.0, MIT]")
    result = build({"index.md": "# L\n\n```{lesson-metadata}\n```\n", "CITATION.cff": citation})
    assert result.warning_lines() == []
    assert json_ld(result.html())["license"] == "CC-BY-4.0 OR MIT"


def test_a_lessons_own_lesson_metadata_directive_is_kept_without_a_warning(build):
    """Several sphinx-lesson lessons ship a local extension registering ``lesson-metadata``."""
    own = '''
from docutils import nodes
from docutils.parsers.rst import Directive


class Own(Directive):
    def run(self):
        return [nodes.paragraph("", "the lesson own metadata table")]


def setup(app):
    app.add_directive("lesson-metadata", Own)
    return {"parallel_read_safe": True}
'''
    conf = (
        "import os, sys\nsys.path.insert(0, os.path.abspath('.'))\n"
        'extensions = ["sphinx_refinery", "own_metadata"]\n'
    )
    result = build(
        {
            "conf.py": conf,
            "own_metadata.py": own,
            "index.md": "# L\n\n```{lesson-metadata}\n```\n",
        }
    )
    assert result.warning_lines() == []
    assert "the lesson own metadata table" in result.html().get_text()
    assert result.html().select_one(".refinery-lesson-metadata") is None
