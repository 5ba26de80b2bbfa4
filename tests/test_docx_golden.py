"""Golden `word/document.xml` for the feature briefing, pretty-printed so a diff reads line by
line; `pytest --update-golden` rewrites it (review the diff before committing)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

GOLDEN = Path(__file__).parent / "golden" / "features.document.xml"


def normalised_document_xml(path: Path) -> str:
    """The main document part, re-indented by lxml: one element per line, attributes in the
    order written, no whitespace-only text kept from the original."""
    with zipfile.ZipFile(path) as package:
        blob = package.read("word/document.xml")
    parser = etree.XMLParser(remove_blank_text=True)
    root = etree.fromstring(blob, parser)
    text: str = etree.tostring(root, pretty_print=True, encoding="unicode")
    return text


def test_feature_document_xml_matches_golden(feature_project: Path, update_golden: bool) -> None:
    produced = normalised_document_xml(feature_project / "output" / "features.docx")
    if update_golden:
        GOLDEN.write_text(produced, encoding="utf-8")
    assert produced == GOLDEN.read_text(encoding="utf-8")
