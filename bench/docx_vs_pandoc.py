"""DOCX speed against pandoc: a batch of briefings, and one large briefing.

Run: .venv/bin/python bench/docx_vs_pandoc.py [--briefings 20] [--repeat 3]
(`make bench` installs pypandoc-binary, which ships pandoc; it is used only here.)

1. Batch: one `brief build --format docx` of N briefings against N pandoc runs converting the
   same assembled Markdown (the briefings' sections cut from the sources) to DOCX.
2. Large: `brief build` of one large briefing (the background brief six times over, about 70
   PDF pages) against one pandoc run on its Markdown.
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
        inputs = root / "markdown"
        inputs.mkdir()
        for name in [*names, "large"]:
            (inputs / f"{name}.md").write_text(assembled_markdown(root, name), encoding="utf-8")
        out = root / "pandoc-out"
        out.mkdir()

        def brief(*extra: str) -> None:
            command = [BRIEF, "--project", str(root), "build", "--format", "docx", "--force"]
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
    ]
    for label, ours, theirs in rows:
        print(f"{label:44} {ours:>11.2f} {theirs:>8.2f} {ours / theirs:>6.2f}x")
    print("targets: batch below 1.0x (faster than pandoc), large within 1.5x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
