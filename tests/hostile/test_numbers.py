"""Issue 13: every number the command line or the environment gives is checked, with its range.

Python's int() and float() read non-ASCII digits (superscript, Arabic-Indic, fullwidth),
underscores, 'nan' and 'inf'; each such value, and every value out of range, is a usage error
(exit 2) that names the accepted range, never a traceback, a silent default or a limit that
does not hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefwright.cli import cli
from tests.helpers import assert_no_crash, pdf_pages, run

# superscript two, Arabic-Indic three, fullwidth three, NKo five, mathematical double-struck one
UNICODE_DIGITS = ["\u00b2", "\u0663", "\uff13", "\u07c5", "\U0001d7d9"]
SPELLED = ["nan", "NaN", "inf", "-inf", "infinity", "1_0", "0x10", "1e3", "", " ", "1 2", "+"]

RANGES = {
    "--jobs": "is not a whole number from 1 to 1024",
    "--memory-limit": "is not a whole number from 0 to 1073741824",
    "--timeout": "is not a number of seconds more than 0 and at most 604800",
    "--shard": "is not K/N with 1 <= K <= N <= 10000 (whole numbers), e.g. 2/4",
}
HUGE = ["99999999999999999999", "999999999999999", "1" + "0" * 400]
BAD: list[tuple[str, str]] = [
    *[
        (option, value)
        for option in ("--jobs", "--memory-limit", "--timeout")
        for value in [*UNICODE_DIGITS, *SPELLED, *HUGE, "-1", "-0.5"]
    ],
    *[("--jobs", value) for value in ("0", "1025", "2.0")],
    *[("--memory-limit", value) for value in ("1073741825", "1.5")],
    *[("--timeout", value) for value in ("0", "0.0", ".", "604800.5", "1" + "0" * 400 + ".0")],
    *[
        ("--shard", f"{k}/{n}")
        for k, n in [
            ("\u00b2", "\u00b2"),
            ("1", "\u0663"),
            ("\u0661", "2"),
            ("0", "2"),
            ("3", "2"),
            ("-1", "2"),
            ("1", "10001"),
            ("1", "99999999999999999999"),
            ("1", ""),
            ("", "1"),
            ("1", "2/3"),
            ("1_0", "20"),
            ("nan", "inf"),
            ("1.0", "2"),
        ]
    ],
    ("--shard", "1"),
    ("--shard", ""),
]


def _invoke(project: Path, env: dict[str, str | None], *args: str) -> Result:
    return CliRunner().invoke(cli, ["--project", str(project), *args], env=env)


@pytest.mark.parametrize(("option", "value"), BAD, ids=[f"{o}={v!r}" for o, v in BAD])
def test_issue_13_a_bad_number_is_a_usage_error_naming_the_range(
    scratch_project: Path, option: str, value: str
) -> None:
    result = run(scratch_project, "build", "small", "--format", "html", option, value)
    assert_no_crash(result)
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}'" in result.stderr, result.stderr
    assert f"{value!r} {RANGES[option]}" in result.stderr, result.stderr
    assert not (scratch_project / "output" / "small.html").exists()


def test_issue_13_numbers_in_range_still_build(scratch_project: Path) -> None:
    args = ["--jobs", "1024", "--timeout", "0.5", "--memory-limit", "0", "--shard", "1/1"]
    result = run(scratch_project, "build", "small", "--format", "html", "--force", *args)
    assert result.exit_code == 0, result.output
    args = ["--jobs", "1", "--timeout", "604800", "--memory-limit", "1073741824"]
    result = run(scratch_project, "build", "--format", "html", "--force", *args, "--shard", "2/2")
    assert result.exit_code == 0, result.output


def test_issue_13_the_largest_memory_limit_holds_in_every_worker(scratch_project: Path) -> None:
    """Two briefings build in the pool, whose workers set RLIMIT_DATA from this number: the
    largest accepted one must not overflow it (999999999999999 MiB killed every worker)."""
    command = ["build", "--format", "html", "--jobs", "2", "--memory-limit", "1073741824"]
    result = run(scratch_project, *command)
    assert result.exit_code == 0, result.output
    assert "worker process died" not in result.stderr


EPOCH_RANGE = "whole seconds since 1970-01-01 UTC, from 0 to 253402300799 (9999-12-31)"
BAD_EPOCHS = [
    *UNICODE_DIGITS,
    "\u0661\u0667" + "\u0660" * 8,
    "99999999999999999",
    "253402300800",
    "1" + "0" * 400,
    "-1",
    "1.5",
    "1_700_000_000",
    " 1700000000",
    "1700000000\n",
    "nan",
    "yesterday",
]
UNDATED = "title: Undated\nsections:\n  - from: features#overview\n"


@pytest.mark.parametrize("value", BAD_EPOCHS, ids=repr)
@pytest.mark.parametrize("command", ["build", "check"])
def test_issue_13_a_bad_source_date_epoch_is_a_usage_error(
    scratch_project: Path, command: str, value: str
) -> None:
    """Also with every briefing dated (the variable is then unused): a CI job that sets it
    wrongly learns it at once, not on the day it adds an undated briefing."""
    result = _invoke(scratch_project, {"SOURCE_DATE_EPOCH": value}, command, "small")
    assert_no_crash(result)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"error: SOURCE_DATE_EPOCH={value!r} is not {EPOCH_RANGE}\n"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("0", "1 January 1970"),
        ("253402300799", "31 December 9999"),
        ("1700000000", "14 November 2023"),
    ],
)
def test_issue_13_source_date_epoch_at_the_ends_of_its_range(
    scratch_project: Path, value: str, shown: str
) -> None:
    (scratch_project / "briefings" / "undated.yaml").write_text(UNDATED, encoding="utf-8")
    env: dict[str, str | None] = {"SOURCE_DATE_EPOCH": value}
    result = _invoke(
        scratch_project, env, "build", "undated", "--format", "html", "--format", "pdf"
    )
    assert result.exit_code == 0, result.output
    assert shown in (scratch_project / "output" / "undated.html").read_text(encoding="utf-8")
    assert shown in pdf_pages(scratch_project / "output" / "undated.pdf")[0]


def test_issue_13_an_empty_source_date_epoch_is_unset(scratch_project: Path) -> None:
    (scratch_project / "briefings" / "undated.yaml").write_text(UNDATED, encoding="utf-8")
    result = _invoke(scratch_project, {"SOURCE_DATE_EPOCH": ""}, "build", "undated", "-f", "html")
    assert result.exit_code == 0, result.output
