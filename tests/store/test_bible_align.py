"""Verse alignment on small hand-made translations: versification mapping, merged verses, partial overlaps,
the Python API, and the `lexres bible align / show` commands (TSV, line-aligned files, manifest)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from lexres.importer import import_resource
from lexres.store.bible import align, aligned_frame, aligned_pairs, verses

REPO = Path(__file__).resolve().parents[2]


def vline(tmp_path: Path, name: str, rows: list[tuple[str, str]]) -> tuple[Path, Path]:
    """A vline text and its vref list from (reference, text) rows; text '' = missing, '<range>' = merged."""
    text, vref = tmp_path / f"{name}.txt", tmp_path / f"{name}.vref"
    text.write_text("".join(t + "\n" for _, t in rows), encoding="utf-8")
    vref.write_text("".join(r + "\n" for r, _ in rows), encoding="utf-8")
    return text, vref


def add(store, tmp_path, name, lang, rows, scheme=None) -> int:
    text, vref = vline(tmp_path, name, rows)
    opts = {"vref": str(vref)}
    if scheme:
        opts["versification"] = scheme
    return import_resource(store, "bible", [text], lang=lang, format="vline", options=opts).resource_id


def test_english_malachi_4_meets_hebrew_malachi_3(store, tmp_path):
    eng_rows = [("MAL 3:18", "e18")] + [(f"MAL 4:{i}", f"e4.{i}") for i in range(1, 7)]
    eng = add(store, tmp_path, "eng", "eng", eng_rows)
    heb = add(store, tmp_path, "heb", "heb", [(f"MAL 3:{i}", f"h{i}") for i in range(18, 25)], scheme="org")
    result = align(store, eng, heb)
    assert [p[:3] for p in result.pairs][:3] == [("MAL 3:18", "MAL 3:18", "MAL 3:18"),
                                                 ("MAL 4:1", "MAL 3:19", "MAL 3:19"),
                                                 ("MAL 4:2", "MAL 3:20", "MAL 3:20")]
    assert result.pairs[-1][:3] == ("MAL 4:6", "MAL 3:24", "MAL 3:24")
    assert [p[3:] for p in result.pairs][1] == ("e4.1", "h19")
    s = result.coverage()
    assert s.pairs == 7 and s.a.only == 0 and s.b.only == 0 and s.a.scheme == "eng"
    assert result.summary() == s.to_dict() and result.summary()["a"]["only"] == 0  # the JSON view


def test_genesis_32_shift_depends_on_the_recorded_scheme(store, tmp_path):
    rows_eng = [("GEN 31:55", "e31.55"), ("GEN 32:1", "e32.1")]
    rows_heb = [("GEN 32:1", "h32.1"), ("GEN 32:2", "h32.2")]  # the same two verses, Hebrew numbering
    eng = add(store, tmp_path, "eng", "eng", rows_eng)
    heb = add(store, tmp_path, "heb", "heb", rows_heb, scheme="org")
    assert [(p[0], p[1], p[3], p[4]) for p in align(store, eng, heb).pairs] == [
        ("GEN 31:55", "GEN 32:1", "e31.55", "h32.1"), ("GEN 32:1", "GEN 32:2", "e32.1", "h32.2")]
    heb_as_eng = add(store, tmp_path, "heb2", "hbo", rows_heb)  # scheme left at the eng default: no shift
    assert [(p[3], p[4]) for p in align(store, eng, heb_as_eng).pairs] == [("e32.1", "h32.1")]


def test_merged_verse_pairs_with_the_verses_it_covers(store, tmp_path, fixtures):
    merged = import_resource(store, "bible", [fixtures / "bible" / "ranges.vline.txt"], lang="eng",
                             options={"vref": str(fixtures / "bible" / "ranges.vref.txt")}).resource_id
    rows = [("ROM 16:24", "d24"), ("ROM 16:25", "d25"), ("ROM 16:26", "d26"), ("ROM 16:27", "d27"),
            ("REV 1:1", "r1")]
    split = add(store, tmp_path, "split", "deu", rows)
    result = align(store, merged, split)
    assert [p[:3] for p in result.pairs] == [("ROM 16:24", "ROM 16:24", "ROM 16:24"),
                                             ("ROM 16:25-27", "ROM 16:25-27", "ROM 16:25-27")]
    assert result.pairs[1][4] == "d25 d26 d27"
    s = result.coverage()
    assert (s.range_pairs, s.org_verses_aligned, s.a.ranges) == (1, 4, 1)
    assert (s.a.only, s.b.only) == (1, 1)  # REV 1:2 only in a, REV 1:1 only in b


def test_chained_merges_pair_as_the_smallest_common_unit(store, tmp_path):
    a = add(store, tmp_path, "a", "eng", [("JHN 1:1", "a1"), ("JHN 1:2", "a2-3"), ("JHN 1:3", "<range>"),
                                          ("JHN 1:4", "a4")])
    b = add(store, tmp_path, "b", "fra", [("JHN 1:1", "b1"), ("JHN 1:2", "b2"), ("JHN 1:3", "b3-4"),
                                          ("JHN 1:4", "<range>")])
    result = align(store, a, b)
    assert result.pairs[1] == ("JHN 1:2-4", "JHN 1:2-4", "JHN 1:2-4", "a2-3 a4", "b2 b3-4")
    assert result.coverage().org_verses_aligned == 4


def test_partial_overlap_is_counted_not_paired(store, tmp_path):
    a = add(store, tmp_path, "a", "eng", [("JHN 1:1", "a1"), ("JHN 1:2", "a2-3"), ("JHN 1:3", "<range>")])
    b = add(store, tmp_path, "b", "fra", [("JHN 1:1", "b1"), ("JHN 1:2", "b2"), ("JHN 1:3", "")])
    result = align(store, a, b)
    assert [p[0] for p in result.pairs] == ["JHN 1:1"]  # b lacks 1:3, so a's 1:2-3 has no honest partner
    s = result.coverage()
    assert (s.a.partial, s.b.partial) == (1, 1)
    assert s.a.verses == s.pairs + s.a.only + s.a.partial


def test_python_api_by_language_and_dataframe(store, tmp_path):
    add(store, tmp_path, "e", "eng", [("JHN 3:16", "For God so loved"), ("JHN 3:17", "")])
    add(store, tmp_path, "s", "swh", [("JHN 3:16", "Kwa maana"), ("JHN 3:17", "Maana")])
    assert list(aligned_pairs(store, "eng", "swh")) == [("JHN 3:16", "For God so loved", "Kwa maana")]
    frame = aligned_frame(store, "swh", "eng")
    assert list(frame.columns) == ["ref_a", "ref_b", "org_ref", "text_a", "text_b"]
    assert frame.iloc[0]["text_a"] == "Kwa maana" and len(frame) == 1
    assert [v.ref for v in verses(store, "swh")] == ["JHN 3:16", "JHN 3:17"]


def test_cli_align_tsv_lines_and_manifest(cli, fixtures, tmp_path):
    bible = fixtures / "bible"
    assert cli("import", "bible", bible / "tiny.zefania.xml", "--on-error", "skip", "--rejects",
               tmp_path / "r.tsv").exit_code == 0
    assert cli("import", "bible", bible / "tiny.usfx.xml", "--lang", "chr").exit_code == 0
    out = tmp_path / "eng-chr.tsv"
    r = cli("bible", "align", "eng", "chr", "--out", out, "--json")
    assert r.exit_code == 0, r.stderr
    summary = json.loads(r.stdout)
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0].split("\t") == ["ref", "ref_b", "org_ref", "text_a", "text_b"]
    assert rows[1].split("\t") == ["JHN 3:16", "JHN 3:16", "JHN 3:16", "For God so loved the world.",
                                   "First verse."]
    assert summary["pairs"] == len(rows) - 1 == 1
    assert (summary["a"]["verses"], summary["b"]["verses"], summary["b"]["only"]) == (2, 3, 2)
    manifest = json.loads(Path(f"{out}.manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"] == "bible align" and manifest["counts"]["pairs"] == 1
    assert len(manifest["inputs"]) == 2
    r = cli("bible", "align", "1", "2", "--layout", "lines", "--out", tmp_path / "par" / "train")
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "par" / "train.eng").read_text(encoding="utf-8") == "For God so loved the world.\n"
    assert (tmp_path / "par" / "train.chr").read_text(encoding="utf-8") == "First verse.\n"
    assert (tmp_path / "par" / "train.ref").read_text(encoding="utf-8") == "JHN 3:16\n"
    assert "outputs" in json.loads((tmp_path / "par" / "train.manifest.json").read_text(encoding="utf-8"))


def test_cli_show_finds_macrolanguage_bibles_and_maps_versification(cli, fixtures, tmp_path, monkeypatch):
    bible = fixtures / "bible"
    assert cli("import", "bible", bible / "container.osis.xml").exit_code == 0  # filed under swa
    r = cli("bible", "show", "swh", "MAT 1:3")  # a pipe: TSV on stdout, the note on stderr
    assert r.exit_code == 0 and "Mistari miwili" in r.stdout
    assert r.stdout.splitlines()[0] == "resource\tname\tvariety\tref\ttext"
    assert r.stderr.strip() == "swh: found under swa (the macrolanguage of swh)"
    monkeypatch.setattr("lexres.cli.common.stdout_is_terminal", lambda: True)
    r = cli("bible", "show", "swh", "MAT 1:3")
    # `filed under swa` beside the variety swa said nothing (was `(swa, filed under swa)`): now only the note
    assert r.exit_code == 0 and "(swa) MAT 1:2-3: " in r.stdout and "filed under" not in r.stdout
    assert "swh: found under swa (the macrolanguage of swh)" in r.stdout
    text, vref = vline(tmp_path, "heb", [("MAL 3:19", "Hebrew three nineteen")])
    r = cli("import", "bible", text, "--lang", "heb", "-o", "versification=org", "-o", f"vref={vref}")
    assert r.exit_code == 0
    r = cli("bible", "show", "heb", "MAL 4:1", "--json")
    assert json.loads(r.stdout)[0]["verses"] == [{"ref": "MAL 3:19", "text": "Hebrew three nineteen"}]


def test_cli_errors_are_one_line(cli, fixtures):
    assert cli("import", "bible", fixtures / "bible" / "tiny.usx", "--lang", "eng").exit_code == 0
    r = cli("bible", "align", "eng", "fra")
    assert r.exit_code == 2 and "no Bible translation for `fra`" in r.stderr and "Traceback" not in r.stderr
    r = cli("bible", "show", "eng", "John 3")  # a book name is fine, a chapter without its verse is not
    assert r.exit_code == 2 and "not a verse reference" in r.stderr


def test_readme_demo_imports_and_aligns(cli, tmp_path):
    sample = REPO / "examples" / "sample"
    if not (sample / "lat.usfm").exists():
        pytest.skip("examples/sample not shipped yet")
    assert cli("import", "bible", sample / "eng.vline.txt", "--lang", "eng").exit_code == 0
    assert cli("import", "bible", sample / "lat.usfm", "--lang", "lat").exit_code == 0
    out = tmp_path / "eng-lat.tsv"
    r = cli("bible", "align", "eng", "lat", "--out", out, "--json")
    assert r.exit_code == 0, r.stderr
    refs = [row.split("\t")[0] for row in out.read_text(encoding="utf-8").splitlines()[1:]]
    vref = (sample / "vref.txt").read_text(encoding="utf-8").split("\n")
    lines = (sample / "eng.vline.txt").read_text(encoding="utf-8").split("\n")
    # a blank line is a missing verse
    assert refs == [ref for ref, line in zip(vref, lines, strict=True) if ref and line.strip()]
    assert json.loads(r.stdout)["b"]["only"] == 1
