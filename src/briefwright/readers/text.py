"""Decoding and cleaning text read from disk, so no writer meets a character it cannot hold."""

from __future__ import annotations

import re
from pathlib import Path

from briefwright.errors import Problem, SourceError

# XML 1.0 cannot hold these; python-docx raises on them and HTML renders them as garbage.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def decode_utf8(data: bytes, file: Path) -> str:
    """Strict UTF-8 (a BOM is allowed); an error names the byte offset and its line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            f"not valid UTF-8 at byte {exc.start}; save the file as UTF-8",
            file=file,
            line=line,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_value(text: str) -> tuple[str, int]:
    """`text` with forbidden characters replaced, and how many there were."""
    return _FORBIDDEN.subn(REPLACEMENT, text)


def replace_forbidden(text: str, file: Path, first_line: int = 1) -> tuple[str, list[Problem]]:
    """Replace characters no output format can hold with U+FFFD; one problem per line hit."""
    problems: list[Problem] = []
    if not _FORBIDDEN.search(text):
        return text, problems
    lines = text.split("\n")
    for number, line in enumerate(lines):
        cleaned, count = _FORBIDDEN.subn(REPLACEMENT, line)
        if count:
            lines[number] = cleaned
            problems.append(
                Problem(
                    f"{count} control character(s) replaced with U+FFFD",
                    file,
                    first_line + number,
                )
            )
    return "\n".join(lines), problems
