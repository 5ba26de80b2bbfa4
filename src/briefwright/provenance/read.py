"""The manifest inside an output, read back: a PDF's embedded file (or, in a PDF/A-2, its XMP),
a DOCX's custom XML part, an HTML file's JSON script. The kind of file is told from its bytes,
not its name: an output that has been mailed and renamed still reads."""

from __future__ import annotations

import io
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

from briefwright.provenance.manifest import (
    FILE_NAME,
    SCRIPT_ID,
    XML_NAMESPACE,
    Manifest,
    ManifestError,
    from_json,
)
from briefwright.readers.archive import UnsafeInputError, read_archive_bytes
from briefwright.readers.files import UnreadableFileError, read_regular
from briefwright.readers.opc import parse_part

MAX_BYTES = 256 * 1024 * 1024  # an output far larger than any briefing makes is not read
ABSENT = "made before provenance, or not by briefwright"
_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body|script)\b", re.IGNORECASE)


def read_manifest(path: Path) -> Manifest:
    """The manifest embedded in the output at `path` (PDF, DOCX or HTML, whatever its name),
    or ManifestError saying why there is none."""
    where = str(path)
    try:
        data = read_regular(path, MAX_BYTES)
    except UnreadableFileError as exc:
        raise ManifestError(f"{where}: {exc.reason}") from None
    kind = sniff(data)
    if kind == "pdf":
        found = _from_pdf(data, where)
    elif kind == "docx":
        found = _from_docx(data, where)
    elif kind == "html":
        found = _from_html(data, where)
    else:
        raise ManifestError(f"{where}: not a PDF, DOCX or HTML file, so no briefwright output")
    if found is None:
        raise ManifestError(f"{where}: no provenance manifest in this {kind.upper()} ({ABSENT})")
    return from_json(found, where)


def sniff(data: bytes) -> str | None:
    """ "pdf", "docx" (any zip: a DOCX is one), "html" or None, from the first bytes."""
    if b"%PDF-" in data[:1024]:  # readers accept a header anywhere in the first 1024 bytes
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if _HTML.search(data[:4096].lstrip(b"\xef\xbb\xbf")):
        return "html"
    return None


def _from_pdf(data: bytes, where: str) -> bytes | None:
    import pypdf

    # pypdf logs what it repairs ("EOF marker not found") to stderr; the error below says it
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        attached = reader.attachments.get(FILE_NAME)
        if attached:
            return attached[0]
        return _from_xmp(reader, where)
    except ManifestError:
        raise
    except Exception as exc:  # pypdf raises many kinds for a damaged file
        damaged = f"damaged or cut short: {exc.__class__.__name__}"
        raise ManifestError(f"{where}: not a readable PDF ({damaged})") from None
    finally:
        logger.setLevel(level)


def _from_xmp(reader: object, where: str) -> bytes | None:
    """A PDF/A-2 keeps the manifest in its XMP (no JSON file is allowed there)."""
    import pypdf

    assert isinstance(reader, pypdf.PdfReader)
    metadata = reader.root_object.get("/Metadata")
    if metadata is None:
        return None
    stream = metadata.get_object()
    if not isinstance(stream, pypdf.generic.StreamObject):
        return None
    try:
        root = parse_part(stream.get_data())
    except UnsafeInputError as exc:
        raise ManifestError(f"{where}: its XMP metadata {exc}") from None
    found = root.find(f".//{{{XML_NAMESPACE}#}}manifest")
    return found.text.encode("utf-8") if found is not None and found.text else None


def _from_docx(data: bytes, where: str) -> bytes | None:
    """The custom XML part whose root is briefwright's manifest element, whatever its number."""
    try:
        members = read_archive_bytes(data)
    except UnsafeInputError as exc:
        raise ManifestError(f"{where}: not a readable DOCX ({exc})") from None
    for name, part in members.items():
        if not (name.startswith("customXml/") and name.endswith(".xml")):
            continue
        try:
            root = parse_part(part)
        except UnsafeInputError as exc:
            raise ManifestError(f"{where}: its part {name} {exc}") from None
        if root.tag == f"{{{XML_NAMESPACE}}}manifest":
            return (root.text or "").encode("utf-8")
    return None


def _from_html(data: bytes, where: str) -> bytes | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ManifestError(
            f"{where}: an HTML file that is not UTF-8, so not briefwright's"
        ) from None
    finder = _ScriptFinder()
    finder.feed(text)
    finder.close()
    return finder.found.encode("utf-8") if finder.found is not None else None


class _ScriptFinder(HTMLParser):
    """The text of the first `<script type="application/json" id="briefwright-manifest">`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: str | None = None
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("id") == SCRIPT_ID and self.found is None:
            self._inside = values.get("type") == "application/json"
            self.found = "" if self._inside else None

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.found = (self.found or "") + data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = False
