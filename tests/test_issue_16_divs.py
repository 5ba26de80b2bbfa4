"""Issue 16: fenced divs and bracketed spans read into the model, conditional content judged by
`conditions`, and callouts drawn in PDF, DOCX and HTML alike. The real documents are Quarto's
own test files (MIT; fetched, kept in ../shared/import-data/quarto/, not committed: the
tests that read them skip where they are absent)."""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
import lxml.html
import pytest
import yaml
from docx.oxml.ns import qn
from lxml import etree

from briefwright import conditions
from briefwright import model as m
from tests.helpers import (
    REPO,
    SHARED_DATA,
    needs_shared_data,
    pdf_pages,
    read_case_source,
    run,
    squash,
)
from tests.parity import assert_parity, docx_inventory, html_callouts

CASES = REPO / "tests" / "cases"
QUARTO = SHARED_DATA / "quarto"  # fetched: kept beside the project, never committed
needs_quarto = needs_shared_data(QUARTO)
DIV_CASES: list[dict[str, Any]] = yaml.safe_load((CASES / "divs.yaml").read_text("utf-8"))
CONDITION_CASES: list[list[Any]] = yaml.safe_load((CASES / "conditions.yaml").read_text("utf-8"))


# --- the reader ---------------------------------------------------------------------------------


def _attrs(classes: tuple[str, ...], ident: str | None, attributes: m.Attributes) -> str:
    inner = "".join(f".{c}" for c in classes) + (f"#{ident}" if ident else "")
    return "{" + inner + "".join(f" {k}={v}" for k, v in attributes) + "}"


def _inline(run: m.Inline) -> str:
    match run:
        case m.Span():
            inner = "".join(_inline(r) for r in run.inlines)
            return f"[{inner}]" + _attrs(run.classes, run.identifier, run.attributes)
        case m.Strong():
            return "**" + "".join(_inline(r) for r in run.children) + "**"
        case m.Code():
            return f"`{run.text}`"
        case m.Link():
            return "<" + "".join(_inline(r) for r in run.children) + ">"
        case m.FootnoteRef():
            return "^"
        case _:
            return m.plain_text((run,))


def sketch(block: m.Block) -> str:
    """A block in one line: `div{.note#id k=v}@LINE[child|child]`, `p TEXT`, `ul[...]`..."""
    match block:
        case m.Div():
            inner = "|".join(sketch(b) for b in block.blocks)
            attrs = _attrs(block.classes, block.identifier, block.attributes)
            return f"div{attrs}@{block.line}[{inner}]"
        case m.Paragraph():
            return "p " + "".join(_inline(r) for r in block.children)
        case m.CodeBlock():
            language = f"({block.language})" if block.language else ""
            return f"code{language} {block.text}"
        case m.BulletList():
            return "ul[" + "|".join(sketch(b) for i in block.items for b in i.blocks) + "]"
        case m.BlockQuote():
            return "quote[" + "|".join(sketch(b) for b in block.blocks) + "]"
        case _:
            return type(block).__name__


@pytest.mark.parametrize("case", DIV_CASES, ids=[c["name"] for c in DIV_CASES])
def test_issue_16_reader(case: dict[str, Any], tmp_path: Path) -> None:
    source, warnings = read_case_source(tmp_path, case["text"])
    assert [sketch(b) for b in source.blocks] == case["blocks"]
    if "warnings" in case:
        assert [str(w).removeprefix("sources/case.md:") for w in warnings] == case["warnings"]


def test_issue_16_div_line_counts_front_matter(tmp_path: Path) -> None:
    """A div's line is its opening fence's line in the file, front matter included."""
    source, _ = read_case_source(tmp_path, "---\ntitle: T\n---\n\n## A\n\n::: note\nX.\n:::\n")
    divs = [b for b in m.walk(source.blocks) if isinstance(b, m.Div)]
    assert [d.line for d in divs] == [7]


# --- conditions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("row", CONDITION_CASES, ids=[str(r) for r in CONDITION_CASES])
def test_issue_16_shown(row: list[Any]) -> None:
    classes, attributes, profile, fmt, expected = row
    attrs = tuple((str(k), str(v)) for k, v in attributes.items())
    assert conditions.shown(tuple(classes), attrs, profile=profile, fmt=fmt) is expected


def test_issue_16_describe() -> None:
    attrs = (("title", "T"), ("when-profile", "leadership"), ("unless-format", "docx"))
    described = conditions.describe(("note", "content-visible"), attrs)
    assert described == '.content-visible when-profile="leadership" unless-format="docx"'


def test_issue_16_shown_for_profile_ignores_format() -> None:
    attrs = (("when-profile", "a"), ("when-format", "docx"))
    assert conditions.shown_for_profile(("content-visible",), attrs, profile="a") is True
    assert conditions.shown_for_profile(("content-visible",), attrs, profile="b") is False
    assert conditions.shown_for_profile(("note",), attrs, profile="b") is None


def _hidden(text: str) -> m.Span:
    return m.Span(("content-hidden",), (), None, (m.Text(text),))


def test_issue_16_select_blocks_at_any_depth() -> None:
    """Hidden divs and spans go wherever they are: in lists, quotes, tables, definitions and
    footnotes; an item left empty goes, a list left empty goes."""
    gone = m.Div(
        ("content-visible",), (("when-format", "docx"),), None, (m.Paragraph((m.Text("D"),)),)
    )
    kept = m.Div(("note",), (), None, (m.Paragraph((m.Text("N"), _hidden("x"))),))
    blocks: tuple[m.Block, ...] = (
        m.BulletList((m.ListItem((gone,)), m.ListItem((m.Paragraph((m.Text("i"),)),)))),
        m.BulletList((m.ListItem((gone,)),)),
        m.BlockQuote((gone, kept)),
        m.Table((m.TableCell((m.Text("h"), _hidden("y"))),), (), ("",)),
        m.DefinitionList((m.Definition((_hidden("t"),), ((gone,),)),)),
    )
    keep = conditions.keeper(profile=None, fmt="pdf")
    selected = conditions.select_blocks(blocks, keep)
    text = " ".join(m.block_text(b) for b in selected)
    assert text.split() == ["i", "N", "h"]
    assert len(selected) == 4  # the list holding only the hidden div is gone
    briefing = m.Briefing(
        m.BriefingMeta(name="b", title="T", date=__import__("datetime").date(2026, 1, 1)),
        (gone,),
        (m.Footnote("k", 1, (m.Paragraph((m.Text("kept"), _hidden("z"))),)),),
    )
    for_docx = conditions.select_briefing(briefing, "docx")
    assert m.block_text(for_docx.blocks[0]) == "D"
    assert m.block_text(for_docx.footnotes[0].blocks[0]) == "kept"
    assert conditions.select_briefing(briefing, "pdf").blocks == ()


def test_issue_16_profile_in_meta_decides() -> None:
    div = m.Div(
        ("content-visible",), (("when-profile", "lead"),), None, (m.Paragraph((m.Text("L"),)),)
    )
    meta = m.BriefingMeta(name="b", title="T", date=__import__("datetime").date(2026, 1, 1))
    briefing = m.Briefing(meta, (div,), ())
    assert conditions.select_briefing(briefing, "html").blocks == ()
    led = replace(briefing, meta=replace(meta, profile="lead"))
    assert conditions.select_briefing(led, "html").blocks == (div,)


# --- outputs ------------------------------------------------------------------------------------

OWN_SOURCE = """---
title: Own
---

## Conditions

Everyone reads this[, and leaders this]{.content-visible when-profile="leadership"}.
[Not for leaders.]{.content-hidden when-profile="leadership"}
Small [caps]{.smallcaps} and [under]{.underline}.

::: {.content-visible unless-format="html"}
Printed only: PDF and DOCX.
:::

::: {.warning title="Check the figures"}
They are from 2024.

- a list item inside
:::

::: sidebar
A plain div with an unknown class.
:::
"""

BRIEFING = """title: Divs
date: 2026-01-15
formats: [pdf, docx, html]
sections:
  - title: From the briefing
    text: |
      ::: tip
      A tip written in the briefing.
      :::
  - from: own
  - from: callouts
  - from: when-format
"""

# (kind, title) of every callout, in order: Quarto's test file's first, titled by heading or by
# kind, then our own.
CALLOUTS = [
    "Tip: Tip",
    "Warning: Check the figures",
    "Warning: Warning",
    "Important: This is Important",
    "Note: Note",
    "Tip: Tip With Caption",
    "Tip: Caption with formatted text, like function_name()",
    "Caution: Expand To Learn About Collapse",
    "Note: Exercise",
    "Caution: Caution",
    "Caution: Caution",
    "Caution: Caution",
    "Caution: Caution",
    "Caution: Caution",
]
# Quarto's when-format.qmd: what each of our formats shows (Quarto's own expectations for its
# latex/pdf, html and docx outputs, without html:js, which is a Quarto HTML page with scripts).
VISIBLE = {
    "pdf": ["Only visible in LATEX", "Only visible in PDF"],
    "docx": ["Only visible in DOCX"],
    "html": ["Only visible in HTML"],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("divs")
    (project / "sources").mkdir()
    (project / "briefings").mkdir()
    (project / "sources" / "own.md").write_text(OWN_SOURCE, encoding="utf-8")
    shutil.copy(QUARTO / "callouts.qmd", project / "sources" / "callouts.md")
    shutil.copy(QUARTO / "when-format.qmd", project / "sources" / "when-format.md")
    (project / "briefings" / "divs.yaml").write_text(BRIEFING, encoding="utf-8")
    result = run(project, "build", "divs")
    assert result.exit_code == 0, result.output
    return project / "output"


def _docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    document = docx.Document(str(path))
    return [(p.style.name if p.style else "", p.text) for p in document.paragraphs]


@needs_quarto
def test_issue_16_callouts_in_every_format(built: Path) -> None:
    assert html_callouts(built / "divs.html") == CALLOUTS
    assert docx_inventory(built / "divs.docx").callouts == CALLOUTS
    assert_parity(built / "divs.docx", built / "divs.pdf", built / "divs.html")


@needs_quarto
def test_issue_16_callout_docx_styles(built: Path) -> None:
    paragraphs = _docx_paragraphs(built / "divs.docx")
    assert ("Warning Title", "Check the figures") in paragraphs
    assert ("Warning", "They are from 2024.") in paragraphs
    assert ("Important", "Danger, callouts will really improve your writing.") in paragraphs
    # the list item inside the warning keeps its list style, in the warning's box
    document = docx.Document(str(built / "divs.docx"))
    item = next(p for p in document.paragraphs if p.text == "a list item inside")
    assert item.style is not None and item.style.name == "List Bullet"
    body = etree.fromstring(zipfile.ZipFile(built / "divs.docx").read("word/document.xml"))
    p = next(p for p in body.iter(qn("w:p")) if "".join(p.itertext()) == "a list item inside")
    assert p.find(f"{qn('w:pPr')}/{qn('w:shd')}").get(qn("w:fill")) == "FDF6E3"
    # a heading that titles a callout is no heading of the document
    assert "This is Important" not in docx_inventory(built / "divs.docx").headings


def _texts(built: Path) -> dict[str, str]:
    html = lxml.html.parse(str(built / "divs.html")).xpath("//main")[0]
    word = "\n".join(text for _, text in _docx_paragraphs(built / "divs.docx"))
    return {
        "pdf": "".join(pdf_pages(built / "divs.pdf")),
        "docx": word,
        "html": html.text_content(),
    }


@needs_quarto
def test_issue_16_format_conditions(built: Path) -> None:
    for fmt, text in _texts(built).items():
        shown = sorted(line for line in text.splitlines() if "Only visible in" in line)
        assert [s.strip() for s in shown] == VISIBLE[fmt], fmt
        printed = "Printed only: PDF and DOCX." in text
        assert printed is (fmt != "html"), fmt


@needs_quarto
def test_issue_16_no_profile(built: Path) -> None:
    """Without variants there is no profile: when-profile content is left out everywhere,
    unless-profile (and content-hidden when-profile) content is kept."""
    for fmt, text in _texts(built).items():
        flat = squash(text)
        assert squash("Everyone reads this.") in flat, fmt
        assert "leaders this" not in text, fmt
        assert "Not for leaders." in text, fmt


@needs_quarto
def test_issue_16_spans_and_plain_divs(built: Path) -> None:
    page = lxml.html.parse(str(built / "divs.html"))
    assert page.xpath('//span[@class="smallcaps"]/text()') == ["caps"]
    assert page.xpath('//div[@class="sidebar"]/p/text()') == ["A plain div with an unknown class."]
    document = docx.Document(str(built / "divs.docx"))
    runs = [r for p in document.paragraphs for r in p.runs]
    assert next(r for r in runs if r.text == "caps").font.small_caps is True
    assert next(r for r in runs if r.text == "under").font.underline is True
    pdf = squash("".join(pdf_pages(built / "divs.pdf")))
    assert squash("A plain div with an unknown class.") in pdf
    assert ":::" not in pdf and "{." not in pdf


CONDITION_TYPOS = """## A

::: {.content-visible when-profle="leadership"}
X.
:::

::: content-visble
Y.
:::

Some [z]{.content-hidden when-meta="a"} text.

```{.python .content-hiden}
x
```
"""


def test_issue_16_a_condition_that_would_not_apply_is_an_error(tmp_path: Path) -> None:
    """A misspelt condition would show content meant to be hidden: an error naming its line
    and the fix, from `check` as from `build`; nothing is built."""
    (tmp_path / "sources").mkdir()
    (tmp_path / "briefings").mkdir()
    (tmp_path / "sources" / "s.md").write_text(CONDITION_TYPOS, encoding="utf-8")
    briefing = "title: T\ndate: 2026-01-01\nformats: [html]\nsections:\n  - from: s\n"
    (tmp_path / "briefings" / "b.yaml").write_text(briefing, encoding="utf-8")
    for command in ("check", "build"):
        result = run(tmp_path, command)
        assert result.exit_code == 1, result.output
        assert "sources/s.md:3: condition 'when-profle' is not supported" in result.output
        assert "did you mean 'when-profile'" in result.output
        assert "sources/s.md:7: class '.content-visble' is not a condition" in result.output
        assert "sources/s.md:11: condition 'when-meta' is not supported" in result.output
        assert "sources/s.md:13: class '.content-hiden' is not a condition" in result.output
    assert not (tmp_path / "output" / "b.html").exists()


def test_issue_16_hidden_for_profile_lists_the_outermost() -> None:
    """What a profile leaves out, for a drop report: each outermost hidden div or span with
    its condition; a format condition alone hides nothing from a profile."""
    inner = m.Div(("content-visible",), (("when-profile", "a"),), None, ())
    lead = m.Div(("content-visible",), (("when-profile", "lead"),), None, (inner,), line=7)
    docx_only = m.Div(("content-visible",), (("when-format", "docx"),), None, ())
    span = m.Span(("content-hidden",), (("when-profile", "partner"),), None, (m.Text("s"),))
    blocks: tuple[m.Block, ...] = (
        lead,
        docx_only,
        m.BulletList((m.ListItem((m.Paragraph((m.Strong((span,)),)),)),)),
    )
    found = list(conditions.hidden_for_profile(blocks, "partner"))
    assert found == [
        (lead, '.content-visible when-profile="lead"'),
        (span, '.content-hidden when-profile="partner"'),
    ]
    assert [d for d, _ in conditions.hidden_for_profile(blocks, "lead")] == [inner]
