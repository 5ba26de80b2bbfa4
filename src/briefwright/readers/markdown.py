"""Markdown text -> model blocks, with markdown-it-py (CommonMark + tables, footnotes, ...).

Raw HTML is off: it is kept as literal text. Explicit heading IDs use Pandoc's syntax,
`## Risks {#risks}`. (mdit-py-plugins' block attributes are not used: they swallow any
paragraph that starts with `{` and ends with `}`, such as `{% raw %}` or `{placeholder}`.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.attrs.parse import ParseError, parse
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from briefwright import model as m
from briefwright.errors import Problem
from briefwright.readers.images import missing_alt

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]*")
# markdown-it drops whatever lies deeper than maxNesting without a word. The parser gets room to
# spare, and anything nested past MAX_DEPTH is an error, so nothing is ever dropped silently.
PARSER_NESTING = 64
MAX_DEPTH = 32
_TRAILING_ATTRS = re.compile(r"\s*(\{[^{}]*\})\s*$")


@cache
def parser() -> MarkdownIt:
    md = (
        MarkdownIt("commonmark", {"html": False, "maxNesting": PARSER_NESTING})
        .enable(["table", "strikethrough"])
        .use(front_matter_plugin)
        .use(footnote_plugin)
        .use(deflist_plugin)
    )
    # Every URL reaches the model; images are then judged by the project's resolver and links
    # by LINK_SCHEMES, each with a warning, instead of being turned into text without a word.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.core.ruler.after("inline", "heading_attrs", _heading_attrs_rule)
    return md


def _heading_attrs_rule(state: StateCore) -> None:
    """Move a trailing `{#id}` from a heading's text onto the heading token."""
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        inline = tokens[index + 1]
        if token.type != "heading_open" or not inline.children:
            continue
        last = inline.children[-1]
        match = _TRAILING_ATTRS.search(last.content) if last.type == "text" else None
        if match is None:
            continue
        try:
            _, attrs = parse(match.group(1))
        except ParseError:
            continue
        for key, value in attrs.items():
            token.attrSet(key, value)
        last.content = last.content[: match.start()]
        inline.content = _TRAILING_ATTRS.sub("", inline.content)


@dataclass
class MarkdownContext:
    """Where the Markdown came from, for resolving images and naming problems."""

    file: Path
    key_prefix: str
    resolve_image: m.ImageResolver
    first_line: int = 1
    problems: list[Problem] = field(default_factory=list)
    block_line: int = 0  # 0-based line of the block being read; inline nodes have no map

    def problem(self, message: str, node: SyntaxTreeNode | None) -> None:
        offset = node.map[0] if node is not None and node.map is not None else self.block_line
        self.problems.append(Problem(message, self.file, self.first_line + offset))


@dataclass(frozen=True)
class ParsedMarkdown:
    blocks: tuple[m.Block, ...]
    lines: tuple[int, ...]  # 1-based line of each top-level block
    heading_attrs: tuple[dict[str, str], ...]  # one per top-level block
    footnotes: tuple[tuple[str, tuple[m.Block, ...]], ...]
    front_matter: str | None


NESTING_MESSAGE = f"Markdown nested more than {MAX_DEPTH} levels deep here; flatten it"


class NestingError(Exception):
    def __init__(self, line: int):
        self.line = line


def parse_markdown(text: str, context: MarkdownContext) -> ParsedMarkdown:
    """Parse `text`; raises NestingError (with the 1-based line) for content nested too deep."""
    tokens = parser().parse(text)
    _check_depth(tokens, context.first_line)
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
            footnotes.extend(_footnotes(node, context))
        else:
            for block in _blocks_of(node, context):
                blocks.append(block)
                lines.append(context.first_line + (node.map[0] if node.map else 0))
                attrs.append({k: str(v) for k, v in node.attrs.items()})
    return ParsedMarkdown(tuple(blocks), tuple(lines), tuple(attrs), tuple(footnotes), front_matter)


def _check_depth(tokens: list[Token], first_line: int) -> None:
    line = 0
    for token in tokens:
        if token.map is not None:
            line = token.map[0]
        deepest = max((child.level for child in token.children or ()), default=0)
        if token.level > MAX_DEPTH or token.level + deepest > MAX_DEPTH:
            raise NestingError(first_line + line)


def _footnotes(
    node: SyntaxTreeNode, context: MarkdownContext
) -> list[tuple[str, tuple[m.Block, ...]]]:
    notes = []
    for note in node.children:
        key = _footnote_key(note, context)
        notes.append((key, _children_blocks(note, context)))
    return notes


def _footnote_key(node: SyntaxTreeNode, context: MarkdownContext) -> str:
    label = node.meta.get("label")
    return f"{context.key_prefix}:{label if label is not None else '^' + str(node.meta['id'])}"


def _children_blocks(node: SyntaxTreeNode, context: MarkdownContext) -> tuple[m.Block, ...]:
    return tuple(block for child in node.children for block in _blocks_of(child, context))


# --- blocks: one small function per node type --------------------------------------------------


def _blocks_of(node: SyntaxTreeNode, context: MarkdownContext) -> list[m.Block]:
    if node.map is not None:
        context.block_line = node.map[0]
    handler = _BLOCK_HANDLERS.get(node.type)
    if handler is None:
        context.problem(f"unsupported Markdown element '{node.type}' left out", node)
        return []
    return handler(node, context)


def _heading(node: SyntaxTreeNode, context: MarkdownContext) -> list[m.Block]:
    children = _inlines(node.children[0], context) if node.children else ()
    explicit = str(node.attrs.get("id", ""))
    return [m.Heading(int(node.tag[1]), children, explicit)]


def _paragraph(node: SyntaxTreeNode, context: MarkdownContext) -> list[m.Block]:
    inline = node.children[0]
    real = [c for c in inline.children if not (c.type == "text" and not c.content.strip())]
    if len(real) == 1 and real[0].type == "image":
        return [_image(real[0], context)]
    return [m.Paragraph(_inlines(inline, context))]


def _image(node: SyntaxTreeNode, context: MarkdownContext) -> m.Image:
    src = str(node.attrs.get("src", ""))
    alt = m.plain_text(_inline_children(node, context))
    path, reason = context.resolve_image(src)
    if path is None and reason is not None:
        context.problem(f"image '{src}' {reason}; its alt text is shown instead", node)
    elif reason is not None:
        context.problem(f"image '{src}' {reason}", node)
    if path is not None and not alt.strip():
        context.problem(missing_alt(f"image '{src}'", f"![what it shows]({src})"), node)
    return m.Image(src, alt, str(node.attrs.get("title") or ""), path)


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
    language = node.info.split()[0] if node.info.strip() else ""
    return [m.CodeBlock(node.content.rstrip("\n"), language)]


def _hr(node: SyntaxTreeNode, context: MarkdownContext) -> list[m.Block]:
    return [m.ThematicBreak()]


def _table(node: SyntaxTreeNode, context: MarkdownContext) -> list[m.Block]:
    rows: list[tuple[m.TableCell, ...]] = []
    aligns: tuple[str, ...] = ()
    for section in node.children:  # thead, tbody
        for row in section.children:
            rows.append(
                tuple(m.TableCell(_inlines(cell.children[0], context)) for cell in row.children)
            )
            if not aligns:
                aligns = tuple(_cell_align(cell) for cell in row.children)
    header, *body = rows
    return [m.Table(header, tuple(body), aligns)]


def _cell_align(cell: SyntaxTreeNode) -> str:
    style = str(cell.attrs.get("style", ""))
    return style.removeprefix("text-align:") if style.startswith("text-align:") else ""


def _definition_list(node: SyntaxTreeNode, context: MarkdownContext) -> list[m.Block]:
    items: list[m.Definition] = []
    for child in node.children:
        if child.type == "dt":
            items.append(m.Definition(_inlines(child.children[0], context), ()))
        elif items:
            last = items[-1]
            definition = _children_blocks(child, context)
            items[-1] = m.Definition(last.term, (*last.definitions, definition))
    return [m.DefinitionList(tuple(items))]


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
}

# --- inlines -----------------------------------------------------------------------------------


def _inlines(node: SyntaxTreeNode, context: MarkdownContext) -> tuple[m.Inline, ...]:
    return _merge_text(_inline_children(node, context))


def _inline_children(node: SyntaxTreeNode, context: MarkdownContext) -> tuple[m.Inline, ...]:
    runs: list[m.Inline] = []
    for child in node.children:
        runs.extend(_inline(child, context))
    return tuple(runs)


def _inline(node: SyntaxTreeNode, context: MarkdownContext) -> list[m.Inline]:
    kind = node.type
    if kind in ("text", "html_inline"):
        return [m.Text(node.content)]
    if kind == "softbreak":
        return [m.Text(" ")]
    if kind == "hardbreak":
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
        children = _inlines(node, context)
        if not _safe_link(href):
            context.problem(f"link to '{href}' removed; {LINK_RULE}", node)
            return list(children)
        return [m.Link(href, children, str(node.attrs.get("title") or ""))]
    if kind == "footnote_ref":
        return [m.FootnoteRef(_footnote_key(node, context))]
    if kind == "image":
        image = _image(node, context)
        context.problem(f"image '{image.src}' inside text is shown as its alt text", node)
        return [m.Text(image.alt)]
    context.problem(f"unsupported inline element '{kind}' left out", node)
    return []


def _merge_text(runs: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    merged: list[m.Inline] = []
    for run in runs:
        if isinstance(run, m.Text) and merged and isinstance(merged[-1], m.Text):
            merged[-1] = m.Text(merged[-1].text + run.text)
        else:
            merged.append(run)
    return tuple(merged)


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
