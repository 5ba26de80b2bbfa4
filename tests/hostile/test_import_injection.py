"""An imported document must not write Markdown syntax into the source it becomes: above all no
attribute block that marks a section lower than the document it came from (issue 14). Its text
is escaped; a marking then sits in the heading's text, which `brief check` refuses: it fails
closed instead of releasing red text in a clear brief."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
import weasyprint

from tests.helpers import run

BLOCK = '{#pub marking="TLP:CLEAR"}'


def _word() -> bytes:
    document = docx.Document()
    document.add_heading("Leak", level=0)
    document.add_paragraph("The body of the document, from a red source.")
    document.add_heading(f"Public part {BLOCK}", level=1)
    document.add_paragraph("Text that came from a red document and must stay red whatever it says.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf() -> bytes:
    html = (
        "<h1 style='font-size:24pt'>Leak</h1><p>The body of the document, from a red source.</p>"
        f"<h2 style='font-size:16pt'>Public part {BLOCK}</h2>"
        "<p>Text that came from a red document and must stay red whatever it says.</p>"
    )
    written = weasyprint.HTML(string=html).write_pdf()
    assert isinstance(written, bytes)
    return written


GENERATED: dict[str, Callable[[], bytes]] = {"page.docx": _word, "page.pdf": _pdf}
INPUTS = {
    "page.html": (
        "<html><head><title>Leak</title></head><body><article><h1>Leak</h1>"
        "<p>The body of the page holds enough words to be the main content of it.</p>"
        f"<h2>Public part {BLOCK}</h2>"
        "<p>Text that came from a red page and must stay red whatever it says.</p>"
        "<p>More words in the same article, so that the extractor keeps all of it.</p>"
        "</article></body></html>"
    ),
    "page.txt": (
        f"Leak\n\nPublic part {BLOCK}\n"
        "Text that came from a red export and must stay red whatever it says here.\n"
    ),
}


@pytest.mark.parametrize("name", sorted([*INPUTS, *GENERATED]))
def test_issue_14_an_imported_heading_cannot_mark_its_section(tmp_path: Path, name: str) -> None:
    for folder in ("sources", "briefings", "output"):
        (tmp_path / folder).mkdir()
    (tmp_path / "briefwright.toml").write_text('[markings]\nscheme = "tlp"\n', encoding="utf-8")
    if name in GENERATED:
        (tmp_path / name).write_bytes(GENERATED[name]())
    else:
        (tmp_path / name).write_text(INPUTS[name], encoding="utf-8")
    imported = run(tmp_path, "import", str(tmp_path / name), "--id", "leak", "--marking", "TLP:RED")
    assert imported.exit_code == 0, imported.output
    source = (tmp_path / "sources" / "leak.md").read_text(encoding="utf-8")
    # escaped (Word's reader escapes the '#' as well): text, not an attribute block
    assert re.search(r'Public part \\\{\\?#pub marking="TLP:CLEAR"\\\}', source), source
    assert "\\\\{" not in source  # escaped once: a doubled backslash would be shown in the brief
    (tmp_path / "briefings" / "leak.yaml").write_text(
        "title: Leak\nformats: [html]\nmarking: TLP:CLEAR\nsections:\n  - from: leak#pub\n",
        encoding="utf-8",
    )
    checked = run(tmp_path, "check")
    assert checked.exit_code == 1, checked.output  # never a clear brief of red text
    built = run(tmp_path, "build")
    assert built.exit_code == 1, built.output
    assert not (tmp_path / "output" / "leak.html").exists()
