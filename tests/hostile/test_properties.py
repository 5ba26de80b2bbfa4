"""Random Markdown and random bytes through parsing and the writers: errors, never crashes."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefwright.assemble import assemble
from briefwright.errors import BriefwrightError, Problem, Reporter
from briefwright.project import Project
from briefwright.readers.sources import read_source
from briefwright.spec.briefing import LoadedBriefing, load_briefing
from briefwright.spec.schema import ProjectConfig
from briefwright.templates import find_template
from briefwright.writers import get_writer

SIGNATURES = {"html": b"<!DOCTYPE html>", "docx": b"PK\x03\x04", "pdf": b"%PDF-"}

MARKDOWN_BITS = st.sampled_from(
    [
        "# ",
        "## ",
        "### ",
        "#### ",
        "\n",
        "\n\n",
        "- ",
        "1. ",
        "  ",
        "> ",
        "```\n",
        "`",
        "*",
        "**",
        "_",
        "~~",
        "[",
        "]",
        "(",
        ")",
        "![",
        "|",
        "---",
        ":",
        "^",
        "[^1]",
        "[^1]: ",
        "{#",
        "}",
        "<b>",
        "&#1;",
        "&amp;",
        "\\",
        "\t",
        "text",
        "word ",
        "Ünïcødé ",
        "\x00",
        "\x07",
        "\ud800",
        "\ufeff",
        "http://x",
        "img.png",
    ]
)
MARKDOWN = st.lists(MARKDOWN_BITS | st.text(max_size=5), max_size=60).map("".join)


def _project(root: Path) -> Project:
    for folder in ("sources", "briefings", "output"):
        (root / folder).mkdir(exist_ok=True)
    return Project(root.resolve(), ProjectConfig())


SIGNATURES = {"html": b"<!DOCTYPE html>", "pdf": b"%PDF-", "docx": b"PK\x03\x04"}


def _whole_source_briefing(project: Project) -> LoadedBriefing:
    path = project.briefings_dir / "b.yaml"
    path.write_text("title: B\ndate: 2026-01-01\nsections:\n  - from: s\n", encoding="utf-8")
    return load_briefing(path, project, [])


def _render(text: str, formats: tuple[str, ...]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = _project(Path(folder))
        path = project.sources_dir / "s.md"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        warnings: list[Problem] = []
        try:
            source = read_source(path, project, warnings)
        except BriefwrightError:
            return  # a located error is the right outcome for some inputs
        briefing = _whole_source_briefing(project)
        document = assemble(briefing, {"s": source}, project, warnings)
        assert document.meta.date == dt.date(2026, 1, 1)
        template = find_template(project, "briefing")
        for output_format in formats:
            rendered = get_writer(output_format)(document, template, Reporter())
            # a Rendered tuple is always truthy: look at the bytes it carries
            assert rendered.data.startswith(SIGNATURES[output_format])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWN)
def test_random_markdown_through_html_and_docx(text: str) -> None:
    _render(text, ("html", "docx"))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWN)
def test_random_markdown_through_pdf(text: str) -> None:
    _render(text, ("pdf",))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_are_read_or_refused(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = _project(Path(folder))
        path = project.sources_dir / "s.md"
        path.write_bytes(data)
        try:
            read_source(path, project, [])
        except BriefwrightError as exc:
            assert str(exc).startswith("sources/s.md")
