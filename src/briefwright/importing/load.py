"""An input's bytes (a file, or a URL through the HTML helper's fetcher) and the reader of its
kind, found by name so that a kind whose reader is not installed fails with a clear message."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

from briefwright.errors import ImportFailed
from briefwright.readers.files import UnreadableFileError, read_regular, size_text

MAX_IMPORT_BYTES = 32 * 1024 * 1024  # a long PDF report; far beyond any article
URL_PREFIXES = ("http://", "https://")


class Input(NamedTuple):
    name: str  # as given on the command line
    data: bytes
    origin: str  # the final URL after redirects, or the file's name


def is_url(name: str) -> bool:
    return name.lower().startswith(URL_PREFIXES)


def load_input(name: str) -> Input:
    if is_url(name):
        return _fetch(name)
    path = Path(name)
    try:
        data = read_regular(path, MAX_IMPORT_BYTES)
    except UnreadableFileError as exc:
        if exc.too_large:
            message = f"is larger than {size_text(MAX_IMPORT_BYTES)}; import a smaller file"
            raise ImportFailed(message, file=path) from None
        raise ImportFailed(exc.reason, file=path) from None
    return Input(name, data, path.name)


def _fetch(url: str) -> Input:
    fetcher = reader_module("url", "web pages", Path(url))
    data, final = fetcher.fetch(url)
    return Input(url, data, final)


def reader_module(module: str, what: str, file: Path | None = None) -> ModuleType:
    """`briefwright.importing.<module>`; ImportFailed naming what cannot be imported when the
    module, or a package it needs, is missing."""
    full = f"briefwright.importing.{module}"
    try:
        return importlib.import_module(full)
    except ModuleNotFoundError as exc:
        if exc.name == full:
            reason = f"this briefwright has no reader for them ({full} is missing)"
        else:
            reason = f"the package '{exc.name}' is not installed (pip install {exc.name})"
        raise ImportFailed(f"cannot import {what}: {reason}", file=file) from None
