"""CLDF wordlists (Lexibank) read through pycldf: forms of the same concept become translation pairs.

Which pairs (option `pairs`, `-o pairs=...`):
- `gloss` (default): every form is paired with the concept's own gloss (ParameterTable `Name`, English in
  Lexibank) as an `eng` word, the concept as sense. One pair per form, so the size stays that of the wordlist;
  pairs between two varieties are then one `lexres lexicon pivot` away.
- `varieties`: every two varieties naming the same concept give a pair (once per unordered pair of forms),
  the concept as sense. This grows quadratically with the number of varieties; `max_pairs` (default
  500,000) refuses a dataset that would exceed it.
Varieties without an ISO 639-3 code are kept, filed under the private-use code `qaa` with the variety tag
`qaa-x-<glottocode>` (or `qaa-x-<ID>` cut to 8 characters when there is no glottocode), and a note lists them.
The resource itself is filed under `mul` (multiple languages); every variety is recorded in resource_langs.

Pass the metadata file (`cldf-metadata.json`); list the CSV files too to make the resource hash cover them."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.errors import FormatError, LanguageError, OptionError
from lexres.langs import resolve
from lexres.records import LexiconPair, Reject

WORDLIST = "http://cldf.clld.org/v1.0/terms.rdf#Wordlist"
MODES = ("gloss", "varieties")


def _metadata(paths: Sequence[Path]) -> Path:
    for p in paths:
        if p.suffix.lower() == ".json":
            return p
    folder = paths[0].parent
    found = sorted(folder.glob("*metadata.json"))
    for cand in found:
        try:
            if WORDLIST in json.loads(cand.read_text(encoding="utf-8")).get("dc:conformsTo", ""):
                return cand
        except (OSError, ValueError):
            continue
    raise FormatError(f"{paths[0]}: no CLDF Wordlist metadata (*-metadata.json) beside it",
                      hint="pass the dataset's cldf-metadata.json")


def _variety_tag(row: dict) -> tuple[str, bool]:
    """(language tag, whether it is a private-use stand-in)."""
    iso = (row.get("iso639P3code") or "").strip()
    if iso:
        return iso, False
    sub = (row.get("glottocode") or "").strip() or re.sub(r"[^A-Za-z0-9]", "", str(row.get("id", "")))[:8]
    return f"qaa-x-{sub.lower()}", True


def _terms(ds, table: str, *terms: str) -> list[str]:
    """The CLDF terms this dataset's table has (allenbai's languages.csv has no ISO639P3code column)."""
    out = []
    for term in terms:
        try:
            ds[table, term]
        except Exception:  # pycldf SchemaError / KeyError: the column is absent
            continue
        out.append(term)
    return out


def _languages(ds, ctx, path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    private: list[str] = []
    terms = _terms(ds, "LanguageTable", "id", "iso639P3code", "glottocode")
    for row in ds.iter_rows("LanguageTable", *terms):
        tag, priv = _variety_tag(row)
        try:
            resolve(tag)
        except LanguageError:
            ctx.note(f"{path.name}: language {row['id']} has code `{tag}`, not ISO 639-3: private use")
            tag, priv = _variety_tag({**row, "iso639P3code": ""})
        out[row["id"]] = tag
        if priv:
            private.append(f"{row['id']}={tag}")
    if private:
        ctx.note(f"{path.name}: {len(private)} varieties without an ISO 639-3 code filed under private use: "
                 + ", ".join(private))
    return out


def _concepts(ds) -> dict[str, tuple[str, str]]:
    """concept id -> (gloss, sense label)."""
    out = {}
    for row in ds.iter_rows("ParameterTable", *_terms(ds, "ParameterTable", "id", "name")):
        name = (row.get("name") or row["id"]).strip()
        gloss = (row.get("Concepticon_Gloss") or "").strip()
        out[row["id"]] = (name, f"{row['id']} ({gloss})" if gloss else row["id"])
    return out


def read_cldf(paths: Sequence[Path], ctx) -> Iterator[LexiconPair | Reject]:
    from pycldf import Dataset

    meta = _metadata(paths)
    mode = ctx.option("pairs", "gloss")
    if mode not in MODES:
        raise OptionError(f"-o pairs={mode}: unknown", hint=f"one of: {', '.join(MODES)}")
    try:
        ds = Dataset.from_metadata(meta)
    except Exception as exc:  # pycldf raises many types for a bad metadata file
        raise FormatError(f"{meta}: not a readable CLDF dataset ({exc})") from exc
    if ds.module != "Wordlist":
        raise FormatError(f"{meta}: a CLDF {ds.module}, not a Wordlist", hint="pass the Wordlist metadata")
    langs = _languages(ds, ctx, meta)
    concepts = _concepts(ds)
    if ctx.lang is None:
        ctx.lang = resolve("mul")
    if mode == "gloss" and ctx.target_lang is None:
        ctx.target_lang = resolve("eng")
    ctx.scheme = f"cldf-{mode}"
    # Every CLDF dataset's metadata file has the same name; name the resource after the dataset instead.
    folder = meta.parent.parent if meta.parent.name == "cldf" else meta.parent
    ctx.name = ctx.name or str(ds.properties.get("rdf:ID") or folder.name)
    ctx.note(f"CLDF pairs: {mode} (see -o pairs=gloss|varieties)")
    forms_path, rows = _form_rows(ds, meta)
    if mode == "gloss":
        yield from _gloss_pairs(rows, langs, concepts, ctx, forms_path)
    else:
        yield from _variety_pairs(list(rows), langs, concepts, ctx, forms_path)


def _form_rows(ds, meta: Path) -> tuple[str, Iterator[tuple[int, dict]]]:
    """The FormTable read with the csv module (pycldf gives the file and column names): faster than
    pycldf's typed rows, and each row keeps its exact 1-based line."""
    import csv

    table = ds["FormTable"]
    path = meta.parent / str(table.url)
    names = {term: ds["FormTable", term].name
             for term in ("id", "languageReference", "parameterReference", "form")}

    def rows() -> Iterator[tuple[int, dict]]:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            start = 2
            for row in reader:
                yield start, {term: row.get(col) for term, col in names.items()}
                start = reader.line_num + 1

    return str(path), rows()


def _check(row, n: int, langs, concepts, path: str) -> Reject | None:
    if row["languageReference"] not in langs:
        return Reject(n, f"form {row['id']}: unknown language {row['languageReference']}", "", path)
    if row["parameterReference"] not in concepts:
        return Reject(n, f"form {row['id']}: unknown concept {row['parameterReference']}", "", path)
    return None


def _gloss_pairs(rows, langs, concepts, ctx, path: str) -> Iterator[LexiconPair | Reject]:
    empty = 0
    for n, row in rows:
        bad = _check(row, n, langs, concepts, path)
        if bad:
            yield bad
            continue
        form = (row.get("form") or "").strip()
        if not form:
            empty += 1
            continue
        gloss, sense = concepts[row["parameterReference"]]
        yield LexiconPair(form, gloss, langs[row["languageReference"]], "eng", sense=sense, line=n, path=path)
    if empty:
        ctx.note(f"{empty} forms with an empty Form were skipped")


def _variety_pairs(rows, langs, concepts, ctx, path: str) -> Iterator[LexiconPair | Reject]:
    by_concept: dict[str, list[tuple[str, str, str, int]]] = {}
    for n, row in rows:
        bad = _check(row, n, langs, concepts, path)
        if bad:
            yield bad
            continue
        form = (row.get("form") or "").strip()
        if form:
            by_concept.setdefault(row["parameterReference"], []).append(
                (row["languageReference"], langs[row["languageReference"]], form, n))
    limit = int(ctx.option("max_pairs", 500_000))
    total = sum(_n_pairs(items) for items in by_concept.values())
    if total > limit:
        raise OptionError(f"-o pairs=varieties would make {total} pairs (more than max_pairs={limit})",
                          hint="use -o pairs=gloss, or raise -o max_pairs=N")
    ctx.note(f"{total} variety pairs from {len(by_concept)} concepts")
    for concept, items in by_concept.items():
        sense = concepts[concept][1]
        items.sort()
        for i, (lid_a, tag_a, form_a, n_a) in enumerate(items):
            for lid_b, tag_b, form_b, _ in items[i + 1:]:
                if lid_a != lid_b:
                    yield LexiconPair(form_a, form_b, tag_a, tag_b, sense=sense, line=n_a, path=path)


def _n_pairs(items) -> int:
    per: dict[str, int] = {}
    for lid, *_ in items:
        per[lid] = per.get(lid, 0) + 1
    total = sum(per.values())
    return (total * total - sum(v * v for v in per.values())) // 2


def sniff_cldf(head: bytes, path: Path) -> float:
    if WORDLIST.encode() in head:
        return 0.95
    first = head.split(b"\n", 1)[0]
    if path.suffix.lower() == ".csv" and all(c in first for c in (b"Language_ID", b"Parameter_ID", b"Form")):
        return 0.9
    return 0.0
