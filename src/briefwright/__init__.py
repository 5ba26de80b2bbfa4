"""briefwright: assemble briefing documents from Markdown sources and YAML briefings."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("briefwright")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
