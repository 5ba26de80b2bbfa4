"""The date a briefing is dated: its own, else SOURCE_DATE_EPOCH's (reproducible builds), else
today. Light on purpose: the no-op build (build/fast.py) recomputes it without parsing."""

from __future__ import annotations

import datetime as dt
import os
from typing import NamedTuple

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"


class BuildDate(NamedTuple):
    date: dt.date
    origin: str  # "briefing" (its own or the project's default), EPOCH_VARIABLE or "today"


def build_date(spec_date: dt.date | None) -> BuildDate:
    if spec_date is not None:
        return BuildDate(spec_date, "briefing")
    return environment_date()


def environment_date() -> BuildDate:
    """The date of an undated briefing, from the environment of this build."""
    epoch = os.environ.get(EPOCH_VARIABLE)
    if epoch and epoch.isdigit():
        return BuildDate(dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date(), EPOCH_VARIABLE)
    return BuildDate(dt.date.today(), "today")
