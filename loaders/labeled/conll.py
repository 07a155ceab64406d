"""Readers and writers for token-labeled data: CoNLL-style NER (tab or space separated, optional `en:`
token prefix as in WikiANN), the XTREME TSV layout (`token<TAB>label`), and CoNLL-U. Sentences stream one at
a time; comments, -DOCSTART- lines and multiword-token ranges are kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lexres.errors import OptionError, ParseError

FORMATS = ("conll", "conllu", "xtreme")
_PREFIX = re.compile(r"^([a-z]{2,3}):(?=.)")
_BIO = re.compile(r"^(?:O|[BIES]-.+)$")


@dataclass
class Sentence:
    """One sentence: `rows` are the token rows (lists of fields); `extra` are lines kept verbatim
    (comments; in CoNLL-U also multiword ranges and empty nodes, as (position, fields) pairs)."""

    rows: list[list[str]]
    comments: list[str] = field(default_factory=list)
    specials: list[tuple[int, list[str]]] = field(default_factory=list)  # CoNLL-U: (before row i, fields)
    line: int = 0
    prefix: str | None = None  # the `xx:` token prefix shared by every token, if any


# UD v2 universal POS tags (https://universaldependencies.org/u/pos/)
UPOS = frozenset("ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X".split())
_IOB = re.compile(r"^(?:O|[BIES]-[^\s]+)$")
_ASCII_SPACES = re.compile(r"[ \t]+")


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """(1-based line, text) with LF, CRLF, CR alone, U+2028/9 as line ends (`lexres.formats.split_lines`);
    a line that is not UTF-8 is a ParseError naming it."""
    from lexres.formats import check_regular, split_lines

    check_regular(path)
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for n, raw in enumerate(split_lines(data), 1):
        try:
            yield n, raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(path, n, f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                             hint="convert the file to UTF-8") from exc


class _Scheme:
    """The label scheme of a file, checked label by label: IOB2/IOBES (`O`, `B-X`, `I-X`, `E-X`, `S-X`) for
    NER, the UD UPOS tags for POS. CoNLL's last column is NER; an XTREME file's scheme is fixed by its first
    label (a UPOS tag means POS); CoNLL-U's UPOS column holds UPOS or `_`."""

    def __init__(self, fmt: str):
        self.fmt = fmt
        self.kind = {"conll": "iob", "conllu": "upos"}.get(fmt)

    def check(self, label: str, path: Path, n: int) -> None:
        if self.kind is None:
            self.kind = "upos" if label in UPOS else "iob"
        if self.kind == "iob":
            if not _IOB.match(label):
                raise ParseError(path, n, f"label `{label[:40]}` is not an IOB2 tag (O, B-X, I-X)",
                                 hint="fix the label; every label must belong to the file's tag scheme")
        elif label not in UPOS and not (self.fmt == "conllu" and label == "_"):
            raise ParseError(path, n, f"label `{label[:40]}` is not a UD UPOS tag",
                             hint="UPOS tags: " + " ".join(sorted(UPOS)))


def read(path: str | Path, fmt: str, *, check_labels: bool = True) -> Iterator[Sentence]:
    """Sentences of a labeled file in `fmt` (conll, conllu or xtreme). With `check_labels`, a label outside
    the file's tag scheme (IOB2 for NER, UD UPOS for POS) is a ParseError naming its line.

    Raises ParseError (bad line, bad label, not UTF-8), OptionError (unknown format)."""
    if fmt not in FORMATS:
        raise OptionError(f"--format must be one of {', '.join(FORMATS)}, not `{fmt}`")
    path = Path(path)
    cur = Sentence([])
    scheme = _Scheme(fmt) if check_labels else None
    try:
        for n, text in _lines(path):
            if not text.strip():
                if cur.rows or cur.comments:
                    yield _finish(cur, fmt)
                cur = Sentence([], line=n + 1)
                continue
            if not cur.rows and not cur.comments:
                cur.line = n
            if fmt == "conllu":
                _conllu_line(cur, text, path, n)
                if scheme is not None and cur.rows and cur.rows[-1][0] == text.split("\t", 1)[0]:
                    scheme.check(cur.rows[-1][3], path, n)
            elif fmt == "conll" and text.startswith("-DOCSTART-"):
                cur.comments.append(text)
            else:
                # TAB-separated, or ASCII spaces (never a no-break space inside a token)
                fields = text.split("\t") if fmt == "xtreme" or "\t" in text else \
                    _ASCII_SPACES.split(text.strip(" "))
                if len(fields) < 2:
                    raise ParseError(path, n, f"expected a token and a label, got `{text[:60]}`")
                if scheme is not None:
                    scheme.check(fields[-1], path, n)
                cur.rows.append(fields)
        if cur.rows or cur.comments:
            yield _finish(cur, fmt)
    except UnicodeDecodeError as exc:
        raise ParseError(
            path, None, f"not UTF-8 text ({exc.reason})", hint="convert the file to UTF-8"
        ) from exc


def _conllu_line(cur: Sentence, text: str, path: Path, n: int) -> None:
    if text.startswith("#"):
        if cur.rows or cur.specials:
            raise ParseError(path, n, "comment line inside a sentence")
        cur.comments.append(text)
        return
    fields = text.split("\t")
    if len(fields) != 10:
        raise ParseError(path, n, f"a CoNLL-U line has 10 TAB-separated fields, this one has {len(fields)}")
    ident = fields[0]
    if "-" in ident or "." in ident:
        cur.specials.append((len(cur.rows), fields))
    elif not ident.isdigit() or int(ident) != len(cur.rows) + 1:
        raise ParseError(path, n, f"word ID `{ident}` out of sequence (expected {len(cur.rows) + 1})")
    else:
        cur.rows.append(fields)


def _finish(s: Sentence, fmt: str) -> Sentence:
    if fmt != "conllu" and s.rows:
        found = [_PREFIX.match(r[0]) for r in s.rows]
        if all(found) and len({m.group(1) for m in found}) == 1:
            s.prefix = found[0].group(1)
            for r, m in zip(s.rows, found, strict=False):
                r[0] = r[0][m.end() :]
    return s


def is_bio(label: str) -> bool:
    """True when `label` is `O` or an entity label with a `B-`, `I-`, `E-` or `S-` prefix (IOB2, or its
    BIOES extension)."""
    return _BIO.match(label) is not None


def continued(label: str) -> str:
    """The label of a second or later output token of a word labeled `label`."""
    if len(label) > 2 and label[1] == "-" and label[0] in "BIES":
        return "I-" + label[2:]
    return label


def repair_bio(labels: list[str]) -> int:
    """Make a BIO sequence well formed in place (an I-X not after B-X/I-X becomes B-X); returns changes."""
    fixed, prev = 0, "O"
    for i, lab in enumerate(labels):
        if lab.startswith("I-") and not (prev[2:] == lab[2:] and prev[:2] in ("B-", "I-")):
            labels[i] = "B-" + lab[2:]
            fixed += 1
        prev = labels[i]
    return fixed


def well_formed(labels: list[str]) -> bool:
    """True when every I-X follows a B-X or I-X of the same type."""
    prev = "O"
    for lab in labels:
        if lab.startswith("I-") and not (prev[:2] in ("B-", "I-") and prev[2:] == lab[2:]):
            return False
        prev = lab
    return True


def write(sentence: Sentence, fmt: str, fh, prefix: str | None = None) -> None:
    """Write one sentence (CoNLL-style rows joined by TAB; `prefix` re-adds an `xx:` token prefix)."""
    lines = list(sentence.comments)
    if fmt == "conllu":
        specials = sorted(sentence.specials, key=lambda p: p[0])
        k = 0
        for i, row in enumerate(sentence.rows):
            while k < len(specials) and specials[k][0] <= i:
                lines.append("\t".join(specials[k][1]))
                k += 1
            lines.append("\t".join(row))
        lines.extend("\t".join(f) for _, f in specials[k:])
    else:
        for row in sentence.rows:
            token = f"{prefix}:{row[0]}" if prefix else row[0]
            lines.append("\t".join([token, *row[1:]]))
    fh.write("\n".join(lines) + "\n\n")
