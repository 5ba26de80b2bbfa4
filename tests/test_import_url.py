"""Issue 14: `briefwright.importing.url.fetch` against a local HTTP server on 127.0.0.1: only
the URL given, http(s) only, redirects checked and counted, size limited while streaming."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

from briefwright.errors import BriefwrightError
from briefwright.importing import html, url, web_images
from tests.helpers import FEATURE_PROJECT, copy_project, run

PAGE = (
    b"<html><head><title>Local page</title></head><body><article><h1>Local page</h1>"
    + b"<p>The observers filed their daily reports with the regional office.</p>" * 5
    + b"</article></body></html>"
)


def _png() -> bytes:
    """A real 1x1 PNG: imported images are checked as every source image is."""
    out = io.BytesIO()
    Image.new("RGB", (1, 1), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()
GALLERY = (
    b"<html><head><title>Gallery</title></head><body><article><h1>Gallery</h1>"
    + b"<p>The observers filed their daily reports with the regional office.</p>" * 3
    + b'<figure><img src="/img/dot.png" alt="A dot" width="300"></figure>'
    + b'<p>Second image follows. <img src="/img/to-file.png" alt="Sneaky"> and '
    + b'<img src="/img/not-an-image.png" alt="Not one"> end of the gallery text.</p>'
    + b"</article></body></html>"
)


class Handler(BaseHTTPRequestHandler):
    """Routes: /page, /hop/N (redirects N more times, then /page), /to-file, /to-ftp,
    /relative, /big (streams without a length), /lying (claims 10 bytes, sends more),
    /missing (404), /no-location."""

    requests: list[str] = []  # noqa: RUF012 (shared on purpose: what the server was asked)

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep pytest's output clean

    def do_GET(self) -> None:
        Handler.requests.append(self.path)
        if self.path == "/page":
            self.send(200, PAGE, {"Content-Type": "text/html; charset=utf-8"})
        elif self.path.startswith("/hop/"):
            left = int(self.path.rsplit("/", 1)[1])
            target = "/page" if left == 0 else f"/hop/{left - 1}"
            port = self.headers.get("Host", "").rsplit(":", 1)[-1]
            self.send(302, b"", {"Location": f"http://127.0.0.1:{port}{target}"})
        elif self.path == "/gallery":
            self.send(200, GALLERY, {"Content-Type": "text/html"})
        elif self.path == "/img/dot.png":
            self.send(200, PNG, {"Content-Type": "image/png"})
        elif self.path == "/img/to-file.png":
            self.send(302, b"", {"Location": "file:///etc/passwd"})
        elif self.path == "/img/not-an-image.png":
            self.send(200, b"<html>nope</html>", {"Content-Type": "image/png"})
        elif self.path == "/relative":
            self.send(301, b"", {"Location": "page"})
        elif self.path == "/to-file":
            self.send(302, b"", {"Location": "file:///etc/passwd"})
        elif self.path == "/to-ftp":
            self.send(307, b"", {"Location": "ftp://127.0.0.1/x.html"})
        elif self.path == "/no-location":
            self.send(302, b"", {})
        elif self.path == "/big":
            self.send_response(200)
            self.end_headers()
            for _ in range(64):
                self.wfile.write(b"x" * 1024)
        elif self.path == "/lying":
            self.send_response(200)
            self.send_header("Content-Length", "10")
            self.end_headers()
            self.wfile.write(b"y" * 4096)
        else:
            self.send(404, b"not here", {})

    def send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the client hanging up on /big (as it must) is no failure of the test


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def error_of(address: str, **kwargs: int) -> str:
    with pytest.raises(BriefwrightError) as caught:
        url.fetch(address, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_issue_14_fetches_a_page_and_reads_it(server: str) -> None:
    body, final = url.fetch(f"{server}/page")
    assert (body, final) == (PAGE, f"{server}/page")
    imported = html.read(body, final)
    assert imported.title == "Local page"
    assert "daily reports" in imported.markdown


def test_issue_14_follows_five_redirects_and_names_the_final_url(server: str) -> None:
    body, final = url.fetch(f"{server}/hop/4")  # 5 redirects: hop/4 .. hop/0 -> page
    assert body == PAGE
    assert final == f"{server}/page"
    body, final = url.fetch(f"{server}/relative")
    assert final == f"{server}/page"


def test_issue_14_a_sixth_redirect_is_refused(server: str) -> None:
    Handler.requests.clear()
    message = error_of(f"{server}/hop/5")
    assert message == f"{server}/hop/5: redirects more than 5 times; give the final address"
    assert "/page" not in Handler.requests


@pytest.mark.parametrize(
    ("path", "target"),
    [("/to-file", "file:///etc/passwd"), ("/to-ftp", "ftp://127.0.0.1/x.html")],
)
def test_issue_14_redirect_to_another_scheme_is_refused(
    server: str, path: str, target: str
) -> None:
    message = error_of(f"{server}{path}")
    assert message == (
        f"{server}{path}: redirects to {target!r}, which is not http(s); it is not followed"
    )


@pytest.mark.parametrize(
    "address", ["file:///etc/passwd", "ftp://127.0.0.1/x", "data:text/html,<p>x</p>", "http://"]
)
def test_issue_14_only_http_urls_are_fetched(address: str) -> None:
    assert error_of(address) == (
        f"{address}: is not an http(s) URL; only http:// and https:// are fetched"
    )


def test_issue_14_body_over_the_limit_is_cut_off(server: str) -> None:
    message = error_of(f"{server}/big", limit=16 * 1024)
    assert message == f"{server}/big: is larger than 16 KiB; save only the article"


def test_issue_14_content_length_is_not_trusted(server: str) -> None:
    body, _ = url.fetch(f"{server}/lying", limit=1024)
    assert body == b"y" * 10  # http.client stops at the declared length: never more


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "answered HTTP 404 Not Found"),
        ("/no-location", "redirects without a Location"),
    ],
)
def test_issue_14_http_failures_are_one_line_errors(server: str, path: str, message: str) -> None:
    assert error_of(f"{server}{path}").endswith(message)


def test_issue_14_connection_refused_is_an_error() -> None:
    # a port nothing listens on: bind one, then close it
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert error_of(f"http://127.0.0.1:{port}/x").startswith(
        f"http://127.0.0.1:{port}/x: could not be fetched: "
    )


def test_issue_14_fetch_images_through_the_same_limits(server: str) -> None:
    page, final = url.fetch(f"{server}/gallery")
    imported = html.read(page, final)
    assert "![A dot](" + f"{server}/img/dot.png)" in imported.markdown
    Handler.requests.clear()
    fetched = web_images.fetch_images(imported, final, "img/gallery")
    assert [(i.name, i.data) for i in fetched.images] == [("img/gallery/1.png", PNG)]
    assert "![A dot](img/gallery/1.png)" in fetched.markdown
    assert f"![Sneaky]({server}/img/to-file.png)" in fetched.markdown  # kept as a reference
    assert sorted(Handler.requests) == ["/img/dot.png", "/img/not-an-image.png", "/img/to-file.png"]
    assert [w for w in fetched.warnings if "dot.png" in w] == []
    assert (
        f"image not fetched: {server}/img/to-file.png: redirects to 'file:///etc/passwd', "
        "which is not http(s); it is not followed"
    ) in fetched.warnings
    assert (
        f"image '{server}/img/not-an-image.png' not fetched: not PNG, JPEG, GIF, WebP or SVG"
    ) in fetched.warnings


def test_issue_14_images_are_not_fetched_by_default(server: str) -> None:
    page, final = url.fetch(f"{server}/gallery")
    Handler.requests.clear()
    imported = html.read(page, final)
    assert Handler.requests == []
    assert imported.images == []


def test_issue_14_brief_import_fetch_images_writes_them_beside_the_source(
    server: str, tmp_path: Path
) -> None:
    """The command: without the flag nothing but the page is fetched; with it the one real
    image is written under sources/img/ID/, the source points to it, and it builds."""
    project = copy_project(FEATURE_PROJECT, tmp_path / "project")
    Handler.requests.clear()
    plain = run(
        project, "import", f"{server}/gallery", "--id", "plain", "--marking", "TEST MARKING"
    )
    assert plain.exit_code == 0, plain.output
    assert Handler.requests == ["/gallery"]
    result = run(
        project, "import", f"{server}/gallery", "--id", "gallery", "--marking", "TEST MARKING",
        "--fetch-images",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (project / "sources" / "img" / "gallery" / "1.png").read_bytes() == PNG
    text = (project / "sources" / "gallery.md").read_text(encoding="utf-8")
    assert "![A dot](img/gallery/1.png)" in text
    assert "redirects to 'file:///etc/passwd'" in result.output  # refused, and said
    (project / "briefings" / "gallery.yaml").write_text(
        "title: Gallery\nformats: [html, docx]\nsections:\n  - from: gallery\n", encoding="utf-8"
    )
    built = run(project, "build", "gallery")
    assert built.exit_code == 0, built.output


def test_issue_14_fetch_images_on_a_file_says_nothing_was_fetched(tmp_path: Path) -> None:
    project = copy_project(FEATURE_PROJECT, tmp_path / "project")
    page = tmp_path / "page.html"
    page.write_bytes(GALLERY)
    result = run(project, "import", str(page), "--marking", "TEST MARKING", "--fetch-images")
    assert result.exit_code == 0, result.output
    assert "--fetch-images applies to web pages given by URL; nothing fetched" in result.output
