"""`brief preview` measured: save to refreshed PDF, and to refreshed HTML, for the background brief.

Run: .venv/bin/python bench/preview.py [--saves 10]   (`make bench` runs it)
In a copy of the example project, measures in one run:
  1. a cold `brief build --force background-brief --format pdf` (whole process, median of 3);
  2. `brief preview background-brief` (one process, kept running): for each of N saves of a
     section of a source the brief includes, the time from the write to the server's `html`
     event (target <= 0.3 s) and to its `pdf` event, sent once the PDF and the images of its
     pages are written (target <= 1.0 s); medians, and the ratio to the cold build.
The events are read from the server's own event stream, as the page reads them; the browser's
fetch of the new images is not included (a few milliseconds on 127.0.0.1).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from batch import BRIEF
from common import REPO

BRIEFING = "background-brief"
EDITED = "sources/nato-peacekeeping.md"
SECTION = "## Historical Development of NATO Peacekeeping Operations"
HTML_TARGET, PDF_TARGET = 0.3, 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=10)
    parser.add_argument("--builds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name in ("sources", "briefings", "templates"):
            if (REPO / name).is_dir():
                shutil.copytree(REPO / name, root / name)
        shutil.copy(REPO / "briefwright.toml", root)
        cold = statistics.median(_cold_build(root) for _ in range(max(1, args.builds)))
        html_times, pdf_times, split, pages = _preview_saves(root, args.saves)
    html, pdf = statistics.median(html_times), statistics.median(pdf_times)
    rows = [
        (f"1. cold brief build --force ({pages} pages)", f"{cold:.3f} s", "whole process"),
        (
            f"2. preview: save to refreshed PDF (median of {len(pdf_times)})",
            f"{pdf:.3f} s",
            f"{pdf / cold:.2f}x the cold build; target <= {PDF_TARGET} s"
            f" {'met' if pdf <= PDF_TARGET else 'MISSED'}",
        ),
        (
            "3. preview: save to refreshed HTML",
            f"{html:.3f} s",
            f"target <= {HTML_TARGET} s {'met' if html <= HTML_TARGET else 'MISSED'}",
        ),
        (
            "   PDF: fastest / slowest save",
            f"{min(pdf_times):.3f} s",
            f"slowest {max(pdf_times):.3f} s",
        ),
        (
            "   of which PDF (layout and writing), median",
            f"{_median(split, 'layout'):.3f} s",
            f"page images {_median(split, 'images'):.3f} s,"
            f" {_median(split, 'pages_made'):.0f} of {pages} pages made again",
        ),
    ]
    print(f"{'measurement':52} {'result':>9}  note")
    for name, value, note in rows:
        print(f"{name:52} {value:>9}  {note}")
    return 0


def _median(split: list[dict[str, float]], key: str) -> float:
    return statistics.median(seconds[key] for seconds in split)


def _cold_build(root: Path) -> float:
    command = [BRIEF, "--project", str(root), "build", BRIEFING, "--format", "pdf", "--force"]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def _preview_saves(
    root: Path, saves: int
) -> tuple[list[float], list[float], list[dict[str, float]], int]:
    command = [BRIEF, "--project", str(root), "preview", BRIEFING]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[-1]
        port = int(url.split(":")[2].split("/")[0])
        events = _listen(port)
        view = _ready(port)  # the first render
        html_times: list[float] = []
        pdf_times: list[float] = []
        split: list[dict[str, float]] = []
        for n in range(saves):
            generation = view["generation"]
            time.sleep(0.3)  # a person does not save twice in a few milliseconds
            saved = _save(root / EDITED, n)
            html_times.append(_wait(events, "html", generation)["at"] - saved)
            view = _wait(events, "pdf", generation)
            pdf_times.append(view["at"] - saved)
            split.append(view["seconds"])
        return html_times, pdf_times, split, len(view["pages"])
    finally:
        server.send_signal(signal.SIGINT)
        code = server.wait(timeout=30)
        assert code == 0, (code, server.stderr.read() if server.stderr else "")


def _save(path: Path, n: int) -> float:
    """Write the source with the section's first paragraph changed; returns when it was saved."""
    lines = path.read_text(encoding="utf-8").split("\n")
    heading = lines.index(SECTION)
    index = next(i for i in range(heading + 1, len(lines)) if lines[i].strip())
    lines[index] = lines[index].split(" [edit ")[0] + f" [edit {n}]"
    text = "\n".join(lines)
    with open(path, "w", encoding="utf-8") as file:  # as an editor saves: in place
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    return time.perf_counter()


def _listen(port: int) -> queue.Queue[tuple[str, dict[str, Any]]]:
    """The server's events as they arrive, each stamped with when it was read."""
    events: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()

    def read() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port)
        connection.request("GET", "/events")
        response = connection.getresponse()
        kind = ""
        for raw in response:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                data = json.loads(line[6:])
                data["at"] = time.perf_counter()
                events.put((kind, data))

    threading.Thread(target=read, daemon=True).start()
    return events


def _ready(port: int) -> dict[str, Any]:
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port)
        connection.request("GET", f"/api/state/{BRIEFING}")
        view: dict[str, Any] = json.loads(connection.getresponse().read())
        connection.close()
        if view["state"] == "ready":
            return view
        if view["state"] == "error":
            raise SystemExit(f"the preview failed: {view['errors']}")
        time.sleep(0.1)


def _wait(events: queue.Queue[tuple[str, dict[str, Any]]], kind: str, after: int) -> dict[str, Any]:
    """The first `kind` event of a render later than generation `after`."""
    while True:
        got, data = events.get(timeout=60)
        if got == "failed":
            raise SystemExit(f"the preview failed: {data['errors']}")
        if got == kind and data["generation"] > after:
            return data


if __name__ == "__main__":
    sys.exit(main())
