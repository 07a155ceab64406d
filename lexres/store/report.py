"""The queries behind `lexres report` and `lexres lang`: what the store holds per language and kind, the shape
of its morphology (POS, paradigm sizes, UniMorph dimensions, unknown tags), how much of the Bible each
translation covers against the org versification, the lexicons with their partner languages and sizes, the
resources lexres derived (texts, lexicons, models) with their parents, and the Unicode scripts of the stored
text. Every answer is a frozen dataclass (`to_dict()` gives JSON); shares are fractions 0-1.

A query for a language searches the codes that serve it: itself, its macrolanguage and, for a macrolanguage,
its individual languages (`codes_for`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache

from lexres.books import books
from lexres.errors import ParseError
from lexres.features import analyze, schema
from lexres.langs import Lang, resolve
from lexres.records import Result
from lexres.store.core import Store
from lexres.store.lexicon import Coverage, TokenCounts, coverage
from lexres.versification import org_keys, standard_vref

SAMPLE = 2000  # strings per source (forms, verses, lexicon words) read to detect the scripts
POS_DIMENSION = "Part of Speech"


def codes_for(lang: str | Lang) -> tuple[str, ...]:
    """The ISO 639-3 codes whose entries serve `lang`: itself, its macrolanguage, its individual languages."""
    lg = lang if isinstance(lang, Lang) else resolve(lang)
    return tuple(dict.fromkeys(lg.family + lg.individuals))


def _marks(codes) -> str:
    return ",".join("?" * len(codes))


# -- resources -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ResourceLine(Result):
    """One resource serving a language, with its provenance. `entries_here`: its entries in this language;
    `via`: the code it is filed under when that is not the language itself (`via_scope` macrolanguage or
    individual); `parents`: ids it was derived from; `derived`: made by lexres rather than imported."""

    id: int
    kind: str
    format: str
    name: str
    variety: str
    target_variety: str | None
    entries: int
    entries_here: int
    license: str | None
    citation: str | None
    sources: tuple[str, ...]
    sha256: str
    imported_at: str
    importer_version: str
    scheme: str | None
    n_rejected: int
    via: str | None
    via_scope: str | None
    langs: tuple[str, ...]
    parents: tuple[int, ...]
    derived: bool
    options: dict
    notes: tuple[str, ...]


def resources_of(store: Store, lang: str, listing: dict | None = None) -> tuple[ResourceLine, ...]:
    """Every resource serving `lang` (see `Store.language`), in id order. `listing`: the answer of
    `store.language(lang)` when the caller already has it (it is not asked again)."""
    out = []
    for r in (store.language(lang) if listing is None else listing)["resources"]:
        res = store.resource(r["id"])
        out.append(
            ResourceLine(
                r["id"],
                r["kind"],
                r["format"],
                r["name"],
                r["variety"],
                r["target_variety"],
                r["entries"],
                r["entries_here"],
                r["license"],
                r["citation"],
                tuple(p for p in (r["source_path"] or "").split(";") if p),
                r["sha256"],
                r["imported_at"],
                r["importer_version"],
                r["scheme"],
                r["n_rejected"],
                r["via"],
                r["via_scope"],
                tuple(r["langs"]),
                tuple(int(i) for i in r["derived_from"]),
                res.derived,
                dict(r["options"]),
                tuple(r["notes"]),
            )
        )
    return tuple(out)


# -- morphology ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MorphSummary(Result):
    """The morphology of a language. `pos`: part of speech -> (entries, lemmas); `paradigm_sizes`: number of
    distinct feature bundles with a form per lemma -> lemmas with that many; `dimensions`: UniMorph dimension
    ->
    entries using a tag of it (`(unknown)` for tags outside the schema); `unknown_tags`: tag -> entries."""

    entries: int
    lemmas: int
    forms: int
    covered: int
    bundles: int
    pos: dict[str, tuple[int, int]]
    paradigm_sizes: dict[int, int]
    dimensions: dict[str, int]
    unknown_tags: dict[str, int]
    resources: tuple[int, ...]


def _bundle_facts(canon: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """(POS, dimensions used, unknown atoms) of one canonical bundle; an unparsable bundle is all unknown."""
    sch = schema()
    try:
        bundle = analyze(canon)
    except ParseError:
        return "(none)", ("(unknown)",), (canon,)
    atoms = [a for t in bundle.tags for a in t.atoms()]
    dims = tuple(dict.fromkeys(sch.dimension(a) or "(unknown)" for a in atoms))
    pos = next((a for a in atoms if sch.dimension(a) == POS_DIMENSION), "(none)")
    return pos, dims, bundle.unknown


def morph_summary(store: Store, lang: str) -> MorphSummary | None:
    """The morphology stored for `lang` (all its codes), or None when there is none.

    Costs one pass over the language's rows (grouped by lemma, bundle and resource); the totals are counted
    on the (lang, lemma) and (lang, form) indexes alone, without reading the table."""
    codes = codes_for(lang)
    where, args = f"lang IN ({_marks(codes)})", list(codes)

    def one(sql: str) -> int:
        return store.conn.execute(sql, args).fetchone()[0]

    n = one(f"SELECT COUNT(*) FROM morph WHERE {where}")
    if not n:
        return None
    lemmas = one(f"SELECT COUNT(DISTINCT lemma) FROM morph WHERE {where}")
    forms = one(f"SELECT COUNT(DISTINCT form) FROM morph WHERE {where}")
    covered = one(f"SELECT COUNT(*) FROM morph WHERE {where} AND form IS NULL")
    facts: dict[str, tuple] = {}
    per_bundle: Counter = Counter()  # entries per canonical bundle, in order of first appearance
    pos_lemmas: dict[str, set] = {}
    cells: Counter = Counter()
    seen_rids: set[int] = set()
    formed = None  # the last (lemma, bundle) counted as a cell: rows come sorted, one per resource
    rows = store.conn.execute(
        f"SELECT lemma, features_canon, COUNT(*), SUM(form IS NOT NULL), resource_id FROM morph "
        f"WHERE {where} GROUP BY lemma, features_canon, resource_id "
        f"ORDER BY lemma, features_canon, resource_id",
        args,
    )
    for lemma, canon, count, with_form, rid in rows:
        fact = facts.get(canon)
        if fact is None:
            fact = facts[canon] = _bundle_facts(canon)
        seen_rids.add(rid)
        per_bundle[canon] += count
        pos_lemmas.setdefault(fact[0], set()).add(lemma)
        if with_form and formed != (lemma, canon):
            formed = (lemma, canon)
            cells[lemma] += 1
    pos_entries: Counter = Counter()
    dims: Counter = Counter()
    unknown: Counter = Counter()
    bundles = set(per_bundle)
    for canon, count in per_bundle.items():
        pos, used, unk = facts[canon]
        pos_entries[pos] += count
        for d in used:
            dims[d] += count
        for t in unk:
            unknown[t] += count
    sizes = Counter(cells.values())
    rids = tuple(sorted(seen_rids))
    return MorphSummary(
        n,
        lemmas,
        forms,
        covered,
        len(bundles),
        {p: (c, len(pos_lemmas[p])) for p, c in pos_entries.most_common()},
        dict(sorted(sizes.items())),
        dict(dims.most_common()),
        dict(unknown.most_common()),
        rids,
    )


# -- Bible ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChapterCoverage(Result):
    """One chapter of the org versification: verses it has (`expected`) and verses a translation covers."""

    book: str
    chapter: int
    expected: int
    present: int


@dataclass(frozen=True)
class BibleSummary(Result):
    """One translation against the org versification (its own verse numbers mapped through its scheme).
    `testaments`: those with at least one verse; `chapters`: every chapter of those testaments, in canonical
    order; `expected` and `covered`: org verses of those testaments, and those some stored verse covers;
    `absent_books`: books of those testaments with no verse at all; `missing`: org verses of the books it has
    that no verse covers (gaps); `extra`: stored verses that map to no verse of the standard list; `empty`:
    verses stored with no text (counted as missing)."""

    resource_id: int
    name: str
    variety: str
    scheme: str
    verses: int
    empty: int
    testaments: tuple[str, ...]
    books: tuple[str, ...]
    absent_books: tuple[str, ...]
    chapters: tuple[ChapterCoverage, ...]
    expected: int
    covered: int
    missing: tuple[str, ...]
    extra: tuple[str, ...]

    @property
    def share(self) -> float:
        """Share (0-1) of the org verses of its testaments that the translation covers."""
        return self.covered / self.expected if self.expected else 0.0


@cache
def _vref_by_chapter() -> dict[tuple[str, int], tuple[int, ...]]:
    """(book, chapter) -> its verse numbers in the org versification, in canonical order (read once)."""
    out: dict[tuple[str, int], list[int]] = {}
    for book, ch, v in standard_vref():
        out.setdefault((book, ch), []).append(v)
    return {k: tuple(vs) for k, vs in out.items()}


def bible_summary(store: Store, rid: int) -> BibleSummary:
    """Coverage of one stored translation against the org versification (see BibleSummary)."""
    res = store.resource(rid)
    scheme = res.scheme or "eng"
    vref = _vref_by_chapter()
    covered: set[tuple[str, int, int]] = set()
    n = empty = 0
    extra = []
    for book, ch, v, end, has_text in store.conn.execute(
        "SELECT book, chapter, verse, verse_end, text != '' FROM verses WHERE resource_id = ? "
        "ORDER BY sort_key, id",
        (rid,),
    ):
        n += 1
        if not has_text:
            empty += 1
            continue
        for key in org_keys(scheme, book, ch, v, end):
            if key[2] in vref.get(key[:2], ()):
                covered.add(key)
            else:
                extra.append(f"{key[0]} {key[1]}:{key[2]}")
    table = books()
    have_books = {k[0] for k in covered}
    testaments = tuple(t for t in ("OT", "NT", "DC") if any(table[b][2] == t for b in have_books))
    chapters, missing = [], []
    for (book, ch), verses in vref.items():
        if table[book][2] not in testaments:
            continue
        present = sum(1 for v in verses if (book, ch, v) in covered)
        chapters.append(ChapterCoverage(book, ch, len(verses), present))
        if book in have_books:
            missing.extend(f"{book} {ch}:{v}" for v in verses if (book, ch, v) not in covered)
    expected = sum(c.expected for c in chapters)
    absent = tuple(dict.fromkeys(c.book for c in chapters if c.book not in have_books))
    return BibleSummary(
        rid,
        res.name,
        res.variety,
        scheme,
        n,
        empty,
        testaments,
        tuple(sorted(have_books, key=lambda b: table[b][0])),
        absent,
        tuple(chapters),
        expected,
        len(covered),
        tuple(missing),
        tuple(extra),
    )


def bible_ids(store: Store, lang: str) -> tuple[int, ...]:
    """Ids of the Bible translations serving `lang`, largest first."""
    codes = codes_for(lang)
    rows = store.conn.execute(
        f"SELECT id FROM resources WHERE kind = 'bible' AND lang IN ({_marks(codes)}) "
        f"ORDER BY n_stored DESC, id",
        codes,
    )
    return tuple(r[0] for r in rows)


def verse_texts(store: Store, rid: int) -> list[str]:
    """The verse texts of one translation in canonical order."""
    return [
        r[0]
        for r in store.conn.execute(
            "SELECT text FROM verses WHERE resource_id = ? AND text != '' ORDER BY sort_key, id", (rid,)
        )
    ]


# -- lexicons ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LexiconSide(Result):
    """One direction of one lexicon resource as seen from a language: `lang` is the code on the language's
    side (itself, its macrolanguage or an individual language), `direction` is `from` when that is the
    source side (lang -> partner), `to` when it is the target side; sizes count pairs, distinct words on the
    language's side and on the partner's side."""

    resource_id: int
    name: str
    format: str
    lang: str
    partner: str
    direction: str
    pairs: int
    words: int
    partner_words: int
    derived: bool


def lexicon_sides(store: Store, lang: str) -> tuple[LexiconSide, ...]:
    """Every lexicon direction involving `lang` (pairs within the language itself are listed once, `from`)."""
    codes = codes_for(lang)
    m = _marks(codes)
    out = []
    rows = store.conn.execute(
        f"SELECT resource_id, src_lang, tgt_lang, COUNT(*), COUNT(DISTINCT src_key), COUNT(DISTINCT tgt_key) "
        f"FROM lexicon WHERE src_lang IN ({m}) OR tgt_lang IN ({m}) GROUP BY resource_id, src_lang, tgt_lang "
        f"ORDER BY resource_id, src_lang, tgt_lang",
        codes + codes,
    ).fetchall()
    cache: dict[int, object] = {}
    for rid, src, tgt, pairs, n_src, n_tgt in rows:
        res = cache.get(rid) or cache.setdefault(rid, store.resource(rid))
        if src in codes:
            side = (src, tgt, "from", pairs, n_src, n_tgt)
        else:
            side = (tgt, src, "to", pairs, n_tgt, n_src)
        out.append(LexiconSide(rid, res.name, res.format, *side, res.derived))
    return tuple(out)


@dataclass(frozen=True)
class TextCoverage(Result):
    """How much of a Bible translation's text the lexicons into one partner language can translate
    (lexres.store.lexicon.coverage, case-folded, both stored directions)."""

    partner: str
    bible: int
    lexicons: tuple[int, ...]
    coverage: Coverage


def bible_tokens(store: Store, rid: int) -> TokenCounts:
    """The case-folded tokens of one translation's verse texts (lexres.store.lexicon.TokenCounts), to
    measure several lexicons' coverage of it (`bible_coverage`) with one read and one tokenisation."""
    return TokenCounts(verse_texts(store, rid), fold_case=True)


def bible_coverage(
    store: Store,
    lang: str,
    partner: str,
    bible: int,
    lexicons: tuple[int, ...],
    lines: list[str] | TokenCounts | None = None,
) -> TextCoverage:
    """Lexicon coverage of the text of translation `bible` by the `lexicons` between lang and partner.
    `lines`: that text when already read, as verse strings or as its `bible_tokens`."""
    text = verse_texts(store, bible) if lines is None else lines
    cov = coverage(store, resolve(lang).code, partner, text, fold_case=True, resources=list(lexicons))
    return TextCoverage(partner, bible, tuple(lexicons), cov)


# -- derived resources ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Parent(Result):
    """A resource another was derived from (`missing` when it has since been removed)."""

    id: int
    kind: str
    name: str
    missing: bool = False


def parents_of(store: Store, ids) -> tuple[Parent, ...]:
    """The parent resources named by id, in the given order."""
    out = []
    for i in ids:
        row = store.conn.execute("SELECT kind, name FROM resources WHERE id = ?", (int(i),)).fetchone()
        out.append(Parent(int(i), row[0], row[1]) if row else Parent(int(i), "?", "?", True))
    return tuple(out)


# -- scripts -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScriptUse(Result):
    """A Unicode script seen in the sampled text: ISO 15924 code, its name, letters counted, share (0-1)."""

    script: str
    name: str
    chars: int
    share: float


def text_samples(store: Store, lang: str, per_source: int = SAMPLE) -> list[str]:
    """Up to `per_source` strings from each of: morph forms (lemmas of covered lines), Bible verses and
    lexicon
    words on the language's side, spread evenly over the rows (every k-th row, so the answer is stable)."""
    codes = codes_for(lang)
    m = _marks(codes)
    sources = (  # (what, from where, row id)
        ("COALESCE(form, lemma)", f"morph WHERE lang IN ({m})", "id"),
        ("v.text", f"verses v JOIN resources r ON r.id = v.resource_id WHERE r.lang IN ({m})", "v.id"),
        ("src_word", f"lexicon WHERE src_lang IN ({m})", "id"),
        ("tgt_word", f"lexicon WHERE tgt_lang IN ({m})", "id"),
    )
    out: list[str] = []
    for what, where, row_id in sources:
        total = store.conn.execute(f"SELECT COUNT(*) FROM {where}", codes).fetchone()[0]
        if not total:
            continue
        step = -(-total // per_source)
        rows = store.conn.execute(
            f"SELECT {what} FROM {where} AND {row_id} % ? = 0 LIMIT ?", (*codes, step, per_source)
        )
        out.extend(r[0] for r in rows)
    return out


def script_counts(texts) -> tuple[ScriptUse, ...]:
    """Scripts of the letters and marks in `texts` (Unicode Script property via fontTools' tables; Common
    and Inherited characters such as digits, punctuation and combining marks are not counted), most first."""
    from fontTools import unicodedata as ucd

    counts: Counter = Counter()
    for text in texts:
        counts.update(text)
    by_script: Counter = Counter()
    for ch, n in counts.items():
        if ch.isascii() and not ch.isalpha():
            continue
        code = ucd.script(ch)
        if code not in ("Zyyy", "Zinh", "Zzzz"):
            by_script[code] += n
    total = sum(by_script.values())
    return tuple(
        ScriptUse(code, ucd.script_name(code, default=code), n, n / total)
        for code, n in sorted(by_script.items(), key=lambda kv: (-kv[1], kv[0]))
    )


def scripts_used(store: Store, lang: str, per_source: int = SAMPLE) -> tuple[ScriptUse, ...]:
    """The scripts actually written in the stored text of `lang`, from a sample (see `text_samples`)."""
    return script_counts(text_samples(store, lang, per_source))
