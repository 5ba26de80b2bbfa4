"""XML parts of an Office package from outside, parsed safely: no DTD, so no entity (XXE, the
billion laughs) and no network, whatever the part's encoding.

ECMA-376 Part 2 (8.1.4) allows UTF-8 and UTF-16 only. A part is decoded here (its byte order
mark, or the first bytes of `<?xml`), searched for a declaration (`<!DOCTYPE`, `<!ENTITY`...),
and the very text searched is what lxml parses, re-encoded as UTF-8 without its XML
declaration: a parser that guessed another encoding cannot see what the search did not."""

from __future__ import annotations

import codecs
import re

from lxml import etree

from briefwright.readers.archive import UnsafeInputError

# (prefix, codec): UTF-32 first, since its little-endian mark begins with UTF-16's
_MARKS: tuple[tuple[bytes, str | None], ...] = (
    (codecs.BOM_UTF32_LE, None),
    (codecs.BOM_UTF32_BE, None),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"\x00\x00\x00<", None),
    (b"<\x00\x00\x00", None),
    (b"\x00<", "utf-16-be"),  # no mark: XML starts with "<", so a NUL shows the byte order
    (b"<\x00", "utf-16-le"),
)
_DECLARATION = re.compile(r"\A\s*<\?xml\b[^>]*\?>")
_ENCODING = re.compile(r"""\bencoding\s*=\s*["']([^"']*)["']""")
_ALLOWED_ENCODINGS = {"utf8", "utf16", "utf16le", "utf16be"}  # spelt without - or _
# a markup declaration: <!DOCTYPE, <!ENTITY, <!ELEMENT, <!ATTLIST, <!NOTATION (not <!-- or <![)
_MARKUP_DECLARATION = re.compile(r"<!\s*[A-Za-z]")

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
)


def decode_part(data: bytes) -> str:
    """The part's text without its XML declaration, or UnsafeInputError."""
    codec = "utf-8"
    for mark, name in _MARKS:
        if data.startswith(mark):
            if name is None:
                raise UnsafeInputError("is encoded as UTF-32 (only UTF-8 and UTF-16 are allowed)")
            codec = name
            break
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise UnsafeInputError(f"is not valid {codec.upper()} ({exc.reason})") from None
    declaration = _DECLARATION.match(text)
    if declaration:
        encoding = _ENCODING.search(declaration.group())
        spelt = encoding.group(1).lower().replace("-", "").replace("_", "") if encoding else ""
        if encoding and spelt not in _ALLOWED_ENCODINGS:
            raise UnsafeInputError(
                f"declares encoding '{encoding.group(1)[:20]}' (only UTF-8 and UTF-16 are allowed)"
            )
        text = text[declaration.end() :]
    return text


def parse_part(data: bytes) -> etree._Element:
    """The root element of an XML part, or UnsafeInputError: a part with a DTD or an entity
    declaration is refused before it is parsed, and lxml never loads a DTD."""
    text = decode_part(data)
    if _MARKUP_DECLARATION.search(text):
        raise UnsafeInputError(
            "has a DTD or an entity declaration (never accepted: XXE, entity expansion)"
        )
    try:
        root = etree.fromstring(text.encode("utf-8"), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise UnsafeInputError(f"is not well-formed XML ({exc.msg})") from None
    if root.getroottree().docinfo.doctype:
        raise UnsafeInputError("has a DTD (never accepted)")
    return root


def part_bytes(root: etree._Element) -> bytes:
    """A part as written to the output: UTF-8, standalone, as Word writes it."""
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data
