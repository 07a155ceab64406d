"""Pseudo-monolingual text: stream a source-language text (one sentence a line) through word-by-word
substitution. Untouched text keeps its bytes: spacing, punctuation and line endings are restored."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lexres.errors import OptionError, ParseError
from lexres.progress import Progress
from lexres.augment.substitute.fast import FastLines
from lexres.augment.substitute.fast import _lines as block_lines
from lexres.augment.substitute.morph import Inflector, parse_features
from lexres.augment.substitute.engine import Substituter
from lexres.augment.substitute.tokenize import _TOKEN, split_line, tokenize

_CHUNK = re.compile(r"(\S+)(\s*)")
# Bytes read per block: a block's chunks, ids and outputs then stay in the CPU caches (256 KiB blocks run
# about 15% faster than 1 MiB ones on the benchmark).
BLOCK_BYTES = 1 << 18


@dataclass
class MonoCounts:
    """What a run did. `words`/`replaced` count word tokens of the sentences written; `*_in` of all input."""

    sentences_in: int = 0
    sentences_out: int = 0
    tokens: int = 0
    words: int = 0
    replaced: int = 0
    unknown: int = 0
    words_in: int = 0
    replaced_in: int = 0
    inflected: int = 0
    uninflected: int = 0

    def as_dict(self) -> dict:
        d = dict(self.__dict__)
        d["replaced_share"] = round(self.replaced / self.words, 6) if self.words else 0.0
        d["replaced_share_in"] = round(self.replaced_in / self.words_in, 6) if self.words_in else 0.0
        return d


def parse_tagged(text: str) -> tuple[str, list[tuple[str, str]], list]:
    """Tokenize a line whose whitespace-separated items may carry features: `word|FEATS` or
    `word|lemma|FEATS` (e.g. `houses|house|N;PL`). Returns (lead, tokens, per-token (lemma, features))."""
    stripped = text.lstrip()
    lead = text[: len(text) - len(stripped)]
    toks: list[tuple[str, str]] = []
    feats: list = []
    for chunk, ws in _CHUNK.findall(stripped):
        parts = chunk.split("|")
        if len(parts) in (2, 3) and parts[0] and parts[-1]:
            toks.append((parts[0], ws))
            feats.append((parts[1] if len(parts) == 3 else None, parse_features(parts[-1])))
            continue
        sub = _TOKEN.findall(chunk)
        for j, (t, _) in enumerate(sub):
            toks.append((t, ws if j == len(sub) - 1 else ""))
            feats.append(None)
    return lead, toks, feats


class MonoRun:
    """Substitute line by line; `counts` fills in as the generator is consumed."""

    def __init__(self, sub: Substituter, *, tagged: bool = False, inflector: Inflector | None = None):
        self.sub, self.tagged, self.inflector = sub, tagged, inflector
        self.counts = MonoCounts()

    def _analyses(self, toks: list[tuple[str, str]]) -> list:
        analyse = self.inflector.analyse
        return [analyse(t) if t[:1].isalpha() else None for t, _ in toks]

    @property
    def _fast(self) -> bool:
        return not self.tagged and not (self.inflector is not None and self.sub.options.morph)

    def lines(self, lines: Iterable[str], progress: Progress | None = None) -> Iterator[str]:
        """Translate lines (each ending with a LF, except perhaps the last); yields output text."""
        if self._fast:
            return FastLines(self.sub).run(lines, self.counts, self.sub.options.min_replaced, progress)
        return self._slow(lines, progress)

    def blocks(self, blocks: Iterable[str], progress: Progress | None = None) -> Iterator[str]:
        """Translate text blocks made of whole lines; yields output text."""
        if self._fast:
            return FastLines(self.sub).run_text(blocks, self.counts, self.sub.options.min_replaced, progress)
        return self._slow((line for block in blocks for line in block_lines(block)), progress)

    def _slow(self, lines: Iterable[str], progress: Progress | None) -> Iterator[str]:
        """Token by token, for tagged input and morphology lookups."""
        sub, c = self.sub, self.counts
        min_replaced = sub.options.min_replaced
        index = -1
        for index, line in enumerate(lines):  # noqa: B007  (index is the sentence number for the RNG)
            if progress is not None:
                progress.advance(len(line))
            text, end = split_line(line)
            if self.tagged:
                lead, toks, feats = parse_tagged(text)
            else:
                lead, toks = tokenize(text)
                feats = self._analyses(toks)
            pieces, words, replaced, unknown = sub.sentence(toks, index, feats)
            c.words_in += words
            c.replaced_in += replaced
            if replaced < min_replaced:
                continue
            c.sentences_out += 1
            c.tokens += len(toks)
            c.words += words
            c.replaced += replaced
            c.unknown += unknown
            yield lead + "".join(pieces) + end
        c.sentences_in = index + 1
        c.inflected, c.uninflected = sub.n_inflected, sub.n_uninflected


def read_blocks(path: str | Path, size: int = BLOCK_BYTES) -> Iterator[str]:
    """Whole lines of a UTF-8 file, about `size` bytes at a time (lines end at LF only, so a CRLF
    ending stays part of its line and is written back as it was)."""
    line = 0
    with open(path, "rb") as fh:
        rest = b""
        while True:
            buf = fh.read(size)
            if not buf:
                if rest:
                    yield _decode(rest, path, line)
                return
            buf = rest + buf
            cut = buf.rfind(b"\n") + 1
            if cut == 0:
                rest = buf
                continue
            rest = buf[cut:]
            yield _decode(buf[:cut], path, line)
            line += buf.count(b"\n", 0, cut)


def _decode(data: bytes, path, first_line: int) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + data.count(b"\n", 0, exc.start) + 1
        raise ParseError(
            path, line, f"not UTF-8 text ({exc.reason} at byte {exc.start})", hint="convert the file to UTF-8"
        ) from exc


def run_file(
    sub: Substituter,
    input: str | Path,
    output: str | Path,
    *,
    tagged: bool = False,
    inflector: Inflector | None = None,
    progress: Progress | None = None,
    workers: int = 1,
) -> MonoCounts:
    """Stream `input` to `output` (written to a temporary name, then renamed: no half-written outputs).
    `workers` > 1 splits the work over processes with dask (same bytes out)."""
    input, output = Path(input), Path(output)
    run = MonoRun(sub, tagged=tagged, inflector=inflector)
    if workers > 1:
        if not run._fast:
            raise OptionError("--workers works without --tagged/--morph only", hint="drop --workers")
        from lexres.augment.text.parallel import run_file_parallel

        return run_file_parallel(sub, input, output, workers)
    tmp = output.with_name(output.name + ".part")
    if progress is not None:
        progress.start(input.stat().st_size, f"pseudo-mono {input.name}")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as dst:
            write = dst.write
            for out in run.blocks(read_blocks(input), progress):
                write(out)
        os.replace(tmp, output)
    finally:
        if tmp.exists():
            tmp.unlink()
    return run.counts


def make_pseudo_mono(
    store,
    src: str,
    tgt: str,
    input: str | Path,
    output: str | Path,
    *,
    lexicons: list[int] | None = None,
    options=None,
    tagged: bool = False,
    progress: Progress | None = None,
    record: bool = True,
    workers: int = 1,
) -> dict:
    """The whole `augment pseudo-mono` command: table from the store, streaming run, sidecar manifest,
    and the output recorded in the store as a derived `text` resource."""
    from lexres.langs import resolve
    from lexres.augment.derived import finish_output
    from lexres.augment.substitute.engine import Options
    from lexres.augment.substitute.table import table_from_store

    options = options or Options()
    src_l, tgt_l = resolve(src), resolve(tgt)
    table = table_from_store(store, src_l.code, tgt_l.code, lexicons)
    inflector = None
    if options.morph or tagged:
        inflector = Inflector(store, src_l.code, tgt_l.code)
    counts = run_file(
        Substituter(table, options, inflector),
        input,
        output,
        tagged=tagged,
        inflector=inflector,
        progress=progress,
        workers=workers,
    )
    return finish_output(
        store,
        command="augment pseudo-mono",
        format="pseudo-mono",
        input=input,
        output=output,
        src=src_l,
        tgt=tgt_l,
        table=table,
        options=options,
        counts=counts.as_dict(),
        n_read=counts.sentences_in,
        n_stored=counts.sentences_out,
        params_after={"tagged": tagged},
        record=record,
    )
