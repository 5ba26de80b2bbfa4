"""What `--thumbnails` adds to the PDF build of the 13-page background brief (issue 15).

Run: .venv/bin/python bench/thumbnails.py [--runs 7]   (`make bench` runs it)
Copies the example project to a temporary folder, then times whole processes, alternated so a
slow stretch of the machine hits both (wall and CPU time; fastest of N and the median of the
paired ratios; the verdict takes the higher CPU ratio, steadier than wall time when other work
shares the machine):
  baseline: brief build background-brief --format pdf --force
  measured: the same with --thumbnails (13 page images and the contact sheet)
Target: thumbnails add at most 15% to the PDF build. Also: the split of the added time (in
process: page images, contact sheet), the bytes written, and that two builds write the same
bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from batch import BRIEF, timed
from common import REPO, as_measured

BUDGET = 0.15  # issue 15: at most 15% added to the PDF build
NAME = "background-brief"
VARIANT = "internal"  # the complete one of its two variants (issue 16)
OUT = f"{NAME}.{VARIANT}"  # its outputs' name


def make_project(root: Path) -> None:
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copytree(REPO / "briefings", root / "briefings")
    shutil.copy(REPO / "briefwright.toml", root)
    briefing = root / "briefings" / f"{NAME}.yaml"
    briefing.write_text(as_measured(briefing.read_text(encoding="utf-8")), encoding="utf-8")


def thumbnail_digests(root: Path) -> dict[str, str]:
    output = root / "output"
    files = [output / f"{OUT}.pages.png", *sorted((output / OUT).iterdir())]
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def split(root: Path, repeat: int) -> tuple[float, float, int, int]:
    """In process, fastest of `repeat`: seconds for the page images, for the contact sheet;
    the number of pages and the bytes of every PNG."""
    from briefwright.writers.thumbnails import (
        CONTACT_COLUMNS,
        PAGE_WIDTH_PX,
        contact_sheet,
        load_renderer,
        page_images,
    )

    load_renderer()
    pdf = (root / "output" / f"{OUT}.pdf").read_bytes()
    images, sheets = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        pages = page_images(pdf, width_px=PAGE_WIDTH_PX)
        images.append(time.perf_counter() - started)
        started = time.perf_counter()
        sheet = contact_sheet(pages, columns=CONTACT_COLUMNS)
        sheets.append(time.perf_counter() - started)
    return min(images), min(sheets), len(pages), sum(map(len, pages)) + len(sheet)


def run(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(command)[0]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_project(root)
        base = [BRIEF, "--project", str(root), "build", NAME, "--variant", VARIANT]
        base += ["--format", "pdf", "--quiet"]
        plain = [*base, "--force", "--no-thumbnails"]
        thumbs = [*base, "--force", "--thumbnails"]
        timed(thumbs)  # warm-up: the disk cache, bytecode
        first = thumbnail_digests(root)
        plain_runs: list[tuple[float, float]] = []
        thumb_runs: list[tuple[float, float]] = []
        for _ in range(args.runs):
            thumb_runs.append(run(thumbs))
            assert thumbnail_digests(root) == first, "two builds wrote different thumbnails"
            plain_runs.append(run(plain))
        timed(thumbs)
        images, sheet, pages, size = split(root, args.runs)
    print(f"{NAME}: {pages} pages, {args.runs} alternated runs of whole processes")
    print(f"{'measurement':36} {'wall':>8} {'CPU':>8}")
    rows = [("PDF build (baseline)", plain_runs), ("PDF build --thumbnails", thumb_runs)]
    for name, runs in rows:
        print(f"{name:36} {min(w for w, _ in runs):>6.3f} s {min(c for _, c in runs):>6.3f} s")
    ratios = []
    for column in (0, 1):
        fastest = min(t[column] for t in thumb_runs) / min(p[column] for p in plain_runs)
        pairs = zip(thumb_runs, plain_runs, strict=True)
        paired = statistics.median(t[column] / p[column] for t, p in pairs)
        ratios.append((fastest, paired))
    print(f"{'  fastest / fastest':36} {ratios[0][0]:>7.3f}x {ratios[1][0]:>7.3f}x")
    print(f"{'  median of paired ratios':36} {ratios[0][1]:>7.3f}x {ratios[1][1]:>7.3f}x")
    print(f"{'in process: page images':36} {images:>6.3f} s")
    print(f"{'in process: contact sheet':36} {sheet:>6.3f} s")
    print(f"{'PNG bytes written (pages + sheet)':36} {size / 1024:>4.0f} KiB")
    print(f"{'same bytes in every build':36} {'yes':>8}")
    added = max(ratios[1]) - 1  # CPU time: the steadier measure on a shared machine
    verdict = "met" if added <= BUDGET else "MISSED"
    print(
        f"thumbnails add {added:.1%} CPU time (the higher CPU ratio; target <= {BUDGET:.0%}: ",
        end="",
    )
    print(f"{verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
