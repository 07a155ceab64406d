"""Writing aligned Bible text (a TSV with references, or line-aligned files) with a manifest, and looking a
verse up in every translation of a language (through the org scheme, so `MAL 4:1` finds org `MAL 3:19`)."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from lexres.provenance import write_manifest
from lexres.records import Verse
from lexres.refs import VerseRef, parse_verse_ref
from lexres.store import Resource, Store
from lexres.store.bible import Alignment, translations, verses
from lexres.store.multialign import chapter_verses
from lexres.versification import org_keys, to_org

TSV_HEADER = ["ref", "ref_b", "org_ref", "text_a", "text_b"]


def _clean(text: str) -> str:
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def write_alignment(result: Alignment, out: str | Path, layout: str = "tsv", *,
                    force: bool = False) -> list[Path]:
    """Write the pairs as `out` (TSV: ref, ref_b, org_ref, text_a, text_b) or, with layout "lines", as
    `out.<a>`, `out.<b>` and `out.ref`, one pair per line; then the manifest. Every file is written
    atomically through `lexres.outputs` (all destinations checked first). Returns the files written.

    Raises OptionError for an unknown layout or a destination lexres may not replace."""
    from lexres.errors import OptionError
    from lexres.outputs import atomic_output, check_destination, listed_by

    out = Path(out)
    if layout == "tsv":
        files = {"pairs": out}
    elif layout == "lines":
        sa, sb = result.a.variety, result.b.variety
        if sa == sb:
            sa, sb = f"{sa}.a", f"{sb}.b"
        files = {"a": out.with_name(f"{out.name}.{sa}"), "b": out.with_name(f"{out.name}.{sb}"),
                 "refs": out.with_name(f"{out.name}.ref")}
    else:
        raise OptionError(f"unknown layout `{layout}`", hint="tsv or lines")
    # the files of layout "lines" share `out`'s manifest, which lists them: that says lexres made them
    side = out.with_name(out.name + ".manifest.json")
    allowed = {k: force or listed_by(side, p) for k, p in files.items()}
    for key, p in files.items():
        check_destination(p, force=allowed[key])
    if layout == "tsv":
        with atomic_output(out, force=force, newline="\n") as fh:
            fh.write("\t".join(TSV_HEADER) + "\n")
            for ref_a, ref_b, org, text_a, text_b in result.pairs:  # plain TSV: no quoting, tabs folded
                fh.write(f"{ref_a}\t{ref_b}\t{org}\t{_clean(text_a)}\t{_clean(text_b)}\n")
    else:
        for key, column in (("a", 3), ("b", 4), ("refs", 0)):
            with atomic_output(files[key], force=allowed[key], newline="\n") as fh:
                for pair in result.pairs:
                    fh.write((pair[0] if column == 0 else _clean(pair[column])) + "\n")
    summary = result.summary()
    write_manifest(out, "bible align", input_hashes={f"a:#{result.a.id}": result.a.sha256,
                                                     f"b:#{result.b.id}": result.b.sha256},
                   params={"a": result.a.id, "b": result.b.id, "layout": layout, "scheme": "org"},
                   counts=summary, outputs=files if layout == "lines" else None)
    return list(files.values())


def lookup(store: Store, res: Resource, ref: str | VerseRef, scheme: str = "eng") -> list[Verse]:
    """The verses of `res` that hold `ref` (read in `scheme`), found through the org scheme; a verse range
    that covers the reference is returned whole. A text `ref` is read as a user's reference
    (lexres.refs.parse_verse_ref: USFM code, OSIS id or English book name).

    Raises OptionError for a reference that is not a verse of `scheme`."""
    if not isinstance(ref, VerseRef):
        ref = parse_verse_ref(ref, scheme)
    book, chapter, number, end = ref.book, ref.chapter, ref.verse, ref.verse_end
    want = set(org_keys(scheme, book, chapter, number, end))
    own = res.scheme or "eng"
    # Only the chapters that can hold it are read (through the (resource_id, sort_key) index): those of the
    # org verses wanted, of the reference itself, and of the verses of `own` that map onto them.
    inverse = _from_org(own)
    chapters = {k[:2] for k in want} | {(book, chapter)} | {s[:2] for k in want for s in inverse.get(k, ())}
    return [v for v in chapter_verses(store, res.id, chapters)
            if want.intersection(org_keys(own, v.book, v.chapter, v.verse, v.verse_end))]


@cache
def _from_org(scheme: str) -> dict:
    """org verse -> the verses of `scheme` that map onto it (those listed in the scheme's table)."""
    out: dict = {}
    for src, targets in to_org(scheme).items():
        for t in targets:
            out.setdefault(t, []).append(src)
    return out


def show(store: Store, lang: str, ref: str | VerseRef, scheme: str = "eng") -> list[dict]:
    """`ref` in every Bible of `lang`'s family (`Lang.family`: its macrolanguage's Bibles for an individual
    language, its members' for a macrolanguage), one row per Bible: resource id, name, lang (the code it is
    filed under), variety, `via` (that code when it is not `lang`'s own) with `found_under` (the
    lexres.langs.FoundUnder as a dict, with its `note` line; else None), scheme and the verses found (an
    empty list when the Bible lacks the verse). A text `ref` is read as in `lookup`.

    Raises OptionError for a reference that is not a verse of `scheme`."""
    from lexres.langs import found_under, resolve

    query = resolve(lang)
    if not isinstance(ref, VerseRef):
        ref = parse_verse_ref(ref, scheme)
    rows = []
    for res in translations(store, lang):
        found = lookup(store, res, ref, scheme)
        via = found_under(query, [res.lang])
        rows.append({"resource": res.id, "name": res.name, "lang": res.lang, "variety": res.variety,
                     "via": None if res.lang == query.code else res.lang,
                     "found_under": via[0].to_dict() if via else None, "scheme": res.scheme or "eng",
                     "verses": [{"ref": v.ref, "text": v.text} for v in found]})
    return rows


__all__ = ["write_alignment", "lookup", "show", "verses"]
