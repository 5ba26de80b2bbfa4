"""The DOCX package: the reference document it starts from, its properties, the extra parts
(footnotes, custom properties), and the saved bytes."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import struct

import docx
from docx.document import Document
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml.ns import qn
from docx.parts.story import StoryPart

from briefwright import __version__
from briefwright import model as m
from briefwright.errors import TemplateError
from briefwright.templates import BUILTIN_ROOT, Template
from briefwright.writers.docx import oxml

# the reference of the built-in templates, whose styles every output can count on
BUILTIN_REFERENCE = BUILTIN_ROOT / "briefing" / "reference.docx"


def open_reference(template: Template) -> Document:
    """The template's reference.docx with an empty body: only its styles and page set-up are
    used, so a user restyles every brief by editing it."""
    data = template.reference_docx
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a file that is not DOCX
        raise TemplateError(
            f"not a valid Word file ({exc.__class__.__name__})",
            file=template.file("reference.docx"),
        ) from None
    oxml.remove_body_content(document.element.body)
    if not template.file("reference.docx").is_relative_to(BUILTIN_ROOT):
        add_missing_styles(document)  # the built-in ones have every style
    return document


def add_missing_styles(document: Document) -> None:
    """Copy into the document the built-in reference's styles it lacks: a reference.docx made
    elsewhere (pandoc's, a house template) has none of briefwright's own, as "Cover Detail"."""
    styles = document.styles.element
    have = {style.get(qn("w:styleId")) for style in styles.iterchildren(qn("w:style"))}
    for style in _builtin_styles():
        if style.get(qn("w:styleId")) not in have:
            styles.append(copy.deepcopy(style))


@functools.cache
def _builtin_styles() -> list[oxml.Element]:
    """Read once per process: the built-in reference takes 15 ms to open."""
    return list(docx.Document(str(BUILTIN_REFERENCE)).styles.element.iterchildren(qn("w:style")))


def set_core_properties(document: Document, meta: m.BriefingMeta) -> None:
    """docProps/core.xml from the briefing, every date its date: nothing from the clock."""
    props = document.core_properties
    moment = dt.datetime.combine(meta.date, dt.time(0, 0))
    props.title = meta.title
    props.subject = meta.subtitle
    props.author = meta.author or meta.organisation
    props.keywords = ", ".join(meta.keywords)
    props.category = meta.marking
    props.comments = ""
    props.last_modified_by = "briefwright"
    props.created = moment
    props.modified = moment
    props.last_printed = moment
    props.revision = 1
    props.language = meta.lang


def add_footnotes_part(document: Document) -> StoryPart:
    """A fresh word/footnotes.xml, replacing any the reference document brought (a
    reference.docx edited in Word has one). A story part, like a header's, so paragraphs in it
    resolve styles through the document."""
    main = document.part
    for rel_id, rel in list(main.rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.FOOTNOTES:
            main.drop_rel(rel_id)
    part = StoryPart(
        PackURI("/word/footnotes.xml"),
        CONTENT_TYPE.WML_FOOTNOTES,
        oxml.footnotes_element(),
        main.package,
    )
    main.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    oxml.ensure_footnote_properties(document.settings.element)
    return part


def set_custom_properties(document: Document, properties: list[tuple[str, str]]) -> None:
    """docProps/custom.xml with `properties` (name, text): the banner, for systems that route
    documents by marking, and the provenance manifest's hash; none: no part."""
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.CUSTOM_PROPERTIES:
            package.rels.pop(rel_id)
    part = XmlPart(
        PackURI("/docProps/custom.xml"),
        CONTENT_TYPE.OFC_CUSTOM_PROPERTIES,
        oxml.custom_properties_element(properties),
        package,
    )
    if properties:
        package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)


def set_app_properties(document: Document) -> None:
    """docProps/app.xml naming briefwright and counting the words of the body as written
    (cover and contents included, as Word counts them), in place of the one the reference
    document brought, which named the application that made it."""
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.EXTENDED_PROPERTIES:
            package.rels.pop(rel_id)
    texts = oxml.paragraph_texts(document.element.body)
    element = oxml.app_properties_element(
        app_version(__version__),
        words=sum(len(text.split()) for text in texts),
        characters=sum(not c.isspace() for text in texts for c in text),
        spaced=sum(len(text) for text in texts),
    )
    part = XmlPart(
        PackURI("/docProps/app.xml"), CONTENT_TYPE.OFC_EXTENDED_PROPERTIES, element, package
    )
    package.relate_to(part, RELATIONSHIP_TYPE.EXTENDED_PROPERTIES)


def app_version(version: str) -> str:
    """The version as app.xml must give it, "XX.YYYY" (ECMA-376 Part 1, 22.2.2.3): 0.1.0 is
    "00.0100", 1.12.3 is "01.1203"."""
    numbers = [int(part) for part in version.split(".")[:3] if part.isdigit()] + [0, 0, 0]
    major, minor, patch = (min(n, 99) for n in numbers[:3])
    return f"{major:02d}.{minor:02d}{patch:02d}"


def package_bytes(document: Document) -> bytes:
    """The package as python-docx saves it, with every member dated 1980-01-01 and readable
    by all (0644), so two builds of one briefing give identical bytes."""
    out = io.BytesIO()
    document.save(out)
    return fixed_zip_dates(out.getvalue())


# Zip records (PKWARE APPNOTE 4.3): the offsets of the DOS time and date in a local file header
# and a central directory header, of the external attributes in the latter, and the end record.
_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"
_END = b"PK\x05\x06"
_DOS_EPOCH = struct.pack("<HH", 0, (1 << 5) | 1)  # 00:00:00, 1980-01-01
_READABLE = struct.pack("<I", 0o644 << 16)


def fixed_zip_dates(data: bytes) -> bytes:
    """`data`, a zip archive, with each member's timestamp set to the zip epoch and its
    permissions to 0644: a rewrite of the headers only, without compressing anything again
    (re-zipping the members cost a tenth of a long render)."""
    archive = bytearray(data)
    end = archive.rfind(_END)
    if end < 0:
        raise ValueError("not a zip archive: no end of central directory record")
    count, _, offset = struct.unpack_from("<HII", archive, end + 10)
    for _ in range(count):
        if archive[offset : offset + 4] != _CENTRAL:
            raise ValueError(f"not a zip archive: no central directory header at {offset}")
        archive[offset + 12 : offset + 16] = _DOS_EPOCH
        archive[offset + 38 : offset + 42] = _READABLE
        local = struct.unpack_from("<I", archive, offset + 42)[0]
        if archive[local : local + 4] != _LOCAL:
            raise ValueError(f"not a zip archive: no local file header at {local}")
        archive[local + 10 : local + 14] = _DOS_EPOCH
        name, extra, comment = struct.unpack_from("<HHH", archive, offset + 28)
        offset += 46 + name + extra + comment
    return bytes(archive)
