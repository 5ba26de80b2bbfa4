"""Runaway documents in a batch are stopped and reported; the others finish."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from tests.helpers import output_files, run
from tests.hostile.inspect_outputs import assert_complete


def _add_briefing(project: Path, markdown: str) -> None:
    (project / "sources" / "huge.md").write_text(markdown, encoding="utf-8")
    (project / "briefings" / "huge.yaml").write_text(
        "title: Huge\nformats: [pdf]\nsections:\n  - from: huge\n", encoding="utf-8"
    )


def _only_the_others_built(
    project: Path, others: tuple[str, ...] = ("features-memo.pdf", "features.pdf", "small.pdf")
) -> None:
    outputs = output_files(project)
    assert outputs == list(others)
    for name in outputs:
        assert_complete(project / "output" / name)


def test_time_limit_stops_a_runaway_document(scratch_project: Path) -> None:
    # a 6000-row table takes about 40 s to lay out on the CI machine; the small brief beside it
    # about 0.2 s, so a machine slowed by other work still finishes it well within the limit
    rows = "\n".join(f"| row {i} | text of cell {i} | {i * 7} |" for i in range(6000))
    _add_briefing(scratch_project, f"## Huge\n\n| a | b | c |\n|---|---|---|\n{rows}\n")
    command = ["build", "huge", "small", "--format", "pdf", "--timeout", "8", "--jobs", "2"]
    result = run(scratch_project, *command)
    assert result.exit_code == 1
    assert "error: briefings/huge.yaml: stopped after 8 s (the limit is set with --timeout)\n" in (
        result.stderr
    )
    assert (
        "output(s) built, 0 up to date, 0 removed; 1 briefing(s) failed; 0 warning(s)"
        in result.stdout
    )
    _only_the_others_built(scratch_project, ("small.pdf",))


def test_memory_limit_stops_a_runaway_document(scratch_project: Path) -> None:
    # a 36-megapixel image grows a worker by about 350 MiB; ordinary briefs by under 100
    Image.new("RGB", (6000, 6000), (200, 30, 30)).save(scratch_project / "sources" / "big.png")
    _add_briefing(scratch_project, "## Huge\n\n![big](big.png)\n")
    result = run(scratch_project, "build", "--format", "pdf", "--memory-limit", "150")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: briefings/huge.yaml: ran out of memory "
        "(the per-document limit is set with --memory-limit)\n"
    )
    _only_the_others_built(scratch_project)


def test_fail_fast_starts_no_more_briefings(scratch_project: Path) -> None:
    broken = scratch_project / "templates" / "broken"
    broken.mkdir(parents=True)
    (broken / "reference.docx").write_bytes(b"not a word file")
    (scratch_project / "briefings" / "features.yaml").write_text(
        "title: F\ntemplate: broken\nformats: [docx]\nsections:\n  - from: features\n"
    )
    result = run(scratch_project, "build", "--fail-fast", "--jobs", "1")
    assert result.exit_code == 1
    assert "1 briefing(s) failed; 2 not started (--fail-fast)" in result.stdout
    assert "small" not in " ".join(output_files(scratch_project))
    result = run(scratch_project, "build", "--jobs", "1")
    assert "up to date, 0 removed; 1 briefing(s) failed; 0 warning(s)" in result.stdout
    assert "small.html" in output_files(scratch_project)
