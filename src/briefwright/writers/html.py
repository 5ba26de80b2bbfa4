"""The model -> one HTML document through the template's Jinja2 `briefing.html.j2`.

The same HTML serves the web (screen styles, footnotes as endnotes) and WeasyPrint (print
styles, footnotes floated to the foot of their page).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, assert_never

from markupsafe import Markup, escape

from briefwright import __version__
from briefwright import model as m
from briefwright.callouts import callout, other_classes
from briefwright.conditions import select_briefing
from briefwright.crossref import caption_lists
from briefwright.errors import Reporter
from briefwright.fonts import Direction, first_strong, language_direction
from briefwright.readers.images import ImageError, load_image
from briefwright.sizes import DIMENSIONS, parse_size
from briefwright.templates import HTML_TEMPLATE, Template
from briefwright.writers import Rendered
from briefwright.writers.html_manifest import with_manifest_script


def render_html(briefing: m.Briefing, template: Template, reporter: Reporter) -> Rendered:
    html = html_document(briefing, template, reporter, "html")
    # the provenance manifest, put in here rather than by the template, which cannot lose it
    html = with_manifest_script(html, briefing.meta.manifest)
    return Rendered(html.encode("utf-8"))


def html_document(
    briefing: m.Briefing, template: Template, reporter: Reporter, fmt: str = "html"
) -> str:
    """The HTML of `briefing` for the output format `fmt` ("html", or "pdf" when WeasyPrint
    prints it), which conditional content (`when-format=...`) is judged by."""
    briefing = select_briefing(briefing, fmt)
    state = _State(briefing, reporter)
    meta = briefing.meta
    body = Markup("\n").join(_block(block, state) for block in briefing.blocks)
    context: dict[str, Any] = {
        "briefing": meta,
        "date": meta.date.isoformat(),
        "date_long": meta.date_long,
        "body": body,
        "direction": state.direction,
        "toc": _toc(briefing) if template.info.toc else [],
        "lists": [
            {"title": title, "entries": [{"id": i, "text": t} for i, t in entries]}
            for _, title, entries in caption_lists(briefing)
        ],
        "endnotes": _endnotes(briefing, state),
        "stylesheet": Markup(template.stylesheet()),
        # from validated choices only (schema.PageSize, schema.Orientation, schema.Colour)
        "page_setup": Markup(_page_setup(meta)),
        "banner_style": _banner_colours(meta),
        "logo": _data_uri(meta.logo) if meta.logo else None,
        "logo_alt": meta.logo_alt,
        "generator": f"briefwright {__version__}",
    }
    return template.render(HTML_TEMPLATE, context)


def _banner_colours(meta: m.BriefingMeta) -> str:
    return f"color: {meta.marking_colour}; background-color: {meta.marking_background};"


def _page_setup(meta: m.BriefingMeta) -> str:
    banner = _banner_colours(meta) if meta.marking else ""
    return (
        f"@page {{ size: {meta.page_size} {meta.orientation}; "
        f"@top-center {{ {banner} }} @bottom-center {{ {banner} }} }}"
    )


def _data_uri(path: Path) -> str:
    image = load_image(path)
    return f"data:{image.mime};base64,{base64.b64encode(image.data).decode('ascii')}"


@dataclass
class _State:
    briefing: m.Briefing
    reporter: Reporter
    floated: set[str] = field(default_factory=set)
    calls: dict[str, int] = field(default_factory=dict)  # footnote key -> calls so far
    # while a note is written: the notes first called in it, floated after it (None: the body)
    nested: list[m.Footnote] | None = None
    direction: Direction = field(init=False)  # the briefing's, from its language

    def __post_init__(self) -> None:
        self.direction = language_direction(self.briefing.meta.lang)


def _dir(runs: tuple[m.Inline, ...], state: _State) -> str:
    """A block's `dir` attribute where it differs from the document's: from its first strong
    character, as `dir="auto"` would; the bidi algorithm orders what is inside."""
    direction = first_strong(m.plain_text(runs)) or state.direction
    return "" if direction == state.direction else f' dir="{direction}"'


def _item_dir(item: m.ListItem, state: _State) -> str:
    first = next((runs for b in item.blocks for runs in m.inline_children(b)), ())
    return _dir(first, state)


def _toc(briefing: m.Briefing) -> list[dict[str, Any]]:
    return [
        {"level": h.level, "id": h.id, "title": m.plain_text(h.children), "number": h.number}
        for h in briefing.headings
        if h.level <= briefing.meta.toc_depth
    ]


def _blocks(blocks: tuple[m.Block, ...], state: _State) -> Markup:
    return Markup("\n").join(_block(block, state) for block in blocks)


def _block(block: m.Block, state: _State) -> Markup:
    match block:
        case m.Heading():
            return _heading(block, state)
        case m.Paragraph():
            return _paragraph(block, state)
        case m.BulletList():
            return _bullet_list(block, state)
        case m.OrderedList():
            return _ordered_list(block, state)
        case m.Table():
            return _table(block, state)
        case m.BlockQuote():
            return _blockquote(block, state)
        case m.CodeBlock():
            return _code_block(block, state)
        case m.Image():
            return _image(block, state)
        case m.ThematicBreak():
            return _thematic_break(block, state)
        case m.PageBreak():
            return _page_break(block, state)
        case m.DefinitionList():
            return _definition_list(block, state)
        case m.Div():
            return _div(block, state)
        case _:
            assert_never(block)


def _heading(block: m.Heading, state: _State) -> Markup:
    tag = f"h{block.level}"
    dir_ = _dir(block.children, state)
    inner = _inlines(block.children, state)
    if block.number:  # Pandoc's class: its number is also in the PDF bookmark's label
        inner = Markup(f'<span class="header-section-number">{escape(block.number)}</span> {inner}')
    return Markup(f'<{tag} id="{escape(block.id)}"{dir_}>{inner}</{tag}>')


def _paragraph(block: m.Paragraph, state: _State) -> Markup:
    return Markup(f"<p{_dir(block.children, state)}>{_inlines(block.children, state)}</p>")


def _list_items(items: tuple[m.ListItem, ...], tight: bool, state: _State) -> Markup:
    rendered = []
    for item in items:
        parts = [
            _inlines(b.children, state)
            if tight and isinstance(b, m.Paragraph)
            else _block(b, state)
            for b in item.blocks
        ]
        li = Markup(f"<li{_item_dir(item, state)}>")
        rendered.append(li + Markup("\n").join(parts) + Markup("</li>"))
    return Markup("\n").join(rendered)


def _bullet_list(block: m.BulletList, state: _State) -> Markup:
    dir_ = _item_dir(block.items[0], state) if block.items else ""
    return Markup(f"<ul{dir_}>\n{_list_items(block.items, block.tight, state)}\n</ul>")


def _ordered_list(block: m.OrderedList, state: _State) -> Markup:
    start = f' start="{block.start}"' if block.start != 1 else ""
    dir_ = _item_dir(block.items[0], state) if block.items else ""
    return Markup(f"<ol{start}{dir_}>\n{_list_items(block.items, block.tight, state)}\n</ol>")


def _table(block: m.Table, state: _State) -> Markup:
    def cells(row: tuple[m.TableCell, ...], tag: str) -> str:
        out = []
        for cell, align in zip(row, block.aligns, strict=False):
            style = f' class="align-{align}"' if align else ""
            dir_ = _dir(cell.children, state)
            out.append(f"<{tag}{style}{dir_}>{_cell(cell, state)}</{tag}>")
        return "".join(out)

    # a headerless table (Pandoc's simple, multiline and grid tables allow one) has no <thead>
    head = f"<thead><tr>{cells(block.header, 'th')}</tr></thead>\n" if block.header else ""
    rows = "\n".join(f"<tr>{cells(row, 'td')}</tr>" for row in block.rows)
    ident = f' id="{escape(block.id)}"' if block.number else ""
    caption = _caption("Table", block.number, _inlines(block.caption, state))
    caption = Markup(f"<caption>{caption}</caption>\n") if caption else Markup("")
    return Markup(f"<table{ident}>\n{caption}{head}<tbody>\n{rows}\n</tbody>\n</table>")


def _caption(kind: str, number: int, text: Markup) -> Markup:
    """A caption's content: "Figure 2: text" (its label in a span) when numbered."""
    if not number:
        return text
    label = Markup(f'<span class="caption-label">{kind} {number}</span>')
    return label + Markup(": ") + text if text else label


def _cell(cell: m.TableCell, state: _State) -> Markup:
    return _blocks(cell.blocks, state) if cell.blocks else _inlines(cell.children, state)


def _blockquote(block: m.BlockQuote, state: _State) -> Markup:
    return Markup(f"<blockquote>\n{_blocks(block.blocks, state)}\n</blockquote>")


def _code_block(block: m.CodeBlock, state: _State) -> Markup:
    language = f' class="language-{escape(block.language)}"' if block.language else ""
    return Markup(f"<pre><code{language}>{escape(block.text)}</code></pre>")


def _image(block: m.Image, state: _State) -> Markup:
    caption = _caption("Figure", block.number, escape(block.title or block.alt))
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    ident = f' id="{escape(block.id)}"' if block.number else ""
    if block.path is None:
        return Markup(f'<figure class="missing"{ident}>{figcaption or escape(block.src)}</figure>')
    try:
        image = load_image(block.path)
    except ImageError as exc:
        state.reporter.warn(f"image '{block.src}' {exc}; its caption is shown instead")
        return Markup(f'<figure class="missing"{ident}>{figcaption or escape(block.src)}</figure>')
    uri = f"data:{image.mime};base64,{base64.b64encode(image.data).decode('ascii')}"
    image_tag = f'<img src="{uri}" alt="{escape(block.alt)}"{_image_style(block)}>'
    return Markup(f"<figure{ident}>\n{image_tag}\n{figcaption}\n</figure>")


def _image_style(block: m.Image) -> str:
    """The image's `width`/`height` attributes as CSS (a width in % is a share of the figure,
    which is as wide as the text); none for a size the reader warned it cannot read."""
    sizes = {d: parse_size(getattr(block, d), d) for d in DIMENSIONS}
    css = "; ".join(f"{d}: {size.css()}" for d, size in sizes.items() if size is not None)
    return f' style="{css}"' if css else ""


def _thematic_break(block: m.ThematicBreak, state: _State) -> Markup:
    return Markup("<hr>")


def _page_break(block: m.PageBreak, state: _State) -> Markup:
    return Markup('<div class="page-break"></div>')


def _definition_list(block: m.DefinitionList, state: _State) -> Markup:
    parts = []
    for item in block.items:
        parts.append(f"<dt{_dir(item.term, state)}>{_inlines(item.term, state)}</dt>")
        parts.extend(f"<dd>\n{_blocks(d, state)}\n</dd>" for d in item.definitions)
    return Markup("<dl>\n" + "\n".join(parts) + "\n</dl>")


def _attrs(classes: tuple[str, ...], identifier: str | None) -> str:
    """` id="..." class="..."` as written in the Markdown."""
    id_ = f' id="{escape(identifier)}"' if identifier else ""
    class_ = f' class="{escape(" ".join(classes))}"' if classes else ""
    return id_ + class_


def _div(block: m.Div, state: _State) -> Markup:
    """A plain div keeps its classes; a callout is a titled box (base.css styles it)."""
    styled = callout(block)
    if styled is None:
        attrs = _attrs(block.classes, block.identifier)
        return Markup(f"<div{attrs}>\n{_blocks(block.blocks, state)}\n</div>")
    classes = ("callout", f"callout-{styled.kind}", *other_classes(block))
    attrs = _attrs(tuple(dict.fromkeys(classes)), block.identifier)
    title = _inlines(styled.title, state)
    return Markup(
        f'<div{attrs}>\n<p class="callout-title"{_dir(styled.title, state)}>{title}</p>\n'
        f"{_blocks(styled.blocks, state)}\n</div>"
    )


# --- inlines -----------------------------------------------------------------------------------


def _inlines(runs: tuple[m.Inline, ...], state: _State) -> Markup:
    return Markup("").join(_inline(run, state) for run in runs)


def _inline(run: m.Inline, state: _State) -> Markup:
    match run:
        case m.Text():
            return escape(run.text)
        case m.Code():
            return Markup(f"<code>{escape(run.text)}</code>")
        case m.Strong():
            return Markup(f"<strong>{_inlines(run.children, state)}</strong>")
        case m.Emphasis():
            return Markup(f"<em>{_inlines(run.children, state)}</em>")
        case m.Strikethrough():
            return Markup(f"<del>{_inlines(run.children, state)}</del>")
        case m.Link():
            return _link(run, state)
        case m.FootnoteRef():
            return _footnote_ref(run, state)
        case m.LineBreak():
            return Markup("<br>")
        case m.VarRef() | m.Cite():  # assemble and citations.py replace them; never reached
            return escape(run.written)
        case m.Span():
            attrs = _attrs(run.classes, run.identifier)
            return Markup(f"<span{attrs}>{_inlines(run.inlines, state)}</span>")
        case _:
            assert_never(run)


def _link(run: m.Link, state: _State) -> Markup:
    title = f' title="{escape(run.title)}"' if run.title else ""
    title += ' class="xref"' if run.xref else ""
    return Markup(f'<a href="{escape(run.href)}"{title}>{_inlines(run.children, state)}</a>')


def _footnote_ref(run: m.FootnoteRef, state: _State) -> Markup:
    """A call: a link to the endnote (screen) and, the first time, the note floated (print).
    Each call has its own ID; a later call links (print) to the note floated at the first, as
    does a call in a note: a float inside a float is misnumbered by WeasyPrint, so a note first
    called in a note is floated right after it (depth first, as the model numbers them)."""
    note = state.briefing.footnote(run.key)
    if note is None:
        return Markup("")
    n = note.number
    calls = state.calls.get(run.key, 0) + 1
    state.calls[run.key] = calls
    call_id = f"fnref-{n}" if calls == 1 else f"fnref-{n}-{calls}"
    call = Markup(f'<a class="fn-ref" id="{call_id}" href="#note-{n}"><sup>{n}</sup></a>')
    again = call + Markup(f'<a class="fn-again" href="#fn-{n}"><sup>{n}</sup></a>')
    if run.key in state.floated:
        return again
    state.floated.add(run.key)
    if state.nested is not None:
        state.nested.append(note)
        return again
    return call + _floats(note, state)


def _floats(note: m.Footnote, state: _State) -> Markup:
    """The note floated, then the notes first called in it, each followed by its own (a work
    list, not recursion: a chain of notes may be long). Those have no call in the body."""
    floats: list[Markup] = []
    todo = [note]
    while todo:
        current = todo.pop()
        state.nested = []
        body = _note_body(current, state)
        kind = "footnote" if current is note else "footnote fn-nested"
        floats.append(Markup(f'<span class="{kind}" id="fn-{current.number}">{body}</span>'))
        todo.extend(reversed(state.nested))
        state.nested = None
    return Markup("").join(floats)


def _endnotes(briefing: m.Briefing, state: _State) -> list[tuple[int, Markup]]:
    """Every note for the screen, numbered as the floats are; all are floated by now."""
    state.nested = []
    notes = [(note.number, _blocks(note.blocks, state)) for note in briefing.footnotes]
    state.nested = None
    return notes


# --- a floated footnote's blocks ----------------------------------------------------------------
# The note is floated from where it is called, inside a paragraph, so its blocks are spans that
# print styles lay out as blocks (a <p>, <ul> or <pre> there would end the paragraph). The
# first paragraph stays inline, beside the note's number.


def _note_body(note: m.Footnote, state: _State) -> Markup:
    return _note_flow(note.blocks, state)


def _note_flow(blocks: tuple[m.Block, ...], state: _State) -> Markup:
    """Blocks after a number or bullet: a first paragraph inline beside it, the rest below."""
    if blocks and isinstance(blocks[0], m.Paragraph):
        return _inlines(blocks[0].children, state) + _note_blocks(blocks[1:], state)
    return _note_blocks(blocks, state)


def _note_blocks(blocks: tuple[m.Block, ...], state: _State) -> Markup:
    return Markup("").join(_note_block(block, state) for block in blocks)


def _span(kind: str, inner: Markup | str) -> Markup:
    return Markup(f'<span class="fn-{kind}">{inner}</span>')


def _note_block(block: m.Block, state: _State) -> Markup:
    match block:
        case m.Heading() | m.Paragraph():
            return _span("p", _inlines(block.children, state))
        case m.BulletList() | m.OrderedList():
            return _note_list(block, state)
        case m.BlockQuote():
            return _span("quote", _note_blocks(block.blocks, state))
        case m.CodeBlock():
            return _span("code", escape(block.text))
        case m.Table():
            return _note_table(block, state)
        case m.Image():
            return _span("p", escape(block.title or block.alt or block.src))
        case m.ThematicBreak():
            return _span("hr", "")
        case m.PageBreak():
            return Markup("")
        case m.DefinitionList():
            return _note_definitions(block, state)
        case m.Div():
            return _note_div(block, state)
        case _:
            assert_never(block)


def _note_div(block: m.Div, state: _State) -> Markup:
    styled = callout(block)
    if styled is None:
        return _span("div", _note_blocks(block.blocks, state))
    title = _span("callout-title", _inlines(styled.title, state))
    inner = title + _note_blocks(styled.blocks, state)
    return Markup(f'<span class="fn-div callout callout-{styled.kind}">{inner}</span>')


def _note_list(block: m.BulletList | m.OrderedList, state: _State) -> Markup:
    items = []
    for index, item in enumerate(block.items):
        marker = f"{block.start + index}." if isinstance(block, m.OrderedList) else "\u2022"
        items.append(_span("item", _span("marker", marker) + _note_flow(item.blocks, state)))
    return _span("list", Markup("").join(items))


def _note_table(block: m.Table, state: _State) -> Markup:
    rows = [
        _span("tr", Markup("").join(_span("td", _note_cell(c, state)) for c in row))
        for row in (block.header, *block.rows)
        if row
    ]
    return _span("table", Markup("").join(rows))


def _note_cell(cell: m.TableCell, state: _State) -> Markup:
    return _note_blocks(cell.blocks, state) if cell.blocks else _inlines(cell.children, state)


def _note_definitions(block: m.DefinitionList, state: _State) -> Markup:
    parts = []
    for item in block.items:
        parts.append(_span("dt", _inlines(item.term, state)))
        parts.extend(_span("dd", _note_blocks(d, state)) for d in item.definitions)
    return _span("dl", Markup("").join(parts))
