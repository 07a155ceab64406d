"""Which Bible a translation spec stands for (lexres.store.bible.choose): a resource id, a language code (its
most complete Bible, lowest id on a tie, with the reason) or a resource name; and `lexres bible align`
explaining its choice on stderr and under `chosen` in --json."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from lexres.errors import NotFoundError, OptionError
from lexres.importer import import_resource
from lexres.store.bible import choose, translation


def add(store, tmp_path: Path, name: str, lang: str, refs: list[str]) -> int:
    """A vline Bible called `name` with one verse per reference."""
    text, vref = tmp_path / f"{name}.{lang}.txt", tmp_path / f"{name}.{lang}.vref"
    text.write_text("".join(f"{lang} {r}\n" for r in refs), encoding="utf-8")
    vref.write_text("".join(r + "\n" for r in refs), encoding="utf-8")
    return import_resource(store, "bible", [text], lang=lang, format="vline", name=name,
                           options={"vref": str(vref)}).resource_id


JOHN = [f"JHN 3:{v}" for v in range(1, 9)]


@pytest.fixture
def three(store, tmp_path):
    """swh: #1 with 2 verses and #2 with 5; eng: #3 with 8."""
    ids = (add(store, tmp_path, "Swahili portions", "swh", JOHN[:2]),
           add(store, tmp_path, "Swahili NT", "swh", JOHN[:5]),
           add(store, tmp_path, "English NT", "eng", JOHN))
    assert ids == (1, 2, 3)
    return store


def test_a_language_stands_for_its_most_complete_bible(three):
    c = choose(three, "swh")
    assert (c.how, c.resource, c.verses, c.bible.id) == ("language", 2, 5, 2)
    assert [(k.resource, k.verses) for k in c.candidates] == [(2, 5), (1, 2)]
    assert c.reason == "swh: chose #2 Swahili NT (5 verses; the most complete of 2: #2 5, #1 2)"
    assert choose(three, "eng").reason == "eng: chose #3 English NT (8 verses; the only Bible for eng)"
    assert translation(three, "swh").id == 2
    assert "bible" not in c.to_dict() and c.to_dict()["candidates"][1] == {
        "resource": 1, "name": "Swahili portions", "variety": "swh", "verses": 2}


def test_a_tie_goes_to_the_lowest_id(store, tmp_path):
    add(store, tmp_path, "first", "zul", JOHN[:3])
    add(store, tmp_path, "second", "zul", JOHN[3:6])
    c = choose(store, "zul")
    assert c.resource == 1 and "the most complete of 2 (a tie: the lowest id): #1 3, #2 3" in c.reason


def test_an_id_or_a_name(three, store, tmp_path):
    assert (choose(three, "1").resource, choose(three, "#1").resource, choose(three, 1).how) == (1, 1, "id")
    c = choose(three, "Swahili portions")
    assert (c.how, c.resource) == ("name", 1) and c.reason.endswith("by name")
    assert choose(three, "english nt").resource == 3  # case is ignored when no name matches exactly
    add(store, tmp_path, "English NT", "deu", JOHN[:1])  # the same name for a second Bible
    with pytest.raises(OptionError, match="`English NT` names 2 Bibles: #3 English NT \\(eng, 8 verses\\); "
                                          "#4 English NT \\(deu, 1 verse\\)") as err:
        choose(three, "English NT")
    assert "resource id" in err.value.hint


def test_nothing_matches(three):
    with pytest.raises(NotFoundError, match="no Bible translation for `fra`"):
        choose(three, "fra")
    with pytest.raises(NotFoundError, match="no Bible named `Vulgate` in the store, and `Vulgate` is not a "
                                            "language code"):
        choose(three, "Vulgate")
    with pytest.raises(NotFoundError):
        choose(three, "9")


def test_a_resource_that_is_not_a_bible(store, tmp_path):
    lex = tmp_path / "l.tsv"
    lex.write_text("light\tmwanga\n", encoding="utf-8")
    rid = import_resource(store, "lexicon", [lex], lang="eng", target_lang="swh", format="table",
                          options={"columns": "src=0,tgt=1"}).resource_id
    with pytest.raises(OptionError, match=f"resource #{rid} is lexicon, not a Bible"):
        choose(store, str(rid))


def test_cli_align_explains_its_choice(three, cli, tmp_path):
    out = tmp_path / "swh-eng.tsv"
    r = cli("bible", "align", "swh", "eng", "--out", out, "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)  # stdout stays clean JSON
    assert data["chosen"]["a"]["resource"] == 2 and data["chosen"]["a"]["how"] == "language"
    assert data["chosen"]["a"]["reason"] == ("swh: chose #2 Swahili NT (5 verses; the most complete of 2: "
                                             "#2 5, #1 2)")
    assert data["a"]["resource"] == 2 and data["pairs"] == 5
    assert r.stderr.splitlines() == [data["chosen"]["a"]["reason"], data["chosen"]["b"]["reason"]]
    r = cli("bible", "align", "swh", "eng", "--out", out, "--force")
    assert r.exit_code == 0 and "swh: chose #2 Swahili NT" in r.stderr and "chose" not in r.stdout


def test_cli_align_by_id_and_by_name(three, cli, tmp_path):
    r = cli("bible", "align", "Swahili portions", "3", "--out", tmp_path / "x.tsv", "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert (data["a"]["resource"], data["b"]["resource"], data["pairs"]) == (1, 3, 2)
    assert (data["chosen"]["a"]["how"], data["chosen"]["b"]["how"]) == ("name", "id")
    assert r.stderr == ""  # nothing to explain: the user named the Bibles


def test_cli_align_ambiguous_name_is_one_line_exit_2(three, store, cli, tmp_path):
    add(store, tmp_path, "English NT", "deu", JOHN[:1])
    r = cli("bible", "align", "English NT", "swh", "--out", tmp_path / "x.tsv")
    assert r.exit_code == 2 and "`English NT` names 2 Bibles: #3" in r.stderr and "#4" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
