"""Verse references as users type them (lexres.refs): USFM codes in any case, OSIS ids, English names and
abbreviations, ranges, checks against the versification's verse counts, did-you-mean for unknown books; the
book-name table; and `lexres bible show` reading every form (readers stay strict)."""
from __future__ import annotations

import json
from importlib.resources import files

import pytest

from lexres.books import books
from lexres.errors import OptionError
from lexres.importer import import_resource
from lexres.loaders.bible.common import parse_ref
from lexres.refs import VerseRef, book_code, book_names, parse_verse_ref
from lexres.versification import SCHEMES, standard_vref, verse_counts

FORMS = [
    # USFM codes, any case, with or without the space
    ("JHN 3:16", "JHN 3:16"), ("jhn 3:16", "JHN 3:16"), ("Jhn 3:16", "JHN 3:16"), ("JHN3:16", "JHN 3:16"),
    ("1co 13:4", "1CO 13:4"), ("  JHN   3:16 ", "JHN 3:16"),
    # OSIS ids
    ("John.3.16", "JHN 3:16"), ("1Cor.13.4", "1CO 13:4"), ("Ps.23.1", "PSA 23:1"), ("Rev.22.21", "REV 22:21"),
    ("Song.1.1", "SNG 1:1"), ("Phlm.1.1", "PHM 1:1"),
    # English names and abbreviations
    ("John 3:16", "JHN 3:16"), ("Jn 3:16", "JHN 3:16"), ("1 Cor 13:4", "1CO 13:4"),
    ("1 Corinthians 13:4", "1CO 13:4"), ("1 Cor. 13:4", "1CO 13:4"), ("I Cor 13:4", "1CO 13:4"),
    ("II Kings 2:11", "2KI 2:11"), ("First John 1:1", "1JN 1:1"), ("iii john 1:4", "3JN 1:4"),
    ("Ps 23:1", "PSA 23:1"), ("Psalm 23:1", "PSA 23:1"), ("Psalms 23:1", "PSA 23:1"), ("Ps23:1", "PSA 23:1"),
    ("Song of Songs 1:1", "SNG 1:1"), ("Song of Solomon 1:1", "SNG 1:1"), ("Gen 1:1", "GEN 1:1"),
    ("Rev 22:21", "REV 22:21"), ("Revelation 22:21", "REV 22:21"), ("Is 53:5", "ISA 53:5"),
    ("Phil 1:1", "PHP 1:1"), ("Judges 1:1", "JDG 1:1"), ("Jude 1:4", "JUD 1:4"), ("John 3.16", "JHN 3:16"),
    ("Psalm 151 1:1", "PS2 1:1"), ("Esther (Greek) 1:1", "ESG 1:1"),
    # ranges inside one chapter
    ("JHN 3:16-18", "JHN 3:16-18"), ("John 3:16\u201318", "JHN 3:16-18"), ("JHN 3:16-3:18", "JHN 3:16-18"),
    ("John.3.16-John.3.18", "JHN 3:16-18"), ("JHN 3:16-16", "JHN 3:16"),
    # a book of one chapter without its chapter: chapter 1
    ("Jude 3", "JUD 1:3"), ("Philemon 1", "PHM 1:1"), ("3 Jn 1", "3JN 1:1"), ("OBA 5", "OBA 1:5"),
    ("2 John 1-3", "2JN 1:1-3"), ("Jude.3", "JUD 1:3"), ("jud 25", "JUD 1:25"),
    ("Jude 3-Jude 5", "JUD 1:3-5"), ("Psalm 151 1", "PS2 1:1"),
]


@pytest.mark.parametrize("text, ref", FORMS)
def test_every_form_reads_as_its_usfm_reference(text, ref):
    got = parse_verse_ref(text)
    assert isinstance(got, VerseRef) and got.ref == ref == str(got)


def test_verse_ref_is_a_frozen_typed_record():
    ref = parse_verse_ref("1 Cor 13:4-7")
    assert (ref.book, ref.chapter, ref.verse, ref.verse_end) == ("1CO", 13, 4, 7)
    assert ref.to_dict() == {"book": "1CO", "chapter": 13, "verse": 4, "verse_end": 7}
    with pytest.raises(AttributeError):
        ref.book = "JHN"  # type: ignore[misc]


@pytest.mark.parametrize("text, why", [
    ("JHN 22:1", "John (JHN) has 21 chapters in the eng versification"),
    ("JHN 3:99", "John 3 has 36 verses in the eng versification"),
    ("JUD 2:1", "Jude (JUD) has 1 chapter in the eng versification"),
    ("MAL 3:24", "Malachi 3 has 18 verses in the eng versification"),  # org numbering, read as eng
    ("PSA 151:1", "Psalms (PSA) has 150 chapters"),
    ("JHN 3:36-37", "John 3 has 36 verses"),
    ("JHN 3:18-16", "ends before it starts"),
    ("JHN 99999999999999999999:1", "has 21 chapters"),
])
def test_a_chapter_or_verse_the_book_does_not_have_is_an_error(text, why):
    with pytest.raises(OptionError) as err:
        parse_verse_ref(text)
    assert why in str(err.value) and "--versification" not in str(err.value)
    assert "org, lxx" in err.value.hint  # the other schemes are named


@pytest.mark.parametrize("text, why", [
    ("JHN 0:1", "there is no chapter 0 (chapters are numbered from 1)"),
    ("JHN 3:0", "there is no verse 0 (verses are numbered from 1)"),
    ("JHN 0:0", "there is no chapter 0 and no verse 0 (chapters and verses are numbered from 1)"),
    ("JHN 3:0-2", "there is no verse 0"), ("JHN 3:2-0", "there is no verse 0"), ("Jude 0", "no verse 0"),
])
def test_chapter_or_verse_0_is_named_as_such(text, why):
    with pytest.raises(OptionError) as err:
        parse_verse_ref(text)
    said = str(err.value)
    assert why in said and "has 21 chapters" not in said and "36 verses" not in said
    assert err.value.hint


def test_only_a_one_chapter_book_may_leave_its_chapter_out():
    for book in ("OBA", "PHM", "2JN", "3JN", "JUD"):  # the books of one chapter in eng
        assert parse_verse_ref(f"{book} 1").ref == f"{book} 1:1"
    with pytest.raises(OptionError, match="not a verse reference: John \\(JHN\\) has 21 chapters") as err:
        parse_verse_ref("John 3")
    assert "Jude 3" in err.value.hint
    with pytest.raises(OptionError, match="Jude 1 has 25 verses"):
        parse_verse_ref("Jude 26")
    with pytest.raises(OptionError, match="`Jdue` is not a Bible book") as err:
        parse_verse_ref("Jdue 3")
    assert err.value.hint.startswith("did you mean `Jude` (JUD)")
    assert parse_verse_ref("LJE 5", "org").ref == "LJE 1:5"  # one chapter in org (the Letter of Jeremiah)


def test_the_scheme_decides_what_a_verse_is():
    assert parse_verse_ref("MAL 3:24", "org").ref == "MAL 3:24"
    assert parse_verse_ref("MAL 4:6", "eng").ref == "MAL 4:6"
    with pytest.raises(OptionError, match="Malachi \\(MAL\\) has 3 chapters in the org versification"):
        parse_verse_ref("MAL 4:1", "ORG")
    assert parse_verse_ref("PSA 151:1", "lxx").ref == "PSA 151:1"
    with pytest.raises(OptionError, match="unknown versification `xyz`"):
        parse_verse_ref("JHN 3:16", "xyz")
    # a book eng does not number (Odes) is held to the widest numbering any shipped scheme gives it
    assert parse_verse_ref("ODA 1:1").ref == "ODA 1:1"
    with pytest.raises(OptionError, match="Odes \\(ODA\\) has 14 chapters in any versification lexres ships"):
        parse_verse_ref("ODA 15:1")


@pytest.mark.parametrize("text, guess", [
    ("Jhon 3:16", "`John` (JHN)"), ("Genisis 1:1", "`Genesis` (GEN)"), ("Mathew 5:3", "`Matthew` (MAT)"),
    ("Corinthians 13:4", "`1 Corinthians` (1CO)"),
])
def test_an_unknown_book_gets_a_did_you_mean(text, guess):
    with pytest.raises(OptionError, match="is not a Bible book lexres knows") as err:
        parse_verse_ref(text)
    assert err.value.hint.startswith(f"did you mean {guess}")


def test_jhon_suggests_john_first():
    with pytest.raises(OptionError) as err:
        book_code("Jhon")
    assert err.value.hint.index("John") < err.value.hint.index("Jonah")


@pytest.mark.parametrize("text, message", [
    ("John 3", "is not a verse reference"), ("3:16", "is not a verse reference"),
    ("JHN 3:16-", "is not a verse reference"), ("JHN 3:16-18-19", "is not a verse reference"),
    ("JHN \uff13:16", "is not a verse reference"),  # only ASCII digits are numbers
    ("Xyz 1:1", "`Xyz` is not a Bible book"), ("1 3:4", "`1` is not a Bible book"),
    ("JHN 3:16-4:1", "must end in the chapter it starts in"),
    ("JHN 3:16-John.4.1", "must end in the chapter it starts in"),
    ("PS21:1", "ambiguous: PSA 21:1 or PS2 1:1"),  # Psalm 21:1, or Psalm 151 (PS2) 1:1
])
def test_what_is_not_a_reference(text, message):
    with pytest.raises(OptionError, match=message.replace("(", "\\(").replace(")", "\\)")) as err:
        parse_verse_ref(text)
    assert err.value.hint


def test_the_book_name_table_is_consistent():
    rows = [r.split("\t") for r in files("lexres").joinpath("data/book_names.tsv").read_text(
        encoding="utf-8").splitlines() if r and not r.startswith("#")]
    assert set(book_names().values()) == set(books())
    for code, osis, names in rows:  # every name, the OSIS id and the code itself lead to the row's book
        for name in (code, code.lower(), osis, *names.split("|")):
            assert not name or book_code(name) == code, name
    assert [r[0] for r in rows] == list(books())  # every USFM book, canonical order
    assert all(r[2].split("|")[0] == books()[r[0]][1] for r in rows)  # the usfm_books.tsv name first
    # the OSIS ids are those the OSIS reader uses (one source of truth for what a file may say)
    reader = {r.split("\t")[0]: r.split("\t")[1] for r in files("lexres.loaders").joinpath(
        "data/bible_books.tsv").read_text(encoding="utf-8").splitlines() if r and not r.startswith("#")}
    assert {r[0]: r[1] for r in rows if r[1]} == {k: v for k, v in reader.items() if v}


def test_verse_counts_agree_with_the_standard_vref_list():
    counts = verse_counts("org")
    last: dict = {}
    for book, ch, v in standard_vref():
        last[(book, ch)] = max(v, last.get((book, ch), 0))
    assert all(counts[book][ch - 1] == v for (book, ch), v in last.items() if book in counts)
    assert len(verse_counts("eng")["MAL"]) == 4 and len(counts["MAL"]) == 3 and counts["JHN"][2] == 36
    assert all(verse_counts(s) for s in SCHEMES)


def test_readers_stay_strict():
    """The file-reading parser takes only `BOOK C:V` with an upper-case USFM code."""
    assert parse_ref("JHN 3:16") == ("JHN", 3, 16, None)
    for text in ("John 3:16", "jhn 3:16", "John.3.16", "JHN3:16"):
        with pytest.raises(OptionError):
            parse_ref(text)


# --- the command line -------------------------------------------------------------------------------------

ROWS = [("GEN 1:1", "In the beginning"), ("PSA 23:1", "The Lord is my shepherd"), ("SNG 1:1", "The song"),
        ("JHN 3:16", "For God so loved"), ("JHN 3:17", "For God sent"), ("JHN 3:18", "Whoever believes"),
        ("1CO 13:4", "Love is patient"), ("REV 22:21", "The grace")]


@pytest.fixture
def bible(store, tmp_path):
    text, vref = tmp_path / "eng.txt", tmp_path / "eng.vref"
    text.write_text("".join(t + "\n" for _, t in ROWS), encoding="utf-8")
    vref.write_text("".join(r + "\n" for r, _ in ROWS), encoding="utf-8")
    import_resource(store, "bible", [text], lang="eng", format="vline", options={"vref": str(vref)})
    return store


@pytest.mark.parametrize("text, ref", [
    ("jhn 3:16", "JHN 3:16"), ("John.3.16", "JHN 3:16"), ("John 3:16", "JHN 3:16"), ("1Cor.13.4", "1CO 13:4"),
    ("1 Corinthians 13:4", "1CO 13:4"), ("I Cor 13:4", "1CO 13:4"), ("Psalm 23:1", "PSA 23:1"),
    ("Ps.23.1", "PSA 23:1"), ("Song of Songs 1:1", "SNG 1:1"), ("Gen 1:1", "GEN 1:1"),
    ("Rev 22:21", "REV 22:21"),
])
def test_cli_show_reads_every_form(bible, cli, text, ref):
    r = cli("bible", "show", "eng", text, "--json")
    assert r.exit_code == 0, r.stderr
    got = json.loads(r.stdout)[0]["verses"]
    assert [v["ref"] for v in got] == [ref] and got[0]["text"] == dict(ROWS)[ref]


def test_cli_show_range_and_missing_verse(bible, cli):
    r = cli("bible", "show", "eng", "John 3:16-18")  # in a pipe: TSV with a header
    assert r.exit_code == 0 and [ln.split("\t")[-1] for ln in r.stdout.splitlines()] == [
        "text", "For God so loved", "For God sent", "Whoever believes"]
    r = cli("bible", "show", "eng", "john 3:19")  # no translation has it: exit 1, said on stderr
    assert r.exit_code == 1 and r.stdout == "" and "no JHN 3:19 in any Bible for eng" in r.stderr


@pytest.mark.parametrize("text, message", [
    ("JHN 22:1", "John (JHN) has 21 chapters in the eng versification"),
    ("JHN 3:99", "John 3 has 36 verses in the eng versification"),
    ("JUD 2:1", "Jude (JUD) has 1 chapter"),
    ("Jhon 3:16", "did you mean `John` (JHN)"),
    ("John 3", "is not a verse reference"),
])
def test_cli_bad_references_are_one_line_with_exit_2(bible, cli, text, message):
    r = cli("bible", "show", "eng", text)
    assert r.exit_code == 2 and r.stdout == ""
    assert message in r.stderr and "hint" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_cli_show_checks_the_reference_against_the_scheme_given(bible, cli):
    assert cli("bible", "show", "eng", "MAL 4:1", "--versification", "org").exit_code == 2
    r = cli("bible", "show", "eng", "JHN 3:16", "--versification", "org", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)[0]["verses"][0]["text"] == "For God so loved"


def test_real_gaelic_mark_by_osis_and_english_names(cli, shared_data):
    """The Gaelic Gospel of Mark (CES, christos-c corpus) found by an OSIS id and by English names."""
    part = shared_data / "bible" / "christos-c" / "bibles" / "Gaelic-PART.xml"
    if not part.exists():
        pytest.skip(f"{part.name} is not in the shared data")
    assert cli("import", "bible", part, "--lang", "gla").exit_code == 0
    texts = []
    for text in ("MRK 1:1", "Mark.1.1", "Mark 1:1", "mk 1:1", "Mrk1:1"):
        r = cli("bible", "show", "gla", text, "--json")
        assert r.exit_code == 0, r.stderr
        texts.append(json.loads(r.stdout)[0]["verses"])
    assert texts[0] and all(t == texts[0] for t in texts)
    r = cli("bible", "show", "gla", "Mark 17:1")
    assert r.exit_code == 2 and "Mark (MRK) has 16 chapters" in r.stderr


@pytest.mark.parametrize("text", ["x" * 100_000, "x" * 100_000 + " 3:16",
                                  "JHN 3:16-" + "Jo" * 5_000 + " 3:18"])
def test_a_very_long_text_is_refused_at_once_and_quoted_short(text):
    import time

    started = time.perf_counter()
    with pytest.raises(OptionError) as err:
        parse_verse_ref(text)
    assert time.perf_counter() - started < 2  # difflib over 100k characters took 9 s
    assert len(str(err.value)) < 200 and "…`" in str(err.value)
