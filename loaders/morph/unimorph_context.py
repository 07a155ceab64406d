"""Reader `unimorph-context`: the Sorani Kurdish `ckb-context-complete.tsv` (unimorph/ckb), which is not
a TSV table but comma-separated with quotes, a BOM, CRLF and 11 columns:
Lemma, Form, Lemma_Latin, Form_Latin, UniMorph (the authors' own tags), UniMorph (standard tags),
Analysis, Context (an example sentence), order, then `lemma@form@tags` in both scripts. The header row
is not first (the file was sorted); it is recognised wherever it is and not counted as an entry.

Entries take the Arabic-script lemma and form with the standard tags; `-o script=latn` takes the Latin
ones. The other columns are kept as notes (`name=value`), so nothing in the file is lost."""
from __future__ import annotations

import csv
from pathlib import Path

from lexres.errors import OptionError, ParseError
from lexres.features import analyze, looks_like_bundle
from lexres.loaders.morph.common import BAD_BYTES, Report, iter_lines, make_entry
from lexres.records import Reject

NAMES = ("lemma", "form", "lemma_latin", "form_latin", "tags_own", "tags", "analysis", "context", "order",
         "entry_arab", "entry_latn")
WIDTH = len(NAMES)


def _is_header(fields: list[str]) -> bool:
    return fields[:2] == ["Lemma", "Form"] and "UniMorph" in fields


def _fields(line: str) -> list[str] | None:
    try:
        return next(csv.reader([line]))
    except (csv.Error, StopIteration):
        return None


def sniff(head: bytes, path: Path) -> float:
    """Score 0..1 that `head` is the ckb-context table: 0.95 when at least 80% of its first 20 rows have
    the 11 fields, a UniMorph feature bundle in the sixth and `lemma@form@tags` in the tenth."""
    try:
        lines = head.decode("utf-8", "ignore").splitlines()[:20]
    except Exception:
        return 0.0
    rows = [f for f in (_fields(ln) for ln in lines if ln.strip()) if f and not _is_header(f)]
    good = sum(1 for f in rows if len(f) == WIDTH and f[9].count("@") >= 2 and looks_like_bundle(f[5]))
    return 0.95 if rows and good >= 0.8 * len(rows) else 0.0


def read(paths, ctx):
    """Yield a MorphEntry per row (Arabic-script lemma and form, or Latin with `-o script=latn`; the other
    columns as notes) and a Reject (file, 1-based line) per bad row; header rows are skipped and noted.
    Raises OptionError for an unknown script. Tags are checked against the UniMorph schema."""
    script = (ctx.option("script") or "arab").lower()
    if script not in ("arab", "latn"):
        raise OptionError(f"script must be arab or latn, not `{script}`")
    li, fi = (0, 1) if script == "arab" else (2, 3)
    ctx.scheme = f"ckb-context ({script})"
    for path in paths:
        report = Report()
        headers = 0
        with ctx.open(Path(path)) as fh:
            for n, line in enumerate(iter_lines(fh), 1):
                if not line.strip():
                    continue
                if BAD_BYTES.search(line) or "\0" in line:
                    yield Reject(n, "not valid UTF-8 (or a NUL byte)", line.encode("utf-8", "surrogateescape")
                                 .decode("utf-8", "replace").replace("\0", "\\0"), str(path))
                    continue
                f = _fields(line)
                if f is not None and _is_header(f):
                    headers += 1
                    continue
                if f is None or len(f) != WIDTH:
                    yield Reject(n, f"expected {WIDTH} comma-separated fields, found "
                                    f"{len(f) if f else 'an unreadable line'}", line, str(path))
                    continue
                try:
                    b = analyze(f[5])
                except ParseError as exc:
                    yield Reject(n, exc.reason, line, str(path))
                    continue
                if ctx.strict and b.unknown:
                    yield Reject(n, "tag(s) not in the UniMorph schema: " + ", ".join(b.unknown), line,
                                 str(path))
                    continue
                for t in b.unknown:
                    report.unknown.setdefault(t, [0, n])[0] += 1
                notes = tuple(f"{NAMES[i]}={f[i]}" for i in range(WIDTH) if i not in (li, fi, 5) and f[i])
                yield make_entry(f[li].strip(), f[fi].strip() or None, b.given, b.canonical, n, notes,
                                 str(path))
        if headers:
            rows = "1 header row" if headers == 1 else f"{headers} header rows"
            ctx.note(f"{Path(path).name}: {rows} skipped "
                     "(not at the top: the file was sorted)")
        for note in report.notes(Path(path).name):
            ctx.note(note)
