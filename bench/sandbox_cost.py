"""What rendering templates in Jinja's sandbox costs, against a plain Environment.

Run: .venv/bin/python bench/sandbox_cost.py [--repeat N] [--copies K ...]

The background brief (its sections K times over) is assembled once and its template context
captured; then the built-in `briefing` template's HTML is rendered from that context by the
SandboxedEnvironment briefwright uses and by a plain jinja2.Environment with the same loader and
options, interleaved N times in one process (absolute times move by 25% or more from run to run
on the CI machines, so only ratios measured in the same run are compared). Also measured: a cold
start (a new environment compiling the template and everything it extends), as each worker pays
once, and the whole `html_document` (model -> HTML) for scale.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from common import assembled_background

from briefwright import model as m
from briefwright.errors import Reporter
from briefwright.template_jinja import environment as sandboxed
from briefwright.templates import HTML_TEMPLATE, Template, find_template
from briefwright.writers.html import html_document


class Capture(Template):
    """A template that keeps the context it is given instead of rendering it."""

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        CONTEXTS.append(dict(context))
        return ""


CONTEXTS: list[dict[str, Any]] = []


def plain(folders: tuple[Path, ...], root: Path) -> jinja2.Environment:
    return sandboxed(folders, root, kind=jinja2.Environment)


def prepare(root: Path, copies: int) -> tuple[Template, m.Briefing, dict[str, Any]]:
    project, document = assembled_background(root, copies)
    template = find_template(project, "briefing")
    capture = Capture(template.name, template.folders, template.project_root, template.info)
    html_document(document, capture, Reporter())
    return template, document, CONTEXTS.pop()


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(copies: int, repeat: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        template, document, context = prepare(Path(folder), copies)
        args = (template.folders, template.project_root)
        makers = {"sandboxed": sandboxed, "plain": plain}
        warm = {name: make(*args).get_template(HTML_TEMPLATE) for name, make in makers.items()}
        rows: dict[str, list[float]] = {}
        for _ in range(repeat):
            for name, make in makers.items():
                rows.setdefault(f"cold start, {name}", []).append(
                    timed(lambda make=make: make(*args).get_template(HTML_TEMPLATE).render(context))
                )
            for name, compiled in warm.items():
                rows.setdefault(f"render, {name}", []).append(
                    timed(lambda compiled=compiled: compiled.render(context))
                )
            rows.setdefault("html_document (whole, sandboxed)", []).append(
                timed(lambda: html_document(document, template, Reporter()))
            )
    print(f"\nbackground brief x{copies}: {repeat} interleaved rounds, wall milliseconds")
    print(f"{'measure':36} {'fastest':>8} {'median':>8}")
    for name, samples in rows.items():
        print(f"{name:36} {min(samples) * 1e3:8.2f} {statistics.median(samples) * 1e3:8.2f}")
    ratios = {
        kind: statistics.median(
            s / p for s, p in zip(rows[f"{kind}, sandboxed"], rows[f"{kind}, plain"], strict=True)
        )
        for kind in ("render", "cold start")
    }
    for kind, ratio in ratios.items():
        print(f"{kind}: sandboxed / plain = {ratio:.2f}x (median of paired rounds)")
    return ratios["render"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 6])
    args = parser.parse_args()
    ratios = [measure(copies, args.repeat) for copies in args.copies]
    print(f"\nworst render ratio: {max(ratios):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
