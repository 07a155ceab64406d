"""Versification: map a verse of a translation's scheme (eng, lxx, vul, rsc, rso) onto the canonical `org`
scheme, so translations numbered differently still align (English MAL 4:1-6 = org MAL 3:19-24).

The tables under loaders/data/versification/ are built from the Paratext standard mappings (JSON, as
published by the Copenhagen Alliance) by
`python -m lexres.versification build SCHEMES_DIR VREF_FILE` (from the shared data:
bible/versification/ and clear-bible-vref/data/vref/org_vref.txt);
they hold only what alignment needs: every mapped verse, expanded one per line (`src<TAB>org`), and the
verse count of every chapter each scheme numbers (`max_verses.tsv`, which bounds the references users type:
`out_of_scheme`).

The same tables bound what a plausible reference is (`implausible`): a chapter at most CHAPTER_SLACK past
the highest any scheme numbers for its book, a verse 0..MAX_VERSE; the store refuses anything else."""
from __future__ import annotations

import json
import re
import sys
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path

from lexres.books import books, is_book
from lexres.errors import OptionError

SCHEMES = ("eng", "org", "lxx", "vul", "rsc", "rso")  # the versifications lexres ships tables for
PART = re.compile(r"^([1-4A-Z][A-Z0-9]{2}) ([0-9]+):([0-9]+)[a-z]?(?:-([0-9]+)[a-z]?)?$")
Key = tuple[str, int, int]
# Plausible numbers: no chapter of any scheme has more than 176 verses (Psalm 119); chapters may run a few
# past the highest any shipped scheme numbers for the book (numberings lexres has no table for), and books
# no table covers may have up to 150 (the Psalter).
MAX_VERSE = 200
CHAPTER_SLACK = 5
MAX_CHAPTER_UNKNOWN = 150


def _expand(ref: str) -> list[Key]:
    m = PART.match(ref.strip())
    if not m:
        raise ValueError(f"cannot read versification reference `{ref}`")
    book, ch, first = m.group(1), int(m.group(2)), int(m.group(3))
    last = int(m.group(4)) if m.group(4) else first
    return [(book, ch, v) for v in range(first, max(first, last) + 1)]


def expand_mapping(src: str, dst: str) -> list[tuple[Key, list[Key]]]:
    """One `mappedVerses` entry as per-verse pairs. Equal-length ranges pair verse by verse; otherwise the
    surplus verses of the longer side all go with the last verse of the shorter one (a merged verse)."""
    a, b = _expand(src), _expand(dst)
    out: list[tuple[Key, list[Key]]] = []
    for i, key in enumerate(a):
        if i < len(b) - 1 and i == len(a) - 1:
            out.append((key, b[i:]))  # the last source verse takes the rest of the target range
        else:
            out.append((key, [b[min(i, len(b) - 1)]]))
    return out


def build(src_dir: str | Path, out_dir: str | Path) -> dict[str, int]:
    """Write `<scheme>.tsv` for every standard scheme found in `src_dir`; returns lines per scheme."""
    src_dir, out_dir = Path(src_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for scheme in SCHEMES:
        data = json.loads((src_dir / f"{scheme}.json").read_text(encoding="utf-8"))
        rows: dict[Key, list[Key]] = {}
        for src, dst in data.get("mappedVerses", {}).items():
            for key, targets in expand_mapping(src, dst):
                if not (is_book(key[0]) and all(is_book(t[0]) for t in targets)):
                    continue
                seen = rows.setdefault(key, [])
                seen.extend(t for t in targets if t not in seen)
        order = books()
        lines = [f"{_fmt(k)}\t{_fmt_targets(v)}" for k, v in
                 sorted(rows.items(), key=lambda kv: (order[kv[0][0]][0], kv[0][1], kv[0][2]))]
        head = (f"# {scheme} -> org, one verse per line (built from {scheme}.json mappedVerses by "
                "lexres.versification); unlisted verses keep their number\n")
        (out_dir / f"{scheme}.tsv").write_text(head + "\n".join(lines) + "\n", encoding="utf-8")
        counts[scheme] = len(lines)
    return counts


def build_vref(vref: str | Path, out: str | Path) -> int:
    """Compress a vref list (one `GEN 1:1` per line, the eBible/org order) to one line per chapter:
    `BOOK<TAB>CHAPTER<TAB>runs` with runs like `1-16` or `1-3+7-17` (Greek Esther has gaps)."""
    runs: dict[tuple[str, int], list[list[int]]] = {}
    n = 0
    for line in Path(vref).read_text(encoding="utf-8").splitlines():
        n += 1
        book, ch, v = _expand(line)[0]
        chapter = runs.setdefault((book, ch), [])
        if chapter and chapter[-1][1] == v - 1:
            chapter[-1][1] = v
        else:
            chapter.append([v, v])
    rows = [f"{b}\t{c}\t" + "+".join(f"{x}-{y}" for x, y in r) for (b, c), r in runs.items()]
    head = "# the standard (eBible / org) vref list, in order: book<TAB>chapter<TAB>verse runs\n"
    Path(out).write_text(head + "\n".join(rows) + "\n", encoding="utf-8")
    return n


def build_max_verses(src_dir: str | Path, out: str | Path) -> int:
    """Write `max_verses.tsv`: for every shipped scheme and every book it numbers, the verse count of each
    chapter (the `maxVerses` of the Paratext scheme JSON), one line `scheme<TAB>book<TAB>counts` with the
    counts space-separated, chapter 1 first. The org counts are widened to every verse of the standard vref
    list (`standard_vref`: it numbers Greek Esther 8 and 10 past org.json's maxVerses), so no verse of that
    list is refused. Returns the number of lines."""
    vref: dict[tuple[str, int], int] = {}
    for book, ch, v in standard_vref():
        vref[book, ch] = max(v, vref.get((book, ch), 0))
    rows = []
    for scheme in SCHEMES:
        data = json.loads((Path(src_dir) / f"{scheme}.json").read_text(encoding="utf-8"))
        for book, given in data.get("maxVerses", {}).items():
            counts = [int(n) for n in given]
            if scheme == "org":
                counts = [max(n, vref.get((book, ch), 0)) for ch, n in enumerate(counts, 1)]
            if is_book(book):
                rows.append(f"{scheme}\t{book}\t{' '.join(map(str, counts))}")
    head = ("# verses per chapter of every book each scheme numbers (maxVerses of the Paratext scheme JSON, "
            "built by lexres.versification): scheme<TAB>book<TAB>counts, chapter 1 first\n")
    Path(out).write_text(head + "\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)


@cache
def verse_counts(scheme: str) -> dict[str, tuple[int, ...]]:
    """USFM book -> verses in each chapter (index 0 = chapter 1) as `scheme` numbers them; books the scheme
    does not number are absent (eng has no Odes). Source: the Paratext standard versifications.

    Raises OptionError for a scheme lexres ships no table for."""
    scheme = (scheme or "eng").lower()
    if scheme not in SCHEMES:
        raise OptionError(f"unknown versification `{scheme}`", hint=f"one of: {', '.join(SCHEMES)}")
    out: dict[str, tuple[int, ...]] = {}
    text = files("lexres.loaders").joinpath("data/versification/max_verses.tsv").read_text(encoding="utf-8")
    for row in text.splitlines():
        if row and not row.startswith("#"):
            name, book, counts = row.split("\t")
            if name == scheme:
                out[book] = tuple(int(n) for n in counts.split())
    return out


@cache
def widest_counts() -> dict[str, tuple[int, ...]]:
    """USFM book -> the most verses any shipped scheme gives each chapter (the bound for a book the scheme
    asked for does not number)."""
    out: dict[str, list[int]] = {}
    for scheme in SCHEMES:
        for book, counts in verse_counts(scheme).items():
            widest = out.setdefault(book, [])
            widest.extend([0] * (len(counts) - len(widest)))
            for i, n in enumerate(counts):
                widest[i] = max(widest[i], n)
    return {book: tuple(counts) for book, counts in out.items()}


def out_of_scheme(scheme: str, book: str, chapter: int, verse: int,
                  verse_end: int | None = None) -> str | None:
    """Why `book chapter:verse(-verse_end)` is not a verse of `scheme`, or None when it is: the chapter must
    be one the scheme numbers for the book and the verse(s) 1..its verse count. A book the scheme does not
    number is held to the widest numbering any shipped scheme gives it, a book none numbers to `implausible`.
    For references a user types (lexres.refs); stored verses are only held to `implausible`.

    Raises OptionError for an unknown scheme."""
    scheme = (scheme or "eng").lower()
    counts, where = verse_counts(scheme).get(book), f"the {scheme} versification"
    if counts is None:
        counts, where = widest_counts().get(book), "any versification lexres ships"
    if counts is None:
        return implausible(book, chapter, verse, verse_end)
    name = books()[book][1] if is_book(book) else book
    if not 1 <= chapter <= len(counts):
        many = "chapter" if len(counts) == 1 else "chapters"
        return f"{name} ({book}) has {len(counts)} {many} in {where}"
    for number in (verse, verse_end):
        if number is not None and not 1 <= number <= counts[chapter - 1]:
            return f"{name} {chapter} has {counts[chapter - 1]} verses in {where}"
    if verse_end is not None and verse_end < verse:
        return f"the verse range {verse}-{verse_end} ends before it starts"
    return None


@lru_cache(maxsize=1)
def standard_vref() -> tuple[Key, ...]:
    """The standard eBible/org vref list (41,899 references, GEN 1:1 ... with the deuterocanon)."""
    out: list[Key] = []
    text = files("lexres.loaders").joinpath("data/versification/org_vref.tsv").read_text(encoding="utf-8")
    for row in text.splitlines():
        if row and not row.startswith("#"):
            book, ch, spans = row.split("\t")
            for span in spans.split("+"):
                first, last = span.split("-")
                out.extend((book, int(ch), v) for v in range(int(first), int(last) + 1))
    return tuple(out)


@cache
def max_chapters() -> dict[str, int]:
    """USFM book -> the highest chapter any shipped table (org vref list, every scheme's mapping) numbers."""
    out: dict[str, int] = {}
    for book, ch, _ in standard_vref():
        if ch > out.get(book, 0):
            out[book] = ch
    for scheme in SCHEMES:
        table = files("lexres.loaders").joinpath(f"data/versification/{scheme}.tsv")
        text = table.read_text(encoding="utf-8")
        for m in re.finditer(r"([1-4A-Z][A-Z0-9]{2}) ([0-9]+):", text):
            ch = int(m.group(2))
            if ch > out.get(m.group(1), 0):
                out[m.group(1)] = ch
    return out


def chapter_limit(book: str) -> int:
    """The highest chapter number accepted for `book` (see MAX_VERSE for the verse limit)."""
    known = max_chapters().get(book)
    return known + CHAPTER_SLACK if known else MAX_CHAPTER_UNKNOWN


def implausible(book: str, chapter: int, verse: int, verse_end: int | None = None) -> str | None:
    """Why `book chapter:verse(-verse_end)` cannot be a verse reference, or None when it can: chapters run
    1..chapter_limit(book), verses 0..MAX_VERSE (verse 0 is a psalm title in some schemes), and a range
    ends after it starts. Keeps every stored reference far from the limits of the store's sort key."""
    if not 1 <= chapter <= chapter_limit(book):
        return f"chapter {chapter} is not a chapter of {book} (1-{chapter_limit(book)})"
    for number in (verse, verse_end):
        if number is not None and not 0 <= number <= MAX_VERSE:
            return f"verse number {number} is implausible (no chapter has more than {MAX_VERSE} verses)"
    if verse_end is not None and verse_end < verse:
        return f"the verse range {verse}-{verse_end} ends before it starts"
    return None


def _fmt(k: Key) -> str:
    return f"{k[0]} {k[1]}:{k[2]}"


def _fmt_targets(keys: list[Key]) -> str:
    return ";".join(_fmt(k) for k in keys)


@cache
def to_org(scheme: str) -> dict[Key, tuple[Key, ...]]:
    """Verse of `scheme` -> the org verse(s) it is; verses not in the table are the same in org."""
    scheme = (scheme or "eng").lower()
    if scheme not in SCHEMES:
        raise OptionError(f"unknown versification `{scheme}`", hint=f"one of: {', '.join(SCHEMES)}")
    table: dict[Key, tuple[Key, ...]] = {}
    text = files("lexres.loaders").joinpath(f"data/versification/{scheme}.tsv").read_text(encoding="utf-8")
    for row in text.splitlines():
        if row and not row.startswith("#"):
            src, dst = row.split("\t")
            table[_expand(src)[0]] = tuple(_expand(t)[0] for t in dst.split(";"))
    return table


def org_keys(scheme: str, book: str, chapter: int, verse: int, verse_end: int | None = None) -> list[Key]:
    """The org verses a stored verse (or verse range) covers."""
    table = to_org(scheme)
    out: list[Key] = []
    for v in range(verse, (verse_end or verse) + 1):
        for key in table.get((book, chapter, v), ((book, chapter, v),)):
            if key not in out:
                out.append(key)
    return out


def main(argv: list[str]) -> int:
    """`python -m lexres.versification build SCHEMES_DIR VREF_FILE [OUT_DIR]`: rebuild the packaged tables
    (see the module docstring; OUT_DIR defaults to data/versification). Returns the exit status: 2 on
    bad usage."""
    if len(argv) < 3 or argv[0] != "build":
        print("usage: python -m lexres.versification build SCHEMES_DIR VREF_FILE [OUT_DIR]",
              file=sys.stderr)
        return 2
    out = Path(argv[3]) if len(argv) > 3 else Path(__file__).parent / "data" / "versification"
    for scheme, n in build(argv[1], out).items():
        print(f"{scheme}\t{n} mapped verses")
    print(f"org_vref\t{build_vref(argv[2], out / 'org_vref.tsv')} references")
    print(f"max_verses\t{build_max_verses(argv[1], out / 'max_verses.tsv')} books")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
