"""Issue 15: `brief preview` in a real browser. The server runs as `brief preview` does (a
subprocess on a free port); Debian's headless Chromium, driven by selenium, loads the page while
the test edits the project: the page changes by itself, a broken briefing shows its FILE:LINE
over the last good render, a good edit clears it, Ctrl-C ends the server cleanly, and nothing
is written outside output/."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from tests.helpers import FEATURE_PROJECT, copy_project

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
BRIEF = str(Path(sys.executable).parent / "brief")
# Without the networking flags Chromium waits on services it cannot reach on a closed network.
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,900",
)
OLD_TEXT = "The other source also has an overview."
NEW_TEXT = "The other source now says something else entirely."
LOOSE_SECONDS = 20.0  # only against hanging: bench/preview.py measures the speed targets
SHOWN_WITHIN = 1.0  # seconds from a save to the edited HTML on screen


def _tree(root: Path) -> dict[str, str]:
    """Every file outside output/ with a hash of its bytes."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.relative_to(root).parts[0] != "output"
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _until(check: Callable[[], object], what: str, seconds: float = LOOSE_SECONDS) -> float:
    """Wait for `check()` to be true; returns how long it took."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        try:
            if check():
                return time.perf_counter() - started
        except WebDriverException:  # the frame was being reloaded
            pass
        time.sleep(0.02)
    raise AssertionError(f"not within {seconds} s: {what}")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    assert CHROMIUM and CHROMEDRIVER, "make test installs chromium and chromium-driver"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def test_issue_15_preview_follows_edits_in_chromium(
    browser: webdriver.Chrome, tmp_path: Path
) -> None:
    project = copy_project(FEATURE_PROJECT, tmp_path / "project")
    before = _tree(project)
    port = _free_port()
    command = [BRIEF, "--project", str(project), "preview", "small", "--port", str(port)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[-1]
        assert url == f"http://127.0.0.1:{port}/preview/small"
        _live_page(browser, project, url, tmp_path)
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl-C
        code = server.wait(timeout=30)
        out, err = server.communicate()
    assert code == 0, err
    assert "Traceback" not in err and "Aborted" not in err, err
    assert "preview stopped" in out
    assert _tree(project) == before  # the edits were undone: nothing else was written
    written = sorted(p.name for p in (project / "output" / ".preview" / "small").iterdir())
    assert "small.html" in written and "small.pdf" in written, written


def _live_page(driver: webdriver.Chrome, project: Path, url: str, shots: Path) -> None:
    driver.get(url)
    body = driver.find_element(By.TAG_NAME, "body")
    _until(lambda: body.get_attribute("data-state") == "ready", "the first render")
    assert _html_text(driver).count(OLD_TEXT) == 1
    assert driver.find_elements(By.CSS_SELECTOR, "#pages img"), "no page images"
    outline = driver.find_element(By.ID, "outline").text
    assert "Bottom line" in outline and "Other overview" in outline
    driver.save_screenshot(str(shots / "preview.png"))
    # The outline scrolls the HTML view to the heading, and only the view: the page stays.
    driver.find_element(By.LINK_TEXT, "Other overview").click()
    frame_scroll = "return document.getElementById('html-view').contentWindow.scrollY"
    _until(lambda: driver.execute_script(frame_scroll) > 0, "the HTML view to scroll")
    pages_scroll = "return document.getElementById('pages').scrollTop"
    _until(lambda: driver.execute_script(pages_scroll) > 0, "the page images to scroll")
    assert driver.execute_script("return [window.scrollY, document.body.scrollTop]") == [0, 0]

    # A source edit: the HTML view changes by itself.
    source = project / "sources" / "other.md"
    original_source = source.read_text(encoding="utf-8")
    source.write_text(original_source.replace(OLD_TEXT, NEW_TEXT), encoding="utf-8")
    saved = time.time()
    _until(lambda: NEW_TEXT in _html_text(driver), "the edited text in the HTML view")
    shown = int(body.get_attribute("data-html-shown") or 0) / 1000  # the frame's load event
    print(f"HTML view showed the edit {shown - saved:.3f} s after the save")
    # By the browser's own clock, not the polling above. The target is 0.3 s (bench/preview.py
    # measures it); here a bound a busy test machine meets too, far below a rebuild by hand.
    assert 0 < shown - saved <= SHOWN_WITHIN
    _until(lambda: body.get_attribute("data-state") == "ready", "the new PDF")

    # A broken briefing: the error, with its file and line, over the last good render.
    briefing = project / "briefings" / "small.yaml"
    original_briefing = briefing.read_text(encoding="utf-8")
    line = original_briefing.splitlines().index("  - from: other#overview") + 1
    briefing.write_text(original_briefing.replace("other#overview", "other#overveiw"), "utf-8")
    overlay = driver.find_element(By.ID, "error")
    _until(overlay.is_displayed, "the error overlay")
    assert f"briefings/small.yaml:{line}: no section 'overveiw'" in overlay.text
    assert "did you mean 'overview'" in overlay.text
    assert NEW_TEXT in _html_text(driver)  # the last good render stays
    assert body.get_attribute("data-state") == "error"
    assert "Build failed" in driver.find_element(By.ID, "status").text  # still connected
    driver.save_screenshot(str(shots / "preview-error.png"))

    # A good edit clears it.
    briefing.write_text(original_briefing, encoding="utf-8")
    _until(lambda: not overlay.is_displayed(), "the overlay to go")
    _until(lambda: body.get_attribute("data-state") == "ready", "the render after the fix")
    assert NEW_TEXT in _html_text(driver)
    source.write_text(original_source, encoding="utf-8")
    _until(lambda: OLD_TEXT in _html_text(driver), "the source back as it was")
    _until(lambda: body.get_attribute("data-state") == "ready", "the last PDF")


def _html_text(driver: webdriver.Chrome) -> str:
    """The text of the HTML view (the briefing itself, in its frame)."""
    driver.switch_to.frame(driver.find_element(By.ID, "html-view"))
    try:
        text: str = driver.find_element(By.TAG_NAME, "body").text
        return text
    finally:
        driver.switch_to.default_content()
