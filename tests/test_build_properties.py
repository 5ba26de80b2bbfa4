"""Issue 11: the no-op answer, the full build (--report takes it) and a forced build agree.

Random sequences of edits to a copy of the feature project; after each, the same build runs
without --report (answered from the records when nothing changed) in one copy and with --report
(always the full build) in another. Both must rebuild the same outputs, and their outputs must
be byte for byte what a --force build makes. BRIEF_PROPERTY_EXAMPLES sets the number of
examples (default 12; the closing note of issue 11 reports a run of 200).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefwright.cli import cli
from tests.helpers import FEATURE_PROJECT, copy_project

EXAMPLES = int(os.environ.get("BRIEF_PROPERTY_EXAMPLES", "12"))
PNG = (FEATURE_PROJECT / "sources" / "img" / "chart.png").read_bytes()

EDITS = [
    "used section",
    "unused section",
    "briefing",
    "template file",
    "config",
    "image",
    "date environment",
    "strict option",
    "delete briefing",
    "nothing",
]


def _edit(project: Path, edit: str, step: int) -> None:
    sources, briefings = project / "sources", project / "briefings"
    if edit == "used section":
        path = sources / "features.md"
        path.write_text(path.read_text().replace("KFOR |", f"KFOR{step} |", 1))
    elif edit == "unused section":
        path = sources / "other.md"
        path.write_text(path.read_text() + f"\n## Appendix {step}\n\nUnused words {step}.\n")
    elif edit == "briefing":
        path = briefings / "small.yaml"
        if path.is_file():
            path.write_text(path.read_text().replace('title: "Small', f'title: "Small {step}', 1))
    elif edit == "template file":
        folder = project / "templates" / "briefing"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "style.css").write_text(f"main {{ color: #00000{step % 10}; }}\n")
    elif edit == "config":
        with (project / "briefwright.toml").open("a") as config:
            config.write(f"# edit {step}\n")
    elif edit == "image":
        path = sources / "img" / "chart.png"
        path.write_bytes(PNG if path.read_bytes() != PNG else PNG + b"\0")
    elif edit == "delete briefing":
        (briefings / "features-memo.yaml").unlink(missing_ok=True)
    else:
        assert edit in ("date environment", "strict option", "nothing")


def _html_outputs(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "output").glob("*.html"))}


def _build(project: Path, *args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["--project", str(project), "build", *args])
    built = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("wrote ")]
    return result.exit_code, sorted(built)


@contextmanager
def _epoch(value: str | None) -> Iterator[None]:
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = value
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=st.lists(st.sampled_from(EDITS), min_size=1, max_size=4))
def test_issue_11_noop_full_and_forced_builds_agree(tmp_path: Path, edits: list[str]) -> None:
    base = Path(tempfile.mkdtemp(dir=tmp_path))  # a fresh folder each time, replays too
    plain = copy_project(FEATURE_PROJECT, base / "plain")
    # undated, so that the date environment matters
    for project in (plain,):
        small = project / "briefings" / "small.yaml"
        small.write_text(small.read_text().replace("date: 2026-01-15\n", ""))
    reported = base / "reported"
    shutil.copytree(plain, reported)
    epoch: str | None = "1700000000"
    strict = False
    with _epoch(epoch):
        assert _build(plain, "--format", "html")[0] == 0
        assert _build(reported, "--format", "html", "--report", str(base / "r.json"))[0] == 0
    for step, edit in enumerate(edits):
        for project in (plain, reported):
            _edit(project, edit, step)
        if edit == "date environment":
            epoch = None if epoch else "1700000000"
        if edit == "strict option":
            strict = not strict
        options = ["--format", "html", *(["--strict"] if strict else [])]
        with _epoch(epoch):
            quick = _build(plain, *options)
            full = _build(reported, *options, "--report", str(base / "r.json"))
            assert quick == full, (edits, step)
    forced = base / "forced"
    shutil.copytree(reported, forced)
    with _epoch(epoch):
        assert _build(forced, "--format", "html", "--force")[0] == 0
    assert _html_outputs(plain) == _html_outputs(forced)
    assert _html_outputs(reported) == _html_outputs(forced)
