"""`--marking` is the floor of what an import brings in. A Markdown input keeps its heading
attributes (the other readers escape them), so one could mark a section lower than the
document the person importing it says it is; that section would then be released at the
lower level in a brief. Such a section is refused: the import fails closed."""

from __future__ import annotations

from pathlib import Path

from briefwright.errors import MarkingError, Problem
from briefwright.markings import Marking, Scheme, parse_marking
from briefwright.readers.markdown import MarkdownContext, parse_markdown


def _any_image(src: str) -> tuple[Path | None, str | None]:
    """Images are checked when the source is read; here only headings matter."""
    return None, None


def below_floor(
    markdown: str, floor: Marking, scheme: Scheme, shown: Path, original: str
) -> list[Problem]:
    """Every heading whose `marking` attribute is below `floor` (a lower level, or without
    one of its restrictive caveats), located by its line in the `original` input (the body
    has lost front matter and clutter, so its own line numbers are not the input's)."""
    parsed = parse_markdown(markdown, MarkdownContext(shown, "import", _any_image))
    body = markdown.split("\n")
    given = [line.strip() for line in original.split("\n")]
    problems: list[Problem] = []
    for index, attrs in enumerate(parsed.heading_attrs):
        text = attrs.get("marking")
        if text is None:
            continue
        raw = body[parsed.lines[index] - 1].strip()
        line = given.index(raw) + 1 if raw in given else None
        try:
            marking = parse_marking(text, scheme, str(shown))
        except MarkingError:
            continue  # a bad marking is the source reader's error to report, with its fix
        missing = [c for c in floor.restrictive if c not in marking.restrictive]
        if scheme.rank(marking.level) >= scheme.rank(floor.level) and not missing:
            continue
        lower = f"without {', '.join(missing)}" if missing else "lower than"
        problems.append(
            Problem(
                f"a section is marked {marking.text()}, {lower} --marking {floor.text()}; "
                "an import keeps what it brings at the marking given, so remove the heading's "
                "marking attribute, or import with the marking the document really has",
                shown,
                line,
            )
        )
    return problems


def key_line(original: str, key: str) -> int | None:
    """The line of a front matter key in the input (the first block of `---` lines)."""
    lines = original.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() in ("---", "..."):
            return None
        if line.startswith(f"{key}:"):
            return number
    return None
