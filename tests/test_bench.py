"""The benchmarks are not tests; this only checks that each benchmark script runs, on tiny input."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import REPO


def run_bench(script: str, *args: str) -> str:
    command = [sys.executable, str(REPO / "bench" / script), *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_batch_benchmark_runs_on_two_briefings() -> None:
    stdout = run_bench("batch.py", "--briefings", "2", "--no-pandoc", "--quick")
    assert "3. no-op rebuild of 2" in stdout
    assert "target: only output/brief-00.pdf" in stdout
    rebuilt = next(ln for ln in stdout.splitlines() if ln.startswith("4."))
    assert "output/brief-00.pdf" in rebuilt and "brief-01" not in rebuilt


def test_template_cost_benchmark_runs_once() -> None:
    stdout = run_bench("template_cost.py", "--repeat", "1", "--copies", "1")
    assert "background brief x1: 1 interleaved rounds" in stdout
    assert "built-in template / minimal = " in stdout
    for variant in ("without TOC page numbers", "with justified text", "minimal stylesheet"):
        assert variant in stdout


def test_noop_benchmark_runs_on_two_briefings() -> None:
    stdout = run_bench("noop.py", "--briefings", "2", "--runs", "1")
    assert "1. no-op build of 2" in stdout
    assert "4. brief --help" in stdout


def test_sandbox_cost_benchmark_runs_once() -> None:
    stdout = run_bench("sandbox_cost.py", "--repeat", "1", "--copies", "1")
    assert "background brief x1: 1 interleaved rounds" in stdout
    assert "render: sandboxed / plain = " in stdout
    assert "cold start: sandboxed / plain = " in stdout


def test_thumbnails_benchmark_runs_once() -> None:
    stdout = run_bench("thumbnails.py", "--runs", "1")
    assert "background-brief: 13 pages, 1 alternated runs" in stdout
    assert "same bytes in every build" in stdout
    assert "thumbnails add " in stdout
