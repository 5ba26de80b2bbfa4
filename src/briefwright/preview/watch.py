"""Watching the project: any change outside output/ (and the folders no build reads) wakes the
session, which plans again and finds from the inputs which briefings the change affects."""

from __future__ import annotations

import os
import threading
from pathlib import Path

IGNORED_FOLDERS = ("output", ".git", ".venv", "__pycache__", "node_modules")
STEP_MS = 30  # a burst of writes (an editor's save) is one change once this quiet


def watch_project(root: Path, changed: threading.Event, stop: threading.Event) -> None:
    """Set `changed` on every change under `root` until `stop` is set (run in a thread)."""
    from watchfiles import DefaultFilter, watch

    ignored = [f"{root / folder}{os.sep}" for folder in IGNORED_FOLDERS]  # not outputs-2/
    only_inputs = DefaultFilter(ignore_paths=ignored)
    for _ in watch(
        root,
        watch_filter=only_inputs,
        stop_event=stop,
        step=STEP_MS,
        rust_timeout=500,
        yield_on_timeout=False,
        raise_interrupt=False,
    ):
        changed.set()
