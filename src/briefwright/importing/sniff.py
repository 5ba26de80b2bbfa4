"""What kind of document some bytes are: from their signature first, the file name's
extension only deciding between the text kinds (plain text, Markdown, HTML)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePosixPath

from briefwright.errors import ImportFailed

# kind -> the module of `briefwright.importing` that reads it
READERS = {
    "html": "html",
    "text": "text",
    "markdown": "markdown_input",
    "docx": "docx",
    "pdf": "pdf",
}
KIND_NAMES = {"html": "HTML", "text": "plain-text", "markdown": "Markdown", "docx": "DOCX"}
_BINARY_EXTENSIONS = {".docx": "docx", ".pdf": "pdf"}
_TEXT_EXTENSIONS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
}
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
_MD_SIGNS = re.compile(r"^(---\n|#{1,6} |```)|\n#{1,6} \S|\n```", re.M)
_SNIFF_BYTES = 4096


def sniff(data: bytes, name: str) -> str:
    """The kind of `data` ("html", "text", "markdown", "docx", "pdf"); ImportFailed when it is
    none of them or contradicts a binary extension."""
    suffix = PurePosixPath(name.split("?")[0]).suffix.lower()
    head = data[:_SNIFF_BYTES]
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if _is_docx(data):
            return "docx"
        raise ImportFailed("a zip archive but not a Word document (no word/document.xml)")
    expected = _BINARY_EXTENSIONS.get(suffix)
    if expected is not None:
        raise ImportFailed(f"named {suffix} but its bytes are not a {expected.upper()} file")
    if b"\x00" not in head and not _is_text(head):
        raise ImportFailed(
            "not UTF-8 text (nor HTML, DOCX or PDF); convert it first, e.g. "
            "iconv -f WINDOWS-1252 -t UTF-8"
        )
    if b"\x00" in head:
        raise ImportFailed(
            "unknown kind of file (not text, HTML, Markdown, DOCX or PDF); "
            "import .html, .txt, .md, .docx or .pdf files"
        )
    if _HTML_START.match(head):
        return "html"
    hinted = _TEXT_EXTENSIONS.get(suffix)
    if hinted is not None:
        return hinted
    text = head.decode("utf-8", errors="replace")
    return "markdown" if _MD_SIGNS.search(text) else "text"


def _is_docx(data: bytes) -> bool:
    """A zip holding word/document.xml; only its central directory is read here."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def _is_text(head: bytes) -> bool:
    """UTF-8 (a character cut at the end of the sample does not count against it)."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3
    return True
