"""Atomic output files: a reader sees the old complete file or the new one, never a mix.

Every write can fail (a read-only or full disk, a folder in the way, a file where a folder
should be): each failure is a RenderError naming the path and the system's reason, the old
file is kept, and no temporary file is left behind."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from pathlib import Path

from briefwright.errors import RenderError

TEMP_PREFIX = ".brief-tmp-"
_PID = re.compile(r"[0-9]{1,10}")  # ASCII: str.isdigit() is also true of '²', which int() refuses


def write_error(action: str, shown: Path, exc: OSError) -> RenderError:
    """`output/x.pdf: cannot write: No space left on device`: the path as the user knows it."""
    reason = exc.strerror or str(exc) or exc.__class__.__name__
    return RenderError(f"cannot {action}: {reason}", file=shown)


def write_atomic(path: Path, data: bytes, shown: Path | None = None) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over `path`. `shown`
    is the path named in an error (default: `path`)."""
    where = path if shown is None else shown
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where the folder should be
        message = f"cannot write: {where.parent} is a file, not a folder"
        raise RenderError(message, file=where) from None
    except OSError as exc:
        raise write_error(f"create the folder {where.parent}", where, exc) from None
    prefix = f"{TEMP_PREFIX}{os.getpid()}-"
    try:
        fd, temp = tempfile.mkstemp(prefix=prefix, suffix=path.suffix, dir=path.parent)
    except OSError as exc:
        raise write_error("write", where, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise write_error("write", where, exc) from None
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_file(path: Path, shown: Path) -> bool:
    """Delete `path` (False: it was not there); failing to is a RenderError naming `shown`."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise write_error("remove", shown, exc) from None
    return True


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete temporary files left by builds that were killed (their process is gone). Only
    regular files: a folder or a link that merely looks like one is not ours to remove, and
    is an error (it would stay behind, looking like a build's leftover, forever)."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in folder.glob(f"{TEMP_PREFIX}*"):
        pid_text = path.name[len(TEMP_PREFIX) :].split("-", 1)[0]
        if _PID.fullmatch(pid_text) and _alive(int(pid_text)):
            continue  # another build is writing it right now
        shown = Path(folder.name) / path.name
        try:
            mode = path.lstat().st_mode
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(mode):
            what = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
            message = f"named like a temporary file of brief, but {what}; rename or remove it"
            raise RenderError(message, file=shown)
        if remove_file(path, shown):
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False  # kill(0) would ask about our own process group
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A killed worker whose parent died too stays a zombie until init reaps it, and in a
    container init may take its time: it answers kill(0) but will never finish its file."""
    try:
        stat_text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False  # no /proc (not Linux): trust kill(0)
    return stat_text.rpartition(")")[2].split()[:1] == ["Z"]
