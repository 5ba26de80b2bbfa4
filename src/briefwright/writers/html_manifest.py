"""The provenance manifest inside an HTML output: `<script type="application/json"
id="briefwright-manifest">`, put in by the writer after the template has rendered, at the end
of the body, so that no project template can leave it out."""

from __future__ import annotations

import re

from briefwright.provenance.manifest import SCRIPT_ID

# what could end the script element or open a comment inside it, written as JSON escapes
_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_UNSAFE = re.compile("[<>&\u2028\u2029]")
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


def manifest_script(manifest: str) -> str:
    """The script element holding `manifest` (JSON text). `<`, `>` and `&` are JSON escapes
    (`\\u003c`...), so `</script>` or `<!--` in a source's text cannot end or change it, and
    a JSON parser reads back the very text embedded."""
    safe = _UNSAFE.sub(lambda found: _ESCAPES[found.group()], manifest.rstrip("\n"))
    return f'<script type="application/json" id="{SCRIPT_ID}">\n{safe}\n</script>\n'


def with_manifest_script(html: str, manifest: str) -> str:
    """`html` with the manifest's script before its last `</body>` (at its end if it has none;
    the rendered body's own text is escaped, so the last `</body>` is the template's)."""
    if not manifest:
        return html
    script = manifest_script(manifest)
    ends = list(_BODY_END.finditer(html))
    if not ends:
        return html + ("" if html.endswith("\n") else "\n") + script
    at = ends[-1].start()
    return html[:at] + script + html[at:]
