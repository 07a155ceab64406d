"""Per-kind writers: turn records into rows, batched with executemany inside the import transaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from itertools import chain

from lexres.books import books
from lexres.errors import LexresError
from lexres.kinds import kind_table
from lexres.langs import Lang, resolve
from lexres.records import LexiconPair, MorphEntry, Reject, Verse
from lexres.text import normalize
from lexres.versification import MAX_VERSE, chapter_limit, implausible

BATCH = 10_000
# parameters one statement may take: SQLite before 3.32 allows 999, later versions 32766
MAX_PARAMS = 32766 if sqlite3.sqlite_version_info >= (3, 32, 0) else 999


def insert_rows(conn, sql: str, rows: list[tuple]) -> None:
    """Run `sql` (an INSERT ... VALUES (?, ...)) for every row, many rows per statement: one statement of
    250 rows costs SQLite and the sqlite3 module far less than 250 statements of one row (about 30% less
    time inserting a whole Bible or UniMorph table)."""
    width = len(rows[0]) if rows else 1
    per = max(1, min(250, MAX_PARAMS // width))
    whole = len(rows) - len(rows) % per
    if whole:
        head, one = sql.rsplit("VALUES", 1)
        flat = list(chain.from_iterable(rows[:whole]))
        step = per * width
        conn.executemany(
            f"{head}VALUES {', '.join([one.strip()] * per)}",
            [flat[i : i + step] for i in range(0, len(flat), step)],
        )
    if whole < len(rows):
        conn.executemany(sql, rows[whole:])


# A definition (not a translation equivalent) is marked at the start of the stored gloss:
# `[definition]` alone, or `[definition] <the source's gloss>`; `is_definition(gloss)` tells them apart.
DEFINITION_MARK = "[definition]"


def is_definition(gloss: str | None) -> bool:
    """True when a stored lexicon gloss marks its pair's target as a definition."""
    return bool(gloss) and gloss.startswith(DEFINITION_MARK)  # type: ignore[union-attr]


def _gloss(rec: LexiconPair) -> str | None:
    if not rec.definition:
        return rec.gloss
    return f"{DEFINITION_MARK} {rec.gloss}" if rec.gloss else DEFINITION_MARK


def check_text(text: str | None) -> None:
    """Refuse text holding lone surrogates (bytes that were not UTF-8, or JSON `\\ud800` escapes), which
    SQLite cannot store.

    Raises LexresError."""
    if text and not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise LexresError(f"text is not valid Unicode (a lone surrogate at character {exc.start + 1})"
                              ) from None


class _Writer:
    sql = ""
    table = ""  # the entry table `sql` inserts into

    def __init__(self, store, rid: int, lang: Lang, target: Lang | None):
        self.conn, self.rid, self.lang, self.target = store.conn, rid, lang, target
        self.rows: list[tuple] = []
        self.langs: set[Lang] = {lang} | ({target} if target else set())
        self.notes: list[str] = []
        self._written = 0
        self._deferred: list[str] = []  # CREATE INDEX statements to run again at close
        self._before_max_id = 0
        if self.table:
            self._before_max_id = self.conn.execute(f"SELECT max(id) FROM {self.table}").fetchone()[0] or 0

    def add(self, rec) -> None:
        self.rows.append(self.row(rec))
        if len(self.rows) >= BATCH:
            self.flush()

    def consume(self, items: Iterable, on_reject: Callable[[Reject], None]) -> int:
        """Add every record of `items`; Rejects, and records this writer refuses, go to `on_reject`.
        Returns how many items were read."""
        n = 0
        for n, item in enumerate(items, 1):  # noqa: B007 (the count once the loop ends)
            self._one(item, on_reject)
        return n

    def _one(self, item, on_reject: Callable[[Reject], None]) -> None:
        if item.__class__ is Reject or isinstance(item, Reject):
            on_reject(item)
            return
        try:
            self.add(item)
        except LexresError as exc:  # e.g. a bad language code on one row of a CLDF table
            on_reject(Reject(getattr(item, "line", 0), str(exc), repr(item), getattr(item, "path", None)))

    def row(self, rec) -> tuple:
        raise NotImplementedError

    def flush(self) -> None:
        if self.rows:
            if not self._written and len(self.rows) >= BATCH and self.table:  # a large import
                self._defer_indexes()
            self._insert(self.rows)
            self._written += len(self.rows)
            self.rows = []

    def _insert(self, rows: list[tuple]) -> None:
        insert_rows(self.conn, self.sql, rows)

    def close(self) -> None:
        self.flush()
        for sql in self._deferred:
            self.conn.execute(sql)
        self._deferred = []

    def _defer_indexes(self) -> None:
        """Drop the table's indexes until `close` when the table holds no more rows than this import's first
        full batch: sorting every key once at the end is much cheaper than inserting them one at a time in
        random key order, and rebuilding the old rows' keys too costs at most as much again. All of it
        happens inside the import transaction, so other connections never see the gap."""
        # ids are distinct positive integers, so the largest id bounds the number of rows
        if self._before_max_id > len(self.rows):
            return
        indexes = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL "
            "ORDER BY name",
            (self.table,),
        ).fetchall()
        for name, sql in indexes:
            self.conn.execute(f'DROP INDEX "{name}"')
            self._deferred.append(sql)


class MorphWriter(_Writer):
    """Morph rows. Readers hand out the same feature tuples for every row of a bundle (they are parsed
    once per distinct bundle), so the joined texts are cached by tuple identity: the per-row work stays
    a few dict lookups, which is what keeps a 100k-row import close to a bare CSV read."""

    table = "morph"
    sql = (
        "INSERT INTO morph(resource_id, lang, lemma, form, features, features_canon, line, notes) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )

    def __init__(self, *args):
        super().__init__(*args)
        self._joined: dict[int, tuple[str, str, tuple, tuple]] = {}
        self._code = self.lang.code

    def _texts(self, features: tuple, canonical: tuple) -> tuple[str, str, tuple, tuple]:
        given = ";".join(features)
        canon = ";".join(canonical) if canonical else given
        return given, canon, features, canonical  # keeping the tuples alive pins their ids

    def add(self, rec: MorphEntry) -> None:
        """Queue one MorphEntry as a row (features as given and canonical, notes as JSON), flushing every
        BATCH rows.
        Raises LexresError for a record that is not a MorphEntry, or text SQLite cannot store (lone
        surrogates)."""
        if rec.__class__ is not MorphEntry and not isinstance(rec, MorphEntry):
            raise LexresError(f"a morph import got a {type(rec).__name__}")
        check_text(rec.lemma)
        check_text(rec.form)
        for note in rec.notes:
            check_text(note)
        feats = rec.features
        texts = self._joined.get(id(feats))
        if texts is None or texts[3] is not rec.canonical:
            if len(self._joined) > 50_000:  # callers building fresh tuples per row: keep memory bounded
                self._joined.clear()
            texts = self._joined[id(feats)] = self._texts(feats, rec.canonical)
        rows = self.rows
        rows.append(
            (
                self.rid,
                self._code,
                rec.lemma,
                rec.form,
                texts[0],
                texts[1],
                rec.line,
                json.dumps(list(rec.notes), ensure_ascii=False) if rec.notes else None,
            )
        )
        if len(rows) >= BATCH:
            self.flush()

    def consume(self, items: Iterable, on_reject: Callable[[Reject], None]) -> int:
        """Add every record of `items` (plain MorphEntries without notes take a fast path); Rejects, and
        records this writer refuses, go to `on_reject`. Returns how many items were read."""
        # `add` inlined for the common record (a table is 100k of them); anything else takes `_one`
        n, rid, code, joined = 0, self.rid, self._code, self._joined
        rows = self.rows
        for n, rec in enumerate(items, 1):  # noqa: B007 (the count once the loop ends)
            if rec.__class__ is MorphEntry and not rec.notes:
                feats = rec.features
                texts = joined.get(id(feats))
                if texts is not None and texts[3] is rec.canonical:
                    rows.append((rid, code, rec.lemma, rec.form, texts[0], texts[1], rec.line, None))
                    if len(rows) >= BATCH:
                        self.flush()
                        rows = self.rows
                    continue
            self._one(rec, on_reject)
            rows = self.rows
        return n

    def row(self, rec: MorphEntry) -> tuple:
        """The `morph` table row of one entry: resource id, language, lemma, form, features as given and
        canonical (`;`-joined), line, and notes as JSON (None without notes)."""
        given, canon, _, _ = self._texts(rec.features, rec.canonical)
        notes = json.dumps(list(rec.notes), ensure_ascii=False) if rec.notes else None
        return (self.rid, self.lang.code, rec.lemma, rec.form, given, canon, rec.line, notes)


class BibleWriter(_Writer):
    """Verses with their canonical sort key (a whole Bible streams through `add`, so it is kept lean).

    It sees every verse of a resource, so it refuses what no resource may hold, each as a Reject naming the
    verse's file and line: a reference given twice (a verse or verse range covering a verse already stored:
    a missing `\\c`, a repeated CES `<seg id>`, two files of one import that overlap), and a reference that
    cannot be right (lexres.versification.implausible: chapter or verse number out of range), which would
    also break the BBCCCVVV sort key."""

    table = "verses"
    sql = (
        "INSERT INTO verses(resource_id, book, chapter, verse, verse_end, ref, sort_key, text, line) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )

    def __init__(self, *args):
        super().__init__(*args)
        self.position = {code: pos * 1_000_000 for code, (pos, _, _) in books().items()}
        self.chapters = {code: chapter_limit(code) for code in self.position}
        self.seen: dict[int, tuple[int, str | None]] = {}  # sort key -> (line, path) of the verse holding it

    def _one(self, item, on_reject: Callable[[Reject], None]) -> None:
        if item.__class__ is Reject or isinstance(item, Reject):
            on_reject(item)
            return
        try:
            self.add(item)
        except LexresError as exc:
            on_reject(Reject(getattr(item, "line", 0), str(exc), str(getattr(item, "text", item))[:200],
                             getattr(item, "path", None)))

    def add(self, rec: Verse) -> None:
        """Queue one verse. Raises LexresError (a duplicate or implausible reference, an unknown book)."""
        if rec.__class__ is not Verse:
            raise LexresError(f"a bible import got a {type(rec).__name__}")
        book, chapter, number, end = rec.book, rec.chapter, rec.verse, rec.verse_end
        base = self.position.get(book)
        if base is None:
            raise LexresError(f"`{book}` is not a USFM book code")
        why = implausible(book, chapter, number, end)
        if why:
            raise LexresError(f"{book} {chapter}:{number}{f'-{end}' if end else ''}: {why}")
        key = base + chapter * 1_000 + number  # BBCCCVVV, as books.sort_key
        last = key + (end - number if end else 0)
        for k in range(key, last + 1):
            if k in self.seen:
                self._twice(rec, k)
        for k in range(key, last + 1):
            self.seen[k] = (rec.line, rec.path)
        rows = self.rows
        rows.append((self.rid, book, chapter, number, end, rec.ref if end else f"{book} {chapter}:{number}",
                     key, rec.text, rec.line))
        if len(rows) >= BATCH:
            self.flush()

    def _twice(self, rec: Verse, key: int) -> None:
        line, path = self.seen[key]
        ref = f"{rec.book} {rec.chapter}:{key % 1_000}"
        where = f"line {line}" if path == rec.path else f"{path}:{line}"
        raise LexresError(f"{ref} is given twice (first at {where}): a missing chapter marker, a repeated "
                          "verse number or id, or files that overlap")

    def consume(self, items: Iterable, on_reject: Callable[[Reject], None]) -> int:
        """Add every verse of `items` (a new single verse of a known book, within range, takes a fast
        path); Rejects, and verses this writer refuses (see the class), go to `on_reject`. Returns how
        many items were read."""
        # `add` inlined for a plain, new verse of a known book within the plausible ranges; anything else
        # takes `_one`
        n, rid, position, chapters, seen = 0, self.rid, self.position, self.chapters, self.seen
        rows = self.rows
        for n, rec in enumerate(items, 1):  # noqa: B007 (the count once the loop ends)
            if rec.__class__ is Verse and rec.verse_end is None:
                book, chapter, number = rec.book, rec.chapter, rec.verse
                base = position.get(book)
                if base is not None and 0 < chapter <= chapters[book] and 0 <= number <= MAX_VERSE:
                    key = base + chapter * 1_000 + number
                    if key not in seen:
                        seen[key] = (rec.line, rec.path)
                        rows.append((rid, book, chapter, number, None, f"{book} {chapter}:{number}", key,
                                     rec.text, rec.line))
                        if len(rows) >= BATCH:
                            self.flush()
                            rows = self.rows
                        continue
            self._one(rec, on_reject)
            rows = self.rows
        return n


class LexiconWriter(_Writer):
    """Pairs repeated within one resource collapse into one row with a count (same words, languages, POS
    and sense); rows are written at close, since collapsing needs to see them all (a lexicon fits in memory).
    The surface form is kept (NFC, whitespace folded); exact and case-folded keys are stored for lookups."""

    sql = (
        "INSERT INTO lexicon(resource_id, src_lang, src_variety, src_word, src_key, src_fold, tgt_lang, "
        "tgt_variety, tgt_word, tgt_key, tgt_fold, pos, sense, gloss, weight, count, line) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    COUNT, WEIGHT = 15, 14  # positions in a row list

    def __init__(self, *args):
        super().__init__(*args)
        self.pairs: dict[tuple, list] = {}
        self.duplicates = 0

    def _lang(self, given: str | None, default: Lang | None, side: str) -> Lang:
        if given is None:
            if default is None:
                raise LexresError(
                    f"the {side} language of this pair is not known",
                    hint=f"pass --{'lang' if side == 'source' else 'target-lang'}",
                )
            return default
        lg = resolve(given)
        self.langs.add(lg)
        return lg

    def add(self, rec: LexiconPair) -> None:
        """Queue one pair, normalized (NFC, whitespace folded); a pair seen before only adds to its count
        and keeps the highest weight. Raises LexresError for a record that is not a LexiconPair, an
        empty word, text SQLite cannot store, or a language that is not given (LanguageError for a bad
        language code)."""
        if not isinstance(rec, LexiconPair):
            raise LexresError(f"a lexicon import got a {type(rec).__name__}")
        for text in (rec.src_word, rec.tgt_word, rec.pos, rec.sense, rec.gloss):
            check_text(text)
        src = self.lang if rec.src_lang is None else self._lang(rec.src_lang, self.lang, "source")
        tgt = (
            self.target
            if rec.tgt_lang is None and self.target is not None
            else self._lang(rec.tgt_lang, self.target, "target")
        )
        sw, tw = normalize(rec.src_word), normalize(rec.tgt_word)
        if not sw or not tw:
            raise LexresError("empty word in a pair")
        pos = (normalize(rec.pos) or None) if rec.pos else None
        sense = (normalize(rec.sense) or None) if rec.sense else None
        ident = (src.tag, sw, tgt.tag, tw, pos, sense)
        seen = self.pairs.get(ident)
        if seen is not None:
            seen[self.COUNT] += 1
            if rec.weight is not None and (seen[self.WEIGHT] is None or rec.weight > seen[self.WEIGHT]):
                seen[self.WEIGHT] = rec.weight
            self.duplicates += 1
            return
        # sw/tw are already normalized, so their keys are themselves (text.key would normalize again)
        self.pairs[ident] = [
            self.rid,
            src.code,
            src.tag,
            sw,
            sw,
            sw.casefold(),
            tgt.code,
            tgt.tag,
            tw,
            tw,
            tw.casefold(),
            pos,
            sense,
            _gloss(rec),
            rec.weight,
            1,
            rec.line,
        ]

    def close(self) -> None:
        """Write the collapsed pairs (each with its count) and note how many repeated pairs were folded
        into counts."""
        self._insert([tuple(r) for r in self.pairs.values()])
        if self.duplicates:
            self.notes.append(
                f"{self.duplicates} repeated pairs collapsed into counts "
                f"({len(self.pairs)} distinct pairs stored)"
            )


_CLASSES = {cls.__name__: cls for cls in (MorphWriter, BibleWriter, LexiconWriter)}
WRITERS = {k.name: _CLASSES[k.writer] for k in kind_table()}  # the kind table names each kind's writer
