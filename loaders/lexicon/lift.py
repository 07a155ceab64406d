"""SIL LIFT lexicons (FieldWorks exports): every gloss language of a sense becomes a pair with the entry.

Each `lexical-unit/form` (vernacular writing system, e.g. `qaa`, `sg`) is paired with each sense `gloss`
(`en`, `tpi`, `fr`, ...); a `definition` in a language that has no gloss in that sense becomes the pair
instead, otherwise it is kept as the pair's gloss text. `grammatical-info/@value` is the POS. Header `ranges`
(often absolute `file:///` or Windows paths to a `.lift-ranges` file) are never followed, and no DTD or
entity is loaded (see `lexicon_common.xml_events`). Entries marked `dateDeleted` are kept unless
`-o deleted=skip` (the Sango sample marks its only entry so; a real FLEx export has no such entries)."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.errors import LanguageError
from lexres.langs import resolve
from lexres.loaders.lexicon.common import has_entity, text_of, xml_events
from lexres.loaders.lexicon.tei import split_alternatives
from lexres.records import LexiconPair, Reject


def _forms(parent) -> list[tuple[str, str, int]]:
    """(lang, text, line) of the `form/text` children of a LIFT multitext element."""
    out = []
    if parent is None:
        return out
    for form in parent.findall("form"):
        lang = (form.get("lang") or "").strip()
        text_el = form.find("text")
        if text_el is None:
            continue
        text = text_of(text_el).strip()
        if lang and text:
            out.append((lang, text, text_el.sourceline or 0))
    return out


def _senses(entry) -> list:
    """Senses with their subsenses, in document order."""
    out = []
    for sense in entry.findall("sense"):
        out.append(sense)
        out.extend(sense.iter("subsense"))
    return out


def _pairs(entry, path: Path, ctx) -> Iterator[LexiconPair | Reject]:
    line = entry.sourceline or 0
    if has_entity(entry):
        ctx.note(f"{path.name}:{line}: an entity reference was left unexpanded")
    heads = _forms(entry.find("lexical-unit"))
    if not heads:
        yield Reject(line, f"entry `{entry.get('id', '')}` has no lexical-unit form", "", str(path))
        return
    senses = _senses(entry)
    found = False
    for i, sense in enumerate(senses, 1):
        gi = sense.find("grammatical-info")
        pos = (gi.get("value") or "").strip() or None if gi is not None else None
        label = str(i) if len(senses) > 1 else None
        glosses: list[tuple[str, str, int]] = []
        for g in sense.findall("gloss"):
            lang = (g.get("lang") or "").strip()
            t = g.find("text")
            text = text_of(t).strip() if t is not None else ""
            if lang and text:
                glosses.append((lang, text, t.sourceline or line))
        definitions = {lang: text for lang, text, _ in _forms(sense.find("definition"))}
        glossed = {lang for lang, _, _ in glosses}
        extra = [(lang, text, line) for lang, text in definitions.items() if lang not in glossed]
        for head_lang, head, _ in heads:
            for lang, text, ln in glosses:
                # FLEx glosses pack alternatives as `walk; stroll`: one pair each, the field kept as gloss
                alts = split_alternatives(text, commas=False)
                keep = definitions.get(lang)
                if len(alts) > 1:
                    keep = f"{text} | {keep}" if keep else text
                for alt in alts:
                    found = True
                    yield LexiconPair(head, alt, head_lang, lang, pos=pos, sense=label, gloss=keep, line=ln,
                                      path=str(path))
            for lang, text, ln in extra:  # a definition in a language without a gloss: a marked definition
                found = True
                yield LexiconPair(head, text, head_lang, lang, pos=pos, sense=label, line=ln, path=str(path),
                                  definition=True)
    if not found:
        ctx.note(f"{path.name}: entries without any gloss or definition give no pair")


def _first_lang(path: Path) -> str | None:
    """The writing system of the first lexical-unit, found with a plain scan of the file's start."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 20).decode("utf-8", "replace")
    m = re.search(r"<lexical-unit>\s*<form\s+lang=\"([^\"]+)\"", head)
    return m.group(1) if m else None


def _check_lang(ctx, path: Path) -> None:
    """--lang must agree with the writing system the lexical units declare, unless --force-lang."""
    code = _first_lang(path)
    if ctx.lang is None:
        if code is None:
            raise LanguageError(f"{path}: no lexical-unit form names its language", hint="pass --lang")
        ctx.lang = resolve(code)
        ctx.note(f"entry language {ctx.lang.tag} ({ctx.lang.name}) taken from the first lexical-unit")
        return
    if code is None or ctx.force_lang:
        return
    try:
        declared = resolve(code)
    except LanguageError:
        ctx.note(f"{path.name}: the lexical units' writing system `{code}` is not a language code; --lang "
                 f"{ctx.lang.code} used")
        return
    if declared.private_use:  # FLEx projects often write `qaa` for the vernacular: --lang names it
        return
    if declared.code != ctx.lang.code:
        raise LanguageError(f"{path}: the lexical units are in `{code}` ({declared.name}) but --lang says "
                            f"{ctx.lang.code} ({ctx.lang.name})",
                            hint="drop --lang, or pass --force-lang to file the entries under --lang")


def read_lift(paths: Sequence[Path], ctx) -> Iterator[LexiconPair | Reject]:
    """Yield a pair per lexical-unit form and sense gloss (or definition) of each SIL LIFT entry, and
    Rejects (file, line); entries marked dateDeleted are kept unless `-o deleted=skip`. Raises
    LanguageError when the lexical units' language is unknown or contradicts --lang, ParseError for
    malformed XML."""
    for path in paths:
        _check_lang(ctx, path)
        gloss_langs: dict[str, int] = {}
        skip_deleted = ctx.option("deleted", "keep") == "skip"
        deleted = 0
        for _, entry in xml_events(ctx, path, ("entry",)):
            if entry.get("dateDeleted") is not None:
                deleted += 1
                if skip_deleted:
                    entry.clear(keep_tail=True)
                    continue
            for item in _pairs(entry, path, ctx):
                if isinstance(item, LexiconPair):
                    gloss_langs[item.tgt_lang] = gloss_langs.get(item.tgt_lang, 0) + 1  # type: ignore[index]
                yield item
            entry.clear(keep_tail=True)
        if deleted:
            ctx.note(f"{path.name}: {deleted} entries carry dateDeleted; "
                     + ("skipped" if skip_deleted else "kept (pass -o deleted=skip to drop them)"))
        if gloss_langs:
            ctx.note(f"{path.name}: pairs per gloss language: "
                     + ", ".join(f"{k} {v}" for k, v in sorted(gloss_langs.items())))


# a comment ends at its first `-->`: a lazy `.*?` there let backtracking scan the whole 64 KiB head
_LIFT_ROOT = re.compile(rb"^\s*(<\?xml[^>]*\?>\s*)?(<!--(?:[^-]|-(?!->))*-->\s*)*(<!DOCTYPE.*?\]?>\s*)?"
                        rb"<lift[\s>]", re.S)


def sniff_lift(head: bytes, path: Path) -> float:
    """An XML document whose root element is <lift> (a README merely mentioning it is not one)."""
    return 0.95 if _LIFT_ROOT.match(head) else 0.0
