"""Title, author and date of a PDF: its document information dictionary first, its XMP
metadata (parsed as untrusted XML: no DTD, no entities) where the dictionary says nothing.

Titles that are only a file name ("10811.exe", "Microsoft Word - memo.docx") are not titles."""

from __future__ import annotations

import datetime
import re
from typing import Any

from briefwright.readers.archive import UnsafeInputError
from briefwright.readers.opc import parse_part

MAX_XMP_BYTES = 1024 * 1024
_FILE_NAME = re.compile(r"\.(?:exe|docx?|pdf|rtf|odt|pptx?|xlsx?|indd|qxd|tex|dvi|txt)$", re.I)
_APP_PREFIX = re.compile(r"^(?:Microsoft (?:Word|PowerPoint|Excel) - )", re.I)
_DATE = re.compile(r"^(?:D:)?(\d{4})-?(\d{2})-?(\d{2})")
_NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xmp": "http://ns.adobe.com/xap/1.0/",
}


def metadata_of(pdf: Any) -> tuple[str | None, str | None, str | None, list[str]]:
    """(title, author, ISO date, warnings) of an open pdfplumber PDF."""
    warnings: list[str] = []
    try:
        info = pdf.metadata or {}
    except Exception:  # a damaged information dictionary: the text is still worth having
        warnings.append("its document information cannot be read; ignored")
        info = {}
    xmp = _xmp(pdf, warnings)
    title = _title(_text(info.get("Title"))) or _title(xmp.get("title"))
    author = _text(info.get("Author")) or xmp.get("creator")
    date = _date(_text(info.get("CreationDate"))) or _date(xmp.get("date"))
    return title, author, date, warnings


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return None
    value = " ".join(value.replace("\x00", "").split())
    return value or None


def _title(value: str | None) -> str | None:
    if value is None:
        return None
    value = _APP_PREFIX.sub("", value).strip()
    return None if not value or _FILE_NAME.search(value) else value


def _date(value: str | None) -> str | None:
    match = _DATE.match(value or "")
    if match is None:
        return None
    try:
        return datetime.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return None


def _xmp(pdf: Any, warnings: list[str]) -> dict[str, str]:
    try:
        stream = pdf.doc.catalog.get("Metadata")
        data = stream.resolve().get_data() if stream is not None else None
    except Exception:  # a broken metadata stream is not worth failing the import for
        warnings.append("its XMP metadata cannot be read; ignored")
        return {}
    if not data:
        return {}
    if len(data) > MAX_XMP_BYTES:
        warnings.append("its XMP metadata is larger than 1 MiB; ignored")
        return {}
    try:
        root = parse_part(data)
    except UnsafeInputError as exc:
        warnings.append(f"its XMP metadata {exc}; ignored")
        return {}
    found: dict[str, str] = {}
    for key, path in (
        ("title", ".//dc:title//rdf:li"),
        ("creator", ".//dc:creator//rdf:li"),
        ("date", ".//xmp:CreateDate"),
    ):
        element = root.find(path, _NS)
        if element is not None and (text := _text(element.text)):
            found[key] = text
    return found
