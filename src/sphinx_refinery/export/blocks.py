"""A page's doctree as pandoc Markdown, block by block, the way the Workbench writes a page.

Boxes become fenced divs whose first block is their title (``## Title``); a solution
that follows its exercise moves into it; tab sets become ``tab`` or ``group-tab`` divs
with a level-3 heading per tab. What has no Workbench form is written as the nearest
one and told to the report through :meth:`PageContext.note`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from docutils import nodes
from sphinx import addnodes

from ..model import workbench_forms as forms
from ..model.lesson_rules import MINUTE_KEYS
from . import tables
from .context import PageContext
from .inline import escape, html_text, inline, protect_lines
from .kinds import ADMONITION_TITLES, DIV_OF_ADMONITION, div_of
from .solutions import nest_solutions


def one_line(text: str) -> str:
    """A heading's text on one line (a title may wrap in the source)."""
    return " ".join(text.split())


def _plain_class(name: str) -> bool:
    """A class an author gave (``dropdown``), not one docutils derives from a title."""
    return not name.startswith("admonition-") and re.fullmatch(r"[A-Za-z][\w-]*", name) is not None


def holds_box(node: nodes.Element) -> bool:
    """Whether a box or a tab set is inside the node."""
    return any(
        isinstance(n, nodes.Admonition) or n.get("design_component") == "tab-set"
        for n in node.findall(nodes.Element)
        if n is not node
    )


#: The ids docutils makes up for a name met twice.
AUTO_ID = re.compile(r"id[0-9]+")
#: Front-matter keys an rST page gives in a field list: they go to the front matter.
TIMING_FIELDS = frozenset((*MINUTE_KEYS, "day", "start"))


class PageWriter:
    """Writes one page's doctree as Markdown."""

    def __init__(self, ctx: PageContext) -> None:
        self.ctx = ctx
        self.section_depth = 0

    def page(self, doctree: nodes.document) -> str:
        nest_solutions(doctree, self.ctx)
        return self.blocks(doctree.children)

    # -- structure ---------------------------------------------------------------------------

    def blocks(self, children: list[nodes.Node]) -> str:
        parts = [self.block(child) for child in children]
        return "\n\n".join(part for part in parts if part.strip())

    def block(self, node: nodes.Node) -> str:
        ctx = self.ctx
        if isinstance(node, nodes.Text):
            return protect_lines(escape(node.astext()))
        method = getattr(self, "visit_" + node.__class__.__name__, None)
        if method is not None:
            return method(node)
        if isinstance(node, nodes.Admonition):
            return self.admonition(node)
        if isinstance(node, nodes.Inline | nodes.TextElement) and not isinstance(node, nodes.Element):
            return inline(node, ctx)
        if isinstance(node, nodes.TextElement):
            return protect_lines(inline(node, ctx))
        if isinstance(node, nodes.Element):
            if node.children:
                ctx.note(node, f"block {node.tagname}", "its content",
                         "the Workbench's Markdown has no such block")
            return self.blocks(node.children)
        return ""

    def visit_section(self, node: nodes.section) -> str:
        self.section_depth += 1
        try:
            title = node.next_node(nodes.title)
            heading = ""
            if self.section_depth > 1 or self._seen_top:
                level = "#" * min(self.section_depth, 6)
                text = protect_lines(one_line(inline(title, self.ctx)))
                heading = f"{level} {text}" + self._ids(node)
            self._seen_top = True
            return "\n\n".join(p for p in (heading, self.blocks([c for c in node.children if c is not title])) if p)
        finally:
            self.section_depth -= 1

    _seen_top = False

    def _ids(self, node: nodes.Element) -> str:
        """The heading's ids, written out: pandoc's own would differ when another
        heading (a tab's, a box's title) on the page has the same text."""
        ids = node.get("ids", [])
        if not ids:
            return ""
        # docutils' own ids for a title met twice ("id1") beside the first are no one's
        # target; kept, they would be labels of the whole lesson once imported, clashing
        spans = "".join(f" []{{#{i}}}" for i in ids[1:] if not AUTO_ID.fullmatch(i))
        return f"{spans} {{#{ids[0]}}}"

    def visit_title(self, node: nodes.title) -> str:
        return ""

    def visit_paragraph(self, node: nodes.paragraph) -> str:
        return protect_lines(inline(node, self.ctx))

    def visit_rubric(self, node: nodes.rubric) -> str:
        return f"**{inline(node, self.ctx).strip()}**"

    def visit_transition(self, node: nodes.transition) -> str:
        return "* * *"

    def visit_target(self, node: nodes.target) -> str:
        if node.get("refuri") or node.get("refid") or not node.get("ids"):
            return ""
        return "".join(f"[]{{#{i}}}" for i in node["ids"])

    def visit_comment(self, node: nodes.comment) -> str:
        text = node.astext().replace("--", "- -")
        return f"<!-- {text} -->" if text.strip() else ""

    def visit_system_message(self, node: nodes.Node) -> str:
        return ""

    visit_substitution_definition = visit_system_message

    def visit_index(self, node: nodes.Element) -> str:
        self.ctx.note(node, "index entry", "left out", "the Workbench builds no index")
        return ""

    visit_meta = visit_system_message

    def visit_raw(self, node: nodes.raw) -> str:
        if "html" in node.get("format", "").split():
            return node.astext()
        self.ctx.note(node, f"raw {node.get('format')} block", "left out",
                      "the Workbench's pages are HTML; only raw HTML passes")
        return ""

    def visit_compound(self, node: nodes.compound) -> str:
        return self.blocks(node.children)

    def visit_container(self, node: nodes.container) -> str:
        component = node.get("design_component")
        if component == "tab-set":
            return self.tab_set(node)
        if "literal-block-wrapper" in node["classes"]:
            caption = node.next_node(nodes.caption)
            code = [c for c in node.children if not isinstance(c, nodes.caption)]
            lead = f"*{inline(caption, self.ctx).strip()}*" if caption else ""
            return "\n\n".join(p for p in (lead, self.blocks(code)) if p)
        return self.blocks(node.children)

    visit_topic = visit_compound
    visit_sidebar = visit_compound

    def visit_only(self, node: addnodes.only) -> str:
        expr = node.get("expr", "")
        try:
            shown = self.ctx.tags.eval_condition(expr)
        except Exception:  # noqa: BLE001  (Sphinx keeps such a block too)
            shown = True
        body = self.blocks(node.children)
        if shown:
            self.ctx.note(node, f"only block ({expr})", "its content, always shown",
                          "the Workbench builds one website; the HTML build shows this block")
            return body
        self.ctx.note(node, f"only block ({expr})", "an HTML comment holding its content",
                      "the Workbench builds only a website, which does not show this block")
        return "<!-- only " + expr + ":\n\n" + body.replace("-->", "- ->") + "\n-->"

    def visit_toctree(self, node: addnodes.toctree) -> str:
        entries = [docname for _title, docname in node.get("entries", []) if docname in self.ctx.pages]
        self.ctx.note(node, "toctree", "config.yaml's episode and page lists"
                      + (" and a list of links" if self.ctx.docname != self.ctx.env.config.root_doc else ""),
                      "the Workbench orders pages in config.yaml")
        if self.ctx.docname == self.ctx.env.config.root_doc or not entries:
            return ""
        lines = []
        for docname in entries:
            title = self.ctx.env.titles.get(docname)
            text = escape(title.astext()) if title else escape(docname)
            lines.append(f"- [{text}]({self.ctx.link_to(docname, '', node)})")
        return "\n".join(lines)

    def visit_schedule_placeholder(self, node: nodes.Element) -> str:
        self.ctx.note(node, "schedule directive", "the schedule's table as built (days and clock times)",
                      "the Workbench's schedule shows minutes only, with no days or clock times")
        return self.ctx.schedule

    def visit_box_list(self, node: nodes.Element) -> str:
        self.ctx.note(node, "exercise list", "left out",
                      "the Workbench gathers boxes on its own aggregate pages")
        return ""

    # -- text blocks -------------------------------------------------------------------------

    def visit_literal_block(self, node: nodes.literal_block) -> str:
        text = node.astext().rstrip("\n")
        language = node.get("language") or ""
        if language in ("default", "none", "text", "guess"):
            language = ""
        longest = max((len(run) for run in re.findall(r"^\s*(`{3,})", text, re.M)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"{fence}{language}\n{text}\n{fence}"

    visit_doctest_block = visit_literal_block

    def visit_math_block(self, node: nodes.math_block) -> str:
        return "$$\n" + node.astext().strip() + "\n$$"

    def visit_block_quote(self, node: nodes.block_quote) -> str:
        body = self.blocks(node.children)
        if holds_box(node):
            # rST makes a block quote of an indented box; the Workbench's boxes sit in no quote
            self.ctx.note(node, "block quote holding a box", "its content, not quoted",
                          "a Workbench box in a quote would show as a quote")
            return body
        return "\n".join(("> " + line) if line else ">" for line in body.split("\n"))

    def visit_line_block(self, node: nodes.line_block) -> str:
        return "\n".join("| " + inline(line, self.ctx) for line in node.findall(nodes.line))

    def visit_bullet_list(self, node: nodes.bullet_list) -> str:
        return self._list(node, lambda _i: "- ")

    def visit_enumerated_list(self, node: nodes.enumerated_list) -> str:
        start = node.get("start", 1)
        return self._list(node, lambda i: f"{start + i}. ")

    def _list(self, node: nodes.Element, marker: Callable[[int], str]) -> str:
        items = [self.blocks(item.children) for item in node.children]
        loose = any("\n\n" in item for item in items)
        lines = []
        for index, item in enumerate(items):
            mark = marker(index)
            pad = " " * len(mark)
            body = "\n".join((pad + line) if line else "" for line in item.split("\n"))
            lines.append(mark + body[len(pad):])
        return ("\n\n" if loose else "\n").join(lines)

    def visit_definition_list(self, node: nodes.definition_list) -> str:
        out = []
        flat = holds_box(node)
        if flat:
            self.ctx.note(node, "definition list holding a box", "a bold term over its definition",
                          "a Workbench box is read at the start of a line, not inside a definition")
        for item in node.children:
            terms = list(item.findall(nodes.term))
            # a glossary's terms keep their ids: references to them lead there
            term = " ".join(inline(t, self.ctx) for t in terms) + "".join(
                f"[]{{#{i}}}" for t in terms for i in t.get("ids", []))
            definition = item.next_node(nodes.definition)
            body = self.blocks(definition.children) if definition else ""
            if flat:
                out.append(f"**{one_line(term)}**\n\n{body}")
                continue
            indented = "\n".join(("    " + line) if line else "" for line in body.split("\n"))
            out.append(f"{term}\n:   {indented[4:]}")
        return "\n\n".join(out)

    def visit_field_list(self, node: nodes.field_list) -> str:
        out = []
        for field_node in node.children:
            name = field_node.next_node(nodes.field_name)
            body = field_node.next_node(nodes.field_body)
            if name is None or name.astext().strip() in TIMING_FIELDS:
                continue
            text = self.blocks(body.children) if body else ""
            indented = "\n".join(("    " + line) if line else "" for line in text.split("\n"))
            out.append(f"{inline(name, self.ctx)}\n:   {indented[4:]}")
        return "\n\n".join(out)

    def visit_footnote(self, node: nodes.footnote) -> str:
        ident = node["ids"][0] if node.get("ids") else node.astext()
        body = self.blocks([c for c in node.children if not isinstance(c, nodes.label)])
        return f"[^{ident}]: " + body.replace("\n", "\n    ")

    visit_citation = visit_footnote

    def visit_image(self, node: nodes.image) -> str:
        return inline(nodes.paragraph("", "", node.deepcopy()), self.ctx)

    def visit_figure(self, node: nodes.figure) -> str:
        image = node.next_node(nodes.image)
        caption = node.next_node(nodes.caption)
        legend = node.next_node(nodes.legend)
        if image is None:
            return self.blocks(node.children)
        copy = image.deepcopy()
        text = inline(caption, self.ctx).strip() if caption else ""
        picture = inline(nodes.paragraph("", "", copy), self.ctx)
        if text:
            picture = re.sub(r"^!\[[^\]]*\]", lambda _m: f"![{text}]", picture, count=1)
        return "\n\n".join(p for p in (picture, self.blocks(legend.children) if legend else "") if p)

    def visit_table(self, node: nodes.table) -> str:
        return tables.pipe_table(node, self.ctx, self.blocks)

    # -- boxes and tabs ----------------------------------------------------------------------

    def admonition(self, node: nodes.Element) -> str:
        kind = node.get("refinery_kind")
        title_node = node.next_node(nodes.title) if node.children and isinstance(node[0], nodes.title) else None
        body = [c for c in node.children if c is not title_node]
        ident = ""
        extra: list[str] = []
        attributes: dict[str, str] = {}  # pandoc keeps them as data-*; an import reads them back
        title = ""
        if kind:
            div, why = div_of(kind)
            if why:
                self.ctx.note(node, f"{kind} box", f"a {div} div", why)
                extra.append(kind)
            if title_node is not None and not node.get("refinery_default_title"):
                title = self._title(title_node)
            if node.get("refinery_label"):
                ident = node["ids"][0] if node.get("ids") else ""
                self.ctx.note(node, f"box label {node['refinery_label']!r}", f"the div's id #{ident}",
                              "the Workbench has no box labels; links lead to the div's id")
            number = self.ctx.numbers.get(node["ids"][0]) if node.get("ids") else None
            if number:
                self.ctx.note(node, f"exercise number {number}", "an unnumbered challenge",
                              "the Workbench does not number exercises")
            if node.get("refinery_time"):
                self.ctx.note(node, f"{kind} minutes ({node['refinery_time']} min)",
                              "counted in the episode's 'exercises' minutes, and a time attribute",
                              "the Workbench times episodes, not boxes")
                attributes[forms.TIME] = str(node["refinery_time"])
            named = node.get("refinery_exercise")
            if named and not set(named) & set('"{}'):
                attributes[forms.EXERCISE] = named
            elif named:
                self.ctx.note(node, f"solution naming exercise {named!r}", "a solution div naming none",
                              "a pandoc attribute cannot hold that label")
            if node.get("refinery_placed_after"):
                attributes[forms.PLACED] = forms.AFTER
            if why and kind not in forms.NEAREST:
                self.ctx.own_kind(kind, node, title_node)
        else:
            name = node.tagname if node.tagname in DIV_OF_ADMONITION else "admonition"
            div = DIV_OF_ADMONITION[name]
            if title_node is not None:
                title = self._title(title_node)
            elif name != "admonition":
                title = ADMONITION_TITLES[name]
            # named by a second class, which the import reads back; classes such as dropdown ride along
            extra = [forms.admonition_class(name), *(c for c in node["classes"] if _plain_class(c))]
            ident = node["ids"][0] if node.get("ids") else ""
            self.ctx.note(node, f"{name} admonition", f"a {div} div",
                          "the Workbench's nearest box")
        return self.div(div, self.blocks(body), title=title, ident=ident, classes=extra, attributes=attributes)

    def _title(self, title: nodes.title) -> str:
        copy = title.deepcopy()
        for duration in list(copy.findall(nodes.inline)):
            if "refinery-duration" in duration["classes"]:
                duration.parent.remove(duration)
        for raw in list(copy.findall(nodes.raw)):
            # a box title shows raw HTML as text once imported (boxes/directives.py): keep its words
            words = html_text(raw.astext()) if "html" in raw.get("format", "").split() else ""
            self.ctx.note(title, "raw markup in a box title", "its text" if words else "left out",
                          "an imported box's title shows raw HTML as text")
            raw.replace_self(nodes.Text(words))
        return inline(copy, self.ctx).strip()

    def div(
        self, kind: str, body: str, *, title: str = "", ident: str = "", classes: list[str] = (),
        attributes: dict[str, str] | None = None,
    ) -> str:
        inner = max((len(run) for run in re.findall(r"^ {0,3}(:{3,})", body, re.M)), default=0)
        fence = ":" * (inner + 3 if inner else 3)
        attributes = attributes or {}
        if ident or classes or attributes:
            attrs = " ".join([
                f".{kind}", *(f".{c}" for c in classes), *([f"#{ident}"] if ident else []),
                *(f'{key}="{value}"' for key, value in attributes.items()),
            ])
            opening = f"{fence} {{{attrs}}}"
        else:
            opening = f"{fence} {kind}"
        heading = f"## {protect_lines(one_line(title))}" if title else ""
        parts = [opening, heading, body]
        return "\n\n".join(p for p in parts if p) + f"\n\n{fence}"

    def tab_set(self, node: nodes.Element) -> str:
        items = [c for c in node.children if isinstance(c, nodes.Element) and c.get("design_component") == "tab-item"]
        grouped = any(rubric.get("sync_group") or rubric.get("sync_id") for rubric in node.findall(nodes.rubric))
        parts = []
        for item in items:
            label = item.next_node(nodes.rubric)
            content = [c for c in item.children if c is not label]
            text = one_line(inline(label, self.ctx)) if label else "Tab"
            parts.append(f"### {protect_lines(text)}")
            parts.append(self.blocks(content))
        return self.div("group-tab" if grouped else "tab", "\n\n".join(p for p in parts if p))
