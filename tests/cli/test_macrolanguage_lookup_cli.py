"""Macrolanguages both ways in every lookup by language: `sw`/`swa` finds resources filed under `swh` as `swh`
finds those filed under `swa` (`Lang.family`, one rule); each command says when it used a resource filed under
another code (stderr in a pipe, `found_under` in --json), and rows from several varieties name theirs. Also
`bible show` in a pipe (TSV), its exit 1 for a verse no translation has, and `bible align` refusing to align
a Bible with itself."""
from __future__ import annotations

import json

import pytest

from lexres.importer import import_resource

SWA_NOTE = "swa: found under swh (a member of the macrolanguage swa)"
SWH_NOTE = "swh: found under swa (the macrolanguage of swh)"


def _bible(store, tmp_path, name: str, lang: str, refs: list[str]) -> int:
    text, vref = tmp_path / f"{name}.txt", tmp_path / f"{name}.vref"
    text.write_text("".join(f"{lang} {r}\n" for r in refs), encoding="utf-8")
    vref.write_text("".join(r + "\n" for r in refs), encoding="utf-8")
    return import_resource(store, "bible", [text], lang=lang, format="vline", name=name,
                           options={"vref": str(vref)}).resource_id


def _file(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def sw(store, tmp_path):
    """Bibles #1 eng (JHN 3:16-18), #2 swa (JHN 3:16-17), #3 swh (JHN 3:16-18); lexicons #4 swh-eng and
    #5 swa-eng; morphology #6 swh and #7 swa; #8 a cmn-eng lexicon."""
    john = ["JHN 3:16", "JHN 3:17", "JHN 3:18"]
    assert _bible(store, tmp_path, "English", "eng", john) == 1
    assert _bible(store, tmp_path, "Swahili portions", "swa", john[:2]) == 2
    assert _bible(store, tmp_path, "Swahili NT", "swh", john) == 3
    for lang, text in (("swh", "kitabu\tbook\n"), ("swa", "kitabu\tbook\nkitabu\tvolume\n")):
        import_resource(store, "lexicon", [_file(tmp_path, f"{lang}-eng.tsv", text)], lang=lang,
                        target_lang="eng", format="muse")
    for lang, text in (("swh", "kitabu\tvitabu\tN;PL\nkitabu\tkitabu\tN;SG\n"),
                       ("swa", "kitabu\tkitabu\tN;SG\nnyumba\tnyumba\tN;SG\n")):
        import_resource(store, "morph", [_file(tmp_path, f"{lang}.tsv", text)], lang=lang, format="unimorph")
    import_resource(store, "lexicon", [_file(tmp_path, "cmn-eng.tsv", "书\tbook\n")], lang="cmn",
                    target_lang="eng", format="muse")
    return store


def test_store_resources_search_the_family_both_ways(sw):
    assert [r.id for r in sw.resources("bible", "swa")] == [2, 3]
    assert [r.id for r in sw.resources("bible", "sw")] == [2, 3]
    assert [r.id for r in sw.resources("bible", "swh")] == [2, 3]
    assert [r.id for r in sw.resources("bible", "swc")] == [2]  # the macrolanguage's, not sibling swh's
    assert [r.id for r in sw.resources("lexicon", "zh")] == [8]


def test_substitution_lexicons_go_through_the_same_rule(sw):
    from lexres.augment.substitute.table import lexicon_resources, table_from_store

    assert [r.id for r in lexicon_resources(sw, "swa", "eng")] == [4, 5]
    assert "kitabu" in table_from_store(sw, "sw", "eng").entries


# -- bible show ------------------------------------------------------------------------------------------

def test_bible_show_for_a_macrolanguage_finds_its_members_and_says_so(sw, cli):
    r = cli("bible", "show", "swa", "JHN 3:18")  # only the swh Bible has it
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == ["resource\tname\tvariety\tref\ttext",
                                     "3\tSwahili NT\tswh\tJHN 3:18\tswh JHN 3:18"]
    assert r.stderr.splitlines() == ["#2 Swahili portions (swa): no JHN 3:18 in this translation", SWA_NOTE]
    rows = json.loads(cli("bible", "show", "sw", "JHN 3:16", "--json").stdout)
    assert [(row["resource"], row["variety"], row["found_under"]) for row in rows][0] == (2, "swa", None)
    assert rows[1]["found_under"]["relation"] == "member" and rows[1]["found_under"]["filed"] == "swh"
    assert rows[1]["found_under"]["note"] == "sw: found under swh (a member of the macrolanguage swa)"


def test_bible_show_from_a_member_finds_the_macrolanguage(sw, cli):
    r = cli("bible", "show", "swh", "JHN 3:17")
    assert r.exit_code == 0
    assert [ln.split("\t")[2] for ln in r.stdout.splitlines()] == ["variety", "swa", "swh"]
    assert r.stderr.strip() == SWH_NOTE


def test_bible_show_on_a_terminal_and_without_the_verse(sw, cli, monkeypatch):
    r = cli("bible", "show", "eng", "JHN 3:16")
    assert r.stdout.splitlines() == ["resource\tname\tvariety\tref\ttext",
                                     "1\tEnglish\teng\tJHN 3:16\teng JHN 3:16"]
    assert r.stderr == ""
    r = cli("bible", "show", "swa", "JHN 3:19")  # a verse of John no translation holds
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.strip() == ("no JHN 3:19 in any Bible for swa (searched #2 Swahili portions (swa), "
                                "#3 Swahili NT (swh))")
    r = cli("bible", "show", "swa", "JHN 3:19", "--json")
    assert r.exit_code == 1 and all(row["verses"] == [] for row in json.loads(r.stdout))
    monkeypatch.setattr("lexres.cli.common.stdout_is_terminal", lambda: True)
    r = cli("bible", "show", "swa", "JHN 3:18")
    assert r.exit_code == 0 and r.stdout.splitlines() == [
        "#2 Swahili portions (swa): no JHN 3:18 in this translation",
        "#3 Swahili NT (swh) JHN 3:18: swh JHN 3:18", SWA_NOTE]


# -- bible align -----------------------------------------------------------------------------------------

def test_bible_align_with_a_macrolanguage_picks_the_more_complete_member(sw, cli, tmp_path):
    r = cli("bible", "align", "eng", "swa", "--out", tmp_path / "a.tsv", "--json")
    assert r.exit_code == 0, r.stderr
    chosen = json.loads(r.stdout)["chosen"]["b"]
    assert (chosen["resource"], chosen["variety"], chosen["verses"]) == (3, "swh", 3)
    assert chosen["reason"] == ("swa: chose #3 Swahili NT (swh, 3 verses; the most complete of 2: #3 3 swh, "
                                "#2 2 swa)")
    assert [f["note"] for f in chosen["found_under"]] == [SWA_NOTE]
    assert r.stderr.splitlines()[-2:] == [chosen["reason"], SWA_NOTE]
    assert json.loads(r.stdout)["pairs"] == 3


@pytest.mark.parametrize("a, b", [("eng", "eng"), ("1", "1"), ("eng", "English"), ("swa", "swh")])
def test_bible_align_of_a_bible_with_itself_is_exit_2(sw, cli, tmp_path, a, b):
    r = cli("bible", "align", a, b, "--out", tmp_path / "x.tsv")
    assert r.exit_code == 2 and r.stdout == "" and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "are the same Bible (#" in r.stderr
    assert not (tmp_path / "x.tsv").exists()


# -- lexicons --------------------------------------------------------------------------------------------

def test_translate_from_a_macrolanguage_uses_its_members_and_shows_the_varieties(sw, cli):
    r = cli("lexicon", "translate", "swa", "eng", "kitabu")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == ["translation\tweight\tpos\tsources\tvariety",
                                     "book\t2\t\t#4 swh-eng.tsv, #5 swa-eng.tsv\tswa, swh",
                                     "volume\t1\t\t#5 swa-eng.tsv\tswa"]
    assert r.stderr.strip() == SWA_NOTE
    data = json.loads(cli("lexicon", "translate", "sw", "eng", "kitabu", "--json").stdout)
    assert data["translations"][0]["varieties"] == [["swa", "eng"], ["swh", "eng"]]
    assert [(f["query"], f["filed"], f["relation"]) for f in data["found_under"]] == [("sw", "swh", "member")]


def test_translate_one_variety_needs_no_variety_column(sw, cli):
    r = cli("lexicon", "translate", "zh", "eng", "书")  # Chinese (zho) served by Mandarin (cmn)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == ["translation\tweight\tpos\tsources", "book\t1\t\t#8 cmn-eng.tsv"]
    assert r.stderr.strip() == "zh: found under cmn (a member of the macrolanguage zho)"
    r = cli("lexicon", "translate", "eng", "swa", "volume")  # the other side: filed under swa itself
    assert r.exit_code == 0 and r.stderr == "" and r.stdout.splitlines()[1].startswith("kitabu\t1\t")


def test_coverage_and_export_say_where_the_lexicons_are_filed(sw, cli, tmp_path):
    text = _file(tmp_path, "t.txt", "kitabu nyumba\n")
    r = cli("lexicon", "coverage", "swa", "eng", text, "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["tokens_covered"] == 1 and [f["note"] for f in data["found_under"]] == [SWA_NOTE]
    r = cli("lexicon", "export", "swa", "eng", tmp_path / "out.tsv")
    assert r.exit_code == 0 and SWA_NOTE in r.output
    written = (tmp_path / "out.tsv").read_text(encoding="utf-8").splitlines()
    assert written == ["kitabu\tbook", "kitabu\tvolume"]


def test_pseudo_mono_into_a_macrolanguage_says_which_lexicons_it_used(sw, cli, tmp_path):
    text = _file(tmp_path, "en.txt", "a book\n")
    r = cli("augment", "pseudo-mono", "--src", "eng", "--tgt", "swa", "-i", text, "-o", tmp_path / "sw.txt",
            "--json", "--no-record")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["lexicons"] == [4, 5] and [f["note"] for f in data["found_under"]] == [SWA_NOTE]
    assert (tmp_path / "sw.txt").read_text(encoding="utf-8").split()[1] == "kitabu"
    r = cli("augment", "pseudo-mono", "--src", "eng", "--tgt", "swa", "-i", text, "-o", tmp_path / "sw2.txt",
            "--no-record")
    assert r.exit_code == 0 and r.stderr.strip().endswith(SWA_NOTE) and SWA_NOTE not in r.stdout


# -- morphology ------------------------------------------------------------------------------------------

def test_morph_lookups_from_a_macrolanguage_find_its_members(sw, cli):
    r = cli("morph", "analyze", "swa", "vitabu")  # only the swh table has it
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[1].split("\t")[:3] == ["kitabu", "vitabu", "N;PL"]
    assert "variety" not in r.stdout.splitlines()[0]  # one variety: no column
    assert r.stderr.strip() == f"note: {SWA_NOTE}: 1 entry"
    r = cli("morph", "show", "sw", "kitabu")  # forms from swa and swh: each row names its variety
    assert r.exit_code == 0, r.stderr
    head, *rows = r.stdout.splitlines()
    assert head.split("\t")[-1] == "variety"
    assert sorted((row.split("\t")[1], row.split("\t")[-1]) for row in rows) == [
        ("kitabu", "swa"), ("kitabu", "swh"), ("vitabu", "swh")]
    data = json.loads(cli("morph", "show", "swa", "kitabu", "--json").stdout)
    assert sorted(e["variety"] for e in data["entries"]) == ["swa", "swh", "swh"]
    assert [f["filed"] for f in data["found_under"]] == ["swh"]


def test_morph_stats_from_a_member_and_from_the_macrolanguage(sw, cli):
    swa = json.loads(cli("morph", "stats", "swa", "--json").stdout)
    assert swa["entries"] == 4 and swa["searched"][0] == "swa" and "swh" in swa["searched"]
    assert [f["note"] for f in swa["found_under"]] == [SWA_NOTE]
    assert swa["notes"] == [f"{SWA_NOTE}: 2 entries"]
    swh = json.loads(cli("morph", "stats", "swh", "--json").stdout)
    assert swh["entries"] == 4 and swh["searched"] == ["swh", "swa"]
    assert [f["note"] for f in swh["found_under"]] == [SWH_NOTE]


# -- real data -------------------------------------------------------------------------------------------

def test_real_swahili_bibles_under_swa_and_swh(cli, store, shared_data):
    """The open-bibles Swahili NT declares `sw` (filed under swa, 7,815 verses); the christos-c one is swh
    (7,853): a query for swa now sees both and aligns with the more complete swh one."""
    from lexres.store.bible import choose

    osis = shared_data / "bible" / "open-bibles" / "swa-swahili.osis.xml"
    ces = shared_data / "bible" / "christos-c" / "bibles" / "Swahili-NT.xml"
    if not (osis.exists() and ces.exists()):
        pytest.skip("the two Swahili New Testaments are not in the shared data")
    assert cli("import", "bible", osis).exit_code == 0
    assert cli("import", "bible", ces).exit_code == 0
    got = [(r.lang, r.entries) for r in store.resources("bible")]
    assert got == [("swa", 7815), ("swh", 7853)]
    choice = choose(store, "swa")
    assert (choice.variety, choice.verses) == ("swh", 7853) and choice.found_under[0].note == SWA_NOTE
    r = cli("bible", "show", "swa", "Jude 3")
    assert r.exit_code == 0, r.stderr
    rows = [ln.split("\t") for ln in r.stdout.splitlines()]
    assert [row[2:4] for row in rows] == [["variety", "ref"], ["swa", "JUD 1:3"], ["swh", "JUD 1:3"]]
    assert r.stderr.strip() == SWA_NOTE
