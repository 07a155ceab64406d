"""Helpers shared by the lexicon readers: languages from file names, decoded lines, safe XML parsing."""
from __future__ import annotations

import re
from pathlib import Path

from lexres.errors import LanguageError, ParseError
from lexres.langs import Lang, resolve

# `et-en.train`, `sw-en.all`, `eu-ka.train.500.cc.trans`, `en-tl.dict`, `wol-fra.tei`, `muse.fr-it.txt`: two
# codes at the start of the name or after a dot, then a dot or the end of the name.
_PAIR_NAME = re.compile(r"(?:^|\.)([A-Za-z]{2,3})[-_]([A-Za-z]{2,3})(?=\.|$)")


def langs_from_name(path: Path) -> tuple[Lang, Lang] | None:
    """The (left, right) languages a file name such as `sw-en.train` names, or None."""
    m = _PAIR_NAME.search(path.name)
    if not m:
        return None
    try:
        return resolve(m.group(1)), resolve(m.group(2))
    except LanguageError:
        return None


def fill_langs(ctx, path: Path, *, swap: bool = False) -> None:
    """Set the pair's languages the flags did not give from the file name (before the first record).
    `swap` is for formats whose name lists source-target while the lines hold target first."""
    if ctx.lang is not None and ctx.target_lang is not None:
        return
    named = langs_from_name(path)
    if named is None:
        return
    left, right = named
    if ctx.lang is None:
        ctx.lang = left
        ctx.note(f"source language {left.code} ({left.name}) taken from the file name {path.name}")
    if ctx.target_lang is None:
        ctx.target_lang = right
        ctx.note(f"target language {right.code} ({right.name}) taken from the file name {path.name}")


def need_langs(ctx, path: Path) -> None:
    """A pair list must know both languages before its first pair."""
    if ctx.lang is None or ctx.target_lang is None:
        missing = "--lang" if ctx.lang is None else "--target-lang"
        raise LanguageError(f"{path}: the languages of this word list are not known",
                            hint=f"pass {missing} (the file name does not say, e.g. `sw-en.train`)")


def head_lines(head: bytes, limit: int = 200) -> list[str]:
    """Up to `limit` complete decoded lines of a sniffing head (the last, maybe cut, line dropped)."""
    text = head.decode("utf-8", errors="replace")
    lines = text.splitlines()
    if len(head) >= 65536 and lines:
        lines = lines[:-1]
    return [ln for ln in lines[:limit] if ln.strip()]


def xml_events(ctx, path: Path, tags: tuple[str, ...]):
    """iterparse `path` for end events of `tags` with a parser that never loads a DTD, never expands an
    entity and never touches the network; a syntax error becomes ParseError(FILE:LINE)."""
    from lxml import etree

    fh = ctx.open(path)
    try:
        it = etree.iterparse(fh, events=("end",), tag=tags, load_dtd=False, resolve_entities=False,
                             no_network=True, dtd_validation=False, huge_tree=False, remove_comments=True)
        try:
            yield from it
        except etree.XMLSyntaxError as exc:
            line = exc.lineno if exc.lineno else None
            msg = exc.msg if hasattr(exc, "msg") and exc.msg else str(exc)
            raise ParseError(path, line, f"malformed XML: {msg}",
                             hint="the file is cut off or not well-formed; nothing was stored") from exc
    finally:
        fh.close()


def text_of(el) -> str:
    """The text content of an element, entity references left out (they are never expanded)."""
    from lxml import etree

    parts = []
    if el.text:
        parts.append(el.text)
    for child in el:
        if child.tag is etree.Entity:  # unexpanded &name;: its text is unknown, so it is not guessed
            pass
        elif isinstance(child.tag, str):
            parts.append(text_of(child))
        if child.tail:
            parts.append(child.tail)
    return "".join(parts)


def has_entity(el) -> bool:
    """True when an unexpanded entity reference (an lxml Entity node) is anywhere inside `el`, so a reader
    can note text that may be incomplete."""
    from lxml import etree

    return any(d.tag is etree.Entity for d in el.iter())
