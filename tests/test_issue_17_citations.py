"""Issue 17, citations and bibliography: Pandoc's `[@key]` syntax read, formatted by citeproc-py
with the shipped author-date style, linked to a References section in PDF, HTML and DOCX, the
same text as `pandoc --citeproc` with the same style, unknown keys refused at their line, and
the bibliography an input of exactly the outputs that cite."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import lxml.html
import pypdf
import pytest
import yaml
from docx.oxml.ns import qn

from briefwright import model as m
from briefwright.citations import default_style
from briefwright.errors import Problem
from briefwright.project import Project
from briefwright.readers.sources import read_source
from briefwright.spec.schema import ProjectConfig
from tests.helpers import REPO, pdf_pages, run, squash
from tests.parity import assert_parity

CASES: list[dict[str, Any]] = yaml.safe_load(
    (REPO / "tests" / "cases" / "citations.yaml").read_text(encoding="utf-8")
)
# The feature fixture's cited paragraph (sources/features.md, "Sources cited").
CITED = (
    "Supply lines fail first in winter (Lee, 2021, p. 50). Smith and Doe (2020) argue the"
    " same, as do others (see Smith and Doe, 2020, pp. 4\u20135; Example Agency, 2024). The"
    " agency said so itself (2024). Write to ops@example.org for copies."
)
ENTRIES = [
    "Example Agency (2024) Annual readiness review. Brussels: Example Agency.",
    "Lee, M. (2021) “Supply lines and winter,” Journal of Field Studies, 12(3), pp. 45\u201367.",
    "Smith, J. and Doe, J. (2020) Logistics in contested regions. London: Example Press.",
]


def _shown(cite: m.Cite) -> str:
    keys = " ".join(("-" if i.suppress_author else "") + i.key for i in cite.items)
    first = cite.items[0]
    kind = "in-text" if cite.in_text else "bracketed"
    return f"{cite.written} | {keys} | {kind} | {first.prefix} | {first.suffix}"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_citation_syntax_is_read(case: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    path = tmp_path / "sources" / "case.md"
    path.write_text(case["text"] + "\n", encoding="utf-8")
    warnings: list[Problem] = []
    source = read_source(path.resolve(), Project(tmp_path.resolve(), ProjectConfig()), warnings)
    runs = [run for block in source.blocks for r in m.inline_children(block) for run in r]
    cites = [_shown(run) for run in runs if isinstance(run, m.Cite)]
    assert cites == [" | ".join(p.strip() for p in c.split("|")) for c in case["cites"]]
    assert all("citation" not in str(w) for w in warnings), warnings


# --- the feature fixture: every output ----------------------------------------------------------


def test_html_citations_link_to_their_entries(feature_project: Path) -> None:
    tree = lxml.html.parse(str(feature_project / "output" / "features.html"))
    cited = tree.xpath('//h2[@id="cited"]/following-sibling::p[1]')[0]
    assert " ".join("".join(cited.itertext()).split()) == CITED
    links = [(a.text, a.get("href")) for a in cited.iter("a")]
    assert links == [
        ("(Lee, 2021, p. 50)", "#ref-lee2021"),
        ("Smith and Doe (2020)", "#ref-smith2020"),
        ("see Smith and Doe, 2020, pp. 4\u20135", "#ref-smith2020"),  # each work its own link
        ("Example Agency, 2024", "#ref-nato2024"),
        ("(2024)", "#ref-nato2024"),
    ]
    entries = tree.xpath('//div[@id="refs"]/div[contains(@class, "csl-entry")]')
    assert [" ".join("".join(e.itertext()).split()) for e in entries] == ENTRIES
    assert [e.get("id") for e in entries] == ["ref-nato2024", "ref-lee2021", "ref-smith2020"]
    heading = tree.xpath('//div[@id="refs"]/preceding-sibling::*[1]')[0]
    assert (heading.tag, heading.text) == ("h1", "References")
    assert entries[1].xpath(".//em")[0].text == "Journal of Field Studies"


def test_pdf_citations_and_bibliography(feature_project: Path) -> None:
    pdf = feature_project / "output" / "features.pdf"
    text = squash("".join(pdf_pages(pdf)))
    assert squash(CITED) in text
    at = text.find(squash("References" + ENTRIES[0]))
    assert at > text.find(squash(CITED)), "the bibliography comes after the text citing it"
    for entry in ENTRIES:
        assert squash(entry) in text[at:]
    # every citation is a link inside the document (a named destination, not a URI)
    reader = pypdf.PdfReader(pdf)
    destinations = reader.named_destinations
    internal = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            target = annotation.get_object().get("/Dest") or annotation.get_object().get("/A")
            if isinstance(target, str | bytes) or str(target).startswith("ref-"):
                internal.append(str(target))
    assert {"ref-lee2021", "ref-smith2020", "ref-nato2024"} <= set(destinations)
    assert {"ref-lee2021", "ref-smith2020", "ref-nato2024"} <= set(internal)


def test_docx_bibliography_style_and_links(feature_project: Path) -> None:
    document = docx.Document(str(feature_project / "output" / "features.docx"))
    entries = [p for p in document.paragraphs if p.style and p.style.name == "Bibliography"]
    assert [p.text for p in entries] == ENTRIES
    body = document.element.body
    marks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    anchors = [h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink"))]
    bib_anchors = [a for a in anchors if a and a.startswith("_Bib")]
    assert bib_anchors == ["_Bib00002", "_Bib00003", "_Bib00003", "_Bib00001", "_Bib00001"]
    assert set(bib_anchors) <= marks
    cited = next(p for p in document.paragraphs if p.text.startswith("Supply lines"))
    assert cited.text == CITED
    first = entries[0]._p
    assert first.find(qn("w:bookmarkStart")).get(qn("w:name")) == "_Bib00001"


def test_parity_covers_the_bibliography(feature_project: Path) -> None:
    out = feature_project / "output"
    assert_parity(out / "features.docx", out / "features.pdf")


def test_pandoc_gives_the_same_text(feature_project: Path, tmp_path: Path) -> None:
    """pandoc --citeproc with the shipped style on the same paragraph and .bib: the same
    citation and bibliography text, whitespace normalised."""
    pandoc = shutil.which("pandoc") or _pypandoc_binary()
    markdown = (
        REPO / "tests" / "fixtures" / "feature-project" / "sources" / "features.md"
    ).read_text(encoding="utf-8")
    paragraph = markdown.split("## Sources cited {#cited}\n", 1)[1].split("\n\n", 1)[0]
    (tmp_path / "in.md").write_text(paragraph + "\n", encoding="utf-8")
    bib = REPO / "tests" / "fixtures" / "feature-project" / "references.bib"
    command = [pandoc, str(tmp_path / "in.md"), "--citeproc", "--bibliography", str(bib)]
    command += ["--csl", str(default_style()), "-t", "plain", "--wrap=none"]
    result = subprocess.run(command, capture_output=True, check=True, text=True)
    blocks = [" ".join(b.split()) for b in result.stdout.split("\n\n") if b.strip()]
    assert blocks == [CITED, *ENTRIES]
    tree = lxml.html.parse(str(feature_project / "output" / "features.html"))
    cited = tree.xpath('//h2[@id="cited"]/following-sibling::p[1]')[0]
    entries = tree.xpath('//div[contains(@class, "csl-entry")]')
    ours = [" ".join("".join(e.itertext()).split()) for e in [cited, *entries]]
    assert ours == blocks


def _pypandoc_binary() -> str:
    import pypandoc  # type: ignore[import-untyped]

    return str(pypandoc.get_pandoc_path())


# --- errors, placement, other formats -----------------------------------------------------------


def test_unknown_key_names_its_line_and_the_nearest_key(scratch_project: Path) -> None:
    source = scratch_project / "sources" / "features.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("[@lee2021, p. 50]", "[@lee2012, p. 50]"), encoding="utf-8")
    line = next(n for n, t in enumerate(source.read_text().splitlines(), 1) if "@lee2012" in t)
    for command in ("check", "build"):
        result = run(scratch_project, command, "features")
        assert result.exit_code != 0, result.output
        assert (
            f"sources/features.md:{line}: citation '@lee2012': no such key in the bibliography;"
            " did you mean 'lee2021'?"
        ) in result.output


def test_unknown_name_in_the_text_is_a_warning(scratch_project: Path) -> None:
    """`@someone` in the text may be a handle: shown as written, with a warning and the
    nearest key; the known citations around it are still formatted."""
    source = scratch_project / "sources" / "features.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Write to ops", "Ask @smtih2020 or ops"), encoding="utf-8")
    result = run(scratch_project, "build", "features", "--format", "html")
    assert result.exit_code == 0, result.output
    assert (
        "citation '@smtih2020' shown as written: no such key in the bibliography; did you"
        " mean 'smith2020'?"
    ) in result.output
    page = (scratch_project / "output" / "features.html").read_text(encoding="utf-8")
    assert "Ask @smtih2020 or ops" in page and ">Smith and Doe (2020)</a>" in page


def test_bibliography_where_refs_div_stands(scratch_project: Path) -> None:
    source = scratch_project / "sources" / "features.md"
    text = source.read_text(encoding="utf-8")
    text = text.replace(
        "## Repeated title\n\nFirst", "::: {#refs}\n:::\n\n## Repeated title\n\nFirst"
    )
    source.write_text(text, encoding="utf-8")
    result = run(scratch_project, "build", "features", "--format", "html")
    assert result.exit_code == 0, result.output
    page = (scratch_project / "output" / "features.html").read_text(encoding="utf-8")
    assert page.count('id="refs"') == 1
    assert ">References</h1>" not in page
    assert page.find('id="ref-lee2021"') < page.find("Repeated title</h2>")


def test_csl_json_and_yaml_bibliographies(scratch_project: Path) -> None:
    items = [
        {"id": "smith2020", "type": "book", "title": "Logistics in contested regions",
         "author": [{"family": "Smith", "given": "Jane"}, {"family": "Doe", "given": "John"}],
         "publisher": "Example Press", "publisher-place": "London",
         "issued": {"date-parts": [[2020]]}},
        {"id": "lee2021", "type": "article-journal", "title": "Supply lines and winter",
         "author": [{"family": "Lee", "given": "Min"}], "container-title":
         "Journal of Field Studies", "issued": {"date-parts": [[2021]]}},
        {"id": "nato2024", "type": "report", "title": "Annual readiness review",
         "author": [{"literal": "Example Agency"}], "issued": {"date-parts": [[2024]]}},
    ]  # fmt: skip
    import json

    (scratch_project / "refs.json").write_text(json.dumps(items), encoding="utf-8")
    (scratch_project / "refs.yaml").write_text(yaml.safe_dump({"references": items}), "utf-8")
    config = scratch_project / "briefwright.toml"
    base = config.read_text(encoding="utf-8")
    for name in ("refs.json", "refs.yaml"):
        config.write_text(base.replace("references.bib", name), encoding="utf-8")
        result = run(scratch_project, "build", "features", "--format", "html")
        assert result.exit_code == 0, result.output
        page = (scratch_project / "output" / "features.html").read_text(encoding="utf-8")
        assert "Smith and Doe (2020)" in page and 'id="ref-nato2024"' in page, name


def test_briefing_bibliography_and_csl_over_the_project(scratch_project: Path) -> None:
    """`bibliography:` and `csl:` in the briefing; a style of the project's own is used."""
    shutil.move(scratch_project / "references.bib", scratch_project / "mine.bib")
    style = default_style().read_text(encoding="utf-8")
    numeric = style.replace('<layout prefix="(" suffix=")"', '<layout prefix="[" suffix="]"')
    assert numeric != style
    (scratch_project / "square.csl").write_text(numeric, encoding="utf-8")
    briefing = scratch_project / "briefings" / "features.yaml"
    text = briefing.read_text(encoding="utf-8")
    briefing.write_text(text + "bibliography: mine.bib\ncsl: square.csl\n", encoding="utf-8")
    result = run(scratch_project, "build", "features", "--format", "html")
    assert result.exit_code == 0, result.output
    page = (scratch_project / "output" / "features.html").read_text(encoding="utf-8")
    assert ">[Lee, 2021, p. 50]</a>" in page


def test_editing_the_bib_rebuilds_only_what_cites(scratch_project: Path) -> None:
    assert run(scratch_project, "build", "--format", "html").exit_code == 0
    again = run(scratch_project, "build", "--format", "html")
    assert "0 output(s) built" in again.output, again.output
    bib = scratch_project / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("Winter", "Frost"), encoding="utf-8")
    result = run(scratch_project, "build", "--format", "html")
    assert result.exit_code == 0, result.output
    assert "wrote output/features.html" in result.output
    assert "wrote output/features-memo.html" in result.output
    assert "wrote output/small.html" not in result.output
    page = (scratch_project / "output" / "features.html").read_text(encoding="utf-8")
    assert "Supply lines and frost" in page
    assert "0 output(s) built" in run(scratch_project, "build", "--format", "html").output


def test_docx_keeps_field_free_text_when_reopened(feature_project: Path) -> None:
    """The DOCX's citations are plain hyperlinked runs: no field Word would recompute."""
    with zipfile.ZipFile(feature_project / "output" / "features.docx") as package:
        xml = package.read("word/document.xml").decode("utf-8")
    cited = xml[xml.find("Supply lines") : xml.find("for copies")]
    assert "w:fldChar" not in cited and "w:instrText" not in cited


def test_a_citation_in_a_footnote(scratch_project: Path) -> None:
    source = scratch_project / "sources" / "features.md"
    text = source.read_text(encoding="utf-8")
    old = "[^src]: The feature fixture's own footnote."
    source.write_text(text.replace(old, old[:-1] + " [@lee2021, p. 46]."), encoding="utf-8")
    result = run(scratch_project, "build", "features", "--format", "html", "--format", "docx")
    assert result.exit_code == 0, result.output
    notes = lxml.html.parse(str(scratch_project / "output" / "features.html"))
    note = notes.xpath('//section[@class="endnotes"]//li[@id="note-1"]')[0]
    assert "".join(note.itertext()).strip().endswith("own footnote (Lee, 2021, p. 46).")
    assert note.xpath(".//a/@href") == ["#ref-lee2021"]
    with zipfile.ZipFile(scratch_project / "output" / "features.docx") as package:
        footnotes = package.read("word/footnotes.xml").decode("utf-8")
    assert "(Lee, 2021, p. 46)" in footnotes


def test_references_end_the_body_before_the_sources_annex(scratch_project: Path) -> None:
    """With `sources_annex: true`, the References are the body's last section and the annex
    follows them, as in a report; in every format alike."""
    brief = scratch_project / "briefings" / "features.yaml"
    brief.write_text(brief.read_text(encoding="utf-8") + "sources_annex: true\n", "utf-8")
    result = run(scratch_project, "build", "features", "--format", "html", "--format", "docx")
    assert result.exit_code == 0, result.output
    page = (scratch_project / "output" / "features.html").read_text(encoding="utf-8")
    assert 0 < page.find(">References</h1>") < page.find("Annex: Sources</h1>")
    document = docx.Document(str(scratch_project / "output" / "features.docx"))
    headings = [p.text for p in document.paragraphs if p.style and p.style.name == "Heading 1"]
    assert headings[-2:] == ["References", "Annex: Sources"]
