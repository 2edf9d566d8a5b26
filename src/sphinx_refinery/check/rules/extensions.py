"""Rules on the lesson's setup: front matter, sphinx-lesson syntax, extensions that fail
on Sphinx 9, and configuration problems."""

from __future__ import annotations

from collections.abc import Iterator

from ...extensions.other_extensions import sphinx9_problem
from ..legacy import conf_extensions, conf_legacy, conf_replaced, markdown_legacy, python_legacy
from ..lesson import Lesson
from .reading import parse_problems, text_pages
from .registry import Hit, Rule, check


@check(
    Rule(
        "front-matter",
        "error",
        "YAML front matter that does not parse",
        "correct the YAML between the --- lines (quote values holding ': ')",
    ),
)
def front_matter(lesson: Lesson) -> Iterator[Hit]:
    return parse_problems(lesson, {"front-matter"})


@check(
    Rule(
        "legacy-syntax",
        "warning",
        "sphinx-lesson-era syntax that `sphinx-refinery migrate` converts: Jekyll/kramdown "
        "boxes ({: .challenge}), raw <img> lines, sphinx_lesson in conf.py or imported by "
        "the lesson's Python files",
        "run `sphinx-refinery migrate` on the lesson",
    ),
)
def legacy_syntax(lesson: Lesson) -> Iterator[Hit]:
    conf = lesson.settings.conf_path
    if conf is not None and conf.is_file():
        for line, col, name in conf_legacy(conf):
            yield (
                conf,
                line,
                col,
                "legacy-syntax",
                (
                    f"conf.py loads {name!r} (sphinx-lesson): run `sphinx-refinery migrate` to "
                    "switch the lesson to sphinx-refinery"
                ),
            )
    for path, line, col, module in python_legacy(lesson.srcdir):
        yield (
            path,
            line,
            col,
            "legacy-syntax",
            (
                f"imports {module!r} from sphinx-lesson: `sphinx-refinery migrate` takes "
                "_BaseCRDirective from sphinx_refinery.compat, and reports what it cannot replace"
            ),
        )
    for page in text_pages(lesson):
        if page.syntax != "md":
            continue
        for line, what in markdown_legacy(page.path, page.text):
            yield (
                page.path,
                line,
                1,
                "legacy-syntax",
                f"{what}: `sphinx-refinery migrate` converts it to a MyST directive",
            )


@check(
    Rule(
        "sphinx9-extension",
        "warning",
        "an extension in conf.py that is known to fail on Sphinx 9 (sphinx-refinery's table "
        "of them, for example sphinx-hoverxref 1.4)",
        "pin `sphinx<9` in the lesson's requirements (sphinx-refinery supports Sphinx 8.2 and "
        "later), or remove the extension",
    ),
)
def sphinx9_extensions(lesson: Lesson) -> Iterator[Hit]:
    conf = lesson.settings.conf_path
    if conf is None or not conf.is_file():
        return
    for line, col, name in conf_extensions(conf):
        problem = sphinx9_problem(name)
        if problem:
            yield conf, line, col, "sphinx9-extension", f"conf.py loads {name!r}: {problem}"


@check(
    Rule(
        "replaced-extension",
        "warning",
        "an extension in conf.py that sphinx-refinery replaces and that takes over its boxes "
        "or tabs (sphinx-togglebutton, sphinx-tabs), or a setting of sphinx-lesson, "
        "sphinx-tabs or sphinx-togglebutton, which does nothing",
        "remove the extension and the settings from conf.py (`sphinx-refinery migrate` does)",
    ),
)
def replaced_extensions(lesson: Lesson) -> Iterator[Hit]:
    conf = lesson.settings.conf_path
    if conf is None or not conf.is_file():
        return
    for line, col, message in conf_replaced(conf):
        yield conf, line, col, "replaced-extension", message


# -- legacy syntax ---------------------------------------------------------------------------


@check(
    Rule(
        "config",
        "error",
        "a conf.py that does not run, a checker setting naming an unknown rule, a file that "
        "cannot be read",
        "fix conf.py or the setting, as the message says",
    ),
)
def config_problems(lesson: Lesson) -> Iterator[Hit]:
    for path, line, message in lesson.settings.problems:
        yield path, line, 1, "config", message
