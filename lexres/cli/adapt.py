"""CLI: `lexres adapt tokenizer|init-embeddings|mlm` — adapt a multilingual masked-LM to a new language
(extend its tokenizer, initialise the new embedding rows, continue masked-LM training). Parses options, calls
lexres.tasks.adapt, prints; bases are local save_pretrained directories only (nothing is downloaded)."""

from __future__ import annotations

from pathlib import Path

import typer

from lexres.cli.common import (
    FORCE,
    JSON,
    bar,
    console,
    emit_json,
    err_console,
    open_store,
    plural,
    resource_id,
)
from lexres.errors import OptionError

app = typer.Typer(
    name="adapt",
    help="Adapt a masked-LM to a new language: extend its tokenizer, initialise new embeddings, train MLM.",
    no_args_is_help=True,
)


def _quiet_transformers() -> None:
    """transformers' own progress bars (loading/writing weights) would interleave with ours."""
    from lexres.errors import require

    require("transformers", "model").utils.logging.disable_progress_bar()


def _stats(label: str, before, after) -> str:
    if after is None:
        return f"{label}: -"
    was = f"{before.fertility:.3f} -> " if before is not None else ""
    unk = f"{100 * before.unk_rate:.2f}% -> " if before is not None else ""
    return (f"{label}: fertility {was}{after.fertility:.3f} pieces/word, "
            f"unknown {unk}{100 * after.unk_rate:.2f}%")


@app.command("tokenizer")
def tokenizer(
    text: list[Path] = typer.Option(..., "--text", help="Target-language text, a sentence a line."),
    out: Path = typer.Option(..., "--out", help="Directory for the tokenizer (written atomically)."),
    base: Path = typer.Option(None, "--base", help="Base model directory whose tokenizer is extended."),
    from_scratch: bool = typer.Option(False, "--from-scratch", help="Make a new XLM-R-style tokenizer."),
    vocab_size: int = typer.Option(8000, "--vocab-size", help="Pieces of the SentencePiece model trained."),
    source_text: list[Path] = typer.Option(None, "--source-text", help="Source-language text for fertility."),
    scores: str = typer.Option("base-first", "--piece-scores",
                               help="Scores of merged SentencePiece pieces: base-first or target."),
    seed: int = typer.Option(0, "--seed", help="Random seed of SentencePiece training."),
    threads: int = typer.Option(1, "--threads", help="SentencePiece threads (1 is deterministic)."),
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Train a SentencePiece unigram model on the text and merge it into the base's tokenizer (old ids kept),
    or build a tokenizer from scratch; report pieces added, fertility and unknown rate before/after."""
    from lexres.tasks.adapt.tokenizer import adapt_tokenizer

    _quiet_transformers()
    rep = adapt_tokenizer(text, out, base=base, from_scratch=from_scratch, vocab_size=vocab_size, seed=seed,
                          source_texts=source_text or (), threads=threads, scores=scores, force=force)
    if as_json:
        emit_json(rep.to_dict())
        return
    console.print(f"{rep.mode}: {plural(rep.added, 'piece')} added, {rep.size} in all -> {rep.out}",
                  markup=False)
    console.print(_stats("target", rep.target_before, rep.target_after))
    if rep.source_after is not None:
        console.print(_stats("source", rep.source_before, rep.source_after))


@app.command("init-embeddings")
def init_embeddings(
    base: Path = typer.Option(..., "--base", help="Base model directory (save_pretrained)."),
    tokenizer_dir: Path = typer.Option(..., "--tokenizer", help="Extended tokenizer from `adapt tokenizer`."),
    out: Path = typer.Option(..., "--out", help="Directory for the resized model (written atomically)."),
    init: str = typer.Option("lexicon", "--init", help="New rows: lexicon, random (control), focus, wechsel"),
    lexicon: Path = typer.Option(None, "--lexicon", help="Word list `source<TAB>target[<TAB>weight]` "
                                 "(default: the store's SRC-LANG lexicons)."),
    src: str = typer.Option(None, "--src", help="Source language of the base model, for store lexicons."),
    lang: str = typer.Option(None, "--lang", help="Target language, for store lexicons."),
    include_derived: bool = typer.Option(False, "--include-derived",
                                         help="Also use pivoted and induced lexicons of the store."),
    text: list[Path] = typer.Option(None, "--text", help="focus: target-language text for token vectors."),
    source_vectors: Path = typer.Option(None, "--source-vectors", help="wechsel: source fastText .bin."),
    target_vectors: Path = typer.Option(None, "--target-vectors",
                                        help="wechsel: target word fastText .bin; focus: token-level .bin."),
    ft_dim: int = typer.Option(100, "--fasttext-dim", help="focus: dimension of the token vectors trained."),
    ft_epochs: int = typer.Option(3, "--fasttext-epochs", help="focus: epochs of the token vectors."),
    ft_min_count: int = typer.Option(10, "--fasttext-min-count", help="focus: min count of a token."),
    ft_lr: float = typer.Option(0.05, "--fasttext-lr", help="focus: learning rate of the token vectors."),
    seed: int = typer.Option(0, "--seed", help="Random seed of random and fallback rows."),
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Resize the base's embeddings to the extended tokenizer: old rows copied bit-identically, new rows from
    lexicon translations (weighted mean of their pieces' embeddings), random, FOCUS or WECHSEL (local fastText
    vectors only); counts rows by origin."""
    from lexres.tasks.adapt.embeddings import init_embeddings as run
    from lexres.tasks.adapt.transfer import TransferOptions

    _quiet_transformers()
    opts = TransferOptions(source_vectors=str(source_vectors) if source_vectors else None,
                           target_vectors=str(target_vectors) if target_vectors else None,
                           dim=ft_dim, epochs=ft_epochs, min_count=ft_min_count, lr=ft_lr)
    entries = None
    if lexicon is None and init in ("lexicon", "wechsel"):
        if not (src and lang):
            raise OptionError(f"--init {init} needs a lexicon",
                              hint="pass --src and --lang to use the store's lexicons, or --lexicon FILE")
        from lexres.tasks.adapt.embeddings import store_lexicon

        with open_store(readonly=True) as store:
            entries = store_lexicon(store, src, lang, include_derived=include_derived)
    rep = run(base, tokenizer_dir, out, init=init, lexicon=entries, lexicon_file=lexicon, seed=seed,
              texts=text or (), transfer=opts, force=force)
    if as_json:
        emit_json(rep.to_dict())
        return
    console.print(f"{rep.base_size} -> {plural(rep.size, 'row')}: {rep.copied} copied, {rep.lexicon} from "
                  f"the lexicon ({plural(rep.pairs_used, 'pair')} used, {rep.pairs_skipped} without "
                  "evidence), "
                  + (f"{rep.transferred} by {rep.init}, " if rep.init in ("focus", "wechsel") else "")
                  + f"{rep.fallback} fallback, {rep.random} random "
                  f"-> {rep.out}", markup=False)


@app.command("mlm")
def mlm(
    model: Path = typer.Option(..., "--model", help="Model directory (--from-scratch: a tokenizer one)."),
    text: list[Path] = typer.Option(..., "--text", help="Training text, one sentence a line (repeatable)."),
    out: Path = typer.Option(..., "--out", help="Directory for the trained model (written atomically)."),
    from_scratch: bool = typer.Option(False, "--from-scratch", help="Train a new model sized by --config."),
    config: str = typer.Option("small", "--config", help="From-scratch size: tiny, small, or JSON."),
    max_tokens: int = typer.Option(None, "--max-tokens", help="Token budget (whole run, across resumes)."),
    max_steps: int = typer.Option(None, "--max-steps", help="Step budget (whole run, across resumes)."),
    max_seconds: float = typer.Option(None, "--max-seconds", help="Wall-time budget of this invocation."),
    seed: int = typer.Option(0, "--seed", help="Random seed (init, masking, shuffling, dropout)."),
    threads: int = typer.Option(None, "--threads", help="CPU threads for torch."),
    batch_size: int = typer.Option(16, "--batch-size", help="Blocks per batch."),
    seq_len: int = typer.Option(128, "--seq-len", help="Tokens per block."),
    lr: float = typer.Option(None, "--lr", help="Peak learning rate (default 5e-5, from scratch 5e-4)."),
    warmup: int = typer.Option(0, "--warmup", help="Warmup steps."),
    save_every: int = typer.Option(500, "--save-every", help="Checkpoint every N steps."),
    log_every: int = typer.Option(50, "--log-every", help="Print loss and tokens/s every N steps."),
    resume: bool = typer.Option(False, "--resume", help="Continue from the checkpoint beside --out."),
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Masked-LM training with logits only at masked positions; seeded, budgeted, resumable exactly."""
    from lexres.tasks.adapt.mlm import MlmSettings, train_mlm

    _quiet_transformers()
    settings = MlmSettings(seed=seed, batch_size=batch_size, seq_len=seq_len, lr=lr, warmup=warmup,
                           max_steps=max_steps, max_tokens=max_tokens, max_seconds=max_seconds,
                           save_every=save_every, log_every=log_every, threads=threads)
    lines = err_console  # a line every --log-every steps, on stderr even in a pipe; stdout keeps the result

    def log(s) -> None:
        lines.print(f"step {s.step}: loss {s.loss:.4f}, lr {s.lr:.2e}, epoch {s.epoch}, "
                    f"{plural(s.tokens, 'token')}, {s.tokens_per_s:,.0f} tokens/s, {s.seconds:.1f} s",
                    markup=False, highlight=False)

    with bar() as progress:
        rep = train_mlm(model, text, out, settings=settings, from_scratch=from_scratch, config=config,
                        resume=resume, progress=progress, on_step=log, force=force)
    if as_json:
        emit_json(rep.to_dict())
        return
    console.print(f"{plural(rep.steps, 'step')} ({rep.resumed_step} before this run), "
                  f"{plural(rep.tokens, 'token')}, "
                  f"{rep.tokens_per_s:,.0f} tokens/s, loss {rep.first_loss:.4f} -> {rep.final_loss:.4f}, "
                  f"stopped by {rep.stopped_by} -> {rep.out}", markup=False)


@app.command("corpus")
def corpus(
    lang: str = typer.Option(..., "--lang", help="Target language of the corpus."),
    out: Path = typer.Option(..., "--out", help="Directory for corpus.txt, report.json and the manifest."),
    src: str = typer.Option(None, "--src", help="Language of the --from text."),
    sources: list[Path] = typer.Option(None, "--from", help="Source-language text (a sentence a line) to "
                                       "translate word by word with the store's lexicons; repeatable."),
    mix: list[str] = typer.Option(None, "--mix", metavar="LANG:SHARE",
                                  help="Share (0-1) of the corpus filled with a source language's own text."),
    lexicons: list[int] = typer.Option(None, "--lexicon", parser=resource_id,
                                       help="Only these lexicon resource ids (3 or #3; repeatable)."),
    include_derived: bool = typer.Option(False, "--include-derived",
                                         help="Also use pivoted and induced lexicons."),
    seed: int = typer.Option(0, "--seed", help="Seed of the shuffle and the word choices."),
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Training text for a language from the store: its Bible verses plus pseudo-monolingual text made from
    --from text, deduplicated and shuffled with a seed, optionally mixed with source-language text.

    Example: lexres adapt corpus --lang swh --src eng --from en.txt --mix eng:0.2 --out swh-corpus"""
    from lexres.augment.text.corpus import build_corpus, parse_mix

    shares = parse_mix(mix)
    with open_store() as store, bar() as progress:
        rep = build_corpus(store, lang, out, src=src, sources=sources or (), mix=shares, seed=seed,
                           lexicons=lexicons or None, include_derived=include_derived, force=force,
                           progress=progress)
    if as_json:
        emit_json(rep.to_dict())
        return
    sizes = ", ".join(f"{s.origin} {plural(s.lines, 'line')} / {plural(s.words, 'word')}" for s in rep.sizes)
    console.print(f"wrote {plural(rep.lines, 'line')} to {out}/corpus.txt ({sizes}; "
                  f"{plural(rep.duplicates_dropped, 'duplicate')} dropped); resource #{rep.resource_id}",
                  markup=False)
