"""What each feature of the built-in `briefing` template costs when rendering a PDF.

Run: .venv/bin/python bench/template_cost.py [--repeat N] [--copies K]

Renders the background brief (its sections repeated K times, to make a long document) with the
built-in template, then the same HTML with parts of the stylesheet taken away, and finally with
a minimal stylesheet. All variants are rendered in one process, round-robin, N times each; the
fastest CPU time of each is compared with the minimal stylesheet measured in the same run,
because absolute times move by up to 25% from run to run on the CI machines.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import weasyprint

from briefwright.assemble import assemble
from briefwright.project import find_project
from briefwright.reporter import Reporter
from briefwright.sources import load_sources
from briefwright.spec import load_briefing
from briefwright.templates import find_template
from briefwright.writers.html import html_document

REPO = Path(__file__).resolve().parents[1]
MINIMAL_CSS = "html { font-family: Carlito, sans-serif; font-size: 10.5pt; }"
# The same, keeping the brief's page structure: its cover page and the author's page breaks.
MINIMAL_PAGED_CSS = MINIMAL_CSS + ".cover { break-after: page } .page-break { break-before: page }"


def brief_html(copies: int) -> str:
    with tempfile.TemporaryDirectory() as folder:
        project_dir = Path(folder)
        (project_dir / "briefings").mkdir()
        shutil.copytree(REPO / "sources", project_dir / "sources")
        spec = (REPO / "briefings" / "background-brief.yaml").read_text(encoding="utf-8")
        head, _, items = spec.partition("sections:\n")
        (project_dir / "briefings" / "bench.yaml").write_text(
            head + "sections:\n" + items * copies, encoding="utf-8"
        )
        project = find_project(project_dir)
        sources, errors = load_sources(project, [])
        assert not errors, errors
        briefing = load_briefing(project.briefings_dir / "bench.yaml", project, [])
        document = assemble(briefing, sources, project, [])
        return html_document(document, find_template(project, "briefing"), Reporter())


def variants(html: str) -> dict[str, str]:
    css = re.search(r"<style>(.*?)</style>", html, re.S)
    assert css is not None
    full = css.group(1)

    def restyled(new_css: str) -> str:
        return html.replace(full, new_css)

    no_leaders = re.sub(r"\.toc a \{[^}]*\}", "", full).replace(
        "content: target-counter(attr(href), page);", "content: none;"
    )
    no_boxes = re.sub(r"@(top|bottom)-(left|center|right) \{.*?\}", "", full, flags=re.S)
    no_footnotes = full.replace("float: footnote;", "")
    return {
        "built-in template": html,
        "  without TOC leaders/page numbers": restyled(no_leaders),
        "  without running headers/footers": restyled(no_boxes),
        "  without page footnotes": restyled(no_footnotes),
        "minimal stylesheet, same page breaks": restyled(MINIMAL_PAGED_CSS),
        "minimal stylesheet (baseline)": restyled(MINIMAL_CSS),
    }


def render(html: str) -> tuple[float, int]:
    """CPU seconds of one render + write (less disturbed by the machine's noise than wall time)."""
    started = time.process_time()
    document = weasyprint.HTML(string=html).render()
    document.write_pdf()
    return time.process_time() - started, len(document.pages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--copies", type=int, default=2)
    args = parser.parse_args()
    cases = variants(brief_html(args.copies))
    render(next(iter(cases.values())))  # warm-up: fonts, imports
    times: dict[str, list[float]] = {name: [] for name in cases}
    pages: dict[str, int] = {}
    for _ in range(args.repeat):
        for name, html in cases.items():
            seconds, pages[name] = render(html)
            times[name].append(seconds)
    # The fastest of N interleaved runs: noise on these machines only ever adds time.
    baseline = min(times["minimal stylesheet (baseline)"])
    print(f"background brief x{args.copies}: fastest of {args.repeat} renders each, CPU seconds")
    print(f"{'variant':40} {'pages':>5} {'seconds':>8} {'vs minimal':>10} {'median':>7}")
    for name, samples in times.items():
        best = min(samples)
        print(
            f"{name:40} {pages[name]:>5} {best:>8.2f} {best / baseline:>9.2f}x"
            f" {statistics.median(samples):>7.2f}"
        )
    ratio = min(times["built-in template"]) / baseline
    paged = min(times["built-in template"]) / min(times["minimal stylesheet, same page breaks"])
    per_page = ratio * pages["minimal stylesheet (baseline)"] / pages["built-in template"]
    verdict = "within" if ratio <= 1.5 else "OVER"
    print(f"built-in template / minimal = {ratio:.2f}x ({verdict} the 1.5x budget)")
    print(f"  / minimal with the same page breaks = {paged:.2f}x; per page = {per_page:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
