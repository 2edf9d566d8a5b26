"""Translations: complete, compiled, chosen by Sphinx's ``language``, apart from author text."""

from __future__ import annotations

import functools
import importlib.util
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from sphinx_refinery.locale import CATALOG, LOCALE_DIR
from tests.conftest import ROOT, boxes

TOOL = ROOT / "tools" / "update_translations.py"
TEMPLATE = LOCALE_DIR / f"{CATALOG}.pot"

#: The languages shipped, with what the lesson's first exercise and its solution are called.
SHIPPED = {
    "da": ("Opgave 1.1", "Løsning til opgave 1.1"),
    "de": ("Aufgabe 1.1", "Lösung zu Aufgabe 1.1"),
    "es": ("Ejercicio 1.1", "Solución del ejercicio 1.1"),
    "et": ("Ülesanne 1.1", "Ülesande 1.1 lahendus"),
    "fi": ("Tehtävä 1.1", "Ratkaisu tehtävään 1.1"),
    "fr": ("Exercice 1.1", "Solution de l’exercice 1.1"),
    "is": ("Verkefni 1.1", "Lausn á verkefni 1.1"),
    "nb": ("Oppgave 1.1", "Løsning på oppgave 1.1"),
    "sv": ("Övning 1.1", "Lösning till övning 1.1"),
}
#: Other codes a lesson may set, and the catalogue they get.
ALSO = {"nb_NO": "nb", "no": "nb", "fi_FI": "fi", "de_DE": "de"}


@functools.cache
def _tool():
    """tools/update_translations.py, imported (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("update_translations", TOOL)
    module = importlib.util.module_from_spec(spec)
    sys.modules["update_translations"] = module
    spec.loader.exec_module(module)
    return module


def _po(language: str, locale_dir: Path = LOCALE_DIR):
    path = locale_dir / language / "LC_MESSAGES" / f"{CATALOG}.po"
    with path.open("rb") as fileobj:
        return read_po(fileobj, locale=language)


def _translations(catalog) -> dict[str, str]:
    return {message.id: message.string for message in catalog if message.id}


# ---- the catalogues ----------------------------------------------------------


def test_the_shipped_languages_are_the_ones_with_catalogues():
    found = {path.parent.parent.name for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{CATALOG}.po")}
    assert found == set(SHIPPED)


def test_the_template_holds_the_messages_of_every_module():
    with TEMPLATE.open("rb") as fileobj:
        ids = {message.id for message in read_po(fileobj) if message.id}
    # One from each module.
    for msgid in ["Type-Along", "Solution to Exercise %(number)s", "Licence", "Tab", "Break", "Teaching %(duration)s", "Learner view"]:
        assert msgid in ids
    assert len(ids) >= 50


@pytest.mark.parametrize("language", sorted(SHIPPED))
def test_every_message_is_translated(language):
    with TEMPLATE.open("rb") as fileobj:
        template = [message.id for message in read_po(fileobj) if message.id]
    catalog = _po(language)
    strings = _translations(catalog)
    missing = [msgid for msgid in template if not strings.get(msgid)]
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    broken = [(message.id, errors) for message, errors in catalog.check()]
    assert missing == []
    assert fuzzy == []
    assert broken == []  # e.g. a %(hours)d placeholder lost in translation


PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[a-z]")


@pytest.mark.parametrize("language", sorted(SHIPPED))
def test_every_translation_keeps_its_placeholders(language):
    for msgid, msgstr in _translations(_po(language)).items():
        assert sorted(PLACEHOLDER.findall(msgstr)) == sorted(PLACEHOLDER.findall(msgid)), msgid


@pytest.mark.parametrize("code", [*sorted(SHIPPED), "no"])
def test_each_compiled_catalogue_matches_its_po(code):
    language = _tool().ALIASES.get(code, code)
    compiled = io.BytesIO()
    write_mo(compiled, _po(language))
    compiled.seek(0)
    mo = LOCALE_DIR / code / "LC_MESSAGES" / f"{CATALOG}.mo"
    with mo.open("rb") as fileobj:
        shipped = read_mo(fileobj)
    assert _translations(shipped) == _translations(read_mo(compiled))


def test_the_check_passes_on_the_checkout():
    result = subprocess.run(
        [sys.executable, str(TOOL), "--check"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr


# ---- the maintenance script, on a copy ---------------------------------------


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A copy of the package to break, laid out like the repository."""
    package = tmp_path / "src" / "sphinx_refinery"
    shutil.copytree(
        ROOT / "src" / "sphinx_refinery", package, ignore=shutil.ignore_patterns("__pycache__")
    )
    return tmp_path


def _check(root: Path) -> tuple[int, str]:
    tool = _tool()
    report = tool.run(root, check=True)
    return (1 if report.problems else 0), "\n".join(report.problems)


def _edit_po(root: Path, language: str, old: str, new: str) -> None:
    path = root / "src" / "sphinx_refinery" / "locale" / language / "LC_MESSAGES" / f"{CATALOG}.po"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_check_passes_on_an_unchanged_copy(checkout):
    assert _check(checkout) == (0, "")


def test_check_fails_on_a_missing_translation(checkout):
    _edit_po(checkout, "sv", 'msgstr "Övning"', 'msgstr ""')
    status, problems = _check(checkout)
    assert status == 1
    assert "sv/LC_MESSAGES/sphinx_refinery.po: no translation for 'Exercise'" in problems


def test_check_fails_on_a_fuzzy_translation(checkout):
    _edit_po(checkout, "de", 'msgid "Total"', '#, fuzzy\nmsgid "Total"')
    status, problems = _check(checkout)
    assert status == 1
    assert "fuzzy" in problems and "'Total'" in problems


def test_check_fails_on_a_lost_placeholder(checkout):
    _edit_po(checkout, "fi", 'msgstr "%(hours)d h %(minutes)d min"', 'msgstr "%(hours)d h"')
    status, problems = _check(checkout)
    assert status == 1
    assert "fi/" in problems and "minutes" in problems


def test_check_fails_on_a_stale_compiled_catalogue(checkout):
    _edit_po(checkout, "da", 'msgstr "Opgave"', 'msgstr "Øvelse"')
    status, problems = _check(checkout)
    assert status == 1
    assert "da/LC_MESSAGES/sphinx_refinery.mo: does not match" in problems
    assert "no/LC_MESSAGES" not in problems


def test_check_fails_on_a_stale_alias(checkout):
    _edit_po(checkout, "nb", 'msgstr "Oppgave"', 'msgstr "Øvelse"')
    _, problems = _check(checkout)
    assert "nb/LC_MESSAGES/sphinx_refinery.mo: does not match" in problems
    assert "no/LC_MESSAGES/sphinx_refinery.mo: does not match" in problems


def test_a_new_message_makes_everything_stale_until_the_script_runs(checkout):
    module = checkout / "src" / "sphinx_refinery" / "extensions" / "tabs.py"
    module.write_text(
        module.read_text(encoding="utf-8")
        + '\n\n# Translators: a test message.\nNEW = f"{_(\'Brand new message\')}!"\n',
        encoding="utf-8",
    )
    status, problems = _check(checkout)
    assert status == 1
    assert "sphinx_refinery.pot: out of date" in problems
    assert "fi/LC_MESSAGES/sphinx_refinery.po: out of date" in problems

    assert _tool().main(["--root", str(checkout)]) == 1  # updated, but untranslated
    locale_dir = checkout / "src" / "sphinx_refinery" / "locale"
    template = (locale_dir / f"{CATALOG}.pot").read_text("utf-8")
    assert 'msgid "Brand new message"' in template
    assert "#. a test message." in template
    fi = _po("fi", locale_dir)
    assert _translations(fi)["Brand new message"] == ""
    assert _translations(fi)["Exercise"] == "Tehtävä"  # kept
    status, problems = _check(checkout)
    assert problems.count("no translation for 'Brand new message'") == len(SHIPPED)
    assert "out of date" not in problems


def test_a_message_gettext_cannot_read_is_reported(checkout):
    module = checkout / "src" / "sphinx_refinery" / "extensions" / "tabs.py"
    lines = module.read_text(encoding="utf-8") + '\n\ndef label(n):\n    return _(f"Tab {n}")\n'
    module.write_text(lines, encoding="utf-8")
    status, problems = _check(checkout)
    assert status == 1
    assert 'src/sphinx_refinery/extensions/tabs.py:' in problems and '_(f"Tab {n}")' in problems


# ---- chosen by Sphinx's language ---------------------------------------------

LESSON = {
    "conf.py": 'extensions = ["sphinx_refinery"]\nrefinery_number_exercises = "episode"\n',
    "index.md": """
        # Lesson

        ```{toctree}
        episode
        ```
        """,
    "episode.md": """
        # Episode

        ```{exercise}
        Do it.
        ```

        ```{solution}
        Done.
        ```

        ```{exercise}
        :nonumber:

        An extra.
        ```
        """,
}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("Exercise 1.1", "Solution to Exercise 1.1")),
        *sorted(SHIPPED.items()),
        *((code, SHIPPED[target]) for code, target in sorted(ALSO.items())),
    ],
)
def test_box_titles_follow_the_language(build, language, expected):
    result = build(LESSON, confoverrides={"language": language})
    titles = [title for _tag, _classes, title in boxes(result.html("episode"))]
    numbered, solution = expected
    assert titles == [numbered, solution, numbered.removesuffix(" 1.1")]


# ---- author text stays with the lesson's own translations --------------------


GETTEXT_LESSON = {
    "index.md": """
        # Lesson

        ```{exercise} My own title
        :time: 10

        Do it.
        ```

        ```{exercise}
        Untitled.
        ```

        ```{solution}
        Done.
        ```

        ```{instructor-note}
        Psst.
        ```
        """,
}


def _lesson_messages(build) -> set[str]:
    result = build(GETTEXT_LESSON, builder="gettext")
    with (result.outdir / "index.pot").open("rb") as fileobj:
        return {message.id for message in read_po(fileobj) if message.id}


def test_author_titles_go_to_the_lessons_message_template(build):
    messages = _lesson_messages(build)
    assert "My own title" in messages
    assert "Untitled." in messages


def test_default_titles_stay_out_of_the_lessons_message_template(build):
    messages = _lesson_messages(build)
    assert {"Exercise", "Solution", "Instructor note"} & messages == set()
