"""SVG images (issue 12): drawn in PDF, HTML and DOCX (the SVG part with a PNG fallback),
sanitised first: no scripts, no event handlers, no reference outside the image, no entities."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from briefwright.readers import svg
from briefwright.readers.images import ImageError, load_image
from tests.helpers import FEATURE_PROJECT, copy_project, run

DATA = Path(__file__).parent / "data" / "svg"
CIRCLE = DATA / "resvg-shapes-circle-simple-case.svg"  # a green circle over a red one
EMBEDDED_PNG = DATA / "resvg-structure-image-embedded-png.svg"
GREEN = (0, 128, 0)


def _project(tmp_path: Path, markdown: str, *images: Path) -> Path:
    project = copy_project(FEATURE_PROJECT, tmp_path / "project")
    for image in images:
        shutil.copy(image, project / "sources" / "img" / image.name)
    (project / "sources" / "pic.md").write_text(markdown, encoding="utf-8")
    (project / "briefings" / "p.yaml").write_text(
        "title: Pictures\nformats: [pdf, docx, html]\nsections:\n  - from: pic\n"
    )
    return project


def _green_pixels(pdf: Path, folder: Path) -> int:
    """Pixels of the circle's green on the PDF's pages, rendered at 40 dpi."""
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(folder / "page")], check=True)
    count = 0
    for page in sorted(folder.glob("page-*.png")):
        with Image.open(page) as image:
            data = image.convert("RGB").tobytes()
        pixels = zip(data[0::3], data[1::3], data[2::3], strict=True)
        count += sum(1 for pixel in pixels if _near(pixel, GREEN))
    return count


def _near(pixel: tuple[int, ...], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 24 for a, b in zip(pixel, colour, strict=False))


def test_issue_12_real_svgs_in_every_format(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        "## Drawings\n\n![A green circle](img/resvg-shapes-circle-simple-case.svg)\n\n"
        "![The SVG logo, a PNG inside an SVG](img/resvg-structure-image-embedded-png.svg)\n",
        CIRCLE,
        EMBEDDED_PNG,
    )
    result = run(project, "build", "p", "--strict")
    assert result.exit_code == 0, result.output
    output = project / "output"
    # PDF: WeasyPrint draws the SVG (vector); the circle's green is on the page.
    (tmp_path / "pdf").mkdir()
    assert _green_pixels(output / "p.pdf", tmp_path / "pdf") > 500
    # HTML: the sanitised SVG as a data: URL, with its alt text.
    html = (output / "p.html").read_text()
    found = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="A green circle">', html)
    assert found is not None and b"<circle" in base64.b64decode(found.group(1))
    # DOCX: the SVG part, referenced by an asvg:svgBlip beside the PNG fallback.
    with zipfile.ZipFile(output / "p.docx") as package:
        names = package.namelist()
        document = package.read("word/document.xml").decode()
        types = package.read("[Content_Types].xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
    svgs = [n for n in names if n.startswith("word/media/") and n.endswith(".svg")]
    pngs = [n for n in names if n.startswith("word/media/") and n.endswith(".png")]
    assert len(svgs) == 2 and len(pngs) == 2
    assert document.count("<asvg:svgBlip") == 2 and 'descr="A green circle"' in document
    assert 'ContentType="image/svg+xml"' in types
    for name in svgs:
        assert f'Target="{name.removeprefix("word/")}"' in rels
    # and a real Word reader draws it
    converted = tmp_path / "lo"
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"  # no clash with another
    convert = ["--convert-to", "pdf", "--outdir", str(converted), "p.docx"]
    subprocess.run(
        ["soffice", profile, "--headless", *convert],
        cwd=output,
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert _green_pixels(converted / "p.pdf", converted) > 200


HOSTILE: list[tuple[str, str]] = [
    (
        "script.svg",
        "had unsafe parts removed: event handler 'onload', <script>, event handler 'onclick', "
        "reference 'javascript:alert(2)', <foreignObject>, <set>",
    ),
    (
        "external.svg",
        "had unsafe parts removed: style sheet import '@import url(\"https://example.invalid/x."
        "css\");', reference 'http://example.invalid/p.svg#g', reference "
        "'https://example.invalid/tracker.png', reference 'file:///etc/passwd#x', reference "
        "'file:///etc/passwd'",
    ),
    (
        "passwd-entity.svg",
        "declares XML entities (refused: entity bombs and external entities); its alt text is "
        "shown instead",
    ),
    (
        "billion-laughs.svg",
        "declares XML entities (refused: entity bombs and external entities); its alt text is "
        "shown instead",
    ),
    (
        "use-bomb.svg",
        "expands to more than 10,000 elements through <use>; its alt text is shown instead",
    ),
]


@pytest.mark.parametrize(("name", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_issue_12_hostile_svgs_are_sanitised_or_refused(
    tmp_path: Path, name: str, message: str
) -> None:
    hostile = DATA / "hostile" / name
    project = _project(tmp_path, f"## H\n\n![Hostile]({'img/' + name})\n", hostile)
    started = time.monotonic()
    result = run(project, "build", "p")
    assert time.monotonic() - started < 60
    assert result.exit_code == 0, result.output
    assert result.stderr == f"warning: sources/pic.md:3: image 'img/{name}' {message} (in p)\n"
    output = project / "output"
    text = subprocess.run(
        ["pdftotext", str(output / "p.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "root:" not in text and "lollol" not in text
    html = (output / "p.html").read_text()
    for found in re.findall(r"data:image/svg\+xml;base64,([^\"]+)", html):
        drawn = base64.b64decode(found).decode()
        for unsafe in ("<script", "onload", "onclick", "javascript:", "etc/passwd", "invalid"):
            assert unsafe not in drawn


@pytest.mark.parametrize(
    ("name", "removed"),
    [
        ("resvg-structure-image-external-png.svg", ("reference '../../../resources/image.png'",)),
        (
            "resvg-structure-style-external-CSS.svg",
            ("style sheet import '@import \"../../../resources/green.css\"'",),
        ),
    ],
)
def test_issue_12_real_svgs_with_external_references(name: str, removed: tuple[str, ...]) -> None:
    image = load_image(DATA / name)
    assert image.removed == removed and b"resources/" not in image.data


def test_issue_12_url_to_png_is_removed_with_its_element() -> None:
    image = load_image(DATA / "resvg-structure-image-url-to-png.svg")
    assert image.removed[0].startswith("reference 'https://upload.wikimedia.org/")
    assert b"<image" not in image.data and b"<rect" in image.data


@pytest.mark.parametrize(
    ("attributes", "size"),
    [
        ('width="2in" height="1in"', (192, 96)),
        ('viewBox="0 0 40 30"', (40, 30)),
        ('width="80" viewBox="0 0 40 30"', (80, 60)),
        ('height="10mm" viewBox="0 0 2 1"', (76, 38)),
        ("", (300, 150)),
    ],
)
def test_issue_12_svg_intrinsic_size(attributes: str, size: tuple[int, int]) -> None:
    safe = svg.sanitise(f'<svg xmlns="http://www.w3.org/2000/svg" {attributes}/>'.encode())
    assert (round(safe.width), round(safe.height)) == size


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (b"<svg", "is not well-formed SVG"),
        (b'<?xml version="1.0"?><html><svg/></html>', "is XML but not an SVG"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><use href="#a"/></g></svg>',
            "has a <use> that refers to itself",
        ),
    ],
)
def test_issue_12_svgs_that_are_refused(text: bytes, reason: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.svg"
    path.write_bytes(text)
    with pytest.raises(ImageError, match=re.escape(reason)):
        load_image(path)


def test_issue_12_xml_base_and_data_urls() -> None:
    safe = svg.sanitise(
        b'<svg xmlns="http://www.w3.org/2000/svg" xml:base="file:///etc/">'
        b'<image href="data:image/png;base64,AAAA"/><image href="data:text/html,x"/></svg>'
    )
    assert safe.removed == ("xml:base", "reference 'data:text/html,x'")
    assert b"data:image/png;base64,AAAA" in safe.data and b"text/html" not in safe.data
