"""Wiktionary extracts in wiktextract's JSON-lines layout: one entry per line with `word`, `lang_code`, `pos`
and `translations` (at the entry, or inside each sense), each translation with `code`, `word`, `sense`.

Each translation gives a pair entry-language -> translation-language. `-o only=sw,fr` keeps some target
languages (a full dump holds thousands). Translations into a code that is not ISO 639 (Wiktionary has its own
codes for some varieties) are skipped and counted in a note."""
from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.errors import LanguageError
from lexres.langs import Lang, resolve
from lexres.loaders.lexicon.common import head_lines
from lexres.records import LexiconPair, Reject


def _code(code: str, cache: dict[str, Lang | None]) -> Lang | None:
    if code not in cache:
        try:
            cache[code] = resolve(code)
        except LanguageError:
            cache[code] = None
    return cache[code]


class _BadShape(Exception):
    """A JSON value of the wrong type where the wiktextract layout wants another (reported as a reject)."""


def _list(value, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _BadShape(f"`{what}` is a JSON {_kind(value)}, not a list")
    return value


def _text(value, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _BadShape(f"`{what}` is a JSON {_kind(value)}, not a string")
    return value


def _kind(value) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "number",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)


def _translations(entry: dict) -> list[tuple[dict, str | None]]:
    """(translation, sense gloss) from the entry level and from each sense; _BadShape for a value of the
    wrong JSON type."""
    out = []
    for t in _list(entry.get("translations"), "translations"):
        if not isinstance(t, dict):
            raise _BadShape(f"a translation is a JSON {_kind(t)}, not an object")
        out.append((t, _text(t.get("sense"), "translations[].sense")))
    for sense in _list(entry.get("senses"), "senses"):
        if not isinstance(sense, dict):
            raise _BadShape(f"a sense is a JSON {_kind(sense)}, not an object")
        glosses = [g for g in _list(sense.get("glosses"), "senses[].glosses") if isinstance(g, str)]
        for t in _list(sense.get("translations"), "senses[].translations"):
            if not isinstance(t, dict):
                raise _BadShape(f"a translation is a JSON {_kind(t)}, not an object")
            gloss = glosses[0] if glosses else None
            out.append((t, _text(t.get("sense"), "translations[].sense") or gloss))
    return out


def _lang_check(ctx, src: Lang, path: Path, n: int, given: bool) -> None:
    """--lang (`given`) must agree with the language the entries declare (`lang_code`), unless forced;
    without --lang the first entry names the resource's language (pairs keep their own)."""
    if ctx.lang is None:
        ctx.lang = src
    elif given and ctx.lang.code != src.code and not ctx.force_lang:
        raise LanguageError(f"{path}:{n}: the entry is in {src.code} ({src.name}) but --lang says "
                            f"{ctx.lang.code} ({ctx.lang.name})",
                            hint="drop --lang, or pass --force-lang to file the pairs under --lang")


def read_wiktionary(paths: Sequence[Path], ctx) -> Iterator[LexiconPair | Reject]:
    """Yield a pair (entry language -> translation language) per translation of each wiktextract JSON-lines
    entry, `-o only=` limiting the targets, and a Reject per line that is not an entry; non-ISO codes
    are skipped and noted. Raises LanguageError for an entry whose language contradicts --lang."""
    only = {resolve(c).code for c in str(ctx.option("only", "")).split(",") if c.strip()}
    if len(only) == 1 and ctx.target_lang is None:
        ctx.target_lang = resolve(next(iter(only)))
    cache: dict[str, Lang | None] = {}
    unknown: dict[str, int] = {}
    given = ctx.lang is not None
    for path in paths:
        for item in ctx.lines(path):
            if isinstance(item, Reject):
                yield item
                continue
            n, text = item
            if not text.strip():
                continue
            try:
                entry = json.loads(text)
            except (ValueError, RecursionError) as exc:
                yield Reject(n, f"not JSON: {str(exc)[:200]}", text[:200], str(path))
                continue
            if not isinstance(entry, dict) or not entry.get("word") or not entry.get("lang_code"):
                yield Reject(n, "entry without `word` and `lang_code`", text[:200], str(path))
                continue
            try:
                yield from _entry_pairs(entry, ctx, cache, unknown, only, path, n, given)
            except _BadShape as exc:
                yield Reject(n, str(exc), text[:200], str(path))
    if unknown:
        shown = ", ".join(f"{c} ({k})" for c, k in sorted(unknown.items(), key=lambda kv: -kv[1])[:10])
        ctx.note(f"{sum(unknown.values())} entries/translations with non-ISO language codes skipped: {shown}")


def _entry_pairs(entry: dict, ctx, cache, unknown, only, path: Path, n: int,
                 given: bool) -> Iterator[LexiconPair]:
    """The pairs of one entry, all checked before the first is given (a bad entry gives none)."""
    word = _text(entry["word"], "word")
    lang_code = _text(entry["lang_code"], "lang_code")
    pos = _text(entry.get("pos"), "pos")
    src = _code(lang_code, cache)
    if src is None:
        unknown[lang_code] = unknown.get(lang_code, 0) + 1
        return
    _lang_check(ctx, src, path, n, given)
    src_tag = ctx.lang.tag if ctx.force_lang else src.tag
    out = []
    for tr, sense in _translations(entry):
        code = _text(tr.get("code"), "code") or _text(tr.get("lang_code"), "lang_code")
        word_t = (_text(tr.get("word"), "translations[].word") or "").strip()
        if not code or not word_t:
            continue
        tgt = _code(code, cache)
        if tgt is None:
            unknown[code] = unknown.get(code, 0) + 1
            continue
        if only and tgt.code not in only:
            continue
        out.append(LexiconPair(word, word_t, src_tag, tgt.tag, pos=pos, sense=sense, line=n, path=str(path)))
    yield from out


def sniff_wiktionary(head: bytes, path: Path) -> float:
    """Score 0..1 that `head` is wiktextract JSON lines: 0.9 when its first line is a JSON object with
    `word` and `lang_code`."""
    lines = head_lines(head, 20)
    if not lines or not lines[0].lstrip().startswith("{"):
        return 0.0
    try:
        first = json.loads(lines[0])
    except ValueError:
        return 0.0
    if isinstance(first, dict) and "word" in first and "lang_code" in first:
        return 0.9
    return 0.0
