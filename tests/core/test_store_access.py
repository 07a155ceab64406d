"""Store access: commands that only read open the store read-only (SQLite `mode=ro`) and never create one;
a missing, corrupt or read-only store is one error line with exit 2; `--store` works before or after the
subcommand; `remove` confirms, refuses to orphan derived resources and says what it deletes."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3

import pytest

from lexres.cli import hoist_store
from lexres.store import Store

READERS = [
    ["list"],
    ["show", "1"],
    ["langs"],
    ["lang", "swh"],
    ["export", "{tmp}/x.tsv", "--kind", "morph"],
    ["morph", "show", "swh", "kitabu"],
    ["morph", "stats", "swh"],
    ["lexicon", "translate", "swh", "eng", "nyumba"],
    ["lexicon", "coverage", "swh", "eng", "{tmp}/t.txt"],
    ["lexicon", "export", "swh", "eng", "{tmp}/x.tsv"],
    ["bible", "show", "swh", "JHN 3:16"],
    ["task", "inflection", "build", "--out", "{tmp}/task", "--lang", "swh"],
    ["augment", "eval-lexicon", "--src", "swh", "--tgt", "eng", "--lexicon", "1", "--gold", "1"],
]


def _error_line(r) -> str:
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert r.exit_code == 2 and len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    return lines[0]


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def seeded(cli, tmp_path):
    src = tmp_path / "swh.tsv"
    src.write_text("kitabu\tvitabu\tN;PL\nkitabu\tkitabu\tN;SG\n", encoding="utf-8")
    assert cli("import", "morph", src, "--lang", "swh").exit_code == 0
    (tmp_path / "t.txt").write_text("nyumba kubwa\n", encoding="utf-8")
    return cli


@pytest.mark.parametrize("command", READERS, ids=[" ".join(c[:2]) for c in READERS])
def test_read_only_commands_never_create_a_store(cli, tmp_path, command):
    (tmp_path / "t.txt").write_text("nyumba\n", encoding="utf-8")
    line = _error_line(cli(*[a.format(tmp=tmp_path) for a in command]))
    assert "no store here" in line and "hint:" in line
    assert not (tmp_path / "store.db").exists()
    assert not any(p.name.startswith("store.db") for p in tmp_path.iterdir())


def test_read_only_commands_leave_the_store_file_as_it_was(seeded, store_path, tmp_path):
    with Store.open(store_path) as s:  # checkpoint so the file holds everything
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = _digest(store_path)
    for command in (["list"], ["show", "1"], ["langs"], ["morph", "show", "swh", "kitabu"]):
        r = seeded(*command)
        assert r.exit_code == 0, r.stderr
    assert _digest(store_path) == before


def test_read_only_connection_cannot_write(seeded, store_path):
    with Store.open(store_path, readonly=True) as s:
        assert s.readonly and len(s.resources()) == 1
        with pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only"):
            s.conn.execute("DELETE FROM resources")


@pytest.mark.parametrize("argv,expected", [
    (["list", "--store", "a.db"], ["--store", "a.db", "list"]),
    (["morph", "show", "swh", "x", "--store=a.db"], ["--store=a.db", "morph", "show", "swh", "x"]),
    (["--store", "a.db", "list"], ["--store", "a.db", "list"]),
    (["lexicon", "coverage", "--", "--store"], ["lexicon", "coverage", "--", "--store"]),
])
def test_store_option_is_hoisted(argv, expected):
    assert hoist_store(argv) == expected


def test_store_option_after_the_subcommand(seeded, store_path):
    r = seeded("list", "--json", "--store", str(store_path), store=False)
    assert r.exit_code == 0, r.stderr
    assert [x["name"] for x in json.loads(r.stdout)] == ["swh.tsv"]
    r = seeded("morph", "show", "swh", "kitabu", "--store", str(store_path), store=False)
    assert r.exit_code == 0 and "vitabu" in r.stdout


@pytest.mark.parametrize("command", [["list"], ["export", "{tmp}/x.tsv", "--kind", "morph"],
                                     ["import", "morph", "{tmp}/swh.tsv", "--lang", "swh", "--name", "b"]])
def test_a_damaged_store_is_one_line_with_the_integrity_check(seeded, store_path, tmp_path, command):
    with Store.open(store_path) as s:
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(store_path.read_bytes())
    data[:16] = b"this is not sql\x00"  # the header: SQLite cannot read the file at all
    store_path.write_bytes(bytes(data))
    line = _error_line(seeded(*[a.format(tmp=tmp_path) for a in command]))
    assert str(store_path) in line and "integrity_check:" in line


def test_a_damaged_page_mid_query_is_one_line_with_the_integrity_check(cli, store_path, tmp_path):
    src = tmp_path / "big.tsv"
    src.write_text("".join(f"lemma{i}\tform{i}\tN;SG\n" for i in range(20000)), encoding="utf-8")
    assert cli("import", "morph", src, "--lang", "swh").exit_code == 0
    with Store.open(store_path) as s:
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = s.conn.execute("PRAGMA page_size").fetchone()[0]
        n = s.conn.execute("PRAGMA page_count").fetchone()[0]
    data = bytearray(store_path.read_bytes())
    for k in range(n // 4, 3 * n // 4):  # garbage over the middle half: pages of the entry table
        data[k * page:(k + 1) * page] = bytes([0xA5]) * page
    store_path.write_bytes(bytes(data))
    r = cli("export", tmp_path / "x.tsv", "--kind", "morph")
    line = _error_line(r)
    assert "damaged" in line and "integrity_check:" in line
    assert not (tmp_path / "x.tsv").exists()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root ignores file permissions, so a read-only store cannot be made")
def test_read_only_store_reads_and_refuses_writes(seeded, store_path, tmp_path):
    with Store.open(store_path) as s:
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    folder = store_path.parent
    for p in folder.iterdir():
        if p.name.startswith("store.db-"):
            p.unlink()
    os.chmod(store_path, 0o444)
    os.chmod(folder, 0o555)
    try:
        r = seeded("list", "--json")
        assert r.exit_code == 0 and json.loads(r.stdout)[0]["name"] == "swh.tsv", r.stderr
        line = _error_line(seeded("import", "morph", tmp_path / "t.txt", "--lang", "swh"))
        assert "read-only" in line
    finally:
        os.chmod(folder, 0o755)
        os.chmod(store_path, 0o644)


# -- remove ----------------------------------------------------------------------------------------------

@pytest.fixture
def with_pivot(cli, fixtures):
    lex = fixtures / "lexicon"
    assert cli("import", "lexicon", lex / "wol-fra.mini.tei").exit_code == 0
    assert cli("import", "lexicon", lex / "fr-en.mini").exit_code == 0
    r = cli("lexicon", "pivot", "wol", "fra", "eng", "--json")
    assert r.exit_code == 0, r.stderr
    return cli


def _ids(cli) -> list[int]:
    return [x["id"] for x in json.loads(cli("list", "--json").stdout)]


def test_remove_refuses_to_orphan_derived_resources(with_pivot):
    line = _error_line(with_pivot("remove", "1", "--yes"))
    assert "#3" in line and "--cascade" in line
    assert _ids(with_pivot) == [1, 2, 3]
    r = with_pivot("remove", "1", "--yes", "--cascade")
    assert r.exit_code == 0, r.stderr
    assert "removed #1" in r.stdout and "removed #3" in r.stdout
    assert _ids(with_pivot) == [2]


def test_remove_asks_first_unless_yes(with_pivot):
    line = _error_line(with_pivot("remove", "3"))  # the test's input is not a terminal
    assert "--yes" in line and _ids(with_pivot) == [1, 2, 3]
    r = with_pivot("remove", "3", "--yes")
    assert r.exit_code == 0 and "will remove #3" in r.stdout and _ids(with_pivot) == [1, 2]


class _NoWal:
    """A connection as SQLite gives it on a read-only folder: opening works, the first read fails because
    the -wal/-shm files cannot be made."""

    def execute(self, *a):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    def close(self):
        pass


def test_read_only_folder_falls_back_to_immutable(seeded, store_path, monkeypatch):
    import lexres.store.core as core

    real = sqlite3.connect

    def connect(target, *a, **k):
        if str(target).endswith("?mode=ro"):
            return _NoWal()
        return real(target, *a, **k)

    with Store.open(store_path) as s:
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    monkeypatch.setattr(core.sqlite3, "connect", connect)
    with Store.open(store_path, readonly=True) as s:  # immutable=1: the checkpointed file is all there is
        assert [r.name for r in s.resources()] == ["swh.tsv"]
    # changes still in the -wal file would be invisible: refused, not silently missing
    wal = store_path.with_name(store_path.name + "-wal")
    wal.write_bytes(b"\0" * 64)
    with pytest.raises(core.StoreError, match="-wal file holds changes"):
        Store.open(store_path, readonly=True)
    wal.unlink()


def test_replacing_a_derived_resource_keeps_its_id(with_pivot, fixtures, tmp_path):
    r = with_pivot("lexicon", "pivot", "wol", "fra", "eng", "--replace", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["status"] == "replaced", r.stderr
    assert json.loads(r.stdout)["resource_id"] == 3 and _ids(with_pivot) == [1, 2, 3]
    # a generated text recorded in the store keeps its id when the same output is made again
    lex = fixtures / "augment" / "eng-swh.tsv"
    assert with_pivot("import", "lexicon", lex, "--lang", "eng", "--target-lang", "swh").exit_code == 0
    ids = []
    for seed in ("1", "2"):
        r = with_pivot("augment", "pseudo-mono", "--src", "eng", "--tgt", "swh", "--input",
                       fixtures / "augment" / "eng.txt", "--output", tmp_path / "o.txt", "--seed", seed,
                       "--json")
        assert r.exit_code == 0, r.stderr
        ids.append(json.loads(r.stdout)["resource_id"])
    assert ids[0] == ids[1] and len(_ids(with_pivot)) == 5 and _ids(with_pivot)[-1] == ids[0]
