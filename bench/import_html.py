"""HTML import against trafilatura alone, on pages of a public extraction benchmark with gold text.

For each page: token F1 of the article text against the gold `articleBody` for
  - ours: `briefwright.importing.html.read()` (Markdown, stripped back to text), and
  - trafilatura alone: plain `trafilatura.extract(html)` with its defaults;
then pages per second for both on the same pages, measured in interleaved rounds in this one
run (figures move by ~25% between runs on these machines: compare the ratios).

Data: a subset of scrapinghub/article-extraction-benchmark (MIT): `<sha>.html.gz` files and a
`ground-truth.json`; by default in ../shared/import-bench/html (see
tests/data/import/README-html.md for where it comes from).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura
from markdown_it import MarkdownIt

from briefwright.importing.html import read

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "import-bench" / "html"
_WORD = re.compile(r"\w+")
_MD = MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")


def load_pages(data: Path) -> list[tuple[str, bytes, str]]:
    """(name, html bytes, gold text) of every page in `data`, in name order."""
    gold = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        (name, gzip.decompress((data / f"{name}.html.gz").read_bytes()), entry["articleBody"])
        for name, entry in sorted(gold.items())
    ]


def markdown_text(markdown: str) -> str:
    """The words a reader sees in `markdown`: inline text and code, no syntax, no URLs."""
    words: list[str] = []
    for token in _MD.parse(markdown):
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
        if token.type == "fence" or token.type == "code_block":
            words.append(token.content)
        words.append(" ")
    return "".join(words)


def token_f1(found: str, gold: str) -> float:
    """F1 of the bags of words (case-folded) of `found` against `gold`."""
    got, want = Counter(_WORD.findall(found.casefold())), Counter(_WORD.findall(gold.casefold()))
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def ours(html: bytes, name: str) -> str:
    return markdown_text(read(html, name).markdown)


def alone(html: bytes, name: str) -> str:
    return trafilatura.extract(html) or ""


def scores(
    pages: list[tuple[str, bytes, str]], extract: Callable[[bytes, str], str]
) -> list[float]:
    return [token_f1(extract(html, name), gold) for name, html, gold in pages]


def pages_per_second(pages: list[tuple[str, bytes, str]], rounds: int) -> tuple[float, float]:
    """Median pages/s of ours and of trafilatura alone, rounds interleaved."""
    times: dict[str, list[float]] = {"ours": [], "alone": []}
    runs: tuple[tuple[str, Callable[[bytes, str], object]], ...] = (
        ("ours", read),
        ("alone", alone),
    )
    for _ in range(rounds):
        # ours: read() alone; turning its Markdown back into text is for scoring only
        for label, extract in runs:
            start = time.perf_counter()
            for name, html, _gold in pages:
                extract(html, name)
            times[label].append(time.perf_counter() - start)
    return (
        len(pages) / statistics.median(times["ours"]),
        len(pages) / statistics.median(times["alone"]),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", type=int, default=0, help="only the first N pages")
    args = parser.parse_args()
    if not (args.data / "ground-truth.json").is_file():
        # The pages are fetched data, kept beside the project, never committed.
        print(f"skipped: no benchmark pages in {args.data} (see tests/data/import/README-html.md)")
        return
    pages = load_pages(args.data)
    if args.pages:
        pages = pages[: args.pages]
    ours_f1, alone_f1 = scores(pages, ours), scores(pages, alone)
    print(f"{len(pages)} pages from {args.data}")
    print(f"{'page':16} {'ours':>6} {'alone':>6}")
    for (name, _html, _gold), a, b in zip(pages, ours_f1, alone_f1, strict=True):
        print(f"{name[:16]:16} {a:6.3f} {b:6.3f}")
    mean_ours, mean_alone = statistics.mean(ours_f1), statistics.mean(alone_f1)
    print(f"token F1 mean: ours {mean_ours:.4f}, trafilatura alone {mean_alone:.4f}")
    print(
        f"token F1 median: ours {statistics.median(ours_f1):.4f}, "
        f"trafilatura alone {statistics.median(alone_f1):.4f}"
    )
    speed_ours, speed_alone = pages_per_second(pages, args.rounds)
    print(
        f"pages/s: ours {speed_ours:.1f}, trafilatura alone {speed_alone:.1f}; "
        f"time ratio ours/alone = {speed_alone / speed_ours:.2f} (target <= 1.2)"
    )


if __name__ == "__main__":
    main()
