"""Translation tables for substitution, read from the lexicons in the store.

A lexicon filed the other way round (e.g. `sw-en` when translating eng -> swh) is used reversed; how often
a pair is attested (rows x counts over all chosen resources, times a stored weight when there is one) is
its weight for weighted choice, and first-seen order (resource, line) is the order for `first`.
`lexres.loaders.lexicon_query.dictionary` weighs differently on purpose: it counts each resource once, since
a lookup answers "who gives this pair", while sampling should follow how often a pair is attested."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lexres.augment.substitute.tokenize import WORD, phrase_key
from lexres.errors import NotFoundError, OptionError
from lexres.langs import resolve
from lexres.store import Store, entries


@dataclass(frozen=True, slots=True)
class Entry:
    """Translations of one source key in first-seen order, with their weights."""

    targets: tuple[str, ...]
    weights: tuple[float, ...]


@dataclass(frozen=True)
class Table:
    """Source key (tokens, case-folded, space-joined) -> Entry; `exact` keeps case-sensitive keys so a
    capitalised entry such as a proper name wins over the folded one."""

    entries: dict[str, Entry]
    exact: dict[str, Entry]
    phrase_len: dict[str, int]  # first token (folded) -> longest phrase starting with it, in tokens
    resource_ids: tuple[int, ...] = ()
    hashes: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entries)


def build_table(
    pairs: Iterable[tuple[str, str, float]],
    resource_ids: Sequence[int] = (),
    hashes: dict[str, str] | None = None,
) -> Table:
    """Build a table from (source, target, weight) pairs in first-seen order; repeats add their weight."""
    acc: dict[str, dict[str, float]] = {}
    acc_exact: dict[str, dict[str, float]] = {}
    phrase_len: dict[str, int] = {}
    mixed: set[str] = set()  # keys that also got pairs from a source spelt otherwise (e.g. "Dog" for "dog")
    for src, tgt, weight in pairs:
        src, tgt = src.strip(), " ".join(tgt.split())
        if not src or not tgt:
            continue
        if WORD.fullmatch(src):
            k = exact_key = src.casefold()
            if src != k:
                mixed.add(k)
                exact_key = src
        else:
            k = phrase_key(src)
            parts = k.split(" ")
            if len(parts) > 1:
                phrase_len[parts[0]] = max(phrase_len.get(parts[0], 0), len(parts))
            exact_key = " ".join(src.split())
            if exact_key != k:
                mixed.add(k)
        slot = acc.get(k)
        if slot is None:
            slot = acc[k] = {}
        slot[tgt] = slot.get(tgt, 0.0) + weight
        slot = acc_exact.get(exact_key)
        if slot is None:
            slot = acc_exact[exact_key] = {}
        slot[tgt] = slot.get(tgt, 0.0) + weight

    entries = {k: Entry(tuple(v), tuple(v.values())) for k, v in acc.items()}
    # A key spelt as its folded form, whose pairs all came from that spelling, has the same entry in both
    # tables (the same pairs in the same order): share it, it is most of them.
    exact = {
        k: entries[k] if k in entries and k not in mixed else Entry(tuple(v), tuple(v.values()))
        for k, v in acc_exact.items()
    }
    return Table(entries, exact, phrase_len, tuple(resource_ids), dict(hashes or {}))


def lexicon_resources(store: Store, src: str, tgt: str, ids: Sequence[int] | None = None, *,
                      include_derived: bool = False) -> list:
    """Lexicon resources holding pairs between `src` and `tgt` (either direction, macrolanguages included):
    the ones named in `ids`, else the imported ones, plus derived ones (pivot, induced, anything with
    parents) only with `include_derived`, so data lexres made never leaks into a default run.

    Raises OptionError for a named resource that is not a lexicon, NotFoundError when none fits."""
    if ids:
        chosen = [store.resource(int(i)) for i in ids]
        for res in chosen:
            if res.kind != "lexicon":
                raise OptionError(
                    f"resource #{res.id} is a {res.kind}, not a lexicon",
                    hint="see `lexres list --kind lexicon`",
                )
        return chosen
    fam_s, fam_t = resolve(src).family, resolve(tgt).family
    out, skipped = [], []
    for rid in entries.lexicon_ids(store, fam_s, fam_t):  # the lexicons filed under both languages
        if entries.has_pairs(store, rid, fam_s, fam_t) or entries.has_pairs(store, rid, fam_t, fam_s):
            res = store.resource(rid)
            (out if include_derived or not res.derived else skipped).append(res)
    if not out:
        more = (f"; derived lexicons {', '.join(f'#{r.id}' for r in skipped)} are used only when named "
                "(--lexicon ID) or with --include-derived") if skipped else ""
        raise NotFoundError(
            f"no {'imported ' if skipped else ''}lexicon between {src} and {tgt} in the store{more}",
            hint=f"import one, e.g. `lexres import lexicon FILE --lang {tgt} --target-lang {src}`",
        )
    return out


def table_from_store(store: Store, src: str, tgt: str, ids: Sequence[int] | None = None, *,
                     include_derived: bool = False) -> Table:
    """The translation table src -> tgt from the chosen (or all matching imported, see `lexicon_resources`)
    lexicon resources."""
    resources = lexicon_resources(store, src, tgt, ids, include_derived=include_derived)
    fam_s, fam_t = resolve(src).family, resolve(tgt).family
    rids = [r.id for r in resources]

    def rows():
        for a, b, swap in ((fam_s, fam_t, False), (fam_t, fam_s, True)):
            for s, t, count, weight in entries.lexicon_rows(store, rids, a, b):
                w = float(count) * (float(weight) if weight is not None and weight > 0 else 1.0)
                yield (t, s, w) if swap else (s, t, w)

    return build_table(rows(), rids, {f"lexicon#{r.id}": r.sha256 for r in resources})
