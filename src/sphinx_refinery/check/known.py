"""The directive names a lesson may use.

Outside a build there is no Sphinx application to ask, so each extension's
``setup(app)`` runs against a :class:`_Recorder` that only notes the
directives and domains it registers (everything else it is asked to do is
ignored). This covers Sphinx's built-in extensions, sphinx-refinery (and what
it sets up: MyST, sphinx-design, ...), the extensions conf.py lists and
conf.py's own ``setup()``. During a build, the application's registry is
asked instead (:func:`from_app`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from docutils.parsers.rst import directives as docutils_directives

from .syntax import MYST_SPECIAL_DIRECTIVES

#: Extensions that are not installed with sphinx-refinery but that lessons list,
#: and the extension that provides their directives now (``None``: the names only).
#: In ``missing`` when conf.py itself could not run.
CONF_PY = "conf.py"
STAND_INS: dict[str, str | None] = {
    "sphinx_lesson": "sphinx_refinery",
    "sphinx_tabs.tabs": "sphinx_refinery",
    "sphinx_togglebutton": None,
}
STAND_IN_NAMES: dict[str, tuple[str, ...]] = {"sphinx_togglebutton": ("toggle",)}
#: Extensions whose directives are listed here rather than recorded: importing
#: their Sphinx side takes longer than checking a whole lesson (myst-nb most of a
#: second). MyST's own block syntax (eval-rst, ...) is in MYST_SPECIAL_DIRECTIVES.
FIXED_NAMES: dict[str, tuple[str, ...]] = {
    "myst_parser": ("figure-md",),
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


@dataclass
class KnownDirectives:
    names: set[str] = field(default_factory=set)
    #: Extensions that could not be loaded: their directives are not known.
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing

    def __contains__(self, name: str) -> bool:
        return name.lower() in self.names

    @property
    def conf_failed(self) -> bool:
        return CONF_PY in self.missing


class _Anything:
    """Accepts any attribute access or call, and does nothing."""

    def __getattr__(self, name: str) -> _Anything:
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> _Anything:
        return self

    def __iter__(self) -> Any:
        return iter(())

    def __bool__(self) -> bool:
        return False


class _ConfigView:
    """conf.py's values; None for the ones it does not set."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self._raw_config = raw
        self.extensions = list(raw.get("extensions", []))

    def __getattr__(self, name: str) -> Any:
        return self._raw_config.get(name)

    def __contains__(self, name: str) -> bool:
        return name in self._raw_config


class _Recorder(_Anything):
    """Stands in for the Sphinx application while an extension's setup() runs."""

    def __init__(
        self, raw_config: dict[str, Any], primary_domain: str | None, srcdir: Any = None
    ) -> None:
        # sphinx_refinery's setup looks for notebooks in the source folder (myst-nb or not).
        self.srcdir = srcdir
        self.outdir = self.doctreedir = None
        self.names: set[str] = set()
        self.config = _ConfigView(raw_config)
        self.primary_domain = primary_domain
        self.loaded: set[str] = set()
        self.missing: list[str] = []

    def add_directive(self, name: str, *args: Any, **kwargs: Any) -> None:
        self.names.add(name.lower())

    def add_directive_to_domain(self, domain: str, name: str, *args: Any, **kwargs: Any) -> None:
        self._domain_directive(domain, name)

    def add_domain(self, domain: type, *args: Any, **kwargs: Any) -> None:
        for name in getattr(domain, "directives", {}) or {}:
            self._domain_directive(getattr(domain, "name", ""), name)

    def _domain_directive(self, domain: str, name: str) -> None:
        self.names.add(f"{domain}:{name}".lower())
        if domain in ("std", self.primary_domain):
            self.names.add(name.lower())

    def setup_extension(self, name: str) -> None:
        self.load(name)

    def load(self, name: str) -> None:
        if name in self.loaded:
            return
        self.loaded.add(name)
        if name in FIXED_NAMES:
            self.names.update(FIXED_NAMES[name])
            if name == "myst_nb":
                self.load("myst_parser")  # myst-nb reads Markdown as myst-parser does
            return
        try:
            module = importlib.import_module(name)
        except Exception:  # noqa: BLE001 - not installed, or broken on import: both mean unknown
            stand_in = next(
                (v for k, v in STAND_INS.items() if name == k or name.startswith(k + ".")), ""
            )
            if stand_in == "":
                self.missing.append(name)
                return
            self.names.update(STAND_IN_NAMES.get(name, ()))
            if stand_in:
                self.load(stand_in)
            return
        setup = getattr(module, "setup", None)
        if callable(setup):
            self.run(setup)

    def run(self, setup: Callable[[Any], Any]) -> None:
        # Some setups register with docutils directly (Sphinx's toctree, code-block...):
        # note those too, and keep them out of docutils' global registry.
        original = docutils_directives.register_directive
        docutils_directives.register_directive = self.add_directive
        try:
            setup(self)
        except Exception:  # noqa: BLE001, S110
            # An extension may want more of the application than a recorder has; what
            # it registered before it stopped still counts.
            pass
        finally:
            docutils_directives.register_directive = original


def _docutils_names() -> set[str]:
    """docutils' own directives, by their English and canonical names."""
    from docutils.parsers.rst.languages import en

    names = set(docutils_directives._directive_registry)
    names.update(en.directives)
    return {n.lower() for n in names}


@lru_cache(maxsize=4)
def _builtin_names(primary_domain: str) -> frozenset[str]:
    from sphinx.application import builtin_extensions

    recorder = _Recorder({}, primary_domain)
    # Only these register directives; the builders would cost most of a second to import.
    for name in builtin_extensions:
        if name.startswith(("sphinx.directives", "sphinx.domains")):
            recorder.load(name)
    return frozenset(recorder.names)


def from_conf(
    raw_config: dict[str, Any],
    extensions: Iterable[str],
    conf_setup: Callable[[Any], Any] | None,
    srcdir: Any = None,
) -> KnownDirectives:
    """The directives a lesson's conf.py (in ``srcdir``) makes available."""
    primary = str(raw_config.get("primary_domain") or "py")
    recorder = _Recorder(raw_config, primary, srcdir)
    from ..metadata import DIRECTIVE  # loaded by the line below anyway

    recorder.load("sphinx_refinery")
    # Registered at config-inited (a lesson's own takes precedence), which a recorder never sees.
    recorder.names.add(DIRECTIVE)
    for name in extensions:
        recorder.load(name)
    if conf_setup is not None:
        recorder.run(conf_setup)
    names = (
        set(_builtin_names(primary)) | recorder.names | _docutils_names() | MYST_SPECIAL_DIRECTIVES
    )
    return KnownDirectives(names, recorder.missing)


def from_app(app: Any) -> KnownDirectives:
    """During a build: what the application has registered (with docutils, and in domains)."""
    names = _docutils_names() | MYST_SPECIAL_DIRECTIVES
    names.update(n.lower() for n in docutils_directives._directives)
    primary = app.config.primary_domain
    for domain in (
        app.env.domains.values() if hasattr(app.env.domains, "values") else app.env.domains
    ):
        for name in domain.directives:
            names.add(f"{domain.name}:{name}".lower())
            if domain.name in ("std", primary):
                names.add(name.lower())
    return KnownDirectives(names)
