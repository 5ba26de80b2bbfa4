"""The only way WeasyPrint may load anything: data: URLs and regular files in allowed folders.

No network, no devices, nothing outside the project (and the built-in templates), nothing larger
than MAX_RESOURCE_BYTES. What is refused is collected and reported after rendering, because
WeasyPrint swallows exceptions raised inside a fetch.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from briefwright.readers.files import UnreadableFileError, read_regular

MAX_RESOURCE_BYTES = 20 * 1024 * 1024


class BlockedResourceError(ValueError):
    """Raised inside WeasyPrint for a refused URL; recorded in ProjectFetcher.blocked."""


class ProjectFetcher(URLFetcher):  # type: ignore[misc]
    def __init__(self, roots: tuple[Path, ...]):
        super().__init__(timeout=1)
        self.roots = tuple(root.resolve() for root in roots)
        self.blocked: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data" and len(url) <= MAX_RESOURCE_BYTES * 4 // 3 + 256:
            return super().fetch(url, headers)
        if scheme == "file":
            reason = self._file_problem(url)
            if reason is None:
                path = self._path(url)
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                try:
                    body = read_regular(path, MAX_RESOURCE_BYTES)
                except UnreadableFileError as exc:
                    reason = exc.reason
                else:
                    headers = {"Content-Type": content_type}
                    return URLFetcherResponse(url, body=body, headers=headers)
        else:
            reason = "only data: URLs and project files are allowed"
        self.blocked.append(f"resource '{url}' blocked: {reason}")
        raise BlockedResourceError(url)

    @staticmethod
    def _path(url: str) -> Path:
        return Path(url2pathname(urlsplit(url).path)).resolve()

    def _file_problem(self, url: str) -> str | None:
        path = self._path(url)
        if not any(path.is_relative_to(root) for root in self.roots):
            return "outside the project"
        return None  # the rest (a regular file, its size) is checked on the open file
