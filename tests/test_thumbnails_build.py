"""Issue 15: `brief build --thumbnails` and the `thumbnails` key, built for real and read back:
page images and contact sheet, byte identity, incremental builds, removal, atomic writes."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from briefwright.build.output import TEMP_FOLDER_PREFIX, write_folder_atomic
from briefwright.errors import RenderError
from briefwright.writers.thumbnails import PAGE_WIDTH_PX, SHEET_GAP_PX
from tests.helpers import run

SOURCE = """---
title: Notes
---

## First {#first}

The first section's text.

## Second {#second}

The second section's text.

## Third {#third}

The third section's text.
"""


def briefing(project: Path, name: str = "one", extra: str = "", items: int = 3) -> Path:
    """A briefing whose `items` sections each start a page (after the cover page)."""
    chosen = "".join(
        f"  - from: notes#{section}\n    page_break_before: true\n"
        for section in ("first", "second", "third")[:items]
    )
    path = project / "briefings" / f"{name}.yaml"
    path.write_text(
        f"title: Brief {name}\ndate: 2026-01-15\nformats: [pdf]\ntoc_depth: 0\n{extra}"
        f"sections:\n  - title: Bottom line\n    text: Short.\n{chosen}",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for folder in ("briefings", "sources", "output"):
        (root / folder).mkdir(parents=True)
    (root / "sources" / "notes.md").write_text(SOURCE, encoding="utf-8")
    briefing(root)
    return root


def build(project: Path, *args: str) -> tuple[list[str], list[str]]:
    """(written, up to date) paths of a build that must succeed."""
    result = run(project, "build", *args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    written = [line.split()[1] for line in lines if line.startswith("wrote ")]
    fresh = [line.split()[-1] for line in lines if line.startswith("up to date ")]
    return written, fresh


def pages_of(project: Path, name: str = "one") -> list[Path]:
    return sorted((project / "output" / name).iterdir())


def digests(project: Path, name: str = "one") -> dict[str, str]:
    files = [*pages_of(project, name), project / "output" / f"{name}.pages.png"]
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def test_one_image_per_pdf_page_and_a_contact_sheet(project: Path) -> None:
    written, _ = build(project, "--thumbnails")
    assert written == ["output/one.pdf", "output/one.pages.png"]
    pdf = pypdf.PdfReader(project / "output" / "one.pdf")
    pages = pages_of(project)
    assert len(pdf.pages) == 5  # the cover, the first item, then one page for each other
    assert [p.name for p in pages] == [f"page-00{n}.png" for n in range(1, 6)]
    box = pdf.pages[0].mediabox
    for page in pages:
        with Image.open(page) as image:
            assert image.format == "PNG"
            height = round(PAGE_WIDTH_PX * float(box.height) / float(box.width))
            assert image.size == (PAGE_WIDTH_PX, height)
    with Image.open(project / "output" / "one.pages.png") as sheet:
        assert sheet.format == "PNG"
        assert sheet.width == SHEET_GAP_PX + 4 * (200 + 2 + SHEET_GAP_PX)  # 4 columns
        label = 18
        assert sheet.height == SHEET_GAP_PX + 2 * (height // 2 + 2 + label + SHEET_GAP_PX)


def test_same_inputs_same_bytes(project: Path, tmp_path: Path) -> None:
    build(project, "--thumbnails")
    first = digests(project)
    build(project, "--thumbnails", "--force")
    assert digests(project) == first
    other = tmp_path / "other"
    for folder in ("briefings", "sources", "output"):
        (other / folder).mkdir(parents=True)
    (other / "sources" / "notes.md").write_text(SOURCE, encoding="utf-8")
    briefing(other)
    build(other, "--thumbnails")
    assert digests(other) == first


def test_a_second_build_rebuilds_nothing(project: Path) -> None:
    build(project, "--thumbnails")
    before = {p: p.stat().st_mtime_ns for p in pages_of(project)}
    written, fresh = build(project, "--thumbnails")
    assert written == [] and fresh == ["output/one.pdf", "output/one.pages.png"]
    assert {p: p.stat().st_mtime_ns for p in pages_of(project)} == before


def test_the_key_asks_for_them_and_the_flag_overrides_it(project: Path) -> None:
    briefing(project, extra="thumbnails: true\n")
    assert build(project)[0] == ["output/one.pdf", "output/one.pages.png"]
    assert build(project)[1] == ["output/one.pdf", "output/one.pages.png"]  # the no-op answer
    result = run(project, "build", "--no-thumbnails")
    assert "removed output/one.pages.png and output/one/ (no longer asked for)" in result.stdout
    assert not (project / "output" / "one").exists()


def test_changing_the_briefing_rebuilds_them(project: Path) -> None:
    build(project, "--thumbnails")
    first = digests(project)
    briefing(project, extra="subtitle: Now with a subtitle\n")
    assert build(project, "--thumbnails")[0] == ["output/one.pdf", "output/one.pages.png"]
    assert digests(project)["page-001.png"] != first["page-001.png"]


def test_fewer_pages_leave_no_old_page_behind(project: Path) -> None:
    build(project, "--thumbnails")
    assert len(pages_of(project)) == 5
    briefing(project, items=1)
    build(project, "--thumbnails")
    assert [p.name for p in pages_of(project)] == [f"page-00{n}.png" for n in range(1, 4)]
    assert len(pypdf.PdfReader(project / "output" / "one.pdf").pages) == 3


def test_added_later_they_are_made_from_the_pdf_already_built(project: Path) -> None:
    build(project)
    pdf = (project / "output" / "one.pdf").stat().st_mtime_ns
    written, fresh = build(project, "--thumbnails")
    assert written == ["output/one.pages.png"] and fresh == ["output/one.pdf"]
    assert (project / "output" / "one.pdf").stat().st_mtime_ns == pdf
    assert len(pages_of(project)) == 5


@pytest.mark.parametrize("how", ["flag", "key", "briefing"])
def test_no_longer_asked_for_they_are_removed(project: Path, how: str) -> None:
    extra = "thumbnails: true\n" if how == "key" else ""
    briefing(project, extra=extra)
    build(project, "--thumbnails")
    briefing(project, "two")
    if how == "key":
        briefing(project)
    elif how == "briefing":
        (project / "briefings" / "one.yaml").unlink()
    result = run(project, "build")
    assert result.exit_code == 0, result.output
    assert "removed output/one.pages.png and output/one/ (no longer asked for)" in result.stdout
    left = sorted(p.name for p in (project / "output").iterdir() if not p.name.startswith("."))
    expected = ["one.pdf", "two.pdf"] if how != "briefing" else ["two.pdf"]
    assert left == expected


def test_a_briefing_without_pdf_gets_thumbnails_of_a_pdf_not_written(project: Path) -> None:
    (project / "briefings" / "one.yaml").write_text(
        "title: Brief\ndate: 2026-01-15\nformats: [html]\nthumbnails: true\n"
        "sections:\n  - from: notes\n",
        encoding="utf-8",
    )
    assert build(project)[0] == ["output/one.html", "output/one.pages.png"]
    assert not (project / "output" / "one.pdf").exists()
    assert len(pages_of(project)) >= 1


def test_clean_removes_them(project: Path) -> None:
    build(project, "--thumbnails")
    result = run(project, "clean")
    assert "removed output/one.pages.png and output/one/" in result.stdout
    assert sorted(p.name for p in (project / "output").iterdir()) == [".brief-lock"]


def test_a_changed_page_folder_is_rebuilt_and_not_removed(project: Path) -> None:
    build(project, "--thumbnails")
    (project / "output" / "one" / "mine.txt").write_text("a person's file", encoding="utf-8")
    assert build(project, "--thumbnails")[0] == ["output/one.pages.png"]  # not what brief wrote
    assert not (project / "output" / "one" / "mine.txt").exists()  # the folder is brief's
    (project / "output" / "one" / "mine.txt").write_text("again", encoding="utf-8")
    result = run(project, "build")
    assert "output/one.pages.png and output/one/: no briefing makes it any more" in result.output
    assert (project / "output" / "one" / "mine.txt").exists()


def test_the_report_and_records_list_them(project: Path) -> None:
    report = project / "report.json"
    build(project, "--thumbnails", "--report", str(report))
    rows = json.loads(report.read_text(encoding="utf-8"))["outputs"]
    row = next(r for r in rows if r["format"] == "thumbnails")
    assert (row["path"], row["pages"], row["status"]) == ("output/one.pages.png", 5, "built")
    records = json.loads((project / "output" / ".brief-records.json").read_text("utf-8"))
    assert {o["format"] for o in records["outputs"]} == {"pdf", "thumbnails"}


def test_check_agrees_with_build_on_the_key(project: Path) -> None:
    briefing(project, extra="thumbnails: maybe\n")
    check = run(project, "check")
    built = run(project, "build")
    assert check.exit_code == built.exit_code == 1
    message = "briefings/one.yaml:5: thumbnails: expected true or false"
    assert message in check.output and message in built.output


def test_check_renders_the_html_of_a_docx_briefing_with_thumbnails(project: Path) -> None:
    template = project / "templates" / "broken"
    template.mkdir(parents=True)
    (template / "template.toml").write_text('name = "broken"\nextends = "briefing"\n', "utf-8")
    (template / "briefing.html.j2").write_text("{{ no_such_thing.attribute }}", "utf-8")
    text = "title: B\nformats: [docx]\ntemplate: broken\nsections:\n  - from: notes\n"
    (project / "briefings" / "one.yaml").write_text(text, encoding="utf-8")
    assert run(project, "check").exit_code == 0  # no HTML or PDF: the HTML is never rendered
    (project / "briefings" / "one.yaml").write_text(text + "thumbnails: true\n", encoding="utf-8")
    check = run(project, "check")
    built = run(project, "build")
    assert check.exit_code == built.exit_code == 1, (check.output, built.output)
    assert "no_such_thing" in check.output and "no_such_thing" in built.output


def test_a_failed_swap_keeps_the_old_set_and_leaves_no_temporary(tmp_path: Path) -> None:
    folder = tmp_path / "one"
    write_folder_atomic(folder, {"page-001.png": b"old"}, shown=folder)
    with pytest.raises(RenderError, match="cannot write"):
        write_folder_atomic(folder, {"page-001.png": b"new", "no/such": b"x"}, shown=folder)
    assert [p.name for p in folder.iterdir()] == ["page-001.png"]
    assert (folder / "page-001.png").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["one"]


def test_a_file_in_the_way_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "one").write_text("not a folder", encoding="utf-8")
    with pytest.raises(RenderError, match="in the way"):
        write_folder_atomic(tmp_path / "one", {"page-001.png": b"x"}, shown=Path("output/one"))


def test_a_killed_builds_temporary_folder_is_removed(project: Path) -> None:
    left = project / "output" / f"{TEMP_FOLDER_PREFIX}{2**22 + 12345}-abc"
    left.mkdir()
    (left / "page-001.png").write_bytes(b"half")
    build(project, "--thumbnails")
    assert not left.exists()
    mine = project / "output" / f"{TEMP_FOLDER_PREFIX}{os.getpid()}-abc"
    mine.mkdir()
    build(project, "--thumbnails", "--force")
    assert mine.exists()  # a living process's: being written right now


def test_worker_processes_make_the_same_thumbnails(project: Path, tmp_path: Path) -> None:
    build(project, "--thumbnails")  # in this process: PDFium is loaded before the fork below
    alone = digests(project)
    briefing(project, "two")
    briefing(project, "three", extra="subtitle: Third\n")
    written, _ = build(project, "--thumbnails", "--jobs", "2", "--force")
    assert sorted(written) == sorted(
        f"output/{name}.{ext}" for name in ("one", "two", "three") for ext in ("pdf", "pages.png")
    )
    assert digests(project) == alone
    for name in ("two", "three"):
        pdf = pypdf.PdfReader(project / "output" / f"{name}.pdf")
        assert len(pages_of(project, name)) == len(pdf.pages)


def test_the_project_default_asks_for_them(project: Path) -> None:
    (project / "briefwright.toml").write_text("[defaults]\nthumbnails = true\n", "utf-8")
    assert build(project)[0] == ["output/one.pdf", "output/one.pages.png"]
    (project / "briefwright.toml").write_text("[defaults]\nthumbnails = 'yes'\n", "utf-8")
    result = run(project, "build")
    assert result.exit_code == 1
    assert "briefwright.toml:2: defaults.thumbnails: expected true or false" in result.output


def test_the_full_build_also_finds_them_up_to_date(project: Path) -> None:
    briefing(project, items=1)  # takes notes#first only
    build(project, "--thumbnails")
    notes = project / "sources" / "notes.md"
    notes.write_text(SOURCE.replace("The third section's", "The last section's"), "utf-8")
    written, fresh = build(project, "--thumbnails")  # a source changed: not the no-op answer
    assert written == [] and fresh == ["output/one.pdf", "output/one.pages.png"]
