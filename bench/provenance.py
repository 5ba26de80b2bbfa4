"""What provenance (issue 18) costs a build: the manifest of each output, and the gate.

Run: .venv/bin/python bench/provenance.py [--repeat N]   (`make bench` runs it)
For the background brief (13 pages) and the same sections six times over (about 64 pages), in
one process, round-robin (the two PDFs in turns first), N times each (CPU time, fastest
of N, after one render to load the fonts):
  1. assemble alone: what every build and `brief check` already do (the baseline);
  2. assemble with the parts kept, plus the manifest made from them (section hashes, text);
  3. the PDF rendered without a manifest and with it embedded (the embedding's cost);
and the manifest's size. Ratios are against the baseline of the same run.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from common import REPO, background_internal

from briefwright.assemble import ItemPart, assemble
from briefwright.build.plan import plan_build, selected_files
from briefwright.errors import Reporter
from briefwright.project import find_project
from briefwright.provenance.collect import manifest_of
from briefwright.provenance.manifest import to_json
from briefwright.writers.pdf import render_pdf


def cpu(work: Callable[[], object]) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


def project_of(root: Path, copies: int) -> Path:
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copy(REPO / "briefwright.toml", root)
    (root / "briefings").mkdir()
    shutil.copytree(REPO / "briefings" / "annexes", root / "briefings" / "annexes")
    head, _, items = background_internal().partition("sections:\n")
    text = head + "sections:\n" + items * copies
    (root / "briefings" / "bench.yaml").write_text(text, encoding="utf-8")
    return root


def measure(copies: int, repeat: int) -> list[tuple[str, str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        project = find_project(project_of(Path(folder), copies))
        plan = plan_build(project, selected_files(project, ["bench"]))
        assert not plan.rejected, plan.rejected
        briefing = plan.briefings[0]
        template = plan.templates[briefing.spec.template]
        sources = plan.sources.found

        def assembled() -> object:
            return assemble(briefing, sources, project, [])

        def with_manifest() -> bytes:
            parts: list[ItemPart] = []
            document = assemble(briefing, sources, project, [], parts=parts)
            return to_json(manifest_of(briefing, document, parts, plan, project))

        manifest = with_manifest()
        plain = assemble(briefing, sources, project, [])
        stamped = dataclasses.replace(
            plain, meta=dataclasses.replace(plain.meta, manifest=manifest.decode())
        )
        times: dict[str, list[float]] = {k: [] for k in ("assemble", "manifest", "pdf", "pdf+m")}
        pages = 0
        pages = render_pdf(stamped, template, Reporter()).pages or 0  # warm: fonts loaded
        renders = {"pdf": plain, "pdf+m": stamped}
        for round_ in range(repeat):
            times["assemble"].append(cpu(assembled))
            times["manifest"].append(cpu(with_manifest))
            order = ("pdf", "pdf+m") if round_ % 2 == 0 else ("pdf+m", "pdf")  # neither first
            for key in order:
                times[key].append(cpu(partial(render_pdf, renders[key], template, Reporter())))
    best = {k: min(v) for k, v in times.items()}
    name = f"{pages} pages"
    return [
        (f"{name}: assemble (baseline)", f"{best['assemble'] * 1000:.1f} ms", "1.00x"),
        (
            f"{name}: assemble + manifest",
            f"{best['manifest'] * 1000:.1f} ms",
            f"{best['manifest'] / best['assemble']:.2f}x ({len(manifest) // 1024} KiB of JSON)",
        ),
        (f"{name}: PDF without manifest", f"{best['pdf']:.2f} s", "1.00x"),
        (
            f"{name}: PDF with manifest",
            f"{best['pdf+m']:.2f} s",
            f"{best['pdf+m'] / best['pdf']:.3f}x",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = [row for copies in (1, 6) for row in measure(copies, args.repeat)]
    width = max(len(row[0]) for row in rows)
    for label, value, ratio in rows:
        print(f"{label:<{width}}  {value:>10}  {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
