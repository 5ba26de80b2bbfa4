"""Readers: bytes on disk -> text, YAML with lines, Markdown tokens, sources, images."""
