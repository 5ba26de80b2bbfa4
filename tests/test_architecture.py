"""The package is laid out as its pipeline, and docs/architecture.md says so truthfully."""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers import REPO

PACKAGE = REPO / "src" / "briefwright"
DOC = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name not in ("__init__.py", "__main__.py"))


def test_every_module_and_folder_is_described() -> None:
    for folder in sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()):
        assert f"**{folder.name}/**" in DOC, folder.name
    for module in _modules():
        assert f"`{module.name}`" in DOC or f"`{module.stem}`" in DOC, module


def test_what_the_document_names_exists() -> None:
    for name in re.findall(r"`([a-z_/]+\.py)`", DOC):
        assert list(PACKAGE.rglob(Path(name).name)), name
    for folder in re.findall(r"\*\*([a-z]+)/\*\*", DOC):
        assert (PACKAGE / folder).is_dir(), folder


def _imports(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return set(re.findall(r"^\s*(?:from|import) ([\w.]+)", text, flags=re.M))


def test_only_writers_import_the_renderers() -> None:
    for module in _modules():
        renderers = {i for i in _imports(module) if i.split(".")[0] in ("weasyprint", "docx")}
        if renderers:
            assert "writers" in module.relative_to(PACKAGE).parts, (module, renderers)


def test_readers_and_the_model_import_no_later_stage() -> None:
    later = ("briefwright.build", "briefwright.writers", "briefwright.cli", "briefwright.assemble")
    for folder in ("readers", "model"):
        for module in (PACKAGE / folder).rglob("*.py"):
            assert not [i for i in _imports(module) if i.startswith(later)], module
