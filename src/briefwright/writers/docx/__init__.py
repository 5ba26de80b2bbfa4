"""The model -> DOCX with python-docx, on the template's reference.docx (never from HTML).

Split by job, as Pandoc splits its Writers/Docx: `package` (the reference document, properties,
parts, bytes), `front` (cover, contents, headers and footers), `blocks` (blocks and inlines),
and `oxml`, the one module that builds raw WordprocessingML where python-docx has no API.
"""

from __future__ import annotations

from briefwright import model as m
from briefwright.conditions import select_briefing
from briefwright.errors import Reporter
from briefwright.provenance.manifest import SHA256_PROPERTY, manifest_sha256
from briefwright.templates import Template
from briefwright.writers import Rendered
from briefwright.writers.docx import front, package
from briefwright.writers.docx.blocks import bibliography_bookmarks, write_block
from briefwright.writers.docx.captions import caption_bookmarks, caption_list_fields
from briefwright.writers.docx.manifest import add_manifest_part
from briefwright.writers.docx.state import State, Story


def render_docx(briefing: m.Briefing, template: Template, reporter: Reporter) -> Rendered:
    briefing = select_briefing(briefing, "docx")
    document = package.open_reference(template)
    notes = Story(package.add_footnotes_part(document))
    state = State(document, briefing, reporter, notes)
    state.bookmarks = {h.id: f"_Toc{n:05d}" for n, h in enumerate(briefing.headings, 1)}
    state.bookmarks.update(caption_bookmarks(briefing))
    state.bookmarks |= bibliography_bookmarks(briefing.blocks)
    package.set_core_properties(document, briefing.meta)
    front.page_setup(document.sections[0], briefing.meta)
    if template.info.cover:
        front.cover(state)
    else:
        front.title_block(state)
    if template.info.toc:
        front.table_of_contents(state)
    caption_list_fields(state)
    for block in briefing.blocks:
        write_block(block, state, depth=0)
    package.set_app_properties(document)
    front.headers_and_footers(document, briefing.meta)
    properties = [("Classification", briefing.meta.marking)] if briefing.meta.marking else []
    if briefing.meta.manifest:  # provenance (issue 18): the part, and its hash as a property
        add_manifest_part(document, briefing.meta.manifest)
        properties.append((SHA256_PROPERTY, manifest_sha256(briefing.meta.manifest)))
    package.set_custom_properties(document, properties)
    return Rendered(package.package_bytes(document))
