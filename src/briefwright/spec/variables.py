"""A briefing's variables: its layers of values, where it uses which, and the values put in.

The readers leave each `{{< var key >}}` in the model as a `VarRef` with its line (markdown.py);
titles written in YAML keep theirs as text. What a briefing includes decides what it uses:
`variable_uses` walks exactly that, for the plan's checks (an undefined variable rejects the
briefing, at its line, with the closest names) and for the inputs of its outputs (a value is an
input only of the outputs that use it); assemble then puts the values in with `insert_values`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from briefwright import model as m
from briefwright.errors import Problem
from briefwright.links import map_inlines
from briefwright.variables import Layer, Variables, pieces, use_problem

if TYPE_CHECKING:
    from briefwright.readers.yamlfile import YamlDocument
    from briefwright.spec.briefing import LoadedBriefing
    from briefwright.spec.schema import BriefingSpec

TITLE_KEYS = ("title", "subtitle", "short_title")


class Use(NamedTuple):
    key: str
    file: Path
    line: int | None


def title_runs(text: str, line: int | None) -> tuple[m.Inline, ...]:
    """A title written as YAML text (a briefing item's, a source's) as runs, with its
    variables as VarRefs (line 0: unknown)."""
    return tuple(
        m.Text(p.text) if p.key is None else m.VarRef(p.key, line or 0) for p in pieces(text)
    )


def variable_uses(briefing: LoadedBriefing, sources: Mapping[str, m.Source]) -> list[Use]:
    """Every variable the briefing's document uses, where: its titles, its text items, and the
    sections it includes (with the footnotes they call), in order."""
    uses: list[Use] = []
    doc, file = briefing.doc, briefing.file
    for key in TITLE_KEYS:
        text = getattr(briefing.spec, key)
        if text:
            uses += [Use(k, file, doc.line_of((key,))) for k in _keys(title_runs(text, 0))]
    for index, item in enumerate(briefing.spec.sections):
        if item.title:
            line = doc.line_of(("sections", index, "title"))
            uses += [Use(k, file, line) for k in _keys(title_runs(item.title, 0))]
        text = briefing.texts[index] if index < len(briefing.texts) else None
        if text is not None:
            notes = dict(text.footnotes)
            uses += [Use(k, file, line) for k, line in _refs(text.blocks, notes)]
        elif item.from_ is not None and item.source_id in sources:
            source = sources[item.source_id]
            blocks = included_blocks(source, item.section_id, item.subsections, bool(item.title))
            refs = _refs(blocks, dict(source.footnotes))
            uses += [Use(k, source.path, line or None) for k, line in refs]
            if item.section_id is None and not item.title:
                keys = _keys(title_runs(source.title, 0))
                uses += [Use(k, source.path, _title_line(source)) for k in keys]
    return list(dict.fromkeys(uses))


def _title_line(source: m.Source) -> int | None:
    """The line of a source's title: its `# Title` heading's, else its front matter's."""
    heading = source.title_heading
    if heading is not None and heading < len(source.block_lines):
        return source.block_lines[heading]
    return 2 if "title" in source.meta else None


def included_blocks(
    source: m.Source, section_id: str | None, subsections: bool, retitled: bool
) -> tuple[m.Block, ...]:
    """The blocks of `source` a `from` item shows (its first heading not, when retitled)."""
    section = source.section(section_id) if section_id else None
    if section is None:
        return tuple(b for i, b in enumerate(source.blocks) if i != source.title_heading)
    end = section.end if subsections else section.own_end
    start = section.start + 1 if retitled else section.start
    return source.blocks[start:end]


def _keys(runs: tuple[m.Inline, ...]) -> list[str]:
    return [run.key for run in m.iter_inlines(runs) if isinstance(run, m.VarRef)]


def _refs(
    blocks: tuple[m.Block, ...], notes: Mapping[str, tuple[m.Block, ...]]
) -> list[tuple[str, int]]:
    """(key, line) of every VarRef in `blocks` and in the notes they call, at any depth."""
    found: list[tuple[str, int]] = []
    seen: set[str] = set()
    pending = [blocks]
    while pending:
        current = pending.pop(0)
        for runs in _runs(current):
            found += [(r.key, r.line) for r in m.iter_inlines(runs) if isinstance(r, m.VarRef)]
        for call in m.footnote_calls(current):
            if call.key not in seen and call.key in notes:
                seen.add(call.key)
                pending.append(notes[call.key])
    return found


def _runs(blocks: tuple[m.Block, ...]) -> Iterator[tuple[m.Inline, ...]]:
    for block in blocks:
        yield from m.inline_children(block)


def variable_problems(briefing: LoadedBriefing, sources: Mapping[str, m.Source]) -> list[Problem]:
    """An error at each use of a variable that is not defined (or cannot be inserted)."""
    problems: list[Problem] = []
    for use in variable_uses(briefing, sources):
        message = use_problem(use.key, briefing.variables)
        if message is not None:
            problems.append(Problem(message, use.file, use.line))
    return problems


def insert_values(block: m.Block, variables: Variables) -> m.Block:
    """`block` with each VarRef replaced by its value as literal text."""
    return map_inlines(block, lambda runs: inserted(runs, variables))


def inserted(runs: tuple[m.Inline, ...], variables: Variables) -> tuple[m.Inline, ...]:
    out: list[m.Inline] = []
    for run in runs:
        if isinstance(run, m.VarRef):
            var = variables.get(run.key)
            out.append(m.Text(var.text if var is not None and var.text is not None else ""))
        elif isinstance(run, m.Strong | m.Emphasis | m.Strikethrough | m.Link):
            out.append(replace(run, children=inserted(run.children, variables)))
        elif isinstance(run, m.Span):
            out.append(replace(run, inlines=inserted(run.inlines, variables)))
        else:
            out.append(run)
    return tuple(_joined(out))


def _joined(runs: list[m.Inline]) -> list[m.Inline]:
    """Adjacent texts as one (as the reader makes them)."""
    joined: list[m.Inline] = []
    for run in runs:
        if isinstance(run, m.Text) and joined and isinstance(joined[-1], m.Text):
            joined[-1] = m.Text(joined[-1].text + run.text)
        else:
            joined.append(run)
    return joined


def briefing_layer(values: Mapping[str, object], doc: YamlDocument) -> Layer:
    """The briefing's `vars:` as a layer, each key with its line."""
    from briefwright.variables import flatten

    lines = {key: doc.line_of(("vars", *key.split("."))) for key in flatten(values)}
    return Layer("briefing", values, doc.file, lines)


def variant_layer(spec: BriefingSpec, doc: YamlDocument, variant: str) -> Layer:
    """The `vars:` of the briefing's variant `variant`, each key with its line."""
    from briefwright.variables import flatten

    values = spec.variants[variant].vars
    where = ("variants", variant, "vars")
    lines = {key: doc.line_of((*where, *key.split("."))) for key in flatten(values)}
    return Layer("variant", values, doc.file, lines)
