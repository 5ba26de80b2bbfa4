"""How much a PDF's compressed streams expand to, measured before pdfminer reads it.

pdfminer inflates a Flate stream whole in memory when a page uses it, with no limit: a few
hundred kilobytes of zeros compressed make gigabytes (a "zip bomb" inside a PDF). Every
`stream ... endstream` is inflated here first, in chunks and never more than the limit in
total, so such a file is refused before any page is read. Streams that are not Flate (images
in DCT, JPX) do not inflate and are skipped; the scan is by keyword, not by parsing objects,
so a stream whose data holds the word "endstream" is cut short: that can only count less."""

from __future__ import annotations

import re
import zlib

MAX_INFLATED_BYTES = 256 * 1024 * 1024  # far above any real document's text and fonts
_STREAM = re.compile(rb"stream\r?\n")
_CHUNK = 1 << 20


def inflated_size(data: bytes, limit: int = MAX_INFLATED_BYTES) -> int | None:
    """The total size of the PDF's Flate streams inflated, or None once it passes `limit`."""
    total = 0
    for match in _STREAM.finditer(data):
        if data[max(0, match.start() - 3) : match.start()] == b"end":
            continue
        end = data.find(b"endstream", match.end())
        body = data[match.end() : end if end >= 0 else len(data)]
        inflater = zlib.decompressobj()
        try:
            while body and total <= limit:
                total += len(inflater.decompress(body, _CHUNK))
                body = inflater.unconsumed_tail
        except zlib.error:
            continue  # not Flate (or damaged: pdfminer will say so)
        if total > limit:
            return None
    return total
