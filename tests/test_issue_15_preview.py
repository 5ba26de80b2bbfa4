"""Issue 15: the preview's warm session and its server, in process. Which briefings a change
renders again comes from the build's own inputs; a failure keeps the last good render; only
pages that changed are made into images again; the server gives nothing outside output/."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest

from briefwright.preview.events import Broker
from briefwright.preview.server import PreviewServer
from briefwright.preview.session import Session
from tests.helpers import FEATURE_PROJECT, copy_project, pdf_pages, run

# Two briefings that share no source: an edit of one source is the business of one of them.
BRIEFINGS = {
    "uses-other": "title: Other\ndate: 2026-01-15\nsections:\n  - from: other#overview\n",
    "uses-features": (
        "title: Features\ndate: 2026-01-15\nsections:\n"
        "  - title: Start\n    text: The first page.\n"
        "  - from: features#data\n    page_break_before: true\n"
    ),
}


class Recorder:
    """A session whose events are kept, refreshed by the test itself (no threads)."""

    def __init__(self, root: Path):
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.session = Session(root, lambda kind, view: self.events.append((kind, view)))

    def refresh(self) -> list[tuple[str, str]]:
        """Plan and render again; returns the (event, briefing) pairs it published."""
        start = len(self.events)
        self.session.refresh()
        return [(kind, view["name"]) for kind, view in self.events[start:]]

    def view(self, name: str) -> dict[str, Any]:
        state = self.session.state(name)
        assert state is not None
        return state


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = copy_project(FEATURE_PROJECT, tmp_path / "project")
    for path in (root / "briefings").iterdir():
        path.unlink()
    for name, text in BRIEFINGS.items():
        (root / "briefings" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def recorder(project: Path) -> Recorder:
    recorder = Recorder(project)
    for name in BRIEFINGS:
        recorder.view(name)  # as a page opening each would
    assert recorder.refresh() == [
        ("html", "uses-other"),
        ("pdf", "uses-other"),
        ("html", "uses-features"),
        ("pdf", "uses-features"),
    ]
    return recorder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_issue_15_a_change_renders_only_the_briefings_whose_inputs_it_changes(
    recorder: Recorder, project: Path
) -> None:
    other = project / "sources" / "other.md"
    _edit(other, "Text that no briefing includes.", "Still included by no briefing.")
    assert recorder.refresh() == []  # a section no briefing takes
    _edit(other, "also has an overview.", "also has a new overview.")
    assert recorder.refresh() == [("html", "uses-other"), ("pdf", "uses-other")]
    _edit(project / "briefings" / "uses-features.yaml", "The first page.", "Page one.")
    assert recorder.refresh() == [("html", "uses-features"), ("pdf", "uses-features")]
    html = project / "output" / ".preview" / "uses-other" / "uses-other.html"
    assert "also has a new overview." in html.read_text(encoding="utf-8")


def test_issue_15_a_failure_is_shown_at_its_line_and_the_last_good_render_stays(
    recorder: Recorder, project: Path
) -> None:
    good = recorder.view("uses-other")
    _edit(project / "briefings" / "uses-other.yaml", "other#overview", "other#nowhere")
    assert recorder.refresh() == [("failed", "uses-other")]
    broken = recorder.view("uses-other")
    assert broken["state"] == "error"
    assert broken["errors"] == [
        "briefings/uses-other.yaml:4: no section 'nowhere' in sources/other.md"
    ]
    for kept in ("html", "pdf", "pages", "outline", "generation"):
        assert broken[kept] == good[kept], kept
    _edit(project / "briefings" / "uses-other.yaml", "other#nowhere", "other#overview")
    assert recorder.refresh() == [("html", "uses-other"), ("pdf", "uses-other")]
    fixed = recorder.view("uses-other")
    assert fixed["errors"] == [] and fixed["state"] == "ready"
    assert fixed["generation"] == good["generation"] + 1


def test_issue_15_only_pages_that_changed_are_made_into_images_again(
    recorder: Recorder, project: Path
) -> None:
    before = recorder.view("uses-features")
    assert len(before["pages"]) >= 2
    _edit(project / "briefings" / "uses-features.yaml", "The first page.", "Page one.")
    recorder.refresh()
    after = recorder.view("uses-features")
    assert after["seconds"]["pages_made"] == 1
    assert len(after["pages"]) == len(before["pages"])
    pairs = zip(before["pages"], after["pages"], strict=True)
    changed = [n for n, (old, new) in enumerate(pairs) if old != new]
    assert len(changed) == 1  # the others are the same files: the browser keeps them
    pages = {h["title"]: h["page"] for h in after["outline"]}  # from the PDF's destinations
    assert pages["Start"] < pages["Data"] < len(after["pages"]), pages
    folder = project / "output" / ".preview" / "uses-features"
    assert sorted(p.name for p in folder.glob("page-*.png")) == sorted(
        url.rsplit("/", 1)[1] for url in after["pages"]
    )


@pytest.fixture
def server(project: Path) -> Iterator[PreviewServer]:
    (project / "output" / "kept.txt").write_text("an output", encoding="utf-8")
    (project / "secret.txt").write_text("not an output", encoding="utf-8")
    (project / "output" / "link").symlink_to(project / "secret.txt")
    broker = Broker()
    running = PreviewServer(0, Session(project, broker.publish), broker, None)
    thread = threading.Thread(target=running.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield running
    finally:
        running.shutdown()
        running.server_close()
        thread.join()


def _request(
    server: PreviewServer, path: str, host: str | None = None, method: str = "GET"
) -> http.client.HTTPResponse:
    port = server.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest(method, path, skip_host=True)
    connection.putheader("Host", host or f"127.0.0.1:{port}")
    connection.endheaders()
    response = connection.getresponse()
    response.read()  # kept on the response for the caller
    connection.close()
    return response


def _get(server: PreviewServer, path: str, host: str | None = None) -> tuple[int, bytes]:
    port = server.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host or f"127.0.0.1:{port}")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


@pytest.mark.parametrize(
    "path",
    [
        "/output/../secret.txt",
        "/output/%2e%2e/secret.txt",
        "/output/..%2fsecret.txt",
        "/output//etc/passwd",
        "/output/link",  # a link out of output/
        "/output/",
        "/secret.txt",
        "/briefings/uses-other.yaml",
        "/static/../session.py",
        "/static/page.html",  # served as /preview/NAME only
        "/preview/no-such-briefing",
        "/api/state/no-such-briefing",
        "/api/state/../../secret",
    ],
)
def test_issue_15_the_server_gives_nothing_outside_output(server: PreviewServer, path: str) -> None:
    status, body = _get(server, path)
    assert status == 404, (path, body)
    assert b"not an output" not in body


def test_issue_15_the_server_answers_only_to_its_own_address(server: PreviewServer) -> None:
    assert server.server_address[0] == "127.0.0.1"
    assert _get(server, "/output/kept.txt") == (200, b"an output")
    port = server.server_address[1]
    assert _get(server, "/output/kept.txt", host=f"localhost:{port}")[0] == 200
    assert _get(server, "/output/kept.txt", host=f"attacker.example:{port}")[0] == 403


def test_issue_15_the_index_links_every_briefing(server: PreviewServer) -> None:
    status, body = _get(server, "/")
    assert status == 200
    for name in BRIEFINGS:
        assert f'<a href="/preview/{name}">{name}</a>'.encode() in body
    status, body = _get(server, "/preview/uses-other")
    assert status == 200 and b'id="html-view"' in body
    status, body = _get(server, "/api/state/uses-other")
    assert status == 200 and json.loads(body)["name"] == "uses-other"


def test_issue_15_preview_names_an_unknown_briefing_and_a_port_in_use(project: Path) -> None:
    result = run(project, "preview", "uses-othr")
    assert result.exit_code == 2
    assert "no briefing 'uses-othr'" in result.output and "uses-other" in result.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(project, "preview", "uses-other", "--port", str(port))
    assert result.exit_code == 2, result.output
    assert f"error: cannot serve on 127.0.0.1:{port}: Address already in use" in result.output
    assert not (project / "output" / ".preview").exists()  # nothing rendered
    assert run(project, "preview", "--port", "65536").exit_code == 2


def test_issue_15_the_preview_pdf_has_the_pages_of_the_built_one(
    recorder: Recorder, project: Path
) -> None:
    """The preview writes its PDF untagged and uncompressed (quicker); the pages are the
    build's: the same count and the same text on each."""
    assert run(project, "build", "uses-features", "--format", "pdf").exit_code == 0
    built = project / "output" / "uses-features.pdf"
    shown = project / "output" / ".preview" / "uses-features" / "uses-features.pdf"
    assert pdf_pages(shown) == pdf_pages(built)
    assert len(pdf_pages(shown)) == len(recorder.view("uses-features")["pages"])
    assert pypdf.PdfReader(built).root_object.get("/StructTreeRoot") is not None
    assert pypdf.PdfReader(shown).root_object.get("/StructTreeRoot") is None


def test_issue_15_the_view_lists_the_warnings_at_their_lines(
    recorder: Recorder, project: Path
) -> None:
    assert recorder.view("uses-other")["warnings"] == []
    briefing = project / "briefings" / "uses-other.yaml"
    text = "  - title: Note\n    text: See [the plan](#no-such-heading).\n"
    briefing.write_text(briefing.read_text(encoding="utf-8") + text, encoding="utf-8")
    assert recorder.refresh() == [("html", "uses-other"), ("pdf", "uses-other")]
    warnings = recorder.view("uses-other")["warnings"]
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("briefings/uses-other.yaml:5: link to '#no-such-heading'")


def test_issue_15_outputs_are_served_to_run_no_script(server: PreviewServer) -> None:
    """A briefing is untrusted: its HTML, shown in the page's frame, may run nothing."""
    (server.session.root / "output" / "page.html").write_text("<p>x</p>", encoding="utf-8")
    policy = _request(server, "/output/page.html").getheader("Content-Security-Policy") or ""
    assert "default-src 'none'" in policy and "script" not in policy
    page = _request(server, "/preview/uses-other")
    assert "default-src 'self'" in (page.getheader("Content-Security-Policy") or "")
    body = _get(server, "/preview/uses-other")[1]
    assert b'sandbox="allow-same-origin"' in body  # no allow-scripts for the frame


def test_issue_15_a_head_request_for_the_events_ends(server: PreviewServer) -> None:
    response = _request(server, "/events", method="HEAD")
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/event-stream"


def test_issue_15_an_output_folder_that_links_elsewhere_is_not_served(
    server: PreviewServer, project: Path
) -> None:
    elsewhere = project.parent / "elsewhere"
    (project / "output").rename(elsewhere)
    (project / "output").symlink_to(elsewhere)
    assert _get(server, "/output/kept.txt")[0] == 404


def test_issue_15_fonts_are_loaded_once_per_state_of_the_template(
    recorder: Recorder, project: Path
) -> None:
    """The warm session keeps one font configuration while the template's files stay as
    they are (fonts loaded once), and starts a new one when any of them changes (fonts that
    @font-face loaded stay loaded in the old one)."""
    session = recorder.session
    (first,) = session.fonts.values()
    _edit(project / "sources" / "other.md", "also has an overview.", "has an overview too.")
    recorder.refresh()
    assert list(session.fonts.values()) == [first]
    style = project / "templates" / "briefing" / "style.css"
    style.parent.mkdir(parents=True)
    style.write_text("h1 { letter-spacing: 0.01em; }\n", encoding="utf-8")
    assert recorder.refresh() == [
        ("html", "uses-other"),
        ("pdf", "uses-other"),
        ("html", "uses-features"),
        ("pdf", "uses-features"),
    ]
    (second,) = session.fonts.values()
    assert second is not first


def test_issue_15_the_shell_completes_the_briefing_to_preview(project: Path) -> None:
    from tests.test_issue_15_init import complete

    assert complete("bash", "brief preview uses-o", cwd=project) == ["uses-other"]
