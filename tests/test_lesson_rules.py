"""Rules the build and the checker share: they give the same answer on the same pages."""

from __future__ import annotations

from sphinx_refinery import aggregates, lesson_rules
from sphinx_refinery.check import rules
from sphinx_refinery.check.lesson import load, settings_from_conf

NESTED = {
    "index.md": "# Lesson\n\n```{toctree}\na\nb\n```\n",
    "a.md": "# A\n\n```{toctree}\na1\n```\n",
    "a1.md": "# A1\n",
    "b.md": "# B\n\n```{toctree}\n:glob:\nb/*\n```\n",
    "b/two.md": "# B two\n",
    "b/one.md": "# B one\n",
    "orphan.md": "---\norphan: true\n---\n# Orphan\n",
}


def test_toctree_order_is_depth_first():
    tree = {"index": ["a", "b"], "a": ["a1", "index"], "b": ["gone", "a1"], "a1": []}
    docs = {"index", "a", "b", "a1"}
    order = lesson_rules.toctree_order("index", lambda d: tree.get(d, []), docs)
    assert order == ["index", "a", "a1", "b"]
    assert lesson_rules.toctree_order("missing", lambda d: tree.get(d, []), docs) == []


def test_build_and_check_agree_on_page_order(build):
    result = build(NESTED)
    built = aggregates.toctree_order(result.app.env)
    assert built == ["index", "a", "a1", "b", "b/one", "b/two"]
    lesson = load(settings_from_conf(result.srcdir))
    assert rules.toctree_order(lesson) == built
