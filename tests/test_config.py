"""briefwright.toml: the line of every key, which tomllib does not give."""

from __future__ import annotations

import tomllib

from briefwright.readers.tomlfile import toml_lines

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
