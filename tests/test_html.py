"""Golden HTML for one small briefing (normalised); `pytest --update-golden` rewrites it."""

from __future__ import annotations

import re
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden" / "small.html"


def normalise(html: str) -> str:
    """Drop what changes for reasons unrelated to the content: the stylesheet, the version and
    the provenance manifest (its hashes of the template's files; test_issue_18_manifest.py)."""
    html = re.sub(r"<style>.*?</style>", "<style>…</style>", html, flags=re.S)
    html = re.sub(r'(id="briefwright-manifest">).*?(</script>)', r"\1…\2", html, flags=re.S)
    return re.sub(r'<meta name="generator" content="[^"]*">', '<meta name="generator">', html)


def test_small_briefing_matches_golden(feature_project: Path, update_golden: bool) -> None:
    produced = normalise((feature_project / "output" / "small.html").read_text(encoding="utf-8"))
    if update_golden:
        GOLDEN.write_text(produced, encoding="utf-8")
    assert produced == GOLDEN.read_text(encoding="utf-8")


def test_html_is_self_contained(feature_project: Path) -> None:
    html = (feature_project / "output" / "features.html").read_text(encoding="utf-8")
    assert '<img src="data:image/png;base64,' in html
    assert "&lt;b&gt;not bold&lt;/b&gt;" in html
    assert re.search(r'(src|href)="(file:|/|\.\./)', html) is None
