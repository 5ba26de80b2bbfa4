"""Issue 18: the provenance manifest inside every output, read back, and `brief provenance`."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any, cast

import docx
import pypdf
import pytest
import weasyprint

from briefwright.build.plan import plan_build
from briefwright.project import find_project
from briefwright.provenance.collect import current_manifest
from briefwright.provenance.manifest import FILE_NAME, Manifest, manifest_sha256, to_json
from briefwright.provenance.read import read_manifest
from briefwright.writers.html_manifest import manifest_script, with_manifest_script
from tests.helpers import REPO, assert_no_crash, copy_project, run

BRIEF = "exec-brief"
USED = "nato-ukraine#nato-military-operations-in-ukraine"  # a section the exec brief takes
OLD = "NATO\u2019s military operations in Ukraine"  # its first words


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project with its exec brief built (both variants, every format)."""
    project = copy_project(REPO, tmp_path_factory.mktemp("provenance"))
    result = run(project, "build", BRIEF)
    assert result.exit_code == 0, result.output
    return project


def output(project: Path, variant: str, ext: str) -> Path:
    return project / "output" / f"{BRIEF}.{variant}.{ext}"


def record(project: Path, name: str) -> Manifest:
    """The manifest the build records for the unit `name`, made without rendering."""
    found = find_project(project, None)
    plan = plan_build(found, [project / "briefings" / f"{BRIEF}.yaml"])
    briefing = next(b for b in plan.briefings if b.name == name)
    return current_manifest(found, plan, briefing)


@pytest.mark.parametrize("variant", ["full", "leadership"])
def test_each_format_carries_the_builds_record(built: Path, variant: str) -> None:
    pdf, docx_, html = (
        read_manifest(output(built, variant, ext)) for ext in ("pdf", "docx", "html")
    )
    assert pdf == docx_ == html == record(built, f"{BRIEF}.{variant}")
    assert (pdf.briefing, pdf.variant) == (f"{BRIEF}.{variant}", variant)
    assert pdf.git is None  # a copy outside any git repository
    keys = [section.key for section in pdf.sections]
    assert USED in keys and len(keys) == len(set(keys))


def test_the_build_report_names_each_outputs_manifest(tmp_path: Path) -> None:
    """The report's `manifest_sha256` is the hash of the manifest read back from each file,
    when it is built and, from the records, when it is up to date."""
    project = copy_project(REPO, tmp_path / "p")
    reports: list[dict[str, Any]] = []
    for _ in range(2):  # the first builds, the second finds all up to date
        path = tmp_path / f"report{len(reports)}.json"
        result = run(project, "build", BRIEF, "--report", str(path))
        assert result.exit_code == 0, result.output
        reports.append(json.loads(path.read_text()))
    assert reports[1]["summary"]["up_to_date"] == 6  # the second answered from the records
    for report in reports:
        rows = report["outputs"]
        assert len(rows) == 6
        for row in rows:
            read = read_manifest(project / row["path"])
            assert row["manifest_sha256"] == manifest_sha256(to_json(read).decode()), row["path"]


def test_pdf_attachment_is_the_manifest_dated_by_the_briefing(built: Path) -> None:
    reader = pypdf.PdfReader(output(built, "full", "pdf"))
    assert list(reader.attachments) == [FILE_NAME]
    data = reader.attachments[FILE_NAME][0]
    assert to_json(read_manifest(output(built, "full", "pdf"))) == data
    names = cast(pypdf.generic.DictionaryObject, reader.root_object["/Names"])
    tree = cast(pypdf.generic.DictionaryObject, names["/EmbeddedFiles"].get_object())
    entries = cast(pypdf.generic.ArrayObject, tree["/Names"])
    spec = cast(pypdf.generic.DictionaryObject, entries[1].get_object())
    files = cast(pypdf.generic.DictionaryObject, spec["/EF"])
    stream = cast(pypdf.generic.StreamObject, files["/F"].get_object())
    params = cast(pypdf.generic.DictionaryObject, stream["/Params"])
    # the briefing's date (2026-11-21), never the clock's
    assert str(params["/CreationDate"]) == str(params["/ModDate"]) == "D:20261121000000Z"
    assert "/AF" not in reader.root_object  # no PDF/A-3: a plain attachment


def test_docx_custom_xml_part_and_hash_property(built: Path) -> None:
    path = output(built, "full", "docx")
    with zipfile.ZipFile(path) as package:
        rels = package.read("word/_rels/document.xml.rels").decode()
        item = package.read("customXml/item1.xml").decode()
        props = package.read("customXml/itemProps1.xml").decode()
        custom = package.read("docProps/custom.xml").decode()
        types = package.read("[Content_Types].xml").decode()
    assert 'relationships/customXml" Target="../customXml/item1.xml"' in rels
    assert 'ds:schemaRef ds:uri="urn:briefwright:provenance:1"' in props
    assert "customXml/itemProps1.xml" in types
    text = read_manifest(path)
    digest = hashlib.sha256(to_json(text)).hexdigest()
    assert f'name="briefwright-manifest-sha256"><vt:lpwstr>{digest}</vt:lpwstr>' in custom
    assert 'name="Classification"><vt:lpwstr>TLP:CLEAR</vt:lpwstr>' in custom  # still there
    assert item.startswith("<?xml") and "<manifest " in item
    assert docx.Document(str(path)).paragraphs  # python-docx still opens it


def test_html_script_is_at_the_end_of_the_body(built: Path) -> None:
    html = output(built, "full", "html").read_text(encoding="utf-8")
    script = manifest_script(to_json(read_manifest(output(built, "full", "html"))).decode())
    assert html.endswith(script + "</body>\n</html>\n")


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("<html><body><p>x</p></body></html>", "<html><body><p>x</p>{S}</body></html>"),
        ("<p>no body end</p>", "<p>no body end</p>\n{S}"),
        ("<BODY>a</BODY >\n", "<BODY>a{S}</BODY >\n"),
        ("<body><!-- </body> --></body>", "<body><!-- </body> -->{S}</body>"),
    ],
)
def test_no_template_can_lose_the_script(page: str, expected: str) -> None:
    script = manifest_script("{}\n")
    assert with_manifest_script(page, "{}\n") == expected.replace("{S}", script)
    assert with_manifest_script(page, "") == page  # nothing recorded: nothing added


def test_script_text_cannot_end_the_script(tmp_path: Path) -> None:
    project = copy_project(REPO, tmp_path / "p")
    (project / "sources" / "tricky.md").write_text(
        "## Tricky\n\nA </script><script>alert(1)</script> and <!-- & --> in text.\n"
    )
    (project / "briefings" / "tricky.yaml").write_text(
        "title: Tricky\nformats: [html]\nsections:\n  - from: tricky#tricky\n"
    )
    assert run(project, "build", "tricky").exit_code == 0
    html = (project / "output" / "tricky.html").read_text(encoding="utf-8")
    inside = html.split('id="briefwright-manifest">', 1)[1].split("</script>", 1)[0]
    assert "<" not in inside and ">" not in inside and "&" not in inside
    assert "\\u003c/script\\u003e" in inside
    manifest = read_manifest(project / "output" / "tricky.html")
    texts = [p.text for s in manifest.sections for p in s.paragraphs]
    assert any("</script><script>alert(1)</script>" in text for text in texts)


@pytest.mark.parametrize("ext", ["pdf", "docx", "html"])
def test_travelled_and_renamed_output_is_read(built: Path, ext: str, tmp_path: Path) -> None:
    moved = tmp_path / "inbox" / "Re- brief (final) v2.dat"
    moved.parent.mkdir()
    shutil.copy(output(built, "leadership", ext), moved)
    assert read_manifest(moved) == read_manifest(output(built, "leadership", ext))
    result = run(built, "provenance", str(moved))
    assert result.exit_code == 0, result.output
    assert "briefing:  exec-brief.leadership (briefings/exec-brief.yaml" in result.output
    assert re.search(
        rf"^{re.escape(USED)}\s+sources/nato-ukraine.md:\d+-\d+\s", result.output, re.M
    )
    as_json = run(built, "provenance", str(moved), "--json")
    assert as_json.output.encode() == to_json(read_manifest(moved))


def test_rebuild_is_byte_identical(built: Path, tmp_path: Path) -> None:
    again = copy_project(REPO, tmp_path / "again")
    assert run(again, "build", BRIEF).exit_code == 0
    for ext in ("pdf", "docx", "html"):
        first = output(built, "full", ext).read_bytes()
        assert output(again, "full", ext).read_bytes() == first, ext


@pytest.mark.parametrize(
    ("variant", "attached", "associated"),
    [
        ("pdf/a-3b", True, True),
        ("pdf/a-2b", False, False),
        ("pdf/ua-1", True, False),
        (None, True, False),
    ],
)
def test_pdf_variants(
    tmp_path: Path, variant: str | None, attached: bool, associated: bool
) -> None:
    """PDF/A-3: an associated file (Data); PDF/A-2 allows no JSON file, so the manifest is in
    the XMP; every PDF's XMP has the summary (a plain one's too, where WeasyPrint writes no
    XMP of its own), its hash that of the manifest."""
    project = copy_project(REPO, tmp_path / "p")
    key = f"pdf_variant: {variant}\n" if variant else ""
    (project / "briefings" / "v.yaml").write_text(
        f"title: V\ndate: 2026-11-21\n{key}formats: [pdf]\nsections:\n  - from: {USED}\n"
    )
    assert run(project, "build", "v").exit_code == 0
    path = project / "output" / "v.pdf"
    reader = pypdf.PdfReader(path)
    assert (FILE_NAME in reader.attachments) is attached
    manifest = read_manifest(path)
    assert manifest.briefing == "v" and [s.key for s in manifest.sections] == [USED]
    root = reader.root_object
    if associated:
        spec = cast(pypdf.generic.ArrayObject, root["/AF"])[0].get_object()
        assert spec["/AFRelationship"] == "/Data" and spec["/UF"] == FILE_NAME
    else:
        assert "/AF" not in root
    xmp = cast(pypdf.generic.StreamObject, root["/Metadata"].get_object()).get_data().decode()
    digest = manifest_sha256(to_json(manifest).decode())
    assert f"<briefwright:manifestSHA256>{digest}</briefwright:manifestSHA256>" in xmp
    assert ("<briefwright:pdfVariant>" in xmp) is (variant is not None)
    if variant is not None:
        assert f"<briefwright:pdfVariant>{variant}</briefwright:pdfVariant>" in xmp
    assert "<briefwright:briefing>v</briefwright:briefing>" in xmp
    assert "<pdfaSchema:namespaceURI>urn:briefwright:provenance:1#<" in xmp
    assert ("<briefwright:manifest>" in xmp) is (not attached)
    assert xmp.count("<rdf:RDF") == 1  # in WeasyPrint's one RDF element, where readers look


def test_verify_names_exactly_the_edited_section(built: Path, tmp_path: Path) -> None:
    project = copy_project(built, tmp_path / "p")
    pdf = tmp_path / "mailed.pdf"
    shutil.copy(output(built, "full", "pdf"), pdf)
    shutil.rmtree(project / "output")  # no records, no outputs: the file alone
    result = run(project, "provenance", str(pdf), "--verify")
    assert result.exit_code == 0, result.output
    assert "exec-brief.full: unchanged since this output was made" in result.output
    source = project / "sources" / "nato-ukraine.md"
    text = source.read_text()
    heading = "## Effects on Neighboring Countries\n"  # a section the brief does not take
    unused = text.replace(heading, heading + "\nA new unused paragraph.\n", 1)
    assert unused != text
    source.write_text(unused)
    result = run(project, "provenance", str(pdf), "--verify")
    assert result.exit_code == 0, result.output
    edited = unused.replace(OLD, "Allied operations", 1)
    assert edited != unused
    source.write_text(edited)
    result = run(project, "provenance", str(pdf), "--verify")
    assert result.exit_code == 1, result.output
    changes = [line for line in result.output.splitlines() if line.startswith("  ")]
    assert changes[0].startswith(f"  edited:  {USED}  sources/nato-ukraine.md:")
    assert "[-NATO\u2019s military-] {+Allied+} operations [-in Ukraine-] have" in changes[1]
    assert len(changes) == 2, result.output
    as_json = run(project, "provenance", str(pdf), "--verify", "--json")
    assert as_json.exit_code == 1 and '"change": "edited"' in as_json.output


def test_verify_when_the_briefing_is_gone(built: Path, tmp_path: Path) -> None:
    project = copy_project(built, tmp_path / "p")
    (project / "briefings" / f"{BRIEF}.yaml").unlink()
    result = run(project, "provenance", str(output(built, "full", "pdf")), "--verify")
    assert_no_crash(result)
    assert result.exit_code == 1
    assert "the briefing this output was made from is gone" in result.output
    assert "briefings/exec-brief.yaml: no longer in the project" in result.output


def test_git_commit_and_dirty_are_recorded(tmp_path: Path) -> None:
    project = copy_project(REPO, tmp_path / "repo")
    (project / ".gitignore").write_text("output/\n")

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@localhost", *args],
            cwd=project,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "sources")
    assert run(project, "build", BRIEF, "--format", "html").exit_code == 0
    manifest = read_manifest(output(project, "full", "html"))
    assert manifest.git is not None
    assert (manifest.git.commit, manifest.git.dirty) == (git("rev-parse", "HEAD"), False)
    source = project / "sources" / "nato-ukraine.md"
    source.write_text(source.read_text().replace(OLD, "Operations in Ukraine", 1))
    assert run(project, "build", BRIEF, "--format", "html").exit_code == 0
    manifest = read_manifest(output(project, "full", "html"))
    assert manifest.git is not None and manifest.git.dirty


def _plain_docx() -> bytes:
    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Made by python-docx, not briefwright.")
    document.save(out)
    return out.getvalue()


def _plain_pdf() -> bytes:
    return cast(bytes, weasyprint.HTML(string="<p>Made by WeasyPrint alone.</p>").write_pdf())


@pytest.mark.parametrize(
    ("name", "make", "says"),
    [
        ("other.docx", _plain_docx, "no provenance manifest in this DOCX"),
        ("other.pdf", _plain_pdf, "no provenance manifest in this PDF"),
        ("page.html", lambda: b"<!doctype html><p>hi</p>", "no provenance manifest in this HTML"),
        ("notes.txt", lambda: b"plain text", "not a PDF, DOCX or HTML file"),
        ("broken.pdf", lambda: b"%PDF-1.7\nbroken", "not a readable PDF"),
    ],
)
def test_a_file_not_made_by_briefwright(
    built: Path, tmp_path: Path, name: str, make: object, says: str
) -> None:
    path = tmp_path / name
    path.write_bytes(make())  # type: ignore[operator]
    result = run(built, "provenance", str(path))
    assert_no_crash(result)
    assert result.exit_code == 1
    assert says in result.stderr
    if "manifest in this" in says:
        assert "(made before provenance, or not by briefwright)" in result.stderr


def test_an_output_cut_short_is_one_clear_error(built: Path, tmp_path: Path) -> None:
    """A PDF truncated in transit: one line saying so, not pypdf's repair log as well."""
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(output(built, "full", "pdf").read_bytes()[:3000])
    # a process of its own: under pytest, its logging capture would hide pypdf's log
    command = [sys.executable, "-m", "briefwright", "--project", str(built), "provenance"]
    result = subprocess.run([*command, str(cut)], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {cut}: not a readable PDF (damaged or cut short: PdfStreamError)"
    ]


@pytest.mark.parametrize(
    ("file", "old", "new", "says"),
    [
        ("briefings/exec-brief.yaml", "author: Policy Analysis Cell", "author: X", "briefing file"),
        ("briefwright.toml", "Example Staff Directorate", "Other Directorate", "configuration"),
    ],
)
def test_verify_names_a_changed_file(
    built: Path, tmp_path: Path, file: str, old: str, new: str, says: str
) -> None:
    project = copy_project(built, tmp_path / "p")
    path = project / file
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new))
    result = run(project, "provenance", str(output(built, "full", "docx")), "--verify")
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[1:] == [f"  {says} changed", f"0 section(s) changed; {says}"]


def test_usage_errors(built: Path, tmp_path: Path) -> None:
    assert run(built, "provenance", str(tmp_path / "absent.pdf")).exit_code == 2
    assert run(built, "provenance").exit_code == 2
