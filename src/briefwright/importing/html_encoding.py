"""The text of a page's bytes: the encoding a browser would pick, without guessing libraries.

Order (as the WHATWG encoding sniffing algorithm, shortened): a byte order mark; a charset
declared in the first 1024 bytes (`<meta charset>`, `http-equiv` Content-Type, or an XML
declaration); UTF-8 when the bytes are valid UTF-8; else windows-1252, the web's default.
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)
_PRESCAN_BYTES = 1024
# Declared encodings a page may not switch to: WHATWG reads a declared UTF-16 as UTF-8 (the
# bytes were already read as ASCII to find it), and UTF-7 and the like are never used.
_AS_UTF8 = {"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "utf-7"}
# Python codecs that are no web encoding: they interpret the text (escapes, IDNA) or fail
_NOT_WEB = {
    "undefined",
    "unicode_escape",
    "raw_unicode_escape",
    "idna",
    "punycode",
    "mbcs",
    "oem",
    "palmos",
    "charmap",
}


def decode(data: bytes) -> str:
    """`data` as text; never fails (undecodable bytes become U+FFFD)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace")
    declared = _declared(data[:_PRESCAN_BYTES])
    if declared is not None:
        try:
            return data.decode(declared, "replace")
        except (LookupError, UnicodeError):  # a codec that is no text encoding (base64, zlib)
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _declared(head: bytes) -> str | None:
    match = _DECLARED.search(head)
    if match is None:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None  # an unknown label is ignored, as browsers do
    if name in _NOT_WEB:
        return None
    if name in _AS_UTF8:
        return "utf-8"
    # WHATWG maps latin-1 and ascii labels to windows-1252, a superset pages rely on
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name
