"""Derived data never leaks into defaults: lexicon consumers use imported lexicons unless a derived one
(pivot, induced, anything with parents) is named or --include-derived is given; every manifest lists the
lexicons used with their kind. Line-aligned pseudo-mono output keeps one output line per input line."""

from __future__ import annotations

import json

import pytest

from lexres.augment.derived import set_derived_from
from lexres.importer import import_resource
from lexres.records import LexiconPair
from lexres.store import Store

# Pairs an induced lexicon might hold: they cover words the imported lexicon does not, so any leak into a
# default run changes the replaced share.
INDUCED = [("the", "ya"), ("is", "ni"), ("my", "yangu"), ("to", "kwa"), ("has", "ana"), ("a", "moja"),
           ("dog", "jibwa"), ("line", "mstari"), ("last", "mwisho")]


def _mono(cli, src, out, *extra) -> dict:
    r = cli("augment", "pseudo-mono", "--src", "eng", "--tgt", "swh", "--input", src, "--output", out,
            "--json", "--no-record", "--choice", "weighted", "--min-replaced", "0", *extra)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture
def stores(cli, fixtures, store_path, tmp_path):
    lex = fixtures / "augment" / "eng-swh.tsv"
    r = cli("import", "lexicon", lex, "--lang", "eng", "--target-lang", "swh")
    assert r.exit_code == 0, r.stderr
    return cli


def _add_induced(store_path, tmp_path) -> int:
    tsv = tmp_path / "eng-swh.induced.tsv"
    tsv.write_text("".join(f"{a}\t{b}\t0.5\n" for a, b in INDUCED), encoding="utf-8")
    with Store.open(store_path) as store:
        res = import_resource(store, "lexicon", [tsv], lang="eng", target_lang="swh", format="induced-ibm1",
                              name=tsv.name,
                              records=[LexiconPair(a, b, weight=0.5, line=i)
                                       for i, (a, b) in enumerate(INDUCED, 1)])
        set_derived_from(store, res.resource_id, [1])
        return res.resource_id


def test_default_pseudo_mono_is_unchanged_by_an_induced_lexicon(stores, fixtures, store_path, tmp_path):
    src = fixtures / "augment" / "eng.txt"
    before = _mono(stores, src, tmp_path / "a.txt")
    rid = _add_induced(store_path, tmp_path)
    after = _mono(stores, src, tmp_path / "b.txt")
    assert after["counts"]["replaced_share"] == before["counts"]["replaced_share"] > 0
    assert (tmp_path / "a.txt").read_bytes() == (tmp_path / "b.txt").read_bytes()
    manifest = json.loads((tmp_path / "b.txt.manifest.json").read_text())
    assert manifest["lexicons"] == [{"id": 1, "kind": "imported", "format": manifest["lexicons"][0]["format"],
                                     "name": "eng-swh.tsv"}]
    # asked for: --include-derived, or the induced lexicon named
    wide = _mono(stores, src, tmp_path / "c.txt", "--include-derived")
    assert wide["counts"]["replaced_share"] > before["counts"]["replaced_share"]
    used = json.loads((tmp_path / "c.txt.manifest.json").read_text())["lexicons"]
    kinds = {x["id"]: x["kind"] for x in used}
    assert kinds == {1: "imported", rid: "derived"}
    named = _mono(stores, src, tmp_path / "d.txt", "--lexicon", str(rid))
    assert named["lexicons"] == [rid]
    assert "jibwa" in (tmp_path / "d.txt").read_text(encoding="utf-8")


def test_only_derived_lexicons_is_an_error_naming_them(cli, fixtures, store_path, tmp_path):
    cli("import", "lexicon", fixtures / "augment" / "am-en.tsv", "--lang", "amh", "--target-lang", "eng")
    rid = _add_induced(store_path, tmp_path)
    r = cli("augment", "pseudo-mono", "--src", "eng", "--tgt", "swh", "--input",
            fixtures / "augment" / "eng.txt", "--output", tmp_path / "o.txt", "--no-record")
    assert r.exit_code == 2 and f"#{rid}" in r.stderr and "--include-derived" in r.stderr
    assert not (tmp_path / "o.txt").exists()


def test_lexicon_commands_use_imported_lexicons_by_default(stores, store_path, tmp_path):
    _add_induced(store_path, tmp_path)
    r = stores("lexicon", "translate", "eng", "swh", "dog", "--json")
    assert {t["word"] for t in json.loads(r.stdout)["translations"]} == {"mbwa"}
    r = stores("lexicon", "translate", "eng", "swh", "dog", "--json", "--include-derived")
    assert {t["word"] for t in json.loads(r.stdout)["translations"]} == {"mbwa", "jibwa"}
    out = tmp_path / "x.tsv"
    assert stores("lexicon", "export", "eng", "swh", out).exit_code == 0
    assert "jibwa" not in out.read_text(encoding="utf-8")
    assert [x["kind"] for x in json.loads(out.with_name("x.tsv.manifest.json").read_text())["lexicons"]] == [
        "imported"]


# -- line alignment ----------------------------------------------------------------------------------------

def test_keep_alignment_writes_one_line_per_input_line(stores, fixtures, tmp_path):
    src = tmp_path / "eng.txt"
    src.write_bytes((fixtures / "augment" / "eng.txt").read_bytes())
    n_in = len(src.read_bytes().split(b"\n"))
    # no vref beside it: filtered lines are left out, and listed
    plain = _mono(stores, src, tmp_path / "plain.txt", "--min-replaced", "1")
    listed = json.loads((tmp_path / "plain.txt.manifest.json").read_text())["filtered_lines"]
    assert listed and len((tmp_path / "plain.txt").read_bytes().split(b"\n")) == n_in - len(listed)
    assert plain["counts"]["sentences_out"] == plain["counts"]["sentences_in"] - len(listed)
    # a vref.txt beside the input turns alignment on by default
    (tmp_path / "vref.txt").write_text("GEN 1:1\n", encoding="utf-8")
    _mono(stores, src, tmp_path / "kept.txt", "--min-replaced", "1")
    manifest = json.loads((tmp_path / "kept.txt.manifest.json").read_text())
    assert manifest["params"]["keep_alignment"] is True and manifest["filtered_lines"] == listed
    got = (tmp_path / "kept.txt").read_bytes().split(b"\n")
    assert len(got) == n_in
    src_lines = src.read_bytes().split(b"\n")
    for k in listed:
        assert got[k - 1] in (b"", b"\r")  # an empty line, its CRLF kept
    # a kept line is the translation of the same input line
    kept = [k for k in range(1, n_in + 1) if k not in listed and src_lines[k - 1].strip()]
    assert all(got[k - 1].strip() for k in kept)
    # --no-keep-alignment overrides the default
    _mono(stores, src, tmp_path / "off.txt", "--min-replaced", "1", "--no-keep-alignment")
    assert (tmp_path / "off.txt").read_bytes() == (tmp_path / "plain.txt").read_bytes()


def test_keep_alignment_on_the_token_path(stores, fixtures, tmp_path):
    src = tmp_path / "tagged.txt"
    src.write_text("the dog|N;SG runs\nnothing here\nbig house|N;SG\n", encoding="utf-8")
    _mono(stores, src, tmp_path / "t.txt", "--tagged", "--keep-alignment", "--min-replaced", "1")
    lines = (tmp_path / "t.txt").read_text(encoding="utf-8").split("\n")
    assert len(lines) == 4 and lines[1] == "" and lines[0] and lines[2]
    assert json.loads((tmp_path / "t.txt.manifest.json").read_text())["filtered_lines"] == [2]
