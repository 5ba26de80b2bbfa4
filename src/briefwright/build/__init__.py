"""Builds: plan, inputs and records, worker pool, atomic output, report."""
