"""Shared fixtures. Tests that read the real data in ../shared/data use `shared_data` and skip with a
reason when it is absent (a fresh clone without it); the project's own fixtures live in tests/fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(os.environ.get("LEXRES_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Root of ../shared/data; skips the test when it is not there."""
    if not (SHARED / "README.md").exists():
        pytest.skip(
            f"real data not found at {SHARED} (set LEXRES_SHARED_DATA or place shared/ beside the repo)"
        )
    return SHARED


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def store_path(tmp_path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def store(store_path):
    from lexres.store import Store

    with Store.open(store_path) as s:
        yield s


class Cli:
    """Runs `lexres` in-process through the real entry point (exit codes and error lines included)."""

    def __init__(self, store_path: Path):
        self.store_path = store_path

    def __call__(self, *args: str, store: bool = True, input: str | None = None):
        from lexres.cli import main

        argv = (["--store", str(self.store_path)] if store else []) + [str(a) for a in args]
        runner = CliRunner()
        return runner.invoke(_Main(main), argv, input=input, catch_exceptions=False)


class _Main:
    """Adapter so CliRunner can call our `main` (which raises SystemExit with the code)."""

    def __init__(self, fn):
        self.fn = fn
        self.name = "lexres"

    def main(self, args=None, prog_name=None, **extra):
        self.fn(list(args or []))


@pytest.fixture
def cli(store_path) -> Cli:
    return Cli(store_path)
