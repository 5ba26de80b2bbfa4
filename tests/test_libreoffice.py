"""The DOCX outputs opened by a real client: LibreOffice converts each one to PDF, and the
converted text holds every heading and every list item of the brief."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from tests.helpers import pdf_pages, squash
from tests.parity import LIST_STYLES

SOFFICE = shutil.which("soffice")


@pytest.fixture(scope="module")
def converted(
    example_project: Path, feature_project: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Path, Path]]:
    """Every example and feature DOCX, converted in one LibreOffice run: name -> (docx, pdf)."""
    assert SOFFICE, "LibreOffice is installed by make test (libreoffice-writer-nogui)"
    out = tmp_path_factory.mktemp("libreoffice")
    documents = sorted((example_project / "output").glob("*.docx"))
    documents += sorted((feature_project / "output").glob("features*.docx"))
    profile = out / "profile"  # a private profile: no clash with another LibreOffice
    command = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless"]
    result = subprocess.run(
        [*command, "--convert-to", "pdf", "--outdir", str(out), *map(str, documents)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return {d.stem: (d, out / f"{d.stem}.pdf") for d in documents}


def test_every_docx_converts(converted: dict[str, tuple[Path, Path]]) -> None:
    assert len(converted) >= 5
    for name, (_, pdf) in converted.items():
        assert pdf.is_file() and pdf.stat().st_size > 1000, name


def test_headings_and_list_items_survive(converted: dict[str, tuple[Path, Path]]) -> None:
    for name, (word, pdf) in converted.items():
        text = squash("".join(pdf_pages(pdf)))
        for paragraph in docx.Document(str(word)).paragraphs:
            style = paragraph.style.name if paragraph.style is not None else ""
            if style.startswith(("Heading", *LIST_STYLES)):
                assert squash(paragraph.text) in text, f"{name}: {paragraph.text!r}"


def test_footnotes_and_page_fields_render(converted: dict[str, tuple[Path, Path]]) -> None:
    _, pdf = converted["features"]
    pages = pdf_pages(pdf)
    assert "The feature fixture's own footnote." in "".join(pages)
    # PAGE and NUMPAGES fields evaluated by the client
    assert f"Page 2 of {len(pages)}" in pages[1]
