"""Loose lookups on an indexed text column: the stored words that match a query once case and diacritics are
ignored (`--fold`), and near matches for a word that is not there ("did you mean ...?").

Both walk the store's (language, word) index (for lexicons (language, resource, word), one walk per
resource) as a trie instead of reading a language's words into Python:
the distinct characters that follow a prefix are found by one index seek each (a "loose index scan": the
first value >= prefix + c, then jump past c), a branch is dropped as soon as its prefix cannot lead to a
match (Levenshtein rows over folded keys: 0 edits for --fold, 1 for suggestions), and the words under a
prefix are read only once fewer than 500 of them are left there. `lexres.text.fold` works character by
character, so the folded key of a prefix is a prefix of the folded key of every word under it, which is what
makes pruning by prefix exact.

Measured on the Irish UniMorph table (107,298 entries) on a shared 2-core machine: a --fold lookup takes a few
milliseconds and reads a few hundred words; a suggestion 25-200 ms, reading 2,000-7,000 words (reading all
107k forms into Python takes ~100-200 ms on its own and grows with the table; this does not).
`tests/cli/test_fold_and_suggest_cli.py` checks that a 60,000-word table is not read whole."""
from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lexres.errors import OptionError
from lexres.store.core import Store
from lexres.text import fold, normalize

# The indexed columns these lookups may walk: name -> (table, word column, language column, whether the
# index has the resource between the language and the word). The word column must follow the language (and
# the resource) in an index: morph_lang_form, morph_lang_lemma, lexicon_src, lexicon_tgt. A per-resource
# column is walked once per language and resource, for the resources the caller names.
COLUMNS = {
    "morph.form": ("morph", "form", "lang", False),
    "morph.lemma": ("morph", "lemma", "lang", False),
    "lexicon.src": ("lexicon", "src_fold", "src_lang", True),
    "lexicon.tgt": ("lexicon", "tgt_fold", "tgt_lang", True),
}
_FETCH = 500  # a prefix with more words than this is walked deeper instead of read
_POOL = 20_000  # candidate words scored at most


def _succ(ch: str) -> str | None:
    """The next code point after `ch` that SQLite can hold (surrogates skipped), or None after U+10FFFF."""
    n = ord(ch) + 1
    if 0xD800 <= n <= 0xDFFF:
        n = 0xE000
    return chr(n) if n <= 0x10FFFF else None


def _upper(prefix: str) -> str | None:
    """The least string above every string that starts with `prefix` (None: no bound)."""
    while prefix:
        nxt = _succ(prefix[-1])
        if nxt is not None:
            return prefix[:-1] + nxt
        prefix = prefix[:-1]
    return None


@dataclass(frozen=True)
class _Walk:
    """One indexed column of one language code (and one resource, for a per-resource index), walked as a
    trie."""

    store: Store
    table: str
    column: str
    lang_column: str
    lang: str
    resource: int | None = None

    def _where(self) -> tuple[str, list]:
        if self.resource is None:
            return f"{self.lang_column} = ?", [self.lang]
        return f"{self.lang_column} = ? AND resource_id = ?", [self.lang, self.resource]

    def _first(self, op: str, start: str, hi: str | None) -> str | None:
        where, args = self._where()
        sql = f"SELECT {self.column} FROM {self.table} WHERE {where} AND {self.column} {op} ?"
        args.append(start)
        if hi is not None:
            sql += f" AND {self.column} < ?"
            args.append(hi)
        row = self.store.conn.execute(sql + f" ORDER BY {self.column} LIMIT 1", args).fetchone()
        return row[0] if row else None

    def children(self, prefix: str) -> tuple[list[str], bool]:
        """The distinct characters that follow `prefix` in the stored words, in code point order, and
        whether `prefix` itself is a stored word."""
        hi, out, exact = _upper(prefix), [], False
        op, start = ">=", prefix
        while True:
            value = self._first(op, start, hi)
            if value is None:
                return out, exact
            if len(value) == len(prefix):  # the prefix itself is a stored word: step past it
                exact, op, start = True, ">", prefix
                continue
            ch = value[len(prefix)]
            out.append(ch)
            nxt = _succ(ch)
            if nxt is None:
                return out, exact
            op, start = ">=", prefix + nxt

    def crowded(self, prefix: str, lengths: tuple[int, int] | None) -> bool:
        """Whether more than _FETCH stored words start with `prefix` (one index step past the _FETCH-th
        entry, in SQLite, nothing read into Python)."""
        sql, args = self._range(prefix, lengths)
        return self.store.conn.execute(sql + f" LIMIT 1 OFFSET {_FETCH}", args).fetchone() is not None

    def _range(self, prefix: str, lengths: tuple[int, int] | None) -> tuple[str, list]:
        where, args = self._where()
        sql = f"SELECT {self.column} FROM {self.table} WHERE {where} AND {self.column} >= ?"
        args.append(prefix)
        hi = _upper(prefix)
        if hi is not None:
            sql += f" AND {self.column} < ?"
            args.append(hi)
        if lengths is not None:
            sql += f" AND length({self.column}) BETWEEN ? AND ?"
            args += list(lengths)
        return sql, args

    def under(self, prefix: str, lengths: tuple[int, int] | None = None) -> list[str]:
        """Distinct stored words that start with `prefix` (`lengths`: only words whose length in characters
        is in this closed range), in index order."""
        sql, args = self._range(prefix, lengths)
        return list(dict.fromkeys(r[0] for r in self.store.conn.execute(sql, args)))


def _walks(store: Store, where: str, langs: Sequence[str], resources: Sequence[int] | None) -> list[_Walk]:
    """The walks over `where` for the language codes `langs` (and each of `resources`, required for a
    per-resource column)."""
    table, column, lang_column, per_resource = COLUMNS[where]
    if not per_resource:
        return [_Walk(store, table, column, lang_column, lang) for lang in dict.fromkeys(langs)]
    if resources is None:
        raise OptionError(f"{where} is indexed per resource: name the resources to walk")
    return [_Walk(store, table, column, lang_column, lang, rid)
            for lang in dict.fromkeys(langs) for rid in dict.fromkeys(resources)]


def _step(row: list[int], ch: str, q: str) -> list[int]:
    """The Levenshtein row of a prefix one (folded) character longer: row[j] = edits between the prefix's
    key and q[:j]."""
    out = [row[0] + 1]
    for j in range(1, len(q) + 1):
        out.append(min(out[j - 1] + 1, row[j] + 1, row[j - 1] + (q[j - 1] != ch)))
    return out


def _candidates(walk: _Walk, q: str, edits: int, lengths: tuple[int, int] | None,
                budget: int = _POOL) -> Iterator[str]:
    """Stored words whose folded key may be within `edits` edits of `q` in its first characters: the index
    is walked as a trie (Levenshtein rows per prefix, a branch pruned once every row value exceeds `edits`),
    and the words under a prefix are read as soon as fewer than _FETCH of them are there (so only the start
    of a word is held to the edit bound; the rest is for the caller to score). A prefix whose key is already
    within bound of the whole query is offered itself when stored. At most `budget` words."""
    stack: list[tuple[str, list[int]]] = [("", list(range(len(q) + 1)))]
    given = 0
    while stack and given < budget:
        prefix, row = stack.pop()
        if len(prefix) >= 64 or not walk.crowded(prefix, lengths):
            for value in walk.under(prefix, lengths):
                given += 1
                yield value
            continue
        chars, exact = walk.children(prefix)
        if exact and row[-1] <= edits:
            given += 1
            yield prefix
        for ch in reversed(chars):  # popped in code point order
            nxt = row
            for x in fold(ch):
                nxt = _step(nxt, x, q)
            if min(nxt) <= edits:
                stack.append((prefix + ch, nxt))


def folded_matches(store: Store, where: str, langs: Sequence[str], query: str, *,
                   resources: Sequence[int] | None = None) -> list[str]:
    """The distinct stored words of `where` (a key of COLUMNS) under the language codes `langs` (in
    `resources`, which a per-resource column needs) whose folded
    key (`lexres.text.fold`: case and diacritics ignored) equals the query's, sorted. Empty when none.
    Only the words under the prefixes that fold to a prefix of the query are read (see `_candidates`)."""
    q = fold(normalize(query))
    if not q:
        return []
    found: set[str] = set()
    for walk in _walks(store, where, langs, resources):
        found.update(v for v in _candidates(walk, q, 0, None, budget=1 << 40) if fold(v) == q)
    return sorted(found)


def near_matches(store: Store, where: str, langs: Sequence[str], query: str, *, n: int = 5,
                 cutoff: float = 0.6, resources: Sequence[int] | None = None) -> list[str]:
    """Up to `n` stored words of `where` under `langs` (in `resources`, which a per-resource column needs)
    that look like `query`, best first: difflib's
    similarity ratio (0-1, at least `cutoff`) between folded keys, so a case or accent slip scores 1.0.

    Candidates are the words whose start is within one edit of the query's (a wrong, missing, extra or
    swapped letter anywhere, e.g. a Bantu class prefix: `kitbu` finds `kitabu` and `vitabu`) and whose length
    is within 3 of the query's, found by walking the index (`_candidates`); at most 20,000 are scored.
    Source: difflib.SequenceMatcher (Ratcliff/Obershelp)."""
    q = fold(normalize(query))
    if not q:
        return []
    lengths = (max(1, len(q) - 3), len(q) + 3)
    by_key: dict[str, set[str]] = {}
    for walk in _walks(store, where, langs, resources):
        for value in _candidates(walk, q, 1, lengths, budget=_POOL - len(by_key)):
            by_key.setdefault(fold(value), set()).add(value)
    best = difflib.get_close_matches(q, list(by_key), n=n, cutoff=cutoff)
    out: list[str] = []
    for k in best:
        out.extend(sorted(by_key[k]))
    return out[:n]


def did_you_mean(words: Sequence[str], query: str | None = None) -> str | None:
    """`did you mean `a`, `b`?` for suggestions, or None when there are none (for an error's hint); with the
    `query`, a pointer to --fold when a suggestion differs from it only in case or diacritics."""
    if not words:
        return None
    text = "did you mean " + ", ".join(f"`{w}`" for w in words) + "?"
    if query is not None and any(fold(w) == fold(normalize(query)) for w in words):
        text += " (--fold ignores case and diacritics)"
    return text
