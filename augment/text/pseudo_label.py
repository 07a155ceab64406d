"""Pseudo-labeled data: translate labeled sentences word by word and carry the labels along. A word that
becomes several tokens keeps its label on the first and continues it on the rest (B-X then I-X); POS and
UPOS follow their word; entity tokens (and PROPN in CoNLL-U) stay untranslated unless asked otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lexres.augment.substitute.engine import Substituter
from lexres.loaders.labeled import conll as labeled
from lexres.loaders.labeled.conll import Sentence, continued, is_bio, repair_bio
from lexres.progress import Progress

if TYPE_CHECKING:
    from lexres.augment.derived import DerivedOutput


@dataclass
class LabelCounts:
    """Running counts of a pseudo-labeling run (after Wang, Ruder & Neubig 2022): sentences, tokens in and
    out, tokens replaced, entity tokens kept untranslated, and label sequences whose IOB2 was repaired."""

    sentences: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    replaced: int = 0
    kept_entities: int = 0
    bio_repaired: int = 0

    def as_dict(self) -> dict:
        """The counts as a dict, plus `replaced_share`: replaced tokens per input token (a fraction 0-1, 6
        places)."""
        d = dict(self.__dict__)
        d["replaced_share"] = round(self.replaced / self.tokens_in, 6) if self.tokens_in else 0.0
        return d


class Labeler:
    """Translate sentences of one format, keeping labels consistent."""

    def __init__(self, sub: Substituter, fmt: str, *, keep_entities: bool = True):
        self.sub, self.fmt, self.keep_entities = sub, fmt, keep_entities
        self.counts = LabelCounts()

    def sentence(self, s: Sentence, index: int) -> Sentence:
        """Translate one sentence (CoNLL or CoNLL-U; `index` is its position) through the lexicon, carrying
        each word's labels to its translation (IOB2 columns repaired), and update the counts."""
        c = self.counts
        c.sentences += 1
        c.tokens_in += len(s.rows)
        if self.fmt == "conllu":
            out = self._conllu(s, index)
        else:
            out = self._conll(s, index)
        c.tokens_out += len(out.rows)
        return out

    def _keep(self, rows: list[list[str]]) -> list[bool] | None:
        if not self.keep_entities:
            return None
        if self.fmt == "conllu":
            keep = [r[3] == "PROPN" for r in rows]
        else:
            keep = [is_bio(r[-1]) and r[-1] != "O" for r in rows]
        self.counts.kept_entities += sum(keep)
        return keep

    def _conll(self, s: Sentence, index: int) -> Sentence:
        rows = s.rows
        pieces = self.sub.words([r[0] for r in rows], index, self._keep(rows))
        out: list[list[str]] = []
        for i, _span, tokens, replaced in pieces:
            self.counts.replaced += replaced * _span
            src = rows[i]
            for j, tok in enumerate(tokens):
                out.append([tok] + [v if j == 0 else continued(v) for v in src[1:]])
        for col in range(1, len(rows[0]) if rows else 1):
            values = [r[col] for r in out]
            if values and all(is_bio(v) for v in values):
                self.counts.bio_repaired += repair_bio(values)
                for r, v in zip(out, values, strict=False):
                    r[col] = v
        return Sentence(out, s.comments, [], s.line, s.prefix)

    def _conllu(self, s: Sentence, index: int) -> Sentence:
        rows = s.rows
        pieces = self.sub.words([r[1] for r in rows], index, self._keep(rows))
        first: dict[int, int] = {0: 0}  # old word id -> new id of its first output word
        last: dict[int, int] = {}
        changed: set[int] = set()
        plan = []
        new_id = 0
        for i, span, tokens, replaced in pieces:
            tokens = tokens or [rows[i][1]]  # CoNLL-U keeps unknown words: dropping would orphan dependents
            self.counts.replaced += replaced * span
            start = new_id + 1
            new_id += len(tokens)
            for k in range(i, i + span):
                first[k + 1], last[k + 1] = start, new_id
                if replaced or span > 1:
                    changed.add(k + 1)
            plan.append((i, span, tokens, replaced, start))
        last[0] = 0
        # enhanced dependencies anywhere in the sentence: every word needs DEPS (a new token gets `flat`)
        enhanced = any(r[8] not in ("_", "") for r in rows)
        out: list[list[str]] = []
        for i, span, tokens, replaced, start in plan:
            src = _span_head(rows, i, span)
            for j, tok in enumerate(tokens):
                f = list(src)
                f[0], f[1] = str(start + j), tok
                if replaced:
                    f[2], f[5] = "_", "_"
                if j == 0:
                    f[6] = _remap(f[6], first)
                    f[8] = _remap_deps(f[8], first, last)
                else:
                    f[6], f[7], f[8] = str(start), "flat", f"{start}:flat" if enhanced else "_"
                f[9] = rows[i + span - 1][9] if j == len(tokens) - 1 else "_"
                out.append(f)
        specials = []
        for _pos, f in s.specials:
            if "-" in f[0]:
                a, b = (int(x) for x in f[0].split("-"))
                if any(k in changed for k in range(a, b + 1)):
                    continue  # its words changed: the surface form no longer spells them
                f = [f"{first[a]}-{last[b]}", *f[1:]]
                specials.append((first[a] - 1, f))
            else:
                f = [_remap_node(f[0], last), *f[1:8], _remap_deps(f[8], first, last), f[9]]
                specials.append((int(f[0].split(".")[0]), f))
        comments = [
            c if not c.startswith("# text =") else "# text = " + _text(out, specials) for c in s.comments
        ]
        return Sentence(out, comments, specials, s.line)


def _span_head(rows: list[list[str]], i: int, span: int) -> list[str]:
    """The row that speaks for words i..i+span-1 (one multi-word entry): the word whose head lies outside
    the span, so the translation takes its place in the tree without pointing at itself."""
    inside = {str(k + 1) for k in range(i, i + span)}
    for k in range(i, i + span):
        if rows[k][6] not in inside:
            return rows[k]
    return rows[i]


def _remap(head: str, first: dict[int, int]) -> str:
    return str(first.get(int(head), head)) if head.isdigit() else head


def _remap_node(ident: str, last: dict[int, int]) -> str:
    """The new ID of an empty node `N.M`: it follows the last output token of word N (0.M stays 0.M)."""
    word, _, sub = ident.partition(".")
    return f"{last.get(int(word), int(word))}.{sub}" if word.isdigit() else ident


def _remap_deps(deps: str, first: dict[int, int], last: dict[int, int]) -> str:
    """DEPS (`head:rel|head:rel`) with every head renumbered: a word to its first output token, an empty
    node `N.M` to its new ID, so enhanced graphs stay consistent when a word becomes several tokens."""
    if deps in ("_", ""):
        return deps
    out = []
    for item in deps.split("|"):
        head, _, rel = item.partition(":")
        if not rel:
            out.append(item)
        elif "." in head:
            out.append(f"{_remap_node(head, last)}:{rel}")
        else:
            out.append(f"{_remap(head, first)}:{rel}")
    return "|".join(out)


def _text(rows: list[list[str]], specials: list[tuple[int, list[str]]]) -> str:
    """The sentence text from forms (multiword tokens by their surface form), honouring SpaceAfter=No."""
    ranges = {int(f[0].split("-")[0]): f for _, f in specials if "-" in f[0]}
    parts, i = [], 0
    while i < len(rows):
        f = ranges.get(i + 1)
        if f is not None:
            i = int(f[0].split("-")[1])
        else:
            f = rows[i]
            i += 1
        parts.append(f[1] + ("" if "SpaceAfter=No" in f[9].split("|") else " "))
    return "".join(parts).rstrip()


def run_file(
    sub: Substituter,
    input: str | Path,
    output: str | Path,
    fmt: str,
    *,
    keep_entities: bool = True,
    prefix: str | None = None,
    progress: Progress | None = None,
) -> LabelCounts:
    """Stream a labeled file to its pseudo-labeled translation (temporary name, then renamed).
    `prefix` replaces the input's `xx:` token prefix, when it had one."""
    from lexres.outputs import atomic_output

    input, output = Path(input), Path(output)
    labeler = Labeler(sub, fmt, keep_entities=keep_entities)
    if progress is not None:
        progress.start(None, f"pseudo-label {input.name}", "sentences")
    # lexres.outputs: temp file beside the output, fsynced, renamed; never through a symlink. Whether a
    # file lexres did not write may be replaced is the caller's check (check_destination with --force).
    with atomic_output(output, force=True, newline="") as fh:
        for index, sentence in enumerate(labeled.read(input, fmt)):
            out = labeler.sentence(sentence, index)
            labeled.write(out, fmt, fh, prefix if out.prefix else None)
            if progress is not None:
                progress.advance(1)
    return labeler.counts


def token_prefix(code: str) -> str:
    """The `xx:` prefix for a language in WikiANN/XTREME style: its ISO 639-1 code, or its macrolanguage's
    (swh -> sw), else the ISO 639-3 code."""
    from iso639 import Language

    from lexres.langs import resolve

    lang = resolve(code)
    for c in (lang.code, lang.macrolanguage):
        if c:
            part1 = Language.from_part3(c).part1
            if part1:
                return part1
    return lang.code


def make_pseudo_label(
    store,
    src: str,
    tgt: str,
    input: str | Path,
    output: str | Path,
    fmt: str,
    *,
    lexicons: list[int] | None = None,
    options=None,
    keep_entities: bool = True,
    progress: Progress | None = None,
    record: bool = True,
) -> DerivedOutput:
    """The whole `augment pseudo-label` command: table, streaming run, manifest, store record."""
    from lexres.augment.derived import finish_output
    from lexres.augment.substitute.engine import Options
    from lexres.augment.substitute.table import table_from_store
    from lexres.langs import resolve

    options = options or Options(min_replaced=0)
    src_l, tgt_l = resolve(src), resolve(tgt)
    table = table_from_store(store, src_l.code, tgt_l.code, lexicons)
    counts = run_file(
        Substituter(table, options),
        input,
        output,
        fmt,
        keep_entities=keep_entities,
        prefix=token_prefix(tgt_l.code),
        progress=progress,
    )
    return finish_output(
        store,
        command="augment pseudo-label",
        format=f"pseudo-label-{fmt}",
        input=input,
        output=output,
        src=src_l,
        tgt=tgt_l,
        table=table,
        options=options,
        counts=counts.as_dict(),
        n_read=counts.sentences,
        n_stored=counts.sentences,
        params_before={"format": fmt, "keep_entities": keep_entities},
        skip_options=("min_replaced",),
        record=record,
    )
