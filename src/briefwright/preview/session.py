"""One warm build session: the briefings a preview shows, planned again on every change and
rendered again only when their inputs (build/inputs.py, the model the build records) changed.

Each render writes the HTML first and says so (the page refreshes its HTML view), then the PDF
and its page images. A change that arrives meanwhile skips the PDF of the older state. A
briefing that fails keeps its last good render and shows its problems as FILE:LINE.
Everything is written under output/.preview/NAME/.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefwright import model as m
from briefwright.build.output import remove_stale_temporaries, write_atomic
from briefwright.build.plan import Plan, plan_build
from briefwright.build.records import Inputs, OutputKey, sha256_hex
from briefwright.build.select import briefing_files
from briefwright.errors import BriefwrightError, Problem, Reporter
from briefwright.project import Project, find_project
from briefwright.spec.briefing import LoadedBriefing
from briefwright.templates import Template

PREVIEW_FOLDER = ".preview"  # under output/
PREVIEW_FORMATS = ("html", "pdf")  # validated as a build of these would be (no reference.docx)
PAGE_WIDTH_PX = 560  # page images: sharp enough beside the HTML, quick to make

Publish = Callable[[str, dict[str, Any]], None]


@dataclass
class View:
    """What the page shows for one briefing: its last good render, and what is wrong now."""

    name: str
    generation: int = 0  # counts renders, so the page can tell a new one
    html: str | None = None  # URL paths under /output/
    pdf: str | None = None
    pages: list[str] = field(default_factory=list)
    outline: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    state: str = "waiting"  # waiting, html (the PDF is being made), ready, error
    digest: str | None = None  # the inputs of the last good PDF
    seconds: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "generation": self.generation,
            "html": self.html,
            "pdf": self.pdf,
            "pages": self.pages,
            "outline": self.outline,
            "warnings": self.warnings,
            "errors": self.errors,
            "state": self.state,
            "seconds": self.seconds,
        }


class Session:
    """Plans and renders the briefings pages have asked for, in one process that keeps the
    renderers imported; `refresh` runs in one thread at a time (the builder's)."""

    def __init__(self, root: Path, publish: Publish):
        self.root = root
        self.publish = publish
        self.views: dict[str, View] = {}
        self.lock = threading.Lock()  # guards `views` against the server's threads
        self.changed = threading.Event()  # something to do: a file changed, a page opened
        self.fonts: dict[str, Any] = {}  # one FontConfiguration, for the template files used

    @property
    def folder(self) -> Path:
        return self.root / "output" / PREVIEW_FOLDER

    def briefing_names(self) -> list[str]:
        """What a page may show: each briefing, or each of its variants (NAME.VARIANT)."""
        return [unit for units in self.units().values() for unit in units]

    def units(self) -> dict[str, list[str]]:
        """Each briefing file's name and the build units it makes: one per variant, or the
        briefing itself when it declares none or cannot be read (its page shows why)."""
        from briefwright.spec.briefing import load_briefing, variants_of

        project: Project | None = None
        with contextlib.suppress(BriefwrightError):
            project = find_project(self.root, self.root)
        found: dict[str, list[str]] = {}
        for path in briefing_files(self.root):
            found[path.stem] = [path.stem]
            if project is not None:
                with contextlib.suppress(BriefwrightError):
                    whole = load_briefing(path, project, [])
                    found[path.stem] = [unit.name for unit in variants_of(whole, project)]
        return found

    def state(self, name: str) -> dict[str, Any] | None:
        """The view of briefing `name` (None: no such briefing); the first ask starts it."""
        with self.lock:
            view = self.views.get(name)
            if view is None:
                if name not in self.briefing_names():
                    return None
                view = self.views[name] = View(name)
                self.changed.set()
            return view.as_json()

    def refresh(self) -> None:
        """Plan the briefings shown again; render each whose inputs changed or that failed.
        Never raises: whatever goes wrong is shown on the pages, and the next change retries."""
        try:
            self._refresh()
        except Exception as exc:  # a bug, a file vanishing mid-read: say so, keep serving
            problem = Problem(f"preview failed: {exc.__class__.__name__}: {exc}")
            with self.lock:
                names = list(self.views)
            for name in names:
                self._fail(name, [problem])

    def _refresh(self) -> None:
        self.changed.clear()
        with self.lock:
            names = list(self.views)
        files = {path.stem: path for path in briefing_files(self.root)}
        stems = {name: name.partition(".")[0] for name in names}  # NAME.VARIANT -> NAME
        for name, stem in stems.items():
            if stem not in files:
                self._fail(name, [Problem(f"briefings/{stem}.yaml no longer exists")])
        wanted = [files[stem] for stem in dict.fromkeys(stems.values()) if stem in files]
        if not wanted:
            return
        try:
            project = find_project(self.root, self.root)
            plan = plan_build(project, wanted, PREVIEW_FORMATS)
        except BriefwrightError as exc:  # the configuration or output/ itself
            for name in names:
                self._fail(name, list(exc.problems))
            return
        for rejected in plan.rejected:  # a unit, or a whole briefing file that cannot be read
            for name, stem in stems.items():
                if rejected.name in (name, stem):
                    self._fail(name, list(rejected.problems))
        units = [unit for made in plan.units.values() for unit in made]  # in file order
        for name, stem in stems.items():
            if name not in units and stem in files and name != stem:
                declared = [u.partition(".")[2] for u in units if u.partition(".")[0] == stem]
                why = f"no variant '{name.partition('.')[2]}'"
                hint = f"; it declares {', '.join(declared)}" if any(declared) else ""
                self._fail(name, [Problem(f"briefings/{stem}.yaml declares {why}{hint}")])
        self._render_changed(project, plan)

    def _render_changed(self, project: Project, plan: Plan) -> None:
        from briefwright.build.inputs import InputHasher

        hasher = InputHasher(project, plan.templates)
        for briefing in plan.briefings:
            if briefing.name not in self.views:  # another variant of a briefing shown
                continue
            key = OutputKey(briefing.name, "pdf")
            inputs = hasher.output_inputs(briefing, key, plan.sources.found)
            with self.lock:
                view = self.views[briefing.name]
                if inputs.digest == view.digest and not view.errors:
                    continue
            self._render(project, plan, briefing, inputs)
            if self.changed.is_set():  # newer files: plan again before anything else
                return

    def _render(
        self, project: Project, plan: Plan, briefing: LoadedBriefing, inputs: Inputs
    ) -> None:
        try:
            self._render_both(project, plan, briefing, inputs)
        except BriefwrightError as exc:
            self._fail(briefing.name, list(exc.problems))
        except (MemoryError, RecursionError) as exc:
            self._fail(briefing.name, [Problem(f"cannot render: {exc!r}", briefing.file)])
        except Exception as exc:  # a bug or a library failure: say it, keep serving
            message = f"preview failed: {exc.__class__.__name__}: {exc}"
            self._fail(briefing.name, [Problem(message, briefing.file)])

    def _render_both(
        self, project: Project, plan: Plan, briefing: LoadedBriefing, inputs: Inputs
    ) -> None:
        from briefwright.assemble import assemble
        from briefwright.writers.html import html_document

        name = briefing.name
        started = time.perf_counter()
        remove_stale_temporaries(self.folder / name)  # left by a preview that was killed
        problems = list(plan.warnings.get(name, ()))
        document = assemble(briefing, plan.sources.found, project, problems)
        template = plan.templates[briefing.spec.template]
        reporter = Reporter()
        html = html_document(document, template, reporter)
        folder = self.folder / name
        path = folder / f"{name}.html"
        write_atomic(path, html.encode("utf-8"), shown=project.relative(path))
        warnings = [*problems, *reporter.warnings]
        with self.lock:
            view = self.views[name]
            view.generation += 1
            view.html = f"/output/{PREVIEW_FOLDER}/{name}/{name}.html?g={view.generation}"
            view.outline = _outline(document)
            view.warnings = [str(w) for w in dict.fromkeys(warnings)]
            view.errors = []
            view.state = "html"
            view.seconds = {"html": round(time.perf_counter() - started, 3)}
            self.publish("html", view.as_json())
        if self.changed.is_set():  # the PDF of this state would be out of date at once
            return
        pdf_reporter = Reporter()
        pdf, pages, heading_pages, seconds = self._pdf(
            project, name, document, (template, _template_key(inputs)), pdf_reporter
        )
        warnings += pdf_reporter.warnings
        with self.lock:
            view.pdf = pdf
            view.pages = pages
            view.outline = [{**h, "page": heading_pages.get(h["id"])} for h in view.outline]
            view.warnings = [str(w) for w in dict.fromkeys(warnings)]
            view.state = "ready"
            view.digest = inputs.digest
            view.seconds.update(seconds, pdf=round(time.perf_counter() - started, 3))
            self.publish("pdf", view.as_json())
        _collect()

    def _pdf(
        self,
        project: Project,
        name: str,
        document: m.Briefing,
        made: tuple[Template, str],
        reporter: Reporter,
    ) -> tuple[str, list[str], dict[str, int], dict[str, float]]:
        """Write the PDF and its page images; returns their URL paths, the page each heading is
        on and what it took. Images are named by their page's fingerprint: only pages that look
        different from every page already made are rendered again, and the browser keeps its
        copy of the others."""
        from briefwright.preview.pages import anchor_pages, page_fingerprints, pages_pdf
        from briefwright.writers.pdf import render_pdf

        template, fonts_key = made
        started = time.perf_counter()
        with _collector_paused():
            fonts = self._fonts(fonts_key)
            # its own HTML: content shown `when-format="pdf"` differs from the HTML view's
            rendered = render_pdf(document, template, reporter, for_screen=True, fonts=fonts)
        folder = self.folder / name
        path = folder / f"{name}.pdf"
        write_atomic(path, rendered.data, shown=project.relative(path))
        written = time.perf_counter()
        names = [f"page-{fp[:20]}.png" for fp in page_fingerprints(rendered.data)]
        todo = [index for index, file in enumerate(names) if not (folder / file).exists()]
        if todo:
            pdf = rendered.data if len(todo) == len(names) else pages_pdf(rendered.data, todo)
            for index, png in zip(todo, _page_images(pdf), strict=True):
                path = folder / names[index]
                write_atomic(path, png, shown=project.relative(path))
        for old in folder.glob("page-*.png"):
            if old.name not in names:
                old.unlink(missing_ok=True)
        base = f"/output/{PREVIEW_FOLDER}/{name}"
        seconds = {
            "layout": round(written - started, 3),
            "images": round(time.perf_counter() - written, 3),
            "pages_made": len(todo),
        }
        pdf_url = f"{base}/{name}.pdf?v={sha256_hex(rendered.data)[:12]}"
        headings = anchor_pages(rendered.data, [h.id for h in document.headings])
        return pdf_url, [f"{base}/{n}" for n in names], headings, seconds

    def _fonts(self, key: str) -> Any:
        """The fonts of the template whose files hash to `key`, loaded once while it is used."""
        from briefwright.writers.pdf import font_configuration

        if key not in self.fonts:
            self.fonts = {key: font_configuration()}  # a template changed: its old fonts go
        return self.fonts[key]

    def _fail(self, name: str, problems: list[Problem]) -> None:
        with self.lock:
            view = self.views.get(name)
            if view is None:
                return
            view.errors = [str(p) for p in dict.fromkeys(problems)]
            view.state = "error"
            view.digest = None  # render again once it is fixed, even back to the same inputs
            self.publish("failed", view.as_json())


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No garbage collection while WeasyPrint lays out: its millions of short-lived objects
    set off collection after collection (a fifth of a warm render's time, measured)."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _collect() -> None:
    """Collect once the page has its PDF, off the path from a save to the new pages. (Not
    gc.freeze(): it hides objects from gc.get_referrers, which other code in a process, as
    Hypothesis in the tests, relies on.)"""
    gc.collect()


def _template_key(inputs: Inputs) -> str:
    """What the fonts of a render depend on: every file of its template, as the build's own
    inputs list them."""
    files = [part for part in inputs.parts if part[0] in ("template", "folder")]
    return sha256_hex(repr(files).encode())


def _outline(document: m.Briefing) -> list[dict[str, Any]]:
    return [
        {"level": h.level, "title": m.plain_text(h.children), "id": h.id} for h in document.headings
    ]


def _page_images(pdf: bytes) -> list[bytes]:
    """PNG images of the PDF's pages (writers/thumbnails.py: `brief build --thumbnails`)."""
    from briefwright.writers.thumbnails import page_images

    return page_images(pdf, width_px=PAGE_WIDTH_PX)
