"""Shared fixtures. Tests that read the real data in ../shared/data use `shared_data` and skip with a
reason when it is absent (a fresh clone without it); the project's own fixtures live in tests/fixtures."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner  # typer vendors click (>= 0.29) or depends on it; never import click here

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


@pytest.fixture(scope="session")
def cluster2():
    """One dask.distributed LocalCluster of two single-threaded worker processes for the whole session (a
    Client on it); skips the test without dask.distributed."""
    distributed = pytest.importorskip("dask.distributed")
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        memory_limit=0,
        silence_logs=40,
    )
    client = distributed.Client(cluster, set_as_default=False)
    yield client
    client.close()
    cluster.close()


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
        code = 0
        with runner.isolation(input=input) as streams:  # stdin/stdout/stderr captured, as the runner does
            try:
                main(argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
            out = streams[0].getvalue()
            err = streams[1].getvalue() if len(streams) > 1 and streams[1] is not None else b""
        return Result(code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))


@dataclass(frozen=True)
class Result:
    """What a CLI run printed and its exit code (the fields tests read from click's Result)."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def cli(store_path) -> Cli:
    return Cli(store_path)
