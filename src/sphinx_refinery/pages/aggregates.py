"""Pages that gather content from other pages (exercise list, schedule, ...).

What such a page shows is built at write time from the small records the other
modules keep and from the pages' stored doctrees. After reading, a fingerprint
of everything it draws on is compared with the last build's: when it differs,
the gathered pages are written again, so an incremental build gives the same
output as a clean one, and an edit that touches no box costs nothing more.
"""

from __future__ import annotations

import hashlib

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector

from ..model import lesson_rules

ATTRIBUTE = "refinery_aggregate_pages"
FINGERPRINT = "refinery_aggregate_fingerprint"
#: The refinery domain's records that gathered pages draw on: the boxes, their
#: content, and what each page shows from others (numbers, the labels it names).
DRAWN_ON = ("boxes", "digests", "shown")


def note(env: BuildEnvironment) -> None:
    """Record that the page being read aggregates others."""
    pages(env).add(env.docname)


def pages(env: BuildEnvironment) -> set[str]:
    if not hasattr(env, ATTRIBUTE):
        setattr(env, ATTRIBUTE, set())
    return getattr(env, ATTRIBUTE)


def toctree_order(env: BuildEnvironment) -> list[str]:
    """Pages in reading order: the root page, then its toctree, depth first."""
    includes = env.toctree_includes
    return lesson_rules.toctree_order(
        env.config.root_doc, lambda docname: includes.get(docname, []), env.all_docs
    )


class AggregatePages(EnvironmentCollector):
    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        pages(env).discard(docname)

    def merge_other(
        self, app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
    ) -> None:
        pages(env).update(pages(other) & docnames)

    def process_doc(self, app: Sphinx, doctree) -> None:
        pass


def fingerprint(env: BuildEnvironment) -> str:
    """A hash of what gathered pages show: page order and titles, boxes, timing."""
    order = toctree_order(env)
    data = env.domains["refinery"].data
    inputs = (
        order,
        [env.titles[d].astext() if d in env.titles else "" for d in order],
        [sorted(data[key].items()) for key in DRAWN_ON],
        sorted(getattr(env, "refinery_timing", {}).items()),
    )
    # repr, not pickle: equal values give equal text whatever objects they share.
    return hashlib.sha1(repr(inputs).encode()).hexdigest()


def rewrite_when_sources_moved(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated`` (after numbering): the gathered pages, when what they show changed."""
    if not env.domains["refinery"].pages_changed:
        return []  # nothing was read or removed: what they show is as it was
    current = fingerprint(env)
    if getattr(env, FINGERPRINT, None) == current:
        return []
    setattr(env, FINGERPRINT, current)
    return sorted(pages(env))


def setup(app: Sphinx) -> None:
    app.add_env_collector(AggregatePages)
    app.connect("env-updated", rewrite_when_sources_moved, priority=900)
