"""Warnings with a meaning: something was rendered differently from what the author wrote.

A warning is collected (and shown by the CLI); under --strict it is raised as a StrictError at
the point it happens, so nothing is written after it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from briefwright.errors import Problem, StrictError


class Reporter:
    def __init__(
        self, *, strict: bool = False, on_warning: Callable[[Problem], None] | None = None
    ):
        self.strict = strict
        self.on_warning = on_warning
        self.warnings: list[Problem] = []

    def warn(self, message: str, file: Path | None = None, line: int | None = None) -> None:
        self.add(Problem(message, file, line))

    def add(self, problem: Problem) -> None:
        if self.strict:
            raise StrictError(f"{problem.message} (--strict)", file=problem.file, line=problem.line)
        self.warnings.append(problem)
        if self.on_warning is not None:
            self.on_warning(problem)
