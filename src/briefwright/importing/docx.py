"""Word (DOCX) -> Markdown for `brief import`: headings by style or outline level, lists with
their nesting and numbering, GFM tables, footnotes and endnotes, links, emphasis, images, and
title/author/date from the core properties.

The package is opened by `docx_package.py` through the hostile-input checks (zip limits, XML
without DTDs) before any part is walked. Heading 1 becomes `##`: a source's `#` level is its
title, which goes to the front matter (a Title-styled paragraph, else the core title).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from lxml import etree

from briefwright.errors import BriefwrightError
from briefwright.importing.docx_package import Package, R, Style, open_package, w
from briefwright.importing.model import Imported, ImportedImage, Removed
from briefwright.readers.archive import UnsafeInputError
from briefwright.readers.images import MAX_IMAGE_BYTES

_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_HEADING = re.compile(r"\Aheading ([1-9])\Z")
_LINK_SCHEMES = ("http://", "https://", "mailto:")
# signatures of the raster formats every writer takes; anything else is reported, not kept
_IMAGE_MAGIC = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg"), (b"GIF8", "gif"))
# every character Markdown (or briefwright's `{...}` attributes) could read as markup: `&`
# would start an entity, `#` close a heading, `{` an attribute block with a marking
_ESCAPE = re.compile(r"([\\`*_\[\]<>|&#{}~$])")
# what Word's text may hold that no line of Markdown (or python-docx, writing it back) should
_UNSAFE_TEXT = re.compile("[\x00-\x1f\x7f\ufffe\uffff\u2028\u2029]")
_LINE_START = re.compile(r"\A(\s*)([#>+\-=]|\d+[.)])")
# paragraph styles that hold a block quote (Word's built-in names, matched in lower case)
_QUOTE_STYLES = frozenset({"quote", "intense quote", "block text"})
_CODE_STYLES = frozenset({"source code", "code", "html preformatted", "plain text"})
_NAMED_LEVEL = re.compile(r"list (?:bullet|number|continue|paragraph)? ?([2-9])")
_WHOLLY_EMPHASISED = re.compile(r"\A\*{1,3}([^*]+?)\*{1,3}\Z")
_OFF = {"0", "false", "off", "none"}
_MAX_DEPTH = 8  # Word has 9 list levels (0-8); deeper ones are shown at the deepest


@dataclass
class _Run:
    text: str
    bold: bool = False
    italic: bool = False
    raw: bool = False  # already Markdown (a link, a note call, an image): not escaped


@dataclass
class _State:
    package: Package
    stem: str
    note_numbers: dict[tuple[str, str], int] = field(default_factory=dict)
    note_order: list[tuple[str, str]] = field(default_factory=list)
    images: list[ImportedImage] = field(default_factory=list)
    image_names: dict[str, str] = field(default_factory=dict)  # media member -> name
    removed: list[Removed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    date: str | None = None
    in_note: bool = False


def read(data: bytes, origin: str) -> Imported:
    """The Markdown of the Word document `data`; BriefwrightError naming `origin` when it is
    not a Word document or breaks a limit."""
    try:
        package = open_package(data)
    except UnsafeInputError as exc:
        raise BriefwrightError(
            f"not imported: the Word document {exc}; save it again from Word, or import it "
            "as PDF or plain text",
            file=Path(origin),
        ) from None
    state = _State(package=package, stem=_stem(origin))
    body = package.document.find(w("body"))
    blocks = _blocks(body, state) if body is not None else []
    notes = [_note_definition(key, state) for key in state.note_order]
    markdown = "\n\n".join(b for b in blocks if b.strip())
    if notes:
        markdown += "\n\n" + "\n\n".join(notes)
    return Imported(
        markdown=markdown.strip() + "\n" if markdown.strip() else "",
        # what the document shows wins over its properties (often the name of a machine user)
        title=state.title or package.title,
        author=state.author or package.author,
        date=state.date or package.date,
        removed=state.removed,
        images=state.images,
        warnings=state.warnings,
    )


def _stem(origin: str) -> str:
    name = posixpath.basename(origin.replace("\\", "/").rstrip("/")).rsplit(".", 1)[0]
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:40] or "image"


# --- blocks ------------------------------------------------------------------------------


def _children(parent: etree._Element) -> list[etree._Element]:
    """Block children, looking through content controls, tracked insertions and the chosen
    branch of markup-compatibility blocks (the fallback would repeat it)."""
    found: list[etree._Element] = []
    for child in parent:
        if child.tag in (w("sdt"),):
            content = child.find(w("sdtContent"))
            if content is not None:
                found.extend(_children(content))
        elif child.tag in (w("customXml"), w("ins"), w("smartTag")):
            found.extend(_children(child))
        elif child.tag == f"{{{_MC}}}AlternateContent":
            choice = child.find(f"{{{_MC}}}Choice")
            if choice is not None:
                found.extend(_children(choice))
        else:
            found.append(child)
    return found


def _blocks(parent: etree._Element, state: _State) -> list[str]:
    blocks: list[str] = []
    lists = _Lists()
    for child in _children(parent):
        if child.tag == w("p"):
            block = _paragraph(child, state, lists)
            if block is None:
                continue
            if lists.active and blocks and block.startswith(lists.continuation):
                blocks[-1] += "\n" + block[len(lists.continuation) :]
            else:
                blocks.append(block)
        elif child.tag == w("tbl"):
            lists.reset()
            blocks.append(_table(child, state))
    return blocks


@dataclass
class _Lists:
    """The lists open at the current paragraph: per level, its kind, count and indent."""

    levels: list[tuple[bool, int, int]] = field(default_factory=list)  # numbered, count, indent
    active: bool = False
    continuation: str = "\x00list:"  # prefix of an item to join to the previous block

    def reset(self) -> None:
        self.levels.clear()
        self.active = False

    def item(self, numbered: bool, level: int, text: str) -> str:
        level = min(level, len(self.levels), _MAX_DEPTH)
        del self.levels[level + 1 :]
        if len(self.levels) > level and self.levels[level][0] != numbered:
            del self.levels[level:]
        indent = self.levels[level - 1][2] if level else 0
        count = self.levels[level][1] + 1 if len(self.levels) > level else 1
        marker = f"{count}. " if numbered else "- "
        if len(self.levels) > level:
            self.levels[level] = (numbered, count, indent + len(marker))
        else:
            self.levels.append((numbered, count, indent + len(marker)))
        line = " " * indent + marker + text
        joined = self.active
        self.active = True
        return self.continuation + line if joined else line


def _paragraph(p: etree._Element, state: _State, lists: _Lists) -> str | None:
    ppr = p.find(w("pPr"))
    style_id = _val(ppr, "pStyle") if ppr is not None else None
    chain = _style_chain(style_id, state.package.styles)
    text = _inline(p, state).strip()
    name = chain[0].name if chain else ""
    if name in ("title", "author", "date") and _metadata(name, text, state):
        return None
    level = _heading_level(ppr, chain)
    if level is not None:
        lists.reset()
        if not text:
            return None
        # a heading in bold (or italic) throughout is just a heading
        text = _WHOLLY_EMPHASISED.sub(r"\1", " ".join(text.split()))
        return "#" * min(level + 1, 6) + " " + text
    numbered = _list_kind(ppr, chain, state.package)
    if numbered is not None and text:
        ilvl = _list_level(ppr, chain)
        return lists.item(numbered, ilvl, _protect_line_start(" ".join(text.split())))
    if not text:
        return None
    lists.reset()
    if any(style.name in _CODE_STYLES for style in chain):
        return _code_block(p)
    if any(style.name in _QUOTE_STYLES for style in chain):
        return "> " + _protect_line_start(" ".join(text.split()))
    return _protect_line_start(text)


def _metadata(name: str, text: str, state: _State) -> bool:
    """A Title, Author or Date paragraph taken to the front matter (True), where it fits."""
    if not text:
        return True
    plain = re.sub(r"\\(.)", r"\1", " ".join(text.split()))
    if name == "title" and state.title is None:
        state.title = plain
        return True
    if name == "author":  # several Author paragraphs: several authors
        state.author = f"{state.author}, {plain}" if state.author else plain
        return True
    if name == "date" and state.date is None:
        for pattern in ("%Y-%m-%d", "%B %d, %Y", "%d %B %Y", "%b %d, %Y", "%d %b %Y"):
            try:
                state.date = datetime.strptime(plain, pattern).date().isoformat()
            except ValueError:
                continue
            return True
    return False


def _style_chain(style_id: str | None, styles: dict[str, Style]) -> list[Style]:
    chain: list[Style] = []
    seen: set[str] = set()
    while style_id and style_id in styles and style_id not in seen and len(chain) < 20:
        seen.add(style_id)  # a style based on itself (directly or not) ends the chain
        chain.append(styles[style_id])
        style_id = styles[style_id].based_on
    return chain


def _heading_level(ppr: etree._Element | None, chain: list[Style]) -> int | None:
    if chain:
        match = _HEADING.match(chain[0].name)
        if match:
            return int(match.group(1))
    own = ppr.find(w("outlineLvl")) if ppr is not None else None
    levels = [_int_val(own)] if own is not None else []
    levels += [s.outline_level for s in chain]
    for level in levels:
        if level is not None:
            return level + 1 if 0 <= level <= 5 else None  # 9 is body text, 6-8 too deep
    return None


def _list_kind(ppr: etree._Element | None, chain: list[Style], package: Package) -> bool | None:
    """True for a numbered list item, False for a bulleted one, None for no list."""
    numpr = ppr.find(w("numPr")) if ppr is not None else None
    num_id = _val(numpr, "numId") if numpr is not None else None
    if num_id is None:
        num_id = next((s.num_id for s in chain if s.num_id is not None), None)
    if num_id is None or num_id == "0" or num_id not in package.numbering:
        return None
    fmt = package.numbering[num_id].get(_numbering_level(ppr, chain), "decimal")
    if fmt == "none":
        return None
    return fmt != "bullet"


def _numbering_level(ppr: etree._Element | None, chain: list[Style]) -> int:
    """The level of the item's numbering definition (its `ilvl`)."""
    numpr = ppr.find(w("numPr")) if ppr is not None else None
    own = numpr.find(w("ilvl")) if numpr is not None else None
    if own is not None:
        return max(_int_val(own) or 0, 0)
    return next((s.ilvl for s in chain if s.ilvl is not None), 0)


def _list_level(ppr: etree._Element | None, chain: list[Style]) -> int:
    """How deep the item is nested: its `ilvl`, or Word's own nesting by style ("List Bullet
    2", "List Number 3" each number at level 0 of a numbering of their own)."""
    named = next((int(m.group(1)) - 1 for s in chain if (m := _NAMED_LEVEL.fullmatch(s.name))), 0)
    return max(_numbering_level(ppr, chain), named)


def _protect_line_start(text: str) -> str:
    # a paragraph that begins like a heading, quote, list item or rule must stay a paragraph
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text, count=1)


# --- tables ------------------------------------------------------------------------------


def _table(tbl: etree._Element, state: _State) -> str:
    rows: list[list[str]] = []
    for tr in tbl.iter(w("tr")):
        if tr.getparent() is not tbl and _owning_table(tr) is not tbl:
            continue  # a row of a nested table: flattened into its cell below
        row: list[str] = []
        for tc in tr.findall(w("tc")):
            tcpr = tc.find(w("tcPr"))
            merge = tcpr.find(w("vMerge")) if tcpr is not None else None
            cont = merge is not None and merge.get(w("val"), "continue") == "continue"
            text = "" if cont else _cell(tc, state)
            span = _int_val(tcpr.find(w("gridSpan"))) if tcpr is not None else None
            row.append(text)
            row.extend([""] * (min(span or 1, 64) - 1))
        rows.append(row)
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    lines = []
    for index, row in enumerate(rows):
        cells = row + [""] * (width - len(row))
        lines.append("| " + " | ".join(c or " " for c in cells) + " |")
        if index == 0:
            lines.append("|" + "|".join(["---"] * width) + "|")
    return "\n".join(lines)


def _owning_table(tr: etree._Element) -> etree._Element | None:
    parent = tr.getparent()
    while parent is not None and parent.tag != w("tbl"):
        parent = parent.getparent()
    return parent


def _cell(tc: etree._Element, state: _State) -> str:
    """A cell on one line: its paragraphs (and any nested table's) joined by spaces, with every
    `|` escaped (the inline escaping does that), so no cell can break the table."""
    parts = [_inline(p, state) for p in tc.iter(w("p"))]
    return " ".join(" ".join(parts).split())


# --- inlines -----------------------------------------------------------------------------


def _inline(parent: etree._Element, state: _State) -> str:
    runs: list[_Run] = []
    _collect(parent, state, runs, link=None)
    return _render(runs)


def _collect(parent: etree._Element, state: _State, runs: list[_Run], link: str | None) -> None:
    for child in parent:
        tag = child.tag
        if tag == w("r"):
            _run(child, state, runs)
        elif tag == w("hyperlink"):
            target = _link_target(child, state)
            inner: list[_Run] = []
            _collect(child, state, inner, link=target)
            text = _render(inner).strip()
            if target and text:
                runs.append(_Run(f"[{text}](<{target}>)", raw=True))
            elif text:
                runs.append(_Run(text, raw=True))
        elif tag in (w("ins"), w("smartTag"), w("fldSimple"), w("customXml"), w("bdo"), w("dir")):
            _collect(child, state, runs, link)
        elif tag == w("sdt"):
            content = child.find(w("sdtContent"))
            if content is not None:
                _collect(content, state, runs, link)
        elif tag == f"{{{_MC}}}AlternateContent":
            choice = child.find(f"{{{_MC}}}Choice")
            if choice is not None:
                _collect(choice, state, runs, link)


def _run(r: etree._Element, state: _State, runs: list[_Run]) -> None:
    rpr = r.find(w("rPr"))
    bold = _on(rpr, "b") or _char_style(rpr, state, "strong")
    italic = _on(rpr, "i") or _char_style(rpr, state, "emphasis")
    for child in r:
        tag = child.tag
        if tag == w("t"):
            # a line break inside a w:t would let a document's text start a heading or a list
            runs.append(_Run(_UNSAFE_TEXT.sub(" ", child.text or ""), bold, italic))
        elif tag in (w("tab"), w("br"), w("cr")):
            runs.append(_Run(" ", bold, italic))
        elif tag in (w("noBreakHyphen"), w("softHyphen")):
            runs.append(_Run("-" if tag == w("noBreakHyphen") else "", bold, italic))
        elif tag in (w("footnoteReference"), w("endnoteReference")):
            kind = "footnote" if tag == w("footnoteReference") else "endnote"
            runs.append(_Run(_note_call((kind, child.get(w("id"), "")), state), raw=True))
        elif tag == w("drawing"):
            runs.append(_Run(_drawing(child, state), raw=True))
        elif tag == f"{{{_MC}}}AlternateContent":
            choice = child.find(f"{{{_MC}}}Choice")
            drawing = choice.find(w("drawing")) if choice is not None else None
            if drawing is not None:
                runs.append(_Run(_drawing(drawing, state), raw=True))


def _on(rpr: etree._Element | None, name: str) -> bool:
    element = rpr.find(w(name)) if rpr is not None else None
    return element is not None and element.get(w("val"), "true").lower() not in _OFF


def _char_style(rpr: etree._Element | None, state: _State, name: str) -> bool:
    style_id = _val(rpr, "rStyle") if rpr is not None else None
    return any(s.name == name for s in _style_chain(style_id, state.package.styles))


def _render(runs: list[_Run]) -> str:
    """Runs to Markdown: neighbours with the same emphasis merged, markers kept off the
    spaces at their edges (CommonMark ignores `** bold**`)."""
    merged: list[_Run] = []
    for run in runs:
        text = run.text if run.raw else _ESCAPE.sub(r"\\\1", run.text)
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1].text += text
        else:
            merged.append(_Run(text, run.bold, run.italic))
    out: list[str] = []
    for run in merged:
        marker = ("**" if run.bold else "") + ("*" if run.italic else "")
        core = run.text.strip()
        if not marker or not core:
            out.append(run.text)
            continue
        lead = run.text[: len(run.text) - len(run.text.lstrip())]
        trail = run.text[len(run.text.rstrip()) :]
        out.append(f"{lead}{marker}{core}{marker[::-1]}{trail}")
    return "".join(out)


def _link_target(link: etree._Element, state: _State) -> str | None:
    """An external http(s) or mailto target; an internal anchor (a bookmark) is kept as text."""
    rid = link.get(f"{{{R}}}id")
    rel = state.package.relationships.get(rid or "")
    if rel is None or not rel.external:
        return None
    target = rel.target.strip()
    if not target.lower().startswith(_LINK_SCHEMES) or re.search(r"[\s<>]", target):
        state.warnings.append(f"link to '{target[:60]}' kept as text (not http(s) or mailto)")
        return None
    anchor = link.get(w("anchor"))
    return f"{target}#{anchor}" if anchor and "#" not in target else target


# --- notes -------------------------------------------------------------------------------


def _note_call(key: tuple[str, str], state: _State) -> str:
    if key not in state.package.notes or state.in_note:
        return ""
    if key not in state.note_numbers:
        state.note_numbers[key] = len(state.note_numbers) + 1
        state.note_order.append(key)
    return f"[^{state.note_numbers[key]}]"


def _note_definition(key: tuple[str, str], state: _State) -> str:
    note = state.package.notes[key]
    state.in_note = True  # Word has no note inside a note; a call there is dropped
    paragraphs = [
        _protect_line_start(" ".join(_inline(p, state).split())) for p in note.iter(w("p"))
    ]
    state.in_note = False
    body = "\n\n    ".join(p for p in paragraphs if p) or " "
    return f"[^{state.note_numbers[key]}]: {body}"


# --- images ------------------------------------------------------------------------------


def _drawing(drawing: etree._Element, state: _State) -> str:
    props = drawing.find(f".//{{{_WP}}}docPr")
    alt = ""
    if props is not None:
        alt = _UNSAFE_TEXT.sub(" ", props.get("descr") or props.get("title") or "").strip()
    blip = drawing.find(f".//{{{_A}}}blip")
    rid = None
    if blip is not None:
        rid = blip.get(f"{{{R}}}embed") or blip.get(f"{{{R}}}link")
    rel = state.package.relationships.get(rid or "")
    if rel is None or rel.external:
        # an image linked from elsewhere (a URL, a file on the author's disk) is never fetched
        what = (rel.target if rel else alt or "?")[:80]
        state.removed.append(Removed(f"image '{what}'", "docx: linked image, never fetched"))
        state.warnings.append(f"linked image '{what}' not imported (never fetched)")
        return _ESCAPE.sub(r"\\\1", alt)
    if rel.target in state.image_names:
        return f"![{_alt(alt)}]({state.image_names[rel.target]})"
    data = state.package.media.get(rel.target, b"")
    ext = next((e for magic, e in _IMAGE_MAGIC if data.startswith(magic)), None)
    if ext is None or len(data) > MAX_IMAGE_BYTES:
        why = "not PNG, JPEG or GIF" if ext is None else "over the image size limit"
        state.removed.append(Removed(f"image '{rel.target}' ({alt})", f"docx: image {why}"))
        state.warnings.append(f"image '{rel.target}' not imported: {why}")
        return _ESCAPE.sub(r"\\\1", alt)
    name = f"img/{state.stem}-{len(state.images) + 1}.{ext}"
    if not alt:
        state.warnings.append(f"image {name} has no alt text in the document; add it")
    state.images.append(ImportedImage(name=name, data=data))
    state.image_names[rel.target] = name
    return f"![{_alt(alt)}]({name})"


def _alt(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", " ".join(text.split()))


# --- small helpers -----------------------------------------------------------------------


def _val(parent: etree._Element | None, name: str) -> str | None:
    element = parent.find(w(name)) if parent is not None else None
    return element.get(w("val")) if element is not None else None


def _int_val(element: etree._Element | None) -> int | None:
    try:
        return int(element.get(w("val"), "")) if element is not None else None
    except ValueError:
        return None


def _code_block(p: etree._Element) -> str:
    """A code paragraph as a fenced block: its text as typed, breaks as new lines, no markup."""
    parts: list[str] = []
    for node in p.iter(w("t"), w("br"), w("tab")):
        if node.tag == w("t"):
            parts.append(node.text or "")
        else:
            parts.append("\n" if node.tag == w("br") else "\t")
    code = "".join(parts)
    fence = "`" * max([3, *(len(run) + 1 for run in re.findall(r"`+", code))])
    return f"{fence}\n{code}\n{fence}"
