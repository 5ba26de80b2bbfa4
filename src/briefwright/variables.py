"""Variables: `{{< var key >}}` (Quarto's shortcode) in briefing text, sources and titles.

Values come in layers, the later winning: briefwright.toml's `[vars]`, the briefing's `vars:`,
its variant's `vars:`, then `--set key=value`. Nested tables give dotted keys (`org.name`).
A value is inserted as literal text: never parsed as Markdown, never searched for shortcodes
again (this is not a template language: source text stays data). `{{{< var key >}}}` prints
the shortcode itself, as in Quarto.

Light at import (re, hashlib, datetime): the no-op build (build/fast.py) checks the values an
output used with `value_part` and `toml_vars`, without the parsers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

# a key: letters, digits, '_' and '-', in parts joined by '.'
KEY = r"[A-Za-z0-9_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_][A-Za-z0-9_-]*)*"
KEY_PATTERN = re.compile(KEY)
# `{{{< var k >}}}` (escaped: printed as `{{< var k >}}`) or `{{< var k >}}`
SHORTCODE = re.compile(
    r"(?P<escaped>\{\{\{<\s*var\s+(?P<ekey>\S+?)\s*>\}\}\})|\{\{<\s*var\s+(?P<key>\S+?)\s*>\}\}"
)
LAYERS = ("toml", "briefing", "variant", "set")  # the order in which values are laid over


class Var(NamedTuple):
    """A defined variable: its value as printed (None for a list or table, which cannot be
    inserted inline), the layer and the place that set it."""

    text: str | None
    kind: str  # "string", "number", "boolean", "date", "list", "table"
    layer: str
    file: Path | None
    line: int | None


class Layer(NamedTuple):
    """One layer of values: nested as written (tables give dotted keys), with where each key
    was written (`lines` by dotted key; missing keys fall back to `line`)."""

    name: str  # one of LAYERS
    values: Mapping[str, Any]
    file: Path | None = None
    lines: Mapping[str, int] = {}


Variables = dict[str, Var]


def resolve_vars(*layers: Layer) -> Variables:
    """Every variable the layers define, each key from the last layer that sets it."""
    found: Variables = {}
    for layer in layers:
        for key, value in flatten(layer.values).items():
            text, kind = printed(value)
            found[key] = Var(text, kind, layer.name, layer.file, layer.lines.get(key))
    return found


def flatten(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """`{"org": {"name": "X"}}` -> `{"org": {...}, "org.name": "X"}`: a table is a key too
    (using it inline is an error that can name it)."""
    flat: dict[str, Any] = {}
    for key, value in values.items():
        dotted = f"{prefix}{key}"
        flat[dotted] = value
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{dotted}."))
    return flat


def printed(value: Any) -> tuple[str | None, str]:
    """A value as it is inserted (booleans and numbers as TOML writes them, dates in ISO
    8601), and its kind; lists and tables have no inline text."""
    if isinstance(value, bool):
        return ("true" if value else "false"), "boolean"
    if isinstance(value, int):
        return str(value), "number"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan", "number"
        if math.isinf(value):
            return ("inf" if value > 0 else "-inf"), "number"
        return repr(value), "number"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat(), "date"
    if isinstance(value, str):
        from briefwright.readers.text import clean_value

        return clean_value(value)[0], "string"  # "\u0007" in TOML: no writer can hold it
    if isinstance(value, Mapping):
        return None, "table"
    return None, "list"


def value_part(var: Var) -> str:
    """How an output's records hold a value it used: the layer that set it and a digest of
    its text (the value itself may be long, or not for the records' readers)."""
    digest = hashlib.sha256((var.text or "").encode()).hexdigest()[:32]
    return f"{var.layer}:{digest}"


class Piece(NamedTuple):
    """A piece of text: literal `text`, or (with `key`) a variable to insert at `offset`."""

    text: str
    key: str | None = None


def pieces(text: str) -> list[Piece]:
    """`text` cut into literal text and variable references; an escaped shortcode is literal
    text (without its outer braces)."""
    if "{{" not in text:
        return [Piece(text)]
    found: list[Piece] = []
    at = 0
    for match in SHORTCODE.finditer(text):
        if match.start() > at:
            found.append(Piece(text[at : match.start()]))
        if match.group("escaped"):
            found.append(Piece(match.group("escaped")[1:-1]))
        else:
            found.append(Piece(match.group(0), match.group("key")))
        at = match.end()
    if at < len(text):
        found.append(Piece(text[at:]))
    return found


def uses(text: str) -> list[str]:
    """The keys `text` refers to, in order."""
    return [p.key for p in pieces(text) if p.key is not None]


def substituted(text: str, variables: Variables) -> str:
    """`text` with every reference replaced by its value (each must have been checked with
    `use_problem`); escaped shortcodes lose their outer braces. One pass: a value is never
    searched again."""
    return "".join(p.text if p.key is None else (variables[p.key].text or "") for p in pieces(text))


def use_problem(key: str, variables: Variables) -> str | None:
    """Why `{{< var key >}}` cannot be inserted (undefined, with the closest names; a list or
    table), or None."""
    from briefwright.suggest import did_you_mean

    var = variables.get(key)
    if var is None:
        defined = [k for k, v in variables.items() if v.text is not None]
        hint = did_you_mean(key, defined)
        if not hint and not KEY_PATTERN.fullmatch(key):
            hint = "; a key is letters, digits, '_' and '-', in parts joined by '.'"
        return f"undefined variable '{key}' in {{{{< var {key} >}}}}{hint or _where_defined()}"
    if var.text is None:
        where = f" ({var.file}:{var.line})" if var.file and var.line else ""
        inner = f"; use one of its keys, such as '{key}.…'" if var.kind == "table" else ""
        return f"variable '{key}' is a {var.kind}{where} and cannot be inserted in text{inner}"
    return None


def _where_defined() -> str:
    return (
        "; define it under [vars] in briefwright.toml, in the briefing's 'vars:', "
        "or with --set KEY=VALUE"
    )


def set_values(assignments: Iterable[str]) -> dict[str, str]:
    """`--set key=value` options as a mapping (later wins); ValueError naming a bad one."""
    values: dict[str, str] = {}
    for assignment in assignments:
        key, equals, value = assignment.partition("=")
        key = key.strip()
        if not equals or not KEY_PATTERN.fullmatch(key):
            raise ValueError(
                f"--set '{assignment}': expected KEY=VALUE, KEY being letters, digits, '_' and "
                "'-', in parts joined by '.'"
            )
        values[key] = value
    return values


def nested(flat: Mapping[str, str]) -> dict[str, Any]:
    """Dotted `--set` keys as the nested tables a layer holds (`a.b=1` -> {"a": {"b": "1"}})."""
    tree: dict[str, Any] = {}
    for key, value in flat.items():
        *parents, last = key.split(".")
        node = tree
        for part in parents:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[last] = value
    return tree


def toml_vars(root: Path) -> Variables | None:
    """The `[vars]` of the project's briefwright.toml as a layer resolved alone (None: the file
    cannot be read or parsed; the full build then says why)."""
    import tomllib

    from briefwright.readers.files import MAX_SMALL_FILE_BYTES, UnreadableFileError, read_text

    path = root / "briefwright.toml"
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(read_text(path, MAX_SMALL_FILE_BYTES))
    except (UnreadableFileError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    values = data.get("vars", {})
    return resolve_vars(Layer("toml", values)) if isinstance(values, dict) else None
