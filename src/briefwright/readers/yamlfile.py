"""Safe YAML loading with line numbers: no aliases, no custom tags, no duplicate keys.

PyYAML composes the node graph (which carries marks); this module turns nodes into plain
Python values itself so that it can refuse what a briefing never needs and remember, for each
value, the line it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from briefwright.errors import Problem, SpecError
from briefwright.readers.text import clean_value

MAX_YAML_BYTES = 256 * 1024
MAX_DEPTH = 32
_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}

Path_ = tuple[str | int, ...]


# libyaml's composer (C) when PyYAML has it: the pure-Python one took 0.2 s on a long briefing.
# Neither refuses aliases while composing, so _Builder refuses any node it meets twice. When
# libyaml fails, the pure-Python parser reads the text again: its messages are the ones users
# see, and it accepts escapes such as "\ud800", which are then replaced and reported.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
NESTING_MESSAGE = f"YAML nested deeper than {MAX_DEPTH} levels"
ALIAS_MESSAGE = "aliases (*name) are not allowed; write the value out in full"


@dataclass(frozen=True)
class YamlDocument:
    """A loaded YAML value and the 1-based line of every value in it, by path."""

    value: Any
    lines: dict[Path_, int]
    file: Path
    warnings: tuple[Problem, ...] = ()

    def line_of(self, path: Path_) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1


def load_yaml(text: str, file: Path, first_line: int = 1) -> YamlDocument:
    """Parse `text` (from `file`, starting at `first_line`) or raise SpecError."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_YAML_BYTES:
        raise SpecError(f"YAML is larger than {MAX_YAML_BYTES // 1024} KiB; split it", file=file)
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else None
        if "nesting depth" in str(exc.problem):  # libyaml's own limit (PyYAML 6.0.4 and later)
            raise SpecError(NESTING_MESSAGE, file=file, line=line) from None
        raise SpecError(f"YAML syntax error: {exc.problem}", file=file, line=line) from None
    except yaml.YAMLError as exc:
        raise SpecError(f"YAML syntax error: {exc}", file=file) from None
    except RecursionError:
        raise SpecError(NESTING_MESSAGE, file=file, line=first_line) from None
    lines: dict[Path_, int] = {}
    builder = _Builder(file, first_line, lines)
    value = builder.build(node, ()) if node is not None else None
    return YamlDocument(value, lines, file, tuple(builder.warnings))


def _compose(text: str) -> Node | None:
    try:
        return yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):
            raise
        return yaml.compose(text, Loader=yaml.SafeLoader)  # its messages are the clearer ones
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)


class _Builder:
    def __init__(self, file: Path, first_line: int, lines: dict[Path_, int]):
        self.file = file
        self.first_line = first_line
        self.lines = lines
        self.constructor = SafeConstructor()
        self.warnings: list[Problem] = []
        self.seen: set[int] = set()

    def line(self, node: Node) -> int:
        return self.first_line + node.start_mark.line

    def fail(self, node: Node, message: str) -> SpecError:
        return SpecError(message, file=self.file, line=self.line(node))

    def build(self, node: Node, path: Path_) -> Any:
        if len(path) > MAX_DEPTH:
            raise self.fail(node, NESTING_MESSAGE)
        if id(node) in self.seen:  # the composer shares an anchored node with its aliases
            line = self.lines.get(path) or self.lines.get(path[:-1]) or self.line(node)
            raise SpecError(f"YAML syntax error: {ALIAS_MESSAGE}", file=self.file, line=line)
        self.seen.add(id(node))
        if node.tag not in _STANDARD_TAGS:
            raise self.fail(node, f"YAML tag {node.tag!r} is not allowed; remove it")
        self.lines[path] = self.line(node)
        if isinstance(node, MappingNode):
            return self.build_mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        value = self.construct(node)
        if isinstance(value, str):
            # escapes such as "\x01" or "\ud800" get past the check of the raw text
            value, count = clean_value(value)
            if count:
                message = f"{count} control character(s) replaced with U+FFFD"
                self.warnings.append(Problem(message, self.file, self.line(node)))
        return value

    def construct(self, node: ScalarNode) -> Any:
        try:
            return self.constructor.construct_object(node)
        except yaml.YAMLError as exc:
            raise self.fail(node, f"invalid YAML value: {exc}") from None
        except (ValueError, OverflowError) as exc:
            # a timestamp such as 2026-13-01, or an integer too long to convert
            message = f"invalid value {node.value[:40]!r}: {exc}; quote it to keep it as text"
            raise self.fail(node, message) from None

    def build_mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise self.fail(key_node, "mapping keys must be plain text")
            key = str(self.construct(key_node))
            if key in result:
                first = self.lines[(*path, key)]
                raise self.fail(key_node, f"duplicate key '{key}' (first given on line {first})")
            self.lines[(*path, key)] = self.line(key_node)
            result[key] = self.build(value_node, (*path, key))
            self.lines[(*path, key)] = self.line(key_node)
        return result
