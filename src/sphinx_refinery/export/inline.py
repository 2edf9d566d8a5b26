"""Inline doctree nodes as pandoc Markdown: text escaped, emphasis, code, links, images, math.

References are resolved here, from the environment, to the page and anchor the
Workbench copy has: a page's ``.md`` file, a section's pandoc id, a box's id.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util import docname_join

from ..model.lesson_rules import normalize_label

if TYPE_CHECKING:
    from .context import PageContext

#: Characters pandoc's Markdown gives a meaning inside a line.
_SPECIAL = re.compile(r"([\\`*_\[\]<>$~^@|{}])")
#: What makes a line more than a paragraph's line in pandoc's Markdown.
_LINE_START = re.compile(r"^(\s*)(#|>|[-+*](?=\s|$)|:::|\d+(?=[.)](\s|$))|=+\s*$|-+\s*$)")


#: An "&" that Markdown would read as the start of an entity ("&amp;", "&#38;").
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def escape(text: str) -> str:
    return _ENTITY.sub(r"\\&", _SPECIAL.sub(r"\\\1", text))


def protect_lines(text: str) -> str:
    """Each line kept a paragraph's line: a "#", "-", "1." or ":::" at its start escaped."""
    def fix(line: str) -> str:
        match = _LINE_START.match(line)
        if not match:
            return line
        lead, mark = match.group(1), match.group(2)
        rest = line[len(lead):]
        if mark[0].isdigit():
            return lead + mark + "\\" + rest[len(mark):]
        return lead + "\\" + rest
    return "\n".join(fix(line) for line in text.split("\n"))


def code_span(text: str) -> str:
    text = text.replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def destination(target: str) -> str:
    """A link's target as pandoc reads it: spaces and parentheses escaped."""
    return target.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def inline(node: nodes.Node, ctx: PageContext) -> str:
    return "".join(_inline(child, ctx) for child in node.children) if isinstance(node, nodes.Element) else _inline(node, ctx)


def _inline(node: nodes.Node, ctx: PageContext) -> str:
    if isinstance(node, nodes.Text):
        return escape(node.astext())
    if isinstance(node, nodes.literal) or (isinstance(node, nodes.inline) and "kbd" in node["classes"]):
        return code_span(node.astext())
    if isinstance(node, nodes.strong):
        return _wrap("**", inline(node, ctx))
    if isinstance(node, nodes.emphasis | nodes.title_reference):
        return _wrap("*", inline(node, ctx))
    if isinstance(node, nodes.subscript):
        return "~" + inline(node, ctx).replace(" ", "\\ ") + "~"
    if isinstance(node, nodes.superscript):
        return "^" + inline(node, ctx).replace(" ", "\\ ") + "^"
    if isinstance(node, nodes.math):
        return "$" + node.astext().strip() + "$"
    if isinstance(node, nodes.image):
        return image(node, ctx)
    if isinstance(node, nodes.reference):
        return _reference(node, ctx)
    if isinstance(node, addnodes.pending_xref):
        return xref(node, ctx)
    if isinstance(node, addnodes.download_reference):
        return _download(node, ctx)
    if isinstance(node, nodes.raw):
        if "html" in node.get("format", "").split():
            return node.astext()
        ctx.note(node, f"raw {node.get('format')} text", "left out",
                 "the Workbench's pages are HTML; only raw HTML passes")
        return ""
    if isinstance(node, nodes.footnote_reference):
        return f"[^{node.get('refid') or node.astext()}]"
    if isinstance(node, nodes.target | nodes.system_message | nodes.comment | nodes.substitution_definition):
        return ""
    if isinstance(node, addnodes.index):
        ctx.note(node, "index entry", "left out", "the Workbench builds no index")
        return ""
    if isinstance(node, nodes.abbreviation):
        explanation = node.get("explanation")
        text = inline(node, ctx)
        return f"{text} ({escape(explanation)})" if explanation else text
    if isinstance(node, nodes.inline | nodes.generated | nodes.problematic | addnodes.literal_emphasis):
        return inline(node, ctx)
    if isinstance(node, nodes.Element):
        ctx.note(node, f"inline {node.tagname}", "its text",
                 "the Workbench's Markdown has no such markup")
        return inline(node, ctx)
    return escape(node.astext())


def _wrap(mark: str, text: str) -> str:
    if not text.strip():
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()):]
    return f"{lead}{mark}{text.strip()}{mark}{trail}"


def _reference(node: nodes.reference, ctx: PageContext) -> str:
    text = inline(node, ctx) or escape(node.get("refuri", ""))
    if node.get("refuri"):
        uri = node["refuri"]
        if node.get("internal") or not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//|^#", uri):
            uri = ctx.local_link(uri, node)
        return f"[{text}]({destination(uri)})"
    if node.get("refid"):
        return f"[{text}](#{ctx.anchor(node['refid'])})"
    return text


def _download(node: nodes.Element, ctx: PageContext) -> str:
    text = inline(node, ctx)
    relative, _absolute = ctx.env.relfn2path(node.get("reftarget", ""), ctx.docname)
    link = ctx.copy_file(relative, "files", node)
    return f"[{text}]({destination(link)})" if link else text


def image(node: nodes.image, ctx: PageContext) -> str:
    uri = node.get("uri", "")
    alt = node.get("alt", "")
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", uri):
        link = uri
    else:
        # After reading, an image's uri is relative to the source folder.
        link = ctx.copy_file(uri, "fig", node) or uri
    attrs = f"{{alt='{alt}'}}" if alt and "'" not in alt else (f'{{alt="{alt}"}}' if alt and '"' not in alt else "")
    return f"![{escape(alt)}]({destination(link)}){attrs}"


def xref(node: addnodes.pending_xref, ctx: PageContext) -> str:
    """A cross-reference as a link to the page and anchor it leads to in the copy."""
    env = ctx.env
    reftype, domain = node.get("reftype"), node.get("refdomain")
    target = node.get("reftarget", "")
    text = inline(node, ctx)
    explicit = node.get("refexplicit")
    refinery = env.domains["refinery"]
    label = normalize_label(target)
    if reftype in ("ref", "numref", "myst", "any", "box") and label in refinery.labels:
        found = refinery.labels[label]
        key = f"{found.docname}#{found.id}"
        shown = refinery.display_title(key)
        if not explicit or reftype == "numref":
            text = escape(shown)
        number = refinery.number_of(key)
        if number:
            ctx.note(node, f"reference to exercise {number} ({label})", f"a link with the text {shown!r}",
                     "the Workbench does not number exercises; the number is kept in the link text")
        link = ctx.link_to(found.docname, found.id, node)
        return f"[{text}]({destination(link)})" if link else text
    if reftype == "doc" or (reftype in ("myst", "any") and _page(env, node) is not None):
        docname = _page(env, node) if reftype != "doc" else docname_join(node.get("refdoc", ctx.docname), target.lstrip("/"))
        if docname not in env.all_docs:
            return text
        if not text or not explicit:
            title = env.titles.get(docname)
            text = escape(title.astext()) if title else escape(docname)
        link = ctx.link_to(docname, "", node)
        return f"[{text}]({destination(link)})" if link else text
    if (domain == "std" and reftype in ("ref", "numref")) or reftype in ("myst", "any"):
        std = env.domains["std"]
        place = std.labels.get(label) or std.anonlabels.get(label)
        if place:
            docname, ident = place[0], place[1]
            if not text and len(place) > 2:
                text = escape(place[2])
            link = ctx.link_to(docname, ident, node)
            return f"[{text or escape(target)}]({destination(link)})" if link else text
    if reftype == "term":
        place = env.domains["std"].objects.get(("term", target.lower()))
        link = ctx.link_to(place[0], place[1], node) if place else None
        if link:
            return f"[{text or escape(target)}]({destination(link)})"
        ctx.note(node, f"glossary term {target!r}", "its text", "the lesson's glossary does not define it")
        return text or escape(target)
    ctx.note(node, f"{domain or ''}:{reftype} reference {target!r}", "its text",
             "no page of the copy holds what it points at")
    return text or escape(target)


def _page(env, node: addnodes.pending_xref) -> str | None:
    target = node.get("reftarget", "").split("#")[0]
    if not target:
        return None
    for suffix in (".md", ".rst", ".ipynb", ".html"):
        target = target.removesuffix(suffix)
    docname = docname_join(node.get("refdoc", ""), target.lstrip("/"))
    return docname if docname in env.all_docs else None


class _Words(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []

    def handle_data(self, data: str) -> None:
        self.words.append(data)


def html_text(markup: str) -> str:
    """The text of an HTML fragment, tags left out and entities read."""
    parser = _Words()
    parser.feed(markup)
    parser.close()
    return " ".join("".join(parser.words).split())
