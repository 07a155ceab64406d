"""Pseudo-monolingual text: stream a source-language text (one sentence a line) through word-by-word
substitution. Untouched text keeps its bytes: spacing, punctuation and line endings are restored."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from lexres.augment.substitute.engine import Substituter
from lexres.augment.substitute.fast import FastLines
from lexres.augment.substitute.fast import split_lines as block_lines
from lexres.augment.substitute.morph import Inflector, parse_features
from lexres.augment.substitute.tokenize import TOKEN, split_line, tokenize
from lexres.augment.text.aligned import fast_blocks, line_ending, verse_per_line
from lexres.augment.text.blocks import BLOCK_BYTES, MonoCounts, read_blocks
from lexres.augment.text.parallel import run_file_parallel
from lexres.errors import NotFoundError, OptionError
from lexres.progress import Progress

if TYPE_CHECKING:
    from lexres.augment.derived import DerivedOutput

# BLOCK_BYTES, MonoCounts and read_blocks live in lexres.augment.text.blocks (shared with the parallel run)
__all__ = [
    "BLOCK_BYTES", "MonoCounts", "MonoRun", "make_pseudo_mono", "parse_tagged", "read_blocks", "run_file",
]

_CHUNK = re.compile(r"(\S+)(\s*)")


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
        sub = TOKEN.findall(chunk)
        for j, (t, _) in enumerate(sub):
            toks.append((t, ws if j == len(sub) - 1 else ""))
            feats.append(None)
    return lead, toks, feats


class MonoRun:
    """Substitute line by line; `counts` fills in as the generator is consumed."""

    def __init__(self, sub: Substituter, *, tagged: bool = False, inflector: Inflector | None = None,
                 keep_alignment: bool = False, filtered: list[int] | None = None):
        self.sub, self.tagged, self.inflector = sub, tagged, inflector
        self.keep_alignment = keep_alignment
        # 1-based lines filtered (dropped or blanked)
        self.filtered = filtered if filtered is not None else []
        self.counts = MonoCounts()

    def _analyses(self, toks: list[tuple[str, str]]) -> list:
        analyse = self.inflector.analyse
        return [analyse(t) if t[:1].isalpha() else None for t, _ in toks]

    @property
    def _fast(self) -> bool:
        return not self.tagged and not (self.inflector is not None and self.sub.options.morph)

    def lines(self, lines: Iterable[str], progress: Progress | None = None) -> Iterator[str]:
        """Translate lines (each ending with a LF, except perhaps the last); yields output text."""
        if self._fast and not self.keep_alignment:
            return FastLines(self.sub).run(lines, self.counts, self.sub.options.min_replaced, progress)
        if self._fast:
            return self.blocks((line for line in lines), progress)
        return self._slow(lines, progress)

    def blocks(self, blocks: Iterable[str], progress: Progress | None = None) -> Iterator[str]:
        """Translate text blocks made of whole lines; yields output text."""
        if self._fast:
            return fast_blocks(self.sub, self.counts, blocks, self.filtered, progress, self.keep_alignment)
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
                self.filtered.append(index + 1)
                if self.keep_alignment:
                    yield line_ending(line)
                continue
            c.sentences_out += 1
            c.tokens += len(toks)
            c.words += words
            c.replaced += replaced
            c.unknown += unknown
            yield lead + "".join(pieces) + end
        c.sentences_in = index + 1
        c.inflected, c.uninflected = sub.n_inflected, sub.n_uninflected


def run_file(
    sub: Substituter,
    input: str | Path,
    output: str | Path,
    *,
    tagged: bool = False,
    inflector: Inflector | None = None,
    progress: Progress | None = None,
    workers: int = 1,
    keep_alignment: bool = False,
    filtered: list[int] | None = None,
    force: bool = False,
) -> MonoCounts:
    """Stream `input` to `output` through `lexres.outputs` (a temporary file in the output's folder, fsynced
    and renamed: a killed run leaves the old file or none; never through a symlink). `workers` > 1 splits
    the work over processes with dask (same bytes out). With `keep_alignment`, a filtered line (fewer than
    min_replaced replacements) is written as an empty line and its 1-based number appended to `filtered`.

    Raises OptionError (destination, or --workers with options it cannot run)."""
    from lexres.outputs import atomic_output, check_destination

    input, output = Path(input), Path(output)
    check_destination(output, force=force)
    run = MonoRun(sub, tagged=tagged, inflector=inflector, keep_alignment=keep_alignment, filtered=filtered)
    if workers > 1:
        if not run._fast:
            raise OptionError("--workers works without --tagged/--morph only", hint="drop --workers")
        if keep_alignment and sub.options.min_replaced > 0:
            raise OptionError("--workers cannot keep line alignment while filtering lines",
                              hint="pass --no-keep-alignment, --min-replaced 0, or drop --workers")
        return run_file_parallel(sub, input, output, workers)
    if progress is not None:
        progress.start(input.stat().st_size, f"pseudo-mono {input.name}")
    with atomic_output(output, force=force, newline="") as dst:
        write = dst.write
        for out in run.blocks(read_blocks(input), progress):
            write(out)
        if run.counts.sentences_out == 0:  # raised inside: the temporary file goes, an old output stays
            raise NotFoundError(
                f"{input}: no line kept ({run.counts.sentences_in} read, none with --min-replaced "
                f"{sub.options.min_replaced} replacements); nothing was written",
                hint="check --src/--tgt and the lexicons, or lower --min-replaced")
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
    keep_alignment: bool | None = None,
    include_derived: bool = False,
    force: bool = False,
) -> DerivedOutput:
    """The whole `augment pseudo-mono` command: table from the store (imported lexicons unless named or
    `include_derived`), streaming run, sidecar manifest (lexicons used and their kind, filtered lines), and
    the output recorded in the store as a derived `text` resource. `keep_alignment` None: on when the
    input is a verse-per-line Bible (see `lexres.augment.text.aligned.verse_per_line`)."""
    from lexres.augment.derived import finish_output
    from lexres.augment.substitute.engine import Options
    from lexres.augment.substitute.table import table_from_store
    from lexres.langs import resolve

    options = options or Options()
    src_l, tgt_l = resolve(src), resolve(tgt)
    table = table_from_store(store, src_l.code, tgt_l.code, lexicons, include_derived=include_derived)
    inflector = None
    if options.morph or tagged:
        inflector = Inflector(store, src_l.code, tgt_l.code)
    if keep_alignment is None:
        keep_alignment = verse_per_line(input)
    filtered: list[int] = []
    counts = run_file(
        Substituter(table, options, inflector),
        input,
        output,
        tagged=tagged,
        inflector=inflector,
        progress=progress,
        workers=workers,
        keep_alignment=keep_alignment,
        filtered=filtered,
        force=force,
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
        params_after={"tagged": tagged, "keep_alignment": keep_alignment},
        record=record,
        filtered_lines=None if workers > 1 else filtered,
    )
