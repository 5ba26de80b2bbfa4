"""Loaded YAML/TOML data -> frozen dataclasses, with every problem located by its key path.

A record is a frozen dataclass whose every field carries its check in its type:
`toc_depth: Annotated[int, v.integer(ge=0, le=4)] = 2`. A check is a function that returns the
accepted value or raises `CheckError`; a `Key("from")` beside it names the document's key where
it differs from the field's name (`from_`). A `problems()` method states rules across keys.
Checks compose (`optional`, `list_of`, `dict_of`, `record`), so a schema reads
like the document it describes. This replaced pydantic, whose import alone took 0.2 s of every
command's start-up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import typing
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from briefwright.suggest import did_you_mean

Loc = tuple[str | int, ...]


@dataclasses.dataclass(frozen=True)
class Error:
    loc: Loc
    message: str
    about_key: bool = False  # the message names the key itself: no "where: " prefix


class CheckError(Exception):
    """A value a check refuses; caught by `build` and recorded as an Error at the value's key."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


Check = Callable[[Any, Loc, list[Error]], Any]


R = TypeVar("R")


def build(cls: type[R], data: Any, loc: Loc, errors: list[Error]) -> R | None:
    """`cls` from a mapping; appends every problem to `errors` and returns None if any."""
    if not isinstance(data, dict):
        errors.append(Error(loc, f"expected a mapping of keys to values, got {kind(data)}"))
        return None
    declared = field_checks(cls)
    checks = {key: check for key, (_, check) in declared.items()}
    names = {key: name for key, (name, _) in declared.items()}
    before = len(errors)
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in checks:
            errors.append(Error((*loc, key), unknown_key(str(key), loc, list(checks)), True))
            continue
        try:
            name = str(names.get(key, key))
            values[name] = checks[key](value, (*loc, key), errors)
        except CheckError as exc:
            errors.append(Error((*loc, key), exc.message))
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for key in checks:
        field = fields[names.get(key, key)]
        required = field.default is dataclasses.MISSING
        if key not in data and required and field.default_factory is dataclasses.MISSING:
            errors.append(Error((*loc, key), f"missing required key '{key}'{_at(loc)}", True))
    if len(errors) > before:
        return None
    built = cls(**values)
    for message in getattr(built, "problems", list)():
        errors.append(Error(loc, message))
    return built if len(errors) == before else None


class Key(NamedTuple):
    """The document's name for a field, where it is not the field's own (`from` -> `from_`)."""

    name: str


def field_checks(cls: type[Any]) -> dict[str, tuple[str, Check]]:
    """Each document key of the record `cls`: its field's name and check, read from the
    field's `Annotated` type. A field without a check is a bug in the schema."""
    found = _DECLARED.get(cls)
    if found is not None:
        return found
    hints = typing.get_type_hints(cls, include_extras=True)
    declared: dict[str, tuple[str, Check]] = {}
    for item in dataclasses.fields(cls):
        hint = hints[item.name]
        extras = hint.__metadata__ if typing.get_origin(hint) is typing.Annotated else ()
        checks = [e for e in extras if not isinstance(e, Key)]
        if len(checks) != 1:
            raise TypeError(f"{cls.__name__}.{item.name} must carry exactly one check")
        key = next((e.name for e in extras if isinstance(e, Key)), item.name)
        declared[key] = (item.name, checks[0])
    _DECLARED[cls] = declared
    return declared


_DECLARED: dict[type[Any], dict[str, tuple[str, Check]]] = {}


def unknown_key(key: str, loc: Loc, known: list[str]) -> str:
    hint = did_you_mean(key, known) or f"; known keys: {', '.join(known)}"
    return f"unknown key '{key}'{_at(loc)}{hint}"


def dotted(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _at(loc: Loc) -> str:
    return f" in {dotted(loc)}" if loc else ""


def kind(value: Any) -> str:
    """How a YAML/TOML author would name the type of `value`."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else "a long text"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


# ---------- checks ----------


def text(*, pattern: str | None = None, rule: str = "", min_length: int = 1) -> Check:
    """A string; non-empty by default; matching `pattern`, described to the author by `rule`."""
    compiled = re.compile(pattern) if pattern else None

    def check(value: Any, loc: Loc, errors: list[Error]) -> str:
        if not isinstance(value, str):
            raise CheckError(f"expected text, got {kind(value)}")
        if len(value) < min_length:
            raise CheckError("must not be empty")
        if compiled is not None and not compiled.match(value):
            raise CheckError(f"{rule or f'must match {pattern}'}; got {kind(value)}")
        return value

    return check


def integer(*, ge: int | None = None, le: int | None = None) -> Check:
    def check(value: Any, loc: Loc, errors: list[Error]) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise CheckError(f"expected a whole number, got {kind(value)}")
        if (ge is not None and value < ge) or (le is not None and value > le):
            if le is None:
                raise CheckError(f"must be at least {ge}; got {value}")
            raise CheckError(f"must be from {ge} to {le}; got {value}")
        return value

    return check


def boolean(value: Any, loc: Loc, errors: list[Error]) -> bool:
    if not isinstance(value, bool):
        raise CheckError(f"expected true or false, got {kind(value)}")
    return value


def date(value: Any, loc: Loc, errors: list[Error]) -> dt.date:
    if isinstance(value, dt.datetime):
        raise CheckError(f"expected a date (YYYY-MM-DD) without a time, got {value.isoformat()}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise CheckError(f"expected a date (YYYY-MM-DD), got {kind(value)}")


def choice(*options: Any) -> Check:
    listed = ", ".join(f"'{o}'" if isinstance(o, str) else str(o).lower() for o in options)

    def check(value: Any, loc: Loc, errors: list[Error]) -> Any:
        # `value in options` would take True for 1: compare types too.
        if not any(value == o and type(value) is type(o) for o in options):
            raise CheckError(f"must be one of {listed}; got {kind(value)}")
        return value

    return check


def optional(inner: Check) -> Check:
    def check(value: Any, loc: Loc, errors: list[Error]) -> Any:
        return None if value is None else inner(value, loc, errors)

    return check


def list_of(item: Check, *, min_length: int = 0, unique: bool = False) -> Check:
    def check(value: Any, loc: Loc, errors: list[Error]) -> list[Any]:
        if not isinstance(value, list):
            raise CheckError(f"expected a list, got {kind(value)}")
        if len(value) < min_length:
            too_few = f"must list at least {min_length}" if min_length > 1 else "must not be empty"
            raise CheckError(too_few)
        items = []
        for index, element in enumerate(value):
            try:
                items.append(item(element, (*loc, index), errors))
            except CheckError as exc:
                errors.append(Error((*loc, index), exc.message))
        return list(dict.fromkeys(items)) if unique else items

    return check


def dict_of(item: Check) -> Check:
    def check(value: Any, loc: Loc, errors: list[Error]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise CheckError(f"expected a mapping, got {kind(value)}")
        result = {}
        for key, element in value.items():
            try:
                result[str(key)] = item(element, (*loc, str(key)), errors)
            except CheckError as exc:
                errors.append(Error((*loc, str(key)), exc.message))
        return result

    return check


def record(cls: type[Any]) -> Check:
    """A nested record; its problems are already in `errors` when it returns None."""

    def check(value: Any, loc: Loc, errors: list[Error]) -> Any:
        return build(cls, value, loc, errors)

    return check


def without_none(record: Any) -> dict[str, Any]:
    """A record's fields that are set, as a mapping (for defaults merged into a document)."""
    return {
        f.name: getattr(record, f.name)
        for f in dataclasses.fields(record)
        if getattr(record, f.name) is not None
    }
