"""Builds: plan, inputs and records, worker pool, atomic output, report.

The limits' defaults live here, light to import, for the command line and the pool alike."""

DEFAULT_TIMEOUT = 600.0  # seconds one briefing may take in a batch
DEFAULT_MEMORY_MB = 2048  # MiB a worker may grow beyond its loaded renderers
