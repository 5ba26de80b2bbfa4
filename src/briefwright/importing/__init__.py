"""`brief import`: documents people have (web pages, plain-text exports, Word, PDF, Markdown)
turned into clean sources. One reader per kind turns bytes into an `Imported` (Markdown and
what was found about the document); the rest (clutter rules, front matter, writing) is shared."""
