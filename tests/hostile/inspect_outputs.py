"""Everything an output file holds, as bytes to search: PDF streams and attachments, DOCX parts."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pypdf


def pdf_contents(path: Path) -> bytes:
    reader = pypdf.PdfReader(path)
    parts = [path.read_bytes()]
    for page in reader.pages:
        parts.append((page.extract_text() or "").encode())
    for name, blobs in reader.attachments.items():
        parts.append(name.encode())
        parts.extend(blobs)
    for number in range(1, int(str(reader.trailer["/Size"]))):
        obj = reader.get_object(number)
        if isinstance(obj, pypdf.generic.StreamObject):
            parts.append(obj.get_data())
    return b"\n".join(parts)


def docx_contents(path: Path) -> bytes:
    with zipfile.ZipFile(path) as package:
        return b"\n".join(package.read(name) for name in package.namelist())


def assert_complete(path: Path) -> None:
    """The file is whole: a PDF ends with %%EOF and opens; a DOCX opens; HTML ends properly."""
    if path.suffix == ".pdf":
        data = path.read_bytes()
        assert data.rstrip().endswith(b"%%EOF"), path
        assert len(pypdf.PdfReader(path).pages) >= 1
    elif path.suffix == ".docx":
        docx.Document(str(path))
    elif path.suffix == ".html":
        assert path.read_text(encoding="utf-8").rstrip().endswith("</html>"), path


def contents(path: Path) -> bytes:
    if path.suffix == ".pdf":
        return pdf_contents(path)
    if path.suffix == ".docx":
        return docx_contents(path)
    return path.read_bytes()
