"""WeasyPrint's complaints about a template's CSS, at the file and line that caused them.

The stylesheets reach WeasyPrint as one inline <style>, so its messages ("Ignored `colr: red`
at 412:5, unknown property.") count lines in the joined text and name no file. Each stylesheet
file is parsed once more on its own, so the same messages come with that file's own line
numbers; the render's copies of them are then dropped as already reported.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import weasyprint

from briefwright.readers.files import MAX_SMALL_FILE_BYTES, UnreadableFileError, read_text
from briefwright.writers.fetcher import ProjectFetcher

# "Ignored `x: y` at 12:5, unknown property." and the like: tinycss2 positions are line:column.
_POSITION = re.compile(r" at (\d+):(\d+)\b")
# "Invalid or unsupported selector, '.a ::placeholder ', ...": no position, but the selector
# as written, which is found in the file.
_QUOTED_SELECTOR = re.compile(r"selector, '(.+?) ?'(?:,|$)", re.DOTALL)
# Quoted CSS longer than this is cut: a data: URL in a declaration runs to kilobytes.
_MAX_QUOTED = 80
_QUOTED = re.compile(r"`([^`]*)`|'([^']*)'")


@dataclass(frozen=True)
class CssWarning:
    file: Path
    line: int | None
    message: str  # without the position, which `line` carries


def without_position(message: str) -> str:
    """The message as it reads whichever text it was counted in."""
    return _POSITION.sub("", message, count=1)


def stylesheet_warnings(
    paths: list[Path], fetcher: ProjectFetcher, keep: Callable[[str], bool]
) -> list[CssWarning]:
    """What WeasyPrint says about each stylesheet file, parsed alone; `keep` filters messages
    the build reports in its own way."""
    found: list[CssWarning] = []
    for path in paths:
        try:  # read before, for the render; read again the careful way
            text = read_text(path, MAX_SMALL_FILE_BYTES)
        except (UnreadableFileError, UnicodeDecodeError):
            continue
        with captured(keep) as messages:
            # The file's own URL: its relative @import and url() resolve as in the render.
            weasyprint.CSS(string=text, base_url=path.as_uri(), url_fetcher=fetcher)
        for message in messages:
            found.append(CssWarning(path, _line_of(message, text), without_position(message)))
    return found


def _line_of(message: str, text: str) -> int | None:
    position = _POSITION.search(message)
    if position:
        return int(position.group(1))
    selector = _QUOTED_SELECTOR.search(message)
    if selector:
        start = text.find(selector.group(1))
        if start >= 0:
            return text.count("\n", 0, start) + 1
    return None


def readable(message: str) -> str:
    """One line, with long quoted CSS shortened."""

    def shorten(quoted: re.Match[str]) -> str:
        mark = quoted.group()[0]
        inner = " ".join(quoted.group()[1:-1].split())
        if len(inner) > _MAX_QUOTED:
            inner = inner[: _MAX_QUOTED - 1] + "…"
        return f"{mark}{inner}{mark}"

    return " ".join(_QUOTED.sub(shorten, message).split())


@contextmanager
def captured(keep: Callable[[str], bool]) -> Iterator[list[str]]:
    """WeasyPrint's warnings that `keep` accepts, collected instead of printed bare."""
    messages: list[str] = []
    logger = logging.getLogger("weasyprint")

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if keep(message):
                messages.append(message)

    handler = Collect(logging.WARNING)
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
