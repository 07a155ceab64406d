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
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.errors import FormatError, LanguageError, LexresError, OptionError, ParseError
from lexres.formats import check_regular
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
        if not cand.is_file():  # a FIFO or device named like metadata would block or never end
            continue
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
    for n, row in _iter_table(ds, "LanguageTable", path, terms, ctx):
        tag, priv = _variety_tag(row)
        try:
            resolve(tag)
        except LanguageError:
            ctx.note(f"{path.name}: language {row['id']} has code `{tag}`, not ISO 639-3: private use")
            tag, priv = _variety_tag({**row, "iso639P3code": ""})
            try:
                resolve(tag)
            except LanguageError as exc:
                raise ParseError(_table_path(ds, "LanguageTable", path), n,
                                 f"language {row['id']}: no usable code ({exc})") from exc
        out[row["id"]] = tag
        if priv:
            private.append(f"{row['id']}={tag}")
    if private:
        what = "1 variety" if len(private) == 1 else f"{len(private)} varieties"
        ctx.note(f"{path.name}: {what} without an ISO 639-3 code filed under private use: "
                 + ", ".join(private))
    return out


def _concepts(ds, meta: Path, ctx) -> dict[str, tuple[str, str]]:
    """concept id -> (gloss, sense label)."""
    out = {}
    for _, row in _iter_table(ds, "ParameterTable", meta, _terms(ds, "ParameterTable", "id", "name"), ctx):
        name = (row.get("name") or row["id"]).strip()
        gloss = (row.get("Concepticon_Gloss") or "").strip()
        out[row["id"]] = (name, f"{row['id']} ({gloss})" if gloss else row["id"])
    return out


def _table_path(ds, table: str, meta: Path) -> Path:
    """The file of a table, which must lie inside the dataset's folder: a `url` that is absolute (a web
    address, `/etc/...`) or climbs out with `..` is refused before anything is read.

    Raises FormatError."""
    return _url_path(str(ds[table].url), table, meta)


def _url_path(url: str, table: str, meta: Path) -> Path:
    folder = meta.parent.resolve()
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url) or url.startswith(("/", "\\")):
        raise FormatError(f"{meta}: the {table} url `{url}` is absolute",
                          hint="a CLDF table must be a file inside the dataset's folder")
    target = (folder / url).resolve()
    if target != folder and folder not in target.parents:
        raise FormatError(f"{meta}: the {table} url `{url}` leaves the dataset's folder",
                          hint="a CLDF table must be a file inside the dataset's folder")
    check_regular(target)
    return target


def _iter_table(ds, table: str, meta: Path, terms: Sequence[str], ctx) -> Iterator[tuple[int, dict]]:
    """(1-based line, {term: value}) for the rows of a table, read by csvw with the dialect the metadata
    declares (delimiter, quoting, encoding, header). A row csvw cannot read (bad UTF-8, an unclosed quote,
    a field over the csv module's size limit, a value not of its datatype) or with an empty id is a
    ParseError naming the file and line. What csvw warns about (a column the metadata does not declare)
    becomes one import note per message instead of a Python warning on the user's terminal."""
    path = _table_path(ds, table, meta)
    names = {term: ds[table, term].name for term in terms}
    _check_utf8(path, ds[table].dialect or ds.tablegroup.dialect)
    last = 1
    warned: set[str] = set()
    try:
        for _, end, row in _quiet(ds[table].iterdicts(with_metadata=True, fname=path), warned, ctx):
            # csvw gives the line a row ends on; a quoted field may span lines, so the row starts after
            # the previous one ended
            lineno, last = last + 1, end
            got = dict(row)  # every column, and each CLDF term under its own name
            got.update({term: row.get(col) for term, col in names.items()})
            for key, value in got.items():
                if isinstance(value, str):
                    got[key] = value.replace("\0", "")
            if "id" in got and (got["id"] is None or not str(got["id"]).strip()):
                raise ParseError(path, lineno, f"{table}: empty ID")
            yield lineno, got
    except LexresError:
        raise
    except Exception as exc:  # csvw and the csv module raise many types for a bad file
        raise ParseError(path, last + 1, f"{table}: cannot read the row ({type(exc).__name__}: "
                                         f"{str(exc)[:300]})",
                         hint="check the file against the dialect in the metadata") from exc


def _quiet(rows: Iterator, warned: set[str], ctx) -> Iterator:
    """`rows`, with the warnings raised while each is read turned into notes on `ctx` (each message once)."""
    while True:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            item = next(rows, None)
        for w in caught:
            text = str(w.message)
            if text not in warned:
                warned.add(text)
                ctx.note(f"{text} (ignored)")
        if item is None:
            return
        yield item


def _check_utf8(path: Path, dialect) -> None:
    """A UTF-8 table with a byte that is not UTF-8 is refused naming its line (csvw decodes in blocks, so
    its own error cannot say which line)."""
    encoding = (getattr(dialect, "encoding", None) or "utf-8").lower().replace("_", "-")
    if encoding not in ("utf-8", "utf8", "utf-8-sig"):
        return
    data = path.read_bytes()
    nul = data.find(b"\0")
    if nul >= 0:
        line = len(re.findall(rb"\r\n|\r|\n", data[:nul])) + 1
        raise ParseError(path, line, "NUL byte (UTF-16 text, or a binary file?)",
                         hint="convert the file to UTF-8")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = len(re.findall(rb"\r\n|\r|\n", data[: exc.start])) + 1
        raise ParseError(path, line, f"not UTF-8 ({exc.reason})", hint="convert the file to UTF-8") from exc


def _metadata_text(value) -> str | None:
    """A metadata property (a string, a list, or a JSON-LD object) as one line of text."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("@value") or value.get("@id") or json.dumps(value, ensure_ascii=False)
    elif isinstance(value, list):
        value = "; ".join(t for t in (_metadata_text(v) for v in value) if t)
    text = " ".join(str(value).split())
    return text[:2000] or None


def _check_lang(ctx, langs: dict[str, str], meta: Path) -> None:
    """--lang must be `mul` or one of the dataset's varieties, unless --force-lang."""
    if ctx.lang is None or ctx.force_lang or ctx.lang.code == "mul":
        return
    codes = {resolve(t).code for t in langs.values()}
    if ctx.lang.code not in codes:
        raise LanguageError(f"{meta}: --lang {ctx.lang.code} ({ctx.lang.name}) is not among the dataset's "
                            f"languages ({', '.join(sorted(codes)) or 'none'})",
                            hint="drop --lang (the dataset is filed under `mul`), or pass --force-lang")


def read_cldf(paths: Sequence[Path], ctx) -> Iterator[LexiconPair | Reject]:
    """Yield translation pairs from a CLDF Wordlist (read through pycldf): each form with its concept's
    gloss (`-o pairs=gloss`) or every two varieties' forms of a concept (`-o pairs=varieties`).
    Raises OptionError (unknown mode, too many pairs), FormatError (no, unreadable or non-Wordlist
    metadata, a table url outside the dataset), ParseError (a bad table row), LanguageError (--lang not
    in the dataset)."""
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
    for table in ds.tables:  # every table, read or not, must be a file inside the dataset
        _url_path(str(table.url), str(table.url), meta)
    langs = _languages(ds, ctx, meta)
    _check_lang(ctx, langs, meta)
    concepts = _concepts(ds, meta, ctx)
    if ctx.license is None:
        ctx.license = _metadata_text(ds.properties.get("dc:license"))
    if ctx.citation is None:
        ctx.citation = _metadata_text(ds.properties.get("dc:bibliographicCitation"))
    if ctx.lang is None:
        ctx.lang = resolve("mul")
    if mode == "gloss" and ctx.target_lang is None:
        ctx.target_lang = resolve("eng")
    ctx.scheme = f"cldf-{mode}"
    # Every CLDF dataset's metadata file has the same name; name the resource after the dataset instead.
    folder = meta.parent.parent if meta.parent.name == "cldf" else meta.parent
    ident = str(ds.properties.get("rdf:ID") or "")
    # the id is only a resource name, never part of a path: anything but a plain name falls back
    ctx.name = ctx.name or (ident if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}", ident) else folder.name)
    ctx.note(f"CLDF pairs: {mode} (see -o pairs=gloss|varieties)")
    forms_path, rows = _form_rows(ds, meta, ctx)
    # pycldf reads the tables itself, not through ctx.open, so the import's count of bytes would stay at
    # zero: the progress counts the FormTable's rows instead
    ctx.progress.start(None, f"importing {ctx.name}", "rows")
    rows = _counted(rows, ctx.progress)
    if mode == "gloss":
        yield from _gloss_pairs(rows, langs, concepts, ctx, forms_path)
    else:
        yield from _variety_pairs(list(rows), langs, concepts, ctx, forms_path)


def _form_rows(ds, meta: Path, ctx) -> tuple[str, Iterator[tuple[int, dict]]]:
    """The FormTable's rows with their 1-based lines, read through csvw so its declared dialect holds."""
    path = _table_path(ds, "FormTable", meta)
    rows = _iter_table(ds, "FormTable", meta, ("id", "languageReference", "parameterReference", "form"), ctx)
    return str(path), rows


def _counted(rows: Iterator[tuple[int, dict]], progress, every: int = 1000) -> Iterator[tuple[int, dict]]:
    """`rows`, each counted in `progress` (in steps of `every`, then the rest)."""
    n = 0
    for item in rows:
        n += 1
        if n == every:
            progress.advance(n)
            n = 0
        yield item
    if n:
        progress.advance(n)


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
        ctx.note("1 form with an empty Form was skipped" if empty == 1
                 else f"{empty} forms with an empty Form were skipped")


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
    """Score 0..1 that `head` is a CLDF Wordlist: 0.95 for its metadata JSON, 0.9 for a `.csv` whose header
    has Language_ID, Parameter_ID and Form."""
    if WORDLIST.encode() in head:
        return 0.95
    first = head.split(b"\n", 1)[0]
    if path.suffix.lower() == ".csv" and all(c in first for c in (b"Language_ID", b"Parameter_ID", b"Form")):
        return 0.9
    return 0.0
