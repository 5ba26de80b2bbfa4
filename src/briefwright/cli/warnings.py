"""Warnings worth reading: each shown once, with the briefings it came from, and repeats of one
message in one file grouped on one line with their lines and a count."""

from __future__ import annotations

from pathlib import Path

from briefwright.errors import Problem

MAX_LINES_SHOWN = 5
MAX_BRIEFINGS_SHOWN = 3


class _Group:
    def __init__(self) -> None:
        self.lines: list[int] = []
        self.briefings: list[str] = []
        self.seen: set[tuple[int | None, str | None]] = set()
        self.recorded = True

    def add(self, line: int | None, briefing: str | None, recorded: bool) -> None:
        self.seen.add((line, briefing))
        if line is not None and line not in self.lines:
            self.lines.append(line)
        if briefing is not None and briefing not in self.briefings:
            self.briefings.append(briefing)
        self.recorded = self.recorded and recorded


class WarningGroups:
    """Collects the warnings of a build, then gives one line per (file, message)."""

    def __init__(self) -> None:
        self.groups: dict[tuple[Path | None, str], _Group] = {}

    def add(self, problem: Problem, briefing: str | None = None, recorded: bool = False) -> None:
        file = problem.file
        if file is not None and file.parent.name == "briefings" and file.stem == briefing:
            briefing = None  # the file names it already
        group = self.groups.setdefault((problem.file, problem.message), _Group())
        group.add(problem.line, briefing, recorded)

    def __len__(self) -> int:
        return len(self.groups)

    def lines(self) -> list[str]:
        return [self._line(file, message, group) for (file, message), group in self.groups.items()]

    def _line(self, file: Path | None, message: str, group: _Group) -> str:
        where = "" if file is None else str(file)
        if file is not None and group.lines:
            lines = sorted(group.lines)
            shown = ", ".join(str(n) for n in lines[:MAX_LINES_SHOWN])
            more = len(lines) - MAX_LINES_SHOWN
            where += f":{shown}" + (f" and {more} more" if more > 0 else "")
        notes = []
        if group.briefings:
            names = group.briefings[:MAX_BRIEFINGS_SHOWN]
            others = len(group.briefings) - len(names)
            notes.append("in " + ", ".join(names) + (f" and {others} more" if others else ""))
        count = len(group.seen)
        if count > 1 and len(group.lines) > 1:
            notes.append(f"{count} times")
        if group.recorded:
            notes.append("recorded")
        suffix = f" ({'; '.join(notes)})" if notes else ""
        return f"warning: {where + ': ' if where else ''}{message}{suffix}"
