"""A Word document from outside, opened as the untrusted package it is, and the parts of it the
DOCX reader needs: relationships, styles, numbering, notes, core properties.

The zip goes through `readers/archive.py` (entry count, sizes, inflation ratio, member names)
and every XML part through `readers/opc.py` (no DTD, no entity) before anything reads it, so a
zip bomb or an XXE part is refused with one line naming the part. The parts are walked here
with lxml rather than handed to python-docx: python-docx has no API for footnotes, outline
levels, numbering formats or drawing alt text, which is most of what an import needs.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from lxml import etree

from briefwright.readers.archive import UnsafeInputError, read_archive_bytes
from briefwright.readers.opc import parse_part

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
_ISO_DATE = re.compile(r"\A(\d{4}-\d{2}-\d{2})")


def w(name: str) -> str:
    """The Clark name of a WordprocessingML element or attribute."""
    return f"{{{W}}}{name}"


@dataclass(frozen=True)
class Relationship:
    type: str
    target: str
    external: bool


@dataclass(frozen=True)
class Style:
    name: str  # lower case, as Word matches names ("heading 1", "title")
    based_on: str | None
    outline_level: int | None  # 0-8, 9 meaning body text
    num_id: str | None
    ilvl: int | None


@dataclass
class Package:
    """The parts of one document the reader walks, all parsed safely."""

    document: etree._Element
    relationships: dict[str, Relationship]
    styles: dict[str, Style]
    numbering: dict[str, dict[int, str]]  # numId -> level -> numFmt ("bullet", "decimal", ...)
    notes: dict[tuple[str, str], etree._Element]  # ("footnote" | "endnote", id) -> note
    media: dict[str, bytes]  # every member by name: the images the document embeds
    main_folder: str
    title: str | None = None
    author: str | None = None
    date: str | None = None


def open_package(data: bytes) -> Package:
    """The document's parts, or UnsafeInputError saying which rule a part breaks."""
    members = read_archive_bytes(data)
    package_rels = _relationships(members, "_rels/.rels", "")
    main = next(
        (r.target for r in package_rels.values() if r.type == _OFFICE + "officeDocument"),
        "word/document.xml",
    )
    if main not in members:
        raise UnsafeInputError("has no main document part (is it a Word document?)")
    folder = posixpath.dirname(main)
    rels_name = posixpath.join(folder, "_rels", posixpath.basename(main) + ".rels")
    relationships = _relationships(members, rels_name, folder)
    document = _part(members, main)
    if document.tag != w("document"):
        raise UnsafeInputError(f"part '{main}' is not a WordprocessingML document")
    package = Package(
        document=document,
        relationships=relationships,
        styles=_styles(_related(members, relationships, "styles")),
        numbering=_numbering(_related(members, relationships, "numbering")),
        notes={},
        media=members,
        main_folder=folder,
    )
    for kind in ("footnote", "endnote"):
        root = _related(members, relationships, kind + "s")
        if root is not None:
            for note in root.iter(w(kind)):
                package.notes[(kind, note.get(w("id"), ""))] = note
    core = next((r.target for r in package_rels.values() if r.type == _CORE), None)
    if core and core in members:
        _core_properties(package, _part(members, core))
    return package


def _part(members: dict[str, bytes], name: str) -> etree._Element:
    try:
        return parse_part(members[name])
    except UnsafeInputError as exc:
        raise UnsafeInputError(f"part '{name}' {exc}") from None


def _relationships(members: dict[str, bytes], name: str, folder: str) -> dict[str, Relationship]:
    if name not in members:
        return {}
    found: dict[str, Relationship] = {}
    for rel in _part(members, name).iter(f"{{{_RELS}}}Relationship"):
        target = rel.get("Target", "")
        external = rel.get("TargetMode") == "External"
        if not external:
            # a target inside the package, relative to the source part's folder
            joined = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            target = posixpath.normpath(joined)
        found[rel.get("Id", "")] = Relationship(rel.get("Type", ""), target, external)
    return found


def _related(
    members: dict[str, bytes], relationships: dict[str, Relationship], kind: str
) -> etree._Element | None:
    for rel in relationships.values():
        if rel.type == _OFFICE + kind and not rel.external and rel.target in members:
            return _part(members, rel.target)
    return None


def _styles(root: etree._Element | None) -> dict[str, Style]:
    styles: dict[str, Style] = {}
    if root is None:
        return styles
    for style in root.iter(w("style")):
        name = style.find(w("name"))
        based = style.find(w("basedOn"))
        ppr = style.find(w("pPr"))
        level, num_id, ilvl = _paragraph_numbers(ppr)
        styles[style.get(w("styleId"), "")] = Style(
            name=(name.get(w("val"), "") if name is not None else "").lower(),
            based_on=based.get(w("val")) if based is not None else None,
            outline_level=level,
            num_id=num_id,
            ilvl=ilvl,
        )
    return styles


def _paragraph_numbers(ppr: etree._Element | None) -> tuple[int | None, str | None, int | None]:
    """A paragraph's (or style's) outline level, numbering id and list level, where set."""
    if ppr is None:
        return None, None, None
    outline = ppr.find(w("outlineLvl"))
    numpr = ppr.find(w("numPr"))
    num = numpr.find(w("numId")) if numpr is not None else None
    ilvl = numpr.find(w("ilvl")) if numpr is not None else None
    return (
        _int(outline.get(w("val"))) if outline is not None else None,
        num.get(w("val")) if num is not None else None,
        _int(ilvl.get(w("val"))) if ilvl is not None else None,
    )


def _numbering(root: etree._Element | None) -> dict[str, dict[int, str]]:
    if root is None:
        return {}
    abstract: dict[str, dict[int, str]] = {}
    for definition in root.iter(w("abstractNum")):
        abstract[definition.get(w("abstractNumId"), "")] = _levels(definition)
    numbering: dict[str, dict[int, str]] = {}
    for num in root.iter(w("num")):
        ref = num.find(w("abstractNumId"))
        levels = dict(abstract.get(ref.get(w("val"), "") if ref is not None else "", {}))
        for override in num.iter(w("lvlOverride")):
            lvl = override.find(w("lvl"))
            if lvl is not None:
                levels.update(_levels(override))
        numbering[num.get(w("numId"), "")] = levels
    return numbering


def _levels(parent: etree._Element) -> dict[int, str]:
    levels: dict[int, str] = {}
    for lvl in parent.findall(w("lvl")):
        fmt = lvl.find(w("numFmt"))
        index = _int(lvl.get(w("ilvl")))
        if index is not None:
            levels[index] = fmt.get(w("val"), "decimal") if fmt is not None else "decimal"
    return levels


def _core_properties(package: Package, root: etree._Element) -> None:
    title = root.findtext(f"{{{_DC}}}title")
    creator = root.findtext(f"{{{_DC}}}creator")
    created = root.findtext(f"{{{_DCTERMS}}}created") or ""
    package.title = " ".join(title.split()) or None if title else None
    package.author = " ".join(creator.split()) or None if creator else None
    match = _ISO_DATE.match(created.strip())
    package.date = match.group(1) if match else None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
