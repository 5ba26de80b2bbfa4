"""Issue 13: a template's reference.docx is untrusted. The cases of cases_refdocx.yaml (run with
every other hostile case by test_hostile.py) are read back here: an accepted reference gives an
output that python-docx opens, with no external relationship, no URL of the file's and no
fetching field; `brief check` rejects what `brief build` rejects; and real reference documents
(the built-in one, pandoc's) still work."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from briefwright.readers.archive import UnsafeInputError, name_problem
from briefwright.readers.opc import parse_part
from briefwright.readers.reference import FETCHING, clean_reference
from briefwright.templates import BUILTIN_ROOT
from tests.helpers import FEATURE_PROJECT, assert_no_crash, copy_project, pdf_pages, run
from tests.hostile.reference_docx import EVIL_HOST, GENERATORS, HEADER_TEXT

HERE = Path(__file__).parent
CASES: list[dict[str, Any]] = yaml.safe_load(
    (HERE / "cases_refdocx.yaml").read_text(encoding="utf-8")
)
ACCEPTED = [c for c in CASES if c["exit"] == 0]
REFERENCE = "templates/briefing/reference.docx"
# the author's own text only: the feature source links to the web, which an output may do
BRIEFING = "title: Evil\nformats: [docx]\nsections:\n  - title: Body\n    text: Some text.\n"
NO_HEADER = {"refdocx_attached_template", "refdocx_mail_merge", "refdocx_macros"}
_FIELD = re.compile(rb"<w:instrText[^>]*>\s*([A-Z]+)|w:instr=\"\s*([A-Z]+)")


def _prepare(project: Path, reference: bytes) -> None:
    (project / "templates" / "briefing").mkdir(parents=True)
    (project / REFERENCE).write_bytes(reference)
    (project / "briefings" / "evil.yaml").write_text(BRIEFING, encoding="utf-8")


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def assert_safe_docx(path: Path) -> dict[str, bytes]:
    """The output opens in python-docx and holds no external relationship, no URL of the
    reference's, and no field that fetches or runs anything."""
    docx.Document(str(path))
    parts = _parts(path)
    for name, data in parts.items():
        assert EVIL_HOST.encode() not in data, name
        if name.endswith(".rels"):
            assert b'TargetMode="External"' not in data, name
        fields = {word for match in _FIELD.findall(data) for word in match if word}
        assert not fields & {f.encode() for f in FETCHING}, (name, fields)
    return parts


@pytest.mark.parametrize("case", ACCEPTED, ids=[c["name"] for c in ACCEPTED])
def test_issue_13_accepted_reference_gives_a_safe_output(
    case: dict[str, Any], scratch_project: Path
) -> None:
    kind = case["generate"][REFERENCE]
    _prepare(scratch_project, GENERATORS[kind]())
    result = run(scratch_project, "build", "evil")
    assert result.exit_code == 0, result.output
    parts = assert_safe_docx(scratch_project / "output" / "evil.docx")
    headers = b"".join(data for name, data in parts.items() if "header" in name)
    if kind not in NO_HEADER:
        assert HEADER_TEXT.encode() in headers
    assert not [name for name in parts if "vbaProject" in name], sorted(parts)
    if kind == "refdocx_embedded_image":
        assert [name for name in parts if name.endswith(".png")], sorted(parts)
    if kind == "refdocx_include_fields":  # the fields' last results stay, as text
        assert b"cached include" in headers and b"cached picture" in headers
    settings = parts["word/settings.xml"]
    for dropped in (b"attachedTemplate", b"linkStyles", b"mailMerge"):
        assert dropped not in settings


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_issue_13_check_rejects_the_reference_build_rejects(
    case: dict[str, Any], scratch_project: Path
) -> None:
    _prepare(scratch_project, GENERATORS[case["generate"][REFERENCE]]())
    build = run(scratch_project, "build", "evil")
    check = run(scratch_project, "check", "evil")
    assert_no_crash(build)
    assert_no_crash(check)
    assert check.exit_code == build.exit_code == case["exit"], (build.output, check.output)
    errors = [line for line in build.stderr.splitlines() if line.startswith("error: ")]
    assert set(errors) <= set(check.stderr.splitlines()), (build.stderr, check.stderr)


def test_issue_13_builtin_reference_keeps_the_parts_an_output_needs() -> None:
    """What is kept of python-docx's default template (the built-in reference.docx): no
    stylesWithEffects, custom XML, thumbnail or properties; every relationship ID as it was."""
    package = zipfile.ZipFile(
        io.BytesIO(clean_reference(BUILTIN_ROOT / "briefing" / "reference.docx"))
    )
    assert sorted(package.namelist()) == [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/_rels/document.xml.rels",
        "word/document.xml",
        "word/fontTable.xml",
        "word/numbering.xml",
        "word/settings.xml",
        "word/styles.xml",
        "word/theme/theme1.xml",
        "word/webSettings.xml",
    ]
    rels = package.read("word/_rels/document.xml.rels")
    assert re.findall(rb'Id="(rId\d+)"', rels) == [
        b"rId3",
        b"rId5",
        b"rId6",
        b"rId7",
        b"rId8",
        b"rId2",
    ]


def test_issue_13_pandoc_reference_docx_still_works(scratch_project: Path) -> None:
    """pandoc's own reference.docx (`pandoc --print-default-data-file reference.docx`, from
    pypandoc-binary; pandoc's data files are GPL-2.0-or-later, made at test time and never
    stored here) is a real Word file with comments, footnotes, custom properties and an external
    hyperlink: its styles are used, and none of those reach the output."""
    pypandoc = pytest.importorskip("pypandoc")
    command = [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"]
    reference = subprocess.run(command, capture_output=True, check=True).stdout
    _prepare(scratch_project, reference)
    original = _parts(scratch_project / REFERENCE)
    assert "word/comments.xml" in original
    assert b"External" in original["word/_rels/document.xml.rels"]
    result = run(scratch_project, "build", "evil")
    assert result.exit_code == 0, result.output
    output = scratch_project / "output" / "evil.docx"
    parts = assert_safe_docx(output)
    assert not [name for name in parts if "comments" in name], sorted(parts)
    assert b"example.com" not in b"".join(parts.values())
    # pandoc's styles are there: its "Body Text" and "First Paragraph"
    names = {style.name for style in docx.Document(str(output)).styles}
    assert {"Body Text", "First Paragraph"} <= names


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("word/document.xml", None),
        ("/word/document.xml", "has an absolute name"),
        ("C:/evil.xml", "has an absolute name"),
        ("word/../../evil.xml", "has '..' in its name"),
        ("..", "has '..' in its name"),
        ("word\\evil.xml", "has a backslash in its name"),
        ("word/a\x00.xml", "has an empty or NUL-containing name"),
    ],
)
def test_issue_13_member_names(name: str, problem: str | None) -> None:
    assert name_problem(name) == problem


@pytest.mark.parametrize(
    ("data", "refused"),
    [
        (b'<?xml version="1.0" encoding="UTF-8"?><a/>', None),
        ("<a>é</a>".encode("utf-16"), None),
        ('<?xml version="1.0" encoding="UTF-16"?><a/>'.encode("utf-16-be"), None),
        ('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'.encode("utf-16"), "has a DTD"),
        ('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'.encode("utf-16-le"), "has a DTD"),
        (b'<?xml version="1.0"?><!DOCTYPE a SYSTEM "http://x/a.dtd"><a/>', "has a DTD"),
        (b"<a>&x;</a>", "is not well-formed XML"),
        ("<a/>".encode("utf-32"), "is encoded as UTF-32"),
        (b"<a>\xff</a>", "is not valid UTF-8"),
        (b'<?xml version="1.0" encoding="UTF-7"?><a/>', "declares encoding 'UTF-7'"),
    ],
)
def test_issue_13_xml_parts(data: bytes, refused: str | None) -> None:
    if refused is None:
        assert parse_part(data).tag == "a"
    else:
        with pytest.raises(UnsafeInputError, match=re.escape(refused)):
            parse_part(data)


def test_issue_13_libreoffice_opens_every_accepted_output(tmp_path: Path) -> None:
    """The outputs made on the accepted references open in a real client: LibreOffice converts
    each (one run) and the text and the template's header come through."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is installed by make test (libreoffice-writer-nogui)"
    documents: dict[str, Path] = {}
    for case in ACCEPTED:
        kind = case["generate"][REFERENCE]
        project = copy_project(FEATURE_PROJECT, tmp_path / kind)
        _prepare(project, GENERATORS[kind]())
        assert run(project, "build", "evil").exit_code == 0
        documents[kind] = (project / "output" / "evil.docx").rename(tmp_path / f"{kind}.docx")
    out = tmp_path / "pdf"
    command = [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless"]
    result = subprocess.run(
        [*command, "--convert-to", "pdf", "--outdir", str(out), *map(str, documents.values())],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for kind in documents:
        text = "".join(pdf_pages(out / f"{kind}.pdf"))
        assert "Some text." in text, kind
        assert (HEADER_TEXT in text) == (kind not in NO_HEADER), kind
