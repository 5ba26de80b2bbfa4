"""Issue 18: the approval lock and freshness gate, on copies of the example project.

`brief approve` writes briefings/NAME.lock; `brief build` warns when an approved unit's content
changed (naming the section, its FILE:LINE and a word diff), `--locked` fails it unrendered,
`brief check` agrees, and `brief status` says where each unit stands. Builds are HTML only and
of the exec brief only, to keep the file quick: the gate does not depend on the format.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from briefwright.provenance.lock import lock_from_json
from tests.helpers import REPO, assert_no_crash, copy_project, run

LOCK = Path("briefings/exec-brief.lock")
USED = "nato-ukraine#nato-military-operations-in-ukraine"  # in both variants of the exec brief
USED_HEADING = "## NATO Military Operations in Ukraine"
OLD, NEW = "Instead, NATO provides", "Instead, the Alliance provides"
UNUSED_HEADING = "## Cooperation with Ukraine Without Membership"  # not in the exec brief
UNITS = ("exec-brief.full", "exec-brief.leadership")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the example without its committed lock."""
    found = copy_project(REPO, tmp_path / "project")
    (found / LOCK).unlink(missing_ok=True)
    return found


def build(project: Path, *args: str) -> tuple[int, str]:
    result = run(project, "build", "exec-brief", "--format", "html", *args)
    assert_no_crash(result)
    return result.exit_code, result.output


def approve(project: Path, *args: str) -> str:
    result = run(project, "approve", "exec-brief", "--by", "Tess Reviewer", *args)
    assert_no_crash(result)
    assert result.exit_code == 0, result.output
    return result.output


def status(project: Path) -> dict[str, dict[str, Any]]:
    result = run(project, "status", "exec-brief", "--json")
    assert result.exit_code == 0, result.output
    return {row["unit"]: row for row in json.loads(result.output)}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(text))


def test_an_edit_to_an_approved_section_warns_and_locked_fails_it(project: Path) -> None:
    said = approve(project)
    assert "approved exec-brief.full: 5 section(s), by Tess Reviewer" in said
    assert "approved exec-brief.leadership: 2 section(s)" in said
    assert f"wrote {LOCK}" in said
    lock = lock_from_json((project / LOCK).read_bytes(), str(LOCK))
    assert [a.unit for a in lock.approvals] == list(UNITS)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", lock.approvals[0].at)
    code, output = build(project)
    assert code == 0 and "0 warning(s)" in output, output
    assert {row["state"] for row in status(project).values()} == {"fresh"}

    source = project / "sources" / "nato-ukraine.md"
    edit(source, OLD, NEW)
    heading = line_of(source, USED_HEADING)
    code, output = build(project)
    assert code == 0, output
    assert "2 warning(s)" in output
    for unit in UNITS:
        assert f"{unit} changed since approved by Tess Reviewer" in output
    assert f"edited {USED} (sources/nato-ukraine.md:{heading}-" in output
    assert "[-NATO-] {+the Alliance+}" in output

    outputs = {p.name: p.read_bytes() for p in (project / "output").glob("exec-brief.*.html")}
    code, again = build(project)  # the no-op answer repeats the recorded warning
    assert code == 0 and "0 output(s) built" in again and "(in exec-brief.full; recorded)" in again

    code, output = build(project, "--locked")
    assert code == 1, output
    assert "(--locked)" in output and "2 briefing(s) failed" in output
    assert "wrote output/exec-brief" not in output
    assert {p.name: p.read_bytes() for p in (project / "output").glob("exec-brief.*.html")} == (
        outputs
    )

    checked = run(project, "check", "exec-brief", "--locked")
    assert checked.exit_code == 1 and "[-NATO-] {+the Alliance+}" in checked.output
    checked = run(project, "check", "exec-brief")
    assert checked.exit_code == 0 and f"edited {USED}" in checked.output, checked.output

    text = run(project, "status", "exec-brief")
    assert text.exit_code == 0
    assert "exec-brief.full: approved, changed (by Tess Reviewer at " in text.output
    assert f"  edited {USED} (sources/nato-ukraine.md:{heading}-" in text.output
    row = status(project)["exec-brief.full"]
    assert row["state"] == "changed" and row["approved_by"] == "Tess Reviewer"
    assert row["lock"] == str(LOCK) and row["changed_files"] == []
    [change] = row["changed_sections"]
    assert change["key"] == USED and change["change"] == "edited"
    assert change["file"] == "sources/nato-ukraine.md" and change["lines"][0] == heading
    assert "{+the Alliance+}" in change["word_diff"]

    approve(project)  # reviewed: approved again
    assert {row["state"] for row in status(project).values()} == {"fresh"}
    code, output = build(project, "--locked")
    assert code == 0 and "0 warning(s)" in output, output


def test_an_edit_outside_the_approved_sections_does_not_trip_the_gate(project: Path) -> None:
    approve(project)
    build(project)
    source = project / "sources" / "nato-ukraine.md"
    start = line_of(source, UNUSED_HEADING)
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[start + 1] = "An unused paragraph, rewritten. " + lines[start + 1]
    source.write_text("".join(lines), encoding="utf-8")
    code, output = build(project, "--locked")
    assert code == 0 and "0 warning(s)" in output, output
    assert run(project, "check", "exec-brief", "--locked").exit_code == 0
    assert {row["state"] for row in status(project).values()} == {"fresh"}


def test_a_changed_briefing_file_is_named(project: Path) -> None:
    approve(project)
    edit(project / "briefings" / "exec-brief.yaml", "author: Policy Analysis Cell", "author: X")
    checked = run(project, "check", "exec-brief", "--locked")
    assert checked.exit_code == 1
    assert "  briefing file changed" in checked.output
    assert status(project)["exec-brief.full"]["changed_files"] == ["briefing file"]


def test_variants_are_approved_separately(project: Path) -> None:
    said = approve(project, "--variant", "leadership")
    assert "exec-brief.full" not in said
    rows = status(project)
    assert rows["exec-brief.full"]["state"] == "never-approved"
    assert rows["exec-brief.leadership"]["state"] == "fresh"
    first = rows["exec-brief.leadership"]["approved_at"]
    text = run(project, "status", "exec-brief").output
    assert "exec-brief.full: never approved" in text

    # a section only the full variant has: the leadership one is still fresh, the full one
    # never approved, so nothing is gated
    source = project / "sources" / "nato-ukraine.md"
    start = line_of(source, "## Challenges Faced by NATO in Response to the Crisis")
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[start + 1] = "A new first sentence. " + lines[start + 1]
    source.write_text("".join(lines), encoding="utf-8")
    assert run(project, "check", "exec-brief", "--locked").exit_code == 0

    approve(project, "--variant", "full")  # keeps the leadership approval as it was
    rows = status(project)
    assert rows["exec-brief.full"]["state"] == "fresh"
    assert rows["exec-brief.leadership"]["approved_at"] == first
    unknown = run(project, "approve", "exec-brief", "--variant", "nope", "--by", "X")
    assert unknown.exit_code == 2 and "--variant nope" in unknown.output


def test_no_op_build_after_an_edit_and_its_revert(project: Path) -> None:
    approve(project)
    build(project)
    source = project / "sources" / "nato-ukraine.md"
    original = source.read_bytes()
    edit(source, OLD, NEW)
    assert "2 warning(s)" in build(project)[1]
    source.write_bytes(original)
    code, output = build(project, "--locked")
    assert code == 0 and "0 warning(s)" in output, output
    code, output = build(project, "--locked")
    assert code == 0 and "0 output(s) built" in output and "0 warning(s)" in output, output


def test_approving_is_noticed_by_the_no_op_build(project: Path) -> None:
    source = project / "sources" / "nato-ukraine.md"
    build(project)
    approve(project)
    edit(source, OLD, NEW)
    build(project)
    approve(project)  # only the lock changed: the recorded warning must go
    code, output = build(project, "--locked")
    assert code == 0 and "0 warning(s)" in output, output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"schema": "other"}', "not a briefwright lock file"),
        (b'{"schema": "briefwright-lock", "version": 99}', "lock version 99"),
        (b'{"schema": "briefwright-lock", "version": 1}', "lock file is incomplete"),
    ],
)
def test_an_invalid_lock_is_an_error_naming_it(project: Path, content: bytes, message: str) -> None:
    (project / LOCK).write_bytes(content)
    code, output = build(project)
    assert code == 1 and f"error: {LOCK}: {message}" in output, output
    checked = run(project, "check", "exec-brief")
    assert checked.exit_code == 1 and f"{LOCK}: {message}" in checked.output
    assert status(project)["exec-brief.full"]["state"] == "error"
    said = approve(project)  # writes it anew, saying what it replaced
    assert f"warning: {LOCK}: {message}" in said and "(replaced)" in said
    assert run(project, "check", "exec-brief", "--locked").exit_code == 0


def test_a_briefing_with_errors_is_not_approved(project: Path) -> None:
    edit(project / "briefings" / "exec-brief.yaml", "#challenges-faced-by-nato", "#no-such")
    result = run(project, "approve", "exec-brief", "--by", "X")
    assert result.exit_code == 1 and "exec-brief not approved" in result.output
    assert "no-such" in result.output
    assert not (project / LOCK).exists()


def test_the_approver_defaults_to_git_then_user(project: Path, tmp_path: Path) -> None:
    no_git = {"HOME": str(tmp_path), "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    from click.testing import CliRunner

    from briefwright.cli import cli

    def approve_as(env: dict[str, str]) -> tuple[int, str]:
        found = CliRunner().invoke(
            cli, ["--project", str(project), "approve", "exec-brief"], env=env
        )
        return found.exit_code, found.output

    code, output = approve_as({**no_git, "USER": "ci-runner"})
    assert code == 0 and "by ci-runner" in output, output
    code, output = approve_as({**no_git, "USER": ""})
    assert code == 2 and "give --by NAME" in output, output


def test_the_example_lock_is_fresh(tmp_path: Path) -> None:
    """The committed lock of the example's exec brief matches its sources (`make build` shows
    no lock warning); the sources it locks are regenerated by `make sources`, byte-identical."""
    example = copy_project(REPO, tmp_path / "example")
    rows = status(example)
    assert {rows[unit]["state"] for unit in UNITS} == {"fresh"}
    assert {rows[unit]["approved_by"] for unit in UNITS} == {"Example Analyst"}
    assert run(example, "check", "--locked").exit_code == 0


def test_a_lock_left_behind_is_named_and_a_renamed_variant_dropped(project: Path) -> None:
    """A lock whose briefing was deleted, or approving a variant the briefing renamed since:
    `brief check` (and `brief status`) say so; approving again writes the lock without it."""
    approve(project)
    briefing = project / "briefings" / "exec-brief.yaml"
    edit(briefing, "  leadership: {profile", "  principals: {profile")
    checked = run(project, "check")
    assert checked.exit_code == 0, checked.output
    assert (
        f"{LOCK}: approves exec-brief.leadership, which exec-brief no longer makes; "
        "`brief approve exec-brief` writes the lock without them"
    ) in checked.output
    assert "no longer makes" in run(project, "status").output
    approve(project, "--variant", "full")
    lock = lock_from_json((project / LOCK).read_bytes(), str(LOCK))
    assert [a.unit for a in lock.approvals] == ["exec-brief.full"]  # the renamed one gone
    assert "no longer makes" not in run(project, "check").output
    memo = project / "briefings" / "exec-memo.lock"
    memo.write_bytes((project / LOCK).read_bytes())
    (project / "briefings" / "exec-memo.yaml").unlink()
    warned = run(project, "check").output
    assert "briefings/exec-memo.lock: no briefing exec-memo.yaml for this lock" in warned
