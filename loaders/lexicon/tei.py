"""FreeDict TEI P5 dictionaries: `entry/form/orth` headwords, `sense/cit[@type=trans]/quote` translations.

The DOCTYPE names a DTD that is not shipped: nothing external is ever loaded or expanded (see
`lexicon_common.xml_events`). Examples (`cit type="example"`) are not word pairs and are left out. A sense
without a translation `cit` but with `def` (eng-swh writes its Swahili there) gives its `def`s as pairs
marked as definitions (`LexiconPair.definition`). Nested `<sense>`s are read at every depth (labelled `1.2`),
every `<orth>` of the entry's `<form>` is a headword, an empty `<cit>` is no pair, and alternatives packed in
one `<quote>` (`avec, et`) become one pair each with the quote kept as gloss. The licence comes from the
header's `<availability>` unless --license is given. Languages: --lang/--target-lang, else the FreeDict file
name (`wol-fra.tei`), else the header's `<language ident>` (wol-fra.tei says `br` for Wolof, so the file
name is trusted before the header)."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.errors import LanguageError
from lexres.langs import resolve
from lexres.loaders.lexicon.common import fill_langs, has_entity, text_of, xml_events
from lexres.records import LexiconPair, Reject

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


# Alternatives packed in one `<quote>` (`avec, et`; `aller; partir`): split at `;`, and at `,` followed by a
# space (so `1,5` stays whole); the quote as written is kept as the pairs' gloss.
_ALTERNATIVES = re.compile(r"\s*;\s*|,\s+")
_SEMICOLONS = re.compile(r"\s*;\s*")


def split_alternatives(text: str, *, commas: bool = True) -> list[str]:
    """The alternatives of a field such as `avec, et` or `walk; stroll` (one item when there are none).
    `commas=False` splits at `;` only (FLEx writes several glosses as `walk; stroll`, while a comma there
    may sit inside one gloss)."""
    parts = [p.strip() for p in (_ALTERNATIVES if commas else _SEMICOLONS).split(text)]
    return [p for p in parts if p] or [text]


def _sense_tree(parent, prefix: tuple[int, ...] = ()) -> Iterator[tuple[tuple[int, ...], object]]:
    """(position path, sense) for every `<sense>` below `parent`, nested senses included, in document
    order; a level with a single sense adds no position (a lone sense needs no label)."""
    senses = parent.findall(f"{T}sense")
    for i, sense in enumerate(senses, 1):
        here = prefix + ((i,) if len(senses) > 1 else ())
        yield here, sense
        yield from _sense_tree(sense, here)


def _pairs(entry, path: Path, ctx) -> Iterator[LexiconPair | Reject]:
    line = entry.sourceline or 0
    orths = [o for o in entry.findall(f"{T}form/{T}orth") if text_of(o).strip()]
    if not orths:
        yield Reject(line, "entry without a headword (form/orth)", "", str(path))
        return
    for o in orths:
        if has_entity(o):
            ctx.note(f"{path.name}:{o.sourceline}: an entity reference in a headword was left unexpanded")
    heads = list(dict.fromkeys(text_of(o).strip() for o in orths))  # every spelling is a headword
    entry_pos = _entry_pos(entry)
    found: list[tuple[str, str | None, str | None, str | None, int, bool]] = []
    pos_of: dict[int, str | None] = {id(entry): entry_pos}
    for where, sense in _sense_tree(entry):
        parent = sense.getparent()
        sense_pos = _first_text(sense, f"{T}gramGrp/{T}pos") or pos_of.get(id(parent), entry_pos)
        pos_of[id(sense)] = sense_pos
        label = ".".join(map(str, where)) or None
        cits = [c for c in sense.findall(f"{T}cit[@type='trans']")
                if any(text_of(q).strip() for q in c.findall(f"{T}quote"))]  # an empty <cit> is no pair
        for cit in cits:
            pos = _first_text(cit, f"{T}pos") or sense_pos
            for quote in cit.findall(f"{T}quote"):
                text = " ".join(text_of(quote).split())
                if has_entity(quote):
                    ctx.note(f"{path.name}:{quote.sourceline}: an entity reference was left unexpanded")
                if not text:
                    continue
                alts = split_alternatives(text)
                gloss = text if len(alts) > 1 else None
                for alt in alts:
                    found.append((alt, pos, label, gloss, quote.sourceline or line, False))
        if not cits:
            for d in sense.findall(f"{T}def"):
                text = text_of(d).strip()
                if text:
                    ctx.note(f"{path.name}: senses without a translation <cit> give their <def>s as pairs "
                             "marked as definitions")
                    found.append((text, sense_pos, label, None, d.sourceline or line, True))
    if not found:
        yield Reject(line, f"entry `{heads[0]}` has no translation", "", str(path))
        return
    for head in heads:
        for text, pos, label, gloss, ln, is_def in found:
            yield LexiconPair(head, text, pos=pos, sense=label, gloss=gloss, line=ln, path=str(path),
                              definition=is_def)


def _header_text(path: Path, tag: str) -> str | None:
    """The text of the first `<tag>` element in the header (tags stripped, whitespace folded), found with a
    plain scan of the file's start; nothing is expanded."""
    with open(path, "rb") as fh:
        head = fh.read(65536).decode("utf-8", "replace")
    m = re.search(rf"<{tag}(\s[^>]*)?>(.*?)</{tag}>", head, re.S)
    if not m:
        return None
    target = re.search(r'<licence[^>]*\starget="([^"]+)"', m.group(0))
    text = " ".join(re.sub(r"<[^>]*>", " ", m.group(2)).split())
    if target and target.group(1) not in text:
        text = f"{text} ({target.group(1)})" if text else target.group(1)
    return text[:1000] or None


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
    """Yield a LexiconPair per translation (`sense/cit[@type=trans]/quote`) of each FreeDict TEI P5 entry,
    and a Reject (file, line) per entry without a headword; the licence comes from the header's
    <availability>.
    Raises LanguageError when the languages cannot be told, ParseError for malformed XML."""
    for path in paths:
        _set_langs(ctx, path)
        if getattr(ctx, "license", None) is None:
            ctx.license = _header_text(path, "availability")
            if ctx.license:
                ctx.note(f"licence taken from the TEI header <availability>: {ctx.license[:200]}")
        examples = 0
        for _, entry in xml_events(ctx, path, (f"{T}entry",)):
            examples += len(entry.findall(f".//{T}cit[@type='example']"))
            yield from _pairs(entry, path, ctx)
            entry.clear(keep_tail=True)
        if examples:
            ctx.note(f"{path.name}: {examples} usage examples (cit type=example) are not pairs; left out")


def sniff_tei(head: bytes, path: Path) -> float:
    """Score 0..1 that `head` is a TEI P5 document: 0.95 with an <entry> or <body> in view, else 0.6."""
    if head.lstrip().startswith(b"<") and NS.encode() in head and b"<TEI" in head:
        return 0.95 if b"<entry" in head or b"<body" in head else 0.6
    return 0.0
