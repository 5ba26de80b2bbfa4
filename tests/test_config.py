"""briefwright.toml: the line of every key, which tomllib does not give."""

from __future__ import annotations

import dataclasses
import tomllib
from typing import Annotated, Any

import pytest

from briefwright.readers.tomlfile import toml_lines
from briefwright.spec import schema
from briefwright.spec import validation as v

TRICKY = '''\
note = """a string holding
[markings]
scheme = "not a key"
"""
[markings]
"scheme" = 'tlp'  # a quoted key
schemes.own.levels = [
  { banner = "A", portion = "a" },

  { banner = "B", portion = "b" },
]

[[extra]]
n = 1
[[extra]]
n = 2
'''


def test_toml_lines_skip_strings_and_follow_tables_arrays_and_inline_tables() -> None:
    tomllib.loads(TRICKY)  # the scan assumes valid TOML
    lines = toml_lines(TRICKY)
    assert lines[("note",)] == 1
    assert lines[("markings",)] == 5
    assert lines[("markings", "scheme")] == 6
    assert lines[("markings", "schemes", "own", "levels")] == 7
    assert lines[("markings", "schemes", "own", "levels", 1, "portion")] == 10
    assert lines[("extra", 1)] == 15
    assert lines[("extra", 1, "n")] == 16


def test_issue_11_every_schema_field_declares_its_check_once() -> None:
    records: list[type[Any]] = [schema.BriefingSpec, schema.SectionItem, schema.ProjectConfig]
    for record in records:
        declared = v.field_checks(record)
        assert sorted(name for name, _ in declared.values()) == sorted(
            f.name for f in dataclasses.fields(record)
        )
    assert "from" in v.field_checks(schema.SectionItem)

    with pytest.raises(TypeError, match=r"Unchecked\.missing must carry exactly one check"):
        v.field_checks(Unchecked)


@dataclasses.dataclass(frozen=True)
class Unchecked:
    fine: Annotated[int, v.integer()]
    missing: int
