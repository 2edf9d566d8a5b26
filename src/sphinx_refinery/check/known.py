"""The directive names a lesson may use.

From the command line, a Sphinx application is set up for the lesson (dummy
builder, no page read) inside :func:`~sphinx.util.docutils.docutils_namespace`,
so its extensions and conf.py's ``setup()`` register their directives as in a
build and docutils' global registry is left as it was (:func:`from_conf`); the
answer is cached between runs (:mod:`.cache`).
During a build, the build's own registrations are asked (:func:`from_app`).

Names come from the application's :meth:`~sphinx.application.Sphinx.add_directive`
calls, its domains, docutils' language table and Sphinx's own directives that
it registers with docutils directly (:data:`SPHINX_DOCUTILS_NAMES`, kept when
:func:`~sphinx.util.docutils.is_directive_registered` says they exist).
"""

from __future__ import annotations

import importlib
import io
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import Entry, KnownCache
from .cache import enabled as cache_enabled
from .syntax import MYST_SPECIAL_DIRECTIVES

#: In ``missing`` when conf.py itself could not run.
CONF_PY = "conf.py"
#: In ``missing`` when a setup() run while the lesson's application was set up failed.
SETUP_FAILED = "setup()"
#: Extensions that are not installed with sphinx-refinery but that lessons list,
#: and the extension that provides their directives now (``None``: the names only).
STAND_INS: dict[str, str | None] = {
    "sphinx_lesson": "sphinx_refinery",
    "sphinx_tabs.tabs": "sphinx_refinery",
    "sphinx_togglebutton": None,
}
STAND_IN_NAMES: dict[str, tuple[str, ...]] = {"sphinx_togglebutton": ("toggle",)}
#: Extensions whose directives are listed here rather than loaded: setting up
#: myst-nb takes longer than checking a whole lesson. It reads Markdown as
#: myst-parser does, which is loaded instead. MyST's own block syntax (eval-rst,
#: ...) is in MYST_SPECIAL_DIRECTIVES.
FIXED_NAMES: dict[str, tuple[str, ...]] = {
    "myst_nb": (
        "code-cell",
        "raw-cell",
        "eval",
        "eval:figure",
        "glue",
        "glue:any",
        "glue:figure",
        "glue:math",
        "glue:md",
        "nb-exec-table",
    ),
}
FIXED_LOADS: dict[str, str] = {"myst_nb": "myst_parser"}
#: Directives Sphinx registers with docutils rather than through its application.
SPHINX_DOCUTILS_NAMES = frozenset(
    {
        "acks",
        "centered",
        "code",
        "code-block",
        "codeauthor",
        "cssclass",
        "csv-table",
        "default-domain",
        "default-role",
        "describe",
        "figure",
        "highlight",
        "hlist",
        "include",
        "literalinclude",
        "math",
        "meta",
        "moduleauthor",
        "object",
        "only",
        "rst-class",
        "rubric",
        "sectionauthor",
        "sourcecode",
        "tabularcolumns",
        "toctree",
    }
)


@dataclass
class KnownDirectives:
    names: set[str] = field(default_factory=set)
    #: Extensions that could not be loaded: their directives are not known.
    missing: list[str] = field(default_factory=list)
    #: During a build: asks docutils about a name the tables do not hold.
    registered: Callable[[str], bool] | None = field(default=None, repr=False, compare=False)

    @property
    def complete(self) -> bool:
        return not self.missing

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        if name.lower() in self.names:
            return True
        return self.registered is not None and self.registered(name)

    @property
    def conf_failed(self) -> bool:
        return CONF_PY in self.missing


def _docutils_names() -> set[str]:
    """docutils' own directives, by their English and canonical names."""
    from docutils.parsers.rst.languages import en

    return {n.lower() for n in (*en.directives, *en.directives.values())}


def _registered_names(app: Any) -> set[str]:
    """What a set-up application knows: its domains and Sphinx's docutils directives."""
    from sphinx.util.docutils import is_directive_registered

    from ..pages.metadata import DIRECTIVE

    # lesson-metadata is added only when nothing registered it before (a lesson's own,
    # or a build earlier in this process): the application is not always asked for it.
    names = {n for n in (*SPHINX_DOCUTILS_NAMES, DIRECTIVE) if is_directive_registered(n)}
    primary = app.config.primary_domain
    domains = app.env.domains
    for domain in domains.values() if hasattr(domains, "values") else domains:
        for name in domain.directives:
            names.add(f"{domain.name}:{name}".lower())
            if domain.name in ("std", primary):
                names.add(name.lower())
    return names


def _resolve(extensions: Iterable[str]) -> tuple[list[str], set[str], list[str]]:
    """The extensions to load, the names listed instead of loading, the missing ones."""
    from ..extensions.design_markup import markup

    load = ["sphinx_refinery"]
    # sphinx-refinery sets sphinx-design up in full for the lessons that use it.
    names: set[str] = set(markup().directives)
    missing: list[str] = []
    for name in extensions:
        if name in FIXED_NAMES:
            names.update(FIXED_NAMES[name])
            load.append(FIXED_LOADS[name])
            continue
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - not installed, or broken on import: both mean unknown
            stand_in = next(
                (v for k, v in STAND_INS.items() if name == k or name.startswith(k + ".")), ""
            )
            if stand_in == "":
                missing.append(name)
                continue
            names.update(STAND_IN_NAMES.get(name, ()))
            if stand_in:
                load.append(stand_in)
            continue
        load.append(name)
    return list(dict.fromkeys(load)), names, missing


def from_conf(
    srcdir: Path,
    extensions: Iterable[str],
    conf_ran: bool = True,
    exclude_patterns: Iterable[str] = (),
) -> KnownDirectives:
    """The directives the lesson in ``srcdir`` makes available.

    ``conf_ran`` false: conf.py does not run, so only sphinx-refinery's and
    Sphinx's directives are known. What the extensions register is cached
    (:mod:`.cache`): setting them up costs more than checking the pages.
    """
    from ..extensions.notebooks import find_notebook

    extensions = list(extensions) if conf_ran else []
    cache = KnownCache(srcdir.resolve(), extensions, conf_ran) if cache_enabled() else None
    entry = cache.read() if cache else None
    if entry is None:
        entry = _from_application(srcdir, extensions, conf_ran)
        if cache and SETUP_FAILED not in entry.missing:  # a failed setup() may not fail again
            cache.write(entry)
    names = entry.names | _docutils_names() | MYST_SPECIAL_DIRECTIVES
    if find_notebook(srcdir, exclude_patterns):
        names.update(FIXED_NAMES["myst_nb"])  # sphinx-refinery loads myst-nb for notebooks
    return KnownDirectives(names, list(entry.missing))


def _from_application(srcdir: Path, extensions: list[str], conf_ran: bool) -> Entry:
    """What an application set up for the lesson registers (no page read)."""
    from sphinx.application import Sphinx
    from sphinx.errors import ExtensionError
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    load, names, missing = _resolve(extensions)
    confdir = srcdir if conf_ran else None

    class Recording(Sphinx):
        def add_directive(self, name: str, cls: Any, override: bool = False) -> None:
            names.add(name.lower())
            super().add_directive(name, cls, override=override)

    saved_path = list(sys.path)
    try:
        with tempfile.TemporaryDirectory() as tmp, patch_docutils(confdir), docutils_namespace():
            Path(tmp, "src").mkdir()
            for _attempt in range(len(load) + 1):
                try:
                    # An empty source folder: no page is read, and sphinx-refinery's
                    # setup finds no notebook (their directives are listed, see above).
                    app = Recording(
                        Path(tmp, "src"),
                        confdir,
                        Path(tmp, "out"),
                        Path(tmp, "doctrees"),
                        "dummy",
                        confoverrides={"extensions": load},
                        status=None,
                        warning=io.StringIO(),
                        freshenv=True,
                    )
                except ExtensionError as err:
                    # An extension whose setup fails: its directives are not known.
                    failed = getattr(err, "modname", None)
                    if failed not in load or failed == "sphinx_refinery":
                        raise
                    load.remove(failed)
                    missing.append(failed)
                    continue
                names |= _registered_names(app)
                break
    except (Exception, SystemExit):  # a setup() (conf.py's, an extension's) is a program
        if confdir is None:
            raise
        # What was registered before it stopped still counts; the rest is not known.
        known = _from_application(srcdir, [], conf_ran=False)
        return Entry(known.names | names, [*known.missing, *missing, SETUP_FAILED])
    finally:
        sys.path[:] = saved_path  # conf.py often inserts its folder
    return Entry(names, missing)


def from_app(app: Any) -> KnownDirectives:
    """During a build: the application's domains, and docutils for anything else."""
    from sphinx.util.docutils import is_directive_registered

    names = _registered_names(app) | _docutils_names() | MYST_SPECIAL_DIRECTIVES
    return KnownDirectives(names, registered=is_directive_registered)
