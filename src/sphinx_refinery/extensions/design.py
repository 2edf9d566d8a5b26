"""How much of sphinx-design a lesson gets: all of it, or only the tab sets.

The ``tabs`` directives build sphinx-design tab sets, so every lesson needs its
tab rendering, its container visitor and its stylesheet and script. The rest of
sphinx-design (grids, cards, dropdowns, badges, icons, ...) walks every page
three more times whether or not a page uses it: about 5 % of git-intro's build.
It is set up in full only when the lesson asks for it:

* conf.py lists ``sphinx_design``, or another extension sets it up;
* a text file below the source folder, excluded or not (included files often
  are), uses one of its directives or roles or the ``sd_hide_title`` field
  (:mod:`.source_scan` reads each file once);
* conf.py uses them (``rst_prolog``, ``rst_epilog``) or sets an ``sd_`` option.

Either way a page without sphinx-design's own markup gets the same HTML. Without
it, sphinx-design's other names are stand-ins (:mod:`.design_stand_ins`) that
warn about markup the scan could not see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

    from .source_scan import Facts

from . import design_markup
from .design_markup import EXTENSION


def wants_all(app: Sphinx, facts: Facts) -> bool:
    """Whether the lesson gets sphinx-design in full (see the module's docstring)."""
    if EXTENSION in app.config.extensions or EXTENSION in app.extensions:
        return True
    if not design_markup.can_set_up_tab_sets_alone():
        return True  # a sphinx-design whose pieces moved: set it all up
    if design_markup.conf_asks_for_it(app.confdir):
        return True
    return bool(facts.design)


def set_up_tab_sets(app: Sphinx, config: Config) -> None:
    """``config-inited``: what tab sets need, unless sphinx-design was set up meanwhile."""
    if EXTENSION in app.extensions:
        return
    from docutils import nodes
    from sphinx_design import extension, tabs

    app.add_node(nodes.container, override=True, html=(extension.visit_container, extension.depart_container))
    app.add_node(tabs.sd_tab_input, html=(tabs.visit_tab_input, tabs.depart_tab_input))
    app.add_node(tabs.sd_tab_label, html=(tabs.visit_tab_label, tabs.depart_tab_label))
    app.add_post_transform(tabs.TabSetHtmlTransform)
    _stand_in_for_the_rest(app)


def _stand_in_for_the_rest(app: Sphinx) -> None:
    """sphinx-design's other names, for markup the scan could not see: say what to do."""
    from sphinx.util.docutils import is_directive_registered, is_role_registered

    from .design_stand_ins import StandInDirective, StandInRole

    names = design_markup.markup()
    for name in sorted(names.directives):
        if not is_directive_registered(name):  # a lesson's own directive of that name stays
            app.add_directive(name, StandInDirective)
    for name in sorted(names.roles):
        if not is_role_registered(name):
            app.add_role(name, StandInRole())


def add_static_files(app: Sphinx) -> None:
    """``builder-inited``: sphinx-design's stylesheet and tab script, as its own setup adds them."""
    if app.builder.format != "html" or EXTENSION in app.extensions:
        return
    from sphinx_design.extension import STATIC_DIR

    app.config.html_static_path.append(str(STATIC_DIR))
    app.add_css_file("sphinx-design.min.css")
    app.add_js_file("design-tabs.js", **_script_attributes())


def _script_attributes() -> dict[str, str]:
    """The tab script's storage-key option at sphinx-design's default, as in full.

    The same script tag either way, so that a lesson that starts or stops using
    sphinx-design's markup gets the same pages from an incremental build as from a
    clean one. (Without it, the script falls back to the same default.)
    """
    try:
        from sphinx_design.config import SdConfig

        return {"data-sd-tabs-storage-prefix": str(SdConfig().tabs_storage_prefix)}
    except (ImportError, AttributeError, TypeError):
        return {}


def static_dirs() -> list[str]:
    """sphinx-design's static folder, as its own setup (and :func:`add_static_files`) add it."""
    from sphinx_design.extension import STATIC_DIR

    return [str(STATIC_DIR)]


def xhtml_tab_inputs(app: Sphinx) -> None:
    """``builder-inited``: in EPUB, whose pages are XHTML, a tab's ``<input>`` is closed
    (``<input ... />``); sphinx-design writes it open, as HTML allows, which leaves
    the rest of the page unreadable to an e-reader."""
    if not app.builder.name.startswith("epub"):
        return
    from sphinx_design import tabs

    app.add_node(tabs.sd_tab_input, override=True, html=(visit_xhtml_tab_input, tabs.depart_tab_input))


def visit_xhtml_tab_input(self: Any, node: Any) -> None:
    attributes = {"ids": [node["id"]], "type": node["type"], "name": node["set_id"]}
    if node["checked"]:
        attributes["checked"] = "checked"
    self.body.append(self.emptytag(node, "input", **attributes))


def setup(app: Sphinx, facts: Facts) -> None:
    app.connect("builder-inited", xhtml_tab_inputs)
    if wants_all(app, facts):
        app.setup_extension(EXTENSION)
    else:
        app.connect("config-inited", set_up_tab_sets)
        app.connect("builder-inited", add_static_files)  # now, to keep sphinx-design's place
