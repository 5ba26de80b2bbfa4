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
from briefwright.errors import Reporter
from briefwright.readers.images import ImageError, load_image
from briefwright.templates import HTML_TEMPLATE, Template
from briefwright.writers import Rendered


def render_html(briefing: m.Briefing, template: Template, reporter: Reporter) -> Rendered:
    return Rendered(html_document(briefing, template, reporter).encode("utf-8"))


def html_document(briefing: m.Briefing, template: Template, reporter: Reporter) -> str:
    state = _State(briefing, reporter)
    meta = briefing.meta
    body = Markup("\n").join(_block(block, state) for block in briefing.blocks)
    context: dict[str, Any] = {
        "briefing": meta,
        "date": meta.date.isoformat(),
        "date_long": meta.date_long,
        "body": body,
        "toc": _toc(briefing) if template.info.toc else [],
        "endnotes": [(note.number, _blocks(note.blocks, state)) for note in briefing.footnotes],
        "stylesheet": Markup(template.stylesheet()),
        # from validated choices only (schema.PageSize, schema.Orientation, schema.Colour)
        "page_setup": Markup(_page_setup(meta)),
        "banner_style": _banner_colours(meta),
        "logo": _data_uri(meta.logo) if meta.logo else None,
        "logo_alt": meta.logo_alt,
        "generator": f"briefwright {__version__}",
    }
    return template.environment.get_template(HTML_TEMPLATE).render(context)


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


def _toc(briefing: m.Briefing) -> list[dict[str, Any]]:
    return [
        {"level": h.level, "id": h.id, "title": m.plain_text(h.children)}
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
        case _:
            assert_never(block)


def _heading(block: m.Heading, state: _State) -> Markup:
    tag = f"h{block.level}"
    return Markup(f'<{tag} id="{escape(block.id)}">{_inlines(block.children, state)}</{tag}>')


def _paragraph(block: m.Paragraph, state: _State) -> Markup:
    return Markup(f"<p>{_inlines(block.children, state)}</p>")


def _list_items(items: tuple[m.ListItem, ...], tight: bool, state: _State) -> Markup:
    rendered = []
    for item in items:
        parts = [
            _inlines(b.children, state)
            if tight and isinstance(b, m.Paragraph)
            else _block(b, state)
            for b in item.blocks
        ]
        rendered.append(Markup("<li>") + Markup("\n").join(parts) + Markup("</li>"))
    return Markup("\n").join(rendered)


def _bullet_list(block: m.BulletList, state: _State) -> Markup:
    return Markup(f"<ul>\n{_list_items(block.items, block.tight, state)}\n</ul>")


def _ordered_list(block: m.OrderedList, state: _State) -> Markup:
    start = f' start="{block.start}"' if block.start != 1 else ""
    return Markup(f"<ol{start}>\n{_list_items(block.items, block.tight, state)}\n</ol>")


def _table(block: m.Table, state: _State) -> Markup:
    def cells(row: tuple[m.TableCell, ...], tag: str) -> str:
        out = []
        for cell, align in zip(row, block.aligns, strict=False):
            style = f' class="align-{align}"' if align else ""
            out.append(f"<{tag}{style}>{_inlines(cell.children, state)}</{tag}>")
        return "".join(out)

    head = f"<thead><tr>{cells(block.header, 'th')}</tr></thead>"
    rows = "\n".join(f"<tr>{cells(row, 'td')}</tr>" for row in block.rows)
    return Markup(f"<table>\n{head}\n<tbody>\n{rows}\n</tbody>\n</table>")


def _blockquote(block: m.BlockQuote, state: _State) -> Markup:
    return Markup(f"<blockquote>\n{_blocks(block.blocks, state)}\n</blockquote>")


def _code_block(block: m.CodeBlock, state: _State) -> Markup:
    language = f' class="language-{escape(block.language)}"' if block.language else ""
    return Markup(f"<pre><code{language}>{escape(block.text)}</code></pre>")


def _image(block: m.Image, state: _State) -> Markup:
    caption = block.title or block.alt
    figcaption = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    if block.path is None:
        return Markup(f'<figure class="missing">{figcaption or escape(block.src)}</figure>')
    try:
        image = load_image(block.path)
    except ImageError as exc:
        state.reporter.warn(f"image '{block.src}' {exc}; its caption is shown instead")
        return Markup(f'<figure class="missing">{figcaption or escape(block.src)}</figure>')
    uri = f"data:{image.mime};base64,{base64.b64encode(image.data).decode('ascii')}"
    image_tag = f'<img src="{uri}" alt="{escape(block.alt)}">'
    return Markup(f"<figure>\n{image_tag}\n{figcaption}\n</figure>")


def _thematic_break(block: m.ThematicBreak, state: _State) -> Markup:
    return Markup("<hr>")


def _page_break(block: m.PageBreak, state: _State) -> Markup:
    return Markup('<div class="page-break"></div>')


def _definition_list(block: m.DefinitionList, state: _State) -> Markup:
    parts = []
    for item in block.items:
        parts.append(f"<dt>{_inlines(item.term, state)}</dt>")
        parts.extend(f"<dd>\n{_blocks(d, state)}\n</dd>" for d in item.definitions)
    return Markup("<dl>\n" + "\n".join(parts) + "\n</dl>")


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
        case _:
            assert_never(run)


def _link(run: m.Link, state: _State) -> Markup:
    title = f' title="{escape(run.title)}"' if run.title else ""
    return Markup(f'<a href="{escape(run.href)}"{title}>{_inlines(run.children, state)}</a>')


def _footnote_ref(run: m.FootnoteRef, state: _State) -> Markup:
    """A call: a link to the endnote (screen) and, the first time, the note floated (print)."""
    note = state.briefing.footnote(run.key)
    if note is None:
        return Markup("")
    n = note.number
    if run.key in state.floated:
        return Markup(f'<a class="fn-ref fn-again" href="#note-{n}"><sup>{n}</sup></a>')
    state.floated.add(run.key)
    inner = Markup(" ").join(
        _inlines(runs, state) for block in note.blocks for runs in m.inline_children(block)
    )
    return Markup(
        f'<a class="fn-ref" href="#note-{n}"><sup>{n}</sup></a>'
        f'<span class="footnote" id="fn-{n}">{inner}</span>'
    )
