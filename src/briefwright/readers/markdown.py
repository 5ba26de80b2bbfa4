"""Markdown text -> model blocks, with markdown-it-py (CommonMark + tables, footnotes, ...).

HTML comments are dropped; other raw HTML is kept as literal text, with a warning. Explicit
heading IDs use Pandoc's syntax, `## Risks {#risks}`, and `{-}` or `{.unnumbered}` is accepted.
Syntax of other dialects (citations, math, ...: see `dialects`) is shown as written, with a
warning. (mdit-py-plugins' block attributes are not used: they swallow any
paragraph that starts with `{` and ends with `}`, such as `{% raw %}` or `{placeholder}`.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from briefwright import model as m
from briefwright.conditions import CONDITIONAL_CLASSES, condition_problems, is_conditional
from briefwright.errors import Problem
from briefwright.readers.citations import cite_pieces
from briefwright.readers.dialects import (
    COMMENT,
    RAW_HTML,
    dialect_findings,
    flatten,
    parse_attributes,
    use_comment_rules,
)
from briefwright.readers.divs import read_attributes, use_div_rules
from briefwright.readers.heading_attrs import read_heading, stray_markings
from briefwright.readers.images import missing_alt
from briefwright.readers.notes import note_key, note_problems, use_note_rules
from briefwright.readers.pandoc_tables import use_pandoc_tables
from briefwright.sizes import DIMENSIONS, size_problem
from briefwright.variables import pieces

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]*")
# markdown-it drops whatever lies deeper than maxNesting without a word. The parser gets room to
# spare, and anything nested past MAX_DEPTH is an error, so nothing is ever dropped silently.
PARSER_NESTING = 64
MAX_DEPTH = 32


@cache
def parser() -> MarkdownIt:
    md = (
        MarkdownIt("commonmark", {"html": False, "maxNesting": PARSER_NESTING})
        .enable(["table", "strikethrough"])
        .use(front_matter_plugin)
        .use(footnote_plugin)
        .use(use_note_rules)
        .use(deflist_plugin)
        .use(use_comment_rules)
        .use(use_pandoc_tables)
        .use(use_div_rules)
        # escaped characters stay `text_special` tokens, so that `\$5` is never taken for math
        .disable("text_join")
    )
    # Every URL reaches the model; images are then judged by the project's resolver and links
    # by LINK_SCHEMES, each with a warning, instead of being turned into text without a word.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.core.ruler.before("inline", "heading_attrs", _heading_attrs_rule)
    md.core.ruler.after("inline", "condition_checks", _condition_rule)
    return md


def _condition_rule(state: StateCore) -> None:
    """After inline parsing: each condition on a div or span that would not apply, an error
    (content meant to be hidden would be shown)."""
    found: AttrFindings = state.env.setdefault(ATTR_FINDINGS, AttrFindings())
    line = 0
    for token in state.tokens:
        line = token.map[0] if token.map else line
        metas = [t.meta for t in token.children or () if t.type == "span_open"]
        if token.type == "div_open":
            metas.append(token.meta)
        elif token.type == "fence" and token.info.strip().startswith("{"):
            metas.append(read_attributes(token.info.strip()) or {})
        for meta in metas:
            if meta:
                problems = condition_problems(meta["classes"], meta["attributes"])
                found.errors += [(line, message) for message in problems]


def _heading_attrs_rule(state: StateCore) -> None:
    """Before inline parsing: move a heading's trailing `{#id ...}` block onto its token, and
    note (in `state.env`) each attribute problem and each marking that would not be applied."""
    found: AttrFindings = state.env.setdefault(ATTR_FINDINGS, AttrFindings())
    line = 0
    for index, token in enumerate(state.tokens[1:], 1):
        line = token.map[0] if token.map else line
        if token.type == "div_open":  # a fenced div's attributes, on its opening fence
            found.errors += _at_lines(line, token.markup, stray_markings(token.markup))
        if token.type != "inline":
            continue
        opener = state.tokens[index - 1]
        if opener.type != "heading_open":
            found.errors += _at_lines(line, token.content, stray_markings(token.content))
            continue
        read = read_heading(token.content)
        found.errors += _at_lines(line, token.content, read.errors)
        found.warnings += _at_lines(line, token.content, read.warnings)
        if "marking" in read.attrs and opener.level > 0:
            found.errors.append((line, NESTED_MARKING))
        for key, value in read.attrs.items():
            opener.attrSet(key, value)
        token.content = token.content[: read.start].rstrip()


NESTED_MARKING = (
    "a marking on a heading inside a list, quote or footnote is not applied; "
    "mark a top-level heading (or the source's front matter)"
)
ATTR_FINDINGS = "briefwright_attrs"


@dataclass
class AttrFindings:
    """Attribute problems found while parsing: (0-based line, message)."""

    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


def _at_lines(line: int, text: str, found: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """(offset in `text`, message) -> (line, message), `text` starting on `line`."""
    return [(line + text.count("\n", 0, offset), message) for offset, message in found]


@dataclass
class MarkdownContext:
    """Where the Markdown came from, for resolving images and naming problems."""

    file: Path
    key_prefix: str
    resolve_image: m.ImageResolver
    first_line: int = 1
    problems: list[Problem] = field(default_factory=list)
    block_line: int = 0  # 0-based line of the block being read; inline nodes have no map
    line_offset: int = 0  # lines into the block's inline content read so far
    open_divs: int = 0  # fenced divs named in a warning and not closed yet
    raw_html_at: int = -1  # the block_line of the last raw HTML warned about (one per block)
    in_link: bool = False  # reading a link's text, where `@name` is not a citation

    def problem(self, message: str, node: SyntaxTreeNode | None) -> None:
        if node is not None and node.map is not None:
            offset = node.map[0]
        else:
            offset = self.block_line + self.line_offset
        found = Problem(message, self.file, self.first_line + offset)
        if found not in self.problems:
            self.problems.append(found)

    def start_block(self, line: int) -> None:
        self.block_line, self.line_offset = line, 0


@dataclass(frozen=True)
class ParsedMarkdown:
    blocks: tuple[m.Block, ...]
    lines: tuple[int, ...]  # 1-based line of each top-level block
    heading_attrs: tuple[dict[str, str], ...]  # one per top-level block
    footnotes: tuple[tuple[str, tuple[m.Block, ...]], ...]
    front_matter: str | None
    # attribute blocks that cannot be read, and markings that would not be applied
    errors: tuple[Problem, ...] = ()


NESTING_MESSAGE = f"Markdown nested more than {MAX_DEPTH} levels deep here; flatten it"


class NestingError(Exception):
    def __init__(self, line: int):
        self.line = line


def parse_markdown(text: str, context: MarkdownContext) -> ParsedMarkdown:
    """Parse `text`; raises NestingError (with the 1-based line) for content nested too deep."""
    env: dict[str, Any] = {}  # what the rules found: attribute lists, footnote calls
    tokens = parser().parse(text, env)
    _check_depth(tokens, context.first_line)
    note_warnings, note_errors = note_problems(env, context.file, context.first_line)
    context.problems += note_warnings
    root = SyntaxTreeNode(tokens)
    blocks: list[m.Block] = []
    lines: list[int] = []
    attrs: list[dict[str, str]] = []
    footnotes: list[tuple[str, tuple[m.Block, ...]]] = []
    front_matter = None
    for node in root.children:
        if node.type == "front_matter":
            front_matter = node.content
        elif node.type == "footnote_block":
            footnotes += [
                (note_key(context.key_prefix, n.meta), _children_blocks(n, context))
                for n in node.children
            ]
        else:
            for block in _blocks_of(node, context):
                blocks.append(block)
                lines.append(context.first_line + (node.map[0] if node.map else 0))
                attrs.append({k: str(v) for k, v in node.attrs.items()})
    _table_captions(blocks, lines, attrs)
    errors = (*_attr_problems(env.get(ATTR_FINDINGS, AttrFindings()), context), *note_errors)
    return ParsedMarkdown(
        tuple(blocks), tuple(lines), tuple(attrs), tuple(footnotes), front_matter, errors
    )


def _table_captions(blocks: list[m.Block], lines: list[int], attrs: list[dict[str, str]]) -> None:
    """Pandoc's table captions: a paragraph starting `:` or `Table:` right after a table (or
    else right before one) is its caption, with `{#tbl-id}` at its end as its label."""
    _captions_read_as_definitions(blocks, lines, attrs)
    index = 0
    while index < len(blocks):
        caption = _caption_of(blocks[index])
        if caption is None:
            index += 1
            continue
        for table_at in (index - 1, index + 1):
            table = blocks[table_at] if 0 <= table_at < len(blocks) else None
            if isinstance(table, m.Table) and not table.caption:
                blocks[table_at] = replace(table, caption=caption[0], id=caption[1])
                del blocks[index], lines[index], attrs[index]
                break
        else:
            index += 1


def _captions_read_as_definitions(
    blocks: list[m.Block], lines: list[int], attrs: list[dict[str, str]]
) -> None:
    """A caption before a table, after a paragraph, is read as that paragraph's definition
    (`Term` / `: definition`): labelled `{#tbl-...}`, it is the paragraph and the caption."""
    for index in range(len(blocks) - 2, -1, -1):
        found, table = blocks[index], blocks[index + 1]
        if not isinstance(found, m.DefinitionList) or not isinstance(table, m.Table):
            continue
        last = found.items[-1]
        if len(last.definitions) != 1 or len(last.definitions[0]) != 1:
            continue
        paragraph = last.definitions[0][0]
        if not isinstance(paragraph, m.Paragraph):
            continue
        caption = _caption_of(m.Paragraph((m.Text(": "), *paragraph.children)))
        if caption is None or not caption[1].startswith("tbl-"):
            continue
        blocks[index + 1] = replace(table, caption=caption[0], id=caption[1])
        rest = [m.DefinitionList(found.items[:-1])] if len(found.items) > 1 else []
        blocks[index : index + 1] = [*rest, m.Paragraph(last.term)]
        lines[index:index] = lines[index : index + 1] * len(rest)
        attrs[index:index] = attrs[index : index + 1] * len(rest)


_CAPTION_START = re.compile(r"^(?:Table)?:\s+")
_CAPTION_ATTRS = re.compile(r"\s*(\{[^{}]*\})\s*$")


def _caption_of(block: m.Block) -> tuple[tuple[m.Inline, ...], str] | None:
    """A caption paragraph's text and label, or None for any other block."""
    if not isinstance(block, m.Paragraph) or not block.children:
        return None
    first = block.children[0]
    if not isinstance(first, m.Text) or not _CAPTION_START.match(first.text):
        return None
    runs = [m.Text(_CAPTION_START.sub("", first.text)), *block.children[1:]]
    label = ""
    last = runs[-1]
    found = _CAPTION_ATTRS.search(last.text) if isinstance(last, m.Text) else None
    if isinstance(last, m.Text) and found is not None:
        read = parse_attributes(found.group(1))
        if read is not None:
            label = read.get("id", "")
            runs[-1] = m.Text(last.text[: found.start()])
    return tuple(run for run in runs if run != m.Text("")), label


def _attr_problems(found: AttrFindings, context: MarkdownContext) -> tuple[Problem, ...]:
    """The attribute errors, located; the warnings go to the context's problems."""
    for line, message in found.warnings:
        warning = Problem(message, context.file, context.first_line + line)
        if warning not in context.problems:
            context.problems.append(warning)
    located = (Problem(msg, context.file, context.first_line + line) for line, msg in found.errors)
    return tuple(dict.fromkeys(located))


def _check_depth(tokens: list[Token], first_line: int) -> None:
    line = 0
    for token in tokens:
        if token.map is not None:
            line = token.map[0]
        deepest = max((child.level for child in token.children or ()), default=0)
        if token.level > MAX_DEPTH or token.level + deepest > MAX_DEPTH:
            raise NestingError(first_line + line)


def _children_blocks(node: SyntaxTreeNode, context: MarkdownContext) -> tuple[m.Block, ...]:
    return tuple(block for child in node.children for block in _blocks_of(child, context))


# --- blocks: one small function per node type --------------------------------------------------


def _blocks_of(node: SyntaxTreeNode, context: MarkdownContext) -> list[m.Block]:
    if node.map is not None:
        context.start_block(node.map[0])
    handler = _BLOCK_HANDLERS.get(node.type)
    if handler is None:
        context.problem(f"unsupported Markdown element '{node.type}' left out", node)
        return []
    return handler(node, context)


def _heading(node: SyntaxTreeNode, context: MarkdownContext) -> list[m.Block]:
    children = _text_of(node.children[0], context) if node.children else ()
    children = _strip_end(children)
    explicit = str(node.attrs.get("id", ""))
    unnumbered = "unnumbered" in str(node.attrs.get("class", "")).split()
    return [m.Heading(int(node.tag[1]), children, explicit, unnumbered)]


def _strip_end(runs: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    """Without the spaces a dropped comment or attribute list leaves at the end."""
    if runs and isinstance(runs[-1], m.Text):
        last = runs[-1].text.rstrip()
        return (*runs[:-1], m.Text(last)) if last else runs[:-1]
    return runs


def _paragraph(node: SyntaxTreeNode, context: MarkdownContext) -> list[m.Block]:
    inline = node.children[0]
    real = [c for c in inline.children if not _blank(c)]
    if len(real) == 1 and real[0].type == "image":
        return [_image(real[0], context)]
    if len(real) == 2 and real[0].type == "image" and real[1].type == "text":
        attrs = parse_attributes(real[1].content.strip())
        if attrs is not None:
            return [_image(real[0], context, attrs)]
    return [m.Paragraph(_text_of(inline, context))]


def _blank(node: SyntaxTreeNode) -> bool:
    return node.type == COMMENT or (node.type in ("text", "softbreak") and not node.content.strip())


IMAGE_ATTRIBUTES = ("id", "width", "height")


def _image(
    node: SyntaxTreeNode, context: MarkdownContext, attrs: dict[str, str] | None = None
) -> m.Image:
    src = str(node.attrs.get("src", ""))
    alt = m.plain_text(_inline_children(node, context))
    path, reason = context.resolve_image(src)
    if path is None and reason is not None:
        context.problem(f"image '{src}' {reason}; its alt text is shown instead", node)
    elif reason is not None:
        context.problem(f"image '{src}' {reason}", node)
    if path is not None and not alt.strip():
        context.problem(missing_alt(f"image '{src}'", f"![what it shows]({src})"), node)
    attrs = attrs or {}
    other = [f"{k}={v}" for k, v in attrs.items() if k not in IMAGE_ATTRIBUTES]
    if other:
        listed = " ".join(other)
        context.problem(f"image attributes '{listed}' are not supported yet; left out", node)
    for dimension in DIMENSIONS:
        problem = size_problem(dimension, attrs[dimension]) if dimension in attrs else None
        if problem is not None:
            context.problem(f"{problem}; it is left out", node)
    title = str(node.attrs.get("title") or "")
    width, height = attrs.get("width", ""), attrs.get("height", "")
    return m.Image(src, alt, title, path, attrs.get("id", ""), width, height)


def _bullet_list(node: SyntaxTreeNode, context: MarkdownContext) -> list[m.Block]:
    return [m.BulletList(_items(node, context), _is_tight(node))]


def _ordered_list(node: SyntaxTreeNode, context: MarkdownContext) -> list[m.Block]:
    start = int(node.attrs.get("start", 1))
    return [m.OrderedList(_items(node, context), start, _is_tight(node))]


def _items(node: SyntaxTreeNode, context: MarkdownContext) -> tuple[m.ListItem, ...]:
    return tuple(m.ListItem(_children_blocks(item, context)) for item in node.children)


def _is_tight(node: SyntaxTreeNode) -> bool:
    return all(
        child.hidden
        for item in node.children
        for child in item.children
        if child.type == "paragraph"
    )


def _blockquote(node: SyntaxTreeNode, context: MarkdownContext) -> list[m.Block]:
    return [m.BlockQuote(_children_blocks(node, context))]


def _fence(node: SyntaxTreeNode, context: MarkdownContext) -> list[m.Block]:
    """A code block; its info may be Pandoc attributes, ```` ```{.python} ````, and a
    conditional one (Quarto's ```` ```{.python .content-visible when-format="html"} ````) is
    the code block inside a conditional div, so that conditions judge it like any other."""
    info = node.info.strip()
    attrs = read_attributes(info) if info.startswith("{") else None
    if attrs is None:
        language = info.split()[0] if info else ""
        return [m.CodeBlock(node.content.rstrip("\n"), language)]
    classes = attrs["classes"]
    language = next((c for c in classes if c not in CONDITIONAL_CLASSES), "")
    block = m.CodeBlock(node.content.rstrip("\n"), language)
    if not is_conditional(classes):
        return [block]
    line = context.first_line + node.map[0] if node.map else 0
    conditional = tuple(c for c in classes if c in CONDITIONAL_CLASSES)
    return [m.Div(conditional, attrs["attributes"], None, (block,), line)]


def _hr(node: SyntaxTreeNode, context: MarkdownContext) -> list[m.Block]:
    return [m.ThematicBreak()]


def _table(node: SyntaxTreeNode, context: MarkdownContext) -> list[m.Block]:
    header: tuple[m.TableCell, ...] = ()  # none: a headerless Pandoc table
    rows: list[tuple[m.TableCell, ...]] = []
    aligns: tuple[str, ...] = ()
    for section in node.children:  # thead, tbody
        for row in section.children:
            if row.map is not None:
                context.start_block(row.map[0])
            cells = tuple(_cell(cell, context) for cell in row.children)
            if section.type == "thead":
                header = cells
            else:
                rows.append(cells)
            if not aligns:
                aligns = tuple(_cell_align(cell) for cell in row.children)
    return [m.Table(header, tuple(rows), aligns)]


def _cell(cell: SyntaxTreeNode, context: MarkdownContext) -> m.TableCell:
    """Inline text (pipe, simple and multiline tables), or a grid cell's blocks: one paragraph
    is kept as inline text, like the other tables' cells."""
    if cell.children and cell.children[0].type == "inline":
        return m.TableCell(_text_of(cell.children[0], context))
    blocks = _children_blocks(cell, context)
    if len(blocks) == 1 and isinstance(blocks[0], m.Paragraph):
        return m.TableCell(blocks[0].children)
    return m.TableCell((), blocks)


def _cell_align(cell: SyntaxTreeNode) -> str:
    style = str(cell.attrs.get("style", ""))
    return style.removeprefix("text-align:") if style.startswith("text-align:") else ""


def _definition_list(node: SyntaxTreeNode, context: MarkdownContext) -> list[m.Block]:
    items: list[m.Definition] = []
    for child in node.children:
        if child.type == "dt":
            items.append(m.Definition(_text_of(child.children[0], context), ()))
        elif items:
            last = items[-1]
            definition = _children_blocks(child, context)
            items[-1] = m.Definition(last.term, (*last.definitions, definition))
    return [m.DefinitionList(tuple(items))]


def _div(node: SyntaxTreeNode, context: MarkdownContext) -> list[m.Block]:
    line = context.first_line + node.map[0] if node.map else 0
    meta = node.meta
    blocks = _children_blocks(node, context)
    return [m.Div(meta["classes"], meta["attributes"], meta["identifier"], blocks, line)]


def _comment(node: SyntaxTreeNode, context: MarkdownContext) -> list[m.Block]:
    if not node.meta.get("closed", True):
        context.problem("HTML comment is never closed: everything after it is left out", node)
    return []


_BLOCK_HANDLERS: dict[str, Callable[[SyntaxTreeNode, MarkdownContext], list[m.Block]]] = {
    "heading": _heading,
    "paragraph": _paragraph,
    "bullet_list": _bullet_list,
    "ordered_list": _ordered_list,
    "blockquote": _blockquote,
    "fence": _fence,
    "code_block": _fence,
    "hr": _hr,
    "table": _table,
    "dl": _definition_list,
    "div": _div,
    COMMENT: _comment,
    # the footnote plugin's back-reference after a note's last block: the writers make their own
    "footnote_anchor": lambda node, context: [],
}


# --- inlines -----------------------------------------------------------------------------------


def _text_of(node: SyntaxTreeNode, context: MarkdownContext) -> tuple[m.Inline, ...]:
    """The inline content of a block (paragraph, heading, cell, term), with a warning for each
    construct of another Markdown dialect in it."""
    context.line_offset = 0
    findings, context.open_divs = dialect_findings(flatten(node), context.open_divs)
    for offset, message in findings:
        context.line_offset = offset
        context.problem(message, None)
    context.line_offset = 0
    return _inlines(node, context)


def _inlines(node: SyntaxTreeNode, context: MarkdownContext) -> tuple[m.Inline, ...]:
    return _reference_links(_merge_text(_inline_children(node, context)))


def _inline_children(node: SyntaxTreeNode, context: MarkdownContext) -> tuple[m.Inline, ...]:
    """The runs of `node`'s children. Consecutive text tokens (markdown-it cuts text at `{`,
    `<`...) are read as one, for the variables in it; an escaped character is not part of
    such a run, so `\\{{< var x >}}` is not a variable."""
    runs: list[m.Inline] = []
    text: list[str] = []
    for child in node.children:
        if child.type == "text":
            text.append(child.content)
            continue
        if text:
            runs.extend(_variables(text, context))
            text = []
        runs.extend(_inline(child, context))
    if text:
        runs.extend(_variables(text, context))
    return tuple(runs)


def _variables(text: list[str], context: MarkdownContext) -> list[m.Inline]:
    """A run of text with each `{{< var key >}}` as a VarRef at its line (an escaped one,
    `{{{< var key >}}}`, as the text of the shortcode)."""
    line = context.first_line + context.block_line + context.line_offset
    runs: list[m.Inline] = []
    for piece in pieces("".join(text)):
        if piece.key is not None:
            runs.append(m.VarRef(piece.key, line))
            continue
        if context.in_link:  # a link's text is never a citation or a reference
            runs.append(m.Text(piece.text))
            continue
        for index, part in enumerate(XREF.split(piece.text)):
            if index % 2:  # a label: assemble gives the link its text and target
                runs.append(m.Link("", (m.Text("@" + part),), xref=part))
            elif part:  # `[@key]`: citations.py
                runs.extend(
                    m.Text(c) if isinstance(c, str) else c
                    for c in cite_pieces(part, context.file, line)
                )
    return runs


# Quarto's cross-references: `@` and a figure, table or section label. Any other `@key` is a
# citation (Quarto's rule: the prefix decides).
XREF_PREFIXES = ("fig", "tbl", "sec")
XREF = re.compile(rf"(?<![\w.@/+-])@((?:{'|'.join(XREF_PREFIXES)})-[\w-]*\w)")


def _inline(node: SyntaxTreeNode, context: MarkdownContext) -> list[m.Inline]:
    kind = node.type
    if kind in ("text", "text_special"):  # text: only alone, from _inline_children
        return [m.Text(node.content)]
    if kind == COMMENT:
        context.line_offset += node.content.count("\n")
        return []
    if kind == RAW_HTML:
        _raw_html(node, context)
        return [m.Text(node.content)]
    if kind == "softbreak":
        context.line_offset += 1
        return [m.Text(" ")]
    if kind == "hardbreak":
        context.line_offset += 1
        return [m.LineBreak()]
    if kind == "code_inline":
        return [m.Code(node.content)]
    if kind == "strong":
        return [m.Strong(_inlines(node, context))]
    if kind == "em":
        return [m.Emphasis(_inlines(node, context))]
    if kind == "s":
        return [m.Strikethrough(_inlines(node, context))]
    if kind == "link":
        href = str(node.attrs.get("href", ""))
        context.in_link = True
        try:
            children = _inlines(node, context)
        finally:
            context.in_link = False
        if not _safe_link(href):
            context.problem(f"link to '{href}' removed; {LINK_RULE}", node)
            return list(children)
        return [m.Link(href, children, str(node.attrs.get("title") or ""))]
    if kind == "span":
        meta = node.meta
        children = _inlines(node, context)
        return [m.Span(meta["classes"], meta["attributes"], meta["identifier"], children)]
    if kind == "footnote_ref":
        return [m.FootnoteRef(note_key(context.key_prefix, node.meta))]
    if kind == "image":
        image = _image(node, context)
        context.problem(f"image '{image.src}' inside text is shown as its alt text", node)
        return [m.Text(image.alt)]
    context.problem(f"unsupported inline element '{kind}' left out", node)
    return []


def _raw_html(node: SyntaxTreeNode, context: MarkdownContext) -> None:
    """One warning per block: raw HTML is shown as text (an unclosed comment too)."""
    if context.raw_html_at == context.block_line:
        return
    context.raw_html_at = context.block_line
    if node.content == "<!--":
        context.problem("HTML comment '<!--' is never closed; it is shown as text", None)
    else:
        shown = " ".join(node.content.split())
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        context.problem(f"raw HTML '{shown}' is shown as text", None)


def _merge_text(runs: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    merged: list[m.Inline] = []
    for run in runs:
        if isinstance(run, m.Text) and merged and isinstance(merged[-1], m.Text):
            merged[-1] = m.Text(merged[-1].text + run.text)
        else:
            merged.append(run)
    return tuple(merged)


_BRACKET = re.compile(r"([\[\]])")


def _reference_links(runs: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    """Bracketed text no link definition resolved (`[text][label]`, `[label][]`, `[label]`)
    as unresolved reference links, which assemble resolves against the brief's headings
    (Pandoc's implicit header references) or turns back into the text they were."""
    if not any(isinstance(run, m.Text) and "[" in run.text for run in runs):
        return runs
    pieces: list[m.Inline | str] = []
    for run in runs:
        if isinstance(run, m.Text):
            pieces += [p if p in ("[", "]") else m.Text(p) for p in _BRACKET.split(run.text) if p]
        else:
            pieces.append(run)
    out: list[m.Inline] = []
    index = 0
    while index < len(pieces):
        text = _bracketed(pieces, index)
        if text is None or not text[0]:
            piece = pieces[index]
            out.append(m.Text(piece) if isinstance(piece, str) else piece)
            index += 1
            continue
        children, index = text
        label = _bracketed(pieces, index)
        suffix = ""
        if label is not None:
            suffix, index = f"[{m.plain_text(label[0])}]", label[1]
        out.append(m.Link("", children, reference=suffix))
    return _merge_text(tuple(out))


def _bracketed(pieces: list[m.Inline | str], index: int) -> tuple[tuple[m.Inline, ...], int] | None:
    """The runs between `[` at `index` and its `]` (none of them a bracket, a link or a
    footnote call) and the index after the `]`; None if there is no such pair."""
    if index >= len(pieces) or pieces[index] != "[":
        return None
    inner: list[m.Inline] = []
    for end in range(index + 1, len(pieces)):
        piece = pieces[end]
        if piece == "]":
            return tuple(inner), end + 1
        if isinstance(piece, str | m.Link | m.FootnoteRef):
            return None
        inner.append(piece)
    return None


LINK_SCHEMES = ("http", "https", "mailto", "tel")
LINK_RULE = "links may be http(s), mailto, tel, #anchors or relative"


def _safe_link(href: str) -> bool:
    scheme = urlsplit(href).scheme.lower()
    return scheme in LINK_SCHEMES or (not scheme and not href.startswith("//"))


def is_remote(src: str) -> bool:
    """True for anything with a URL scheme (http:, data:, file:, ...) or a network path."""
    parts = urlsplit(src)
    return bool(parts.scheme) or src.startswith("//")


def local_image_path(src: str) -> str:
    return unquote(urlsplit(src).path)
