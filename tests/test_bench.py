"""The benchmarks are not tests; this only checks that the batch benchmark runs, on a tiny N."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import REPO


def test_batch_benchmark_runs_on_two_briefings() -> None:
    command = [sys.executable, str(REPO / "bench" / "batch.py")]
    result = subprocess.run(
        [*command, "--briefings", "2", "--no-pandoc", "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "3. no-op rebuild of 2" in result.stdout
    assert "target: only output/brief-00.pdf" in result.stdout
    rebuilt = next(ln for ln in result.stdout.splitlines() if ln.startswith("4."))
    assert "output/brief-00.pdf" in rebuilt and "brief-01" not in rebuilt
