"""Fetching the one URL given on the command line, and nothing else.

http(s) only; each redirect target is checked the same way (never `file:`, `ftp:`, `data:` or
another scheme) and at most MAX_REDIRECTS are followed; each request has a timeout; the body is
read in chunks and refused once it passes the page limit, whatever Content-Length says. The
opener is built from the HTTP and HTTPS handlers alone, so urllib itself cannot follow a
redirect or open another scheme behind our back.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from http.client import HTTPException, HTTPResponse
from urllib.parse import urljoin, urlsplit

from briefwright import __version__
from briefwright.errors import BriefwrightError
from briefwright.importing.html import MAX_HTML_BYTES
from briefwright.readers.files import size_text

MAX_REDIRECTS = 5
TIMEOUT_SECONDS = 20.0  # per connection attempt and per read
TOTAL_SECONDS = 120.0  # for the whole body: a server dripping a byte a second is cut off
_SCHEMES = ("http", "https")
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024
_OPENER = urllib.request.OpenerDirector()
for _handler in (urllib.request.HTTPHandler(), urllib.request.HTTPSHandler()):
    _OPENER.add_handler(_handler)


def fetch(url: str, *, limit: int = MAX_HTML_BYTES) -> tuple[bytes, str]:
    """The body of `url` and the URL it was finally read from (after redirects); raises
    BriefwrightError (naming `url`) for another scheme, a failed request, an HTTP error, too
    many redirects, a redirect to another scheme, or a body over `limit` bytes."""
    current = _checked(url, url)
    for _ in range(MAX_REDIRECTS + 1):
        response = _open(current, url)
        with response:
            if response.status in _REDIRECTS:
                target = response.headers.get("Location")
                if not target:
                    raise _error(url, f"{current} redirects without a Location")
                current = _checked(urljoin(current, target.strip()), url)
                continue
            if not 200 <= response.status < 300:
                raise _error(url, f"{current} answered HTTP {response.status} {response.reason}")
            return _body(response, url, limit), current
    raise _error(url, f"redirects more than {MAX_REDIRECTS} times; give the final address")


def _checked(target: str, url: str) -> str:
    parts = urlsplit(target)
    if parts.scheme.lower() not in _SCHEMES or not parts.hostname:
        if target == url:
            raise _error(url, "is not an http(s) URL; only http:// and https:// are fetched")
        raise _error(url, f"redirects to {target!r}, which is not http(s); it is not followed")
    return target


def _open(target: str, url: str) -> HTTPResponse:
    request = urllib.request.Request(
        target, headers={"User-Agent": f"briefwright/{__version__} (brief import)"}
    )
    try:
        response = _OPENER.open(request, timeout=TIMEOUT_SECONDS)
    except (urllib.error.URLError, HTTPException, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        raise _error(url, f"could not be fetched: {reason}") from None
    if not isinstance(response, HTTPResponse):
        raise _error(url, "could not be fetched: no HTTP response")
    return response


def _body(response: HTTPResponse, url: str, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    deadline = time.monotonic() + TOTAL_SECONDS
    try:
        while chunk := response.read1(_CHUNK):
            if time.monotonic() > deadline:
                raise _error(url, f"took more than {TOTAL_SECONDS:.0f} s to download")
            size += len(chunk)
            if size > limit:
                raise _error(url, f"is larger than {size_text(limit)}; save only the article")
            chunks.append(chunk)
    except (HTTPException, OSError) as err:
        raise _error(url, f"could not be read to its end: {err}") from None
    return b"".join(chunks)


def _error(url: str, message: str) -> BriefwrightError:
    # not file=Path(url): a Path folds the `//` of a URL
    return BriefwrightError(f"{url}: {message}")
