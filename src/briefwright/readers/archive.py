"""A zip archive from outside the project's authors (a template's reference.docx), read as the
untrusted input it is: every limit is checked on the file's size and the central directory,
before one byte is inflated, and each member is then inflated no further than the size it
declared (zipfile stops there and checks the CRC), so a lying header cannot exhaust memory."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from briefwright.readers.files import UnreadableFileError, read_regular

MIB = 1024 * 1024


class UnsafeInputError(ValueError):
    """An archive or XML part breaks a limit or uses a feature that is refused. Raised without
    a place; the caller names the file (as MarkingError is)."""


@dataclass(frozen=True)
class ArchiveLimits:
    file_bytes: int = 32 * MIB
    entries: int = 1000
    member_bytes: int = 32 * MIB
    total_bytes: int = 64 * MIB
    # a member that inflates past `ratio_from` bytes may do so at most `ratio` times its size:
    # Word's own parts deflate about 10x, a zip bomb a thousand times
    ratio: int = 200
    ratio_from: int = 1 * MIB


LIMITS = ArchiveLimits()
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}


def read_archive(path: Path, limits: ArchiveLimits = LIMITS) -> dict[str, bytes]:
    """Every member of the zip file at `path` by name, or UnsafeInputError saying which rule it
    breaks. Only a regular file is opened (a FIFO would hang, a device never end)."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeInputError("not a regular file")
    if info.st_size > limits.file_bytes:
        raise UnsafeInputError(f"{_mib(info.st_size)}, over the limit of {_mib(limits.file_bytes)}")
    try:
        # the bytes checked are the bytes read: no swap between the stat above and the open
        data = read_regular(path, limits.file_bytes)
    except UnreadableFileError as exc:
        raise UnsafeInputError(exc.reason) from None
    return read_archive_bytes(data, limits)


def read_archive_bytes(data: bytes, limits: ArchiveLimits = LIMITS) -> dict[str, bytes]:
    """Every member of the zip archive `data` (an input already in memory, as `brief import`
    has it) by name, or UnsafeInputError: the same limits as `read_archive`."""
    if len(data) > limits.file_bytes:
        raise UnsafeInputError(f"{_mib(len(data))}, over the limit of {_mib(limits.file_bytes)}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            check_members(members, limits)
            return {m.filename: _inflate(archive, m) for m in members if not m.is_dir()}
    except zipfile.BadZipFile as exc:
        raise UnsafeInputError(f"not a valid zip archive ({exc})") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise UnsafeInputError(f"not a readable zip archive ({exc})") from None


def check_members(members: list[zipfile.ZipInfo], limits: ArchiveLimits = LIMITS) -> None:
    """The limits that the central directory alone can show to be broken."""
    if len(members) > limits.entries:
        raise UnsafeInputError(f"{len(members)} members, over the limit of {limits.entries}")
    names: set[str] = set()
    total = 0
    for member in members:
        name = member.filename
        problem = name_problem(name)
        if problem:
            raise UnsafeInputError(f"member '{_short(name)}' {problem}")
        if name.lower() in names:
            raise UnsafeInputError(f"member '{_short(name)}' appears twice")
        names.add(name.lower())
        if member.flag_bits & 0x1:
            raise UnsafeInputError(f"member '{_short(name)}' is encrypted")
        if member.compress_type not in _METHODS:
            raise UnsafeInputError(
                f"member '{_short(name)}' uses an unsupported compression method"
            )
        size = member.file_size
        if size > limits.member_bytes:
            raise UnsafeInputError(
                f"member '{_short(name)}' inflates to {_mib(size)}, "
                f"over the limit of {_mib(limits.member_bytes)} per member"
            )
        if size > limits.ratio_from and size > limits.ratio * max(member.compress_size, 1):
            raise UnsafeInputError(
                f"member '{_short(name)}' inflates {size // max(member.compress_size, 1)} "
                f"times its size, over the limit of {limits.ratio} (a zip bomb?)"
            )
        total += size
        if total > limits.total_bytes:
            raise UnsafeInputError(
                f"members inflate to more than {_mib(limits.total_bytes)} in all, over the limit"
            )


def name_problem(name: str) -> str | None:
    """Why a member's name is refused: one that could name a file elsewhere if unpacked, or
    that differs by reader (a backslash is a separator to some)."""
    if not name or "\x00" in name:
        return "has an empty or NUL-containing name"
    if "\\" in name:
        return "has a backslash in its name"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "has an absolute name"
    if ".." in name.split("/"):
        return "has '..' in its name"
    return None


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    # zipfile reads no more than the declared size and then checks the CRC
    with archive.open(member) as stream:
        return stream.read(member.file_size + 1)


def _mib(size: int) -> str:
    return f"{size / MIB:.1f} MiB"


def _short(name: str) -> str:
    shown = name.encode("unicode_escape").decode("ascii")
    return shown if len(shown) <= 60 else shown[:57] + "..."
