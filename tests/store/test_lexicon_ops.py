"""Pivoting, coverage, export round trips and the lexicon CLI, on the project's own fixtures."""
from __future__ import annotations

import json

import pytest

from lexres.augment.lexicon.pivot import compose, pivot
from lexres.errors import NotFoundError
from lexres.export.lexicon import export_pairs
from lexres.importer import import_resource
from lexres.store.lexicon import coverage, dictionary, tokens


@pytest.fixture
def lex(fixtures):
    return fixtures / "lexicon"


def _pairs(store, rid):
    return {(r[0], r[1]) for r in store.query("SELECT src_word, tgt_word FROM lexicon WHERE resource_id = ?",
                                              (rid,))}


def test_compose_scores():
    ab = {"nit": [("personne", 1.0), ("être humain", 1.0)], "x": [("nothing", 1.0)]}
    bc = {"personne": [("person", 1.0)], "être humain": [("human being", 1.0), ("human", 1.0)]}
    got = {(a, c): s for a, c, s, _ in compose(ab, bc)}
    assert got == {("nit", "person"): 0.5, ("nit", "human being"): 0.25, ("nit", "human"): 0.25}
    assert {(a, c) for a, c, _, _ in compose(ab, bc, min_score=0.3)} == {("nit", "person")}


def test_pivot_stores_derived_resource(store, lex):
    wf = import_resource(store, "lexicon", [lex / "wol-fra.mini.tei"])
    fe = import_resource(store, "lexicon", [lex / "fr-en.mini"])
    res = pivot(store, "wol", "fra", "eng")
    assert res.status == "imported" and res.derived_from == (wf.resource_id, fe.resource_id)
    stored = store.resource(res.resource_id)
    assert stored.derived_from == [wf.resource_id, fe.resource_id] and stored.format == "pivot"
    assert (stored.lang, stored.target_lang) == ("wol", "eng") and len(stored.sha256) == 64
    rows = {(r[0], r[1]): (r[2], r[3]) for r in store.query(
        "SELECT src_word, tgt_word, weight, gloss FROM lexicon WHERE resource_id = ?", (res.resource_id,))}
    assert rows[("ndox", "water")][0] == 1.0
    assert rows[("nit", "person")] == (0.5, "via personne")
    assert rows[("neex", "please")][0] == pytest.approx(0.25)  # agréable has no English; plaire -> 2 words
    assert pivot(store, "wol", "fra", "eng").status == "unchanged"
    assert pivot(store, "wol", "fra", "eng", replace=True).status == "replaced"
    # the derived lexicon answers lookups when named; by default only imported lexicons are used
    assert dictionary(store, "wol", "eng", resources=[res.resource_id])["nit"][0] == ("person", 0.5)
    assert dictionary(store, "wol", "eng") == {}


def test_pivot_needs_both_sides(store, lex):
    import_resource(store, "lexicon", [lex / "wol-fra.mini.tei"])
    with pytest.raises(NotFoundError):
        pivot(store, "wol", "fra", "eng")


def test_coverage_counts(store, lex):
    import_resource(store, "lexicon", [lex / "sw-en.sample"])
    text = (lex / "swa.text.txt").read_text(encoding="utf-8").splitlines()
    exact = coverage(store, "swh", "eng", text)
    # Kazi ya nyumba ni kazi / Asante sana rafiki / nyumba nyumba ule
    assert (exact.tokens, exact.tokens_covered, exact.types, exact.types_covered) == (11, 5, 9, 3)
    folded = coverage(store, "swh", "eng", text, fold_case=True)
    assert (folded.tokens, folded.tokens_covered, folded.types, folded.types_covered) == (11, 7, 8, 2)
    assert folded.phrases_matched == 1 and folded.token_share == pytest.approx(7 / 11)
    assert ("ule", 1) in folded.top_missing


def test_tokens_keep_modifier_letter_apostrophe():
    assert tokens("aʼáád yiʼáád, l'eau") == ["aʼáád", "yiʼáád", "l'eau"]


def test_muse_export_round_trip(store, lex, tmp_path):
    import_resource(store, "lexicon", [lex / "sw-en.sample"])
    import_resource(store, "lexicon", [lex / "en-sw.dict"])
    out = tmp_path / "out.tsv"
    n = export_pairs(store, "swa", "eng", out)
    manifest = json.loads((tmp_path / "out.tsv.manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["pairs"] == n and len(manifest["inputs"]) == 2
    res = import_resource(store, "lexicon", [out], lang="swa", target_lang="eng")
    before = {(s, t) for s, ts in dictionary(store, "swa", "eng", resources=[1, 2]).items() for t, _ in ts}
    assert _pairs(store, res.resource_id) == before and res.entries == n
    assert ("asante sana", "thank you very much") in before and ("maji", "water") in before


def test_parquet_export(store, lex, tmp_path):
    import pyarrow.parquet as pq

    import_resource(store, "lexicon", [lex / "sw-en.sample"])
    out = tmp_path / "swa-eng.parquet"
    n = export_pairs(store, "swh", "eng", out, to="parquet")
    table = pq.read_table(out).to_pylist()
    assert len(table) == n
    assert {(r["src_word"], r["tgt_word"]) for r in table} == _pairs(store, 1)


# -- CLI ------------------------------------------------------------------------------------------------

def test_cli_translate_word(cli, lex):
    assert cli("import", "lexicon", lex / "sw-en.sample").exit_code == 0
    r = cli("lexicon", "translate", "swh", "eng", "nyumba", "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert {t["word"] for t in data["translations"]} == {"house", "home"}
    assert data["translations"][0]["sources"][0]["name"] == "sw-en.sample"
    # swh served by a lexicon filed under its macrolanguage swa: said as a field (was `via_macrolanguage`)
    assert [(f["filed"], f["relation"]) for f in data["found_under"]] == [("swa", "macrolanguage")]
    assert data["found_under"][0]["note"] == "swh: found under swa (the macrolanguage of swh)"
    r = cli("lexicon", "translate", "swh", "eng", "nyumba")
    # in a pipe the note leaves stdout to the TSV
    assert "house" in r.stdout and r.stderr.strip() == "swh: found under swa (the macrolanguage of swh)"
    assert r.stdout.splitlines()[0] == "translation\tweight\tpos\tsources"
    assert cli("lexicon", "translate", "swh", "eng", "haipo").exit_code == 1


def test_cli_pivot_coverage_export(cli, lex, tmp_path):
    cli("import", "lexicon", lex / "wol-fra.mini.tei")
    cli("import", "lexicon", lex / "fr-en.mini")
    r = cli("lexicon", "pivot", "wol", "fra", "eng", "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["status"] == "imported"
    text = tmp_path / "wol.txt"
    text.write_text("Ndox ak nit\n", encoding="utf-8")
    r = cli("lexicon", "coverage", "wol", "eng", text, "--json")  # the pivot is derived: not by default
    assert json.loads(r.stdout)["tokens_covered"] == 0
    r = cli("lexicon", "coverage", "wol", "eng", text, "--json", "--include-derived")
    cov = json.loads(r.stdout)
    assert (cov["tokens"], cov["tokens_covered"]) == (3, 2)
    r = cli("lexicon", "coverage", "wol", "eng", text, "--exact-case", "--json", "--include-derived")
    assert json.loads(r.stdout)["tokens_covered"] == 1
    out = tmp_path / "wol-eng.tsv"
    r = cli("lexicon", "export", "wol", "eng", out, "--include-derived")
    assert r.exit_code == 0 and out.exists() and "ndox\twater" in out.read_text(encoding="utf-8")
    lexicons = json.loads(out.with_name(out.name + ".manifest.json").read_text())["lexicons"]
    assert [x["kind"] for x in lexicons] == ["derived"]


def test_cli_errors_exit_2(cli, lex, tmp_path):
    r = cli("lexicon", "pivot", "wol", "fra", "eng")
    assert r.exit_code == 2 and "lexres: error:" in r.stderr and "Traceback" not in r.stderr
    r = cli("import", "lexicon", lex / "bad-columns.tsv", "--lang", "swa", "--target-lang", "eng")
    assert r.exit_code == 2 and "bad-columns.tsv:2:" in r.stderr
    rj = tmp_path / "rj.tsv"
    r = cli("import", "lexicon", lex / "bad-columns.tsv", "--lang", "swa", "--target-lang", "eng",
            "--on-error", "skip", "--rejects", rj)
    assert r.exit_code == 0 and rj.exists() and "rejected 1" in r.stdout
    r = cli("import", "lexicon", lex / "glossary.csv", "--lang", "swa", "--target-lang", "eng",
            "--format", "table", "-o", "columns=src=headword,tgt=nosuch")
    assert r.exit_code == 2 and "nosuch" in r.stderr


def test_demo_sample_imports_without_flags(cli, tmp_path):
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "examples" / "sample" / "eng-swh.tsv"
    if not sample.exists():
        pytest.skip("examples/sample/eng-swh.tsv not in this checkout")
    lines = [ln.split("\t") for ln in sample.read_text(encoding="utf-8").splitlines() if ln.strip()]
    r = cli("import", "lexicon", sample, "--json")
    assert r.exit_code == 0, r.stderr
    res = json.loads(r.stdout)
    assert (res["lang"], res["target_lang"], res["n_read"]) == ("eng", "swh", len(lines))
    several = {a for a, _ in lines if sum(1 for x, _ in lines if x == a) > 1}
    word = sorted(several)[0]
    out = json.loads(cli("lexicon", "translate", "eng", "swh", word, "--json").stdout)
    assert {t["word"] for t in out["translations"]} == {b for a, b in lines if a == word}
    phrase = next(a for a, _ in lines if " " in a)
    out = json.loads(cli("lexicon", "translate", "eng", "swh", phrase, "--json").stdout)
    assert out["translations"]
