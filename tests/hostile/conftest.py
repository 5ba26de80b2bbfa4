"""Fixtures for hostile input: a canary file outside the project and a listener on loopback."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest


@dataclass
class Listener:
    """Counts every connection made to 127.0.0.1:port; nothing should ever connect."""

    port: int
    connections: list[str] = field(default_factory=list)


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.1)
    record = Listener(server.getsockname()[1])
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, address = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            record.connections.append(f"{address[0]}:{address[1]}")
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield record
    stop.set()
    thread.join(2)
    server.close()


@dataclass(frozen=True)
class Canary:
    path: Path
    secret: str


@pytest.fixture
def canary(tmp_path: Path) -> Canary:
    """A file outside the project whose content must never appear in any output."""
    secret = f"CANARY-{uuid.uuid4().hex}"
    path = tmp_path / "outside" / "canary.txt"
    path.parent.mkdir()
    path.write_text(secret + "\n", encoding="utf-8")
    return Canary(path, secret)
