"""Provenance (issue 18): what an output was made from, section by section.

`manifest.py` is the record and its JSON (the schema, versioned); `sections.py` turns what
assemble kept of each briefing item into the record's sections (content hash, lines, text);
`collect.py` puts a briefing's manifest together; `git.py` asks git for the commit; `compare.py`
says what changed between two manifests, with word diffs.
"""
