"""The one exception tree. Core code raises these; only the CLI prints them and exits.

Exit codes: 0 success, 1 a build or validation failed, 2 usage error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple


class Problem(NamedTuple):
    """One located complaint: `file:line: message`. (A NamedTuple, not a dataclass: importing
    dataclasses is a fifth of the start-up of the commands that answer from quick.py.)"""

    message: str
    file: Path | None = None
    line: int | None = None

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        where = str(self.file) if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


class BriefwrightError(Exception):
    """Base of every error briefwright reports to a user."""

    exit_code = 1

    def __init__(self, message: str, *, file: Path | None = None, line: int | None = None):
        self.problems: tuple[Problem, ...] = (Problem(message, file, line),)
        super().__init__(str(self.problems[0]))

    @classmethod
    def from_problems(cls, problems: Iterable[Problem]) -> BriefwrightError:
        found = tuple(problems)
        error = cls(found[0].message, file=found[0].file, line=found[0].line)
        error.problems = found
        return error

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class UsageError(BriefwrightError):
    """The command line asked for something that cannot be (unknown briefing, bad option)."""

    exit_code = 2


class ProjectError(BriefwrightError):
    """The project folder or its configuration is unusable."""


class SourceError(BriefwrightError):
    """A Markdown source cannot be read."""


class SpecError(BriefwrightError):
    """A briefing file is invalid (syntax, schema or references)."""


class MarkingError(SpecError):
    """A marking text names no level of the scheme. Raised without a place by
    `markings.parse_marking`; its caller knows the file and line and reports it there."""


class TemplateError(BriefwrightError):
    """A template is missing or broken."""


class RenderError(BriefwrightError):
    """A writer failed to produce its output, or a file of the build (an output, the records,
    the report) could not be written or removed: the path and the system's reason."""


class ImportFailed(BriefwrightError):  # noqa: N818 (the name the import readers agreed on)
    """`brief import` cannot turn an input into a source: unreadable, too large, of a kind no
    reader handles, or a source it would write is in the way."""


class StrictError(BriefwrightError):
    """A warning raised to an error by --strict."""


# --- warnings --------------------------------------------------------------------------------


class Reporter:
    """Warnings with a meaning: something was rendered differently from what the author wrote.

    A warning is collected (and shown by the CLI); under --strict it is raised as a StrictError
    at the point it happens, so nothing is written after it."""

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
