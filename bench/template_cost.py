"""What each feature of the built-in `briefing` template costs when rendering a PDF.

Run: .venv/bin/python bench/template_cost.py [--repeat N] [--copies K ...]

Renders the background brief (its sections repeated K times: by default once, then twice for a
long document) with the built-in template, then the same HTML with parts of the stylesheet taken
away (or, for justification, added), and finally with a minimal stylesheet. All variants are
rendered in one process, round-robin, N times each, and compared with the minimal stylesheet
measured in the same run (absolute times move by 25% or more from run to run on the CI
machines): the fastest of each, and the median of the per-round ratios.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import weasyprint
from common import assembled_background

from briefwright.errors import Reporter
from briefwright.templates import find_template
from briefwright.writers.html import html_document

BUDGET = 1.5  # issue 4: the default template within 1.5x of a minimal stylesheet
MINIMAL_CSS = "html { font-family: Carlito, sans-serif; font-size: 10.5pt; }"
# The same, keeping the brief's page structure: its cover page and the author's page breaks.
MINIMAL_PAGED_CSS = MINIMAL_CSS + ".cover { break-after: page } .page-break { break-before: page }"


def brief_html(copies: int) -> str:
    with tempfile.TemporaryDirectory() as folder:
        project, document = assembled_background(Path(folder), copies)
        return html_document(document, find_template(project, "briefing"), Reporter())


def variants(html: str) -> dict[str, str]:
    css = re.search(r"<style>(.*?)</style>", html, re.S)
    assert css is not None
    full = css.group(1)

    def restyled(new_css: str) -> str:
        return html.replace(full, new_css)

    no_leaders = re.sub(r"\.toc a \{[^}]*\}", "", full)
    no_numbers = full.replace("content: target-counter(attr(href), page);", "content: none;")
    no_boxes = re.sub(r"@(top|bottom)-(left|center|right) \{.*?\}", "", full, flags=re.S)
    no_footnotes = full.replace("float: footnote;", "")
    no_hyphens = full.replace("hyphens: auto;", "")
    body_rule = "  hyphens: auto;\n  hyphenate-limit"
    justified = full.replace(body_rule, "  text-align: justify;\n" + body_rule)
    assert justified != full, "the body paragraph rule changed: update bench/template_cost.py"
    return {
        "built-in template": html,
        "  without TOC dot leaders": restyled(no_leaders),
        "  without TOC page numbers": restyled(no_numbers),
        "  without running headers/footers": restyled(no_boxes),
        "  without page footnotes": restyled(no_footnotes),
        "  without hyphenation": restyled(no_hyphens),
        "  with justified text (not the default)": restyled(justified),
        "minimal stylesheet, same page breaks": restyled(MINIMAL_PAGED_CSS),
        "minimal stylesheet (baseline)": restyled(MINIMAL_CSS),
    }


def render(html: str) -> tuple[float, int]:
    """CPU seconds of one render + write (less disturbed by the machine's noise than wall time)."""
    started = time.process_time()
    document = weasyprint.HTML(string=html).render()
    document.write_pdf()
    return time.process_time() - started, len(document.pages)


def measure(copies: int, repeat: int) -> float:
    """Print the table for one document; return the template's ratio to the minimal stylesheet."""
    cases = variants(brief_html(copies))
    render(next(iter(cases.values())))  # warm-up: fonts, imports
    times: dict[str, list[float]] = {name: [] for name in cases}
    pages: dict[str, int] = {}
    for _ in range(repeat):
        for name, html in cases.items():
            seconds, pages[name] = render(html)
            times[name].append(seconds)
    baseline = times["minimal stylesheet (baseline)"]
    print(f"\nbackground brief x{copies}: {repeat} interleaved rounds, CPU seconds")
    print(f"{'variant':42} {'pages':>5} {'fastest':>8} {'ratio':>6} {'paired':>7}")
    paired: dict[str, float] = {}
    for name, samples in times.items():
        # Two statistics, because noise on these machines comes in bursts: the fastest run of
        # each (noise only ever adds time), and the median of each round's ratio to the
        # baseline rendered right next to it (a slow stretch slows both).
        ratio = min(samples) / min(baseline)
        paired[name] = statistics.median(a / b for a, b in zip(samples, baseline, strict=True))
        print(
            f"{name:42} {pages[name]:>5} {min(samples):>8.2f} {ratio:>5.2f}x {paired[name]:>6.2f}x"
        )
    ratio = paired["built-in template"]
    verdict = "within" if ratio <= BUDGET else "OVER"
    print(f"built-in template / minimal = {ratio:.2f}x, median of paired rounds", end="")
    print(f" ({verdict} the {BUDGET}x budget)")
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument(
        "--copies",
        type=int,
        nargs="+",
        default=[1, 2],
        help="documents to measure: the background brief's sections this many times over",
    )
    args = parser.parse_args()
    ratios = [measure(copies, args.repeat) for copies in args.copies]
    print(f"\nworst ratio: {max(ratios):.2f}x (budget {BUDGET}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
