"""`--fold` (case and diacritics ignored) for `morph analyze` and `lexicon translate`, and did-you-mean
suggestions when a word is not in the store, found through the index without reading whole tables."""
from __future__ import annotations

import json
import random

import pytest

from lexres.importer import import_resource
from lexres.store import nearby
from lexres.text import fold


def test_fold_ignores_case_and_diacritics_character_by_character():
    assert fold("Kitábu") == fold("KITABU") == fold("kitabu") == "kitabu"
    assert fold("Straße") == "strasse" and fold("İstanbul") == "istanbul"
    assert fold("na ngreadóg") == "na ngreadog"
    assert fold("कविता") == "कविता"  # Indic vowel signs are not combining marks: kept
    word = "Ġreadóġ ŋ̀ga"
    for i in range(len(word) + 1):  # the key of a prefix is a prefix of the key: index ranges can be pruned
        assert fold(word).startswith(fold(word[:i]))


@pytest.fixture
def swh(cli, fixtures):
    r = cli("import", "morph", fixtures / "morph" / "swh_quirks.tsv", "--lang", "swh")
    assert r.exit_code == 0, r.stderr
    return cli


def test_analyze_fold_finds_a_case_and_diacritic_variant(swh):
    r = swh("morph", "analyze", "swh", "VITÁBU")
    assert r.exit_code == 2
    assert "did you mean `vitabu`" in r.stderr and "--fold" in r.stderr
    r = swh("morph", "analyze", "swh", "VITÁBU", "--fold", "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert [(e["lemma"], e["form"], e["features"]) for e in data["entries"]] == [("kitabu", "vitabu", "N;PL")]
    assert any("`vitabu`" in n for n in data["notes"])
    r = swh("morph", "show", "swh", "Kitabu", "--fold", "--json")
    assert {e["form"] for e in json.loads(r.stdout)["entries"]} == {"kitabu", "vitabu"}


def test_analyze_not_found_suggests_near_forms(swh):
    r = swh("morph", "analyze", "swh", "kitbu")
    assert r.exit_code == 2 and r.stdout == ""
    line = r.stderr.strip()
    assert line.startswith("lexres: error: no analysis for `kitbu` in swh")
    assert "(hint: did you mean `kitabu`, `vitabu`?)" in line and "--fold" not in line
    r = swh("morph", "show", "swh", "kitabo")
    assert r.exit_code == 2 and "did you mean `kitabu`?" in r.stderr
    r = swh("morph", "analyze", "swh", "qqqq")
    assert r.exit_code == 2 and "did you mean" not in r.stderr and "see `lexres list`" in r.stderr


@pytest.fixture
def lexicon(cli, tmp_path):
    path = tmp_path / "en-sw.txt"
    path.write_text("Résumé\tmuhtasari\nresume\tanza tena\ncafé\tmgahawa\nhouse\tnyumba\nhouses\tnyumba\n",
                    encoding="utf-8")
    r = cli("import", "lexicon", path, "--json")
    assert r.exit_code == 0, r.stderr
    assert (json.loads(r.stdout)["lang"], json.loads(r.stdout)["target_lang"]) == ("eng", "swa")
    return cli


def test_translate_fold_matches_every_spelling(lexicon):
    assert lexicon("lexicon", "translate", "eng", "swh", "CAFE").exit_code == 1
    r = lexicon("lexicon", "translate", "eng", "swh", "CAFE", "--fold", "--json")
    assert [t["word"] for t in json.loads(r.stdout)["translations"]] == ["mgahawa"]
    r = lexicon("lexicon", "translate", "eng", "swh", "RESUME", "--fold", "--json")
    assert sorted(t["word"] for t in json.loads(r.stdout)["translations"]) == ["anza tena", "muhtasari"]
    r = lexicon("lexicon", "translate", "eng", "swh", "resume", "--json")  # exact: only the plain word
    assert [t["word"] for t in json.loads(r.stdout)["translations"]] == ["anza tena"]
    r = lexicon("lexicon", "translate", "swh", "eng", "NYÚMBA", "--fold", "--json")  # the reverse direction
    assert sorted(t["word"] for t in json.loads(r.stdout)["translations"]) == ["house", "houses"]


def test_translate_not_found_suggests_and_keeps_exit_1(lexicon):
    r = lexicon("lexicon", "translate", "eng", "swh", "hous")
    assert r.exit_code == 1 and r.stdout == ""
    assert "no eng->swh translation of `hous`" in r.stderr
    assert "did you mean `house`, `houses`?" in r.stderr
    r = lexicon("lexicon", "translate", "eng", "swh", "Cafe")
    assert "did you mean `café`? (--fold ignores case and diacritics)" in r.stderr
    r = lexicon("lexicon", "translate", "eng", "swh", "hous", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["suggestions"] == ["house", "houses"]


def _words(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return sorted({"".join(rng.choice("aeioubdgklmnprstvwyz") for _ in range(rng.randint(3, 10)))
                   for _ in range(n)})


def test_suggestions_and_fold_read_a_small_part_of_a_big_table(store, tmp_path, monkeypatch):
    words = _words(60_000)
    path = tmp_path / "big.tsv"
    path.write_text("".join(f"{w}\t{w}\tN;SG\n" for w in words) + "kitabu\tKitábu\tN;SG\n", encoding="utf-8")
    import_resource(store, "morph", [path], lang="swh")
    read = []
    under = nearby._Walk.under

    def counted(self, *args, **kwargs):
        got = under(self, *args, **kwargs)
        read.append(len(got))
        return got

    monkeypatch.setattr(nearby._Walk, "under", counted)
    target = words[len(words) // 2]
    typo = target[:2] + target[3:] if len(target) > 4 else target + "x"
    assert target in nearby.near_matches(store, "morph.form", ["swh"], typo)
    assert sum(read) < len(words) // 10, "suggestions must not read the whole table"
    read.clear()
    assert nearby.folded_matches(store, "morph.form", ["swh"], "KITABU") == ["Kitábu"]
    assert sum(read) <= 1000  # a range or two under the prefixes of `kitabu`, not the table
