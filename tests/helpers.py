"""Reading outputs back: PDF text per page, DOCX paragraphs, and copying projects."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pypdf
import pytest
from click.testing import CliRunner, Result

from briefwright import model as m
from briefwright.cli import cli
from briefwright.errors import Problem
from briefwright.project import Project
from briefwright.readers.sources import read_source
from briefwright.spec.schema import ProjectConfig

REPO = Path(__file__).resolve().parents[1]
FEATURE_PROJECT = REPO / "tests" / "fixtures" / "feature-project"


def copy_project(source: Path, target: Path) -> Path:
    for folder in ("briefings", "sources", "templates"):
        if (source / folder).is_dir():
            shutil.copytree(source / folder, target / folder)
    (target / "output").mkdir(exist_ok=True)
    if (source / "briefwright.toml").is_file():
        shutil.copy(source / "briefwright.toml", target)
    if (source / "references.bib").is_file():  # what the feature fixture cites
        shutil.copy(source / "references.bib", target)
    return target


def run(project: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--project", str(project), *args])


def assert_no_crash(result: Result) -> None:
    """The command ended through the CLI's own exit, not an exception. CliRunner catches an
    uncaught exception into `result.exception` and prints no traceback, so looking for
    "Traceback" in the output could never fail."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the command raised {result.exception!r}") from result.exception


def output_files(project: Path) -> list[str]:
    """The names of the build products in output/ (not the build cache or temporary files)."""
    return sorted(p.name for p in (project / "output").iterdir() if not p.name.startswith("."))


def pdf_pages(path: Path, layout: bool = False) -> list[str]:
    """Each page's text, read with poppler's pdftotext in one call (pages end with a form
    feed). Not pypdf: it garbles every word set in a font WeasyPrint writes with a custom
    encoding (a font lacking a glyph). `layout` keeps each line in visual order."""
    command = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    result = subprocess.run(command, capture_output=True, check=True)
    pages = result.stdout.decode("utf-8").split("\f")
    assert pages[-1] == "", "pdftotext ends every page with a form feed"
    return pages[:-1]


def outline_titles(reader: pypdf.PdfReader) -> list[str]:
    """The PDF outline's titles, depth first: the order of the headings."""

    def walk(items: list[Any]) -> list[str]:
        found: list[str] = []
        for item in items:
            if isinstance(item, list):
                found.extend(walk(item))
            else:
                assert isinstance(item, pypdf.generic.Destination)
                found.append(str(item.title))
        return found

    return walk(reader.outline)


def without_manifest(fmt: str, data: bytes) -> object:
    """An output without its provenance manifest (issue 18), to compare two outputs whose
    content is the same but whose manifests differ: HTML without the script, DOCX's members
    but the custom XML and custom properties, a PDF's pages' content streams."""
    if fmt == "html":
        return re.sub(
            rb'<script type="application/json" id="briefwright-manifest">.*?</script>',
            b"",
            data,
            flags=re.S,
        )
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return {
                name: package.read(name)
                for name in package.namelist()
                if not name.startswith("customXml/") and name != "docProps/custom.xml"
            }
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [page.get_contents().get_data() for page in reader.pages]  # type: ignore[union-attr]


def squash(text: str) -> str:
    """Text with whitespace, hyphens and soft hyphens removed: immune to line breaks."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text)


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]


# Files fetched from public repositories may be kept only beside the project (../shared/),
# never committed (see tests/data/import/README-*.md): tests that read them skip without them.
SHARED_DATA = REPO.parent / "shared" / "import-data"


def needs_shared_data(folder: Path) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not folder.is_dir(), reason=f"{folder}: fetched test data kept outside the repository"
    )


def read_case_source(tmp_path: Path, text: str) -> tuple[m.Source, list[Problem]]:
    """`text` read as sources/case.md of a bare project in `tmp_path`: the model's Source and
    the reader's warnings (for data-driven reader cases)."""
    (tmp_path / "sources").mkdir(exist_ok=True)
    path = tmp_path / "sources" / "case.md"
    path.write_text(text, encoding="utf-8")
    warnings: list[Problem] = []
    project = Project(tmp_path.resolve(), ProjectConfig())
    return read_source(path.resolve(), project, warnings), warnings


SOFFICE = shutil.which("soffice")
UNO_SCRIPT = Path(__file__).with_name("uno_tracked_changes.py")
SYSTEM_PYTHON = Path("/usr/bin/python3")  # Debian's, with python3-uno (the venv has no uno)


def accepted_and_rejected(document: Path, folder: Path) -> tuple[str, str, int]:
    """A DOCX's text with every tracked change accepted, and with every one rejected, as
    LibreOffice gives them (tests/uno_tracked_changes.py), and how many changes it counted."""
    assert SOFFICE is not None, "LibreOffice is installed by make test"
    check = subprocess.run([str(SYSTEM_PYTHON), "-c", "import uno"], capture_output=True)
    assert check.returncode == 0, "python3-uno is installed by make test"
    done = subprocess.run(
        [str(SYSTEM_PYTHON), str(UNO_SCRIPT), SOFFICE, str(document), str(folder)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    changes = int(json.loads(done.stdout.splitlines()[-1])["changes"])
    accepted = (folder / "accepted.txt").read_text(encoding="utf-8-sig")
    rejected = (folder / "rejected.txt").read_text(encoding="utf-8-sig")
    return accepted, rejected, changes
