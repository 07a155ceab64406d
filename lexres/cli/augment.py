"""`lexres augment ...`: pseudo-mono, pseudo-label, induce-lexicon, eval-lexicon (parse and print only)."""

from __future__ import annotations

from pathlib import Path

import typer

from lexres import defaults
from lexres.cli.common import (
    CHOICE,
    FORCE,
    JSON,
    MIN_REPLACED,
    UNKNOWN,
    UNKNOWN_HELP,
    bar,
    console,
    emit_json,
    open_store,
    plural,
    resource_id,
    resource_ids,
)


def _derived_too(store, src: str, tgt: str, include_derived: bool) -> list[int] | None:
    """With --include-derived and no --lexicon: every src-tgt lexicon, derived ones included (else None:
    the imported ones)."""
    if not include_derived:
        return None
    from lexres.augment.substitute.table import lexicon_resources

    return [r.id for r in lexicon_resources(store, src, tgt, include_derived=True)]


def _found_under(store, src: str, tgt: str, lexicons) -> tuple:
    """How the lexicons a substitution used served SRC and TGT through other codes of their families
    (lexres.store.lexicon.served_by: `swa: found under swh (a member of the macrolanguage swa)`)."""
    from lexres.store.lexicon import served_by

    return served_by(store, src, lexicons) + served_by(store, tgt, lexicons)


def _say_found_under(found) -> None:
    """The found-under lines on stderr, so that a pipe reading stdout gets the summary alone."""
    from lexres.cli.common import err_console

    for f in found:
        err_console.print(f.note, markup=False)


def _print_counts(title: str, result) -> None:
    """One line for a pseudo-mono run (a DerivedOutput): sentences kept, words replaced, lexicons."""
    c = result.counts
    console.print(
        f"{title}: {result.output} ({c.get('sentences_out', '?')} of "
        f"{plural(c.get('sentences_in', '?'), 'sentence')} kept; {c.get('replaced', 0)} of "
        f"{plural(c.get('words', 0), 'word')} replaced, share "
        f"{c.get('replaced_share', 0):.3f}); lexicons {list(result.lexicons)}; manifest {result.manifest}",
        markup=False,
    )

app = typer.Typer(
    name="augment",
    help="Generate training data: pseudo-monolingual, pseudo-labeled, induced lexicons, hallucinated "
    "inflections.",
    no_args_is_help=True,
)



@app.command("pseudo-mono")
def pseudo_mono(
    src: str = typer.Option(..., "--src", help="Language of the input text."),
    tgt: str = typer.Option(..., "--tgt", help="Language to translate into."),
    input: Path = typer.Option(..., "--input", "-i", help="Text file, one sentence a line."),
    output: Path = typer.Option(..., "--output", "-o", help="Output text file (+ .manifest.json)."),
    lexicon: list[str] = typer.Option(
        None,
        "--lexicon",
        help="Lexicon resource id(s) to use (repeatable); "
        "default: every imported src-tgt lexicon in the store, either direction.",
    ),
    include_derived: bool = typer.Option(
        False, "--include-derived", help="Also use derived lexicons (pivot, induced) when none is named."
    ),
    keep_alignment: bool = typer.Option(
        None,
        "--keep-alignment/--no-keep-alignment",
        help="One output line per input line (a filtered line is written empty). Default: on for a "
        "verse-per-line Bible or a text with vref.txt beside it.",
        show_default=False,
    ),
    force: bool = FORCE,
    choice: str = CHOICE,
    unknown: str = UNKNOWN,
    mark: str = typer.Option(defaults.MARK, "--mark", help="Template for --unknown mark."),
    min_replaced: int = MIN_REPLACED,
    seed: int = typer.Option(
        defaults.SEED, "--seed", help="Random seed; the same seed gives byte-identical output."
    ),
    morph: bool = typer.Option(
        False,
        "--morph",
        help="Inflect target lemmas for the source word's features "
        "(from --tagged input or the source UniMorph table in the store).",
    ),
    tagged: bool = typer.Option(
        False, "--tagged", help="Input items may carry features: word|FEATS or word|lemma|FEATS."
    ),
    no_record: bool = typer.Option(False, "--no-record", help="Do not record the output in the store."),
    workers: int = typer.Option(
        defaults.WORKERS,
        "--workers",
        help="Worker processes (a local dask.distributed cluster, `scale` extra), one part of the input "
        "each; the output is the same.",
    ),
    as_json: bool = JSON,
) -> None:
    """Translate text word by word with the store's lexicons (pseudo-monolingual text)."""
    from lexres.augment.substitute.engine import Options
    from lexres.augment.text.pseudo_mono import make_pseudo_mono

    opts = Options(
        choice=choice,
        unknown=unknown,
        mark=mark,
        min_replaced=min_replaced,
        seed=seed,
        morph=morph or tagged,
    )
    with open_store(readonly=no_record) as store, bar() as progress:  # --no-record only reads
        result = make_pseudo_mono(
            store,
            src,
            tgt,
            input,
            output,
            lexicons=resource_ids(lexicon),
            options=opts,
            tagged=tagged,
            progress=progress,
            record=not no_record,
            workers=workers,
            keep_alignment=keep_alignment,
            include_derived=include_derived,
            force=force,
        )
        found = _found_under(store, src, tgt, result.lexicons)
    if as_json:
        emit_json({**result.to_dict(), "found_under": [f.to_dict() for f in found]})
    else:
        _print_counts("pseudo-mono", result)
        _say_found_under(found)

@app.command("pseudo-label")
def pseudo_label(
    src: str = typer.Option(..., "--src", help="Language of the labeled input."),
    tgt: str = typer.Option(..., "--tgt", help="Language to translate into."),
    input: Path = typer.Option(..., "--input", "-i", help="Labeled file (one token a line)."),
    format: str = typer.Option(
        ...,
        "--format",
        "-f",
        help="conll (NER, tab or space separated, "
        "`en:` prefixes understood), conllu, or xtreme (token TAB label).",
    ),
    output: Path = typer.Option(..., "--output", "-o", help="Output file in the same format."),
    lexicon: list[str] = typer.Option(
        None, "--lexicon", help="Lexicon resource id(s) to use (repeatable); default: every imported "
        "src-tgt lexicon in the store."
    ),
    include_derived: bool = typer.Option(
        False, "--include-derived", help="Also use derived lexicons (pivot, induced) when none is named."
    ),
    force: bool = FORCE,
    choice: str = CHOICE,
    unknown: str = typer.Option(defaults.UNKNOWN, "--unknown", help=UNKNOWN_HELP + " CoNLL-U never drops."),
    mark: str = typer.Option(defaults.MARK, "--mark", help="Template for --unknown mark."),
    seed: int = typer.Option(
        defaults.SEED, "--seed", help="Random seed; the same seed gives byte-identical output."
    ),
    translate_entities: bool = typer.Option(
        False,
        "--translate-entities",
        help="Translate entity tokens (NER label other than O; PROPN in CoNLL-U) too.",
    ),
    no_record: bool = typer.Option(False, "--no-record", help="Do not record the output in the store."),
    as_json: bool = JSON,
) -> None:
    """Translate labeled data word by word, carrying NER/POS labels through (pseudo-labeled data)."""
    from lexres.augment.substitute.engine import Options
    from lexres.augment.text.pseudo_label import make_pseudo_label

    opts = Options(choice=choice, unknown=unknown, mark=mark, min_replaced=0, seed=seed)
    from lexres.outputs import check_destination

    check_destination(output, force=force)
    with open_store(readonly=no_record) as store, bar() as progress:  # --no-record only reads
        result = make_pseudo_label(
            store,
            src,
            tgt,
            input,
            output,
            format,
            lexicons=resource_ids(lexicon) or _derived_too(store, src, tgt, include_derived),
            options=opts,
            keep_entities=not translate_entities,
            progress=progress,
            record=not no_record,
        )
        found = _found_under(store, src, tgt, result.lexicons)
    if as_json:
        emit_json({**result.to_dict(), "found_under": [f.to_dict() for f in found]})
    else:
        _say_found_under(found)
        c = result.counts
        console.print(
            f"pseudo-label: {result.output} ({plural(c['sentences'], 'sentence')}, {c['tokens_in']} -> "
            f"{plural(c['tokens_out'], 'token')}, {c['replaced']} replaced, share {c['replaced_share']:.3f}, "
            f"{plural(c['kept_entities'], 'entity token')} kept, {plural(c['bio_repaired'], 'BIO repair')}); "
            f"manifest {result.manifest}",
            markup=False,
        )

@app.command("induce-lexicon")
def induce_lexicon(
    src: str = typer.Option(..., "--src", help="Source language (its Bible is the source side)."),
    tgt: str = typer.Option(..., "--tgt", help="Target language."),
    output: Path = typer.Option(
        None,
        "--output",
        "-o",
        help="TSV to write (source, target, score); default SRC-TGT.induced.tsv here.",
    ),
    method: str = typer.Option(
        defaults.INDUCTION_METHOD,
        "--method",
        help="ibm1 (IBM Model 1 by EM in both directions, see --reverse-weight) or dice "
        "(co-occurrence baseline).",
    ),
    top_k: int = typer.Option(defaults.INDUCTION_TOP_K, "--top-k", help="Translations kept per source word."),
    threshold: float = typer.Option(
        defaults.INDUCTION_THRESHOLD, "--threshold", help="Minimum score of a kept pair."
    ),
    min_count: int = typer.Option(
        defaults.INDUCTION_MIN_COUNT, "--min-count", help="Minimum frequency of a source word."
    ),
    iterations: int = typer.Option(
        defaults.INDUCTION_ITERATIONS, "--iterations", help="EM iterations (ibm1)."
    ),
    reverse_weight: float = typer.Option(
        defaults.INDUCTION_REVERSE_WEIGHT,
        "--reverse-weight",
        help="ibm1 score t(f|e) * t(e|f)**W: 0 = forward model only.",
    ),
    diagonal: float = typer.Option(
        defaults.INDUCTION_DIAGONAL,
        "--diagonal",
        help="Tension of fast_align's diagonal prior in EM (0 = plain IBM Model 1).",
    ),
    src_bible: str = typer.Option(
        None, "--src-bible", help="Source Bible resource id (default: the largest Bible of --src)."
    ),
    tgt_bible: str = typer.Option(None, "--tgt-bible", help="Target Bible resource id."),
    gold: int = typer.Option(
        None,
        "--gold",
        parser=resource_id,
        help="Reference lexicon resource id: report precision@1/@5 "
        "of the induced lexicon and of the Dice baseline.",
    ),
    name: str = typer.Option(
        None, "--name", help="Name of the stored lexicon (default: output file name)."
    ),
    no_record: bool = typer.Option(False, "--no-record", help="Only write the TSV; do not store it."),
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Learn a bilingual lexicon from verse-aligned Bibles in the store; store it as a derived lexicon."""
    from lexres.augment.lexicon.bible import induce_lexicon as run

    out = output or Path(f"{src}-{tgt}.induced.tsv")
    with open_store(readonly=no_record) as store, bar() as progress:  # --no-record only reads
        result = run(
            store,
            src,
            tgt,
            out,
            method=method,
            k=top_k,
            threshold=threshold,
            min_count=min_count,
            iterations=iterations,
            reverse_weight=reverse_weight,
            diagonal=diagonal,
            src_bible=src_bible,
            tgt_bible=tgt_bible,
            gold=gold,
            name=name,
            record=not no_record,
            progress=progress,
            force=force,
        )
    if as_json:
        emit_json(result.to_dict())
        return
    c = result.counts
    console.print(
        f"induce-lexicon: {plural(c['pairs'], 'pair')} for {plural(c['src_words'], f'{src} word')} from "
        f"{plural(c['verse_pairs'], 'verse pair')} (Bibles {list(result.bibles)}) -> {result.output}"
        + (f", stored as lexicon #{result.resource_id}" if result.resource_id else ""),
        markup=False,
    )
    ev = result.evaluation
    if ev:
        for m, p in ((method, ev.induced), ("dice", ev.dice)):
            console.print(
                f"  {m:<5} precision@1 {p.p_at_1:.3f}  precision@5 {p.p_at_5:.3f}  "
                f"(on {plural(p.n, 'word')} shared by lexicon #{gold} and the Bible)",
                markup=False,
            )
        console.print(f"  signature: {result.signature}", markup=False)

@app.command("eval-lexicon")
def eval_lexicon(
    src: str = typer.Option(..., "--src", help="Source language."),
    tgt: str = typer.Option(..., "--tgt", help="Target language."),
    lexicon: int = typer.Option(
        ..., "--lexicon", parser=resource_id, help="Lexicon resource id to evaluate (3 or #3)."
    ),
    gold: int = typer.Option(..., "--gold", parser=resource_id, help="Reference lexicon resource id."),
    src_bible: str = typer.Option(
        None, "--src-bible", help="Bible whose words are evaluated (default: the largest Bible of --src)."
    ),
    as_json: bool = JSON,
) -> None:
    """Precision@1/@5 of a lexicon against a reference dictionary, on words they and the Bible share."""
    from lexres.augment.lexicon.bible import eval_lexicon as run

    with open_store(readonly=True) as store:
        result = run(store, src, tgt, lexicon, gold, src_bible=src_bible)
    if as_json:
        emit_json(result.to_dict())
    else:
        console.print(
            f"lexicon #{lexicon} vs #{gold}: precision@1 {result.p_at_1:.3f}  precision@5 "
            f"{result.p_at_5:.3f}  on {plural(result.n, 'word')} ({result.covered} with a prediction)",
            markup=False,
        )
        console.print(f"signature: {result.signature}", markup=False)


@app.command("hallucinate")
def hallucinate_cmd(
    input: Path = typer.Option(..., "--input", help="Training file (lemma, form, features)."),
    output: Path = typer.Option(..., "--output", help="File to write, in the input's layout."),
    n: int = typer.Option(defaults.HALLUCINATE_N, "--n", help="How many examples to hallucinate."),
    seed: int = typer.Option(defaults.SEED, "--seed", help="Random seed."),
    min_run: int = typer.Option(
        defaults.HALLUCINATE_MIN_RUN,
        "--min-run",
        help="Shortest run of aligned identical characters that counts as stem.",
    ),
    with_input: bool = typer.Option(False, "--with-input", help="Write the input's own lines first."),
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Hallucinate inflection examples (Anastasopoulos & Neubig 2019): random stems, real affixes."""
    from lexres.tasks.inflection.run import hallucinate_file

    with bar() as progress:
        rep = hallucinate_file(
            input, output, n, seed=seed, min_run=min_run, with_input=with_input, progress=progress,
            force=force,
        )
    if as_json:
        emit_json(rep.to_dict())
    else:
        console.print(f"wrote {plural(rep.lines, 'line')} ({rep.hallucinated} hallucinated) to {output}",
                      markup=False)
