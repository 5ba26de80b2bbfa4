"""What the benchmarks share: a temporary project of generated briefings."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from briefwright import model as m
from briefwright.assemble import assemble
from briefwright.project import Project, find_project
from briefwright.readers.sources import load_sources
from briefwright.spec.briefing import load_briefing

REPO = Path(__file__).resolve().parents[1]
LARGE_COPIES = 6  # the background brief this many times over: about 64 PDF pages


def make_project(root: Path, count: int, output_format: str) -> list[str]:
    """A project with `count` varied briefings and one large one; returns the briefing names."""
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copy(REPO / "briefwright.toml", root)
    (root / "briefings").mkdir()
    project = find_project(root)
    sources, _ = load_sources(project, [])
    refs = [
        f"{s.id}#{sec.id}"
        for s in sources.values()
        if s.id not in ("analyst-notes", "partner-summary")  # one briefing's: see bench/batch.py
        for sec in s.sections
        if sec.level == 2
    ]
    for n in range(count):
        picked = [refs[(n * 3 + k * 5) % len(refs)] for k in range(3 + n % 4)]
        items = "".join(f"  - from: {ref}\n" for ref in dict.fromkeys(picked))
        bluf = "  - title: Bottom line\n    text: |\n      **Bottom line:** brief number " + str(n)
        write(root, f"brief-{n:02d}", f"{bluf}\n{items}", output_format)
    head, _, items = background_internal().partition("sections:\n")
    (root / "briefings" / "large.yaml").write_text(
        head + "sections:\n" + items * LARGE_COPIES, encoding="utf-8"
    )
    names = [f"brief-{n:02d}" for n in range(count)]
    return names


def background_internal() -> str:
    """briefings/background-brief.yaml as its `internal` variant, a briefing of its own: no
    `variants:`, and without the items only other variants show (issue 16). The same 13 pages
    the benchmarks measured before the example had variants, section numbers and its sources
    annex (issue 17): those keys are taken out, so the numbers stay comparable."""
    spec = (REPO / "briefings" / "background-brief.yaml").read_text(encoding="utf-8")
    spec = re.sub(r"^(?:section_numbers|sources_annex):.*\n", "", spec, flags=re.MULTILINE)
    spec = re.sub(r"^variants:\n(?:[ #].*\n)*", "", spec, flags=re.MULTILINE)
    head, _, items = spec.partition("sections:\n")
    kept = [
        item
        for item in re.split(r"(?m)^(?=  - )", items)
        if item and not re.search(r"(?m)^    only:", item)
    ]
    return head + "sections:\n" + "".join(kept)


def write(root: Path, name: str, items: str, output_format: str) -> None:
    text = f"title: Brief {name}\ndate: 2026-11-21\nformats: [{output_format}]\nsections:\n{items}"
    (root / "briefings" / f"{name}.yaml").write_text(text, encoding="utf-8")


def assembled_background(root: Path, copies: int) -> tuple[Project, m.Briefing]:
    """The background brief, its sections `copies` times over, assembled in a new project."""
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copy(REPO / "briefwright.toml", root)
    (root / "briefings").mkdir()
    shutil.copytree(REPO / "briefings" / "annexes", root / "briefings" / "annexes")  # include:
    head, _, items = background_internal().partition("sections:\n")
    (root / "briefings" / "bench.yaml").write_text(
        head + "sections:\n" + items * copies, encoding="utf-8"
    )
    project = find_project(root)
    sources, errors = load_sources(project, [])
    assert not errors, errors
    briefing = load_briefing(project.briefings_dir / "bench.yaml", project, [])
    return project, assemble(briefing, sources, project, [])
