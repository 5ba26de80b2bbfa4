"""A template's reference.docx, cleaned to what an output needs from it.

A reference.docx arrives with a shared repository, so it is untrusted: it is read as an
untrusted archive (`archive.py`), every XML part kept is parsed without DTDs (`opc.py`), and
a new package is written from the parts kept. What is kept, and why:

- the main document, with its body emptied to its last section properties (page size,
  margins, header and footer references): the writer empties the body anyway, and an
  `altChunk`, a linked image or an INCLUDETEXT field in it then never reaches python-docx;
- from the main document: styles, numbering, settings, theme, font table (with its embedded
  fonts), web settings, and the headers and footers its section properties refer to, with the
  raster images they, the numbering (picture bullets) or the theme embed;
- nothing else: no external relationship (attachedTemplate URL, altChunk, linked image,
  hyperlink, mail-merge data source), no custom XML, comments, glossary, macros (vbaProject),
  ActiveX controls, OLE objects, thumbnail, and none of the package's properties (the writer
  writes core, app and custom properties of its own; a template's would name its author).

In the parts kept, an attribute pointing at a relationship that was dropped is removed (the
element with it when the reference is all it is, as `w:attachedTemplate`), settings lose what
would fetch or update from elsewhere (`w:attachedTemplate`, `w:mailMerge`, `w:linkStyles`,
`w:saveThroughXslt`), and a field that fetches or runs something (FETCHING) loses its code and
keeps its last result as plain text: the writer asks Word to update fields on opening.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from briefwright.errors import TemplateError
from briefwright.readers.archive import UnsafeInputError, read_archive
from briefwright.readers.opc import parse_part, part_bytes

_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_VML = "urn:schemas-microsoft-com:vml"
_VML_OFFICE = "urn:schemas-microsoft-com:office:office"

MAIN = _OFFICE + "officeDocument"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
# the parts kept from the main document, by relationship type, each with the one content type
# it may have; headers and footers only when its section properties refer to them
_FROM_MAIN = {
    _OFFICE + "styles": _WML + "styles+xml",
    _OFFICE + "numbering": _WML + "numbering+xml",
    _OFFICE + "settings": _WML + "settings+xml",
    _OFFICE + "theme": "application/vnd.openxmlformats-officedocument.theme+xml",
    _OFFICE + "fontTable": _WML + "fontTable+xml",
    _OFFICE + "webSettings": _WML + "webSettings+xml",
}
_HEADERS = {_OFFICE + "header": _WML + "header+xml", _OFFICE + "footer": _WML + "footer+xml"}
_IMAGE = _OFFICE + "image"
_FONT = _OFFICE + "font"
_XML_TYPES = ("xml", "+xml")
_IMAGE_TYPES = {
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/bmp",
    "image/tiff",
    "image/x-emf",
    "image/x-wmf",
}
_FONT_TYPES = {
    "application/vnd.openxmlformats-officedocument.obfuscatedFont",
    "application/x-font-ttf",
}
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# a template or a macro-enabled document is a document once its macros are gone
_MAIN_TYPES = {
    DOCUMENT_TYPE,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
# fields that read a file or URL, run a program or a macro, or open a link (Word's field list)
FETCHING = frozenset(
    {"INCLUDETEXT", "INCLUDEPICTURE", "INCLUDE", "IMPORT", "LINK", "DDE", "DDEAUTO"}
    | {"DATABASE", "HYPERLINK", "RD", "MACROBUTTON", "GOTOBUTTON", "AUTOTEXTLIST"}
)
# elements that are nothing but a reference to another part or a resource elsewhere
_REFERENCE_ELEMENTS = {
    f"{{{W}}}{name}"
    for name in (
        "attachedTemplate",
        "altChunk",
        "subDoc",
        "headerReference",
        "footerReference",
        "control",
        "saveThroughXslt",
        "mailMerge",
        "linkStyles",
        "dataSource",
        "headerSource",
        "sourceFileName",
        "recipientData",
    )
}
# XPath finds attributes in C: walking every element of a 350 KB styles.xml in Python took 40 ms
_RELATIONSHIP_ATTRIBUTES = etree.XPath("//@r:*", namespaces={"r": R}, smart_strings=True)
_URL_ATTRIBUTES = etree.XPath("//@o:href | //v:*/@src", namespaces={"o": _VML_OFFICE, "v": _VML})
_SETTINGS_DROPPED = {
    f"{{{W}}}{n}" for n in ("attachedTemplate", "mailMerge", "linkStyles", "saveThroughXslt")
}


@dataclass
class _Package:
    members: dict[str, bytes]
    overrides: dict[str, str]
    defaults: dict[str, str]
    parts: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # name -> (type, bytes)
    rels: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # (id, type, to)

    def content_type(self, name: str) -> str:
        return self.overrides.get(name.lower()) or self.defaults.get(
            posixpath.splitext(name)[1][1:].lower(), ""
        )


def reference_docx(path: Path, project_root: Path) -> bytes:
    """The cleaned reference.docx, or a TemplateError naming the file and what is refused."""
    try:
        return clean_reference(path)
    except UnsafeInputError as exc:
        shown = path.relative_to(project_root) if path.is_relative_to(project_root) else path
        raise TemplateError(f"reference document refused: {exc}", file=shown) from None


def clean_reference(path: Path) -> bytes:
    """The reference.docx at `path` as a new package of the parts an output needs, or
    UnsafeInputError saying what is refused."""
    members = read_archive(path)
    if "[Content_Types].xml" not in members:
        raise UnsafeInputError("not a Word file (no [Content_Types].xml)")
    overrides, defaults = _content_types(
        _parsed("[Content_Types].xml", members["[Content_Types].xml"])
    )
    package = _Package(members, overrides, defaults)
    main = [t for i, kind, t in _relationships(package, "") if kind == MAIN]
    if not main or package.content_type(main[0]) not in _MAIN_TYPES:
        raise UnsafeInputError("not a Word document (no main document part)")
    package.rels[""] = [("rId1", MAIN, main[0])]
    _keep(package, main[0], DOCUMENT_TYPE)
    return _write(package)


def _keep(package: _Package, name: str, content_type: str) -> None:
    """Copy the part `name` (cleaned, when it is XML) and the parts it needs, once each."""
    if name in package.parts:
        return
    data = package.members[name]
    if not content_type.endswith(_XML_TYPES):
        package.parts[name] = (content_type, data)
        return
    root = _parsed(name, data)
    package.parts[name] = (content_type, b"")  # against cycles; filled below
    if name == _main_name(package):
        _empty_body(root)  # first: what the body referred to is then not kept
    if root.tag == f"{{{W}}}settings":
        _remove(e for e in root if e.tag in _SETTINGS_DROPPED)
    remove_fetching_fields(root)
    used = {str(value) for value in _RELATIONSHIP_ATTRIBUTES(root)}
    kept: list[tuple[str, str, str]] = []
    main = name == _main_name(package)
    for rel_id, kind, target in _relationships(package, name):
        target_type = package.content_type(target)
        if _wanted(kind, target_type, main, rel_id in used):
            kept.append((rel_id, kind, target))
            _keep(package, target, target_type)
    remove_dangling_references(root, {rel_id for rel_id, _, _ in kept})
    package.parts[name] = (content_type, part_bytes(root))
    package.rels[name] = kept


def _wanted(kind: str, content_type: str, from_main: bool, referred: bool) -> bool:
    """Whether a relationship is kept: the main document's parts of _FROM_MAIN (named by
    type), its headers and footers and any part's images and embedded fonts when referred to
    by ID, each with the content type of its kind. Nothing deeper: images and fonts have no
    relationships, so a chain of parts cannot recurse."""
    if from_main and kind in _FROM_MAIN:
        return content_type == _FROM_MAIN[kind]
    if from_main and kind in _HEADERS:
        return referred and content_type == _HEADERS[kind]
    if kind == _IMAGE:
        return referred and content_type in _IMAGE_TYPES
    return kind == _FONT and referred and content_type in _FONT_TYPES


def _main_name(package: _Package) -> str:
    return package.rels[""][0][2]


def _parsed(name: str, data: bytes) -> etree._Element:
    try:
        return parse_part(data)
    except UnsafeInputError as exc:
        raise UnsafeInputError(f"part '{name}' {exc}") from None


def _content_types(root: etree._Element) -> tuple[dict[str, str], dict[str, str]]:
    overrides: dict[str, str] = {}
    defaults: dict[str, str] = {}
    for element in root:
        if element.tag == f"{{{_CONTENT_TYPES}}}Override":
            part = element.get("PartName", "").lstrip("/").lower()
            overrides[part] = element.get("ContentType", "")
        elif element.tag == f"{{{_CONTENT_TYPES}}}Default":
            defaults[element.get("Extension", "").lower()] = element.get("ContentType", "")
    return overrides, defaults


def _relationships(package: _Package, source: str) -> list[tuple[str, str, str]]:
    """The internal relationships of the part `source` ("" for the package) to parts that
    exist: (ID, type, part name). External ones (TargetMode="External") are never returned."""
    folder, base = posixpath.split(source)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    if rels_name not in package.members:
        return []
    found: list[tuple[str, str, str]] = []
    for element in _parsed(rels_name, package.members[rels_name]):
        if element.tag != f"{{{_PACKAGE_RELS}}}Relationship":
            continue
        if element.get("TargetMode", "Internal") != "Internal":
            continue
        target = _part_name(folder, element.get("Target", ""))
        if target is not None and target in package.members:
            found.append((element.get("Id", ""), element.get("Type", ""), target))
    return found


def _part_name(folder: str, target: str) -> str | None:
    """The zip member a relative or absolute target names, or None if it leaves the package."""
    if not target or "\\" in target or ":" in target or "#" in target or "?" in target:
        return None
    joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    name = posixpath.normpath(joined)
    return None if name.startswith("..") or name in (".", "") else name


def _empty_body(root: etree._Element) -> None:
    """Keep the body's last section properties only (see the module's description)."""
    body = root.find(f"{{{W}}}body")
    if body is None:
        return
    last = body[-1] if len(body) and body[-1].tag == f"{{{W}}}sectPr" else None
    _remove(c for c in body if c is not last)


def remove_fetching_fields(root: etree._Element) -> None:
    """Fields in FETCHING lose their code and keep their last result as plain text: a simple
    field is unwrapped; a complex field's begin, code, separate and end marks are removed."""
    for simple in list(root.iter(f"{{{W}}}fldSimple")):
        if _fetches(simple.get(f"{{{W}}}instr", "")):
            _unwrap(simple)
    doomed: list[etree._Element] = []
    stack: list[list[etree._Element]] = []  # marks and code of each open field
    codes: list[list[str]] = []
    for element in root.iter(f"{{{W}}}fldChar", f"{{{W}}}instrText"):
        kind = element.get(f"{{{W}}}fldCharType")
        if element.tag == f"{{{W}}}instrText":
            if stack:
                stack[-1].append(element)
                codes[-1].append(element.text or "")
        elif kind == "begin":
            stack.append([element])
            codes.append([])
        elif kind == "separate" and stack:
            stack[-1].append(element)
        elif kind == "end" and stack:
            marks, code = stack.pop(), codes.pop()
            if _fetches("".join(code)):
                doomed += [*marks, element]
    _remove(doomed)


def _fetches(instruction: str) -> bool:
    words = instruction.split()
    return bool(words) and words[0].upper().lstrip("\\") in FETCHING


def remove_dangling_references(root: etree._Element, kept: set[str]) -> None:
    """Remove what points at a relationship not kept (or at a file by URL, as VML's o:href
    and src): the element when it is only a reference, else the attribute."""
    doomed: list[etree._Element] = []
    for value in _RELATIONSHIP_ATTRIBUTES(root) + _URL_ATTRIBUTES(root):
        if value.is_attribute and (value not in kept or not value.attrname.startswith(f"{{{R}}}")):
            element = value.getparent()
            if element.tag in _REFERENCE_ELEMENTS:
                doomed.append(element)
            elif value.attrname in element.attrib:
                del element.attrib[value.attrname]
    _remove(doomed)


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)


def _remove(elements: Iterable[etree._Element]) -> None:
    for element in list(elements):
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)


def _write(package: _Package) -> bytes:
    """The package kept, as a zip with fixed dates and a [Content_Types].xml of its parts.
    Stored, not deflated: python-docx reads it once and compresses what it saves."""
    types = etree.Element(f"{{{_CONTENT_TYPES}}}Types", nsmap={None: _CONTENT_TYPES})
    for extension, kind in (("rels", "application/vnd.openxmlformats-package.relationships+xml"),):
        etree.SubElement(
            types, f"{{{_CONTENT_TYPES}}}Default", Extension=extension, ContentType=kind
        )
    for name, (kind, _) in package.parts.items():
        etree.SubElement(
            types, f"{{{_CONTENT_TYPES}}}Override", PartName="/" + name, ContentType=kind
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        _add(archive, "[Content_Types].xml", part_bytes(types))
        for source, rels in package.rels.items():
            if not rels:
                continue
            folder, base = posixpath.split(source)
            _add(archive, posixpath.join(folder, "_rels", base + ".rels"), _rels_xml(folder, rels))
        for name, (_, data) in package.parts.items():
            _add(archive, name, data)
    return out.getvalue()


def _rels_xml(folder: str, rels: list[tuple[str, str, str]]) -> bytes:
    root = etree.Element(f"{{{_PACKAGE_RELS}}}Relationships", nsmap={None: _PACKAGE_RELS})
    for rel_id, kind, target in rels:
        etree.SubElement(
            root,
            f"{{{_PACKAGE_RELS}}}Relationship",
            Id=rel_id,
            Type=kind,
            Target=posixpath.relpath(target, folder or "."),
        )
    return part_bytes(root)


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    archive.writestr(
        zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_STORED
    )
