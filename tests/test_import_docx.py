"""The DOCX reader of `brief import` on real Word documents from pandoc's and mammoth's test
data (tests/data/import/README-docx.md), on hostile packages, and through `brief build`."""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

import docx
import pytest

from briefwright.errors import BriefwrightError
from briefwright.importing.docx import read
from briefwright.importing.model import Imported
from briefwright.readers.images import MAX_IMAGE_BYTES
from tests.helpers import SHARED_DATA, needs_shared_data, pdf_pages, run

DATA = SHARED_DATA / "docx"
pytestmark = needs_shared_data(DATA)


def imported(name: str) -> Imported:
    return read((DATA / name).read_bytes(), name)


def headings(markdown: str) -> list[str]:
    return re.findall(r"^#{1,6} .*$", markdown, flags=re.M)


def test_headings_by_style_one_level_below_the_title() -> None:
    result = imported("pandoc-headers.docx")
    assert headings(result.markdown) == [
        "## A Test of Headers",
        "### Second Level",
        "#### Third level",
        "##### Fourth level",
        "###### Fifth level",
        "###### Sixth level",
    ]
    # "Heading 7" is no style in that document: a paragraph, as pandoc reads it
    assert "\n\nSeventh level\n\n" in result.markdown


def test_heading_by_outline_level_in_paragraph_and_in_style() -> None:
    source = (DATA / "pandoc-headers.docx").read_bytes()
    styles = _part(source, "word/styles.xml")
    document = _part(source, "word/document.xml")
    # a style named otherwise that keeps Heading 2's outline level; a plain paragraph with one
    styles = styles.replace(b'w:val="heading 2"', b'w:val="Chapter part"')
    first = document.index(b"Some plain text")
    start = document.rindex(b"<w:p ", 0, first)
    end = document.index(b">", start) + 1  # that paragraph has no properties of its own
    document = document[:end] + b'<w:pPr><w:outlineLvl w:val="0"/></w:pPr>' + document[end:]
    changed = _replace(source, {"word/styles.xml": styles, "word/document.xml": document})
    found = headings(read(changed, "outline.docx").markdown)
    assert found[:3] == ["## A Test of Headers", "### Second Level", "## Some plain text."]


def test_title_author_date_from_the_document_then_core_properties() -> None:
    result = imported("pandoc-metadata.docx")
    assert (result.title, result.author, result.date) == (
        "This Is the Title",
        "Mary Ann Evans, Aurore Dupin",
        "2014-07-28",
    )
    assert "This Is the Title" not in result.markdown
    core = imported("pandoc-headers.docx")  # no Title paragraph: docProps/core.xml
    assert (core.title, core.author, core.date) == (None, "Jesse Rosenthal", "2014-06-12")


def test_lists_keep_nesting_and_numbering() -> None:
    markdown = imported("pandoc-lists.docx").markdown
    assert "1. one\n2. two\n   1. a\n   2. b\n- one\n- two\n  - three\n    - four\n" in markdown
    assert imported("mammoth-simple-list.docx").markdown == "- Apple\n- Banana\n"


def test_tables_are_pipe_tables() -> None:
    markdown = imported("pandoc-tables.docx").markdown
    assert "| Name | Game | Fame | Blame |\n|---|---|---|---|\n" in markdown
    assert "| Lebron James | Basketball | Very High | Leaving Cleveland |" in markdown
    # two paragraphs in one cell stay in the cell
    assert "| Simple Multiparagraph | Table Full |" in markdown
    assert imported("mammoth-tables.docx").markdown == (
        "Above\n\n| Top left | Top right |\n|---|---|\n| Bottom left | Bottom right |\n\nBelow\n"
    )


def test_table_cell_with_a_pipe_cannot_split_the_row() -> None:
    source = (DATA / "mammoth-tables.docx").read_bytes()
    document = _part(source, "word/document.xml").replace(b"Top left", b"a | b")
    markdown = read(_replace(source, {"word/document.xml": document}), "pipe.docx").markdown
    assert "| a \\| b | Top right |" in markdown


def test_footnotes_and_endnotes_become_markdown_notes() -> None:
    notes = imported("pandoc-notes.docx").markdown
    assert "Test footnote.[^1] Test endnote.[^2]" in notes
    assert "[^1]: My note." in notes
    assert "[^2]: This is an endnote at the end of the document." in notes
    assert imported("mammoth-footnotes.docx").markdown == (
        "Ouch[^1].[^2]\n\n[^1]: A tachyon walks into a bar.\n\n[^2]: Fin.\n"
    )


def test_external_links_kept_internal_anchors_as_text() -> None:
    markdown = imported("pandoc-links.docx").markdown
    assert "An [external link](<http://google.com>) to a popular website." in markdown
    assert "[external link](<http://pandoc.org/README.html#synopsis>)" in markdown
    assert "An internal link to a section header." in markdown
    assert "An internal link to a bookmark." in markdown


def test_bold_and_italic() -> None:
    markdown = imported("pandoc-inline_formatting.docx").markdown
    assert "Regular text *italics* **bold** ***bold italics***." in markdown
    assert "single underlines for *emphasis*." in markdown


def test_embedded_image_is_checked_and_named_after_the_input() -> None:
    result = imported("mammoth-tiny-picture.docx")
    assert result.markdown == "![](img/mammoth-tiny-picture-1.png)\n"
    assert [i.name for i in result.images] == ["img/mammoth-tiny-picture-1.png"]
    assert result.images[0].data.startswith(b"\x89PNG")


def test_image_alt_text_from_the_drawing_description() -> None:
    result = imported("pandoc-image.docx")
    alt = "He realizes he's making the file-size too big."
    assert f"![{alt}](img/pandoc-image-1.jpg)" in result.markdown
    assert result.images[0].data.startswith(b"\xff\xd8\xff")
    assert result.warnings == []
    assert imported("mammoth-tiny-picture.docx").warnings == [
        "image img/mammoth-tiny-picture-1.png has no alt text in the document; add it"
    ]


def test_linked_image_is_never_fetched_and_is_reported() -> None:
    result = imported("mammoth-external-picture.docx")
    assert result.images == []
    assert result.removed[0].text == "image 'tiny-picture.png'"
    assert result.removed[0].rule == "docx: linked image, never fetched"


def test_image_over_the_size_limit_is_reported_not_kept() -> None:
    source = (DATA / "mammoth-tiny-picture.docx").read_bytes()
    media = next(n for n in zipfile.ZipFile(io.BytesIO(source)).namelist() if "media/" in n)
    huge = _part(source, media) + random.Random(14).randbytes(MAX_IMAGE_BYTES)
    result = read(_replace(source, {media: huge}), "huge.docx")
    assert result.images == []
    assert [r.rule for r in result.removed] == ["docx: image over the image size limit"]


def test_image_that_is_not_a_raster_format_is_reported_not_kept() -> None:
    source = (DATA / "mammoth-tiny-picture.docx").read_bytes()
    media = next(n for n in zipfile.ZipFile(io.BytesIO(source)).namelist() if "media/" in n)
    result = read(_replace(source, {media: b"<svg onload='x'/>"}), "svg.docx")
    assert result.images == []
    assert [r.rule for r in result.removed] == ["docx: image not PNG, JPEG or GIF"]


HOSTILE_TEXT = (
    b"Above&#10;# Injected {marking=&quot;NR&quot;} &amp;copy; &lt;b&gt;x&lt;/b&gt; *y* C# #"
)


def test_document_text_cannot_become_markup(tmp_path: Path) -> None:
    source = (DATA / "mammoth-tables.docx").read_bytes()
    document = _part(source, "word/document.xml").replace(b">Above<", b">" + HOSTILE_TEXT + b"<")
    markdown = read(_replace(source, {"word/document.xml": document}), "text.docx").markdown
    assert markdown.startswith(
        'Above \\# Injected \\{marking="NR"\\} \\&copy; \\<b\\>x\\</b\\> \\*y\\* C\\# \\#\n'
    )
    for folder in ("sources", "briefings", "output"):
        (tmp_path / folder).mkdir()
    (tmp_path / "briefwright.toml").write_text("", encoding="utf-8")
    body = '---\ntitle: "Text"\n---\n\n' + markdown
    (tmp_path / "sources" / "text.md").write_text(body, encoding="utf-8")
    (tmp_path / "briefings" / "text.yaml").write_text(
        "title: Text\ndate: 2026-01-15\nformats: [html]\nsections:\n  - from: text\n",
        encoding="utf-8",
    )
    built = run(tmp_path, "build")
    assert built.exit_code == 0, built.output
    html = (tmp_path / "output" / "text.html").read_text(encoding="utf-8")
    assert "Injected</h" not in html and "<b>x" not in html and "©" not in html
    assert (
        "<p>Above # Injected {marking=&#34;NR&#34;} &amp;copy; &lt;b&gt;x&lt;/b&gt; *y* C# #</p>"
        in html
    )


def test_zip_bomb_is_refused_before_it_is_inflated() -> None:
    source = (DATA / "mammoth-tables.docx").read_bytes()
    bomb = _replace(source, {"word/document.xml": b"<" + b" " * (8 * 1024 * 1024) + b"/>"})
    with pytest.raises(BriefwrightError) as caught:
        read(bomb, "bomb.docx")
    assert str(caught.value).startswith("bomb.docx: not imported: the Word document member")
    assert "a zip bomb?" in str(caught.value)


def test_xxe_part_is_refused() -> None:
    source = (DATA / "mammoth-tables.docx").read_bytes()
    document = _part(source, "word/document.xml")
    evil = document.replace(
        b"<w:document ",
        b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document ',
        1,
    ).replace(b"Top left", b"&x;")
    with pytest.raises(BriefwrightError) as caught:
        read(_replace(source, {"word/document.xml": evil}), "xxe.docx")
    assert "part 'word/document.xml' has a DTD or an entity declaration" in str(caught.value)
    assert "root:" not in str(caught.value)


@pytest.mark.parametrize("data", [b"not a zip at all", b"PK\x03\x04" + b"\x00" * 40])
def test_not_a_word_document_is_one_line(data: bytes) -> None:
    with pytest.raises(BriefwrightError) as caught:
        read(data, "junk.docx")
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith("junk.docx: not imported: the Word document ")


def test_imported_docx_builds_to_pdf_and_docx_with_the_same_headings(tmp_path: Path) -> None:
    result = imported("pandoc-headers.docx")
    for folder in ("sources", "briefings", "output"):
        (tmp_path / folder).mkdir()
    (tmp_path / "briefwright.toml").write_text("", encoding="utf-8")
    front = f'---\ntitle: "Headers"\nauthor: "{result.author}"\ndate: {result.date}\n---\n\n'
    (tmp_path / "sources" / "headers.md").write_text(front + result.markdown, encoding="utf-8")
    (tmp_path / "briefings" / "headers.yaml").write_text(
        "title: Headers\ndate: 2026-01-15\nformats: [pdf, docx]\nsections:\n  - from: headers\n",
        encoding="utf-8",
    )
    built = run(tmp_path, "build")
    assert built.exit_code == 0, built.output
    expected = [h.lstrip("# ") for h in headings(result.markdown)]
    document = docx.Document(str(tmp_path / "output" / "headers.docx"))
    found = [
        p.text
        for p in document.paragraphs
        if p.style is not None and (p.style.name or "").startswith("Heading") and p.text
    ]
    assert [t for t in found if t in expected] == expected
    text = " ".join(" ".join(pdf_pages(tmp_path / "output" / "headers.pdf")).split())
    for heading in expected:
        assert heading in text


BUILT = ["pandoc-lists", "pandoc-tables", "pandoc-notes", "pandoc-links", "mammoth-tiny-picture"]


def test_imported_lists_tables_notes_links_image_build_cleanly(tmp_path: Path) -> None:
    for folder in ("sources", "briefings", "output"):
        (tmp_path / folder).mkdir()
    (tmp_path / "briefwright.toml").write_text("", encoding="utf-8")
    for name in BUILT:
        result = imported(f"{name}.docx")
        for image in result.images:  # beside the source, as brief import writes them
            (tmp_path / "sources" / image.name).parent.mkdir(exist_ok=True)
            (tmp_path / "sources" / image.name).write_bytes(image.data)
        body = result.markdown.replace("![](", "![A tiny picture](")  # alt text is required
        front = f'---\ntitle: "{name}"\n---\n\n'
        (tmp_path / "sources" / f"{name}.md").write_text(front + body, encoding="utf-8")
    sections = "".join(f"  - from: {name}\n" for name in BUILT)
    (tmp_path / "briefings" / "all.yaml").write_text(
        f"title: All\ndate: 2026-01-15\nformats: [pdf, docx]\nsections:\n{sections}",
        encoding="utf-8",
    )
    built = run(tmp_path, "build")
    assert built.exit_code == 0, built.output
    assert "warning:" not in built.output, built.output
    text = " ".join(" ".join(pdf_pages(tmp_path / "output" / "all.pdf")).split())
    for words in ("Leaving Cleveland", "My note.", "endnote at the end", "external link", "four"):
        assert words in text
    document = docx.Document(str(tmp_path / "output" / "all.docx"))
    assert len(document.inline_shapes) == 1
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "Leaving Cleveland" in cells


def _part(source: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(source)).read(name)


def _replace(source: bytes, parts: dict[str, bytes]) -> bytes:
    """The package `source` with some parts replaced, deflated as Word does."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            data = parts.get(info.filename, old.read(info.filename))
            new.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
