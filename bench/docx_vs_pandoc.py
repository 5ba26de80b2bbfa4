"""DOCX speed against pandoc: a batch of briefings, and one large briefing.

Run: .venv/bin/python bench/docx_vs_pandoc.py [--briefings 20] [--repeat 3]
(`make bench` installs pypandoc-binary, which ships pandoc; it is used only here.)

1. Batch: one `brief build --format docx` of N briefings against N pandoc runs converting the
   same assembled Markdown (the briefings' sections cut from the sources) to DOCX.
2. Large: `brief build` of one large briefing (the background brief six times over, about 70
   PDF pages) against one pandoc run on its Markdown.
3. Tables (issue 12): a briefing of one 1000-row table, and one of 30 small tables (6 rows of
   4 columns, each under its own heading with a paragraph), each against pandoc on the same
   Markdown: the DOCX writer walks each row once, so a long table costs what its cells cost.
Whole processes, wall time, fastest of R runs, the two sides alternated in the same run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pypandoc
import pypdf
from common import make_project

from briefwright import model as m
from briefwright.project import find_project
from briefwright.readers.sources import load_sources
from briefwright.spec.briefing import load_briefing

BRIEF = str(Path(sys.executable).with_name("brief"))
PANDOC = pypandoc.get_pandoc_path()


def assembled_markdown(root: Path, name: str) -> str:
    """The briefing's Markdown as a team would hand it to pandoc: sections cut from sources."""
    project = find_project(root)
    sources, _ = load_sources(project, [])
    briefing = load_briefing(project.briefings_dir / f"{name}.yaml", project, [])
    parts = [f"% {briefing.spec.title}\n"]
    for item in briefing.spec.sections:
        if item.text is not None:
            parts.append(f"# {item.title or ''}\n\n{item.text}\n" if item.title else item.text)
            continue
        source = sources[item.source_id]
        parts.append(_source_text(root / "sources" / f"{source.id}.md", source, item))
    return "\n".join(parts)


def _source_text(path: Path, source: m.Source, item: object) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    section_id = getattr(item, "section_id", None)
    if section_id is None:
        return "\n".join(lines)
    section = source.section(section_id)
    assert section is not None
    end_block = section.end if getattr(item, "subsections", True) else section.own_end
    following = [s.line for s in source.sections if s.start == end_block]
    last = following[0] - 1 if following else len(lines)
    return "\n".join(lines[section.line - 1 : last])


TABLE_ROWS = 1000
SMALL_TABLES = 30


def table_markdown(rows: int, caption: str) -> str:
    """A pipe table of `rows` rows and four columns of mixed width, numbers right-aligned."""
    lines = ["| Mission | Region | Troops | Note |", "| --- | --- | ---: | --- |"]
    for n in range(rows):
        note = "rotation on schedule" if n % 3 else "mandate extended by the council"
        lines.append(f"| Mission {n + 1} | Region {n % 7} | {(n * 37) % 9000 + 100:,} | {note} |")
    return f"{caption}\n\n" + "\n".join(lines) + "\n"


def table_projects(root: Path) -> dict[str, Path]:
    """A project of its own for each table case (a build reads every source of its project,
    and each case should pay only for its own); briefing name -> project folder."""
    small = "".join(
        f"## Theatre {n + 1}\n\n" + table_markdown(6, f"Deployments in theatre {n + 1}.") + "\n"
        for n in range(SMALL_TABLES)
    )
    sources = {
        "table-1000": "# Deployments\n\n" + table_markdown(TABLE_ROWS, "Every deployment."),
        "tables-30": f"# Theatres\n\n{small}",
    }
    projects = {}
    for name, markdown in sources.items():
        project = root / name
        (project / "sources").mkdir(parents=True)
        (project / "briefings").mkdir()
        (project / "briefwright.toml").write_text("", encoding="utf-8")
        (project / "sources" / "tables.md").write_text(markdown, encoding="utf-8")
        text = f"title: {name}\ndate: 2026-11-21\nformats: [docx]\nsections:\n  - from: tables\n"
        (project / "briefings" / f"{name}.yaml").write_text(text, encoding="utf-8")
        projects[name] = project
    return projects


def fastest(repeat: int, first: Callable[[], None], second: Callable[[], None]) -> list[float]:
    """The fastest of `repeat` runs of each, alternated, so a slow stretch hits both."""
    times: list[list[float]] = [[], []]
    for _ in range(repeat):
        for run, samples in zip((first, second), times, strict=True):
            started = time.perf_counter()
            run()
            samples.append(time.perf_counter() - started)
    return [min(samples) for samples in times]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefings", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        names = make_project(root, args.briefings, "docx")
        tables = table_projects(root / "table-projects")
        inputs = root / "markdown"
        inputs.mkdir()
        for name in [*names, "large"]:
            (inputs / f"{name}.md").write_text(assembled_markdown(root, name), encoding="utf-8")
        for name, project in tables.items():
            markdown = assembled_markdown(project, name)
            (inputs / f"{name}.md").write_text(markdown, encoding="utf-8")
        out = root / "pandoc-out"
        out.mkdir()

        def brief(*extra: str, project: Path = root) -> None:
            command = [BRIEF, "--project", str(project), "build", "--format", "docx", "--force"]
            subprocess.run([*command, *extra], check=True, capture_output=True)

        def pandoc(name: str) -> None:
            source, target = inputs / f"{name}.md", out / f"{name}.docx"
            subprocess.run([PANDOC, str(source), "-o", str(target)], check=True)

        batch_brief, batch_pandoc = fastest(
            args.repeat, lambda: brief(*names), lambda: [pandoc(n) for n in names] and None
        )
        large_brief, large_pandoc = fastest(
            args.repeat + 2, lambda: brief("large"), lambda: pandoc("large")
        )
        table_times = [
            fastest(
                args.repeat + 2,
                lambda n=name, p=project: brief(n, project=p),
                lambda n=name: pandoc(n),
            )
            for name, project in tables.items()
        ]
        subprocess.run(
            [BRIEF, "--project", str(root), "build", "large", "--format", "pdf"],
            check=True,
            capture_output=True,
        )
        pages = len(pypdf.PdfReader(root / "output" / "large.pdf").pages)

    print(f"pandoc {pypandoc.get_pandoc_version()}; wall seconds, fastest of the runs")
    print(f"{'case':44} {'briefwright':>11} {'pandoc':>8} {'ratio':>7}")
    rows = [
        (f"batch: {len(names)} briefings to DOCX", batch_brief, batch_pandoc),
        (f"large: one {pages}-page briefing to DOCX", large_brief, large_pandoc),
        (f"tables: one {TABLE_ROWS}-row table", *table_times[0]),
        (f"tables: {SMALL_TABLES} small tables", *table_times[1]),
    ]
    for label, ours, theirs in rows:
        print(f"{label:44} {ours:>11.2f} {theirs:>8.2f} {ours / theirs:>6.2f}x")
    print("targets: batch below 1.0x (faster than pandoc), large within 1.5x, tables within 2x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
