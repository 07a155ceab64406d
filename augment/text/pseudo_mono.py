"""Pseudo-monolingual text: stream a source-language text (one sentence a line) through word-by-word
substitution. Untouched text keeps its bytes: spacing, punctuation and line endings are restored.

With `workers` > 1 the input is cut at line ends into one part per worker and the parts run as tasks of the
executor layer (`lexres.jobs`, dask.distributed): each task opens the store read-only, builds the same table
from the same lexicons and writes its part; the client joins them. Every random choice depends only on
(seed, line number), so the bytes are the same whatever the number of workers."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from lexres.augment.substitute.engine import Substituter
from lexres.augment.substitute.fast import FastLines
from lexres.augment.substitute.fast import split_lines as block_lines
from lexres.augment.substitute.morph import Inflector, parse_features
from lexres.augment.substitute.tokenize import TOKEN, split_line, tokenize
from lexres.augment.text.aligned import fast_blocks, line_ending, verse_per_line
from lexres.augment.text.blocks import BLOCK_BYTES, MonoCounts, read_blocks, read_range, split_ranges
from lexres.errors import NotFoundError, OptionError, StoreError
from lexres.progress import Progress, utf8_size

if TYPE_CHECKING:
    from lexres.augment.derived import DerivedOutput

# BLOCK_BYTES, MonoCounts and read_blocks live in lexres.augment.text.blocks (shared with the parts)
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
                progress.advance(utf8_size(line))
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
    keep_alignment: bool = False,
    filtered: list[int] | None = None,
    force: bool = False,
) -> MonoCounts:
    """Stream `input` to `output` through `lexres.outputs` (a temporary file in the output's folder, fsynced
    and renamed: a killed run leaves the old file or none; never through a symlink). The 1-based number of
    every filtered line (fewer than min_replaced replacements) is appended to `filtered`; with
    `keep_alignment` such a line is written as an empty line. (`run_parts` is the same over workers.)

    Raises OptionError (destination), NotFoundError when no line is kept, ParseError for bad UTF-8."""
    from lexres.outputs import atomic_output, check_destination

    input, output = Path(input), Path(output)
    check_destination(output, force=force)
    run = MonoRun(sub, tagged=tagged, inflector=inflector, keep_alignment=keep_alignment, filtered=filtered)
    if progress is not None:
        progress.start(input.stat().st_size, f"pseudo-mono {input.name}", "bytes")
    with atomic_output(output, force=force, newline="") as dst:
        write = dst.write
        for out in run.blocks(read_blocks(input), progress):
            write(out)
        if run.counts.sentences_out == 0:  # raised inside: the temporary file goes, an old output stays
            raise _nothing_kept(input, run.counts, sub.options.min_replaced)
    return run.counts


def _nothing_kept(input: Path, counts: MonoCounts, min_replaced: int) -> NotFoundError:
    return NotFoundError(
        f"{input}: no line kept ({counts.sentences_in} read, none with --min-replaced {min_replaced} "
        "replacements); nothing was written",
        hint="check --src/--tgt and the lexicons, or lower --min-replaced")


@dataclass(frozen=True)
class PartResult:
    """What one part of a parallel run did: its counts (MonoCounts fields by name) and the 1-based numbers
    (in the whole input) of the lines it filtered."""

    counts: dict[str, int]
    filtered: tuple[int, ...]


def work_part(store, task) -> PartResult:
    """One part of `run_parts`, run in a dask worker with the store opened read-only: build the table from
    the lexicons the client named (refusing them if their bytes changed meanwhile) and translate bytes
    [a, b) of the input, whose first line is line `first` (0-based), into the part file.

    Raises StoreError when a lexicon changed since the run began, ParseError for bad UTF-8."""
    from lexres.augment.substitute.table import table_from_store

    p = task.params
    table = table_from_store(store, p["src"], task.lang, p["lexicons"])
    if table.hashes != p["hashes"]:
        raise StoreError(f"{store.path}: lexicons {', '.join(map(str, p['lexicons']))} changed while the "
                         "pseudo-mono run went on", hint="run it again")
    sub = Substituter(table, p["options"])
    counts, filtered = MonoCounts(), []
    a, b, first = p["range"]
    with open(p["part"], "w", encoding="utf-8", newline="") as dst:
        blocks = read_range(Path(p["input"]), a, b, first, BLOCK_BYTES)
        for out in fast_blocks(sub, counts, blocks, filtered, None, p["keep_alignment"], start=first):
            dst.write(out)
    return PartResult({f.name: getattr(counts, f.name) for f in fields(counts)}, tuple(filtered))


def run_parts(
    store,
    src: str,
    tgt: str,
    table,
    options,
    input: str | Path,
    output: str | Path,
    *,
    workers: int,
    keep_alignment: bool = False,
    filtered: list[int] | None = None,
    force: bool = False,
    progress: Progress | None = None,
    dask_client=None,
) -> MonoCounts:
    """`run_file` (fast path) over `workers` parts of the input, run by `lexres.jobs` on a LocalCluster of
    `workers` processes (or on `dask_client`). Each part's task opens the store read-only and builds its
    own table from `table`'s lexicons; its choices depend on (options.seed, line number) only, so the output,
    counts and filtered lines are those of `run_file` whatever the number of workers. Part files are made
    hidden in the output's folder and removed in any case; the output is written atomically.

    Raises OptionError (destination), NotFoundError when no line is kept, MissingExtraError without dask,
    and the error of the first part that failed (ParseError for bad UTF-8, StoreError...)."""
    from lexres.jobs import LangTask, run_tasks
    from lexres.outputs import atomic_output, check_destination

    input, output = Path(input), Path(output)
    check_destination(output, force=force)
    ranges = split_ranges(input, workers)
    parts = []  # made here (O_EXCL, so never a link someone left), hidden, removed in any case
    try:
        for k in range(len(ranges)):
            fd, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=f".part{k}", dir=output.parent)
            os.close(fd)
            parts.append(Path(name))
        params = {"src": src, "input": str(input.resolve()), "lexicons": list(table.resource_ids),
                  "hashes": dict(table.hashes), "options": options, "keep_alignment": keep_alignment}
        tasks = [LangTask("pseudo-mono", tgt, options.seed, {**params, "range": r, "part": str(p)}, part=k)
                 for k, (r, p) in enumerate(zip(ranges, parts, strict=True))]
        report = run_tasks(work_part, tasks, store_path=store.path, workers=workers, dask_client=dask_client,
                           progress=progress, label=f"pseudo-mono {input.name}: parts")
        for outcome in report.outcomes:
            outcome.reraise()
        total = MonoCounts()
        for outcome in report.outcomes:
            total.add(MonoCounts(**outcome.result.counts))
            if filtered is not None:
                filtered.extend(outcome.result.filtered)
        if total.sentences_out == 0:
            raise _nothing_kept(input, total, options.min_replaced)
        with atomic_output(output, force=force, binary=True) as dst:
            for p in parts:
                with open(p, "rb") as part:
                    shutil.copyfileobj(part, dst)
    finally:
        for p in parts:
            p.unlink(missing_ok=True)
    return total


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
    dask_client=None,
) -> DerivedOutput:
    """The whole `augment pseudo-mono` command: table from the store (imported lexicons unless named or
    `include_derived`), streaming run, sidecar manifest (lexicons used and their kind, filtered lines), and
    the output recorded in the store as a derived `text` resource. `keep_alignment` None: on when the
    input is a verse-per-line Bible (see `lexres.augment.text.aligned.verse_per_line`). `workers` > 1 runs
    `run_parts` (a LocalCluster, or `dask_client`): the same bytes.

    Raises OptionError (--workers with --tagged/--morph, destination), NotFoundError, MissingExtraError."""
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
    if workers > 1:
        if tagged or options.morph:
            raise OptionError("--workers works without --tagged/--morph only", hint="drop --workers")
        counts = run_parts(store, src_l.code, tgt_l.code, table, options, input, output, workers=workers,
                           keep_alignment=keep_alignment, filtered=filtered, force=force, progress=progress,
                           dask_client=dask_client)
    else:
        counts = run_file(
            Substituter(table, options, inflector),
            input,
            output,
            tagged=tagged,
            inflector=inflector,
            progress=progress,
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
        filtered_lines=filtered,
    )
