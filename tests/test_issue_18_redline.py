"""Issue 18, redlines: `brief diff BRIEFING --since REF` in a git repository holding a copy of the
example project, committed and then edited (words of a section changed, a section added, one
removed, one moved). The terminal text names each change at its FILE:LINE; the redline DOCX is
real Word tracked changes (LibreOffice accepting them all gives the new text, rejecting them
all the old); the redline PDF shows both; `--since lock` compares with an approval."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from lxml import etree

from briefwright import model as m
from briefwright.build.plan import plan_build, selected_files
from briefwright.cli.diff_text import diff_lines
from briefwright.project import find_project
from briefwright.provenance.collect import current_manifest
from briefwright.provenance.compare import compare
from briefwright.provenance.lock import Approval, Lock, lock_json, lock_path
from briefwright.provenance.manifest import Manifest, Paragraph
from briefwright.provenance.redline import (
    DELETE,
    INSERT,
    Redline,
    edited_paragraphs,
    redline,
    word_pieces,
)
from briefwright.templates import find_template
from briefwright.writers.redline_pdf import redline_html
from tests.helpers import (
    REPO,
    SOFFICE,
    accepted_and_rejected,
    assert_no_crash,
    copy_project,
    output_files,
    pdf_pages,
    run,
    squash,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
AUTHOR = "Ann Reviewer"
DATE = "2026-11-21T00:00:00Z"  # the exec brief's own date: the redline is reproducible
BRIEFING = "briefings/exec-brief.yaml"
GIT = ["git", "-c", "user.name=Test Author", "-c", "user.email=test@example.org"]

# (file, old text, new text): the edits made after the commit
EDITS = [
    (
        BRIEFING,
        "Divergent national interests remain the main",
        "Diverging national priorities remain the chief",
    ),
    ("sources/nato-peacekeeping.md", "One prominent example is", "The clearest example is"),
    (  # removed: the Challenges section
        BRIEFING,
        "  - from: nato-ukraine#challenges-faced-by-nato-in-response-to-the-crisis\n"
        "    title: Challenges\n    except: [leadership]\n",
        "",
    ),
    (  # moved: the current posture goes first, after the bottom line
        BRIEFING,
        "  - from: nato-ukraine#nato-military-operations-in-ukraine\n"
        "    title: Current posture in Ukraine\n",
        "",
    ),
    (
        BRIEFING,
        "  - from: nato-peacekeeping#notable-nato-peacekeeping-missions-and-cases\n",
        "  - from: nato-ukraine#nato-military-operations-in-ukraine\n"
        "    title: Current posture in Ukraine\n"
        "  - from: nato-peacekeeping#notable-nato-peacekeeping-missions-and-cases\n",
    ),
]
ADDED = "  - title: Next steps\n    text: |\n      The cell revisits these judgements after it.\n"


@dataclass(frozen=True)
class Edited:
    root: Path
    old: Manifest  # before the edits (what the lock approves)
    new: Manifest  # after them
    output: str  # of `brief diff --since HEAD`


def _git(root: Path, *args: str) -> str:
    done = subprocess.run([*GIT, "-C", str(root), *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def manifest_now(root: Path) -> Manifest:
    project = find_project(root, root)
    plan = plan_build(project, selected_files(project, ["exec-brief"]), variants=["full"])
    return current_manifest(project, plan, plan.briefings[0])


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Edited:
    """The example in a git repository (in a subfolder: the project need not be the repository's
    top), committed, approved in a lock, then edited; `brief diff --since HEAD` run once."""
    repo = tmp_path_factory.mktemp("redline")
    root = copy_project(REPO, repo / "project")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "the approved brief")
    old = manifest_now(root)
    lock = Lock(
        briefing=BRIEFING,
        approvals=(
            Approval(
                unit="exec-brief.full", by="Director", at="2026-11-20T09:00:00Z", manifest=old
            ),
        ),
    )
    lock_path(root / BRIEFING).write_bytes(lock_json(lock))
    for name, before, after in EDITS:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert text.count(before) == 1, (name, before)
        path.write_text(text.replace(before, after), encoding="utf-8")
    with (root / BRIEFING).open("a", encoding="utf-8") as handle:
        handle.write(ADDED)
    result = run(
        root, "diff", "exec-brief", "--variant", "full", "--since", "HEAD", "--author", AUTHOR
    )
    assert_no_crash(result)
    assert result.exit_code == 0, result.output
    return Edited(root, old, manifest_now(root), result.output)


def test_the_terminal_names_every_change_at_its_lines(edited: Edited) -> None:
    out = edited.output
    assert "exec-brief.full: changes since HEAD (" in out
    assert "[-Divergent-] {+Diverging+} national [-interests-] {+priorities+}" in out
    assert "[-One prominent-] {+The clearest+} example" in out
    lines = out.splitlines()
    heads = {line.split()[0]: line for line in lines if line and not line.startswith(" ")}
    edited_lines = [line for line in lines if line.startswith("edited ")]
    assert edited_lines == [
        f"edited   Bottom line up front  {BRIEFING}:16-31",
        "edited   Lessons from past missions  sources/nato-peacekeeping.md:29-36",
    ]
    assert heads["added"].startswith("added    Next steps") and BRIEFING in heads["added"]
    assert "Challenges  sources/nato-ukraine.md:" in heads["removed"]
    assert "Current posture in Ukraine  sources/nato-ukraine.md:" in heads["moved"]
    assert "5 section(s) changed: 2 edited, 1 added, 1 removed, 1 moved" in out
    assert "\x1b[" not in out  # no colour when not on a terminal
    assert "wrote output/exec-brief.full.redline.docx" in out


def _document_xml(root: Path) -> etree._Element:
    with zipfile.ZipFile(root / "output" / "exec-brief.full.redline.docx") as package:
        return etree.fromstring(package.read("word/document.xml"))


def test_the_redline_docx_holds_tracked_changes_with_author_and_date(edited: Edited) -> None:
    body = _document_xml(edited.root)
    inserted = body.findall(f".//{W}ins")
    deleted = body.findall(f".//{W}del")
    assert inserted and deleted
    for change in [*inserted, *deleted]:
        assert change.get(f"{W}author") == AUTHOR
        assert change.get(f"{W}date") == DATE
    ids = [change.get(f"{W}id") for change in [*inserted, *deleted]]
    assert len(set(ids)) == len(ids)
    deleted_words = " ".join(t.text or "" for t in body.iter(f"{W}delText"))
    inserted_words = " ".join(t.text or "" for i in inserted for t in i.iter(f"{W}t"))
    assert "Divergent" in deleted_words and "Diverging" in inserted_words
    assert "NATO faces multiple challenges" in deleted_words  # the removed section, struck through
    assert "The cell revisits these judgements" in inserted_words
    assert not [t for d in deleted for t in d.iter(f"{W}t")], "deleted text is w:delText"
    # whole paragraphs: their marks are tracked too, so accepting removes them entirely
    marks = body.findall(f"./{W}body/{W}p/{W}pPr/{W}rPr/{W}del")
    # the moved section: a Word move, its two ranges named alike
    starts = {kind: body.findall(f".//{W}move{kind}RangeStart") for kind in ("From", "To")}
    assert len(starts["From"]) == len(starts["To"]) == 1
    assert starts["From"][0].get(f"{W}name") == starts["To"][0].get(f"{W}name")
    moved = "".join(t.text or "" for m in body.iter(f"{W}moveTo") for t in m.iter(f"{W}t"))
    assert moved.startswith("Current posture in Ukraine")
    assert body.findall(f".//{W}moveFromRangeEnd") and body.findall(f".//{W}moveToRangeEnd")
    removed = edited.old.section("nato-ukraine#challenges-faced-by-nato-in-response-to-the-crisis")
    assert removed is not None
    assert len(marks) >= len(removed.paragraphs)


def test_the_redline_docx_has_the_briefs_styles(edited: Edited) -> None:
    """Paragraphs in the reference document's styles (python-docx's Paragraph.text leaves out
    what is inside w:ins, so the XML is read)."""
    styles: dict[str, str] = {}
    for p in _document_xml(edited.root).iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        text = "".join(t.text or "" for t in p.iter(f"{W}t", f"{W}delText"))
        if style is not None:
            styles[text] = str(style.get(f"{W}val"))
    assert styles["Next steps"] == "Heading1"  # inserted
    assert styles["Challenges"] == "Heading1"  # deleted
    assert styles["Bottom line up front"] == "Heading1"
    numbered = [text for text, style in styles.items() if style == "List"]
    assert any(text.startswith("2. Support to Ukraine") for text in numbered)  # its number kept
    assert styles["Key judgements:"] == "Normal"


def _lines(text: str) -> str:
    """Text as words, without the bullets LibreOffice writes before list items."""
    return " ".join(text.replace("\u2022", " ").split())


def _text(manifest: Manifest) -> str:
    return _lines(" ".join(p.text for s in manifest.sections for p in s.paragraphs))


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is installed by make test")
def test_libreoffice_accepts_the_new_and_rejects_back_to_the_old(
    edited: Edited, tmp_path: Path
) -> None:
    """Read by LibreOffice through UNO (Debian's python3-uno, for the system Python)."""
    document = edited.root / "output" / "exec-brief.full.redline.docx"
    accepted_text, rejected_text, changes = accepted_and_rejected(document, tmp_path)
    assert changes > 10
    accepted = _lines(accepted_text)
    rejected = _lines(rejected_text)
    assert accepted.endswith(_text(edited.new))  # after the legend, the brief as it is now
    assert rejected.endswith(_text(edited.old))  # and as it was at HEAD
    assert accepted != rejected


def test_the_redline_pdf_shows_old_and_new_words_under_a_legend(edited: Edited) -> None:
    text = squash("".join(pdf_pages(edited.root / "output" / "exec-brief.full.redline.pdf")))
    for words in ("Divergent", "Diverging", "One prominent", "The clearest", "NATO faces multiple"):
        assert squash(words) in text, words
    assert squash("changes since HEAD (") in text
    assert squash("Sections: 2 edited, 1 added, 1 removed, 1 moved.") in text
    assert squash(f"changes by {AUTHOR}") in text


def test_since_the_approval_lock(edited: Edited) -> None:
    result = run(
        edited.root, "diff", "exec-brief", "--variant", "full", "--since", "lock", "--no-redline"
    )
    assert result.exit_code == 0, result.output
    assert "changes since approval by Director, 2026-11-20T09:00:00Z" in result.output
    assert "5 section(s) changed: 2 edited, 1 added, 1 removed, 1 moved" in result.output
    assert "wrote" not in result.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--variant", "full", "--since", "no-such-ref"], 2, "--since no-such-ref: no such commit"),
        (["--variant", "full", "--since", "--output=x"], 2, "does not start with '-'"),
        (["--since", "HEAD"], 2, "exec-brief has variants (full, leadership): choose one"),
        (["--variant", "ful", "--since", "HEAD"], 2, "did you mean 'full'"),
        (["--variant", "leadership", "--since", "lock"], 1, "no approval of exec-brief.leadership"),
    ],
)
def test_errors_say_what_to_do(edited: Edited, args: list[str], code: int, message: str) -> None:
    result = run(edited.root, "diff", "exec-brief", "--no-redline", *args)
    assert_no_crash(result)
    assert result.exit_code == code, result.output
    assert message in result.output


def test_outside_git_and_a_briefing_new_since_the_ref(edited: Edited, tmp_path: Path) -> None:
    lone = copy_project(REPO, tmp_path / "lone")
    result = run(lone, "diff", "exec-memo", "--since", "HEAD", "--no-redline")
    assert result.exit_code == 1 and "is not in a git repository" in result.output
    new = edited.root / "briefings" / "fresh.yaml"
    new.write_text(
        "title: Fresh\ndate: 2026-11-21\nsections:\n  - title: Only\n    text: New words.\n"
    )
    try:
        result = run(edited.root, "diff", "fresh", "--since", "HEAD", "--no-redline")
    finally:
        new.unlink()
    assert result.exit_code == 0, result.output
    assert "did not exist at HEAD" in result.output
    assert "added    Only" in result.output


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("a b c", "a x c"),
        ("a b c", "x b c"),
        ("a b c", "a b"),
        ("a b c", "b c"),
        ("one two", "three four five"),
        ("", "new words"),
        ("old words", ""),
        ("a b c d e", "a c e f"),
    ],
)
def test_word_pieces_accept_to_new_and_reject_to_old(old: str, new: str) -> None:
    pieces = list(word_pieces(old, new))
    assert "".join(p.text for p in pieces if p.kind != DELETE) == new
    assert "".join(p.text for p in pieces if p.kind != INSERT) == old


FORMATTED = [
    # (old text, its marks, new text, its marks): bold kept, a word made italic, code changed
    (
        "Bottom line: it is big.",
        ((0, 12, "strong"),),
        "Bottom line: it is large.",
        ((0, 12, "strong"), (19, 25, "emphasis")),
    ),
    ("Run brief now", ((4, 9, "code"),), "Run brief build now", ((4, 15, "code"),)),
    ("plain words", (), "plain words", ((0, 5, "strong"),)),  # formatting alone changed
]


@pytest.mark.parametrize(("old", "old_marks", "new", "new_marks"), FORMATTED)
def test_formatted_words_keep_their_formatting_on_both_sides(
    old: str,
    old_marks: tuple[tuple[int, int, str], ...],
    new: str,
    new_marks: tuple[tuple[int, int, str], ...],
) -> None:
    """Accepting every change gives the new text in the new formatting, rejecting every
    change the old text in the old formatting (each character's formatting compared)."""
    before = Paragraph(style="p", text=old, marks=old_marks)
    after = Paragraph(style="p", text=new, marks=new_marks)
    (paragraph,) = edited_paragraphs([before], [after])
    pieces = paragraph.pieces

    def formatting(kind: str, paragraph: Paragraph) -> None:
        kept = [p for p in pieces if p.kind != kind]
        assert "".join(p.text for p in kept) == paragraph.text
        at = 0
        for piece in kept:
            for offset, char in enumerate(piece.text):
                if not char.isspace():  # a space between words is not the words' formatting
                    where = at + offset
                    found = {k for a, b, k in paragraph.marks if a <= where < b}
                    assert set(piece.marks) == found, (piece, char)
            at += len(piece.text)

    formatting(DELETE, after)
    formatting(INSERT, before)


def red_of(edited: Edited) -> Redline:
    """The redline of the edits, made in process (what `brief diff --since HEAD` draws)."""
    comparison = compare(edited.old, edited.new)
    return redline(
        edited.old, edited.new, comparison, since="HEAD", author=AUTHOR, date=DATE, title="Brief"
    )


def test_the_redline_keeps_the_briefs_bold(edited: Edited) -> None:
    """The exec brief's **Bottom line:** is bold in the redline DOCX (w:b) and PDF's HTML."""
    runs = [
        r
        for r in _document_xml(edited.root).iter(f"{W}r")
        if "".join(t.text or "" for t in r.iter(f"{W}t")) == "Bottom line:"
    ]
    assert runs and all(r.find(f"{W}rPr/{W}b") is not None for r in runs)
    red = red_of(edited)
    template = find_template(find_project(edited.root, edited.root), "briefing")
    meta = m.BriefingMeta(name="exec-brief.full", title="Brief", date=dt.date(2026, 11, 21))
    assert "<strong>Bottom line:</strong>" in redline_html(red, template, meta)


def test_the_same_inputs_give_the_same_redline_bytes(edited: Edited) -> None:
    paths = [edited.root / "output" / f"exec-brief.full.redline.{kind}" for kind in ("docx", "pdf")]
    before = [path.read_bytes() for path in paths]
    result = run(
        edited.root,
        "diff",
        "exec-brief",
        "--variant",
        "full",
        "--since",
        "HEAD",
        "--author",
        AUTHOR,
    )
    assert result.exit_code == 0, result.output
    assert [path.read_bytes() for path in paths] == before


def test_colour_on_a_terminal(edited: Edited) -> None:
    red = red_of(edited)
    text = "\n".join(diff_lines(red, None, colour=True))
    assert click.style("Divergent", fg="red", strikethrough=True) in text
    assert click.style("Diverging", fg="green", underline=True) in text
    assert "[-" not in text and "{+" not in text


def test_the_redlines_carry_the_briefs_marking(edited: Edited) -> None:
    """A redline of a marked brief is marked as the brief is: on every page."""
    import docx

    output = edited.root / "output"
    document = docx.Document(str(output / "exec-brief.full.redline.docx"))
    header = document.sections[0].header.paragraphs
    footer = document.sections[0].footer.paragraphs
    assert [p.text.strip() for p in header] == [
        edited.new.marking,
        "Redline: NATO peacekeeping and the Ukraine crisis: executive brief",
    ]
    assert footer[-1].text.strip() == edited.new.marking
    pages = pdf_pages(output / "exec-brief.full.redline.pdf")
    assert edited.new.marking and all(edited.new.marking in page for page in pages)


def test_a_variant_new_since_the_ref_is_all_added(edited: Edited) -> None:
    path = edited.root / BRIEFING
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  full: {}\n", "  full: {}\n  short: {}\n"), encoding="utf-8")
    try:
        result = run(
            edited.root,
            "diff",
            "exec-brief",
            "--variant",
            "short",
            "--since",
            "HEAD",
            "--no-redline",
        )
    finally:
        path.write_text(text, encoding="utf-8")
    assert result.exit_code == 0, result.output
    assert "variant short did not exist at HEAD" in result.output
    assert "5 section(s) changed: 5 added" in result.output


def test_clean_removes_the_redlines(edited: Edited, tmp_path: Path) -> None:
    """`brief clean` removes what `brief diff` wrote, as it removes what the build wrote, and
    leaves a file brief did not write."""
    project = copy_project(REPO, tmp_path / "p")
    assert run(project, "build", "exec-memo", "--format", "html").exit_code == 0
    for ext in ("docx", "pdf"):
        name = f"exec-brief.full.redline.{ext}"
        shutil.copy(edited.root / "output" / name, project / "output" / name)
    (project / "output" / "notes.redline.txt").write_text("mine")
    result = run(project, "clean")
    assert result.exit_code == 0, result.output
    assert "removed output/exec-brief.full.redline.docx" in result.output
    assert "3 output(s) removed, 0 kept" in result.output
    assert output_files(project) == ["notes.redline.txt"]
