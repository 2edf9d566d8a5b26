"""The checker's cache of what a lesson's extensions register (check/cache.py)."""

from __future__ import annotations

import json
import sys

import pytest
import sphinx

from sphinx_refinery.check import cache, known
from sphinx_refinery.check.lesson import settings_from_conf
from tests.conftest import write_sources

CONF = (
    'extensions = ["sphinx_refinery"]\n'
    "import sys, os\n"
    "sys.path.insert(0, os.path.dirname(__file__))\n"
    "import local_directives\n"
    "def setup(app):\n"
    "    local_directives.register(app)\n"
)
LOCAL = (
    "from docutils.parsers.rst.directives.body import Topic\n"
    "def register(app):\n"
    '    app.add_directive("first-local", Topic)\n'
)


@pytest.fixture
def lesson(tmp_path, monkeypatch):
    """A lesson whose conf.py registers a directive from a module beside it; a fresh cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(cache.BYPASS_ENV, raising=False)
    src = tmp_path / "lesson"
    write_sources(src, {"conf.py": CONF, "local_directives.py": LOCAL, "index.md": "# T\n"})
    return src.resolve()


@pytest.fixture
def applications(monkeypatch):
    """How often an application is set up to learn the names (cache misses)."""
    calls = []
    original = known._from_application

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(known, "_from_application", counting)
    return calls


def cache_files(tmp_path):
    return list((tmp_path / "cache" / "sphinx-refinery" / "check").glob("*.json"))


def test_a_hit_knows_what_a_miss_knows(lesson, tmp_path, applications):
    missed = settings_from_conf(lesson).known
    assert "first-local" in missed and "exercise" in missed and "tab-set" in missed
    assert len(cache_files(tmp_path)) == 1
    hit = settings_from_conf(lesson).known
    assert len(applications) == 1  # the second run read the cache
    assert hit.names == missed.names and hit.missing == missed.missing


def test_a_changed_conf_py_is_a_miss(lesson, applications):
    settings_from_conf(lesson)
    (lesson / "conf.py").write_text(
        CONF + '    app.add_directive("second-local", local_directives.Topic)\n',
        encoding="utf-8",
    )
    again = settings_from_conf(lesson).known
    assert len(applications) == 2
    assert "second-local" in again and "first-local" in again


def test_a_changed_lesson_module_is_a_miss(lesson, applications):
    settings_from_conf(lesson)
    (lesson / "local_directives.py").write_text(
        LOCAL.replace("first-local", "renamed-local"), encoding="utf-8"
    )
    again = settings_from_conf(lesson).known
    assert len(applications) == 2
    assert "renamed-local" in again and "first-local" not in again


def test_another_sphinx_version_is_a_miss(lesson, applications, monkeypatch):
    settings_from_conf(lesson)
    monkeypatch.setattr(sphinx, "__version__", "0.0.0")
    settings_from_conf(lesson)
    assert len(applications) == 2
    settings_from_conf(lesson)
    assert len(applications) == 2  # and the new answer is cached in turn


@pytest.mark.parametrize(
    "damage",
    [
        "not json {",
        "[]",
        '{"key": 3}',
        "KEY",  # the right key, the rest missing
        '{"key": "KEY", "files": {}, "names": [1, 2], "missing": []}',
    ],
)
def test_a_damaged_cache_file_is_ignored(lesson, tmp_path, applications, damage):
    first = settings_from_conf(lesson).known
    (path,) = cache_files(tmp_path)
    key = json.loads(path.read_text(encoding="utf-8"))["key"]
    text = damage.replace("KEY", key)
    path.write_text(json.dumps({"key": key}) if damage == "KEY" else text, encoding="utf-8")
    again = settings_from_conf(lesson).known
    assert len(applications) == 2
    assert again.names == first.names
    assert json.loads(path.read_text(encoding="utf-8"))["key"] == key  # written again


def test_an_unwritable_cache_is_ignored(lesson, tmp_path, monkeypatch, applications):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # its folders cannot be made
    first = settings_from_conf(lesson).known
    again = settings_from_conf(lesson).known
    assert len(applications) == 2
    assert "first-local" in first and first.names == again.names


def test_the_cache_can_be_turned_off(lesson, tmp_path, monkeypatch, applications):
    monkeypatch.setenv(cache.BYPASS_ENV, "1")
    settings_from_conf(lesson)
    settings_from_conf(lesson)
    assert len(applications) == 2
    assert cache_files(tmp_path) == []


def test_old_files_are_pruned(lesson, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "MAX_FILES", 2)
    for name in ("a", "b", "c"):
        other = tmp_path / name
        write_sources(other, {"conf.py": 'extensions = ["sphinx_refinery"]\n'})
        settings_from_conf(other.resolve())
    assert len(cache_files(tmp_path)) == 2


# -- pages ------------------------------------------------------------------------------------

PAGE = "# Title\n\n```{exercize}\nx\n```\n\n![](missing.png)\n"


@pytest.fixture
def readings(monkeypatch):
    """The pages tokenised (not taken from the cache)."""
    from sphinx_refinery.check import markdown

    read = []
    original = markdown.parse_markdown

    def counting(page, text, options):
        read.append(page.docname)
        return original(page, text, options)

    monkeypatch.setattr(markdown, "parse_markdown", counting)
    return read


def summary(srcdir):
    from sphinx_refinery.commands.check import check_lesson

    return sorted((f.path.name, f.line, f.rule, f.message) for f in check_lesson(srcdir)[1])


def test_a_page_read_before_is_not_read_again(lesson, tmp_path, readings):
    (lesson / "index.md").write_text(PAGE, encoding="utf-8")
    (lesson / "other.md").write_text("# Other\n\nText.\n", encoding="utf-8")
    first = summary(lesson)
    assert sorted(readings) == ["index", "other"]
    assert {"unknown-directive", "missing-file"} <= {rule for _f, _l, rule, _m in first}
    assert summary(lesson) == first
    assert len(readings) == 2  # both from the cache
    (lesson / "other.md").write_text("# Other\n\n```{exercize}\n```\n", encoding="utf-8")
    third = summary(lesson)
    assert readings[2:] == ["other"]  # only the page that changed
    assert len(third) == len(first) + 1


def test_pages_are_read_again_when_the_known_directives_change(lesson, readings):
    (lesson / "index.md").write_text(PAGE, encoding="utf-8")
    summary(lesson)
    (lesson / "local_directives.py").write_text(
        LOCAL.replace("first-local", "exercize"), encoding="utf-8"
    )
    found = summary(lesson)
    assert readings == ["index", "index"]
    assert "unknown-directive" not in {rule for _f, _l, rule, _m in found}


def test_a_damaged_page_cache_is_ignored(lesson, tmp_path, readings):
    (lesson / "index.md").write_text(PAGE, encoding="utf-8")
    first = summary(lesson)
    (pages,) = (tmp_path / "cache" / "sphinx-refinery" / "check").glob("*.pages")
    pages.write_bytes(b"\x80\x05not a pickle")
    assert summary(lesson) == first
    assert readings == ["index", "index"]
    assert summary(lesson) == first and len(readings) == 2  # stored again


def test_a_build_does_not_use_the_page_cache(build, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(cache.BYPASS_ENV, raising=False)
    result = build(
        {"index.md": PAGE}, confoverrides={"refinery_check_rules": ["unknown-directive"]}
    )
    assert "[refinery.unknown-directive]" in result.warnings
    assert not (tmp_path / "cache").exists()


def test_the_cache_folder_is_the_systems(monkeypatch, tmp_path):
    from sphinx_refinery.check import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "sphinx-refinery" / "check"
    if sys.platform.startswith("linux"):
        monkeypatch.delenv("XDG_CACHE_HOME")
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert cache.cache_dir() == tmp_path / "home" / ".cache" / "sphinx-refinery" / "check"
