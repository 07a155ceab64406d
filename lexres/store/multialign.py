"""N-way verse alignment: a verse x translation matrix for any set of stored Bible translations.

Every translation is put on the canonical `org` versification (lexres.versification). Verses and verse ranges
of all translations that share an org verse are joined into one row (a merged verse `2-3` in any translation
makes one row of org verses 2 and 3), so a row is the smallest set of org verses every translation can fill
honestly. A translation has a cell in a row only when its verses there cover exactly the row's org verses;
covering part of them is counted as partial, never shown as a translation. For two translations the rows
that both fill are exactly the pairs of `lexres.store.bible.align`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lexres.books import KEY_LIMIT, is_book, sort_key
from lexres.errors import OptionError
from lexres.records import Verse
from lexres.store.bible import translation, verses
from lexres.store.core import Resource, Store
from lexres.versification import org_keys


@dataclass(frozen=True)
class Coverage:
    """One translation's share of the matrix: `verses` stored (ranges count once), `rows` it fills, `share`
    = rows / all rows (0-1), `partial` verses left out because they cover only part of a row's org verses,
    `ranges` stored verse ranges."""

    resource: int
    name: str
    lang: str
    variety: str
    scheme: str
    verses: int
    ranges: int
    rows: int
    share: float
    partial: int


@dataclass(frozen=True)
class MultiRow:
    """One row: its org reference (`MRK 1:2-3` for a joined row), canonical sort key (BBCCCVVV of its first
    org verse), and per translation (in the order given) its own reference and text, None without a cell."""

    org_ref: str
    sort_key: int
    refs: tuple[str | None, ...]
    texts: tuple[str | None, ...]


@dataclass(frozen=True)
class MultiAlignment:
    """The matrix: translations (columns), rows in canonical order, coverage per translation, and how many
    rows every translation fills (`complete`)."""

    translations: tuple[Resource, ...]
    rows: tuple[MultiRow, ...]
    coverage: tuple[Coverage, ...]
    complete: int

    def summary(self) -> dict:
        """Rows, complete rows and per-translation coverage as JSON-able data."""
        return {
            "translations": len(self.translations),
            "rows": len(self.rows),
            "complete": self.complete,
            "scheme": "org",
            "coverage": [c.__dict__ for c in self.coverage],
        }


def org_ref(keys: Sequence[tuple[str, int, int]]) -> str:
    """The reference of a run of org verses (sorted): `MRK 1:2`, `MRK 1:2-3`, `MRK 1:45-2:1`."""
    first, last = keys[0], keys[-1]
    if first == last:
        return f"{first[0]} {first[1]}:{first[2]}"
    if first[:2] == last[:2]:
        return f"{first[0]} {first[1]}:{first[2]}-{last[2]}"
    if first[0] == last[0]:
        return f"{first[0]} {first[1]}:{first[2]}-{last[1]}:{last[2]}"
    return f"{first[0]} {first[1]}:{first[2]}-{last[0]} {last[1]}:{last[2]}"


def _own_ref(units: list) -> str:
    """A translation's own reference for the verses it puts in one row."""
    book, chapter, verse, end, _, _ = units[0]
    if len(units) == 1:
        return f"{book} {chapter}:{verse}" + (f"-{end}" if end and end != verse else "")
    lb, lc, lv, le, _, _ = units[-1]
    last = le or lv
    if (book, chapter) == (lb, lc):
        return f"{book} {chapter}:{verse}-{last}"
    return f"{book} {chapter}:{verse}-{lc}:{last}"


def multialign(store: Store, specs: Sequence[str | int | Resource]) -> MultiAlignment:
    """Align any number of translations (resource ids, language codes = their largest Bible, or Resources)
    verse by verse on the org scheme; see the module docstring.

    Raises OptionError (fewer than two translations, one given twice), NotFoundError (no such Bible)."""
    res = [s if isinstance(s, Resource) else translation(store, s) for s in specs]
    if len(res) < 2:
        raise OptionError("aligning needs at least two translations")
    ids = [r.id for r in res]
    if len(set(ids)) != len(ids):
        raise OptionError("a translation is given twice", hint=f"resources: {', '.join(map(str, ids))}")
    parent: dict = {}

    def find(k):
        root = k
        while root in parent and parent[root] != root:
            root = parent[root]
        while k in parent and parent[k] != root:  # path compression
            parent[k], k = root, parent[k]
        return root

    units: list[list[tuple]] = []
    for r in res:
        scheme = r.scheme or "eng"
        mine = []
        for v in verses(store, r):
            keys = org_keys(scheme, v.book, v.chapter, v.verse, v.verse_end)
            mine.append((v.book, v.chapter, v.verse, v.verse_end, v.text, tuple(keys)))
            if len(keys) > 1:
                r0 = find(keys[0])
                for k in keys[1:]:
                    rk = find(k)
                    if rk != r0:
                        parent[rk] = r0
        units.append(mine)
    n = len(res)
    groups: dict = {}
    for t, mine in enumerate(units):
        for u in mine:
            cells = groups.get(root := find(u[5][0]))
            if cells is None:
                cells = groups[root] = [None] * n
            if cells[t] is None:
                cells[t] = [u]
            else:
                cells[t].append(u)
    filled, partial = [0] * n, [0] * n
    rows = []
    complete = 0
    for cells in groups.values():
        every = {k for side in cells if side for u in side for k in u[5]}
        refs: list[str | None] = [None] * n
        texts: list[str | None] = [None] * n
        for t, side in enumerate(cells):
            if not side:
                continue
            if {k for u in side for k in u[5]} != every:
                partial[t] += len(side)
                continue
            refs[t] = _own_ref(side)
            texts[t] = " ".join(u[4] for u in side)
            filled[t] += 1
        if not any(x is not None for x in texts):
            continue
        complete += all(x is not None for x in texts)
        keys = sorted(every, key=lambda k: sort_key(*k))
        rows.append(MultiRow(org_ref(keys), sort_key(*keys[0]), tuple(refs), tuple(texts)))
    rows.sort(key=lambda row: row.sort_key)
    total = len(rows)
    coverage = tuple(
        Coverage(
            r.id,
            r.name,
            r.lang,
            r.variety,
            r.scheme or "eng",
            len(units[t]),
            sum(1 for u in units[t] if u[3]),
            filled[t],
            filled[t] / total if total else 0.0,
            partial[t],
        )
        for t, r in enumerate(res)
    )
    return MultiAlignment(tuple(res), tuple(rows), coverage, complete)


def bibles_of(store: Store, spec: str) -> list[Resource]:
    """The translations an N-way alignment runs over: `all` (the largest Bible of every language in the
    store, by code), or a comma-separated list of codes and resource ids (in the order given).

    Raises NotFoundError (a language without a Bible), OptionError (empty list)."""
    if spec.strip().lower() == "all":
        langs = sorted({r.lang for r in store.resources("bible")})
        return [translation(store, code) for code in langs]
    parts = [p.strip() for p in spec.replace(" ", ",").split(",") if p.strip()]
    if not parts:
        raise OptionError(
            "no translation named", hint="give `all` or codes / resource ids such as swh,zul,12"
        )
    return [translation(store, p) for p in parts]


def chapter_verses(store: Store, rid: int, chapters) -> list[Verse]:
    """The verses of Bible resource `rid` in the given (book, chapter)s, in canonical order: one index range
    (resource_id, sort_key) per chapter, so a lookup reads a chapter, not the whole Bible."""
    rows = []
    for book, chapter in chapters:
        if is_book(book) and 0 <= chapter < KEY_LIMIT:
            low = sort_key(book, chapter, 0)
            rows += store.conn.execute(
                "SELECT sort_key, id, book, chapter, verse, text, verse_end, line FROM verses WHERE "
                "resource_id = ? AND sort_key BETWEEN ? AND ?",
                (rid, low, low + KEY_LIMIT - 1),
            ).fetchall()
    rows.sort(key=lambda r: (r[0], r[1]))
    return [Verse(b, c, v, text, e, line) for _, _, b, c, v, text, e, line in rows]
