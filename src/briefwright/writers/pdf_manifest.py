"""The provenance manifest inside a PDF: an embedded file, and a summary in the XMP metadata.

What each PDF variant allows decides where the manifest goes:
- no variant, PDF/UA-1: an embedded file (`briefwright-manifest.json`), a plain attachment;
- PDF/A-3: the same file as an associated file of the document (`/AF`, relationship Data);
- PDF/A-2: embedded files must themselves be PDF/A (WeasyPrint strips any other), so the whole
  manifest goes into the XMP summary instead, as one more property.
The XMP summary (briefing, variant, date, git commit, manifest SHA-256) is in every PDF: in
WeasyPrint's XMP for a PDF/A or PDF/UA variant (with the PDF/A extension schema that declares
its properties), and for a plain PDF, where WeasyPrint writes no XMP, in the same packet added
by `xmp_finisher` (WeasyPrint's public `finisher` hook, run before the trailer is written).
Nothing here reads the clock: two builds are identical.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

import weasyprint
from weasyprint.pdf.metadata import DocumentMetadata

from briefwright import model as m
from briefwright.provenance.manifest import FILE_NAME, XML_NAMESPACE, from_json, manifest_sha256

RELATIONSHIP = "Data"  # ISO 32000-2 7.11.3: data the visual presentation is derived from
XMP_NAMESPACE = XML_NAMESPACE + "#"  # XMP joins namespace and name: urn:...:1#briefing
XMP_PREFIX = "briefwright"
XMP_MANIFEST = "manifest"  # the property holding the whole manifest where no file may be

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_EXTENSION = "http://www.aiim.org/pdfa/ns/extension/"
_SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"
_PROPERTY = "http://www.aiim.org/pdfa/ns/property#"

for _prefix, _uri in (
    ("pdfaExtension", _EXTENSION),
    ("pdfaSchema", _SCHEMA),
    ("pdfaProperty", _PROPERTY),
    (XMP_PREFIX, XMP_NAMESPACE),
):
    register_namespace(_prefix, _uri)  # the prefixes PDF/A validators expect

# (name, description) of the summary's properties, all XMP Text
_SUMMARY = (
    ("briefing", "The briefing (NAME or NAME.VARIANT) the document was built from"),
    ("pdfVariant", "The PDF variant the document conforms to"),
    ("date", "The briefing's resolved date"),
    ("gitCommit", "The git commit of the project, with -dirty when it had changes"),
    ("manifestSHA256", "SHA-256 of the provenance manifest (briefwright-manifest.json)"),
    (XMP_MANIFEST, "The provenance manifest, as JSON, where no embedded file is allowed"),
)


def may_embed_file(variant: str | None) -> bool:
    """Whether the variant allows a JSON embedded file: PDF/A-1 and PDF/A-2 do not."""
    return variant is None or not variant.startswith(("pdf/a-1", "pdf/a-2"))


def manifest_attachments(meta: m.BriefingMeta) -> list[weasyprint.Attachment]:
    """The manifest as the PDF's one embedded file, where there is one and it may be."""
    if not meta.manifest or not may_embed_file(meta.pdf_variant):
        return []
    # dated by the briefing, as the document is: an attachment never carries the build's time
    moment = dt.datetime.combine(meta.date, dt.time(0, 0))
    return [
        weasyprint.Attachment(
            string=meta.manifest.encode("utf-8"),
            name=FILE_NAME,
            description="briefwright provenance manifest",
            created=moment,
            modified=moment,
            relationship=RELATIONSHIP,
        )
    ]


def with_summary(document: Any, meta: m.BriefingMeta) -> None:
    """Give the rendered `document` metadata whose XMP carries the manifest's summary."""
    if not meta.manifest:
        return
    values = _summary(meta)
    summarised = _SummarisedMetadata.__new__(_SummarisedMetadata)
    summarised.__dict__.update(vars(document.metadata))
    summarised.summary = values
    document.metadata = summarised


def xmp_finisher(meta: m.BriefingMeta) -> Callable[[Any, Any], None] | None:
    """For a plain PDF with a manifest: a finisher that writes the document's XMP (WeasyPrint
    writes it only for a variant), so the summary is in every PDF; None otherwise."""
    if not meta.manifest or meta.pdf_variant is not None:
        return None

    def finish(document: Any, pdf: Any) -> None:
        document.metadata.include_in_pdf(pdf, None, None, None, compress=True)

    return finish


def _summary(meta: m.BriefingMeta) -> dict[str, str]:
    manifest = from_json(meta.manifest.encode("utf-8"), "the document")
    git = manifest.git
    values = {
        "briefing": manifest.briefing,
        "date": manifest.date,
        "manifestSHA256": manifest_sha256(meta.manifest),
    }
    if meta.pdf_variant is not None:
        values["pdfVariant"] = meta.pdf_variant
    if git is not None:  # not a git repository: no property rather than an empty one
        values["gitCommit"] = git.commit + ("-dirty" if git.dirty else "")
    if not may_embed_file(meta.pdf_variant):
        values[XMP_MANIFEST] = meta.manifest
    return values


class _SummarisedMetadata(DocumentMetadata):  # type: ignore[misc]
    """WeasyPrint's document metadata, with briefwright's description added inside the one
    rdf:RDF element (readers such as pypdf look at the first rdf:RDF only)."""

    summary: dict[str, str]

    def generate_rdf_metadata(self, variant: Any, version: Any, conformance: Any) -> bytes:
        rdf: bytes = super().generate_rdf_metadata(variant, version, conformance)
        end = rdf.rindex(b"</rdf:RDF>")
        return rdf[:end] + _descriptions(self.summary) + rdf[end:]


def _descriptions(values: dict[str, str]) -> bytes:
    """The extension schema (PDF/A requires each custom property declared) and the values."""
    schema = Element(f"{{{_RDF}}}Description", {f"{{{_RDF}}}about": ""})
    bag = SubElement(SubElement(schema, f"{{{_EXTENSION}}}schemas"), f"{{{_RDF}}}Bag")
    entry = SubElement(bag, f"{{{_RDF}}}li", {f"{{{_RDF}}}parseType": "Resource"})
    SubElement(entry, f"{{{_SCHEMA}}}schema").text = "briefwright provenance summary"
    SubElement(entry, f"{{{_SCHEMA}}}namespaceURI").text = XMP_NAMESPACE
    SubElement(entry, f"{{{_SCHEMA}}}prefix").text = XMP_PREFIX
    properties = SubElement(SubElement(entry, f"{{{_SCHEMA}}}property"), f"{{{_RDF}}}Seq")
    for name, description in _SUMMARY:
        if name not in values:
            continue
        item = SubElement(properties, f"{{{_RDF}}}li", {f"{{{_RDF}}}parseType": "Resource"})
        SubElement(item, f"{{{_PROPERTY}}}name").text = name
        SubElement(item, f"{{{_PROPERTY}}}valueType").text = "Text"
        SubElement(item, f"{{{_PROPERTY}}}category").text = "external"
        SubElement(item, f"{{{_PROPERTY}}}description").text = description
    data = Element(f"{{{_RDF}}}Description", {f"{{{_RDF}}}about": ""})
    for name, _ in _SUMMARY:
        if name in values:
            SubElement(data, f"{{{XMP_NAMESPACE}}}{name}").text = values[name]
    return b"\n".join(_xml(element) for element in (schema, data))


def _xml(element: Element) -> bytes:
    """The element with its own namespace declarations (it is pasted inside rdf:RDF)."""
    return tostring(element, encoding="unicode").encode("utf-8")
