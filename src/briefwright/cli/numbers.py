"""Every number the command line takes, checked in one place, each with the range it accepts.

Python's int() and float() read more than a person types: non-ASCII digits ('²', '٣'),
underscores ('1_000'), 'nan' and 'inf' (a timeout of nan compares false with everything: no
limit at all). Numbers here are ASCII digits only, and each is a usage error (exit 2) naming the
range when it is outside it. The environment's SOURCE_DATE_EPOCH is checked here too, before
anything is built (dates.py owns its range)."""

from __future__ import annotations

import re
from typing import Any

import click

MAX_JOBS = 1024  # worker processes: more than any machine briefwright runs on has cores
MAX_TIMEOUT = 7 * 24 * 3600.0  # seconds: a week; a longer wait is no limit, say so with this
MAX_MEMORY_MB = 1 << 30  # MiB (1 PiB): far above any machine, far below RLIMIT_DATA's 2**63 bytes
MAX_SHARDS = 10000

_WHOLE = re.compile(r"[0-9]{1,20}")
_DECIMAL = re.compile(r"(?:[0-9]{1,20}(?:\.[0-9]{0,20})?|\.[0-9]{1,20})")


class WholeNumber(click.ParamType[int]):
    """A whole number from `low` to `high`, in ASCII digits."""

    name = "integer"

    def __init__(self, low: int, high: int):
        self.low = low
        self.high = high

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):  # a default
            return value
        text = str(value).strip()
        if _WHOLE.fullmatch(text) is None or not self.low <= int(text) <= self.high:
            self.fail(f"{value!r} is not a whole number from {self.low} to {self.high}", param, ctx)
        return int(text)


class Seconds(click.ParamType[float]):
    """A duration in seconds: more than 0, at most `high`, in ASCII decimal notation."""

    name = "seconds"

    def __init__(self, high: float):
        self.high = high

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, float):  # a default
            return value
        text = str(value).strip()
        if _DECIMAL.fullmatch(text) is None or not 0 < float(text) <= self.high:
            wanted = f"a number of seconds more than 0 and at most {self.high:g}"
            self.fail(f"{value!r} is not {wanted} (e.g. 120 or 0.5)", param, ctx)
        return float(text)


class Shard(click.ParamType[tuple[int, int]]):
    """K/N: the K-th of N parts, 1 <= K <= N <= MAX_SHARDS."""

    name = "K/N"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[int, int]:
        if isinstance(value, tuple):
            return value
        k, slash, n = str(value).partition("/")
        if (
            slash
            and _WHOLE.fullmatch(k)
            and _WHOLE.fullmatch(n)
            and 1 <= int(k) <= int(n) <= MAX_SHARDS
        ):
            return int(k), int(n)
        rule = f"K/N with 1 <= K <= N <= {MAX_SHARDS} (whole numbers), e.g. 2/4"
        self.fail(f"{value!r} is not {rule}", param, ctx)


def check_environment() -> None:
    """Numbers the environment gives a build, checked before anything is read or written."""
    from briefwright.dates import environment_date  # datetime: only for commands that run

    environment_date()  # raises UsageError: the CLI reports it with exit code 2
