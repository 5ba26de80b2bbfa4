"""Server-sent events: every open page subscribes; the session publishes to all of them."""

from __future__ import annotations

import json
import queue
import threading
from typing import Any

CLOSED = "closed"  # the event a subscriber gets when the server stops


class Broker:
    """Fans each event out to the queue of every subscriber."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: list[queue.Queue[tuple[str, str]]] = []

    def subscribe(self) -> queue.Queue[tuple[str, str]]:
        box: queue.Queue[tuple[str, str]] = queue.Queue()
        with self._lock:
            self._queues.append(box)
        return box

    def unsubscribe(self, box: queue.Queue[tuple[str, str]]) -> None:
        with self._lock:
            if box in self._queues:
                self._queues.remove(box)

    def publish(self, event: str, data: dict[str, Any]) -> None:
        text = json.dumps(data)
        with self._lock:
            for box in self._queues:
                box.put((event, text))

    def close(self) -> None:
        with self._lock:
            for box in self._queues:
                box.put((CLOSED, "{}"))


def sse_message(event: str, data: str) -> bytes:
    """One event in the text/event-stream format (data is JSON: one line)."""
    return f"event: {event}\ndata: {data}\n\n".encode()
