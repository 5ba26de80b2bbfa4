"""The provenance manifest inside a DOCX: a custom XML part, as Word keeps a document's own data
(customXml/itemN.xml with its itemPropsN.xml, related from the main document part), and the
manifest's SHA-256 among the custom properties (package.set_custom_properties)."""

from __future__ import annotations

import uuid

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from briefwright.provenance.manifest import SCHEMA, VERSION, XML_NAMESPACE, manifest_sha256

# the custom XML part's root element: {XML_NAMESPACE}manifest, the JSON its text
NAMESPACE = XML_NAMESPACE
ROOT = "manifest"
_DATASTORE = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"


def add_manifest_part(document: Document, manifest: str) -> None:
    """customXml/itemN.xml holding `manifest` (its JSON), with the item properties Word reads
    (a GUID, from the manifest's hash so that a rebuild is identical, and the schema)."""
    main = document.part
    package = main.package
    item_name = package.next_partname("/customXml/item%d.xml")
    number = item_name[len("/customXml/item") : -len(".xml")]
    item = Part(item_name, CONTENT_TYPE.XML, _item_xml(manifest), package)
    props_name = PackURI(f"/customXml/itemProps{number}.xml")
    props = Part(props_name, CONTENT_TYPE.OFC_CUSTOM_XML_PROPERTIES, _props_xml(manifest), package)
    item.relate_to(props, RELATIONSHIP_TYPE.CUSTOM_XML_PROPS)
    main.relate_to(item, RELATIONSHIP_TYPE.CUSTOM_XML)


def _item_xml(manifest: str) -> bytes:
    root = etree.Element(f"{{{NAMESPACE}}}{ROOT}", nsmap={None: NAMESPACE})
    root.set("schema", SCHEMA)
    root.set("version", str(VERSION))
    root.text = manifest
    return _bytes(root)


def _props_xml(manifest: str) -> bytes:
    guid = uuid.uuid5(uuid.NAMESPACE_URL, f"{NAMESPACE}:{manifest_sha256(manifest)}")
    root = etree.Element(f"{{{_DATASTORE}}}datastoreItem", nsmap={"ds": _DATASTORE})
    root.set(f"{{{_DATASTORE}}}itemID", "{" + str(guid).upper() + "}")
    refs = etree.SubElement(root, f"{{{_DATASTORE}}}schemaRefs")
    etree.SubElement(refs, f"{{{_DATASTORE}}}schemaRef").set(f"{{{_DATASTORE}}}uri", NAMESPACE)
    return _bytes(root)


def _bytes(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=False)
    return data
