"""Test helpers shared by the core tests: records fed straight to the importer."""

from __future__ import annotations

from pathlib import Path

from lexres.records import LexiconPair, MorphEntry, Reject


def write_lines(path: Path, n: int, tag: str = "x") -> Path:
    path.write_text("".join(f"{tag}{i}\t{tag}{i}s\tN;PL\n" for i in range(n)), encoding="utf-8")
    return path


def morph_records(n: int, tag: str = "x", bad_at: set[int] = frozenset()):
    for i in range(n):
        if i in bad_at:
            yield Reject(i + 1, "wrong number of fields", f"{tag}{i}")
        else:
            yield MorphEntry(f"{tag}{i}", f"{tag}{i}s", ("N", "PL"), ("N", "PL"), line=i + 1)


def lexicon_records(pairs):
    for i, (s, t) in enumerate(pairs, 1):
        yield LexiconPair(s, t, line=i)


def dump(store) -> dict:
    """Every row of every table, to compare a store before and after."""
    out = {}
    for (table,) in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        out[table] = sorted(map(tuple, store.conn.execute(f"SELECT * FROM {table}")), key=repr)
    return out
