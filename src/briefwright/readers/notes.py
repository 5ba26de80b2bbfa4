"""Footnote definitions and calls in Markdown, as markdown-it-py finds them, checked.

mdit-py-plugins' footnote plugin keeps the last of two definitions of a label, drops a
definition nothing calls, and leaves a call to a label never defined as text, all without a
word; and nothing stops a note from calling itself, directly or through other notes. A core
rule, run before the plugin moves the definitions to the end (losing their lines), records
every definition and call with its line; `note_problems` turns what it found into warnings,
and into errors for a note inside itself, which no output format can lay out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from briefwright.errors import Problem

NOTES_ENV = "briefwright_notes"  # where the rule leaves what it found, in the parser's env
_UNDEFINED_CALL = re.compile(r"\[\^([^\]\s]+)\]")  # what is left of a call to no definition

Line = int  # 0-based line in the parsed text
Problems = list[tuple[int, str]]  # (1-based line, message)


def note_name(meta: Mapping[str, Any]) -> str:
    """A note's name within its text: its label, or `^N` for the Nth inline note `^[...]`."""
    label = meta.get("label")
    return str(label) if label is not None else f"^{meta['id']}"


def note_key(prefix: str, meta: Mapping[str, Any]) -> str:
    """A note's key in the model, unique within a briefing: its text's prefix and its name."""
    return f"{prefix}:{note_name(meta)}"


@dataclass
class NoteCalls:
    definitions: list[tuple[str, Line]] = field(default_factory=list)  # in the order written
    # (the calling note's name, None for the text; the called note's name; line)
    calls: list[tuple[str | None, str, Line]] = field(default_factory=list)
    undefined: list[tuple[str, Line]] = field(default_factory=list)


def use_note_rules(md: MarkdownIt) -> None:
    md.core.ruler.before("footnote_tail", "note_calls", _record)


def _record(state: StateCore) -> None:
    found = NoteCalls()
    state.env[NOTES_ENV] = found
    inside: list[str] = []  # the definitions open at this token (one, unless nested)
    line = 0
    for token in state.tokens:
        if token.map is not None:
            line = token.map[0]
        if token.type == "footnote_reference_open":
            inside.append(str(token.meta["label"]))
            found.definitions.append((inside[-1], line))
        elif token.type == "footnote_reference_close" and inside:
            inside.pop()
        elif token.type == "inline" and token.children:
            _scan(token.children, inside[-1] if inside else None, line, found, state.env)


def _scan(
    children: list[Token], inside: str | None, line: Line, found: NoteCalls, env: Any
) -> None:
    """The calls in one block's inline tokens, and in the inline notes `^[...]` among them (a
    work list, not recursion: inline notes may nest deep)."""
    work = [(children, inside, line)]
    while work:
        tokens, caller, first = work.pop()
        for token, offset, text in _runs(tokens):
            if token is None:
                found.undefined += [
                    (m.group(1), first + offset) for m in _UNDEFINED_CALL.finditer(text)
                ]
                continue
            name = note_name(token.meta)
            found.calls.append((caller, name, first + offset))
            if "label" not in token.meta:  # an inline note: its text was parsed on its own
                inline = env["footnotes"]["list"][token.meta["id"]]
                work.append((inline.get("tokens", []), name, first + offset))


def _runs(tokens: list[Token]) -> Iterator[tuple[Token | None, int, str]]:
    """Each footnote call (token, line offset, "") and each stretch of plain text (None, its
    line offset, the text), in order."""
    offset, text, text_offset = 0, "", 0
    for token in tokens:
        if token.type == "text":
            text_offset = offset if not text else text_offset
            text += token.content
            continue
        if text:
            yield None, text_offset, text
            text = ""
        if token.type in ("softbreak", "hardbreak"):
            offset += 1
        offset += token.content.count("\n") if token.type != "text" else 0
        if token.type == "footnote_ref":
            yield token, offset, ""
    if text:
        yield None, text_offset, text


def note_problems(
    env: Mapping[str, Any], file: Path, first_line: int
) -> tuple[list[Problem], list[Problem]]:
    """(warnings, errors) from what the rule found in a parse's `env`: notes defined twice,
    never defined, never called; notes inside themselves."""
    found = env.get(NOTES_ENV)
    if not isinstance(found, NoteCalls):
        return [], []
    warnings, errors = _problems(found, first_line)
    return _located(warnings, file), _located(errors, file)


def _located(problems: Problems, file: Path) -> list[Problem]:
    return [Problem(message, file, line) for line, message in problems]


def _problems(found: NoteCalls, first_line: int) -> tuple[Problems, Problems]:
    warnings: Problems = []
    first: dict[str, Line] = {}
    for label, line in found.definitions:
        if label in first:
            again = f"(first on line {first_line + first[label]}); the last definition is used"
            warnings.append((first_line + line, f"footnote '[^{label}]' is defined twice {again}"))
        first.setdefault(label, line)
    for label, line in found.undefined:
        message = (
            f"footnote '[^{label}]' is never defined; the call is shown as text (if it is not"
            f" a call, write '\\[^{label}]')"
        )
        warnings.append((first_line + line, message))
    graph = _graph(found)
    reached = _reached(graph)
    for label, line in first.items():
        if label not in reached:
            message = f"footnote '[^{label}]' is never called (nor from a note that is); left out"
            warnings.append((first_line + line, message))
    return warnings, _cycles(graph, first_line)


Graph = dict[str | None, list[tuple[str, Line]]]  # caller (None: the text) -> (called, line)


def _graph(found: NoteCalls) -> Graph:
    graph: Graph = {}
    for caller, called, line in found.calls:
        graph.setdefault(caller, []).append((called, line))
    return graph


def _reached(graph: Graph) -> set[str]:
    """The notes the text calls, and those they call."""
    reached: set[str] = set()
    todo = [called for called, _ in graph.get(None, [])]
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo += [called for called, _ in graph.get(name, [])]
    return reached


def _cycles(graph: Graph, first_line: int) -> Problems:
    """One error for each call that closes a circle of notes (depth first, with an explicit
    stack: a chain of notes may be long)."""
    errors: Problems = []
    done: set[str] = set()
    for start in [name for name in graph if name is not None]:
        if start in done:
            continue
        path: list[str] = [start]
        on_path = {start}  # the path as a set: a long chain is not searched at every call
        stack = [iter(graph.get(start, []))]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                done.add(path[-1])
                on_path.discard(path.pop())
                stack.pop()
                continue
            called, line = step
            if called in on_path:
                errors.append((first_line + line, _circle(path[path.index(called) :], called)))
            elif called not in done:
                path.append(called)
                on_path.add(called)
                stack.append(iter(graph.get(called, [])))
    return errors


def _circle(path: list[str], called: str) -> str:
    if len(path) == 1:
        return f"footnote '[^{called}]' calls itself; a note cannot be inside itself"
    through = " -> ".join(f"[^{name}]" for name in (*path, called))
    return f"footnotes call each other in a circle ({through}); remove one of the calls"
