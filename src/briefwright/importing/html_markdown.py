"""trafilatura's extracted tree (its XML: head, p, list/item, quote, table/row/cell, hi, ref,
graphic, code, lb, del) written as Markdown.

trafilatura has a Markdown output of its own, but it drops the `>` of block quotes and leaves
text unescaped: a page saying `*not emphasis*` or `<b>` would come out as Markdown syntax or raw
HTML. Walking its tree ourselves keeps every kind it found and escapes all text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from briefwright.importing.escape import inline as escape_inline

# Characters that are Markdown syntax anywhere in a line: backslash-escaped in text.
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What is syntax only at the start of a line: headings, quotes, list markers, breaks.
_LINE_START = re.compile(r"^([#>+=-]|\d+(?=[.)]))", re.MULTILINE)
_SPACE = re.compile(r"\s+")
# Links kept as links: the web, mail, and anchors in the page; a relative link of a saved
# page points into a site that is not in the project, so its text is kept without it.
_SAFE_SCHEMES = ("http://", "https://", "mailto:", "#")
# A line break (<lb/>) while lines are built: a character no page text holds (the parser
# drops NULs), turned into `\` + newline once the block is whole.
_HARD_BREAK = "\x00"
_BREAK_RUN = re.compile("[ \x00]*\x00[ \x00]*")
_AFTER_BREAK = re.compile("\x00([#>+=-]|\\d+(?=[.)]))")
_LAYOUT_CELL_CHARS = 400  # a cell holding more text than this is page layout, not data
_BLOCK_TAGS = {"head", "p", "list", "quote", "table", "code", "graphic", "div", "item"}


def to_markdown(body: etree._Element) -> str:
    """The Markdown of trafilatura's `<body>`: blocks separated by blank lines."""
    blocks = [_breaks(b) for b in _blocks(body)]
    blocks = [b for b in blocks if b.strip()]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _breaks(block: str) -> str:
    """The hard-break marks of `block` as Markdown hard breaks; none at its ends."""
    block = _BREAK_RUN.sub(_HARD_BREAK, block).strip(_HARD_BREAK + " ")
    # what follows a break starts a line: escape what would start a list or a heading there
    block = _AFTER_BREAK.sub(
        lambda m: _HARD_BREAK + (m.group(1) + "\\" if m.group(1).isdigit() else "\\" + m.group(1)),
        block,
    )
    return block.replace(_HARD_BREAK, "\\\n")


def _blocks(parent: etree._Element) -> Iterator[str]:
    """The blocks of `parent`'s children; loose text between them becomes a paragraph."""
    if parent.text and parent.text.strip():
        yield _start_safe(escape(_collapse(parent.text).strip()))
    for child in parent:
        yield from _block(child)
        if child.tail and child.tail.strip():
            yield _start_safe(escape(_collapse(child.tail).strip()))


def _block(el: etree._Element) -> Iterator[str]:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "head":
        yield _heading(el)
    elif tag == "p":
        yield _start_safe(_inline(el).strip())
    elif tag == "list":
        yield _list(el)
    elif tag == "quote":
        yield _quote(el)
    elif tag == "table":
        yield _table(el)
    elif tag == "code":
        yield _code_block(el)
    elif tag == "graphic":
        yield _image(el)
    elif tag in ("lb", ""):
        return
    elif any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in el):
        yield from _blocks(el)  # a wrapper (div, item outside a list): its blocks
    else:
        yield _start_safe(_inline(el).strip())


def _heading(el: etree._Element) -> str:
    rend = el.get("rend") or "h2"
    level = int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2
    # `{` would start heading attributes (`{#id}`): _inline escaped it, as all text
    text = _one_line(_inline(el))
    return f"{'#' * level} {text}" if text else ""


def _list(el: etree._Element) -> str:
    ordered = (el.get("rend") or "").startswith("ol")
    lines: list[str] = []
    number = 0
    for item in el:
        if item.tag != "item":
            continue
        number += 1
        marker = f"{number}. " if ordered else "- "
        body = _item_body(item)
        if not body.strip():
            continue
        pad = " " * len(marker)
        first, *rest = body.split("\n")
        lines.append(marker + first)
        lines.extend(pad + line if line else "" for line in rest)
    return "\n".join(lines)


def _item_body(item: etree._Element) -> str:
    """An item's own text, then its nested blocks (sub-lists, paragraphs) indented under it."""
    if not any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in item):
        return _start_safe(_one_line(_inline(item)))
    return "\n\n".join(b for b in _blocks(item) if b.strip())


def _quote(el: etree._Element) -> str:
    if any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in el):
        inner = "\n\n".join(b for b in _blocks(el) if b.strip())
    else:
        inner = _inline(el).strip()
    return "\n".join(f"> {line}".rstrip() for line in inner.split("\n"))


def _table(el: etree._Element) -> str:
    cells = list(el.iter("cell"))
    if any(_is_layout(cell) for cell in cells):
        # a table used for page layout (an article in one cell): its cells as blocks
        return "\n\n".join(b for cell in cells for b in _blocks_of_cell(cell) if b.strip())
    rows = [
        [_one_line(_inline(cell)).replace("|", "\\|") for cell in row if cell.tag == "cell"]
        for row in el.iter("row")
    ]
    rows = [r for r in rows if any(r)]
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    # a GFM table needs a header row: the first row is it (trafilatura marks <th> role="head")
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines)


def _is_layout(cell: etree._Element) -> bool:
    if any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS - {"graphic"} for c in cell):
        return True
    return len("".join(cell.itertext())) > _LAYOUT_CELL_CHARS


def _blocks_of_cell(cell: etree._Element) -> Iterator[str]:
    if any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in cell):
        yield from _blocks(cell)
    else:
        yield _start_safe(_inline(cell).strip())


def _code_block(el: etree._Element) -> str:
    text = "".join(el.itertext()).strip("\n")
    fence = "`" * max(3, _longest_run(text, "`") + 1)
    return f"{fence}\n{text}\n{fence}"


def _image(el: etree._Element) -> str:
    return markdown_image(el.get("alt") or el.get("title") or "", (el.get("src") or "").strip())


def markdown_image(alt: str, src: str) -> str:
    """`![alt](src)`, the alt text escaped; nothing without an address."""
    return f"![{escape(_collapse(alt).strip())}]({url_text(src)})" if src else ""


def _inline(el: etree._Element) -> str:
    """The inline content of `el`: its text and its inline children, escaped."""
    parts = [escape(_collapse(el.text or ""))]
    for child in el:
        parts.append(_inline_child(child))
        parts.append(escape(_collapse(child.tail or "")))
    return _SPACE.sub(" ", "".join(parts))


def _inline_child(el: etree._Element) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "lb":
        return _HARD_BREAK
    if tag == "graphic":
        return _image(el)
    if tag == "code":
        text = _collapse("".join(el.itertext()))
        fence = "`" * (_longest_run(text, "`") + 1)
        pad = " " if text.startswith("`") or text.endswith("`") else ""
        return f"{fence}{pad}{text}{pad}{fence}" if text.strip() else ""
    inner = _inline(el)
    if not inner.strip():
        return inner
    if tag in _BLOCK_TAGS or tag in ("row", "cell"):
        return f" {inner} "  # a block inside a line (a paragraph in a cell): words apart
    if tag == "hi":
        return _emphasis(el.get("rend") or "", inner)
    if tag == "del":
        return _wrap("~~", inner)
    if tag == "ref":
        target = (el.get("target") or "").strip()
        if target.startswith(_SAFE_SCHEMES) and "\n" not in inner:
            lead = " " if inner[:1].isspace() else ""
            trail = " " if inner[-1:].isspace() else ""
            return f"{lead}[{inner.strip()}]({url_text(target)}){trail}"
    return inner


def _emphasis(rend: str, inner: str) -> str:
    if "#b" in rend:
        return _wrap("**", inner)
    if "#i" in rend:
        return _wrap("*", inner)
    if "#t" in rend:
        return _wrap("`", inner)
    return inner


def _wrap(mark: str, inner: str) -> str:
    """`mark` around `inner` with its outer spaces kept outside (`** x**` is not emphasis)."""
    stripped = inner.strip()
    lead = " " if inner[:1].isspace() else ""
    trail = " " if inner[-1:].isspace() else ""
    return f"{lead}{mark}{stripped}{mark}{trail}"


def url_text(url: str) -> str:
    """A link destination: in `<...>` when it has spaces or parentheses."""
    url = url.replace("\n", "").strip()
    if re.search(r"[\s()<>]", url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def escape(text: str) -> str:
    """`text` with everything Markdown would read as syntax backslash-escaped."""
    text = escape_inline(text)
    return _ENTITY_LIKE.sub(r"\\&", text)


def _start_safe(text: str) -> str:
    """`text` (a paragraph or an item, already escaped inline) with what would start a heading,
    a quote, a list or a rule at the beginning of a line escaped: `2024\\. was` not a list."""
    return _LINE_START.sub(
        lambda m: m.group(1) + "\\" if m.group(1).isdigit() else "\\" + m.group(1), text
    )


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text)


def _one_line(text: str) -> str:
    return _SPACE.sub(" ", text.replace(_HARD_BREAK, " ")).strip()


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(r) for r in runs), default=0)
