"""sphinx-refinery: lesson boxes, exercises, timing and instructor views for Sphinx lessons.

``extensions = ["sphinx_refinery"]`` is all a lesson's conf.py needs: this sets
up MyST (or myst-nb when the lesson has notebooks), sphinx-design (in full when
the lesson uses it, else its tab sets) and sphinx-copybutton as well.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # importing the package stays cheap; Sphinx loads it when it builds
    from sphinx.application import Sphinx
    from sphinx.config import Config

    from .extensions.source_scan import Facts

__version__ = "0.1.0.dev0"

#: Bumped whenever what the extension keeps in the environment changes shape.
ENV_VERSION = 9

#: Copied code leaves out line numbers and prompts (sphinx-copybutton's selectors).
COPYBUTTON_EXCLUDE = ".linenos, .gp"
#: sphinx-copybutton's own default, which copies prompts along.
COPYBUTTON_DEFAULT = ".linenos"


def _apply_defaults(app: Sphinx, config: Config) -> None:
    """Defaults for the extensions this one sets up, unless conf.py sets them, and the
    canonical URL on Read the Docs."""
    if config.copybutton_exclude == COPYBUTTON_DEFAULT:
        config.copybutton_exclude = COPYBUTTON_EXCLUDE
    # Read the Docs says where the lesson lives; a lesson's own html_baseurl wins.
    canonical = os.environ.get("READTHEDOCS_CANONICAL_URL", "")
    if canonical and not config.html_baseurl:
        config.html_baseurl = canonical
    enabled = config.myst_enable_extensions
    if "colon_fence" not in enabled:
        if isinstance(enabled, set):
            config.myst_enable_extensions = enabled | {"colon_fence"}
        else:
            config.myst_enable_extensions = [*enabled, "colon_fence"]


def _wants_myst_nb(app: Sphinx, facts: Facts) -> bool:
    """myst-nb when conf.py lists it, or when the lesson has notebooks.

    sphinx-lesson always loaded myst-nb, so its lessons set ``nb_*`` options
    without listing it; those options are ignored when there is no notebook.
    """
    if "myst_nb" in app.config.extensions:
        return True
    from .extensions.notebooks import find_notebook

    # (``or ()``: the checker runs this setup with conf.py's values only.)
    found = find_notebook(app.srcdir, app.config.exclude_patterns or (), facts=facts)
    if found is None:
        return False
    if importlib.util.find_spec("myst_nb") is None:
        from sphinx.util import logging

        logging.getLogger(__name__).warning(
            "%s is a notebook, but myst-nb is not installed, so notebooks are not built: "
            "install sphinx-refinery[notebooks]",
            found,
            type="refinery",
            subtype="notebooks",
        )
        return False
    return True


def _copybutton_static() -> str:
    import sphinx_copybutton

    return str(Path(sphinx_copybutton.__file__).parent.joinpath("_static").absolute())


def _declare_static_paths(config: Config, paths: list[str]) -> None:
    """html_static_path the same at every run.

    Our parts, sphinx-design and sphinx-copybutton add their static folders when the
    builder starts, after Sphinx compared the settings with the last run's: every
    unchanged rebuild said "The configuration has changed ('html_static_path')".
    So they are declared with the settings (``config-inited``), and the copies the
    builder's handlers add are dropped once they have run (``builder-inited``, last).
    """
    config.html_static_path = list(dict.fromkeys([*config.html_static_path, *paths]))


def setup(app: Sphinx) -> dict[str, Any]:
    # Imported here, not above: importing the package stays cheap.
    from . import config
    from .boxes import (
        anchors,
        collect,
        directives,
        domain,
        durations,
        editions,
        numbering,
        references,
    )
    from .check import build as check_build
    from .extensions import design, source_scan, tabs
    from .locale import CATALOG, LOCALE_DIR
    from .pages import aggregates, metadata, scope
    from .timing import badges, schedule
    from .timing import reader as timing_reader
    from .views import instructor, lists
    from .workshops import directive as workshop_directive
    from .workshops import manifest

    # myst-nb brings its own MyST parser; loading myst-parser beside it clashes.
    facts = source_scan.scan(app.srcdir, skip=(app.outdir, app.doctreedir), cache_dir=app.doctreedir)
    if _wants_myst_nb(app, facts):
        app.setup_extension("myst_nb")
    else:
        app.setup_extension("myst_parser")
    design.setup(app, facts)
    app.setup_extension("sphinx_copybutton")
    static = [str(directives.STATIC_DIR), *design.static_dirs(), _copybutton_static()]
    app.connect("config-inited", lambda _app, config: _declare_static_paths(config, static), priority=900)
    app.connect("builder-inited", lambda app: _declare_static_paths(app.config, []), priority=900)

    app.add_message_catalog(CATALOG, str(LOCALE_DIR))
    config.add_settings(app)
    app.connect("config-inited", config.validate, priority=400)
    app.connect("env-check-consistency", config.check_episodes)
    app.connect("config-inited", _apply_defaults, priority=400)

    # The order counts: handlers of one event run in the order they were connected.
    for module in (
        scope,
        aggregates,
        directives,
        durations,
        domain,
        collect,
        editions,
        numbering,
        references,
        anchors,
        lists,
        tabs,
        timing_reader,
        schedule,
        badges,
        metadata,
        instructor,
        check_build,
        manifest,
        workshop_directive,
    ):
        module.setup(app)

    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
