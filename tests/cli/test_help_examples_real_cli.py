"""The examples `--help` prints paste into a shell as printed: at the 80 columns of a pipe no command line is
broken except by a ` \\` continuation, no note spills onto a line without `#`; and the Irish lookup
examples answer on the real Irish UniMorph table (not `no analysis`)."""
from __future__ import annotations

import re
import shlex

import pytest

from lexres.cli.helptext import examples, is_leaf, walk
from lexres.importer import import_resource
from lexres.store import Store


@pytest.fixture(scope="module")
def irish(shared_data, tmp_path_factory):
    from tests.conftest import Cli

    path = tmp_path_factory.mktemp("irish") / "store.db"
    with Store.open(path) as store:
        import_resource(store, "morph", [shared_data / "unimorph" / "gle" / "gle"], lang="gle")
    return Cli(path)


def _irish_lookups():
    out = []
    for path in ("morph show", "morph analyze", "morph stats"):
        out += [pytest.param(ex.run, id=ex.run) for ex in examples()[path] if " gle " in f"{ex.run} "]
    return out


@pytest.mark.shared
@pytest.mark.parametrize("run", _irish_lookups())
def test_irish_lookup_examples_answer(irish, run):
    argv = shlex.split(run)
    assert argv[0] == "lexres"
    r = irish(*argv[1:])
    assert r.exit_code == 0, f"{run}: {r.stderr}"
    assert len(r.stdout.splitlines()) > 1


def _leaves() -> list[str]:
    from lexres.cli import command

    return sorted(" ".join(p) for p, chain in walk(command()) if is_leaf(chain[-1]) and p)


@pytest.mark.parametrize("path", _leaves())
def test_examples_paste_as_printed_at_80_columns(cli, monkeypatch, path):
    monkeypatch.setenv("COLUMNS", "80")
    r = cli(*path.split(), "--help", store=False)
    assert r.exit_code == 0, r.output
    lines = [line.strip() for line in r.stdout.split("Examples:", 1)[1].splitlines()]
    commands, previous = [], ""
    for line in lines:
        if line and not line.startswith("#"):
            assert line.startswith("lexres ") or previous.endswith(" \\"), f"broken line: {line!r}"
            if line.startswith("lexres "):
                commands.append(line)
            else:
                commands[-1] = commands[-1][:-2] + " " + line
        previous = line
    runs = [ex.run for ex in examples()[path]]
    assert [re.sub(r"\s+", " ", c.rstrip(" \\")) for c in commands] == runs
