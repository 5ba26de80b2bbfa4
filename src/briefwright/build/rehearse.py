"""`brief check` renders each briefing's HTML, as a build would, and writes nothing.

Only rendering finds what a template does at run time: a syntax error in a file it includes
or extends, a variable it lacks, code the sandbox refuses, a file it may not read. So that
`brief check` fails on these as `brief build` does, each briefing that makes HTML or PDF (or
thumbnails, made from a PDF) is assembled and rendered to HTML here (tens of milliseconds; the
PDF layout is not done).
"""

from __future__ import annotations

from dataclasses import replace

from briefwright.build.plan import Plan, Rejected
from briefwright.errors import Reporter, SpecError, TemplateError
from briefwright.project import Project

HTML_FORMATS = {"html", "pdf"}


def rehearse(project: Project, plan: Plan) -> Plan:
    """`plan` with the briefings whose template fails to render moved to its rejected ones."""
    from briefwright.assemble import assemble
    from briefwright.writers.html import html_document

    kept = []
    rejected = list(plan.rejected)
    for briefing in plan.briefings:
        if not HTML_FORMATS & set(briefing.spec.formats) and not briefing.spec.thumbnails:
            kept.append(briefing)
            continue
        try:  # a cross-reference naming nothing fails the briefing alone (crossref.py)
            document = assemble(briefing, plan.sources.found, project, [])
            html_document(document, plan.templates[briefing.spec.template], Reporter())
        except (TemplateError, SpecError) as exc:
            rejected.append(Rejected(briefing.name, briefing.file, exc.problems))
            continue
        except Exception:  # nesting too deep, a bug: the build reports those as it renders
            pass
        kept.append(briefing)
    return replace(plan, briefings=tuple(kept), rejected=tuple(rejected))
