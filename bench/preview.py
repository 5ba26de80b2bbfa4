"""`brief preview` measured: save to refreshed PDF, and to refreshed HTML, for the background brief.

Run: .venv/bin/python bench/preview.py [--saves 10]   (`make bench` runs it)
In a copy of the example project, measures in one run:
  1. a cold `brief build --force background-brief --format pdf` (whole process, median of 3);
  2. `brief preview background-brief` (one process, kept running): for each of N saves of a
     section of a source the brief includes, the time from the write to the server's `html`
     event (target <= 0.3 s) and to its `pdf` event, sent once the PDF and the images of its
     pages are written (target <= 1.0 s); medians, and the ratio to the cold build.
The events are read from the server's own event stream, as the page reads them. With Debian's
chromium and chromedriver installed (`make test` installs them), the page is also open in
headless Chromium during the saves, and measured there (the page notes the time of each):
  4. the time from the write to the new HTML loaded in its frame (target <= 0.3 s);
  5. and to the new page images decoded, ready to paint (target <= 1.0 s).
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from batch import BRIEF
from common import REPO, as_measured

BRIEFING = "background-brief"
VARIANT = "internal"  # the 13-page one; the cold build builds only it too
EDITED = "sources/nato-peacekeeping.md"
SECTION = "## Historical Development of NATO Peacekeeping Operations"
HTML_TARGET, PDF_TARGET = 0.3, 1.0
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=10)
    parser.add_argument("--builds", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="skip measurements 4 and 5")
    args = parser.parse_args()
    browser = not args.no_browser and bool(CHROMIUM and CHROMEDRIVER)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"  # Chromium's profile goes beside it, not in it
        for name in ("sources", "briefings", "templates"):
            if (REPO / name).is_dir():
                shutil.copytree(REPO / name, root / name)
        shutil.copy(REPO / "briefwright.toml", root)
        brief = root / "briefings" / f"{BRIEFING}.yaml"  # the 13 pages measured before
        brief.write_text(as_measured(brief.read_text(encoding="utf-8")), encoding="utf-8")
        cold = statistics.median(_cold_build(root) for _ in range(max(1, args.builds)))
        saves = _preview_saves(root, args.saves, browser)
    html, pdf = statistics.median(saves.html), statistics.median(saves.pdf)
    rows = [
        (f"1. cold brief build --force ({saves.pages} pages)", f"{cold:.3f} s", "whole process"),
        (
            f"2. preview: save to refreshed PDF (median of {len(saves.pdf)})",
            f"{pdf:.3f} s",
            f"{pdf / cold:.2f}x the cold build;"
            f" target <= {PDF_TARGET} s {_verdict(pdf, PDF_TARGET)}",
        ),
        (
            "3. preview: save to refreshed HTML",
            f"{html:.3f} s",
            f"target <= {HTML_TARGET} s {_verdict(html, HTML_TARGET)}",
        ),
        (
            "   PDF: fastest / slowest save",
            f"{min(saves.pdf):.3f} s",
            f"slowest {max(saves.pdf):.3f} s",
        ),
        (
            "   of which PDF (layout and writing), median",
            f"{_median(saves.split, 'layout'):.3f} s",
            f"page images {_median(saves.split, 'images'):.3f} s,"
            f" {_median(saves.split, 'pages_made'):.0f} of {saves.pages} pages made again",
        ),
    ]
    if saves.browser_pages:
        shown, pages = statistics.median(saves.browser_html), statistics.median(saves.browser_pages)
        rows += [
            (
                "4. in Chromium: save to new HTML on screen",
                f"{shown:.3f} s",
                _verdict(shown, HTML_TARGET),
            ),
            (
                "5. in Chromium: save to new page images decoded",
                f"{pages:.3f} s",
                _verdict(pages, PDF_TARGET),
            ),
        ]
    else:
        rows.append(
            ("4-5. in Chromium", "skipped", "no chromium and chromedriver, or --no-browser")
        )
    print(f"{'measurement':52} {'result':>9}  note")
    for name, value, note in rows:
        print(f"{name:52} {value:>9}  {note}")
    return 0


def _verdict(seconds: float, target: float) -> str:
    return "met" if seconds <= target else "MISSED"


def _median(split: list[dict[str, float]], key: str) -> float:
    return statistics.median(seconds[key] for seconds in split)


def _cold_build(root: Path) -> float:
    command = [BRIEF, "--project", str(root), "build", BRIEFING, "--variant", VARIANT]
    command += ["--format", "pdf", "--force"]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


@dataclass
class Saves:
    """What each save took, in seconds from the write."""

    html: list[float] = field(default_factory=list)  # to the server's html event
    pdf: list[float] = field(default_factory=list)  # to its pdf event
    split: list[dict[str, float]] = field(default_factory=list)  # the server's own timings
    browser_html: list[float] = field(default_factory=list)  # the HTML view loaded in Chromium
    browser_pages: list[float] = field(default_factory=list)  # its new page images decoded
    pages: int = 0


def _preview_saves(root: Path, count: int, browser: bool) -> Saves:
    command = [BRIEF, "--project", str(root), "preview", BRIEFING, "--variant", VARIANT]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    driver = None
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[-1]
        port = int(url.split(":")[2].split("/")[0])
        events = _listen(port)
        view = _ready(port)  # the first render
        if browser:
            driver = _chromium(root)
            driver.get(url)
            _page_marks(driver, None)
        saves = Saves()
        for n in range(count):
            generation = view["generation"]
            marks = _page_marks(driver, None) if driver else None
            time.sleep(0.3)  # a person does not save twice in a few milliseconds
            saved, wall = _save(root / EDITED, n)
            saves.html.append(_wait(events, "html", generation)["at"] - saved)
            view = _wait(events, "pdf", generation)
            saves.pdf.append(view["at"] - saved)
            saves.split.append(view["seconds"])
            if driver and marks:
                html_shown, pages_shown = _page_marks(driver, marks)
                saves.browser_html.append(html_shown - wall)
                saves.browser_pages.append(pages_shown - wall)
        saves.pages = len(view["pages"])
        return saves
    finally:
        if driver is not None:
            driver.quit()
        server.send_signal(signal.SIGINT)
        code = server.wait(timeout=30)
        assert code == 0, (code, server.stderr.read() if server.stderr else "")


def _chromium(root: Path) -> Any:
    """Debian's headless Chromium (the flags keep it off the network it cannot reach)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic"]
    flags += ["--no-first-run", "--disable-background-networking", "--disable-sync"]
    flags += ["--disable-component-update", "--window-size=1400,900"]
    for flag in [*flags, f"--user-data-dir={root.parent / 'chromium-profile'}"]:
        options.add_argument(flag)
    return webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))


def _page_marks(driver: Any, before: tuple[float, float] | None) -> tuple[float, float]:
    """When the page last showed new HTML and new page images (seconds since the epoch);
    waits for both to be later than `before` (or, without it, for the first render)."""
    script = "return [document.body.dataset.htmlShown, document.body.dataset.pagesShown]"
    started = time.perf_counter()
    while time.perf_counter() - started < 60:
        marks = tuple(int(v) / 1000 if v else 0.0 for v in driver.execute_script(script))
        if all(marks) and (
            before is None or all(m > b for m, b in zip(marks, before, strict=True))
        ):
            return marks[0], marks[1]
        time.sleep(0.01)
    raise SystemExit("the page in Chromium did not change")


def _save(path: Path, n: int) -> tuple[float, float]:
    """Write the source with the section's first paragraph changed; returns when it was saved
    (performance counter, and seconds since the epoch for the browser's clock)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    heading = lines.index(SECTION)
    index = next(i for i in range(heading + 1, len(lines)) if lines[i].strip())
    lines[index] = lines[index].split(" [edit ")[0] + f" [edit {n}]"
    text = "\n".join(lines)
    with open(path, "w", encoding="utf-8") as file:  # as an editor saves: in place
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    return time.perf_counter(), time.time()


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
        connection.request("GET", f"/api/state/{BRIEFING}.{VARIANT}")
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
