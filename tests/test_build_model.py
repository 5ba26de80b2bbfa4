"""Issue 11: one build model. Each test here failed on the code before it (outputs reported up
to date with a stale date, lost warnings, --strict rebuilding everything, orphaned outputs, and
`check` passing what `build` rejects)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner, Result

from briefwright.cli import cli
from tests.helpers import output_files, run

UNDATED = "title: Undated\nformats: [html]\nsections:\n  - from: other#overview\n"


def run_with(project: Path, env: dict[str, str | None], *args: str) -> Result:
    return CliRunner().invoke(cli, ["--project", str(project), *args], env=env)


def written(result: Result) -> list[str]:
    return [line.split()[1] for line in result.stdout.splitlines() if line.startswith("wrote ")]


def test_issue_11_a_changed_build_date_rebuilds_an_undated_briefing(scratch_project: Path) -> None:
    (scratch_project / "briefings" / "undated.yaml").write_text(UNDATED)
    epoch = run_with(scratch_project, {"SOURCE_DATE_EPOCH": "1700000000"}, "build", "undated")
    assert epoch.exit_code == 0, epoch.output
    html = scratch_project / "output" / "undated.html"
    assert "14 November 2023" in html.read_text()
    today = run_with(scratch_project, {"SOURCE_DATE_EPOCH": None}, "build", "undated")
    assert written(today) == ["output/undated.html"], today.output
    assert "14 November 2023" not in html.read_text()
    again = run_with(scratch_project, {"SOURCE_DATE_EPOCH": None}, "build", "undated")
    assert written(again) == [] and "1 up to date" in again.stdout
    report = scratch_project / "report.json"
    back = run_with(
        scratch_project,
        {"SOURCE_DATE_EPOCH": "1700000000"},
        "build",
        "undated",
        "--report",
        str(report),
    )
    assert written(back) == ["output/undated.html"]
    inputs = json.loads(report.read_text())["outputs"][0]["inputs"]
    assert inputs["date"] == [{"name": "SOURCE_DATE_EPOCH", "value": "2023-11-14"}]


def test_issue_11_warnings_of_an_up_to_date_output_are_shown_again(scratch_project: Path) -> None:
    (scratch_project / "briefings" / "budget.yaml").write_text(
        "title: Budget\nmax_pages: 1\nformats: [pdf]\nsections:\n  - from: features\n"
    )
    first = run(scratch_project, "build", "budget")
    assert first.exit_code == 0 and "1 warning(s)" in first.stdout
    warning = next(line for line in first.stderr.splitlines() if "max_pages" in line)
    pdf = scratch_project / "output" / "budget.pdf"
    mtime = pdf.stat().st_mtime_ns
    report = scratch_project / "report.json"
    for args in ([], ["--report", str(report)]):  # the no-op answer and the full build
        second = run(scratch_project, "build", "budget", *args)
        assert second.exit_code == 0
        assert f"{warning} (recorded)" in second.stderr.splitlines()
        assert "0 output(s) built, 1 up to date, 0 removed; 0 briefing(s) failed; 1 warning(s)" in (
            second.stdout
        )
    data = json.loads(report.read_text())
    assert data["summary"]["warnings"] == 1
    assert data["outputs"][0]["warnings"] == [warning.removeprefix("warning: ")]
    strict = run(scratch_project, "build", "budget", "--strict")
    assert strict.exit_code == 1
    assert "(--strict; recorded when last built)" in strict.stderr
    assert pdf.stat().st_mtime_ns == mtime  # failed on the record, rendered nothing


def test_issue_11_strict_after_a_clean_build_renders_nothing(scratch_project: Path) -> None:
    assert run(scratch_project, "build", "--format", "html").exit_code == 0
    strict = run(scratch_project, "build", "--format", "html", "--strict")
    assert strict.exit_code == 0 and written(strict) == []


def test_issue_11_outputs_no_briefing_makes_are_removed(scratch_project: Path) -> None:
    briefings = scratch_project / "briefings"
    (briefings / "extra.yaml").write_text(UNDATED.replace("[html]", "[html, docx]"))
    assert run(scratch_project, "build", "--format", "html").exit_code == 0
    assert run(scratch_project, "build", "extra").exit_code == 0
    hand = scratch_project / "output" / "notes.html"
    hand.write_text("<p>a person's own file</p>")
    # dropping a format from the list removes its output
    (briefings / "extra.yaml").write_text(UNDATED)
    dropped = run(scratch_project, "build", "extra")
    assert "removed output/extra.docx (no briefing makes it any more)" in dropped.stdout
    assert "extra.docx" not in output_files(scratch_project)
    # deleting (or renaming) a briefing removes its outputs, listed in the summary and report
    (briefings / "extra.yaml").unlink()
    report = scratch_project / "report.json"
    gone = run(scratch_project, "build", "--format", "html", "--report", str(report))
    assert gone.exit_code == 0
    assert "removed output/extra.html (no briefing makes it any more)" in gone.stdout
    assert "0 output(s) built, 3 up to date, 1 removed;" in gone.stdout
    rows = {(r["briefing"], r["status"]) for r in json.loads(report.read_text())["outputs"]}
    assert ("extra", "removed") in rows
    assert "extra.html" not in output_files(scratch_project)
    assert hand.is_file()  # never a file a person put there


def test_issue_11_an_edited_orphan_is_kept_and_named(scratch_project: Path) -> None:
    (scratch_project / "briefings" / "extra.yaml").write_text(UNDATED)
    assert run(scratch_project, "build", "extra").exit_code == 0
    (scratch_project / "output" / "extra.html").write_text("edited by hand")
    (scratch_project / "briefings" / "extra.yaml").unlink()
    result = run(scratch_project, "build", "--format", "html")
    assert "warning: output/extra.html: no briefing makes it any more, but it changed" in (
        result.stderr
    )
    assert (scratch_project / "output" / "extra.html").read_text() == "edited by hand"


def test_issue_11_clean_removes_only_recorded_outputs(scratch_project: Path) -> None:
    assert run(scratch_project, "build", "--format", "html").exit_code == 0
    hand = scratch_project / "output" / "notes.pdf"
    hand.write_bytes(b"%PDF-1.7 a person's file")
    result = run(scratch_project, "clean")
    assert result.exit_code == 0, result.output
    assert "3 output(s) removed, 0 kept" in result.stdout
    assert output_files(scratch_project) == ["notes.pdf"]
    assert not (scratch_project / "output" / ".brief-records.json").exists()
    again = run(scratch_project, "build", "--format", "html")
    assert len(written(again)) == 3


DEEP_TEXT = "  - text: |\n" + "".join(f"      {'> ' * 35}deep\n")


def test_issue_11_check_rejects_a_text_item_build_rejects(scratch_project: Path) -> None:
    (scratch_project / "briefings" / "deep.yaml").write_text(
        "title: Deep\nformats: [html]\nsections:\n" + DEEP_TEXT
    )
    check = run(scratch_project, "check")
    build = run(scratch_project, "build", "--format", "html")
    expected = "error: briefings/deep.yaml:5: Markdown nested more than 32 levels deep here"
    assert check.exit_code == 1 and expected in check.stderr
    # the error stays with its briefing: the others are built and the summary is printed
    assert build.exit_code == 1 and expected in build.stderr
    assert sorted(written(build)) == [
        "output/features-memo.html",
        "output/features.html",
        "output/small.html",
    ]
    assert "3 output(s) built, 0 up to date, 0 removed; 1 briefing(s) failed" in build.stdout


def test_issue_11_clean_waits_for_a_running_build(scratch_project: Path) -> None:
    import fcntl
    import subprocess
    import sys

    assert run(scratch_project, "build", "--format", "html").exit_code == 0
    lock = os.open(scratch_project / "output" / ".brief-lock", os.O_RDWR)
    fcntl.flock(lock, fcntl.LOCK_EX)  # as a build in another process holds it
    command = [sys.executable, "-m", "briefwright", "--project", str(scratch_project), "clean"]
    clean = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        try:
            clean.wait(timeout=1.5)
            finished_early = True
        except subprocess.TimeoutExpired:
            finished_early = False
        assert not finished_early, "clean did not wait for the build's lock"
        assert len(output_files(scratch_project)) == 3
    finally:
        os.close(lock)
    out, _ = clean.communicate(timeout=30)
    assert "3 output(s) removed" in out


def test_issue_11_outputs_of_other_code_are_rebuilt(scratch_project: Path) -> None:
    """The tool input is the version and a digest of briefwright's code: an output recorded by
    other code (an upgrade, or a writer changed before the version moves) is rebuilt."""
    from briefwright.build.records import tool_identity

    assert run(scratch_project, "build", "--format", "html").exit_code == 0
    records = scratch_project / "output" / ".brief-records.json"
    data = json.loads(records.read_text())
    tools = {p[2] for o in data["outputs"] for p in o["inputs"] if p[0] == "tool"}
    assert tools == {tool_identity()} and "+" in tool_identity()
    for output in data["outputs"]:
        output["inputs"] = [
            [k, n, "0.1.0+older-code" if k == "tool" else v] for k, n, v in output["inputs"]
        ]
    records.write_text(json.dumps(data))
    again = run(scratch_project, "build", "--format", "html")
    assert len(written(again)) == 3, again.output
