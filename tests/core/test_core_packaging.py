"""Packaging: the wheel installs one import namespace, `lexres`, with loaders/augment/tasks inside it and the
data files the code reads at run time."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("setuptools")
    pytest.importorskip("build")
    src = tmp_path_factory.mktemp("src")
    # Build from a copy, so the test neither writes build/ into the work tree nor sees stray local files.
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")
    for pkg in ("lexres", "loaders", "augment", "tasks"):
        shutil.copytree(REPO / pkg, src / pkg, ignore=ignore)
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(src)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    wheels = list(out.glob("lexres-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_lexres_is_the_only_top_level_name(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
    assert top == {"lexres"}


def test_subpackages_and_data_files_are_inside_lexres(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "lexres/__init__.py",
        "lexres/cli/__init__.py",
        "lexres/loaders/__init__.py",
        "lexres/augment/__init__.py",
        "lexres/tasks/__init__.py",
        "lexres/schema/001_initial.sql",
        "lexres/data/usfm_books.tsv",
        "lexres/data/book_names.tsv",
        "lexres/data/cli_help.json",
        "lexres/loaders/data/versification/max_verses.tsv",
    ):
        assert required in names, required
    # every module and data file of the source tree made it into the wheel
    for pkg, inside in (
        ("loaders", "lexres/loaders"),
        ("augment", "lexres/augment"),
        ("tasks", "lexres/tasks"),
    ):
        for path in (REPO / pkg).rglob("*"):
            rel = path.relative_to(REPO / pkg)
            if any(part.startswith(".") for part in rel.parts):  # editors' temp files, not sources
                continue
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                assert f"{inside}/{path.relative_to(REPO / pkg).as_posix()}" in names, path


def test_console_script_is_declared(wheel):
    zf = zipfile.ZipFile(wheel)
    entry = next(n for n in zf.namelist() if n.endswith("entry_points.txt"))
    assert "lexres = lexres.cli:main" in zf.read(entry).decode()
