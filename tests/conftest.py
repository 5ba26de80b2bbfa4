from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import FEATURE_PROJECT, REPO, copy_project, run


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite golden files from the current output (review the diff before committing).",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def _built_copy(source: Path, factory: pytest.TempPathFactory, name: str) -> Path:
    project = copy_project(source, factory.mktemp(name))
    result = run(project, "build", "--format", "pdf", "--format", "docx", "--format", "html")
    assert result.exit_code == 0, result.output
    return project


@pytest.fixture(scope="session")
def example_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own example project, built once into a temporary copy."""
    return _built_copy(REPO, tmp_path_factory, "example")


@pytest.fixture(scope="session")
def feature_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The feature fixture (every Markdown construct), built once."""
    return _built_copy(FEATURE_PROJECT, tmp_path_factory, "features")


@pytest.fixture
def scratch_project(tmp_path: Path) -> Path:
    """A fresh copy of the feature project to break in a test."""
    return copy_project(FEATURE_PROJECT, tmp_path / "project")
