"""Atomic output files: a reader sees the old complete file or the new one, never a mix.

Every write can fail (a read-only or full disk, a folder in the way, a file where a folder
should be): each failure is a RenderError naming the path and the system's reason, the old
file is kept, and no temporary file is left behind."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from briefwright.errors import RenderError

if TYPE_CHECKING:
    from briefwright.build.records import OutputKey

TEMP_PREFIX = ".brief-tmp-"
TEMP_FOLDER_PREFIX = ".brief-tmpdir-"  # a folder of files being written, or an old one going
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


def write_folder_atomic(folder: Path, files: Mapping[str, bytes], shown: Path) -> None:
    """Write `files` (name: bytes) into a new temporary folder beside `folder`, fsync them,
    then put it in `folder`'s place: a reader finds the old complete set, the new one, or (for
    an instant between two renames) none, never a mix; files of the old set not in the new
    one are gone. `folder` must be a folder or absent: anything else in its place is an error.
    `shown` is the path named in an error."""
    parent = folder.parent
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        message = "cannot write: something else is in the way (not a folder); remove it"
        raise RenderError(message, file=shown)
    try:
        parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f"{TEMP_FOLDER_PREFIX}{os.getpid()}-", dir=parent))
    except OSError as exc:
        raise write_error("write", shown, exc) from None
    old = temp.with_name(temp.name + "-old")
    try:
        for name, data in files.items():
            with open(temp / name, "xb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp / name, 0o644)
        os.chmod(temp, 0o755)
        _fsync_dir(temp)
        if folder.is_dir():
            os.rename(folder, old)
        os.rename(temp, folder)
    except BaseException as exc:
        if old.is_dir() and not folder.exists():
            with contextlib.suppress(OSError):
                os.rename(old, folder)  # the old set back in its place
        shutil.rmtree(temp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise write_error("write", shown, exc) from None
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)
    _fsync_dir(parent)


def remove_output(output_dir: Path, key: OutputKey) -> bool:
    """Delete an output: its file and, for thumbnails, its pages folder with the files in it
    (False: nothing was there). Failing to is a RenderError naming the path."""
    shown = Path(output_dir.name)
    removed = remove_file(output_dir / key.file_name, shown / key.file_name)
    if key.folder_name is not None:
        folder = output_dir / key.folder_name
        if folder.is_dir() and not folder.is_symlink():
            try:
                shutil.rmtree(folder)
            except OSError as exc:
                raise write_error("remove", shown / key.folder_name, exc) from None
            removed = True
    return removed


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
    for path in folder.glob(f"{TEMP_FOLDER_PREFIX}*"):
        if not _left_behind(path, TEMP_FOLDER_PREFIX):
            continue
        if path.is_symlink() or not path.is_dir():
            message = "named like a temporary folder of brief, but not a folder; remove it"
            raise RenderError(message, file=Path(folder.name) / path.name)
        shutil.rmtree(path, ignore_errors=True)  # page images of a killed build
        removed.append(path)
    for path in folder.glob(f"{TEMP_PREFIX}*"):
        if not _left_behind(path, TEMP_PREFIX):
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


def _left_behind(path: Path, prefix: str) -> bool:
    """Named by a process that is gone (or by no process)."""
    pid_text = path.name[len(prefix) :].split("-", 1)[0]
    return not (_PID.fullmatch(pid_text) and _alive(int(pid_text)))


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
