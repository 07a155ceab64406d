"""Labeled sentences for tagging: which column holds the label, checking labels against the scheme (IOB2 or
the UD UPOS tag set) with file:line errors, and turning words into subword model inputs with the label on
the FIRST piece of each word (other pieces get -100, ignored by the loss),
as in Devlin et al. (2019, §5.3)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lexres.errors import FormatError, OptionError, ParseError

# the one import of the labeled-data module; the rest of the task imports these names from here
from lexres.loaders.labeled.conll import (  # noqa: F401
    FORMATS,
    UPOS,
    Sentence,
    read,
    repair_bio,
    well_formed,
    write,
)

SCHEMES = ("iob2", "upos")
IGNORE = -100  # label id of pieces that are not the first of a word (torch's CrossEntropyLoss ignore_index)
# The 17 universal part-of-speech tags of Universal Dependencies v2 (universaldependencies.org/u/pos/).
UPOS_TAGS = UPOS  # the UD tag set, defined once in the labeled-data readers
_IOB2 = re.compile(r"^(?:O|[BI]-\S+)$")
_CONLLU_UPOS = 3  # 0-based index of the UPOS column in CoNLL-U


@dataclass(frozen=True)
class LabelSpec:
    """Where the label of a token row is (`column`: 0-based index, -1 = last field) and which scheme
    (`iob2` or `upos`) its values must follow, for files in `fmt`."""

    fmt: str
    column: int
    scheme: str


@dataclass(frozen=True)
class Example:
    """One labeled sentence: `words` and `labels` (same length) and the 1-based file line of each word."""

    words: tuple[str, ...]
    labels: tuple[str, ...]
    lines: tuple[int, ...]
    line: int


@dataclass(frozen=True)
class Window:
    """Model input for one stretch of a sentence (long sentences are split so nothing is truncated away).
    `input_ids` include the special tokens; `first[k]` is the piece position of word `start + k` (-1 when the
    tokenizer gives the word no piece); `labels` has a label id on first pieces and -100 elsewhere."""

    example: int
    start: int
    input_ids: tuple[int, ...]
    token_type_ids: tuple[int, ...] | None
    first: tuple[int, ...]
    labels: tuple[int, ...] | None = None


def label_spec(fmt: str, label_column: str | None = None, scheme: str = "auto") -> LabelSpec:
    """Resolve `--label-column` (`upos`, or a 1-based column number; default: UPOS for CoNLL-U, the last
    field otherwise) and `--scheme` (`auto`: upos for the CoNLL-U UPOS column, iob2 otherwise).
    Raises OptionError for a combination that cannot work."""
    if fmt not in FORMATS:
        raise OptionError(f"--format must be one of {', '.join(FORMATS)}, not `{fmt}`")
    if label_column is None:
        column = _CONLLU_UPOS if fmt == "conllu" else -1
    elif label_column.lower() == "upos":
        if fmt != "conllu":
            raise OptionError("--label-column upos needs --format conllu", hint="give a column number")
        column = _CONLLU_UPOS
    elif label_column.isdigit():
        n = int(label_column)
        low, high = (3, 10) if fmt == "conllu" else (2, None)
        if n < low or (high and n > high):
            raise OptionError(
                f"--label-column {n} is out of range for {fmt} (from {low}{f' to {high}' if high else ''}; "
                "column 1 is the word ID or the token)"
            )
        column = n - 1
    else:
        raise OptionError(f"--label-column must be `upos` or a column number, not `{label_column}`")
    if scheme == "auto":
        scheme = "upos" if fmt == "conllu" and column == _CONLLU_UPOS else "iob2"
    if scheme not in SCHEMES:
        raise OptionError(f"--scheme must be auto, iob2 or upos, not `{scheme}`")
    return LabelSpec(fmt, column, scheme)


def valid_label(label: str, scheme: str) -> bool:
    """True when `label` belongs to `scheme`: IOB2 (`O`, `B-TYPE`, `I-TYPE`) or a UD UPOS tag."""
    return label in UPOS_TAGS if scheme == "upos" else _IOB2.match(label) is not None


def check_label(label: str, scheme: str, path, line: int) -> None:
    """Raise ParseError at `path:line` when `label` is not valid for `scheme`."""
    if valid_label(label, scheme):
        return
    if scheme == "upos":
        raise ParseError(
            path,
            line,
            f"`{label}` is not a UD UPOS tag",
            hint="UPOS tags are ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT "
            "SCONJ SYM VERB X; or choose another --label-column",
        )
    raise ParseError(
        path,
        line,
        f"`{label}` is not an IOB2 label (O, B-TYPE or I-TYPE)",
        hint="convert the file to IOB2, or choose another --label-column / --scheme",
    )


def row_lines(sentence: Sentence) -> list[int]:
    """The 1-based file line of each token row of `sentence` (comments, and CoNLL-U multiword ranges and
    empty nodes, take lines of their own)."""
    before = sorted(p for p, _ in sentence.specials)
    out, k = [], 0
    for i in range(len(sentence.rows)):
        while k < len(before) and before[k] <= i:
            k += 1
        out.append(sentence.line + len(sentence.comments) + k + i)
    return out


def read_labeled(
    path: str | Path, spec: LabelSpec, *, validate: bool = True
) -> tuple[list[Sentence], list[Example]]:
    """Every sentence of a labeled file with its Example (words and labels). Raises ParseError (file:line)
    for a row without the label column or, with `validate`, a label invalid for `spec.scheme`."""
    sentences, examples = [], []
    for s in read(path, spec.fmt):
        lines = row_lines(s)
        words, labels = [], []
        for row, line in zip(s.rows, lines, strict=True):
            word_at = 1 if spec.fmt == "conllu" else 0
            if spec.column >= len(row) or (spec.column == -1 and len(row) < 2):
                raise ParseError(
                    path, line, f"no label column {spec.column + 1} (the row has {len(row)} fields)"
                )
            label = row[spec.column]
            if validate:
                check_label(label, spec.scheme, path, line)
            words.append(row[word_at])
            labels.append(label)
        sentences.append(s)
        examples.append(Example(tuple(words), tuple(labels), tuple(lines), s.line))
    return sentences, examples


def set_labels(sentence: Sentence, labels: Sequence[str], spec: LabelSpec) -> None:
    """Write `labels` into the label column of `sentence`'s rows (in place)."""
    if len(labels) != len(sentence.rows):
        raise ValueError(f"{len(labels)} labels for {len(sentence.rows)} rows")
    for row, label in zip(sentence.rows, labels, strict=True):
        row[spec.column] = label


def label_inventory(examples: Iterable[Example], scheme: str) -> tuple[str, ...]:
    """The label set a model is trained on: for IOB2, `O` then B-/I- of every type seen (both, so the
    model can continue an entity whose I- tag the data lacks), types sorted; for UPOS the
    tags seen, sorted."""
    seen = {lab for ex in examples for lab in ex.labels}
    if scheme == "upos":
        return tuple(sorted(seen))
    types = sorted({lab[2:] for lab in seen if lab != "O"})
    return ("O", *(f"{p}-{t}" for t in types for p in "BI"))


def infer_scheme(labels: Iterable[str]) -> str:
    """`iob2` or `upos` from a model's label set; FormatError when the labels fit neither."""
    labels = list(labels)
    for scheme in SCHEMES:
        if labels and all(valid_label(lab, scheme) for lab in labels):
            return scheme
    raise FormatError(
        f"the model's labels ({', '.join(labels[:8])}{'...' if len(labels) > 8 else ''}) are neither IOB2 "
        "nor UPOS",
        hint="use a tagger trained on IOB2 or UD UPOS labels",
    )


def fallback_label(scheme: str) -> str:
    """The label of a word the tokenizer gives no piece (so the model sees nothing of it): O, or UPOS X."""
    return "X" if scheme == "upos" else "O"


def windows(counts: Sequence[int], budget: int) -> list[tuple[int, int]]:
    """Split words with `counts` pieces each into consecutive [start, end) ranges of at most `budget`
    pieces (a single word longer than `budget` stands alone and is cut, keeping its first piece)."""
    out, start, used = [], 0, 0
    for k, c in enumerate(counts):
        if used and used + c > budget:
            out.append((start, k))
            start, used = k, 0
        used += c
    if counts:
        out.append((start, len(counts)))
    return out


def encode(
    tokenizer,
    sentences: Sequence[Sequence[str]],
    *,
    max_length: int,
    labels: Sequence[Sequence[str]] | None = None,
    label2id: dict[str, int] | None = None,
) -> list[Window]:
    """Model inputs for `sentences` (lists of words) with a fast (Rust) tokenizer: at most `max_length`
    pieces per window including special tokens; with `labels`, label ids on first pieces (-100 elsewhere).
    Empty sentences give no window. Raises OptionError for a slow tokenizer or a too small `max_length`."""
    if not getattr(tokenizer, "is_fast", False):
        raise OptionError(
            "tagging needs a fast tokenizer (one with word alignment, saved as tokenizer.json)",
            hint="save the body's tokenizer with a recent transformers",
        )
    budget = max_length - tokenizer.num_special_tokens_to_add()
    if budget < 1:
        raise OptionError(f"--max-length {max_length} leaves no room for words")
    out: list[Window] = []
    todo = [i for i, s in enumerate(sentences) if len(s)]
    for c0 in range(0, len(todo), 256):
        idx = todo[c0 : c0 + 256]
        enc = tokenizer([list(sentences[i]) for i in idx], is_split_into_words=True, add_special_tokens=False)
        for j, i in enumerate(idx):
            words = list(sentences[i])
            counts = [0] * len(words)
            for w in enc.word_ids(j):
                if w is not None:
                    counts[w] += 1
            for a, b in windows(counts, budget):
                out.append(
                    _window(
                        tokenizer,
                        i,
                        a,
                        words[a:b],
                        max_length,
                        None if labels is None else labels[i][a:b],
                        label2id,
                    )
                )
    return out


def _window(tokenizer, i, start, words, max_length, labels, label2id) -> Window:
    e = tokenizer(words, is_split_into_words=True, truncation=True, max_length=max_length)
    first = [-1] * len(words)
    for pos, w in enumerate(e.word_ids()):
        if w is not None and first[w] < 0:
            first[w] = pos
    ids = None
    if labels is not None:
        ids = [IGNORE] * len(e["input_ids"])
        for k, pos in enumerate(first):
            if pos >= 0:
                ids[pos] = label2id[labels[k]]
        ids = tuple(ids)
    types = e.get("token_type_ids")
    return Window(
        i, start, tuple(e["input_ids"]), tuple(types) if types is not None else None, tuple(first), ids
    )


def collate(batch: Sequence[Window], pad_id: int, torch) -> dict:
    """Pad a batch of windows into tensors (input_ids, attention_mask, token_type_ids, labels; int64
    [batch, longest])."""
    width = max(len(w.input_ids) for w in batch)

    def pad(seq, value):
        return list(seq) + [value] * (width - len(seq))

    out = {
        "input_ids": torch.tensor([pad(w.input_ids, pad_id) for w in batch], dtype=torch.long),
        "attention_mask": torch.tensor([pad([1] * len(w.input_ids), 0) for w in batch], dtype=torch.long),
    }
    if batch[0].token_type_ids is not None:
        out["token_type_ids"] = torch.tensor([pad(w.token_type_ids, 0) for w in batch], dtype=torch.long)
    if batch[0].labels is not None:
        out["labels"] = torch.tensor([pad(w.labels, IGNORE) for w in batch], dtype=torch.long)
    return out
