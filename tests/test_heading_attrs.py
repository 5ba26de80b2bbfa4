"""Issue 13: heading attribute blocks read strictly (readers/heading_attrs.py), and in time
linear in their length however hostile."""

from __future__ import annotations

import time

import pytest

from briefwright.readers.heading_attrs import masked, read_heading, stray_markings


@pytest.mark.parametrize(
    ("text", "title", "attrs"),
    [
        ("Risks {#risks}", "Risks ", {"id": "risks"}),
        ("Annex {-}", "Annex ", {"class": "unnumbered"}),
        (
            'H {#h .unnumbered marking="NR // REL TO UKR"}',
            "H ",
            {"id": "h", "class": "unnumbered", "marking": "NR // REL TO UKR"},
        ),
        ("H {marking='TLP:RED'}", "H ", {"marking": "TLP:RED"}),
        ("H {id=x marking=NR}", "H ", {"id": "x", "marking": "NR"}),
        ("Fill {placeholder}", "Fill {placeholder}", {}),
        ("Tag {{ name }}", "Tag {{ name }}", {}),
        ("Code `{#x}`", "Code `{#x}`", {}),
        ("Esc \\{#x\\}", "Esc \\{#x\\}", {}),
    ],
)
def test_issue_13_what_a_heading_holds(text: str, title: str, attrs: dict[str, str]) -> None:
    found = read_heading(text)
    assert (text[: found.start], found.attrs, found.errors) == (title, attrs, [])


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('S {#s Marking="X"}', "unknown heading attribute 'Marking'; did you mean 'marking'?"),
        ('S {#s marking="X}', "attribute 'marking': the quote \" opened here is never closed"),
        ('S {#s marking="X"', "attribute block '{#s marking=\"X\"' is not closed by '}'"),
        ("S {#a #b}", "attribute 'id' is given twice"),
        ("S {# x}", "'#' with no name after it"),
        ("S {marking=}", "attribute 'marking=' has no value"),
        ("S {marking}", "cannot read 'marking' in a heading's attribute block"),
        ("S marking = X", "'marking =' in a heading's text is not applied"),
        ("S {.marking-red}", "unknown heading class '.marking-red'"),
    ],
)
def test_issue_13_what_a_heading_may_not_hold(text: str, error: str) -> None:
    assert read_heading(text).errors[0][1].startswith(error)


def test_issue_13_stray_markings_only_between_braces_and_outside_code() -> None:
    assert stray_markings("set marking=NR in prose") == []
    assert stray_markings("a `{marking=NR}` example") == []
    assert stray_markings("a [span]{.x marking=NR}")[0][0] == 12


def test_issue_13_masked_keeps_length_and_hides_code_and_escapes() -> None:
    assert masked("a `b` \\{ ``c`d`` `e") == "a       " + " " * 8 + " `e"


@pytest.mark.parametrize(
    "text",
    [
        "`" + " `` `" * 100_000,  # runs never closed
        "{" * 200_000 + "}",
        "{" + "x " * 200_000 + "}",  # an attribute block of unreadable words
        "{" + "marking=" * 100_000 + "}",
        "H {" + '"' * 200_000 + "}",
    ],
    ids=["backticks", "braces", "words", "markings", "quotes"],
)
def test_issue_13_hostile_blocks_are_read_in_linear_time(text: str) -> None:
    # about 0.2 s each when linear; a quadratic scan of 400 kB takes minutes
    started = time.perf_counter()
    read_heading(text)
    stray_markings(text)
    assert time.perf_counter() - started < 5
