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
from lexres.records import LexiconPair, Reject

from lexres.loaders.lexicon.common import head_lines


def _code(code: str, cache: dict[str, Lang | None]) -> Lang | None:
    if code not in cache:
        try:
            cache[code] = resolve(code)
        except LanguageError:
            cache[code] = None
    return cache[code]


def _translations(entry: dict) -> list[tuple[dict, str | None]]:
    """(translation, sense gloss) from the entry level and from each sense."""
    out = [(t, t.get("sense")) for t in entry.get("translations") or []]
    for sense in entry.get("senses") or []:
        glosses = sense.get("glosses") or []
        for t in sense.get("translations") or []:
            out.append((t, t.get("sense") or (glosses[0] if glosses else None)))
    return out


def read_wiktionary(paths: Sequence[Path], ctx) -> Iterator[LexiconPair | Reject]:
    only = {resolve(c).code for c in str(ctx.option("only", "")).split(",") if c.strip()}
    if len(only) == 1 and ctx.target_lang is None:
        ctx.target_lang = resolve(next(iter(only)))
    cache: dict[str, Lang | None] = {}
    unknown: dict[str, int] = {}
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
            except ValueError as exc:
                yield Reject(n, f"not JSON: {exc}", text[:200], str(path))
                continue
            if not isinstance(entry, dict) or not entry.get("word") or not entry.get("lang_code"):
                yield Reject(n, "entry without `word` and `lang_code`", text[:200], str(path))
                continue
            src = _code(entry["lang_code"], cache)
            if src is None:
                unknown[entry["lang_code"]] = unknown.get(entry["lang_code"], 0) + 1
                continue
            if ctx.lang is None:
                ctx.lang = src
            for tr, sense in _translations(entry):
                code, word = tr.get("code") or tr.get("lang_code"), (tr.get("word") or "").strip()
                if not code or not word:
                    continue
                tgt = _code(code, cache)
                if tgt is None:
                    unknown[code] = unknown.get(code, 0) + 1
                    continue
                if only and tgt.code not in only:
                    continue
                yield LexiconPair(entry["word"], word, src.tag, tgt.tag, pos=entry.get("pos"), sense=sense,
                                  line=n, path=str(path))
    if unknown:
        shown = ", ".join(f"{c} ({k})" for c, k in sorted(unknown.items(), key=lambda kv: -kv[1])[:10])
        ctx.note(f"{sum(unknown.values())} entries/translations with non-ISO language codes skipped: {shown}")


def sniff_wiktionary(head: bytes, path: Path) -> float:
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
