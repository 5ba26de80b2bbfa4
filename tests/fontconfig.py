"""fontconfig configurations for rendering in a subprocess with a chosen set of fonts visible
(fontconfig reads FONTCONFIG_FILE once per process, so each set needs its own process)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from briefwright.fonts import TEMPLATE_FONTS

SYSTEM_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")


def font_files(family: str) -> list[Path]:
    """The files of one family as the system's fontconfig knows them (all styles)."""
    listed = subprocess.run(
        ["fc-list", "--format", "%{file}|%{family}\n", family],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    files = []
    for line in listed.splitlines():
        file, _, families = line.partition("|")
        if family in families.split(","):
            files.append(Path(file))
    return sorted(set(files))


def write_config(folder: Path, *, only_template_fonts: bool) -> Path:
    """A fonts.conf in `folder` seeing either only the fonts the templates name (linked into
    folder/fonts) or every font of the system; the same rules (conf.d) in both."""
    folder.mkdir(parents=True, exist_ok=True)
    if only_template_fonts:
        fonts = folder / "fonts"
        fonts.mkdir(exist_ok=True)
        for family in TEMPLATE_FONTS:
            found = font_files(family)
            assert found, f"font '{family}' is not installed (scripts/install-system-deps)"
            for file in found:
                link = fonts / file.name
                if not link.exists():
                    link.symlink_to(file)
        dirs = [str(fonts)]
    else:
        dirs = [d for d in SYSTEM_FONT_DIRS if os.path.isdir(d)]
    dir_lines = "".join(f"  <dir>{d}</dir>\n" for d in dirs)
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig>\n{dir_lines}  <cachedir>{folder / 'cache'}</cachedir>\n"
        '  <include ignore_missing="yes">/etc/fonts/conf.d</include>\n</fontconfig>\n',
        encoding="utf-8",
    )
    return config


def environment(config: Path) -> dict[str, str]:
    return {**os.environ, "FONTCONFIG_FILE": str(config)}
