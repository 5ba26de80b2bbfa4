"""briefwright: assemble briefing documents from Markdown sources and YAML briefings."""

# The one place the version is written (pyproject.toml reads it): looking it up through
# importlib.metadata cost 70 ms on every start.
__version__ = "0.1.0"
