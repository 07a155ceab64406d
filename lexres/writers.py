"""Per-kind writers: turn records into rows, batched with executemany inside the import transaction."""
from __future__ import annotations

import json

from .books import sort_key
from .errors import LexresError
from .langs import Lang, resolve
from .records import LexiconPair, MorphEntry, Verse
from .text import key, normalize

BATCH = 10_000


class _Writer:
    sql = ""

    def __init__(self, store, rid: int, lang: Lang, target: Lang | None):
        self.conn, self.rid, self.lang, self.target = store.conn, rid, lang, target
        self.rows: list[tuple] = []
        self.langs: set[Lang] = {lang} | ({target} if target else set())
        self.notes: list[str] = []

    def add(self, rec) -> None:
        self.rows.append(self.row(rec))
        if len(self.rows) >= BATCH:
            self.flush()

    def row(self, rec) -> tuple:
        raise NotImplementedError

    def flush(self) -> None:
        if self.rows:
            self.conn.executemany(self.sql, self.rows)
            self.rows = []

    def close(self) -> None:
        self.flush()


class MorphWriter(_Writer):
    sql = ("INSERT INTO morph(resource_id, lang, lemma, form, features, features_canon, line, notes) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")

    def row(self, rec: MorphEntry) -> tuple:
        if not isinstance(rec, MorphEntry):
            raise LexresError(f"a morph import got a {type(rec).__name__}")
        given = ";".join(rec.features)
        canon = ";".join(rec.canonical) if rec.canonical else given
        notes = json.dumps(list(rec.notes), ensure_ascii=False) if rec.notes else None
        return (self.rid, self.lang.code, rec.lemma, rec.form, given, canon, rec.line, notes)


class BibleWriter(_Writer):
    sql = ("INSERT INTO verses(resource_id, book, chapter, verse, verse_end, ref, sort_key, text, line) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")

    def row(self, rec: Verse) -> tuple:
        if not isinstance(rec, Verse):
            raise LexresError(f"a bible import got a {type(rec).__name__}")
        return (self.rid, rec.book, rec.chapter, rec.verse, rec.verse_end, rec.ref,
                sort_key(rec.book, rec.chapter, rec.verse), rec.text, rec.line)


class LexiconWriter(_Writer):
    """Pairs repeated within one resource collapse into one row with a count; all rows are written at
    close, since a lexicon is small next to memory and collapsing needs to see them all."""

    sql = ("INSERT INTO lexicon(resource_id, src_lang, src_word, src_key, tgt_lang, tgt_word, tgt_key, pos, "
           "sense, gloss, weight, count, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")

    def __init__(self, *args):
        super().__init__(*args)
        self.pairs: dict[tuple, list] = {}
        self.duplicates = 0

    def _lang(self, given: str | None, default: Lang | None, side: str) -> Lang:
        if given is None:
            if default is None:
                raise LexresError(f"the {side} language of this pair is not known",
                                  hint=f"pass --{'lang' if side == 'source' else 'target-lang'}")
            return default
        lg = resolve(given)
        self.langs.add(lg)
        return lg

    def add(self, rec: LexiconPair) -> None:
        if not isinstance(rec, LexiconPair):
            raise LexresError(f"a lexicon import got a {type(rec).__name__}")
        src = self._lang(rec.src_lang, self.lang, "source")
        tgt = self._lang(rec.tgt_lang, self.target, "target")
        sw, tw = normalize(rec.src_word), normalize(rec.tgt_word)
        if not sw or not tw:
            raise LexresError("empty word in a pair")
        ident = (src.code, sw, tgt.code, tw, rec.pos, rec.sense)
        seen = self.pairs.get(ident)
        if seen is not None:
            seen[11] += 1
            self.duplicates += 1
            return
        self.pairs[ident] = [self.rid, src.code, sw, key(sw), tgt.code, tw, key(tw), rec.pos, rec.sense,
                             rec.gloss, rec.weight, 1, rec.line]

    def close(self) -> None:
        self.conn.executemany(self.sql, [tuple(r) for r in self.pairs.values()])
        if self.duplicates:
            self.notes.append(f"{self.duplicates} repeated pairs collapsed into counts")


WRITERS = {"morph": MorphWriter, "bible": BibleWriter, "lexicon": LexiconWriter}
