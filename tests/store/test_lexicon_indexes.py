"""The lexicon word indexes of schema 004, keyed (language, resource, word): a new lexicon into a language
that many lexicons share writes its keys together (few pages, not one per key), word lookups seek through
the index for the resources that hold both languages, and every lookup gives what a scan of the table
gives."""

from __future__ import annotations

import random
import sqlite3

import pytest

from lexres.importer import import_resource
from lexres.langs import resolve
from lexres.store import SCHEMA_VERSION, Store, resources
from lexres.store.entries import lexicon_ids
from lexres.store.lexicon import folded_words, pair_resources, suggest, translations
from tests.helpers import lexicon_records
from tests.store.test_entry_counts import V3_LEXICON_INDEXES

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _vocab(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 9))))
    return sorted(words)


def _add_lexicon(store: Store, code: str, pairs, *, lang_first: bool = True) -> int:
    src, tgt = (code, "eng") if lang_first else ("eng", code)
    new = resources.NewResource(kind="lexicon", format="muse", name=f"{src}-{tgt}", lang=resolve(src),
                                target_lang=resolve(tgt), sha256=f"{code:>064}"[-64:].replace(" ", "0"))
    rid, _ = resources.store_records(store, new, lexicon_records(pairs))
    return rid


def _frames_written(store: Store, fn) -> int:
    """WAL frames (pages) that `fn`'s transaction wrote: the WAL is emptied first, then counted."""
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    fn()
    return store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1]


CODES = ["swh", "yor", "hau", "ibo", "zul", "xho", "wol", "lin", "lug", "kin", "sna", "som", "amh", "tir",
         "orm", "nya", "tsn", "sot", "ewe", "twi", "fon", "bam", "ful", "kik", "luo", "mlg", "run", "ssw",
         "ven", "tso", "nso", "aka", "bem", "kon", "kua", "lua", "mos", "sag", "tum", "umb"]


def test_a_new_lexicon_into_a_shared_language_writes_its_keys_together(store):
    """The 40th lexicon into English writes about as many pages as the 2nd: its English keys go to the end
    of the English subtree instead of 500 random places in it (with the v3 index (tgt_lang, tgt_fold) it
    wrote several times more, and its import slowed as the store grew: bench/bench_scale.py)."""
    vocab = _vocab(5000)
    rng = random.Random(1)

    def pairs(i):
        words = zip(_vocab(500, seed=100 + i), rng.sample(vocab, 500), strict=True)
        return [(f"{w}{i}", e) for w, e in words]

    first = _add_lexicon(store, CODES[0], pairs(0))
    second = _frames_written(store, lambda: _add_lexicon(store, CODES[1], pairs(1)))
    for i in range(2, 39):
        _add_lexicon(store, CODES[i], pairs(i))
    fortieth = _frames_written(store, lambda: _add_lexicon(store, CODES[39], pairs(39)))
    assert fortieth <= 1.5 * second + 4, (second, fortieth)
    # the resources of a pair are found from either side, also from the side with 40 lexicons
    assert lexicon_ids(store, ["eng"], [CODES[0]]) == lexicon_ids(store, [CODES[0]], ["eng"]) == [first]
    assert len(lexicon_ids(store, ["eng"])) == 40

    # the same store with the v3 index writes far more for the same lexicon: the check above can fail
    store.conn.executescript(V3_LEXICON_INDEXES.replace("DROP INDEX lexicon_src; ", ""))
    old = _frames_written(store, lambda: _add_lexicon(store, "qaa-x-test", pairs(40)))
    assert old > 2 * fortieth, (second, fortieth, old)


def _plans(store: Store, fn) -> list[str]:
    """The query plans of the lexicon statements `fn` runs."""
    sqls: list[str] = []
    store.conn.set_trace_callback(sqls.append)
    try:
        fn()
    finally:
        store.conn.set_trace_callback(None)
    out = []
    for sql in sqls:
        if "FROM lexicon" in sql and "_fold = " in sql:
            out.append(" | ".join(r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql)))
    return out


def _brute(store: Store, word: str, src: str, tgt: str) -> set[str]:
    """The translations a scan of the table gives (macrolanguages both ways, both stored directions)."""
    fs, ft = resolve(src).family, resolve(tgt).family
    rows = store.query("SELECT src_word, tgt_word, src_lang, tgt_lang FROM lexicon")
    out = {t for s, t, a, b in rows if s == word and a in fs and b in ft}
    return out | {s for s, t, a, b in rows if t == word and b in fs and a in ft}


@pytest.fixture
def many(store):
    """Twelve lexicons into English (and one out of it) over one English vocabulary."""
    vocab = _vocab(300, seed=7)
    rng = random.Random(3)
    for i, code in enumerate(CODES[:12]):
        words = zip(_vocab(200, seed=i), rng.sample(vocab, 200), strict=True)
        _add_lexicon(store, code, [(f"{w}{code}", e) for w, e in words])
    _add_lexicon(store, "fra", [("water", "eau"), ("Book", "livre"), ("house", "maison")], lang_first=False)
    _add_lexicon(store, "deu", [("Wasser", "water"), ("Haus", "house")])
    # Swahili: a second swh lexicon and one filed under the macrolanguage swa, so that a swh lookup searches
    # several resources and two language codes
    swh = store.query("SELECT src_word, tgt_word FROM lexicon WHERE src_lang = 'swh' LIMIT 50")
    _add_lexicon(store, "swh", [(a, f"{b}2") for a, b in swh])
    _add_lexicon(store, "swa", [(f"{a}", f"{b}3") for a, b in swh[:20]])
    return store


def test_word_lookups_seek_and_agree_with_a_scan(many):
    store = many
    probes = [(w, "eng", code) for code in ("swh", "zul", "lug") for (w,) in
              store.query("SELECT tgt_word FROM lexicon WHERE src_lang = ? LIMIT 5", (code,))]
    probes += [(w, code, "eng") for code in ("yor", "kin") for (w,) in
               store.query("SELECT src_word FROM lexicon WHERE src_lang = ? LIMIT 5", (code,))]
    probes += [("water", "eng", "fra"), ("water", "eng", "deu"), ("eau", "fra", "eng"),
               ("nothing", "eng", "swh")]
    for word, src, tgt in probes:
        got = {t.word for t in translations(store, src, tgt, word)}
        assert got == _brute(store, word, src, tgt), (word, src, tgt)
    swh_word = probes[0][0]
    probes += [(w, "swh", "eng") for (w,) in store.query("SELECT src_word FROM lexicon WHERE src_lang = 'swh'"
                                                         " LIMIT 5")] + [(swh_word, "eng", "swa")]
    for word, src, tgt in probes[-6:]:
        got = {t.word for t in translations(store, src, tgt, word)}
        assert got == _brute(store, word, src, tgt) and len(got) >= 1, (word, src, tgt)
    # every word lookup seeks the word index of the word's side, in both directions and for a language
    # with two codes (swh, swa) and several lexicons: never (resource_id, src_lang, tgt_lang), which reads
    # every pair of the resources
    sw = store.query("SELECT src_word FROM lexicon WHERE src_lang = 'swh' LIMIT 1")[0][0]
    for fn in (lambda: translations(store, "eng", "swh", swh_word),
               lambda: translations(store, "swh", "eng", sw),
               lambda: translations(store, "sw", "eng", sw, fold=True)):
        plans = _plans(store, fn)
        assert plans and all(("USING INDEX lexicon_src (" in p or "USING INDEX lexicon_tgt (" in p)
                             and "resource_id=?" in p and "_fold=?" in p for p in plans), plans
    # the partner side is checked by resource id, not by walking every resource of its language
    sqls: list[str] = []
    store.conn.set_trace_callback(sqls.append)
    lexicon_ids(store, ["swh"], ["eng"])
    store.conn.set_trace_callback(None)
    plan = " | ".join(r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + sqls[-1]))
    assert "SEARCH p USING INDEX sqlite_autoindex_resource_langs_1 (resource_id=?)" in plan, plan


def test_fold_suggest_and_pairs_on_the_new_indexes(many):
    store = many
    assert folded_words(store, "eng", "BOOK") == ["book"]
    assert [t.word for t in translations(store, "eng", "fra", "BOOK", fold=True)] == ["livre"]
    assert suggest(store, "eng", "fra", "watr") == ["water"]
    assert suggest(store, "eng", "deu", "hous") == ["house"]
    assert pair_resources(store, "eng", "fra") == lexicon_ids(store, ["fra"])
    assert pair_resources(store, "swh", "eng") == lexicon_ids(store, ["swh", "swa"]) == [1, 15, 16]
    assert pair_resources(store, "swh", "fra") == []
    assert len(lexicon_ids(store, ["eng"])) == 16


def test_every_lexicon_side_is_filed_in_resource_langs(store, fixtures):
    """Word lookups find their resources through resource_langs: every language of every stored pair must be
    there, for imported, derived and replaced lexicons."""
    from lexres.augment.lexicon.pivot import pivot

    lex = fixtures / "lexicon"
    import_resource(store, "lexicon", [lex / "wol-fra.mini.tei"])
    import_resource(store, "lexicon", [lex / "fr-en.mini"])
    import_resource(store, "lexicon", [lex / "sw-en.sample"])
    import_resource(store, "lexicon", [lex / "mini.lift"])
    import_resource(store, "lexicon", [lex / "multi-lang.tsv"], format="table",
                    options={"columns": "src=word,src_lang=lang,tgt=translation,tgt_lang=tlang"})
    pivot(store, "wol", "fra", "eng")
    import_resource(store, "lexicon", [lex / "sw-en.sample"], replace=True)
    sides = set(map(tuple, store.query(
        "SELECT resource_id, src_lang FROM lexicon UNION SELECT resource_id, tgt_lang FROM lexicon")))
    filed = set(map(tuple, store.query("SELECT resource_id, lang FROM resource_langs")))
    assert sides and sides <= filed, sides - filed


def test_a_v3_store_migrates_to_the_new_indexes(store_path, fixtures):
    with Store.open(store_path) as store:
        import_resource(store, "lexicon", [fixtures / "lexicon" / "sw-en.sample"])
        word = store.query("SELECT src_word FROM lexicon LIMIT 1")[0][0]
        before = translations(store, "swh", "eng", word)
    con = sqlite3.connect(store_path)
    con.executescript(V3_LEXICON_INDEXES)
    con.execute("DELETE FROM resource_langs WHERE lang = 'eng'")  # as if an old import had not filed it
    con.execute("PRAGMA user_version = 3")
    con.commit()
    con.close()
    with Store.open(store_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        names = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE tbl_name = 'lexicon'")}
        assert {"lexicon_src", "lexicon_tgt"} <= names
        assert not names & {"lexicon_src_fold", "lexicon_tgt_fold"}
        assert translations(store, "swh", "eng", word) == before and before  # eng was filed again
        assert store.integrity_check() == "ok"
