"""Pages that gather content from other pages (exercise list, schedule, ...).

Such a page is re-read whenever any page of the lesson changes, so an
incremental build gives the same output as a clean one. What it shows is
built at write time from the small records the other modules keep.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector

ATTRIBUTE = "refinery_aggregate_pages"


def note(env: BuildEnvironment) -> None:
    """Record that the page being read aggregates others."""
    pages(env).add(env.docname)


def pages(env: BuildEnvironment) -> set[str]:
    if not hasattr(env, ATTRIBUTE):
        setattr(env, ATTRIBUTE, set())
    return getattr(env, ATTRIBUTE)


def toctree_order(env: BuildEnvironment) -> list[str]:
    """Pages in reading order: the root page, then its toctree, depth first."""
    order: list[str] = []
    seen: set[str] = set()
    stack = [env.config.root_doc]
    while stack:
        docname = stack.pop()
        if docname in seen or docname not in env.all_docs:
            continue
        seen.add(docname)
        order.append(docname)
        stack.extend(reversed(env.toctree_includes.get(docname, [])))
    return order


class AggregatePages(EnvironmentCollector):
    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        pages(env).discard(docname)

    def merge_other(
        self, app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
    ) -> None:
        pages(env).update(pages(other) & docnames)

    def process_doc(self, app: Sphinx, doctree) -> None:
        pass

    def get_outdated_docs(
        self,
        app: Sphinx,
        env: BuildEnvironment,
        added: set[str],
        changed: set[str],
        removed: set[str],
    ) -> list[str]:
        if not (added or changed or removed):
            return []
        return sorted(pages(env) - removed)


def setup(app: Sphinx) -> None:
    app.add_env_collector(AggregatePages)
