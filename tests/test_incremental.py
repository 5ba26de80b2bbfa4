"""Incremental, sharded, reported and reproducible batch builds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO, copy_project, output_files, run


def built_and_fresh(stdout: str) -> tuple[list[str], list[str]]:
    lines = stdout.splitlines()
    built = [ln.split()[1] for ln in lines if ln.startswith("wrote ")]
    fresh = [ln.split()[-1] for ln in lines if ln.startswith("up to date ")]
    return built, fresh


@pytest.fixture
def project(scratch_project: Path) -> Path:
    assert run(scratch_project, "build", "--format", "html").exit_code == 0
    return scratch_project


def build(project: Path, *args: str) -> tuple[list[str], list[str]]:
    result = run(project, "build", "--format", "html", *args)
    assert result.exit_code == 0, result.output
    return built_and_fresh(result.stdout)


def test_a_second_build_rebuilds_nothing(project: Path) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in (project / "output").glob("*.html")}
    built, fresh = build(project)
    assert built == [] and len(fresh) == 3
    after = {p.name: p.stat().st_mtime_ns for p in (project / "output").glob("*.html")}
    assert after == before


def test_editing_an_unused_section_rebuilds_nothing(project: Path) -> None:
    other = project / "sources" / "other.md"
    other.write_text(other.read_text().replace("Text that no briefing", "Words no briefing"))
    assert build(project)[0] == []


def test_editing_a_section_rebuilds_only_its_briefings(project: Path) -> None:
    features = project / "sources" / "features.md"
    features.write_text(features.read_text().replace("KFOR | 1999-", "KFOR | 1999 on"))
    built, fresh = build(project)
    assert fresh == []
    # small takes features#data; features and features-memo take the whole source
    assert sorted(built) == [
        "output/features-memo.html",
        "output/features.html",
        "output/small.html",
    ]
    features.write_text(features.read_text().replace("Text under a fourth", "Words under a fourth"))
    built, _ = build(project)
    assert sorted(built) == ["output/features-memo.html", "output/features.html"]


def test_template_config_and_force_rebuild_everything(project: Path) -> None:
    (project / "templates" / "briefing").mkdir(parents=True)
    (project / "templates" / "briefing" / "style.css").write_text("main { color: #111; }")
    assert sorted(build(project)[0]) == ["output/features.html", "output/small.html"]
    config = project / "briefwright.toml"
    config.write_text(config.read_text() + "\n# a comment changes no setting\n")
    assert build(project)[0] == []  # issue 16: the settings count, not the bytes
    config.write_text(config.read_text() + '\n[defaults]\nauthor = "Someone"\n')
    assert len(build(project)[0]) == 3
    assert len(build(project, "--force")[0]) == 3


def test_issue_11_strict_rebuilds_nothing_after_a_clean_build(project: Path) -> None:
    built, fresh = build(project, "--strict")
    assert built == [] and len(fresh) == 3


def test_a_tampered_output_is_rebuilt(project: Path) -> None:
    (project / "output" / "small.html").write_text("<p>edited by hand</p>")
    assert build(project)[0] == ["output/small.html"]


@pytest.mark.parametrize(
    "content", ["{not json", '{"format": "someone-else/9", "entries": {}}', '["list"]']
)
def test_a_corrupt_or_foreign_cache_is_ignored_with_a_warning(project: Path, content: str) -> None:
    (project / "output" / ".brief-records.json").write_text(content)
    result = run(project, "build", "--format", "html")
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: output/.brief-records.json: build records ignored")
    assert len(built_and_fresh(result.stdout)[0]) == 3
    assert len(build(project)[1]) == 3  # and the rewritten cache is trusted again


def test_shards_partition_the_briefings(scratch_project: Path) -> None:
    seen: list[str] = []
    for k in (1, 2):
        built = run(scratch_project, "build", "--format", "html", "--shard", f"{k}/2")
        assert built.exit_code == 0, built.output
        seen += built_and_fresh(built.stdout)[0]
    assert sorted(seen) == sorted(
        f"output/{n}.html" for n in ("features", "features-memo", "small")
    )
    assert len(set(seen)) == len(seen)


def test_a_bad_shard_is_a_usage_error(scratch_project: Path) -> None:
    result = run(scratch_project, "build", "--shard", "3/2")
    assert result.exit_code == 2
    assert "'3/2' is not K/N with 1 <= K <= N" in result.stderr


def test_the_report_has_one_record_per_output(project: Path, tmp_path: Path) -> None:
    features = project / "sources" / "features.md"
    features.write_text(features.read_text().replace("KFOR | 1999-", "KFOR | 1999 on"))
    report_path = tmp_path / "report.json"
    result = run(project, "build", "--format", "html", "--report", str(report_path))
    report = json.loads(report_path.read_text())
    assert report["format"] == "briefwright-report/2"
    records = {(r["briefing"], r["format"]): r for r in report["outputs"]}
    assert set(records) == {("features", "html"), ("features-memo", "html"), ("small", "html")}
    small = records[("small", "html")]
    assert small["status"] == "built" and small["cached"] is False
    assert small["path"] == "output/small.html" and len(small["sha256"]) == 64
    assert {"tool", "format", "briefing", "date", "template", "section"} <= set(small["inputs"])
    sections = [s["name"] for s in small["inputs"]["section"]]
    assert sections == ["features#data", "other#overview"]
    assert report["summary"] == {
        "outputs": 3,
        "built": 3,
        "up_to_date": 0,
        "failed": 0,
        "not_started": 0,
        "removed": 0,
        "warnings": 0,
    }
    assert result.exit_code == 0


def test_quiet_prints_only_the_summary(project: Path) -> None:
    result = run(project, "build", "--format", "html", "--quiet", "--force")
    assert result.stdout.splitlines() == [
        "3 output(s) built, 0 up to date, 0 removed; 0 briefing(s) failed; 0 warning(s)"
    ]


LOADED = (
    "import sys\nfrom briefwright.cli import main\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "print('LOADED', sorted(m for m in ('weasyprint', 'docx', 'markdown_it', 'yaml')"
    " if m in sys.modules))"
)


def brief_loading(project: Path, *args: str) -> tuple[str, str]:
    """What `brief ARGS` printed, and which renderers and parsers it imported."""
    command = [sys.executable, "-c", LOADED, "--project", str(project), *args]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    output, _, loaded = result.stdout.rpartition("LOADED ")
    return output, loaded.strip()


def test_a_noop_build_reads_and_renders_nothing(project: Path) -> None:
    output, loaded = brief_loading(project, "build", "--format", "html")
    assert "0 output(s) built, 3 up to date" in output
    assert loaded == "[]"  # no renderer, and not even a parser: nothing changed


def test_any_change_sends_the_build_the_full_way(project: Path) -> None:
    other = project / "sources" / "other.md"
    other.write_text(other.read_text().replace("Text that no briefing", "Words no briefing"))
    output, loaded = brief_loading(project, "build", "--format", "html")
    assert "0 output(s) built, 3 up to date" in output  # unused section: still up to date
    assert loaded == "['markdown_it', 'yaml']"
    assert brief_loading(project, "build", "--format", "html")[1] == "[]"  # recorded again


def test_a_changed_image_rebuilds_what_shows_it(project: Path) -> None:
    chart = project / "sources" / "img" / "chart.png"  # in features#data, which all three show
    chart.write_bytes(ONE_PIXEL_PNG)
    assert len(build(project)[0]) == 3
    assert build(project)[0] == []


def test_an_image_in_a_briefings_own_text_is_an_input(project: Path) -> None:
    shutil.copy(project / "sources" / "img" / "chart.png", project / "briefings" / "own.png")
    small = project / "briefings" / "small.yaml"
    small.write_text(small.read_text() + "  - text: '![Our own chart](own.png)'\n")
    assert build(project)[0] == ["output/small.html"]
    (project / "briefings" / "own.png").write_bytes(ONE_PIXEL_PNG)
    assert build(project)[0] == ["output/small.html"]
    assert build(project)[0] == []


def test_legacy_records_are_replaced(project: Path) -> None:
    (project / "output" / ".brief-quick.json").write_text("{not json")
    (project / "output" / ".brief-cache.json").write_text("{not json")
    assert build(project)[0] == []
    assert not (project / "output" / ".brief-quick.json").exists()
    assert not (project / "output" / ".brief-cache.json").exists()


def test_sections_answers_again_without_parsing_until_a_source_changes(project: Path) -> None:
    first, _ = brief_loading(project, "sections")
    again, loaded = brief_loading(project, "sections")
    assert again == first and loaded == "[]"
    other = project / "sources" / "other.md"
    other.write_text(other.read_text().replace("## Unused section", "## Another overview"))
    changed, loaded = brief_loading(project, "sections")
    assert "Another overview" in changed and loaded == "['markdown_it', 'yaml']"


# a valid 1x1 PNG: a different image for the chart
ONE_PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108020000009077"
    "53de0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


def test_two_builds_in_separate_processes_are_byte_identical(tmp_path: Path) -> None:
    outputs = []
    for name in ("one", "two"):
        project = copy_project(REPO, tmp_path / name)
        command = [sys.executable, "-m", "briefwright", "--project", str(project), "build"]
        subprocess.run([*command, "exec-memo"], check=True, capture_output=True)
        outputs.append({n: (project / "output" / n).read_bytes() for n in output_files(project)})
    assert outputs[0].keys() == {"exec-memo.pdf", "exec-memo.docx"}
    assert outputs[0] == outputs[1]
