"""The preview's HTTP server, on 127.0.0.1 only: its own page, the session's state as JSON, the
event stream, and files under output/ (nothing else, with no way out of that folder)."""

from __future__ import annotations

import contextlib
import html
import json
import mimetypes
import queue
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from briefwright.preview.events import CLOSED, Broker, sse_message
from briefwright.preview.session import Session
from briefwright.preview.watch import watch_project

HOST = "127.0.0.1"
STATIC = Path(__file__).resolve().parent / "static"
STATIC_FILES = {"preview.css": "text/css", "preview.js": "text/javascript"}
KEEPALIVE_SECONDS = 15.0
JOIN_SECONDS = 30.0
# The preview's own page runs its own script only; outputs run none and load only from here.
PAGE_POLICY = "default-src 'self'; img-src 'self' data:; frame-ancestors 'self'"
OUTPUT_POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; font-src 'self' data:;"
    " frame-ancestors 'self'"
)  # how long Ctrl-C waits for a render under way


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # open event streams never hold up the exit
    allow_reuse_address = True

    def __init__(self, port: int, session: Session, broker: Broker, briefing: str | None):
        self.session = session
        self.broker = broker
        self.briefing = briefing  # the one asked for on the command line, if any
        self.stopping = threading.Event()
        super().__init__((HOST, port), Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows what the preview does, not every request."""

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        if not self._host_allowed():
            self._send_text(HTTPStatus.FORBIDDEN, "only http://127.0.0.1 may ask")
            return
        path = unquote(urlsplit(self.path).path)
        session = self.server.session
        if path == "/":
            if self.server.briefing is not None:
                self._redirect(f"/preview/{self.server.briefing}")
            else:
                self._send(HTTPStatus.OK, "text/html", _index(session.briefing_names()))
        elif path.startswith("/preview/") and path[9:] in session.briefing_names():
            self._send(HTTPStatus.OK, "text/html", (STATIC / "page.html").read_bytes())
        elif path.startswith("/preview/") and path[9:] in (units := session.units()):
            self._redirect(f"/preview/{units[path[9:]][0]}")  # a briefing's first variant
        elif path.startswith("/static/") and path[8:] in STATIC_FILES:
            self._send(HTTPStatus.OK, STATIC_FILES[path[8:]], (STATIC / path[8:]).read_bytes())
        elif path.startswith("/api/state/"):
            state = session.state(path[11:])
            if state is None:
                self._send_text(HTTPStatus.NOT_FOUND, "no such briefing")
            else:
                self._send(HTTPStatus.OK, "application/json", json.dumps(state).encode())
        elif path == "/events":
            self._events()
        elif path.startswith("/output/"):
            self._output(path[8:])
        else:
            self._send_text(HTTPStatus.NOT_FOUND, "not found")

    def _host_allowed(self) -> bool:
        """Refuse other host names (a web page using DNS rebinding to read the project)."""
        port = self.server.server_address[1]
        return self.headers.get("Host", "") in (f"{HOST}:{port}", f"localhost:{port}")

    def _output(self, relative: str) -> None:
        """A file under output/, never one reached through '..' or a link out of it."""
        output = self.server.session.root / "output"
        folder = output.resolve()
        parts = Path(relative).parts
        if not relative or ".." in parts or Path(relative).is_absolute() or output.is_symlink():
            self._send_text(HTTPStatus.NOT_FOUND, "not found")
            return
        path = (folder / relative).resolve()
        if not path.is_relative_to(folder) or not path.is_file():
            self._send_text(HTTPStatus.NOT_FOUND, "not found")
            return
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind == "text/html":
            kind = "text/html; charset=utf-8"
        # A briefing is untrusted input: what a browser could run (its HTML, an SVG) runs
        # nothing, whatever it holds. A PDF gets no policy: Chromium's viewer would refuse it.
        policy = OUTPUT_POLICY if kind.startswith(("text/html", "image/svg")) else None
        self._send(HTTPStatus.OK, kind, path.read_bytes(), policy)

    def _events(self) -> None:
        broker = self.server.broker
        if self.command == "HEAD":
            self._send(HTTPStatus.OK, "text/event-stream", b"")
            return
        box = broker.subscribe()
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            while not self.server.stopping.is_set():
                try:
                    event, data = box.get(timeout=KEEPALIVE_SECONDS)
                except queue.Empty:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    continue
                if event == CLOSED:
                    break
                self.wfile.write(sse_message(event, data))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page went away
        finally:
            broker.unsubscribe(box)
            self.close_connection = True

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send_text(self, status: HTTPStatus, text: str) -> None:
        self._send(status, "text/plain; charset=utf-8", text.encode())

    def _send(
        self, status: HTTPStatus, kind: str, body: bytes, policy: str | None = PAGE_POLICY
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if policy is not None:
            self.send_header("Content-Security-Policy", policy)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _index(names: list[str]) -> bytes:
    items = "\n".join(
        f'<li><a href="/preview/{html.escape(n)}">{html.escape(n)}</a></li>' for n in names
    )
    empty = "" if names else "<p>No briefings in briefings/ yet.</p>"
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    return page.replace("<!--briefings-->", items + empty).encode()


def serve_preview(
    root: Path, briefing: str | None, port: int, on_ready: Callable[[str], None]
) -> None:
    """Serve until interrupted (Ctrl-C): the warm session renders in one thread, the watcher
    wakes it in another, and the server answers pages in threads of their own."""
    broker = Broker()
    session = Session(root, broker.publish)
    server = PreviewServer(port, session, broker, briefing)
    stop = threading.Event()
    threads = [
        threading.Thread(target=_build_loop, args=(session, stop), daemon=True),
        threading.Thread(target=watch_project, args=(root, session.changed, stop), daemon=True),
    ]
    if briefing is not None:
        briefing = session.units().get(briefing, [briefing])[0]  # with variants: the first
        session.state(briefing)  # start rendering before a page asks
    for thread in threads:
        thread.start()
    on_ready(server.url + (f"preview/{briefing}" if briefing else ""))
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.stopping.set()
        broker.close()
        server.server_close()
        with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl-C: stop waiting
            for thread in threads:  # a render under way finishes its file (seconds at most)
                thread.join(timeout=JOIN_SECONDS)


def _build_loop(session: Session, stop: threading.Event) -> None:
    while not stop.is_set():
        if session.changed.wait(0.2) and not stop.is_set():
            session.refresh()
