"""writers/thumbnails.py: page images of a real WeasyPrint PDF and a contact sheet of them."""

from __future__ import annotations

import hashlib
import io

import pypdf
import pytest
from PIL import Image

from briefwright.errors import RenderError
from briefwright.writers.thumbnails import SHEET_GAP_PX, contact_sheet, page_images, thumbnails

PAGES_HTML = """
<style>@page { size: A5; margin: 1cm } @page wide { size: A5 landscape }
.wide { page: wide } p { break-after: page; font-size: 40pt } .red { color: red }</style>
<p>One</p><p class="red">Two</p><p class="wide">Three</p>
"""


@pytest.fixture(scope="module")
def pdf() -> bytes:
    import weasyprint

    data: bytes = weasyprint.HTML(string=PAGES_HTML).write_pdf()
    return data


def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image


def test_one_png_per_page_at_the_width_asked_height_in_proportion(pdf: bytes) -> None:
    pages = page_images(pdf, width_px=300)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(pages) == len(reader.pages) == 3
    for data, page in zip(pages, reader.pages, strict=True):
        image = _image(data)
        box = page.mediabox
        assert image.size == (300, round(300 * float(box.height) / float(box.width)))
        assert image.mode == "P"  # at most 256 colours: a third of the bytes
        assert image.info == {}  # no time, text or other chunk that could vary
    assert _image(pages[0]).height > 300 > _image(pages[2]).height  # portrait, landscape


def test_pages_are_rendered_not_blank(pdf: bytes) -> None:
    first, second, _ = (_image(p) for p in page_images(pdf, width_px=200))
    assert first.convert("RGB").getextrema() != ((255, 255),) * 3  # black text on white
    raw = second.convert("RGB").tobytes()
    pixels = zip(raw[0::3], raw[1::3], raw[2::3], strict=True)
    reds = [px for px in pixels if px[0] > 200 and px[1] < 80 and px[2] < 80]
    assert reds  # the second page's red text, in colour


def test_same_pdf_same_bytes(pdf: bytes) -> None:
    one = page_images(pdf, width_px=240)
    two = page_images(pdf, width_px=240)
    assert [hashlib.sha256(p).digest() for p in one] == [hashlib.sha256(p).digest() for p in two]
    assert contact_sheet(one) == contact_sheet(two)


def test_contact_sheet_is_a_grid_of_every_page(pdf: bytes) -> None:
    pages = page_images(pdf, width_px=400)
    sheet = _image(contact_sheet(pages, columns=2, cell_width_px=100))
    assert sheet.width == SHEET_GAP_PX + 2 * (100 + 2 + SHEET_GAP_PX)
    single_row = _image(contact_sheet(pages, columns=4, cell_width_px=100))
    assert single_row.width == SHEET_GAP_PX + 3 * (100 + 2 + SHEET_GAP_PX)  # 3 pages, 3 columns
    assert sheet.height > single_row.height  # two rows
    column = _image(contact_sheet(pages, columns=1, cell_width_px=100))
    assert column.height > sheet.height


@pytest.mark.parametrize("width", [0, 15, 4001, -1])
def test_a_width_out_of_range_is_refused(pdf: bytes, width: int) -> None:
    with pytest.raises(ValueError, match="width must be"):
        page_images(pdf, width_px=width)


def test_bytes_that_are_no_pdf_are_a_render_error() -> None:
    with pytest.raises(RenderError, match="not a PDF"):
        page_images(b"%PDF-1.7 this is not one", width_px=100)


def test_a_contact_sheet_needs_pages_and_columns(pdf: bytes) -> None:
    with pytest.raises(ValueError, match="no pages"):
        contact_sheet([])
    with pytest.raises(ValueError, match="columns"):
        contact_sheet(page_images(pdf, width_px=100), columns=0)


def test_thumbnails_are_the_page_images_and_their_contact_sheet(pdf: bytes) -> None:
    pages, sheet = thumbnails(pdf, width_px=300, columns=2, cell_width_px=150)
    assert pages == page_images(pdf, width_px=300)
    assert sheet == contact_sheet(pages, columns=2, cell_width_px=150)


def test_a_width_that_is_no_whole_factor_is_resampled(pdf: bytes) -> None:
    pages = page_images(pdf, width_px=333)
    sheet = _image(contact_sheet(pages, columns=3, cell_width_px=100))
    assert sheet.width == SHEET_GAP_PX + 3 * (100 + 2 + SHEET_GAP_PX)


def test_threads_take_turns_with_pdfium(pdf: bytes) -> None:
    from concurrent.futures import ThreadPoolExecutor

    expected = page_images(pdf, width_px=120)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: page_images(pdf, width_px=120), range(8)))
    assert all(result == expected for result in results)
