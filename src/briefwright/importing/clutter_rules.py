"""The built-in clutter rules, as data: each a name and a regular expression that a whole
line (its Markdown markers and emphasis stripped, case ignored) must match. `trailing` rules
start a block of boilerplate at the end of a page ("Similar Posts" and its link titles).

A rule matches whole lines only, and `clutter.py` never lets one take a line out of a longer
paragraph, so a rule that is too broad removes a boilerplate-sized line at worst, and says so.
"""

from __future__ import annotations

from typing import NamedTuple


class Rule(NamedTuple):
    name: str
    pattern: str
    trailing: bool = False  # the line starts a block running to the end of the document


_THIS = (
    r"(this|the) (article|content|post|page|text|piece|story|summary|guide)"
    r"|parts of this|portions of this|this site'?s content"
)
_AI = r"\bai\b|a\.i\.|artificial intelligence|chatgpt|language model|\bllm\b|generative"
_MADE = r"generated|assist|created|written|produced|support|help|drafted|aided|tools?\b"

BUILT_IN: tuple[Rule, ...] = (
    Rule(
        "ai-disclaimer",
        rf"(?=.*(?:{_THIS}))(?=.*(?:{_AI}))(?=.*(?:{_MADE})).{{0,400}}",
    ),
    Rule("ai-disclaimer", rf"(?=.*(?:{_AI})).{{0,40}}(generated|assisted)( content| insight)?:?"),
    Rule(
        "see-also",
        r"(see also|read also|also read|read more|related|related reading|recommended|"
        r"you may also like|you might also like|more on this|further reading)"
        r"\s*[:\-\u2013\u2014]?\s+[^\n]{1,200}[^.]",
    ),
    Rule(
        "cookie-notice",
        r"(?=.*\bcookies?\b)(?=.*(we use|this (web)?site uses|uses cookies|accept|consent|"
        r"cookie (policy|settings|preferences)|by continuing)).{0,400}",
    ),
    Rule(
        "trailing-block",
        r"(similar posts|related posts|related articles|related stories|more stories|"
        r"you may also like|you might also like|share this( (article|post|page|story))?|"
        r"share on [a-z ,]+|subscribe( to [^\n]{1,60}| now)?|sign up for [^\n]{1,60}|"
        r"leave a (reply|comment)|post navigation|about the author|tags)\s*:?",
        trailing=True,
    ),
)
