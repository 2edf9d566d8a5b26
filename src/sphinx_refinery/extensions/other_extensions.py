"""Other Sphinx extensions that sphinx-lesson lessons list, and what becomes of each.

One table, read by ``migrate`` (what to drop from conf.py, which requirements
conf.py still needs once sphinx-lesson no longer installs them) and by ``check``
(extensions known to fail on Sphinx 9). Plain data: importing it costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OtherExtension:
    #: The module conf.py names in ``extensions``.
    module: str
    #: The distribution that provides it.
    requirement: str
    #: Why sphinx-refinery makes it unnecessary (``migrate`` drops it from conf.py).
    replaced_because: str | None = None
    #: sphinx-lesson installed it, so a lesson may list it without requiring it.
    from_sphinx_lesson: bool = False
    #: Why it fails on Sphinx 9, and the way out.
    fails_on_sphinx9: str | None = None
    #: Listed beside sphinx-refinery it takes over what sphinx-refinery does (its own
    #: directives or script): the build and ``check`` say so.
    clashes: bool = False


PIN_SPHINX8 = (
    "pin `sphinx<9` in the lesson's requirements (sphinx-refinery supports Sphinx 8.2 and "
    "later) or remove the extension from conf.py"
)

OTHER_EXTENSIONS: tuple[OtherExtension, ...] = (
    OtherExtension(
        "sphinx_tabs.tabs", "sphinx-tabs",
        replaced_because="sphinx-refinery provides the tabs directives",
        from_sphinx_lesson=True,
        clashes=True,
    ),
    OtherExtension(
        "sphinx_togglebutton", "sphinx-togglebutton",
        replaced_because="sphinx-refinery folds boxes and has the toggle directive",
        from_sphinx_lesson=True,
        clashes=True,
    ),
    OtherExtension(
        "sphinx_copybutton", "sphinx-copybutton",
        replaced_because="sphinx-refinery sets it up",
        from_sphinx_lesson=True,
    ),
    OtherExtension(
        "sphinx_design", "sphinx-design", replaced_because="sphinx-refinery sets it up"
    ),
    OtherExtension(
        "myst_parser", "myst-parser", replaced_because="sphinx-refinery sets it up"
    ),
    # Kept, through sphinx-refinery's notebooks extra (migrate adds it).
    OtherExtension("myst_nb", "myst-nb", from_sphinx_lesson=True),
    OtherExtension(
        "sphinx_rtd_theme_ext_color_contrast",
        "sphinx-rtd-theme-ext-color-contrast",
        from_sphinx_lesson=True,
    ),
    # A dependency of the colour-contrast extension, so sphinx-lesson brought it too.
    OtherExtension("sphinx_rtd_theme", "sphinx-rtd-theme", from_sphinx_lesson=True),
    OtherExtension(
        "hoverxref.extension",
        "sphinx-hoverxref",
        fails_on_sphinx9="sphinx-hoverxref 1.4 raises an error at config-inited on Sphinx 9",
    ),
)

BY_MODULE = {extension.module: extension for extension in OTHER_EXTENSIONS}

#: Extensions ``migrate`` drops from conf.py, and why.
DROPPED_EXTENSIONS = {e.module: e.replaced_because for e in OTHER_EXTENSIONS if e.replaced_because}
#: What sphinx-refinery itself installs (pyproject.toml's dependencies).
OUR_DEPENDENCIES = frozenset({"myst-parser", "sphinx-design", "sphinx-copybutton"})
#: Requirements that go with sphinx-lesson: their extensions are replaced, and
#: sphinx-refinery does not install them.
DROPPED_REQUIREMENTS = tuple(
    e.requirement
    for e in OTHER_EXTENSIONS
    if e.replaced_because and e.requirement not in OUR_DEPENDENCIES
)
#: Themes that sphinx-lesson brought along, by ``html_theme`` value.
THEMES_FROM_SPHINX_LESSON = {"sphinx_rtd_theme": "sphinx-rtd-theme"}


def still_needed(modules: list[str], html_theme: str | None) -> list[str]:
    """Requirements that conf.py needs and that only sphinx-lesson installed.

    myst-nb is left out: sphinx-refinery's notebooks extra brings it.
    """
    needed = []
    for module in modules:
        extension = BY_MODULE.get(module)
        if (
            extension
            and extension.from_sphinx_lesson
            and not extension.replaced_because
            and extension.module != "myst_nb"
        ):
            needed.append(extension.requirement)
    theme = THEMES_FROM_SPHINX_LESSON.get(html_theme or "")
    if theme:
        needed.append(theme)
    return list(dict.fromkeys(needed))


#: Settings of what sphinx-refinery replaces, by prefix: they do nothing now.
REPLACED_SETTINGS = {
    "sphinx_lesson_": "sphinx-lesson",
    "sphinx_tabs_": "sphinx-tabs",
    "togglebutton_": "sphinx-togglebutton",
}


def replaced_problem(module: str) -> str | None:
    """What goes wrong when conf.py lists ``module`` beside sphinx-refinery, or None."""
    extension = BY_MODULE.get(module)
    if extension is None or not extension.clashes:
        return None
    return (
        f"conf.py lists {module!r}, which sphinx-refinery replaces ({extension.replaced_because}) "
        "and which takes over its boxes or tabs: remove it from extensions "
        "(`sphinx-refinery migrate` does)"
    )


def replaced_setting_problem(name: str) -> str | None:
    """What to say of a conf.py setting of what sphinx-refinery replaces, or None."""
    for prefix, owner in REPLACED_SETTINGS.items():
        if name.startswith(prefix):
            return f"{name} is a setting of {owner}, which sphinx-refinery replaces: it does nothing here"
    return None


def sphinx9_problem(module: str) -> str | None:
    """Why ``module`` fails on Sphinx 9 and what to do, or None."""
    extension = BY_MODULE.get(module)
    if extension is None or extension.fails_on_sphinx9 is None:
        return None
    return f"{extension.fails_on_sphinx9}: {PIN_SPHINX8}"
