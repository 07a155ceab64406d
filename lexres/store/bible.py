"""Verse-aligned parallel text between two stored translations.

Both sides are put on the canonical `org` versification; verses (and verse ranges) that cover the same org
verses become one pair, so a merged verse `2-3` pairs with verses 2 and 3 of the other side joined, and a
pair is only made when both sides cover exactly the same verses. Everything else is counted, not hidden."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from lexres.books import sort_key
from lexres.errors import LanguageError, NotFoundError, OptionError
from lexres.langs import FoundUnder, found_under, resolve
from lexres.records import Result, Verse, plain
from lexres.store import Resource, Store
from lexres.versification import org_keys


@dataclass(frozen=True)
class Candidate(Result):
    """A Bible a translation spec could stand for: resource id, name, language variety, verses stored."""

    resource: int
    name: str
    variety: str
    verses: int


@dataclass(frozen=True)
class Choice(Result):
    """Which Bible a translation spec stands for, and why (see `choose`). `how` is `id`, `language` or
    `name`; `candidates` are the Bibles the spec could mean, the chosen one first; `reason` is one line
    for the user, e.g. `swh: chose #3 Swahili NT (7,941 verses; the most complete of 2: #3 7,941, #5 1,200)`.
    `bible` is the chosen Resource; `to_dict()` (the JSON view) leaves it out. `found_under` says when a
    language code was served by a Bible filed under another code of its family (`Lang.family`: `swa`
    found under `swh`, or `swh` under `swa`)."""

    spec: str
    how: str
    resource: int
    name: str
    variety: str
    verses: int
    candidates: tuple[Candidate, ...]
    reason: str
    bible: Resource = field(repr=False, compare=False)
    found_under: tuple[FoundUnder, ...] = ()

    def to_dict(self) -> dict:
        """The choice as JSON-able data, without the Resource row."""
        return {f: plain(getattr(self, f)) for f in self.__dataclass_fields__ if f != "bible"}


def choose(store: Store, spec: str | int) -> Choice:
    """The Bible `spec` stands for, with the reason: a resource id (`3` or `#3`); else a language code, which
    stands for the most complete Bible of its family (`Lang.family`: a macrolanguage's Bibles serve its
    members and its members' serve it), the one with the most verses (on a tie the lowest id, the one
    imported first); else a resource name (exact, then ignoring case).

    Raises OptionError for a resource that is not a Bible or a name several Bibles share (listed, so the
    user can give an id), NotFoundError when nothing matches."""
    text = str(spec).strip()
    digits = text[1:] if text.startswith("#") else text
    if isinstance(spec, int) or (digits.isascii() and digits.isdigit()):
        res = store.resource(int(digits))
        if res.kind != "bible":
            raise OptionError(f"resource #{res.id} is {res.kind}, not a Bible",
                              hint="see `lexres list --kind bible`")
        return _choice(text, "id", [res], f"{text}: #{res.id} {res.name} ({res.variety}, "
                                           f"{_count(res.entries)}), by resource id")
    try:
        found, not_a_language = store.resources("bible", text), None
    except LanguageError as exc:
        found, not_a_language = [], exc
    if found:
        ranked = sorted(found, key=lambda r: (-r.entries, r.id))
        best = ranked[0]
        several = len({r.variety for r in ranked}) > 1  # then each Bible named says its variety
        if len(ranked) == 1:
            why = f"the only Bible for {text}"
        else:
            tie = " (a tie: the lowest id)" if ranked[1].entries == best.entries else ""
            why = (f"the most complete of {len(ranked)}{tie}: "
                   + ", ".join(f"#{r.id} {r.entries:,}" + (f" {r.variety}" if several else "")
                               for r in ranked))
        variety = f"{best.variety}, " if several or best.lang != resolve(text).code else ""
        return _choice(text, "language", ranked, f"{text}: chose #{best.id} {best.name} "
                                                 f"({variety}{_count(best.entries)}; {why})",
                       found_under(text, [best.lang]))
    named = _named(store, text)
    if len(named) == 1:
        res = named[0]
        return _choice(text, "name", named, f"{text}: #{res.id} {res.name} ({res.variety}, "
                                            f"{_count(res.entries)}), by name")
    if named:
        listed = "; ".join(f"#{r.id} {r.name} ({r.variety}, {_count(r.entries)})" for r in named)
        raise OptionError(f"`{text}` names {len(named)} Bibles: {listed}",
                          hint="give the resource id of the one you mean")
    if not_a_language is None:
        raise NotFoundError(f"no Bible translation for `{text}` in the store",
                            hint="import one with `lexres import bible FILE --lang CODE`")
    raise NotFoundError(f"no Bible named `{text}` in the store, and `{text}` is not a language code "
                        f"({not_a_language})", hint="give a resource id, a language code or a Bible's name "
                        "(see `lexres list --kind bible`)")


def _count(verses: int) -> str:
    return f"{verses:,} verse" + ("" if verses == 1 else "s")


def _choice(spec: str, how: str, ranked: list[Resource], reason: str,
            found: tuple[FoundUnder, ...] = ()) -> Choice:
    best = ranked[0]
    candidates = tuple(Candidate(r.id, r.name, r.variety, r.entries) for r in ranked)
    return Choice(spec, how, best.id, best.name, best.variety, best.entries, candidates, reason, best, found)


def _named(store: Store, name: str) -> list[Resource]:
    """The Bibles called `name` exactly or, when none is, ignoring case; lowest id first."""
    rows = store.conn.execute("SELECT id, name FROM resources WHERE kind = 'bible' ORDER BY id").fetchall()
    ids = [rid for rid, n in rows if n == name] or [rid for rid, n in rows if n.casefold() == name.casefold()]
    return [store.resource(rid) for rid in ids]


def translation(store: Store, spec: str | int) -> Resource:
    """A Bible resource by id, language code (its most complete Bible) or name: `choose(...).bible`.

    Raises what `choose` raises."""
    return choose(store, spec).bible


def translations(store: Store, spec: str | int) -> list[Resource]:
    """Every Bible of a language's family (`Lang.family`: macrolanguages both ways), or the one resource
    named by id."""
    if isinstance(spec, int) or str(spec).isdigit():
        return [translation(store, spec)]
    return store.resources("bible", str(spec))


def verses(store: Store, spec: str | int | Resource) -> Iterator[Verse]:
    """The verses of a translation in canonical order (streamed from the store)."""
    res = spec if isinstance(spec, Resource) else translation(store, spec)
    cur = store.conn.execute("SELECT book, chapter, verse, text, verse_end, line FROM verses "
                             "WHERE resource_id = ? ORDER BY sort_key, id", (res.id,))
    for book, chapter, number, text, end, line in cur:
        yield Verse(book, chapter, number, text, end, line)


@dataclass(frozen=True)
class SideCoverage(Result):
    """One side of an alignment: the Bible resource (id, name, language, variety, versification scheme),
    its verses, verse ranges, verses only it has, and verses that overlap the other side only partly."""

    resource: int
    name: str
    lang: str
    variety: str | None
    scheme: str
    verses: int
    ranges: int
    only: int
    partial: int


@dataclass(frozen=True)
class Coverage(Result):
    """How two translations aligned: each side's coverage, the pairs made, the pairs that join a verse range
    or merged verses, the org verses the pairs cover, and the scheme they are keyed on (`org`).
    `to_dict()` is the JSON/manifest view that `Alignment.summary()` returns."""

    a: SideCoverage
    b: SideCoverage
    pairs: int
    range_pairs: int
    org_verses_aligned: int
    scheme: str = "org"


@dataclass
class Alignment:
    """The result of aligning two translations: pairs plus honest coverage counts. `pairs` are
    (ref_a, ref_b, org ref, text a, text b); `counts` holds the raw tallies that `coverage()` types."""

    a: Resource
    b: Resource
    pairs: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # ref_a, ref_b, org, text a/b
    counts: dict = field(default_factory=dict)

    def coverage(self) -> Coverage:
        """The coverage of this alignment as a typed record."""
        c = self.counts

        def side(name: str, res: Resource) -> SideCoverage:
            return SideCoverage(res.id, res.name, res.lang, res.variety, res.scheme or "eng",
                                c[f"verses_{name}"], c[f"ranges_{name}"], c[f"only_{name}"],
                                c[f"partial_{name}"])

        return Coverage(side("a", self.a), side("b", self.b), len(self.pairs), c["range_pairs"],
                        c["org_verses"])

    def summary(self) -> dict:
        """`coverage()` as JSON-able data, for `--json` output and manifest counts."""
        return self.coverage().to_dict()


def _units(store: Store, res: Resource) -> list[tuple[Verse, list]]:
    scheme = res.scheme or "eng"
    return [(v, org_keys(scheme, v.book, v.chapter, v.verse, v.verse_end)) for v in verses(store, res)]


def _ref(keys: list) -> str:
    first, last = keys[0], keys[-1]
    if first == last:
        return f"{first[0]} {first[1]}:{first[2]}"
    if first[:2] == last[:2]:
        return f"{first[0]} {first[1]}:{first[2]}-{last[2]}"
    if first[0] == last[0]:
        return f"{first[0]} {first[1]}:{first[2]}-{last[1]}:{last[2]}"
    return f"{first[0]} {first[1]}:{first[2]}-{last[0]} {last[1]}:{last[2]}"


def align(store: Store, a: str | int | Resource, b: str | int | Resource) -> Alignment:
    """Align two translations verse by verse on the org scheme (see the module docstring)."""
    ra = a if isinstance(a, Resource) else translation(store, a)
    rb = b if isinstance(b, Resource) else translation(store, b)
    ua, ub = _units(store, ra), _units(store, rb)
    parent: dict = {}

    def find(k):
        root = k
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[k] != root:  # path compression
            parent[k], k = root, parent[k]
        return root

    for _, keys in ua + ub:
        r0 = find(keys[0])
        for k in keys[1:]:
            rk = find(k)
            if rk != r0:
                parent[rk] = r0
    groups: dict = {}
    for side, units in ((0, ua), (1, ub)):
        for v, keys in units:
            groups.setdefault(find(keys[0]), ([], []))[side].append((v, keys))
    out = Alignment(ra, rb)
    c = dict.fromkeys(("only_a", "only_b", "partial_a", "partial_b", "range_pairs", "org_verses"), 0)
    c.update(verses_a=len(ua), verses_b=len(ub), ranges_a=sum(1 for v, _ in ua if v.verse_end),
             ranges_b=sum(1 for v, _ in ub if v.verse_end))
    order = []
    for side_a, side_b in groups.values():
        if not side_b:
            c["only_a"] += len(side_a)
            continue
        if not side_a:
            c["only_b"] += len(side_b)
            continue
        keys_a = {k for _, ks in side_a for k in ks}
        keys_b = {k for _, ks in side_b for k in ks}
        if keys_a != keys_b:  # overlapping but not the same verses: no honest pair exists
            c["partial_a"] += len(side_a)
            c["partial_b"] += len(side_b)
            continue
        keys = sorted(keys_a, key=lambda k: sort_key(*k))
        c["org_verses"] += len(keys)
        if len(side_a) > 1 or len(side_b) > 1 or len(keys) > 1:
            c["range_pairs"] += 1
        ref_a = _join_refs([v for v, _ in side_a])
        ref_b = _join_refs([v for v, _ in side_b])
        text_a = " ".join(v.text for v, _ in side_a)
        text_b = " ".join(v.text for v, _ in side_b)
        order.append((sort_key(*keys[0]), (ref_a, ref_b, _ref(keys), text_a, text_b)))
    order.sort(key=lambda t: t[0])
    out.pairs = [p for _, p in order]
    out.counts = c
    return out


def _join_refs(vs: list[Verse]) -> str:
    if len(vs) == 1:
        return vs[0].ref
    first, last = vs[0], vs[-1]
    end = last.verse_end or last.verse
    if (first.book, first.chapter) == (last.book, last.chapter):
        return f"{first.book} {first.chapter}:{first.verse}-{end}"
    return f"{first.ref}-{last.chapter}:{end}"


def aligned_pairs(store: Store, a: str | int, b: str | int) -> Iterator[tuple[str, str, str]]:
    """(reference, text_a, text_b) for every verse both translations have, in canonical order.
    `a`/`b` are resource ids or language codes (the largest Bible of that language); the reference is
    side a's own (e.g. `MAL 4:1` in an English-numbered Bible)."""
    for ref_a, _ref_b, _org, text_a, text_b in align(store, a, b).pairs:
        yield ref_a, text_a, text_b


def aligned_frame(store: Store, a: str | int, b: str | int):
    """The aligned pairs as a pandas DataFrame: ref_a, ref_b, org_ref, text_a, text_b."""
    import pandas as pd

    result = align(store, a, b)
    return pd.DataFrame.from_records(result.pairs, columns=["ref_a", "ref_b", "org_ref", "text_a", "text_b"])
