"""Issue 14, `brief import` core: the plain-text reader, clutter rules, the command (IDs,
markings, --force, --dry-run, --report, errors), and the proof on the project's seed files."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from briefwright.importing import clutter, text
from tests.helpers import REPO, assert_no_crash, copy_project, pdf_pages, run

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "cases" / "import_text.yaml").read_text(encoding="utf-8")
)
SEEDS = REPO / "tests" / "data" / "import" / "text"
EPOCH = "1790000000"  # 2026-09-21


def _cases(kind: str) -> list[dict[str, Any]]:
    return [case for case in CASES if kind in case]


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.mark.parametrize("case", _cases("text"), ids=lambda c: c["name"])
def test_issue_14_text_reader(case: dict[str, Any]) -> None:
    imported = text.read(case["text"].encode("utf-8"), "case.txt")
    assert imported.markdown == case["markdown"]
    assert imported.title == case.get("title", "T")


@pytest.mark.parametrize("case", _cases("clutter"), ids=lambda c: c["name"])
def test_issue_14_clutter_rules(case: dict[str, Any]) -> None:
    rules = clutter.compile_rules(case.get("rules", []))
    kept, removed = clutter.remove_clutter(case["clutter"], rules)
    assert [[r.text, r.rule] for r in removed] == case["removed"]
    for line in case.get("kept", []):
        assert line in kept
    for item in removed:  # every removed line is named with its line in the input
        assert item.line is not None
        assert case["clutter"].split("\n")[item.line - 1].strip() == item.text
        assert item.text not in [line.strip() for line in kept.split("\n")]


def _prepare(project: Path, spec: dict[str, Any]) -> None:
    for name, content in spec.get("files", {}).items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(content, encoding="utf-8")
    for name, content in spec.get("raw", {}).items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_bytes(content.encode("latin-1"))
    for name, kind in spec.get("generate", {}).items():
        assert kind == "zip"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "not a Word document")
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_bytes(buffer.getvalue())


@pytest.mark.parametrize("case", _cases("cli"), ids=lambda c: c["name"])
def test_issue_14_import_command(case: dict[str, Any], scratch_project: Path) -> None:
    spec = case["cli"]
    _prepare(scratch_project, spec)
    before = sorted(p.name for p in (scratch_project / "sources").iterdir())
    args = [arg.replace("{project}", str(scratch_project)) for arg in spec["args"]]
    result = run(scratch_project, *args)
    assert_no_crash(result)
    assert result.exit_code == spec["exit"], result.output

    def fill(line: str) -> str:
        return line.replace("{project}", str(scratch_project))

    for line in spec.get("stdout", []):
        assert fill(line) in result.stdout.splitlines(), result.stdout
    for line in spec.get("stderr", []):
        assert fill(line) in result.stderr.splitlines(), result.stderr
    if "stderr_contains" in spec:
        assert fill(spec["stderr_contains"]) in result.stderr
    for name in spec.get("exists", []):
        assert (scratch_project / name).is_file()
    for name in spec.get("absent", []):
        assert not (scratch_project / name).exists()
    for name, wanted in spec.get("contains", {}).items():
        assert wanted in (scratch_project / name).read_text(encoding="utf-8")
    for name, unwanted in spec.get("absent_text", {}).items():
        assert unwanted not in (scratch_project / name).read_text(encoding="utf-8")
    if result.exit_code != 0:  # a failed import writes nothing
        assert sorted(p.name for p in (scratch_project / "sources").iterdir()) == before
    elif spec.get("check", True):
        assert run(scratch_project, "check").exit_code == 0  # what import writes loads


# --- the proof: the example's sources are what `brief import` makes of the seed files -------

SEED_SOURCES = {
    "000_59014b4803a60190.txt": "nato-peacekeeping",
    "004_c199905ea8b10231.txt": "nato-ukraine",
}


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    return copy_project(REPO, tmp_path / "example")


def _import_seeds(project: Path, *extra: str) -> Any:
    names = [str(SEEDS / name) for name in SEED_SOURCES]
    return run(project, "import", "--marking", "TLP:CLEAR", *names, *extra)


def _makefile_imports() -> list[list[str]]:
    """The `brief import` commands of the Makefile's `sources` target, as argument lists: the
    test runs what the README tells people to run, not a copy of it."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^sources:.*\n((?:\t.*\n)+)", makefile, flags=re.M)
    assert recipe is not None, "the Makefile has a `sources` target"
    commands = []
    for line in recipe.group(1).splitlines():
        words = line.strip().replace("$(SEEDS)", str(SEEDS)).split()
        assert words[0] == "$(BIN)/brief" and words[1] == "import"
        commands.append(words[1:])
    return commands


def test_issue_14_example_sources_are_what_import_makes(example_copy: Path) -> None:
    commands = _makefile_imports()
    assert sorted(c[c.index("--id") + 1] for c in commands) == sorted(SEED_SOURCES.values())
    committed = {p.name: p.read_bytes() for p in (REPO / "sources").glob("nato-*.md")}
    for command in commands:
        result = run(example_copy, *command)
        assert result.exit_code == 0, result.output
        # "unchanged": the command made exactly the bytes that are committed
        assert result.stdout.startswith("unchanged "), result.stdout
    assert {p.name: p.read_bytes() for p in (example_copy / "sources").glob("nato-*.md")} == (
        committed
    )


def test_issue_14_seed_import_from_scratch_matches_the_example_sources(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No earlier source to take the date from: the same file, given the same import date."""
    for name in SEED_SOURCES.values():
        (example_copy / "sources" / f"{name}.md").unlink()
    for command in _makefile_imports():
        source = REPO / "sources" / f"{command[command.index('--id') + 1]}.md"
        day = re.search(r"^imported: (\S+)$", source.read_text(encoding="utf-8"), flags=re.M)
        assert day is not None
        epoch = datetime.datetime.fromisoformat(day.group(1)).replace(tzinfo=datetime.UTC)
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(epoch.timestamp())))
        result = run(example_copy, *command)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("imported "), result.stdout
        written = example_copy / "sources" / source.name
        assert written.read_bytes() == source.read_bytes()


def test_issue_14_every_clutter_line_of_the_seeds_is_reported(example_copy: Path) -> None:
    report = example_copy / "report.json"
    result = _import_seeds(example_copy, "--report", str(report))
    assert result.exit_code == 0, result.output
    entries = json.loads(report.read_text(encoding="utf-8"))
    removed = [[(r["line"], r["rule"], r["text"][:20]) for r in e["removed"]] for e in entries]
    assert removed == [
        [
            (3, "ai-disclaimer", "🧠 AI-Generated Insig"),
            (33, "see-also", "See also\xa0 NATO's Par"),
            (67, "see-also", "See also\xa0 Understand"),
            (99, "see-also", "See also\xa0 Understand"),
            (140, "trailing-block", "Similar Posts"),
        ],
        [
            (3, "ai-disclaimer", "💡 Heads up: This art"),
            (31, "see-also", "See also\xa0 NATO's Mil"),
            (73, "see-also", "See also\xa0 NATO's Joi"),
            (105, "see-also", "See also\xa0 Examining "),
        ],
    ]
    assert [e["kind"] for e in entries] == ["text", "text"]
    assert [e["sections"] for e in entries] == [13, 13]
    lines = result.stdout.splitlines()
    assert lines[0].endswith(
        "-> sources/understanding-nato-peacekeeping-operations-and-their-global-impact.md "
        "(13 sections, 1983 words; 5 lines removed)"
    )


def test_issue_14_reimport_is_idempotent(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _import_seeds(example_copy).exit_code == 0
    written = {p: p.read_bytes() for p in (example_copy / "sources").glob("*.md")}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 86400 * 30))  # a month later
    again = _import_seeds(example_copy)
    assert again.exit_code == 0, again.output
    assert [line.split()[0] for line in again.stdout.splitlines()] == ["unchanged"] * 2
    assert {p: p.read_bytes() for p in (example_copy / "sources").glob("*.md")} == written


def test_issue_14_imported_date_and_sha256(example_copy: Path) -> None:
    seed = SEEDS / "004_c199905ea8b10231.txt"
    result = run(example_copy, "import", "--marking", "TLP:CLEAR", "--id", "u", str(seed))
    assert result.exit_code == 0, result.output
    head = (example_copy / "sources" / "u.md").read_text(encoding="utf-8").split("---")[1]

    assert f"sha256: {hashlib.sha256(seed.read_bytes()).hexdigest()}\n" in head
    assert "imported: 2026-09-21\n" in head
    assert "origin: 004_c199905ea8b10231.txt\n" in head


def test_issue_14_dry_run_and_report_write_no_source(example_copy: Path) -> None:
    before = sorted((example_copy / "sources").iterdir())
    report = example_copy / "r.json"
    result = _import_seeds(example_copy, "--dry-run", "--report", str(report))
    assert result.exit_code == 0, result.output
    assert sorted((example_copy / "sources").iterdir()) == before
    assert "would remove (trailing-block): Similar Posts" in result.stdout
    entry = json.loads(report.read_text(encoding="utf-8"))[1]
    assert set(entry) == {
        "input", "output", "kind", "sections", "words", "unchanged", "removed", "warnings"
    }  # fmt: skip
    assert entry["removed"][0]["rule"] == "ai-disclaimer"


def test_issue_14_imported_source_builds_to_pdf_and_docx(example_copy: Path) -> None:
    seed = SEEDS / "004_c199905ea8b10231.txt"
    result = run(example_copy, "import", "--marking", "TLP:CLEAR", "--id", "imp", str(seed))
    assert result.exit_code == 0, result.output
    (example_copy / "briefings" / "imp.yaml").write_text(
        "title: Imported\nformats: [pdf, docx]\nsections:\n"
        "  - from: imp#escalation-versus-deterrence-dynamics\n",
        encoding="utf-8",
    )
    built = run(example_copy, "build", "imp")
    assert built.exit_code == 0, built.output
    pdf = " ".join(pdf_pages(example_copy / "output" / "imp.pdf"))
    assert "Escalation versus Deterrence Dynamics" in pdf
    assert "See also" not in pdf
    paragraphs = [
        p.text for p in docx.Document(str(example_copy / "output" / "imp.docx")).paragraphs
    ]
    assert "Escalation versus Deterrence Dynamics" in paragraphs
    assert any(p.startswith("The dynamic between escalation and deterrence") for p in paragraphs)
    assert not any("See also" in p for p in paragraphs)


# --- sniffing, reader dispatch and images -------------------------------------------------


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (b"%PDF-1.7\n...", "report.bin", "pdf"),
        (b"\n<!DOCTYPE html><html><body>x</body></html>", "page.txt", "html"),
        (b"<html lang=en><p>x", "saved", "html"),
        (b"<p>a fragment</p>", "frag.htm", "html"),
        (b"Title\n\nText.\n", "note.txt", "text"),
        (b"# Title\n\nText.\n", "note.md", "markdown"),
        (b"Title\n\n## Part\n\nText.\n", "no-extension", "markdown"),
        (b"Title\n\nText.\n", "no-extension", "text"),
        (b"Title\n\nText.\n", "https://example.org/a?x=1", "text"),
        (_docx_bytes(), "letter.bin", "docx"),
    ],
)
def test_issue_14_sniff_kind_from_bytes_with_extension_as_hint(
    data: bytes, name: str, kind: str
) -> None:
    from briefwright.importing.sniff import sniff

    assert sniff(data, name) == kind


def test_issue_14_a_missing_reader_is_named() -> None:
    from briefwright.errors import ImportFailed
    from briefwright.importing.load import reader_module

    with pytest.raises(ImportFailed) as caught:
        reader_module("no_such_kind", "NOSUCH files", Path("in/x.nosuch"))
    assert str(caught.value) == (
        "in/x.nosuch: cannot import NOSUCH files: this briefwright has no reader for them "
        "(briefwright.importing.no_such_kind is missing)"
    )


def test_issue_14_images_stay_in_sources_and_are_checked(tmp_path: Path) -> None:
    from PIL import Image

    from briefwright.errors import ImportFailed, UsageError
    from briefwright.importing import write
    from briefwright.importing.model import ImportedImage

    sources = tmp_path / "sources"
    sources.mkdir()
    for bad in ("../x.png", "/etc/x.png", "img/../../x.png", ""):
        with pytest.raises((ImportFailed, UsageError)):
            write.image_path(sources, ImportedImage(bad, b""), sources)
    png = io.BytesIO()
    Image.new("RGB", (4, 3)).save(png, format="PNG")
    good = write.image_path(sources, ImportedImage("img/a-1.png", png.getvalue()), sources)
    fake = write.image_path(sources, ImportedImage("img/b.png", b"not a png"), sources)
    write.write_images([(good, png.getvalue())], tmp_path)
    assert good.read_bytes() == png.getvalue()
    with pytest.raises(ImportFailed, match=r"^sources/img/b.png: imported image "):
        write.write_images([(fake, b"not a png")], tmp_path)
    assert not fake.exists()  # a bad image is not left behind


def test_issue_14_a_source_imported_into_a_subfolder_is_used(example_copy: Path) -> None:
    """`--into` wrote where `brief build` did not look: sources are read from subfolders too."""
    seed = SEEDS / "004_c199905ea8b10231.txt"
    args = ["import", "--marking", "TLP:CLEAR", "--id", "imp", "--into", "web/2026", str(seed)]
    result = run(example_copy, *args)
    assert result.exit_code == 0, result.output
    assert (example_copy / "sources" / "web" / "2026" / "imp.md").is_file()
    (example_copy / "briefings" / "imp.yaml").write_text(
        "title: Imported\nformats: [html]\nsections:\n"
        "  - from: web/2026/imp#escalation-versus-deterrence-dynamics\n",  # its path (issue 16)
        encoding="utf-8",
    )
    assert run(example_copy, "check", "imp").exit_code == 0
    built = run(example_copy, "build", "imp")
    assert built.exit_code == 0, built.output
    assert "Escalation versus Deterrence Dynamics" in (
        example_copy / "output" / "imp.html"
    ).read_text(encoding="utf-8")
    assert "up to date" in run(example_copy, "build", "imp").output  # the no-op path sees it


def test_issue_16_one_file_name_in_two_folders_is_two_sources(example_copy: Path) -> None:
    """A source's ID is its path in sources/ (issue 16), so sources/x.md and sources/web/x.md
    are `x` and `web/x`; IDs that differ only in case are one file on macOS and Windows."""
    shutil.copy(example_copy / "sources" / "nato-ukraine.md", example_copy / "sources" / "x.md")
    (example_copy / "sources" / "web").mkdir()
    shutil.copy(example_copy / "sources" / "x.md", example_copy / "sources" / "web" / "x.md")
    (example_copy / "briefings" / "x.yaml").write_text(
        "title: X\nformats: [html]\nsections:\n  - from: x\n  - from: web/x\n", encoding="utf-8"
    )
    for command in ("check", "build"):
        result = run(example_copy, command, "x")
        assert result.exit_code == 0, result.output
    (example_copy / "sources" / "X.md").write_text("# X\n", encoding="utf-8")
    for command in ("check", "build"):
        result = run(example_copy, command, "x")
        assert result.exit_code == 1, result.output
        assert (
            "error: sources/x.md: source ID 'x' differs only in case from sources/X.md; "
            "rename one of them" in result.output
        )
