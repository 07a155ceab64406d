"""N-way verse alignment (lexres.store.multialign) and its writer: merged verses, versification, coverage,
agreement with the pairwise alignment, and set arithmetic on real Bibles from ../shared/data."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from lexres.export.multialign import columns, write_multialign
from lexres.importer import import_resource
from lexres.store.bible import align, verses
from lexres.store.multialign import bibles_of, multialign
from lexres.versification import org_keys


def add(store, tmp_path, name, lang, rows, scheme=None) -> int:
    """A vline Bible from (reference, text) rows; '' = missing, '<range>' = merged into the verse before."""
    text, vref = tmp_path / f"{name}.txt", tmp_path / f"{name}.vref"
    text.write_text("".join(t + "\n" for _, t in rows), encoding="utf-8")
    vref.write_text("".join(r + "\n" for r, _ in rows), encoding="utf-8")
    opts = {"vref": str(vref), **({"versification": scheme} if scheme else {})}
    return import_resource(store, "bible", [text], lang=lang, format="vline", options=opts).resource_id


def test_merged_verses_missing_verses_and_versification(store, tmp_path):
    a = add(
        store,
        tmp_path,
        "a",
        "eng",
        [
            ("MAL 4:1", "a19"),
            ("JHN 1:1", "a1"),
            ("JHN 1:2", "a2-3"),
            ("JHN 1:3", "<range>"),
            ("JHN 1:4", "a4"),
        ],
    )
    b = add(
        store,
        tmp_path,
        "b",
        "heb",
        [("MAL 3:19", "b19"), ("JHN 1:1", "b1"), ("JHN 1:2", "b2"), ("JHN 1:3", "b3"), ("JHN 1:4", "")],
        scheme="org",
    )
    c = add(
        store,
        tmp_path,
        "c",
        "fra",
        [("JHN 1:1", "c1"), ("JHN 1:2", "c2"), ("JHN 1:3", ""), ("JHN 1:4", "c4")],
    )
    m = multialign(store, [a, b, c])
    assert [r.org_ref for r in m.rows] == ["MAL 3:19", "JHN 1:1", "JHN 1:2-3", "JHN 1:4"]
    assert m.rows[0].refs == ("MAL 4:1", "MAL 3:19", None)  # each translation's own numbering
    assert m.rows[2].texts == ("a2-3", "b2 b3", None)  # c lacks 1:3: its 1:2 covers only part of the row
    assert m.rows[3].texts == ("a4", None, "c4")
    assert m.complete == 1
    cov = {c.lang: c for c in m.coverage}
    assert (cov["eng"].rows, cov["eng"].verses, cov["eng"].ranges, cov["eng"].partial) == (4, 4, 1, 0)
    assert (cov["fra"].rows, cov["fra"].partial) == (2, 1)
    assert cov["heb"].share == 3 / 4 and cov["heb"].scheme == "org"
    # two translations: the rows both fill are exactly the pairwise alignment
    ab = multialign(store, [a, b])
    both = [(r.refs[0], r.refs[1], r.org_ref) for r in ab.rows if None not in r.refs]
    assert both == [p[:3] for p in align(store, a, b).pairs]


def test_writer_tsv_and_parquet(store, tmp_path):
    a = add(store, tmp_path, "a", "eng", [("JHN 1:1", "a\t1"), ("JHN 1:2", "")])
    b = add(store, tmp_path, "b", "swh", [("JHN 1:1", "b1"), ("JHN 1:2", "b2")])
    m = multialign(store, [a, b])
    out = write_multialign(m, tmp_path / "m.tsv")
    rows = list(csv.reader(out.open(encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows == [
        columns(m),
        ["JHN 1:1", "a 1", "b1", "JHN 1:1", "JHN 1:1"],
        ["JHN 1:2", "", "b2", "", "JHN 1:2"],
    ]
    assert rows[0] == ["org_ref", "eng", "swh", "eng:ref", "swh:ref"]
    man = json.loads((tmp_path / "m.tsv.manifest.json").read_text(encoding="utf-8"))
    assert man["counts"]["rows"] == 2 and set(man["inputs"]) == {f"bible#{a}", f"bible#{b}"}
    pq = pytest.importorskip("pyarrow.parquet")
    table = pq.read_table(write_multialign(m, tmp_path / "m.parquet", "parquet")).to_pydict()
    assert table["eng"] == ["a 1", None] and table["swh:ref"] == ["JHN 1:1", "JHN 1:2"]


def test_one_translation_is_refused(store, tmp_path):
    from lexres.errors import OptionError

    a = add(store, tmp_path, "a", "eng", [("JHN 1:1", "a1")])
    with pytest.raises(OptionError):
        multialign(store, [a])
    with pytest.raises(OptionError):
        multialign(store, [a, a])


def test_real_bibles_match_set_arithmetic(store, shared_data):
    ces = shared_data / "bible" / "christos-c" / "bibles"
    vref = shared_data / "bible" / "clear-bible-vref" / "data" / "vref" / "org_nt_vref.txt"
    eng = shared_data / "bible" / "clear-bible-vref" / "data" / "legacy" / "vline" / "eng" / "eng_nt_BSB.txt"
    ids = [
        import_resource(store, "bible", [ces / f], format="ces").resource_id
        for f in ("Swahili-NT.xml", "Zulu-NT.xml", "Gaelic-PART.xml")
    ]
    ids.append(
        import_resource(
            store,
            "bible",
            [eng],
            lang="eng",
            format="vline",
            options={"vref": str(vref), "versification": "org"},
        ).resource_id
    )
    keysets = []
    for rid in ids:
        res = store.resource(rid)
        units = [
            org_keys(res.scheme or "eng", v.book, v.chapter, v.verse, v.verse_end) for v in verses(store, res)
        ]
        assert all(len(k) == 1 for k in units)  # no merged verses: every row is one org verse
        keysets.append({k[0] for k in units})
    m = multialign(store, ids)
    assert len(m.rows) == len(set.union(*keysets))
    assert m.complete == len(set.intersection(*keysets))
    for cov, keys in zip(m.coverage, keysets, strict=True):
        assert cov.rows == len(keys) and cov.partial == 0
    gla = m.coverage[2]
    assert gla.lang == "gla" and 0 < gla.share < 0.1  # Mark only
    by_ref = {r.org_ref: r for r in m.rows}
    assert by_ref["MRK 1:1"].refs == ("MRK 1:1",) * 4
    assert [x is not None for x in by_ref["JHN 3:16"].texts] == [True, True, False, True]
    # bibles_of: `all` is the largest Bible of every language, by code
    assert [r.lang for r in bibles_of(store, "all")] == ["eng", "gla", "swh", "zul"]
    assert [r.id for r in bibles_of(store, f"zul,{ids[0]}")] == [ids[1], ids[0]]


def test_cli_align_many(cli, store_path, tmp_path):
    from lexres.store import Store

    with Store(store_path) as store:
        add(store, tmp_path, "a", "eng", [("JHN 1:1", "a1"), ("JHN 1:2", "a2")])
        add(store, tmp_path, "b", "swh", [("JHN 1:1", "b1")])
    from typer.testing import CliRunner

    from lexres.cli import batch
    from lexres.cli.common import STATE

    STATE["store"] = store_path
    try:
        r = CliRunner().invoke(
            batch.app, ["align-many", "--bibles", "all", "--out", str(tmp_path / "x.tsv"), "--json"]
        )
    finally:
        STATE["store"] = None
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert (data["rows"], data["complete"]) == (2, 1)
    assert [c["share"] for c in data["coverage"]] == [1.0, 0.5]
    assert (
        Path(tmp_path / "x.tsv").read_text(encoding="utf-8").splitlines()[0]
        == "org_ref\teng\tswh\teng:ref\tswh:ref"
    )


def test_verse_lookup_reads_only_the_chapters_that_can_hold_the_verse(store, tmp_path):
    from lexres.export.bible import lookup

    heb = add(
        store,
        tmp_path,
        "h",
        "heb",
        [("MAL 3:18", "h18"), ("MAL 3:19", "h19"), ("MAL 4:1", "x")],
        scheme="org",
    )
    eng = add(
        store,
        tmp_path,
        "e",
        "eng",
        [("MAL 3:18", "e18"), ("MAL 4:1", "e4.1"), ("MAL 4:2", "e4.2-3"), ("MAL 4:3", "<range>")],
    )
    assert [v.text for v in lookup(store, store.resource(heb), "MAL 4:1")] == ["h19"]  # eng 4:1 = org 3:19
    assert [v.text for v in lookup(store, store.resource(heb), "MAL 3:19", scheme="org")] == ["h19"]
    assert [v.ref for v in lookup(store, store.resource(eng), "MAL 3:19", scheme="org")] == ["MAL 4:1"]
    assert [v.ref for v in lookup(store, store.resource(eng), "MAL 4:3")] == ["MAL 4:2-3"]
