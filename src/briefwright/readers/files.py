"""The one way project files are read: regular files only, never more than a limit.

Checking a path (`is_file()`, `stat()`) and then opening it leaves a gap in which the file can
be swapped, and opening a FIFO blocks until a writer comes. So the file is opened first, without
blocking (O_NONBLOCK: a FIFO or a device opens at once), and the open file is checked with
fstat: what is read is what was checked. The size is checked before reading, and at most
`limit + 1` bytes are read whatever the size claims (files under /proc say 0), so an 8 GiB
sparse file is refused without allocating it.

Every read is also logged with the SHA-256 of the bytes returned: the build records what it
parsed (`parsed_digest`), not what a second read of the file would give.

Light on purpose: hashlib, os and stat only (fast.py uses it too).
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

MAX_SMALL_FILE_BYTES = 1024 * 1024  # a configuration or template file: far more than any needs
MAX_INPUT_BYTES = 64 * 1024 * 1024  # above every limit of a file read as input (sources, images)
_CHUNK = 1 << 20
_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFLNK: "a symbolic link",
}

CHANGED_WHILE_READ = "changed while it was read"
_DIGESTS: dict[str, str] = {}  # absolute path -> SHA-256 of the bytes last returned for it


class UnreadableFileError(Exception):
    """Why a file cannot be read, as the end of a sentence that starts with its name
    ("is a named pipe (FIFO), not a regular file"). Callers turn it into their own error."""

    def __init__(self, reason: str, *, too_large: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.too_large = too_large  # callers word this one their own way ("split it")


def size_text(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit // 1024 // 1024} MiB"
    return f"{limit // 1024} KiB" if limit >= 1024 else f"{limit} bytes"


def read_regular(path: Path, limit: int, *, follow_links: bool = True) -> bytes:
    """The bytes of the regular file `path`, at most `limit` of them; raises
    UnreadableFileError for anything else (absent, a folder, a FIFO, a device, unreadable,
    too large; a symbolic link when `follow_links` is False)."""
    fd = _open(path, follow_links)
    try:
        data = _read(fd, limit)
    finally:
        os.close(fd)
    _log(path, hashlib.sha256(data).hexdigest())
    return data


def read_text(path: Path, limit: int, *, follow_links: bool = True) -> str:
    """`read_regular` decoded as UTF-8 (UnicodeDecodeError for other bytes, as `read_text`)."""
    return read_regular(path, limit, follow_links=follow_links).decode("utf-8")


def regular_sha256(path: Path, limit: int | None = None) -> str | None:
    """The SHA-256 of the regular file `path` read to its end, or None when it is anything
    else or holds more than `limit` bytes: hashing opens the file the same careful way, so a
    FIFO never blocks it and an endless /proc file or a huge sparse one is not read through."""
    try:
        fd = _open(path, True)
    except UnreadableFileError:
        return None
    digest = hashlib.sha256()
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or (limit is not None and info.st_size > limit):
            return None
        left = None if limit is None else limit + 1
        while chunk := os.read(fd, _CHUNK if left is None else min(_CHUNK, left)):
            digest.update(chunk)
            if left is not None and (left := left - len(chunk)) <= 0:
                return None
    except OSError:
        return None
    finally:
        os.close(fd)
    return digest.hexdigest()


def present(path: Path) -> bool:
    """Whether anything is at `path` (a FIFO, a folder, a dangling link): something there
    that cannot be read is an error, not a file to skip."""
    return path.exists() or path.is_symlink()


def parsed_digest(path: Path) -> str | None:
    """The SHA-256 of the bytes last read from `path` in this process, if it was read."""
    return _DIGESTS.get(os.path.abspath(path))


def _log(path: Path, digest: str) -> None:
    # Read twice with different bytes: the outputs may hold either, so the log holds a value
    # no file's hash equals, and whatever was made from it is rebuilt next time.
    key = os.path.abspath(path)
    before = _DIGESTS.setdefault(key, digest)
    if before != digest:
        _DIGESTS[key] = CHANGED_WHILE_READ


def forget_reads() -> None:
    """Start a new log of reads: a build records only what it read itself."""
    _DIGESTS.clear()


def _open(path: Path, follow_links: bool) -> int:
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow_links else os.O_NOFOLLOW)
    try:
        return os.open(path, flags)
    except FileNotFoundError:
        raise UnreadableFileError("does not exist") from None
    except PermissionError:
        raise UnreadableFileError("cannot be read (permission denied)") from None
    except OSError as exc:
        if not follow_links and os.path.islink(path):
            raise UnreadableFileError("is a symbolic link, not a regular file") from None
        raise UnreadableFileError(f"cannot be opened ({exc.strerror})") from None


def _read(fd: int, limit: int) -> bytes:
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a file")
            raise UnreadableFileError(f"is {kind}, not a regular file")
        if info.st_size > limit:
            raise UnreadableFileError(f"is larger than {size_text(limit)}", too_large=True)
        chunks: list[bytes] = []
        left = limit + 1  # one byte more tells a file larger than it said
        while left > 0 and (chunk := os.read(fd, min(_CHUNK, left))):
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise UnreadableFileError(f"cannot be read ({exc.strerror})") from None
    if left <= 0:
        raise UnreadableFileError(f"is larger than {size_text(limit)}", too_large=True)
    return b"".join(chunks)
