"""A lesson to check: its source folder, the conf.py values that matter, its pages.

From the command line, conf.py is run by Sphinx's own :func:`~sphinx.config.eval_config_file`
(lesson authors run it at every build anyway) and the pages are found by
Sphinx's :class:`~sphinx.project.Project`, so exclude_patterns and the source
suffixes work as in a build. During a build, the application's config and
found documents are used instead (:func:`from_app`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..boxes.directives import BoxKind
from ..model.lesson_rules import KINDS, Kind
from ..util.errors import short_error
from .cache import PageCache
from .cache import enabled as cache_enabled
from .known import CONF_PY, KnownDirectives, from_conf
from .model import Page, Problem
from .options import MystOptions

CONF_FOLDERS = ("", "content", "docs")
DEFAULT_SUFFIXES = (".rst", ".md", ".ipynb")
#: Folders Sphinx never reads as sources, beside the configured exclude_patterns.
ALWAYS_EXCLUDED = ("_build", "**/.ipynb_checkpoints", "jupyter_execute")

_SUPPRESS_MD = re.compile(r"<!--\s*refinery:\s*(?P<what>ignore-file|ignore)\b(?P<rules>[^>]*?)-->")
_SUPPRESS_RST = re.compile(r"^\s*\.\.\s+refinery:\s*(?P<what>ignore-file|ignore)\b(?P<rules>.*)$")


class UsageError(Exception):
    """The command line points at something that is not a lesson."""


@dataclass
class Settings:
    """What the checker needs of a lesson's configuration."""

    srcdir: Path
    conf_path: Path | None = None
    root_doc: str = "index"
    suffixes: tuple[str, ...] = DEFAULT_SUFFIXES
    exclude_patterns: list[str] = field(default_factory=list)
    include_patterns: list[str] = field(default_factory=lambda: ["**"])
    myst: MystOptions = field(default_factory=MystOptions)
    #: directive name (or alias) -> box kind
    kinds: dict[str, str] = field(default_factory=dict)
    #: the kinds that take :time:
    timed: set[str] = field(default_factory=set)
    #: html_static_path (copied to _static/) and html_extra_path (copied to the site's
    #: root): files there exist in the built site, and are not pages.
    static_dirs: list[Path] = field(default_factory=list)
    extra_dirs: list[Path] = field(default_factory=list)
    known: KnownDirectives = field(default_factory=KnownDirectives)
    #: refinery_episodes: the lesson's episodes, when it lists them
    episodes: list[str] = field(default_factory=list)
    #: refinery_check_ignore in conf.py, as written (checked by the selection)
    ignore: Any = field(default_factory=list)
    #: Problems with the configuration itself: (file, line, message)
    problems: list[tuple[Path, int, str]] = field(default_factory=list)
    #: Pages read before are taken from the cache (the command line; not a build).
    cached: bool = False


@dataclass
class Lesson:
    settings: Settings
    pages: dict[str, Page]

    @property
    def srcdir(self) -> Path:
        return self.settings.srcdir


# -- finding the lesson ----------------------------------------------------------------------


def find_srcdir(path: Path) -> Path:
    """The folder holding conf.py: PATH itself, PATH/content or PATH/docs."""
    if not path.exists():
        raise UsageError(f"{path}: no such file or folder")
    if not path.is_dir():
        raise UsageError(f"{path}: not a folder (give the lesson's folder)")
    for name in CONF_FOLDERS:
        candidate = path / name if name else path
        if (candidate / "conf.py").is_file():
            return candidate.resolve()
    raise UsageError(f"{path}: no conf.py here, nor in {path / 'content'} or {path / 'docs'}")


def read_conf(srcdir: Path) -> tuple[dict[str, Any], str | None]:
    """conf.py's namespace, run as Sphinx runs it; and the error when it fails."""
    from sphinx.config import eval_config_file
    from sphinx.errors import ConfigError
    from sphinx.util.tags import Tags

    saved_path = list(sys.path)
    try:
        namespace = eval_config_file(srcdir / "conf.py", Tags(["html"]))
    except ConfigError as err:
        return {}, short_error(str(err))
    except (Exception, SystemExit) as err:  # noqa: BLE001 - conf.py is a program: anything goes
        return {}, f"{type(err).__name__}: {err}"
    finally:
        sys.path[:] = saved_path  # conf.py often inserts its folder
    return namespace, None


# -- settings --------------------------------------------------------------------------------


def box_kinds(configured: Any) -> tuple[dict[str, str], set[str]]:
    """Directive name -> box kind, and the timed kinds: built-in and refinery_box_kinds."""
    all_kinds: list[Kind | BoxKind] = list(KINDS)
    if isinstance(configured, dict):
        for name, options in configured.items():
            try:  # a build's configuration holds them typed already (config.validate)
                all_kinds.append(
                    options if isinstance(options, BoxKind) else BoxKind.from_config(name, options)
                )
            except (TypeError, ValueError):
                continue  # the build reports it (refinery.config)
    kinds = {name: kind.name for kind in all_kinds for name in kind.directive_names}
    return kinds, {kind.name for kind in all_kinds if kind.timed}


def _suffixes(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        found = [value]
    elif isinstance(value, dict):
        found = list(value)
    elif isinstance(value, Iterable):
        found = [str(v) for v in value]
    else:
        found = []
    return tuple(dict.fromkeys([*found, *DEFAULT_SUFFIXES]))


def _myst_options(get: Callable[[str, Any], Any], known: KnownDirectives | None) -> MystOptions:
    extensions = get("myst_enable_extensions", None) or []
    extensions = {str(e) for e in extensions} if not isinstance(extensions, str) else {extensions}
    extensions.add("colon_fence")  # sphinx-refinery turns it on (as sphinx-lesson did)
    anchors = get("myst_heading_anchors", 0)
    return MystOptions(
        extensions=frozenset(extensions),
        heading_anchors=anchors if isinstance(anchors, int) else 0,
        slug=_slug_name(get("myst_heading_slug_func", None)),
        title_to_header=get("myst_title_to_header", False) is True,
        known_directives=known,
    )


def _slug_name(value: Any) -> str:
    """Which heading slugs a lesson's ``myst_heading_slug_func`` makes."""
    from ..model.lesson_rules import pandoc_heading_id

    if value is pandoc_heading_id or getattr(value, "__name__", None) == "pandoc_heading_id":
        return "pandoc"
    if isinstance(value, str):
        return "pandoc" if value.endswith(".pandoc_heading_id") else value
    return "github"


def settings_from_conf(srcdir: Path) -> Settings:
    """Settings for the command line: run conf.py, record what its extensions define."""
    conf_path = srcdir / "conf.py"
    before = set(sys.modules)
    raw, error = read_conf(srcdir)
    settings = Settings(srcdir=srcdir, conf_path=conf_path)
    if error:
        settings.problems.append(
            (conf_path, 1, f"conf.py could not be run, so its settings are not used: {error}")
        )

    def get(name: str, default: Any) -> Any:
        return raw.get(name, default)

    extensions = [str(e) for e in get("extensions", None) or [] if isinstance(e, str)]
    try:
        excluded = [str(p) for p in get("exclude_patterns", None) or [] if isinstance(p, str)]
        settings.known = from_conf(srcdir, extensions, not error, excluded)
        if error:  # conf.py's extensions are not known: do not claim their directives are missing
            settings.known.missing.append(CONF_PY)
    finally:
        # Modules conf.py imported from the lesson folder (a custom.py) must not
        # shadow another lesson's in the same process.
        for name in set(sys.modules) - before:
            module_file = getattr(sys.modules[name], "__file__", None) or ""
            if module_file and Path(module_file).resolve().is_relative_to(srcdir):
                del sys.modules[name]
    _fill(settings, get)
    settings.cached = cache_enabled()
    return settings


def settings_from_app(app: Any, known: KnownDirectives) -> Settings:
    """Settings during a build: the application's configuration."""
    config = app.config
    settings = Settings(srcdir=Path(app.srcdir), conf_path=Path(app.confdir) / "conf.py")
    settings.known = known

    def get(name: str, default: Any) -> Any:
        # A value no extension registered changes nothing in this build.
        return getattr(config, name, default) if name in config else default

    _fill(settings, get)
    return settings


def _fill(settings: Settings, get: Callable[[str, Any], Any]) -> None:
    settings.root_doc = str(get("root_doc", None) or get("master_doc", None) or "index")
    settings.suffixes = _suffixes(get("source_suffix", None))
    settings.exclude_patterns = [str(p) for p in get("exclude_patterns", None) or []]
    settings.include_patterns = [str(p) for p in get("include_patterns", None) or ["**"]]
    settings.exclude_patterns += [str(p) for p in get("templates_path", None) or []]
    settings.kinds, settings.timed = box_kinds(get("refinery_box_kinds", None))
    # Configured kinds, when conf.py's refinery_box_kinds could not be registered.
    settings.known.names.update(settings.kinds)
    settings.myst = _myst_options(get, settings.known)
    for name, folders in (
        ("html_static_path", settings.static_dirs),
        ("html_extra_path", settings.extra_dirs),
    ):
        for entry in get(name, None) or []:
            if isinstance(entry, str | Path):
                folders.append((settings.srcdir / entry).resolve())
    settings.ignore = get("refinery_check_ignore", None) or []
    listed = get("refinery_episodes", None)
    if isinstance(listed, list | tuple):
        settings.episodes = [str(e) for e in listed if isinstance(e, str) and e.strip()]


# -- pages -----------------------------------------------------------------------------------


def discover(settings: Settings) -> dict[str, Path]:
    """docname -> file, found the way Sphinx finds them."""
    from sphinx.project import Project

    project = Project(settings.srcdir, settings.suffixes)
    excluded = [*settings.exclude_patterns, *ALWAYS_EXCLUDED]
    for folder in settings.static_dirs + settings.extra_dirs:
        if folder.is_relative_to(settings.srcdir):
            excluded.append(folder.relative_to(settings.srcdir).as_posix())
    project.discover(excluded, settings.include_patterns)
    return {docname: Path(project.doc2path(docname, absolute=True)) for docname in project.docnames}


def read_page(docname: str, path: Path, settings: Settings, cache: PageCache | None = None) -> Page:
    syntax = {".md": "md", ".rst": "rst", ".txt": "rst", ".ipynb": "ipynb"}.get(path.suffix, "md")
    page = Page(docname=docname, path=path, syntax=syntax)
    if syntax == "ipynb":
        return page  # known to exist; its cells are not read
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        page.problems.append(Problem("config", 1, 1, f"the file could not be read: {err}"))
        return page
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    read_before = cache.get(docname, path, text) if cache is not None else None
    if isinstance(read_before, Page):
        return read_before
    # Imported here: with every page in the cache, markdown-it is not needed.
    if syntax == "md":
        from .markdown import parse_markdown

        parse_markdown(page, text, settings.myst)
    else:
        from .rst import parse_rst

        parse_rst(page, text, settings.myst)
    _suppressions(page, text)
    page.text = text
    if cache is not None:
        cache.put(docname, path, text, page)
    return page


def _suppressions(page: Page, text: str) -> None:
    """``<!-- refinery: ignore rule -->`` (``.. refinery: ignore rule``): this line and the next."""
    pattern = _SUPPRESS_MD if page.syntax == "md" else _SUPPRESS_RST
    lines = text.split("\n")
    for number, line in enumerate(lines):
        for match in pattern.finditer(line):
            rules = set(re.split(r"[\s,]+", match["rules"].strip())) - {""}
            if match["what"] == "ignore-file":
                page.suppressed_file.update(rules or {"*"})
                continue
            covered = [number]
            following = number + 1
            while following < len(lines) and not lines[following].strip():
                following += 1
            covered.append(following)
            for index in covered:
                page.suppressed.setdefault(index + 1, set()).update(rules or {"*"})


def load(settings: Settings, docs: dict[str, Path] | None = None) -> Lesson:
    docs = discover(settings) if docs is None else docs
    cache = PageCache(settings.srcdir, settings.myst) if settings.cached else None
    pages = {
        docname: read_page(docname, path, settings, cache) for docname, path in sorted(docs.items())
    }
    if cache is not None:
        cache.save(pages)  # before the rules run: they may add to the pages
    return Lesson(settings=settings, pages=pages)
