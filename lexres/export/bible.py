"""Writing aligned Bible text (a TSV with references, or line-aligned files) with a manifest, and looking a
verse up in every translation of a language (through the org scheme, so `MAL 4:1` finds org `MAL 3:19`)."""
from __future__ import annotations

from pathlib import Path

from lexres.provenance import write_manifest
from lexres.records import Verse
from lexres.store import Resource, Store

from lexres.store.bible import Alignment, translations, verses
from lexres.loaders.bible.common import parse_ref
from lexres.versification import org_keys

TSV_HEADER = ["ref", "ref_b", "org_ref", "text_a", "text_b"]


def _clean(text: str) -> str:
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def write_alignment(result: Alignment, out: str | Path, layout: str = "tsv") -> list[Path]:
    """Write the pairs as `out` (TSV: ref, ref_b, org_ref, text_a, text_b) or, with layout "lines", as
    `out.<a>`, `out.<b>` and `out.ref`, one pair per line; then the manifest. Returns the files written."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if layout == "tsv":
        with open(out, "w", encoding="utf-8", newline="\n") as fh:
            fh.write("\t".join(TSV_HEADER) + "\n")
            for ref_a, ref_b, org, text_a, text_b in result.pairs:  # plain TSV: no quoting, tabs folded
                fh.write(f"{ref_a}\t{ref_b}\t{org}\t{_clean(text_a)}\t{_clean(text_b)}\n")
        files = {"pairs": out}
    elif layout == "lines":
        sa, sb = result.a.variety, result.b.variety
        if sa == sb:
            sa, sb = f"{sa}.a", f"{sb}.b"
        files = {"a": out.with_name(f"{out.name}.{sa}"), "b": out.with_name(f"{out.name}.{sb}"),
                 "refs": out.with_name(f"{out.name}.ref")}
        handles = {k: open(p, "w", encoding="utf-8", newline="\n") for k, p in files.items()}
        try:
            for ref_a, _ref_b, _org, text_a, text_b in result.pairs:
                handles["a"].write(_clean(text_a) + "\n")
                handles["b"].write(_clean(text_b) + "\n")
                handles["refs"].write(ref_a + "\n")
        finally:
            for fh in handles.values():
                fh.close()
    else:
        from lexres.errors import OptionError

        raise OptionError(f"unknown layout `{layout}`", hint="tsv or lines")
    summary = result.summary()
    write_manifest(out, "bible align", input_hashes={f"a:#{result.a.id}": result.a.sha256,
                                                     f"b:#{result.b.id}": result.b.sha256},
                   params={"a": result.a.id, "b": result.b.id, "layout": layout, "scheme": "org"},
                   counts=summary, outputs=files if layout == "lines" else None)
    return list(files.values())


def lookup(store: Store, res: Resource, ref: str, scheme: str = "eng") -> list[Verse]:
    """The verses of `res` that hold `ref` (read in `scheme`), found through the org scheme; a verse range
    that covers the reference is returned whole."""
    book, chapter, number, end = parse_ref(ref)
    want = set(org_keys(scheme, book, chapter, number, end))
    books = {k[0] for k in want} | {book}
    own = res.scheme or "eng"
    out = []
    marks = ",".join("?" * len(books))
    cur = store.conn.execute(f"SELECT book, chapter, verse, text, verse_end, line FROM verses WHERE "
                             f"resource_id = ? AND book IN ({marks}) ORDER BY sort_key, id", (res.id, *books))
    for b, c, v, text, e, line in cur:
        if want.intersection(org_keys(own, b, c, v, e)):
            out.append(Verse(b, c, v, text, e, line))
    return out


def show(store: Store, lang: str, ref: str, scheme: str = "eng") -> list[dict]:
    """`ref` in every Bible of `lang` (and of its macrolanguage, marked `via`)."""
    from lexres.langs import resolve

    code = resolve(lang).code
    rows = []
    for res in translations(store, lang):
        found = lookup(store, res, ref, scheme)
        rows.append({"resource": res.id, "name": res.name, "lang": res.lang, "variety": res.variety,
                     "via": None if res.lang == code else res.lang, "scheme": res.scheme or "eng",
                     "verses": [{"ref": v.ref, "text": v.text} for v in found]})
    return rows


__all__ = ["write_alignment", "lookup", "show", "verses"]
