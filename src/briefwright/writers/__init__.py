"""Output formats: each name maps to the module and function that renders it.

Writers are imported only when something is rendered, so that `brief --help`, `brief sections`
and `brief check` never pay for WeasyPrint's or python-docx's import.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, NamedTuple, TypeAlias, get_args

if TYPE_CHECKING:
    from briefwright.errors import Reporter
    from briefwright.model import Briefing
    from briefwright.templates import Template

Format = Literal["pdf", "docx", "html"]  # the one list of output formats
FORMATS: tuple[Format, ...] = get_args(Format)  # WRITERS has one entry for each


class Rendered(NamedTuple):
    data: bytes
    pages: int | None = None  # known for PDF only


Writer: TypeAlias = "Callable[[Briefing, Template, Reporter], Rendered]"

WRITERS: dict[str, str] = {
    "html": "briefwright.writers.html:render_html",
    "pdf": "briefwright.writers.pdf:render_pdf",
    "docx": "briefwright.writers.docx:render_docx",
}


def get_writer(output_format: str) -> Writer:
    module_name, _, function = WRITERS[output_format].partition(":")
    writer: Writer = getattr(importlib.import_module(module_name), function)
    return writer
