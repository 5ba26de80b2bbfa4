"""No-op builds and start-up, measured: what a CI job pays when nothing changed.

Run: .venv/bin/python bench/noop.py [--briefings 50]   (`make bench` runs it)
Generates N briefings (HTML, so the set-up is quick; a no-op build renders nothing whatever the
format) in a temporary project, builds them once, then measures in the same run (whole
processes, wall time, fastest of 7, alternated with the baseline):
  1. a no-op build of all N, answered from the build records (target < 0.3 s), against the
     interpreter's own start-up (`python -c pass`) as the baseline;
  2. the same with --report (also answered from the records);
  3. a build after an edit no briefing uses: the full build, which reads and validates every
     briefing and source and rebuilds nothing, for scale;
  4. `brief --help` (target < 150 ms) against `python -c "import click"`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from batch import BRIEF, fastest_pair, timed
from common import make_project


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefings", type=int, default=50)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    python = [sys.executable, "-c", "pass"]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        names = make_project(root, args.briefings, "html")
        build = [BRIEF, "--project", str(root), "build", *names, "--quiet"]
        timed(build)  # the first, full build
        _, out = timed(build)
        assert "0 output(s) built" in out, out
        noop, start = fastest_pair(args.runs, build, python)
        report = [*build, "--report", str(root / "report.json")]
        with_report, _ = fastest_pair(args.runs, report, python)
        notes = root / "sources" / "nato-ukraine.md"

        def edited() -> float:
            notes.write_text(notes.read_text(encoding="utf-8") + "\n<!-- x -->\n", "utf-8")
            started = time.perf_counter()
            _, out = timed(build)
            assert "0 output(s) built" in out, out
            return time.perf_counter() - started

        full = min(edited() for _ in range(3))
        help_time, click_time = fastest_pair(
            args.runs, [BRIEF, "--help"], [sys.executable, "-c", "import click"]
        )
    rows = [
        (
            f"1. no-op build of {len(names)}",
            f"{noop:.3f} s",
            f"{noop / start:.1f}x python start; target < 0.3 s",
        ),
        (
            "2. the same with --report",
            f"{with_report:.3f} s",
            f"{with_report / start:.1f}x python start",
        ),
        (
            "3. after an edit no output uses (full build)",
            f"{full:.3f} s",
            f"{full / noop:.1f}x the no-op answer",
        ),
        (
            "4. brief --help",
            f"{help_time * 1000:.0f} ms",
            f"{help_time / click_time:.2f}x importing click; target < 150 ms",
        ),
    ]
    print(f"{'measurement':46} {'result':>9}  note")
    for name, value, note in rows:
        print(f"{name:46} {value:>9}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
