"""Issue 18, the provenance core: what a manifest records of each section, what counts as a
change (an edit elsewhere in a source does not), and the versioned JSON of manifests and locks."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from briefwright.build.plan import plan_build, selected_files
from briefwright.project import find_project
from briefwright.provenance.collect import current_manifest
from briefwright.provenance.compare import compare, paragraph_ops, word_diff
from briefwright.provenance.lock import (
    Approval,
    Lock,
    LockError,
    lock_from_json,
    lock_json,
    lock_path,
)
from briefwright.provenance.manifest import (
    Manifest,
    ManifestError,
    Paragraph,
    from_json,
    to_json,
)
from tests.helpers import REPO, copy_project


def manifests(project: Path, name: str) -> dict[str, Manifest]:
    found = find_project(project)
    plan = plan_build(found, selected_files(found, [name]))
    assert not plan.rejected, plan.rejected
    return {b.name: current_manifest(found, plan, b) for b in plan.briefings}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(REPO, tmp_path / "project")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_item_is_a_section_with_its_lines_and_marking(project: Path) -> None:
    manifest = manifests(project, "exec-brief")["exec-brief.full"]
    keys = [s.key for s in manifest.sections]
    assert keys[0] == "text:bottom-line-up-front"
    assert "nato-ukraine#nato-military-operations-in-ukraine" in keys
    section = manifest.section("nato-ukraine#nato-military-operations-in-ukraine")
    assert section is not None
    lines = (project / "sources/nato-ukraine.md").read_text(encoding="utf-8").splitlines()
    first, last = section.lines
    assert lines[first - 1].startswith("## NATO Military Operations in Ukraine")
    assert lines[last].startswith("## The Political Significance")  # the next heading
    assert section.file == "sources/nato-ukraine.md"
    assert section.marking == "TLP:CLEAR"
    assert section.origin == "004_c199905ea8b10231.txt"  # its front matter: the seed imported
    assert section.paragraphs[0] == Paragraph(
        style="h1", text="Current posture in Ukraine"
    )  # as the brief has it
    assert manifest.variant == "full" and manifest.date == "2026-11-21"
    bluf = manifest.sections[0].paragraphs[1]  # **Bottom line:** NATO's ...
    assert bluf.text.startswith("Bottom line: NATO") and bluf.marks == ((0, 12, "strong"),)
    numbered = [p for p in manifest.sections[0].paragraphs if p.style == "ol"]
    assert [p.text[:3] for p in numbered] == ["1. ", "2. ", "3. "]


def test_an_edit_elsewhere_in_a_source_changes_no_section(project: Path) -> None:
    before = manifests(project, "exec-brief")["exec-brief.full"]
    # lines added above every used section, and a section no item uses rewritten
    edit(project / "sources/nato-ukraine.md", "\n## ", "\nAn added line.\n\n## ")
    edit(
        project / "sources/nato-ukraine.md",
        "## Escalation versus Deterrence Dynamics\n",
        "## Escalation versus Deterrence Dynamics\n\nA paragraph nobody uses.\n",
    )
    after = manifests(project, "exec-brief")["exec-brief.full"]
    used = before.section("nato-ukraine#nato-military-operations-in-ukraine")
    moved = after.section("nato-ukraine#nato-military-operations-in-ukraine")
    assert used is not None and moved is not None
    assert moved.lines != used.lines  # its lines moved ...
    assert not compare(before, after).changed  # ... its content did not


def test_a_word_edited_in_a_used_section_names_that_section_only(project: Path) -> None:
    before = manifests(project, "exec-brief")["exec-brief.full"]
    source = project / "sources/nato-ukraine.md"
    text = source.read_text(encoding="utf-8")
    start = text.index("## NATO Military Operations in Ukraine")
    word = text[start:].split("\n\n")[1].split()[3]
    edit(
        source,
        text[start:].split("\n\n")[1],
        text[start:].split("\n\n")[1].replace(word, "ZEBRA", 1),
    )
    comparison = compare(before, manifests(project, "exec-brief")["exec-brief.full"])
    assert [(c.kind, c.section.key) for c in comparison.sections] == [
        ("edited", "nato-ukraine#nato-military-operations-in-ukraine")
    ]
    assert f"[-{word}-] {{+ZEBRA+}}" in comparison.sections[0].word_diff()


def test_a_released_variant_records_nothing_it_leaves_out(project: Path) -> None:
    """The partner edition's manifest is embedded in what goes to the partner: it must not
    carry the text of the notes the variant leaves out."""
    found = manifests(project, "background-brief")
    internal = json.dumps(dataclasses.asdict(found["background-brief.internal"]))
    partner = json.dumps(dataclasses.asdict(found["background-brief.rel-ukr"]))
    withheld = "claims should be checked against"  # analyst-notes, TLP:AMBER
    assert withheld in internal
    assert withheld not in partner
    assert "analyst-notes#reading" not in partner


def test_sections_added_removed_and_moved(project: Path) -> None:
    before = manifests(project, "exec-memo")["exec-memo"]
    sections = before.sections
    moved = (sections[1], sections[0], *sections[2:-1])  # last removed, first two swapped
    added = dataclasses.replace(sections[-1], key="new#section")
    after = dataclasses.replace(before, sections=(*moved, added))
    kinds = {(c.kind, c.section.key) for c in compare(before, after).sections}
    assert ("removed", sections[-1].key) in kinds
    assert ("added", "new#section") in kinds
    assert len([k for k in kinds if k[0] == "moved"]) == 1


def test_a_new_date_alone_is_not_a_change(project: Path) -> None:
    before = manifests(project, "exec-memo")["exec-memo"]
    after = dataclasses.replace(before, date="2027-01-01")
    comparison = compare(before, after)
    assert not comparison.changed and comparison.date == ("2026-11-21", "2027-01-01")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("a b c", "a x c", "a [-b-] {+x+} c"),
        ("a b c", "a b c d", "a b c {+d+}"),
        (
            "one two three four five six seven eight nine ten eleven twelve",
            "one two three four five six seven eight nine ten eleven twelve thirteen",
            "... eight nine ten eleven twelve {+thirteen+}",
        ),
    ],
)
def test_word_diff(old: str, new: str, expected: str) -> None:
    assert word_diff(old.split(), new.split()) == expected


def test_paragraphs_aligned_for_a_redline() -> None:
    old = [Paragraph(style="p", text=t) for t in ("kept", "changed one", "gone")]
    new = [Paragraph(style="p", text=t) for t in ("kept", "changed two")]
    ops = [(tag, a and a.text, b and b.text) for tag, a, b in paragraph_ops(old, new)]
    assert ops == [
        ("equal", "kept", "kept"),
        ("edit", "changed one", "changed two"),
        ("delete", "gone", None),
    ]


def test_manifest_json_round_trips_and_refuses_other_versions(project: Path) -> None:
    manifest = manifests(project, "exec-brief")["exec-brief.leadership"]
    data = to_json(manifest)
    assert from_json(data, "x") == manifest
    assert to_json(from_json(data, "x")) == data  # deterministic
    raw = json.loads(data)
    raw["version"] = 2
    with pytest.raises(ManifestError, match="version 2"):
        from_json(json.dumps(raw).encode(), "brief.pdf")
    with pytest.raises(ManifestError, match=r"brief\.pdf: not a briefwright"):
        from_json(b'{"schema": "other"}', "brief.pdf")
    with pytest.raises(ManifestError, match="not valid JSON"):
        from_json(b"{", "brief.pdf")


def test_lock_json_round_trips_and_keeps_other_units(project: Path) -> None:
    found = manifests(project, "exec-brief")
    full = Approval(
        unit="exec-brief.full", by="A", at="2026-12-02T10:00:00Z", manifest=found["exec-brief.full"]
    )
    lead = Approval(
        unit="exec-brief.leadership",
        by="B",
        at="2026-12-02T11:00:00Z",
        manifest=found["exec-brief.leadership"],
    )
    lock = Lock(briefing="briefings/exec-brief.yaml").approved(lead).approved(full)
    assert [a.unit for a in lock.approvals] == ["exec-brief.full", "exec-brief.leadership"]
    again = lock.approved(dataclasses.replace(full, by="C"))
    assert again.approval("exec-brief.full").by == "C"  # type: ignore[union-attr]
    assert again.approval("exec-brief.leadership") == lead
    assert lock_from_json(lock_json(lock), "x.lock") == lock
    assert lock_path(Path("briefings/exec-brief.yaml")) == Path("briefings/exec-brief.lock")
    with pytest.raises(LockError, match=r"x\.lock: not valid JSON"):
        lock_from_json(b"not json", "x.lock")
