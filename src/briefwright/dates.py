"""The date a briefing is dated: its own, else SOURCE_DATE_EPOCH's (reproducible builds), else
today. Light on purpose: the no-op build (build/fast.py) recomputes it without parsing."""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import NamedTuple

from briefwright.errors import UsageError

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
# Year 9999 at the latest: PDF (D:YYYY...) and DOCX core properties (W3CDTF) hold four-digit
# years, as does Python's date. Before 1970 is no Unix timestamp at all.
MAX_EPOCH = 253402300799  # 9999-12-31T23:59:59Z
EPOCH_RANGE = f"whole seconds since 1970-01-01 UTC, from 0 to {MAX_EPOCH} (9999-12-31)"


class BuildDate(NamedTuple):
    date: dt.date
    origin: str  # "briefing" (its own or the project's default), EPOCH_VARIABLE or "today"


def build_date(spec_date: dt.date | None) -> BuildDate:
    if spec_date is not None:
        return BuildDate(spec_date, "briefing")
    return environment_date()


def environment_date() -> BuildDate:
    """The date of an undated briefing, from the environment of this build."""
    epoch = epoch_seconds(os.environ.get(EPOCH_VARIABLE, ""))
    if epoch is not None:
        return BuildDate(dt.datetime.fromtimestamp(epoch, tz=dt.UTC).date(), EPOCH_VARIABLE)
    return BuildDate(dt.date.today(), "today")


def epoch_seconds(text: str) -> int | None:
    """SOURCE_DATE_EPOCH's value (None: unset or empty). A malformed one is an error, as the
    reproducible-builds specification asks: silently dating by today would defeat it. ASCII
    digits only: Python's int() also reads '²' or '١٢', and '1_000'."""
    if text == "":
        return None
    if re.fullmatch(r"[0-9]{1,12}", text) is None or int(text) > MAX_EPOCH:
        raise UsageError(f"{EPOCH_VARIABLE}={text!r} is not {EPOCH_RANGE}")
    return int(text)
