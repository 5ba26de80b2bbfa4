""" "Did you mean" suggestions: one cutoff and one limit for every message that offers them.

Light at import (difflib only): `brief sections` and the build plan use it for usage errors.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

CUTOFF = 0.6  # difflib's own default, as Click's "did you mean" uses
LIMIT = 3


def suggestion(word: str, choices: Iterable[str]) -> str:
    """ "did you mean 'a' or 'b'?" naming the choices close to `word`, or "" if none is."""
    close = difflib.get_close_matches(word, list(choices), n=LIMIT, cutoff=CUTOFF)
    if not close:
        return ""
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """The suggestion as a message's last clause ("; did you mean 'a'?"), or "" if none."""
    hint = suggestion(word, choices)
    return f"; {hint}" if hint else ""
