"""Briefing specs: the schema, its checks, and what a briefing refers to."""
