"""Web pages (saved HTML, or the body of a fetched URL) read into an `Imported`.

The main content is found by trafilatura (navigation, ads, comments, share bars and "related"
blocks are its job); its tree is written as Markdown by `html_markdown`; title, author and date
come from the page's metadata in the same pass. Images are referenced, never fetched here.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urljoin

import trafilatura
from lxml import html as lxml_html
from trafilatura.settings import Document

from briefwright.errors import BriefwrightError
from briefwright.importing import html_dropped, html_images
from briefwright.importing.html_encoding import decode
from briefwright.importing.html_markdown import markdown_image, to_markdown
from briefwright.importing.html_metadata import metadata
from briefwright.importing.model import Imported, Removed
from briefwright.readers.files import size_text

MAX_HTML_BYTES = 16 * 1024 * 1024  # a page's HTML (saved or fetched): far above any article
_IMAGE_WARNING = (
    "image '{}' is referenced, not fetched; builds show its alt text until it is saved beside "
    "the source"
)
_TITLE_RULE = "html: the page's title heading (kept as the title)"

# trafilatura logs "empty HTML tree" and the like at ERROR through the root logger's handlers:
# what matters reaches the user as our own error instead.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def read(data: bytes, origin: str) -> Imported:
    """The page `data` (bytes as saved or served; `origin`: its file name or URL) as Markdown
    with its metadata; raises BriefwrightError when it is too large or has no readable text."""
    if len(data) > MAX_HTML_BYTES:
        raise _error(origin, f"is larger than {size_text(MAX_HTML_BYTES)}; save only the article")
    text = decode(data)
    tree = _parse(text, origin)
    candidates = html_dropped.candidates(tree)
    marked = html_images.mark(tree, text)
    try:
        doc = trafilatura.bare_extraction(
            tree,
            url=origin if origin.startswith(("http://", "https://")) else None,
            include_formatting=True,
            include_links=True,
            include_images=False,  # images travel as marker words: see html_images
            include_tables=True,
            include_comments=False,
            with_metadata=False,  # html_metadata reads what import uses, faster
            as_dict=False,
        )
    except (RecursionError, ValueError) as err:  # hostile nesting, or a tree lxml refuses
        raise _error(origin, f"could not be read as a web page ({type(err).__name__})") from None
    if not isinstance(doc, Document) or doc.body is None or not len(doc.body):
        raise _error(origin, "has no article text trafilatura could find; save the article's page")
    base = origin if origin.startswith(("http://", "https://")) else None

    def image(alt: str, src: str) -> str:  # relative to the page's address when it has one
        return markdown_image(alt, urljoin(base, src) if base else src)

    markdown, sources = html_images.restore(to_markdown(doc.body), marked, image)
    about = metadata(tree, origin if origin.startswith(("http://", "https://")) else None)
    title = about.title
    markdown, removed = _drop_title_heading(markdown, title)
    removed += html_dropped.dropped(candidates, markdown) + marked.removed
    return Imported(
        markdown=markdown,
        title=title,
        author=about.author,
        date=about.date,
        removed=removed,
        warnings=[_IMAGE_WARNING.format(urljoin(base, s) if base else s) for s in sources],
    )


def _parse(text: str, origin: str) -> lxml_html.HtmlElement:
    if not text.strip():
        raise _error(origin, "is empty")
    try:
        # bytes re-encoded as UTF-8 with the parser told so: a str with an XML declaration
        # naming another encoding is refused by lxml, and the text is decoded already
        parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, huge_tree=False)
        tree = lxml_html.fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (ValueError, UnicodeError) as err:
        raise _error(origin, f"could not be parsed as HTML ({err})") from None
    if tree is None:
        raise _error(origin, "could not be parsed as HTML")
    return tree


def _drop_title_heading(markdown: str, title: str | None) -> tuple[str, list[Removed]]:
    """Without a first heading that only repeats the title: the title goes to front matter."""
    first, _, rest = markdown.partition("\n\n")
    if title and first.startswith("#") and _plain(first.lstrip("#")) == _plain(title):
        return rest, [Removed(text=first, rule=_TITLE_RULE, line=1)]
    return markdown, []


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None


def _plain(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _error(origin: str, message: str) -> BriefwrightError:
    if origin.startswith(("http://", "https://")):
        return BriefwrightError(f"{origin}: {message}")  # a Path would fold the URL's `//`
    return BriefwrightError(message, file=Path(origin))
