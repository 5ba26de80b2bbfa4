"""Issue 12: right-to-left text, a font for every script a NATO staff meets, one warning for a
script without one, and PDFs that are the same bytes whatever other fonts a machine has.

The builds run in subprocesses with FONTCONFIG_FILE set (fontconfig reads it once per
process): one sees only the fonts the templates name, the other every font of the system."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from briefwright import fonts
from tests.fontconfig import environment, write_config
from tests.helpers import REPO, copy_project

SCRIPTS_PROJECT = REPO / "tests" / "fixtures" / "scripts-project"
PARAGRAPHS = {  # a phrase of each script's paragraph in sources/scripts.md
    "Latin": "Überprüfung, Łódź, Žilina",
    "Cyrillic": "Міністри оборони обговорили",
    "Greek": "σύνοδος των υπουργών άμυνας",
    "Arabic": "عقد وزراء الدفاع",
    "Hebrew": "הפגישה התקיימה בבריסל",
    "Persian": "نشست وزیران دفاع",
    "Pashto": "د ناټو غړو هېوادونو",
}
CJK_PANGRAM = (
    "いろはにほへと ちりぬるを 色は匂へど散りぬるを 我が世誰ぞ常ならむ 다람쥐 헌 쳇바퀴에 타고파"
)


def build(project: Path, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "briefwright", "--project", str(project), "build", *args]
    return subprocess.run(
        command, env=environment(config), capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def only_template_fonts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_config(tmp_path_factory.mktemp("fc-template"), only_template_fonts=True)


@pytest.fixture(scope="module")
def all_fonts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_config(tmp_path_factory.mktemp("fc-all"), only_template_fonts=False)


@pytest.fixture(scope="module")
def scripts_built(tmp_path_factory: pytest.TempPathFactory, only_template_fonts: Path) -> Path:
    project = copy_project(SCRIPTS_PROJECT, tmp_path_factory.mktemp("scripts"))
    result = build(project, only_template_fonts, "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_font_names(path: Path) -> set[str]:
    listed = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    names = [line.split()[0] for line in listed.stdout.splitlines()[2:]]
    return {name.split("+", 1)[-1] for name in names}


def squashed(name: str) -> str:
    return re.sub(r"[\s-]", "", name).lower()


# --- direction ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "direction"),
    [
        ("Plain English", "ltr"),
        ("عقد وزراء الدفاع", "rtl"),
        ("2026: עברית", "rtl"),  # digits and punctuation are not strong
        ("NATO في بروكسل", "ltr"),  # the first strong character decides
        ("«حلف» NATO", "rtl"),
        ("2026 — 14", None),
        ("", None),
    ],
)
def test_issue_12_first_strong_character(text: str, direction: str | None) -> None:
    assert fonts.first_strong(text) == direction


@pytest.mark.parametrize(
    ("lang", "direction"),
    [("en", "ltr"), ("ar", "rtl"), ("he", "rtl"), ("fa-IR", "rtl"), ("ps", "rtl"), ("fr", "ltr")],
)
def test_issue_12_language_direction(lang: str, direction: str) -> None:
    assert fonts.language_direction(lang) == direction


def test_issue_12_direction_runs_keep_logical_order() -> None:
    text = "The name حلف شمال 2026 in text."
    runs = list(fonts.direction_runs(text))
    assert "".join(part for part, _ in runs) == text
    assert runs == [("The name ", "ltr"), ("حلف شمال 2026 ", "rtl"), ("in text.", "ltr")]


# --- HTML and PDF ------------------------------------------------------------------------------


def test_issue_12_rtl_blocks_in_html(scripts_built: Path) -> None:
    html = (scripts_built / "output" / "scripts.html").read_text(encoding="utf-8")
    assert '<html lang="en" class=' in html  # no dir: the document is left to right
    assert '<p dir="rtl">عقد وزراء الدفاع' in html
    assert '<ul dir="rtl">' in html and '<li dir="rtl">البند الأول' in html
    assert '<h2 id="عنوان-عربي" dir="rtl">' in html
    assert "<p>The Arabic name «حلف شمال الأطلسي»" in html  # the first strong is Latin
    arabic = (scripts_built / "output" / "scripts-ar.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl" class=' in arabic
    assert '<p dir="ltr">Defence ministers' in arabic  # Latin in an Arabic briefing


def test_issue_12_every_script_comes_back_from_the_pdf(scripts_built: Path) -> None:
    text = re.sub(r"\s+", " ", pdf_text(scripts_built / "output" / "scripts.pdf"))
    for script, phrase in PARAGRAPHS.items():
        if fonts.RTL_CHARACTER.search(phrase):
            # poppler gives right-to-left lines back in reading order: compare the words
            assert all(word in text for word in phrase.split()), script
        else:
            assert phrase in text, script


def test_issue_12_pdf_uses_only_the_template_fonts(scripts_built: Path) -> None:
    named = {squashed(family) for family in fonts.TEMPLATE_FONTS}
    for pdf in ("scripts.pdf", "scripts-ar.pdf"):
        used = pdf_font_names(scripts_built / "output" / pdf)
        families = {squashed(re.sub(r"-(Bold|Oblique|Italic|BoldOblique)$", "", n)) for n in used}
        assert families <= named, (pdf, used)
    assert {"notosansarabicui", "dejavusans", "carlito"} <= families | {
        squashed(re.sub(r"-(Bold)$", "", n))
        for n in pdf_font_names(scripts_built / "output" / "scripts.pdf")
    }


def test_issue_12_template_stacks_name_only_template_fonts() -> None:
    css = "".join(
        p.read_text(encoding="utf-8")
        for p in (REPO / "src" / "briefwright" / "templates").glob("*/*.css")
    )
    generic = {"sans-serif", "serif", "monospace"}
    for stack in re.findall(r"font-family:\s*([^;]+);", css):
        names = {name.strip().strip('"') for name in stack.split(",")}
        assert names - generic <= set(fonts.TEMPLATE_FONTS), stack


# --- DOCX --------------------------------------------------------------------------------------


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_paragraphs(path: Path) -> list[tuple[str, etree._Element]]:
    """Each body paragraph of a DOCX by its text, read from word/document.xml."""
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    paragraphs: list[tuple[str, etree._Element]] = []
    for p in root.iter(f"{W}p"):
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        paragraphs.append((text, p))
    return paragraphs


def starting(paragraphs: list[tuple[str, etree._Element]], prefix: str) -> etree._Element:
    return next(p for text, p in paragraphs if text.startswith(prefix))


def test_issue_12_rtl_paragraphs_and_runs_in_docx(scripts_built: Path) -> None:
    paragraphs = docx_paragraphs(scripts_built / "output" / "scripts.docx")
    arabic = starting(paragraphs, "عقد")
    assert arabic.find(f"{W}pPr/{W}bidi") is not None
    first = arabic.find(f"{W}r/{W}rPr")
    assert first is not None and first.find(f"{W}rtl") is not None
    assert first.find(f"{W}rFonts").get(f"{W}cs") == "Noto Sans Arabic UI"
    last = arabic.findall(f"{W}r")[-1]  # "NATO." keeps its Latin run
    assert last.find(f"{W}rPr") is None
    hebrew = starting(paragraphs, "הפגישה").find(f"{W}r/{W}rPr/{W}rFonts")
    assert hebrew is not None and hebrew.get(f"{W}cs") == "DejaVu Sans"
    latin = starting(paragraphs, "Defence")
    assert latin.find(f"{W}pPr/{W}bidi") is None and latin.find(f"{W}r/{W}rPr") is None
    assert starting(paragraphs, "البند الأول").find(f"{W}pPr/{W}bidi") is not None
    headings = [
        p
        for text, p in paragraphs
        if text.startswith("عنوان عربي")
        and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Heading2"
    ]
    assert len(headings) == 1 and headings[0].find(f"{W}pPr/{W}bidi") is not None
    # python-docx reads the same file back
    assert any(
        p.text.startswith("عقد")
        for p in docx.Document(str(scripts_built / "output" / "scripts.docx")).paragraphs
    )


# --- a script without a font -------------------------------------------------------------------


def test_issue_12_cjk_gives_one_warning(tmp_path: Path, only_template_fonts: Path) -> None:
    project = copy_project(SCRIPTS_PROJECT, tmp_path)
    (project / "sources" / "cjk.md").write_text(
        f"---\ntitle: CJK\n---\n\n## Pangrams\n\nOne line of English.\n\n{CJK_PANGRAM}\n\n"
        f"{CJK_PANGRAM}\n",
        encoding="utf-8",
    )
    (project / "briefings" / "cjk.yaml").write_text(
        "title: CJK\ndate: 2026-03-14\nformats: [pdf, docx]\nsections:\n  - from: cjk\n",
        encoding="utf-8",
    )
    result = build(project, only_template_fonts, "cjk")
    assert result.returncode == 0, result.stdout + result.stderr
    said = result.stdout + result.stderr
    warnings = [line for line in said.splitlines() if "has no font" in line]
    assert warnings == [
        "warning: sources/cjk.md:9: CJK (Chinese, Japanese, Korean) text has no font; "
        "install fonts-noto-cjk (in cjk)"
    ], said


# --- the same bytes whatever fonts a machine has -----------------------------------------------


def test_issue_12_pdf_bytes_do_not_depend_on_other_fonts(
    tmp_path: Path, only_template_fonts: Path, all_fonts: Path
) -> None:
    outputs: dict[str, list[bytes]] = {}
    for name, config in (("template", only_template_fonts), ("all", all_fonts)):
        for label, source in (("examples", REPO), ("scripts", SCRIPTS_PROJECT)):
            project = copy_project(source, tmp_path / name / label)
            result = build(project, config, "--format", "pdf")
            assert result.returncode == 0, result.stdout + result.stderr
            for pdf in sorted((project / "output").glob("*.pdf")):
                outputs.setdefault(f"{label}/{pdf.name}", []).append(pdf.read_bytes())
    assert len(outputs) >= 5
    differ = [name for name, (a, b) in outputs.items() if a != b]
    assert not differ
