"""Where an imported source goes and whether it may be written there: inside sources/ only,
never over another document unless asked, and not at all when nothing changed."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from briefwright.build.output import write_atomic
from briefwright.errors import ImportFailed, UsageError
from briefwright.importing.model import ImportedImage
from briefwright.readers.files import UnreadableFileError, read_regular
from briefwright.readers.images import ImageError, load_image

MAX_EXISTING_BYTES = 8 * 1024 * 1024
_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def target_folder(sources: Path, into: str | None) -> Path:
    """sources/ or the `--into` subfolder of it: relative, no '..', and not leading outside
    through a symbolic link."""
    if not into:
        return sources
    parts = PurePosixPath(into.replace("\\", "/")).parts
    if not parts or PurePosixPath(into).is_absolute() or not all(_PART.match(p) for p in parts):
        raise UsageError(
            f"--into {into!r} must be a folder inside sources/ "
            "(names of letters, digits, '.', '-' and '_'; no '..')"
        )
    folder = sources.joinpath(*parts)
    confined(folder, sources, f"--into {into}")
    return folder


def confined(path: Path, sources: Path, what: str) -> None:
    """UsageError when `path`, its links resolved, is not inside `sources`."""
    if not path.resolve().is_relative_to(sources.resolve()):
        raise UsageError(f"{what} leads outside sources/ (through a symbolic link); not written")


def existing_text(path: Path, shown: Path) -> str | None:
    """The text of the source at `path`, None when there is none."""
    if not path.exists() and not path.is_symlink():
        return None
    try:
        return read_regular(path, MAX_EXISTING_BYTES, follow_links=False).decode("utf-8", "replace")
    except UnreadableFileError as exc:
        raise ImportFailed(f"is in the way: {exc.reason}", file=shown) from None


def image_path(folder: Path, image: ImportedImage, sources: Path) -> Path:
    parts = PurePosixPath(image.name).parts
    if (
        not parts
        or PurePosixPath(image.name).is_absolute()
        or not all(_PART.match(p) for p in parts)
    ):
        raise ImportFailed(f"image name {image.name!r} is not a relative path inside sources/")
    path = folder.joinpath(*parts)
    confined(path.parent, sources, f"image {image.name}")
    return path


def write_images(paths: list[tuple[Path, bytes]], shown_root: Path) -> None:
    """Each image written, then checked as every source image is; a bad one is removed again."""
    for path, data in paths:
        shown = path.relative_to(shown_root)
        write_atomic(path, data, shown)
        try:
            load_image(path)
        except ImageError as exc:
            path.unlink(missing_ok=True)
            raise ImportFailed(f"imported image {exc}", file=shown) from None


def write_source(path: Path, text: str, shown: Path) -> None:
    write_atomic(path, text.encode("utf-8"), shown)
