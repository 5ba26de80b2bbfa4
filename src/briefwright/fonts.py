"""The fonts the built-in templates name, the writing systems they cover, and the direction of a
piece of text: the one place that knows which script needs which font.

The templates' font stacks (templates/_shared/base.css), the DOCX writer's complex-script fonts
and scripts/install-system-deps all follow TEMPLATE_FONTS. A script outside them (CJK, Indic...)
is reported once per briefing by `missing_fonts`, naming the Debian package that covers it.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from briefwright import model as m
from briefwright.errors import Problem
from briefwright.readers.files import UnreadableFileError, read_regular

Direction = Literal["ltr", "rtl"]

# Family -> the Debian package that installs it. Every glyph a built-in template prints comes
# from one of these (tests/test_fonts.py renders with only these visible and compares bytes).
TEMPLATE_FONTS = {
    "Carlito": "fonts-crosextra-carlito",  # Latin, Greek, Cyrillic (metric-compatible: Calibri)
    "Noto Sans Arabic UI": "fonts-noto-ui-core",  # Arabic, Persian, Pashto, Urdu
    "DejaVu Sans": "fonts-dejavu-core",  # Hebrew, and the symbols Carlito lacks
    "DejaVu Sans Mono": "fonts-dejavu-core",  # code
}
ARABIC_FONT = "Noto Sans Arabic UI"
HEBREW_FONT = "DejaVu Sans"

# Primary language subtags written right to left.
RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ps", "sd", "ug", "ur", "yi"}
)

# Any character of a right-to-left script: a fast test before looking closer.
RTL_CHARACTER = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
HEBREW = re.compile("[\u0590-\u05ff\ufb1d-\ufb4f]")


@dataclass(frozen=True)
class Script:
    """A writing system no template font covers, and the Debian package that does."""

    name: str
    package: str
    sample: str  # one character of it, to ask fontconfig whether any font has it


_NOTO = "fonts-noto-core"
# (first, last code point, script). CJK is one entry: one warning for a Japanese or Korean
# text, whatever mix of kana, hangul and ideographs it uses.
_CJK = Script("CJK (Chinese, Japanese, Korean)", "fonts-noto-cjk", "\u4e00")
UNCOVERED_SCRIPTS: tuple[tuple[int, int, Script], ...] = (
    (0x0700, 0x074F, Script("Syriac", _NOTO, "\u0710")),
    (0x0780, 0x07BF, Script("Thaana", _NOTO, "\u0780")),
    (0x0900, 0x097F, Script("Devanagari", _NOTO, "\u0915")),
    (0x0980, 0x09FF, Script("Bengali", _NOTO, "\u0995")),
    (0x0A00, 0x0A7F, Script("Gurmukhi", _NOTO, "\u0a15")),
    (0x0A80, 0x0AFF, Script("Gujarati", _NOTO, "\u0a95")),
    (0x0B00, 0x0B7F, Script("Oriya", _NOTO, "\u0b15")),
    (0x0B80, 0x0BFF, Script("Tamil", _NOTO, "\u0b95")),
    (0x0C00, 0x0C7F, Script("Telugu", _NOTO, "\u0c15")),
    (0x0C80, 0x0CFF, Script("Kannada", _NOTO, "\u0c95")),
    (0x0D00, 0x0D7F, Script("Malayalam", _NOTO, "\u0d15")),
    (0x0D80, 0x0DFF, Script("Sinhala", _NOTO, "\u0d9a")),
    (0x0E00, 0x0E7F, Script("Thai", _NOTO, "\u0e01")),
    (0x0E80, 0x0EFF, Script("Lao", _NOTO, "\u0e81")),
    (0x0F00, 0x0FFF, Script("Tibetan", _NOTO, "\u0f40")),
    (0x1000, 0x109F, Script("Myanmar", _NOTO, "\u1000")),
    (0x1100, 0x11FF, _CJK),
    (0x1200, 0x139F, Script("Ethiopic", _NOTO, "\u1200")),
    (0x1780, 0x17FF, Script("Khmer", _NOTO, "\u1780")),
    (0x1800, 0x18AF, Script("Mongolian", _NOTO, "\u1820")),
    (0x2E80, 0x2FDF, _CJK),
    (0x3000, 0x303F, _CJK),
    (0x3040, 0x30FF, _CJK),
    (0x3100, 0x31FF, _CJK),
    (0x3400, 0x4DBF, _CJK),
    (0x4E00, 0x9FFF, _CJK),
    (0xA960, 0xA97F, _CJK),
    (0xAC00, 0xD7FF, _CJK),
    (0xF900, 0xFAFF, _CJK),
    (0xFF00, 0xFFEF, _CJK),
    (0x20000, 0x3FFFF, _CJK),
)
# A quick test for any of them (most text has none), built from the table.
_UNCOVERED = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b, _ in UNCOVERED_SCRIPTS) + "]")


def language_direction(lang: str) -> Direction:
    """The direction a language tag is written in: 'rtl' for Arabic, Hebrew, Persian..."""
    return "rtl" if lang.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def first_strong(text: str) -> Direction | None:
    """The direction of the first strongly directional character (Unicode bidi classes L, R,
    AL), as `dir="auto"` decides it; None when the text has none (digits, punctuation)."""
    if RTL_CHARACTER.search(text) is None:  # the common case, without a walk in Python
        return "ltr" if any(c.isalpha() for c in text) else _walk(text)
    return _walk(text)


def _walk(text: str) -> Direction | None:
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def rtl_font(text: str) -> str:
    """The complex-script font for right-to-left text: Hebrew's or Arabic's."""
    return HEBREW_FONT if HEBREW.search(text) and not _arabic(text) else ARABIC_FONT


def _arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u08ff" or "\ufb50" <= c <= "\ufefc" for c in text)


def direction_runs(text: str) -> Iterator[tuple[str, Direction | None]]:
    """`text` cut where its strong direction changes, in logical order (never reordered):
    neutral characters (spaces, digits, punctuation) stay with the run before them."""
    start, current = 0, None
    for index, char in enumerate(text):
        kind = unicodedata.bidirectional(char)
        new: Direction | None = "ltr" if kind == "L" else "rtl" if kind in ("R", "AL") else None
        if new is None or new == current:
            continue
        if current is not None:
            yield text[start:index], current
            start = index
        current = new
    yield text[start:], current


def uncovered_scripts(text: str) -> Iterator[tuple[Script, str]]:
    """Each script of `text` that no template font covers, once, with its first character."""
    seen: set[str] = set()
    for match in _UNCOVERED.finditer(text):
        char = match.group()
        script = script_of(char)
        if script is not None and script.name not in seen:
            seen.add(script.name)
            yield script, char


def script_of(char: str) -> Script | None:
    point = ord(char)
    return next((s for a, b, s in UNCOVERED_SCRIPTS if a <= point <= b), None)


@functools.cache
def installed_font_covers(char: str) -> bool:
    """Whether any font fontconfig sees has `char` (FONTCONFIG_FILE is honoured)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    query = f":charset={ord(char):x}"
    try:
        found = subprocess.run(
            [fc_list, query, "family"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(found.stdout.strip())


def missing_fonts(texts: Iterable[str]) -> list[tuple[Script, str]]:
    """The scripts in `texts` that no installed font covers, each once with a character."""
    found: dict[str, tuple[Script, str]] = {}
    for text in texts:
        for script, char in uncovered_scripts(text):
            if script.name not in found and not installed_font_covers(script.sample):
                found[script.name] = (script, char)
    return list(found.values())


def missing_font_problems(briefing: m.Briefing, files: Iterable[Path]) -> list[Problem]:
    """One warning per script of the briefing that no installed font covers, at the first line
    of `files` (its sources, then the briefing file) where that script appears."""
    meta = briefing.meta
    blocks = [*briefing.blocks, *(b for note in briefing.footnotes for b in note.blocks)]
    texts = [meta.title, meta.subtitle, meta.organisation, meta.author, meta.audience]
    texts += [m.block_text(block) for block in m.walk(blocks)]
    problems = []
    for script, char in missing_fonts(texts):
        file, line = _first_use(char, files)
        message = f"{script.name} text has no font; install {script.package}"
        problems.append(Problem(message, file, line))
    return problems


def _first_use(char: str, files: Iterable[Path]) -> tuple[Path | None, int | None]:
    for path in dict.fromkeys(files):
        try:  # files already read and checked; read again the careful way all the same
            text = read_regular(path, _MAX_SCANNED).decode("utf-8", errors="replace")
        except UnreadableFileError:
            continue
        index = text.find(char)
        if index >= 0:
            return path, text.count("\n", 0, index) + 1
    return None, None


_MAX_SCANNED = 16 * 1024 * 1024  # more than any source or briefing may be
_NOTDEF = re.compile(r"\.notdef glyph rendered .*\(U\+([0-9A-F]{4,6})\)")


def tofu_reported_per_script(message: str) -> bool:
    """Whether a WeasyPrint warning about a glyph no font has is one `missing_font_problems`
    reports already, once per script, instead of once per character."""
    found = _NOTDEF.search(message)
    return found is not None and script_of(chr(int(found.group(1), 16))) is not None
