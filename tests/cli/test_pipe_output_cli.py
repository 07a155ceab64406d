"""What a new user meets on real-looking input: in a pipe every table is TSV with a header (never a box
table, never cut) and the prose around it goes to stderr; a lookup in a language with no data of that kind
says so instead of sending the user after other spellings."""
from __future__ import annotations

import json

import pytest

from lexres.importer import import_resource

MORPH = "soma\tninasoma\tV;PRS;1;SG\nsoma\tunasoma\tV;PRS;2;SG\nsoma\tnilisoma\tV;PST;1;SG\n"
LEXICON = "book\tkitabu\nhouse\tnyumba\n"


def _vline(tmp_path, name: str, lang: str, refs: list[str]):
    text, vref = tmp_path / f"{name}.txt", tmp_path / f"{name}.vref"
    text.write_text("".join(f"{lang} {r}\n" for r in refs), encoding="utf-8")
    vref.write_text("".join(r + "\n" for r in refs), encoding="utf-8")
    return text, vref


@pytest.fixture
def filled(cli, store, tmp_path):
    """swh morphology (3 forms), an eng-swh lexicon, an English and a Swahili Bible (JHN 3:1-3, 3:1-2)."""
    (tmp_path / "swh.tsv").write_text(MORPH, encoding="utf-8")
    (tmp_path / "eng-swh.tsv").write_text(LEXICON, encoding="utf-8")
    import_resource(store, "morph", [tmp_path / "swh.tsv"], lang="swh", format="unimorph")
    import_resource(store, "lexicon", [tmp_path / "eng-swh.tsv"], lang="eng", target_lang="swh",
                    format="muse")
    for name, lang, refs in (("en", "eng", ["JHN 3:1", "JHN 3:2", "JHN 3:3"]),
                             ("sw", "swh", ["JHN 3:1", "JHN 3:2"])):
        text, vref = _vline(tmp_path, name, lang, refs)
        import_resource(store, "bible", [text], lang=lang, format="vline", options={"vref": str(vref)})
    return cli


def _no_box(text: str) -> None:
    assert not any(ch in text for ch in "┏┃━│└…"), text


def test_translate_in_a_pipe_is_tsv(filled):
    r = filled("lexicon", "translate", "eng", "swh", "book")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == ["translation\tweight\tpos\tsources", "kitabu\t1\t\t#2 eng-swh.tsv"]


def test_translate_without_a_lexicon_for_the_pair_says_so(filled):
    r = filled("lexicon", "translate", "gle", "eng", "madra")
    assert r.exit_code == 1 and r.stdout == ""
    assert "the store has no lexicon between gle and eng" in r.stderr and len(r.stderr.splitlines()) == 1


def test_align_in_a_pipe_prints_its_coverage_as_tsv_and_prose_on_stderr(filled, tmp_path):
    r = filled("bible", "align", "eng", "swh", "--out", tmp_path / "al.tsv")
    assert r.exit_code == 0, r.stderr
    _no_box(r.stdout)
    head, a, b = r.stdout.splitlines()
    assert head == "side\ttranslation\tscheme\tverses\tranges\tonly here\tpartial overlap"
    assert a.split("\t")[3] == "3" and b.split("\t")[3] == "2"
    assert "in both: 2 pairs" in r.stderr and "wrote 2 pairs" in r.stderr
    assert "chose" in r.stderr and "chose" not in r.stdout


def test_formats_in_a_pipe_is_tsv_and_never_cut(cli):
    r = cli("formats", "--verbose", store=False)
    assert r.exit_code == 0
    _no_box(r.stdout)
    lines = r.stdout.splitlines()
    assert lines[0] == "kind\tformat\tdescription\toptions"
    (sig,) = [x for x in lines if x.startswith("morph\tsigmorphon\t")]
    assert "-o layout=<lemma-form-features|lemma-features-form|lemma-features>" in sig
    assert cli("formats", store=False).stdout.splitlines()[0] == "kind\tformat\tdescription"


def test_morph_stats_in_a_pipe_is_tsv(filled):
    r = filled("morph", "stats", "swh")
    assert r.exit_code == 0, r.stderr
    _no_box(r.stdout)
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert rows[0] == ["what", "name", "count"]
    assert ["total", "entries", "3"] in rows and ["tag", "SG", "3"] in rows
    assert json.loads(filled("morph", "stats", "swh", "--json").stdout)["entries"] == 3


@pytest.mark.parametrize("cmd", [("morph", "show", "zul", "soma"), ("morph", "analyze", "zul", "ninasoma")])
def test_a_language_without_morphology_says_so(filled, cmd):
    r = filled(*cmd)
    assert r.exit_code == 2 and "no morphology stored for zul" in r.stderr
    assert "did you mean" not in r.stderr and len(r.stderr.splitlines()) == 1


def test_a_misspelling_in_a_language_with_morphology_still_suggests(filled):
    r = filled("morph", "analyze", "swh", "ninasma")
    assert r.exit_code == 2 and "did you mean `ninasoma`" in r.stderr
    r = filled("morph", "analyze", "swh", "qqqqqqqq")
    assert r.exit_code == 2 and "no analysis for `qqqqqqqq`" in r.stderr


def test_one_entry_is_singular_on_import_and_remove(cli, tmp_path):
    path = tmp_path / "eng-swh.tsv"
    path.write_text("book\tkitabu\n", encoding="utf-8")
    r = cli("import", "lexicon", path, "--lang", "eng", "--target-lang", "swh", "--format", "muse")
    assert r.exit_code == 0 and r.stdout.splitlines()[0].endswith("; 1 entry"), r.stdout
    r = cli("remove", "1", "--yes")
    assert r.exit_code == 0 and "(1 entry)" in r.stdout, r.output


@pytest.mark.parametrize("encoding, said, advice", [
    ("latin-1", "line 2 is not UTF-8", "iconv -f LATIN1"),
    ("utf-16", "byte-order mark", "iconv -f UTF-16"),
    ("utf-16-le", "NUL bytes", "iconv -f UTF-16"),
])
def test_sniffing_names_the_encoding_not_the_format(cli, tmp_path, encoding, said, advice):
    path = tmp_path / "gle.tsv"
    path.write_bytes("bris\tbris\tV;IMP;2;SG\ngreadóg\tna ngreadóg\tN;GEN;SG;DEF\n".encode(encoding))
    r = cli("import", "morph", path, "--lang", "gle")
    assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1, r.stderr
    assert "cannot read this file as text" in r.stderr and said in r.stderr and advice in r.stderr
    assert "looks like" not in r.stderr


def test_quiet_works_after_the_subcommand_too(cli, tmp_path):
    from lexres.cli import hoist_store

    assert hoist_store(["import", "bible", "nt.xml", "-q"]) == ["-q", "import", "bible", "nt.xml"]
    assert hoist_store(["list", "--quiet", "--store", "a.db"]) == ["--quiet", "--store", "a.db", "list"]
    assert hoist_store(["list", "--", "-q"]) == ["list", "--", "-q"]
    path = tmp_path / "eng-swh.tsv"
    path.write_text("book\tkitabu\n", encoding="utf-8")
    r = cli("import", "lexicon", path, "--lang", "eng", "--target-lang", "swh", "--quiet")
    assert r.exit_code == 0, r.stderr
