"""Lexicon operations beyond lookup: pivoting A-B + B-C into a derived A-C resource, coverage of a text,
and export of a language pair as a MUSE-style TSV or a Parquet file (each with a manifest)."""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from lexres import __version__
from lexres.errors import NotFoundError, OptionError
from lexres.langs import Lang, resolve
from lexres.manifest import write_manifest
from lexres.records import LexiconPair
from lexres.store import Store
from lexres.text import key, normalize
from lexres.writers import LexiconWriter

from .lexicon_query import dictionary


def pair_resources(store: Store, a: str | Lang, b: str | Lang) -> list[int]:
    """Ids of the resources holding pairs between a and b (either direction, macrolanguages included)."""
    la, lb = (x if isinstance(x, Lang) else resolve(x) for x in (a, b))
    fa, fb = list(la.family), list(lb.family)
    qa, qb = ",".join("?" * len(fa)), ",".join("?" * len(fb))
    rows = store.query(
        f"SELECT DISTINCT resource_id FROM lexicon WHERE (src_lang IN ({qa}) AND tgt_lang IN ({qb})) "
        f"OR (src_lang IN ({qb}) AND tgt_lang IN ({qa})) ORDER BY resource_id", fa + fb + fb + fa)
    return [r[0] for r in rows]


# -- pivot ----------------------------------------------------------------------------------------------

def compose(ab: dict[str, list[tuple[str, float]]], bc: dict[str, list[tuple[str, float]]],
            *, min_score: float = 0.0,
            fold_case: bool = False) -> Iterable[tuple[str, str, float, tuple[str, ...]]]:
    """(a, c, score, pivot words) for every a whose translation b has a translation c.
    score = sum over b of P(b|a) * P(c|b), each P the pair weight over the word's total weight, so a word's
    scores sum to at most 1 and a pair reached through several pivots scores higher."""
    for a_word, bs in ab.items():
        total_ab = sum(w for _, w in bs) or 1.0
        scores: dict[str, float] = {}
        via: dict[str, list[str]] = {}
        for b_word, w_ab in bs:
            cs = bc.get(key(b_word, fold_case=fold_case))
            if not cs:
                continue
            total_bc = sum(w for _, w in cs) or 1.0
            for c_word, w_bc in cs:
                scores[c_word] = scores.get(c_word, 0.0) + (w_ab / total_ab) * (w_bc / total_bc)
                via.setdefault(c_word, []).append(b_word)
        for c_word, score in scores.items():
            if score >= min_score:
                yield a_word, c_word, round(score, 6), tuple(via[c_word])


@dataclass(frozen=True)
class PivotResult:
    status: str  # imported | unchanged | replaced
    resource_id: int
    name: str
    pairs: int
    sources: int
    derived_from: tuple[int, ...]
    sha256: str

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def pivot(store: Store, a: str, b: str, c: str, *, name: str | None = None, min_score: float = 0.0,
          replace: bool = False, progress=None) -> PivotResult:
    """Compose the a-b and b-c lexicons of the store into an a-c lexicon stored as a derived resource
    (format `pivot`, `derived_from` = every parent resource, the score as the pair weight)."""
    la, lb, lc = resolve(a), resolve(b), resolve(c)
    if len({la.code, lb.code, lc.code}) < 3:
        raise OptionError("pivot needs three different languages A B C")
    left, right = pair_resources(store, la, lb), pair_resources(store, lb, lc)
    for lx, ly, ids in ((la, lb, left), (lb, lc, right)):
        if not ids:
            raise NotFoundError(f"no {lx.code}-{ly.code} lexicon in the store",
                                hint=f"import one first (`lexres import lexicon ... --lang {lx.code} "
                                     f"--target-lang {ly.code}`)")
    parents = tuple(sorted(set(left + right)))
    params = {"a": la.tag, "b": lb.tag, "c": lc.tag, "min_score": min_score, "score": "sum_b P(b|a)P(c|b)"}
    digest = _derived_sha(store, parents, params)
    name = name or f"pivot {la.tag}-{lb.tag}-{lc.tag}"
    same = store.conn.execute("SELECT id FROM resources WHERE kind = 'lexicon' AND sha256 = ?",
                              (digest,)).fetchone()
    if same is not None and not replace:
        res = store.resource(same[0])
        return PivotResult("unchanged", res.id, res.name, res.entries, len(parents), parents, digest)
    if progress is not None:
        progress.start(3, f"pivot {la.code}-{lb.code}-{lc.code}")
    ab = dictionary(store, la, lb, resources=left)
    if progress is not None:
        progress.advance(1)
    bc = dictionary(store, lb, lc, resources=right)
    if progress is not None:
        progress.advance(1)
    records = (LexiconPair(aw, cw, la.tag, lc.tag, weight=score, gloss="via " + ", ".join(via[:5]))
               for aw, cw, score, via in compose(ab, bc, min_score=min_score))
    notes = [f"pivoted through {lb.code}: {len(ab)} {la.code} words, {len(bc)} {lb.code} words",
             "weight = sum over pivot words b of P(b|a) * P(c|b)"]
    rid, n, replaced = store_derived(store, name, la, lc, records, parents, digest, "pivot", params, notes,
                                     replace=replace)
    if progress is not None:
        progress.advance(1)
    return PivotResult("replaced" if replaced else "imported", rid, name, n, len(parents), parents, digest)


def _derived_sha(store: Store, parents: Sequence[int], params: dict) -> str:
    h = hashlib.sha256()
    for rid in parents:
        h.update(store.resource(rid).sha256.encode())
    h.update(json.dumps(params, sort_keys=True).encode())
    return h.hexdigest()


def store_derived(store: Store, name: str, lang: Lang, target: Lang, records: Iterable[LexiconPair],
                  parents: Sequence[int], digest: str, fmt: str, params: dict, notes: list[str], *,
                  replace: bool = False) -> tuple[int, int, int | None]:
    """Store pairs computed from other resources as one resource, in one transaction.
    Returns (resource id, pairs stored, id of the replaced resource or None)."""
    replaced = None
    with store.transaction() as conn:
        existing = store.find_named("lexicon", name, lang.tag)
        if existing is not None:
            if not replace:
                raise OptionError(f"a lexicon resource named `{name}` exists (#{existing.id})",
                                  hint="pass --replace, or --name to keep both")
            store._delete(existing.id)
            replaced = existing.id
        for lg in (lang, target):
            store.ensure_language(lg)
        cur = conn.execute(
            "INSERT INTO resources(kind, format, name, lang, variety, target_lang, target_variety, scheme, "
            "source_path, sha256, importer_version, imported_at, options, derived_from) "
            "VALUES ('lexicon', ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)",
            (fmt, name, lang.code, lang.tag, target.code, target.tag, fmt, digest, f"lexres {__version__}",
             datetime.now(timezone.utc).isoformat(timespec="seconds"), json.dumps(params),
             json.dumps(list(parents))))
        rid = cur.lastrowid
        writer = LexiconWriter(store, rid, lang, target)
        n = 0
        for rec in records:
            writer.add(rec)
            n += 1
        writer.close()
        conn.execute("UPDATE resources SET n_read = ?, n_stored = ?, notes = ? WHERE id = ?",
                     (n, n, json.dumps(notes + writer.notes, ensure_ascii=False), rid))
        conn.executemany("INSERT OR IGNORE INTO resource_langs(resource_id, lang, variety) VALUES (?, ?, ?)",
                         [(rid, lg.code, lg.tag) for lg in writer.langs])
    return rid, n, replaced


# -- coverage ---------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*")


def tokens(text: str) -> list[str]:
    """Word tokens: runs of letters/digits (U+02BC and other modifier letters count as letters), joined
    through inner hyphens and apostrophes."""
    return _TOKEN.findall(normalize(text))


@dataclass(frozen=True)
class Coverage:
    tokens: int
    tokens_covered: int
    types: int
    types_covered: int
    phrases_matched: int
    top_missing: tuple[tuple[str, int], ...]

    @property
    def token_share(self) -> float:
        return self.tokens_covered / self.tokens if self.tokens else 0.0

    @property
    def type_share(self) -> float:
        return self.types_covered / self.types if self.types else 0.0

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["top_missing"] = [list(x) for x in self.top_missing]
        return {**d, "token_share": round(self.token_share, 6), "type_share": round(self.type_share, 6)}


def coverage(store: Store, src: str, tgt: str, lines: Iterable[str], *, fold_case: bool = False,
             resources: Sequence[int] | None = None, top: int = 10) -> Coverage:
    """Share of the tokens and types of a text that the src->tgt lexicon can translate. A token is covered
    when it, or a multi-word entry it starts or continues (longest match), is in the lexicon; a type is
    covered when the word alone is."""
    vocab = set(dictionary(store, src, tgt, resources=resources, fold_case=fold_case))
    longest = max((len(k.split(" ")) for k in vocab), default=1)
    n_tok = n_cov = phrases = 0
    seen: dict[str, bool] = {}
    missing: dict[str, int] = {}
    for line in lines:
        toks = [key(t, fold_case=fold_case) for t in tokens(line)]
        i = 0
        while i < len(toks):
            span = 1
            for n in range(min(longest, len(toks) - i), 1, -1):
                if " ".join(toks[i:i + n]) in vocab:
                    span = n
                    break
            if span > 1:
                phrases += 1
                n_cov += span
            elif toks[i] in vocab:
                n_cov += 1
            else:
                missing[toks[i]] = missing.get(toks[i], 0) + 1
            for t in toks[i:i + span]:
                seen[t] = t in vocab
            n_tok += span
            i += span
    worst = sorted(missing.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return Coverage(n_tok, n_cov, len(seen), sum(seen.values()), phrases, tuple(worst))


def read_text_lines(path: str | Path) -> Iterable[str]:
    with open(path, encoding="utf-8-sig") as fh:
        yield from fh


# -- export -------------------------------------------------------------------------------------------

def export_pairs(store: Store, src: str, tgt: str, out: str | Path, *, to: str = "muse",
                 resources: Sequence[int] | None = None) -> int:
    """Write every src->tgt pair (both stored directions) as MUSE-style `src<TAB>tgt` lines, or as Parquet
    (src_word, tgt_word, weight); a manifest records the resources used. Returns the number of pairs."""
    if to not in ("muse", "parquet"):
        raise OptionError(f"--to must be muse or parquet, not `{to}`")
    ids = list(resources) if resources else pair_resources(store, src, tgt)
    pairs = [(s, t, w) for s, ts in sorted(dictionary(store, src, tgt, resources=ids).items())
             for t, w in ts]
    if not pairs:
        raise NotFoundError(f"no {src}-{tgt} pairs in the store")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if to == "muse":
        with open(out, "w", encoding="utf-8", newline="\n") as fh:
            for s, t, _ in pairs:
                fh.write(f"{s}\t{t}\n")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.table({"src_word": [p[0] for p in pairs], "tgt_word": [p[1] for p in pairs],
                                 "weight": [p[2] for p in pairs]}), out)
    hashes = {f"resource:{r}": store.resource(r).sha256 for r in ids}
    write_manifest(out, "lexicon export", input_hashes=hashes,
                   params={"src": resolve(src).tag, "tgt": resolve(tgt).tag, "to": to},
                   counts={"pairs": len(pairs), "source_words": len({p[0] for p in pairs})})
    return len(pairs)
