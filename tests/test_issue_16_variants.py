"""Issue 16: variants of a briefing, each filtered by its profile, its `only:`/`except:` items
and its releasability, read back from the PDF, DOCX and HTML each variant builds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import lxml.html
import pytest

from tests.helpers import (
    REPO,
    copy_project,
    output_files,
    pdf_pages,
    run,
    squash,
    without_manifest,
)
from tests.parity import assert_parity

VARIANTS_PROJECT = REPO / "tests" / "fixtures" / "variants-project"
UNITS = ["update.internal", "update.leadership", "update.rel-ukr"]

# What each variant of briefings/update.yaml shows, and what it must not: by the profile
# (divs, spans), by `only:`/`except:`, and by the markings (`releasable_to: UKR`).
PRESENT = {
    "update.internal": [
        "Staff detail",
        "both near the border",
        "Internal matters",
        "Two members want a slower pace",
        "Training dates",
        "Staff-only reminder",
    ],
    "update.leadership": ["Leadership summary", "Deliveries run through two hubs", "Summary"],
    "update.rel-ukr": ["Releasable to Ukraine", "Staff detail", "Training dates", "Posture"],
}
ABSENT = {
    "update.internal": ["Leadership summary", "Partner note", "Positions for partners"],
    "update.leadership": [
        "Staff detail",
        "both near the border",
        "Internal matters",
        "Training dates",
        "Positions for partners",
    ],
    # marked NATO RESTRICTED without RELEASABLE TO UKR: the marking wins over `only:
    # [partners]` and over the `when-profile="partners"` div inside the section
    "update.rel-ukr": [
        "Internal matters",
        "Member positions",
        "Two members",
        "Positions for partners",
        "Partner note",
        "Staff-only reminder",
        "Leadership summary",
    ],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(VARIANTS_PROJECT, tmp_path_factory.mktemp("variants"))
    result = run(project, "build", "--report", str(project / "report.json"))
    assert result.exit_code == 0, result.output
    return project


def pdf_text(project: Path, unit: str) -> str:
    return squash(" ".join(pdf_pages(project / "output" / f"{unit}.pdf")))


def docx_text(project: Path, unit: str) -> str:
    document = docx.Document(str(project / "output" / f"{unit}.docx"))
    return squash(" ".join(p.text for p in document.paragraphs))


def html_text(project: Path, unit: str) -> str:
    tree = lxml.html.fromstring((project / "output" / f"{unit}.html").read_bytes())
    for script in list(tree.iter("script")):  # not shown: the provenance manifest (issue 18)
        script.drop_tree()
    return squash(tree.text_content())


READERS = {"pdf": pdf_text, "docx": docx_text, "html": html_text}


def test_each_variant_is_a_set_of_outputs(built: Path) -> None:
    files = output_files(built)
    for unit in UNITS:
        assert {f"{unit}.pdf", f"{unit}.docx", f"{unit}.html"} <= set(files)
    assert "update.pdf" not in files  # a briefing with variants builds only them
    assert {"plain.pdf", "plain.docx", "plain.html"} <= set(files)  # and one without: itself


@pytest.mark.parametrize("fmt", sorted(READERS))
@pytest.mark.parametrize("unit", UNITS)
def test_what_each_audience_gets_and_does_not(built: Path, unit: str, fmt: str) -> None:
    text = READERS[fmt](built, unit)
    for wanted in PRESENT[unit]:
        assert squash(wanted) in text, f"{unit}.{fmt} lacks {wanted!r}"
    for unwanted in ABSENT[unit]:
        assert squash(unwanted) not in text, f"{unit}.{fmt} shows {unwanted!r}"


@pytest.mark.parametrize("unit", UNITS)
def test_parity_per_variant(built: Path, unit: str) -> None:
    output = built / "output"
    assert_parity(output / f"{unit}.docx", output / f"{unit}.pdf", output / f"{unit}.html")


def docx_banner(project: Path, unit: str) -> str:
    """The DOCX's banner: its first section's header."""
    document = docx.Document(str(project / "output" / f"{unit}.docx"))
    return squash(" ".join(p.text for p in document.sections[0].header.paragraphs))


BANNERS = {"pdf": pdf_text, "docx": docx_banner, "html": html_text}


@pytest.mark.parametrize("fmt", sorted(BANNERS))
def test_releasable_variant_banner_shows_the_caveat(built: Path, fmt: str) -> None:
    text = BANNERS[fmt](built, "update.rel-ukr")
    assert squash("NATO RESTRICTED // RELEASABLE TO UKR") in text
    internal = BANNERS[fmt](built, "update.internal")
    assert squash("NATO RESTRICTED") in internal
    assert squash("RELEASABLE TO UKR") not in internal  # it includes what is not releasable


def test_a_heading_left_empty_goes_too(tmp_path: Path) -> None:
    """ops#internal's own heading is marked, but a heading the briefing adds over sections
    that are all dropped has nothing under it and is dropped too."""
    project = copy_project(VARIANTS_PROJECT, tmp_path / "p")
    brief = project / "briefings" / "update.yaml"
    text = brief.read_text().replace(
        "  - from: ops#internal\n",
        '  - title: "Part two"\n    text: ""\n  - from: ops#internal\n    level: 2\n',
    )
    brief.write_text(text)
    result = run(project, "check", "--explain", "rel-ukr", "update")
    assert result.exit_code == 0, result.output
    assert "section 'Part two': nothing left under it" in result.output
    result = run(project, "build", "update", "--variant", "rel-ukr", "--variant", "internal")
    assert result.exit_code == 0, result.output
    assert "Parttwo" not in pdf_text(project, "update.rel-ukr")
    assert "Parttwo" in pdf_text(project, "update.internal")


def test_drop_report_names_place_and_condition(built: Path) -> None:
    result = run(built, "check", "--explain", "rel-ukr")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "update.rel-ukr (profile partners; releasable to UKR): 5 left out"
    line = _line_of(VARIANTS_PROJECT / "sources" / "ops.md", "## Internal matters")
    assert (
        f"  sources/ops.md:{line}: section 'Internal matters': marked NATO RESTRICTED: "
        "not releasable to UKR (releasable_to)"
    ) in lines
    item = _line_of(VARIANTS_PROJECT / "briefings" / "update.yaml", "  - title: Staff notes")
    assert f"  briefings/update.yaml:{item}: sections[6] 'Staff notes': except: [rel-ukr]" in lines
    leadership = run(built, "check", "--explain", "leadership").output
    div = _line_of(VARIANTS_PROJECT / "sources" / "ops.md", "::: {.content-visible unless-profile")
    assert (
        f"sources/ops.md:{div}: div 'Staff detail: the rotation schedule follows…': "
        '.content-visible unless-profile="leadership"'
    ) in leadership


def _line_of(path: Path, start: str) -> int:
    lines = path.read_text().splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))


def test_drop_report_in_the_json_report(built: Path) -> None:
    report = json.loads((built / "report.json").read_text())
    by_unit = {entry["unit"]: entry for entry in report["variants"]}
    assert sorted(by_unit) == UNITS
    rel = by_unit["update.rel-ukr"]
    assert rel["releasable_to"] == ["UKR"] and rel["profile"] == "partners"
    assert {"what": "section 'Internal matters'", "file": "sources/ops.md"}.items() <= (
        rel["dropped"][1].items()
    )
    assert by_unit["update.internal"]["dropped"][0]["condition"] == (
        '.content-visible when-profile="leadership"'
    )
    rows = {(row["briefing"], row["format"]) for row in report["outputs"]}
    assert ("update.leadership", "pdf") in rows


def test_unknown_explain_variant_is_a_usage_error(built: Path) -> None:
    result = run(built, "check", "--explain", "rel-ukraine")
    assert result.exit_code == 2
    assert "--explain rel-ukraine: no briefing chosen declares it; did you mean 'rel-ukr'?" in (
        result.output
    )


def test_variant_option_builds_one_and_the_rest_stays(tmp_path: Path) -> None:
    project = copy_project(VARIANTS_PROJECT, tmp_path / "p")
    result = run(project, "build", "update", "--variant", "leadership", "-f", "html")
    assert result.exit_code == 0, result.output
    assert output_files(project) == ["update.leadership.html"]
    again = run(project, "build", "update", "--variant", "leadership", "-f", "html")
    assert "0 output(s) built, 1 up to date" in again.output
    result = run(project, "build", "--variant", "rel-uk")
    assert result.exit_code == 2
    assert "did you mean 'rel-ukr'?" in result.output


def test_removing_a_variant_removes_its_outputs(tmp_path: Path) -> None:
    project = copy_project(VARIANTS_PROJECT, tmp_path / "p")
    assert run(project, "build", "update", "-f", "html").exit_code == 0
    brief = project / "briefings" / "update.yaml"
    text = brief.read_text().replace("  leadership: {profile: leadership, max_pages: 3}\n", "")
    brief.write_text(text.replace("    except: [leadership]\n", ""))
    result = run(project, "build", "update", "-f", "html")
    assert result.exit_code == 0, result.output
    assert "removed output/update.leadership.html" in result.output
    assert output_files(project) == ["update.internal.html", "update.rel-ukr.html"]
    # and removing `variants:` makes the briefing itself again
    brief.write_text(re.sub(r"variants:\n(  .*\n)+", "", brief.read_text()))
    brief.write_text(re.sub(r"    (only|except): .*\n", "", brief.read_text()))
    result = run(project, "build", "update", "-f", "html")
    assert result.exit_code == 0, result.output
    assert output_files(project) == ["update.html"]


def test_a_variant_without_conditions_changes_nothing(tmp_path: Path) -> None:
    """A briefing's single variant with no settings builds the same bytes as the briefing
    without `variants:` (so no `variants:` builds what it did before issue 16), but for the
    provenance manifest, which names the variant and the briefing file's new hash."""
    project = copy_project(VARIANTS_PROJECT, tmp_path / "p")
    plain = project / "briefings" / "plain.yaml"
    assert run(project, "build", "plain").exit_code == 0
    before = {f: (project / "output" / f).read_bytes() for f in output_files(project)}
    plain.write_text(plain.read_text() + "variants:\n  all: {}\n")
    assert run(project, "build", "plain").exit_code == 0
    for name, data in before.items():
        stem, fmt = name.split(".")
        after = (project / "output" / f"{stem}.all.{fmt}").read_bytes()
        assert without_manifest(fmt, after) == without_manifest(fmt, data), f"{name} differs"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("  internal: {}\n", "  internal: {profil: x}\n"),
            "unknown key 'profil' in variants.internal; did you mean 'profile'?",
        ),
        (("  internal: {}\n", "  Internal_1: {}\n"), "variant name must be lowercase"),
        (
            ("    only: [partners]\n", "    only: [partner]\n"),
            "sections[4].only: 'partner' names no variant or profile of this briefing; "
            "did you mean 'partners'?",
        ),
        (("releasable_to: UKR", "releasable_to: ukr"), "must be a country or group code"),
        (
            ("    except: [rel-ukr]\n", "    except: [rel-ukr]\n    only: [internal]\n"),
            "give at most one of 'only' or 'except'",
        ),
    ],
)
def test_variant_settings_are_checked(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    project = copy_project(VARIANTS_PROJECT, tmp_path / "p")
    brief = project / "briefings" / "update.yaml"
    old, new = change
    assert old in brief.read_text()
    brief.write_text(brief.read_text().replace(old, new))
    result = run(project, "check", "update")
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert re.search(r"error: briefings/update\.yaml:\d+: ", result.output), result.output


def test_releasable_to_needs_a_scheme(tmp_path: Path) -> None:
    project = copy_project(VARIANTS_PROJECT, tmp_path / "p")
    (project / "briefwright.toml").write_text("")
    brief = project / "briefings" / "update.yaml"
    text = brief.read_text().replace("marking: NATO RESTRICTED\n", "")
    brief.write_text(text.replace("text_marking: NATO UNCLASSIFIED // RELEASABLE TO UKR\n", ""))
    result = run(project, "check", "update")
    assert result.exit_code == 1
    line = _line_of(brief, "  rel-ukr:")
    assert f"briefings/update.yaml:{line}: variants.rel-ukr.releasable_to needs a marking" in (
        result.output
    )


def test_thumbnails_per_variant(tmp_path: Path) -> None:
    project = copy_project(VARIANTS_PROJECT, tmp_path / "p")
    result = run(project, "build", "update", "--variant", "rel-ukr", "-f", "pdf", "--thumbnails")
    assert result.exit_code == 0, result.output
    assert (project / "output" / "update.rel-ukr.pages.png").is_file()
    assert sorted(p.name for p in (project / "output" / "update.rel-ukr").iterdir()) == [
        "page-001.png",
        "page-002.png",
    ]


def test_a_changed_setting_rebuilds_the_variant(tmp_path: Path) -> None:
    project = copy_project(VARIANTS_PROJECT, tmp_path / "p")
    assert run(project, "build", "update", "-f", "html").exit_code == 0
    brief = project / "briefings" / "update.yaml"
    brief.write_text(brief.read_text().replace("Releasable to Ukraine", "For Ukraine"))
    result = run(project, "build", "update", "-f", "html", "--variant", "rel-ukr")
    assert "wrote output/update.rel-ukr.html" in result.output
    assert "For Ukraine" in (project / "output" / "update.rel-ukr.html").read_text()


def test_the_marking_wins_over_a_profile_rule(built: Path) -> None:
    """`only: [partners]` and a `when-profile="partners"` div both ask for content in the
    partners' variant; its marking (NATO RESTRICTED, not releasable to UKR) forbids it, and
    the drop report gives the marking as the reason."""
    report = json.loads((built / "report.json").read_text())
    rel = next(v for v in report["variants"] if v["unit"] == "update.rel-ukr")
    reasons = {d["what"]: d["condition"] for d in rel["dropped"]}
    marked = "marked NATO RESTRICTED: not releasable to UKR (releasable_to)"
    assert reasons["section 'Positions for partners'"] == marked
    assert reasons["section 'Member positions'"] == marked  # holds the partners' div
    assert not any("partners" in condition for condition in reasons.values())
    for fmt, read in READERS.items():
        assert "Partnernote" not in read(built, "update.rel-ukr"), fmt


def test_a_variant_that_keeps_nothing_is_a_warning(tmp_path: Path) -> None:
    project = copy_project(VARIANTS_PROJECT, tmp_path / "p")
    brief = project / "briefings" / "update.yaml"
    brief.write_text(
        brief.read_text().replace("  internal: {}\n", "  rel-gbr: {releasable_to: GBR}\n")
    )
    brief.write_text(brief.read_text().replace("[rel-ukr, internal]", "[rel-ukr]"))
    result = run(project, "build", "update", "--variant", "rel-gbr", "-f", "html", "--strict")
    assert result.exit_code == 1
    line = _line_of(brief, "  rel-gbr:")
    assert (
        f"briefings/update.yaml:{line}: variant 'rel-gbr' leaves nothing of the briefing in; "
        "`brief check --explain rel-gbr` lists what it leaves out"
    ) in result.output


def test_a_variant_named_as_a_briefing_says_how(built: Path) -> None:
    result = run(built, "build", "update.leadership")
    assert result.exit_code == 2
    assert "to build one variant: brief build update --variant leadership" in result.output


def test_explain_lists_what_each_glob_selected_beside_what_was_left_out(tmp_path: Path) -> None:
    """Issue 16 (reuse): a pattern's selection is reported by `brief check --explain`, per
    variant, with the line it is written on, in the text and in the JSON build report."""
    project = copy_project(VARIANTS_PROJECT, tmp_path / "p")
    brief = project / "briefings" / "update.yaml"
    text = brief.read_text().replace("  - from: ops#logistics\n", "  - from: ops#lo*\n")
    brief.write_text(text)
    line = text.splitlines().index("  - from: ops#lo*") + 1
    result = run(project, "check", "update", "--explain", "internal")
    assert result.exit_code == 0, result.output
    expected = f"  selected briefings/update.yaml:{line}: ops#lo* -> ops#logistics"
    assert expected in result.output.splitlines()
    report = project / "report.json"
    built = run(project, "build", "update", "-f", "html", "--report", str(report))
    assert built.exit_code == 0, built.output
    variants = json.loads(report.read_text())["variants"]
    assert {v["variant"]: v["selected"] for v in variants}["leadership"] == [expected[11:]]


PUBLIC_CASES = [
    # (scheme, markings of the kept portions, releasable to UKR?, the banner they roll up to)
    ("tlp", ["TLP:CLEAR"], True, "TLP:CLEAR"),
    ("tlp", ["TLP:CLEAR", "TLP:GREEN // REL TO UKR"], True, "TLP:GREEN // RELEASABLE TO UKR"),
    ("tlp", ["TLP:CLEAR // LIMITED TO STAFF"], False, "TLP:CLEAR // LIMITED TO STAFF"),
    ("tlp", ["TLP:GREEN"], False, "TLP:GREEN"),
    ("corporate", ["PUBLIC", "INTERNAL // REL TO UKR"], True, "INTERNAL // RELEASABLE TO UKR"),
    ("nato", ["NATO UNCLASSIFIED"], False, "NATO UNCLASSIFIED"),
    ("nato", ["NATO UNCLASSIFIED", "NR // REL TO UKR"], False, "NATO RESTRICTED"),
]


@pytest.mark.parametrize(("scheme", "texts", "allowed", "banner"), PUBLIC_CASES)
def test_public_levels_are_releasable_to_anyone_unless_restricted(
    scheme: str, texts: list[str], allowed: bool, banner: str
) -> None:
    """Published material (TLP:CLEAR, PUBLIC) may go to a partner without a caveat saying so,
    and does not take the caveat off the banner; NATO UNCLASSIFIED still needs one."""
    from briefwright.drops import releasable
    from briefwright.markings import BUILTIN_SCHEMES, parse_marking, roll_up

    found = [parse_marking(text, BUILTIN_SCHEMES[scheme], "here") for text in texts]
    assert all(releasable(mk, ["UKR"]) for mk in found) is allowed
    whole = roll_up(found, BUILTIN_SCHEMES[scheme])
    assert whole is not None and whole.text() == banner


def test_the_preview_shows_each_variant_of_its_own(tmp_path: Path) -> None:
    """`brief preview` with variants: the index links every NAME.VARIANT, a briefing's page
    leads to its first variant, each variant renders what its own build keeps, and a variant
    the briefing does not declare is named."""
    from briefwright.preview.session import Session

    project = copy_project(VARIANTS_PROJECT, tmp_path / "p")
    events: list[tuple[str, dict[str, object]]] = []
    session = Session(project, lambda kind, view: events.append((kind, view)))
    assert session.units()["update"] == UNITS
    assert session.briefing_names() == ["plain", *UNITS]
    for name in ("update.leadership", "update.internal"):
        session.state(name)
    assert session.state("update.nope") is None  # no page for it: the server answers 404
    session.refresh()
    html = {
        name: (project / "output" / ".preview" / name / f"{name}.html").read_text()
        for name in ("update.leadership", "update.internal")
    }
    assert "Leadership summary" in html["update.leadership"]
    assert "Leadership summary" not in html["update.internal"]
    brief = project / "briefings" / "update.yaml"  # the variant a page shows goes away
    text = brief.read_text().replace("  leadership: {profile: leadership, max_pages: 3}\n", "")
    brief.write_text(text.replace("    except: [leadership]\n", ""))
    session.refresh()
    failed = [view for kind, view in events if kind == "failed"]
    assert [view["name"] for view in failed] == ["update.leadership"]
    assert failed[0]["errors"] == [
        "briefings/update.yaml declares no variant 'leadership'; it declares internal, rel-ukr"
    ]
    result = run(project, "preview", "update", "--variant", "rel-uk")
    assert result.exit_code == 2 and "did you mean 'rel-ukr'?" in result.output
