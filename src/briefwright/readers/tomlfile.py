"""TOML with line numbers: tomllib gives values without positions, so a scan of the text maps
each key path (`("markings", "schemes", "test", "levels", 1)`) to the line it is written on.

The scan runs only on text tomllib has accepted, so it can take the text to be valid TOML.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from briefwright.errors import SpecError
from briefwright.readers.yamlfile import Path_, YamlDocument

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = re.compile(r"[,\]}\n#]")
_PLACE = re.compile(r" \(at line (\d+), column \d+\)$")


def load_toml(text: str, file: Path) -> YamlDocument:
    """Parse `text` (from `file`) or raise SpecError; the document knows every key's line."""
    try:
        value = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        place = _PLACE.search(message)  # tomllib puts the place in its message only
        line = int(place.group(1)) if place else None
        message = message[: place.start()] if place else message
        raise SpecError(f"invalid TOML: {message}", file=file, line=line) from None
    return YamlDocument(value, toml_lines(text), file)


def toml_lines(text: str) -> dict[Path_, int]:
    """The 1-based line of every table, key and array item in valid TOML `text`, by path."""
    scanner = _Scanner(text)
    scanner.document()
    return scanner.lines


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: dict[Path_, int] = {}
        self.array_tables: dict[Path_, int] = {}  # `[[name]]` path -> index of its last table

    def peek(self, count: int = 1) -> str:
        return self.text[self.pos : self.pos + count]

    def advance(self, count: int = 1) -> None:
        self.line += self.text.count("\n", self.pos, self.pos + count)
        self.pos += count

    def record(self, path: Path_) -> None:
        self.lines.setdefault(path, self.line)

    def skip_blank(self, newlines: bool = True) -> None:
        """Spaces, tabs and comments; and line ends when `newlines`."""
        while self.pos < len(self.text):
            char = self.peek()
            if char == "#":
                end = self.text.find("\n", self.pos)
                self.advance((len(self.text) if end < 0 else end) - self.pos)
            elif char in " \t\r" or (newlines and char == "\n"):
                self.advance()
            else:
                return

    def document(self) -> None:
        table: Path_ = ()
        while True:
            self.skip_blank()
            if self.pos >= len(self.text):
                return
            if self.peek(2) == "[[":
                self.advance(2)
                table = self.array_table(self.key())
                self.advance(2)
            elif self.peek() == "[":
                self.advance()
                table = self.resolve(self.key())
                self.record(table)
                self.advance()
            else:
                self.key_value(table)

    def array_table(self, key: Path_) -> Path_:
        path = self.resolve(key[:-1]) + key[-1:]
        index = self.array_tables.get(path, -1) + 1
        self.array_tables[path] = index
        self.record(path)
        self.record((*path, index))
        return (*path, index)

    def resolve(self, key: Path_) -> Path_:
        """A header's key as a path: each array of tables it passes through at its last index."""
        path: Path_ = ()
        for part in key:
            path = (*path, part)
            if path in self.array_tables:
                path = (*path, self.array_tables[path])
        return path

    def key(self) -> Path_:
        parts: list[str] = []
        while True:
            self.skip_blank(newlines=False)
            if self.peek() in ("'", '"'):
                parts.append(self.string())
            else:
                found = _BARE_KEY.match(self.text, self.pos)
                assert found is not None, "tomllib accepted the text"
                parts.append(found.group())
                self.advance(len(found.group()))
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return tuple(parts)
            self.advance()

    def key_value(self, table: Path_) -> None:
        start = self.line
        key = self.key()
        for end in range(1, len(key) + 1):  # a dotted key defines its parents on its line
            self.lines.setdefault((*table, *key[:end]), start)
        self.advance()  # "="
        self.skip_blank(newlines=False)
        self.value((*table, *key))

    def value(self, path: Path_) -> None:
        char = self.peek()
        if char == "[":
            self.array(path)
        elif char == "{":
            self.inline_table(path)
        elif char in ("'", '"'):
            self.string()
        else:
            found = _SCALAR_END.search(self.text, self.pos)
            self.advance((len(self.text) if found is None else found.start()) - self.pos)

    def array(self, path: Path_) -> None:
        self.advance()
        index = 0
        while True:
            self.skip_blank()
            if self.peek() == "]":
                self.advance()
                return
            self.record((*path, index))
            self.value((*path, index))
            self.skip_blank()
            if self.peek() == ",":
                self.advance()
                index += 1

    def inline_table(self, path: Path_) -> None:
        self.advance()
        while True:
            self.skip_blank()
            if self.peek() == "}":
                self.advance()
                return
            self.key_value(path)
            self.skip_blank()
            if self.peek() == ",":
                self.advance()

    def string(self) -> str:
        """Skip a string of any of the four kinds; its raw content (escapes left as written)."""
        quote = self.peek()
        delimiter = quote * 3 if self.peek(3) == quote * 3 else quote
        self.advance(len(delimiter))
        start = self.pos
        while not self.text.startswith(delimiter, self.pos):
            self.advance(2 if quote == '"' and self.peek() == "\\" else 1)
        while len(delimiter) == 3 and self.text.startswith(quote, self.pos + 3):
            self.advance()  # up to two quotes end the content: """say "hi"""""
        content = self.text[start : self.pos]
        self.advance(len(delimiter))
        return content
