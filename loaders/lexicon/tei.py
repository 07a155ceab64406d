"""FreeDict TEI P5 dictionaries: `entry/form/orth` headwords, `sense/cit[@type=trans]/quote` translations.

The DOCTYPE names a DTD that is not shipped: nothing external is ever loaded or expanded (see
`lexicon_common.xml_events`). Examples (`cit type="example"`) are not word pairs and are left out. A sense
without a translation `cit` but with `def` (eng-swh writes its Swahili there) gives its `def`s as the
translations. Languages: --lang/--target-lang, else the FreeDict file name (`wol-fra.tei`), else the header's
`<language ident>` (wol-fra.tei says `br` for Wolof, so the file name is trusted before the header)."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.errors import LanguageError
from lexres.langs import resolve
from lexres.records import LexiconPair, Reject

from lexres.loaders.lexicon.common import fill_langs, has_entity, text_of, xml_events

NS = "http://www.tei-c.org/ns/1.0"
T = f"{{{NS}}}"


def _first_text(el, path: str) -> str | None:
    found = el.find(path)
    if found is None:
        return None
    text = text_of(found).strip()
    return text or None


def _entry_pos(entry) -> str | None:
    for path in (f"{T}form/{T}gramGrp/{T}pos", f"{T}gramGrp/{T}pos"):
        pos = _first_text(entry, path)
        if pos:
            return pos
    return None


def _pairs(entry, path: Path, ctx) -> Iterator[LexiconPair | Reject]:
    line = entry.sourceline or 0
    orth_el = entry.find(f"{T}form/{T}orth")
    if orth_el is None or not text_of(orth_el).strip():
        yield Reject(line, "entry without a headword (form/orth)", "", str(path))
        return
    if has_entity(orth_el):
        ctx.note(f"{path.name}:{line}: an entity reference in a headword was left unexpanded")
    head = text_of(orth_el)
    entry_pos = _entry_pos(entry)
    senses = entry.findall(f"{T}sense")
    found = False
    for i, sense in enumerate(senses, 1):
        sense_pos = _first_text(sense, f"{T}gramGrp/{T}pos") or entry_pos
        label = str(i) if len(senses) > 1 else None
        cits = sense.findall(f"{T}cit[@type='trans']")
        for cit in cits:
            pos = _first_text(cit, f"{T}pos") or sense_pos
            for quote in cit.findall(f"{T}quote"):
                text = text_of(quote).strip()
                if has_entity(quote):
                    ctx.note(f"{path.name}:{quote.sourceline}: an entity reference was left unexpanded")
                if text:
                    found = True
                    yield LexiconPair(head, text, pos=pos, sense=label, line=quote.sourceline or line,
                                      path=str(path))
        if not cits:
            for d in sense.findall(f"{T}def"):
                text = text_of(d).strip()
                if text:
                    found = True
                    ctx.note(f"{path.name}: senses without a translation cit give their <def> as translation")
                    yield LexiconPair(head, text, pos=sense_pos, sense=label, line=d.sourceline or line,
                                      path=str(path))
    if not found:
        yield Reject(line, f"entry `{head.strip()}` has no translation", "", str(path))


def _header_langs(path: Path) -> tuple[str | None, str | None]:
    """`<language ident=".." n="source|target">` codes from the header, read with a plain scan (the header
    comes before any entry; no entity or DTD is involved)."""
    with open(path, "rb") as fh:
        head = fh.read(65536).decode("utf-8", "replace")
    found: dict[str, str] = {}
    for m in re.finditer(r"<language\s+([^>]*)>", head):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        if "ident" in attrs and attrs.get("n") in ("source", "target"):
            found[attrs["n"]] = attrs["ident"]
    return found.get("source"), found.get("target")


def _set_langs(ctx, path: Path) -> None:
    fill_langs(ctx, path)
    src, tgt = _header_langs(path)
    for side, code in (("lang", src), ("target_lang", tgt)):
        if code is None:
            continue
        try:
            lang = resolve(code)
        except LanguageError:
            ctx.note(f"{path.name}: header language `{code}` is not an ISO code; ignored")
            continue
        current = getattr(ctx, side)
        if current is None:
            setattr(ctx, side, lang)
            ctx.note(f"{side.replace('_', ' ')} {lang.code} taken from the TEI header")
        elif current.code != lang.code:
            ctx.note(f"{path.name}: the header says {side.replace('_', ' ')} `{code}` ({lang.name}) but "
                     f"{current.code} ({current.name}) is used (flags or file name win)")
    if ctx.lang is None or ctx.target_lang is None:
        raise LanguageError(f"{path}: cannot tell the languages of this TEI dictionary",
                            hint="pass --lang and --target-lang")


def read_tei(paths: Sequence[Path], ctx) -> Iterator[LexiconPair | Reject]:
    for path in paths:
        _set_langs(ctx, path)
        examples = 0
        for _, entry in xml_events(ctx, path, (f"{T}entry",)):
            examples += len(entry.findall(f".//{T}cit[@type='example']"))
            yield from _pairs(entry, path, ctx)
            entry.clear(keep_tail=True)
        if examples:
            ctx.note(f"{path.name}: {examples} usage examples (cit type=example) are not pairs; left out")


def sniff_tei(head: bytes, path: Path) -> float:
    if head.lstrip().startswith(b"<") and NS.encode() in head and b"<TEI" in head:
        return 0.95 if b"<entry" in head or b"<body" in head else 0.6
    return 0.0
