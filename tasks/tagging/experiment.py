"""The lexicon-adaptation NER experiment (Wang, Ruder & Neubig 2022, "Expanding Pretrained Models to Thousands
More Languages via Lexicon-based Adaptation", ACL 2022) for a language with no labeled data, run end to end
from what the store holds, with a fixed recipe and seeds:

  (a) a tagger fine-tuned on the source-language labeled data only (zero-shot transfer);
  (a=) the equal-steps control: (a) trained for as many updates as (b) gets;
  (b) (a) + the same data pseudo-labeled into the target language with the lexicon (`augment pseudo-label`);
  (c) as (b), from a body first continued by masked-LM training on `adapt corpus` text (the target Bible +
      pseudo-monolingual text made with the lexicon, mixed with source text);
  (d) (c) + distilled labels: the (c) tagger labels target text (Bible verses and pseudo-monolingual lines),
      confident sentences are added to (c)'s training data (`adapt distill`).

The body is a local save_pretrained model (`base`), or a small XLM-R-style model lexres pretrains from scratch
(a SentencePiece tokenizer on source + target text, masked-LM on source text only, so the target language is
as unseen by the body as by mBERT in the paper). Entity F1 is seqeval's micro F1 (fraction 0–1) on the test
file with `drop_types` mapped to O; the best epoch of every run is chosen on the dev file only.

The recipe (ExperimentOptions defaults, fixed on dev runs and the CPU budget, never on test): 3000 source
sentences (sampled with seed 0); body XLM-R 2 layers x 128, SentencePiece unigram 8000 pieces, 500 MLM steps
(batch 32 x 64 tokens, lr 5e-4); adaptation 300 MLM steps on the corpus with a 0.3 source share; fine-tuning
3 epochs, batch 32, lr 1e-3 (5e-5 with a base), AdamW with 10% warm-up, the dev-best epoch kept; distillation
labels 1000 target lines (threshold 0); one torch thread.
Raises OptionError for bad options, NotFoundError for missing store resources, ParseError for bad data."""

from __future__ import annotations

import json
import math
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from lexres.errors import OptionError, ParseError
from lexres.outputs import check_destination, write_text
from lexres.progress import Progress
from lexres.provenance import file_sha256, signature, write_manifest

CONFIGS = ("a", "a-equal-steps", "b", "c", "d")
DESCRIPTIONS = {
    "a": "source labeled data only",
    "a-equal-steps": "(a) for as many updates as (b)",
    "b": "(a) + pseudo-labeled target data",
    "c": "(b) on a body adapted by MLM on Bible + pseudo-monolingual text",
    "d": "(c) + distilled labels on target text",
}
# the from-scratch body (XLM-R architecture): small enough to pretrain and fine-tune on two shared CPU cores
SCRATCH_CONFIG = {
    "hidden_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "intermediate_size": 512,
    "max_position_embeddings": 130,
}


@dataclass(frozen=True)
class ExperimentOptions:
    """The recipe's knobs (defaults = the documented recipe). `lexicon`: `store` (the imported src-target
    lexicons), `induced` (induce one from the store's Bible pair by IBM Model 1 and use only it), or
    comma-separated lexicon resource ids. Fractions are 0–1; `budget_minutes` caps the wall time of the
    whole run: MLM stages get a share, a fine-tuning run what is left (one cut by it reports
    `stopped: max-seconds`), and seeds not started when it is spent are skipped. Learning rates left None
    are, for a body pretrained here, 1e-3 for fine-tuning and 5e-4 for continued MLM, and 5e-5 for both with
    a local `base`. The fine-tuning rate was chosen on the dev set alone, among 2.5e-4, 5e-4, 1e-3 and 2e-3
    with 3 or 5 epochs (seeds 1 and 2, highest mean dev F1 of (b))."""

    seeds: tuple[int, ...] = (1, 2, 3)
    lexicon: str = "store"
    base: str | None = None
    budget_minutes: float = 60.0
    max_train_sentences: int | None = 3000
    epochs: int = 3
    lr: float | None = None
    batch_size: int = 32
    max_length: int = 128
    vocab_size: int = 8000
    body_config: str | None = None
    pretrain_steps: int = 500
    adapt_steps: int = 300
    mlm_lr: float | None = None
    mlm_seq_len: int = 64
    mix: float = 0.3
    distill_lines: int = 1000
    distill_threshold: float = 0.0
    drop_types: tuple[str, ...] = ("DATE",)
    threads: int | None = 1
    fmt: str = "conll"

    def learning_rates(self) -> tuple[float, float]:
        """(fine-tuning, continued-MLM) peak learning rates in effect: the given ones, else the recipe's for a
        body pretrained here (1e-3, 5e-4) or for a local `base` (5e-5, 5e-5). Signatures carry these, so a
        changed default never hides behind `lr: None`."""
        base = self.base is not None
        return self.lr or (5e-5 if base else 1e-3), self.mlm_lr or (5e-5 if base else 5e-4)

    def check(self) -> None:
        """Raise OptionError for a value that cannot be right."""
        bad = [
            (not self.seeds, "--seeds needs at least one seed"),
            (len(set(self.seeds)) != len(self.seeds), "--seeds repeats a seed"),
            (not self.budget_minutes > 0, "--budget-minutes must be positive"),
            (
                self.max_train_sentences is not None and self.max_train_sentences < 1,
                "--max-train-sentences must be at least 1",
            ),
            (self.epochs < 1, "--epochs must be at least 1"),
            (self.lr is not None and not self.lr > 0, "--lr must be positive"),
            (self.pretrain_steps < 1 or self.adapt_steps < 1, "MLM step budgets must be at least 1"),
            (not 4 <= self.mlm_seq_len <= 128, "--mlm-seq-len must be from 4 to 128"),
            (not 0 <= self.mix < 1, "--mix is the source share of the adaptation corpus, from 0 to below 1"),
            (self.distill_lines < 1, "--distill-lines must be at least 1"),
            (not 0 <= self.distill_threshold <= 1, "--distill-threshold is a probability from 0 to 1"),
        ]
        for wrong, message in bad:
            if wrong:
                raise OptionError(message)
        if self.lexicon not in ("store", "induced") and not all(
            x.strip().isdigit() for x in self.lexicon.split(",")
        ):
            raise OptionError(
                f"--lexicon must be store, induced or lexicon ids like 3,4, not `{self.lexicon}`"
            )


@dataclass(frozen=True)
class DataSize:
    """A labeled training file: sentences and words (tokens)."""

    name: str
    sentences: int
    tokens: int


@dataclass(frozen=True)
class RunResult:
    """One fine-tuning run: test entity P/R/F1 (micro, 0–1), the dev F1 of the chosen epoch, updates
    (optimizer steps), training sentences, CPU seconds (process time of training + testing) and why it
    stopped."""

    config: str
    seed: int
    test_precision: float
    test_recall: float
    test_f1: float
    dev_f1: float | None
    steps: int
    epochs_run: int
    best_epoch: int
    sentences: int
    cpu_seconds: float
    wall_seconds: float
    stopped: str
    model: str
    signature: str


@dataclass(frozen=True)
class ConfigSummary:
    """Test F1 of one configuration over seeds: mean and sample standard deviation (0 for one seed), both
    fractions 0–1, with its training data size and mean updates and CPU seconds per run."""

    config: str
    description: str
    seeds: tuple[int, ...]
    f1_mean: float
    f1_sd: float
    dev_f1_mean: float | None
    train_sentences: int
    train_tokens: int
    steps_mean: float
    cpu_seconds_mean: float


@dataclass(frozen=True)
class ExperimentReport:
    """The whole experiment: runs, per-configuration summaries, the data sizes, the shared preparation
    (CPU seconds per stage: lexicon induction, pseudo-labeling, corpus, body pretraining, adaptation) and
    the run's signature."""

    lang: str
    src: str
    lexicon: str
    lexicon_ids: tuple[int, ...]
    body: str
    dev: str
    test: str
    drop_types: tuple[str, ...]
    runs: tuple[RunResult, ...]
    summaries: tuple[ConfigSummary, ...]
    data: tuple[DataSize, ...]
    prep_cpu_seconds: dict[str, float]
    options: dict
    out: str
    signature: str


def _examples(path: Path, fmt: str, drop: Sequence[str] = ()):
    from lexres.tasks.tagging.data import label_spec, read_labeled
    from lexres.tasks.tagging.scoring import drop_types

    _, exs = read_labeled(path, label_spec(fmt))
    exs = [ex for ex in exs if ex.words]
    labels = drop_types([ex.labels for ex in exs], drop) if drop else [list(ex.labels) for ex in exs]
    return [(list(ex.words), lab) for ex, lab in zip(exs, labels, strict=True)]


def _write_conll(path: Path, sentences: Sequence[tuple[list[str], list[str]]]) -> DataSize:
    """TAB-separated CoNLL (`word<TAB>label`, blank line between sentences), atomically."""
    bad = [w for words, _ in sentences for w in words if "\t" in w or "\n" in w]
    if bad:
        raise ParseError(path, None, f"a word holds a TAB or newline: {bad[0]!r}")
    text = "".join(
        "".join(f"{w}\t{lab}\n" for w, lab in zip(ws, ls, strict=True)) + "\n" for ws, ls in sentences
    )
    write_text(path, text, force=True)
    return DataSize(path.stem, len(sentences), sum(len(ws) for ws, _ in sentences))


def _write_lines(path: Path, lines: Sequence[str]) -> Path:
    return write_text(path, "".join(line + "\n" for line in lines), force=True)


def _tokenized(line: str) -> str:
    """Words and punctuation split apart, as in CoNLL NER data (the reversible tokenizer of augment)."""
    from lexres.augment.substitute.tokenize import tokenize

    return " ".join(t for t, _ in tokenize(line)[1])


class _Clock:
    """Wall-time budget: each stage asks for its share of what is left."""

    def __init__(self, minutes: float):
        self.end = time.monotonic() + 60.0 * minutes

    def share(self, fraction: float, floor: float = 20.0) -> float:
        return max(floor, (self.end - time.monotonic()) * fraction)


def _cpu(prep: dict[str, float], stage: str, fn: Callable, *args, **kwargs):
    """Call `fn` and add its CPU seconds (process time, all threads) to `prep[stage]`."""
    t0 = time.process_time()
    out = fn(*args, **kwargs)
    prep[stage] = round(prep.get(stage, 0.0) + time.process_time() - t0, 2)
    return out


@dataclass(frozen=True)
class _Data:
    """The training material every seed shares."""

    src_ex: list
    pseudo: list
    dev: Path
    distill_text: Path
    src_texts: tuple[Path, ...]
    tok_texts: tuple[Path, ...]
    corpus: Path
    lexicon_ids: tuple[int, ...]


def _prepare(store, src_l, tgt_l, train_src, dev, work: Path, options, sizes, prep, log, progress) -> _Data:
    """Source data subsampled once (seed 0), dev with dropped types, the lexicon (induced if asked), the
    pseudo-labeled data, Bible text, the adaptation corpus and the target text for distillation."""
    from lexres.augment.text.corpus import build_corpus
    from lexres.augment.text.pseudo_label import make_pseudo_label
    from lexres.store.bible import translations, verses

    src_ex = _examples(Path(train_src), options.fmt)
    if not src_ex:
        raise ParseError(train_src, None, "no labeled sentence in the training file")
    if options.max_train_sentences and len(src_ex) > options.max_train_sentences:
        src_ex = random.Random(0).sample(src_ex, options.max_train_sentences)
    sizes["a"] = _write_conll(work / "train-a.conll", src_ex)
    _write_conll(work / "dev.conll", _examples(Path(dev), options.fmt, options.drop_types))
    log(f"source training data: {sizes['a'].sentences} sentences, {sizes['a'].tokens} tokens")

    ids: list[int] | None = None
    pair = f"{src_l.code}-{tgt_l.code}"
    if options.lexicon == "induced":
        from lexres.augment.lexicon.bible import induce_lexicon

        res = _cpu(prep, "induce-lexicon", induce_lexicon, store, src_l.code, tgt_l.code,
                   work / f"induced-{pair}.tsv", name=f"induced-{pair}-{work.parent.name}", force=True,
                   progress=progress)
        ids = [res.resource_id]
        log(f"induced lexicon #{res.resource_id}: {res.counts.get('pairs')} pairs from Bibles {res.bibles}")
    elif options.lexicon != "store":
        ids = [int(x) for x in options.lexicon.split(",")]

    pl = work / "pseudo-labeled.conll"
    _cpu(prep, "pseudo-label", make_pseudo_label, store, src_l.code, tgt_l.code, work / "train-a.conll", pl,
         "conll", lexicons=ids, record=False)
    pseudo = _examples(pl, "conll")
    sizes["pseudo-labeled"] = DataSize("pseudo-labeled", len(pseudo), sum(len(w) for w, _ in pseudo))
    sizes["b"] = _write_conll(work / "train-b.conll", src_ex + pseudo)

    texts = {"src": [" ".join(w) for w, _ in src_ex]}
    for code in (src_l.code, tgt_l.code):
        texts[code] = [v.text for r in translations(store, code) for v in verses(store, r) if v.text.strip()]
    src_text = _write_lines(work / f"text-{src_l.code}.txt", texts["src"])
    bibles = [_write_lines(work / f"bible-{code}.txt", texts[code]) for code in (src_l.code, tgt_l.code)]

    mix = {src_l.code: options.mix} if options.mix else {}
    kw = {"src": src_l.code, "sources": [src_text], "lexicons": ids, "record": False, "force": True}
    corpus = _cpu(prep, "corpus", build_corpus, store, tgt_l.code, work / "corpus", mix=mix, seed=0, **kw)
    _cpu(prep, "corpus", build_corpus, store, tgt_l.code, work / "target-text", seed=0, **kw)
    log("adaptation corpus: " + ", ".join(f"{s.origin} {s.lines} lines" for s in corpus.sizes))
    lines = (work / "target-text" / "corpus.txt").read_text(encoding="utf-8").splitlines()
    lines = [_tokenized(x) for x in lines[: options.distill_lines]]  # already shuffled with seed 0
    return _Data(
        src_ex, pseudo, work / "dev.conll", _write_lines(work / "distill-text.txt", [x for x in lines if x]),
        (src_text, bibles[0]), (src_text, *bibles, work / "corpus" / "corpus.txt"),
        work / "corpus" / "corpus.txt",
        tuple(ids or corpus.lexicons),
    )


def _bodies(data: _Data, work: Path, options, clock, prep, log, progress) -> tuple[Path, Path, str]:
    """(body, adapted body, description): the local base or a body pretrained here from scratch (tokenizer on
    source + target text, masked-LM on source text only), then continued MLM on the adaptation corpus."""
    from lexres.tasks.adapt.mlm import MlmSettings, checkpoint_path, train_mlm

    def settings(steps: int, lr: float | None, share: float) -> MlmSettings:
        return MlmSettings(seed=0, batch_size=32, seq_len=options.mlm_seq_len, lr=lr,
                           warmup=min(100, steps // 10), max_steps=steps, max_seconds=clock.share(share),
                           save_every=10**9, log_every=100, threads=options.threads)

    if options.base:
        body, desc = Path(options.base), f"local base {Path(options.base).name}"
    else:
        from lexres.tasks.adapt.tokenizer import adapt_tokenizer

        tok, body, cfg = work / "tokenizer", work / "body", options.body_config or dict(SCRATCH_CONFIG)
        _cpu(prep, "tokenizer", adapt_tokenizer, data.tok_texts, tok, from_scratch=True,
             vocab_size=options.vocab_size, force=True)
        rep = _cpu(prep, "pretrain", train_mlm, tok, data.src_texts, body,
                   settings=settings(options.pretrain_steps, options.learning_rates()[1], 0.2),
                   from_scratch=True, config=cfg, force=True, progress=progress)
        checkpoint_path(body).unlink(missing_ok=True)
        shape = f"{cfg['num_hidden_layers']}x{cfg['hidden_size']}" if isinstance(cfg, dict) else cfg
        desc = (f"from scratch (XLM-R {shape}, vocab {options.vocab_size}; {rep.steps} MLM steps on source "
                f"text, loss {rep.first_loss:.2f} -> {rep.final_loss:.2f})")
        log(f"body: {desc}")
    adapted = work / "body-adapted"
    lr = options.learning_rates()[1]
    rep = _cpu(prep, "adapt-mlm", train_mlm, body, [data.corpus], adapted,
               settings=settings(options.adapt_steps, lr, 0.12), force=True, progress=progress)
    checkpoint_path(adapted).unlink(missing_ok=True)
    log(f"adapted body: {rep.steps} MLM steps, loss {rep.first_loss:.2f} -> {rep.final_loss:.2f}")
    return body, adapted, desc


def run_experiment(
    store,
    lang: str,
    src: str,
    train_src: str | Path,
    dev: str | Path,
    test: str | Path,
    out: str | Path,
    *,
    options: ExperimentOptions = ExperimentOptions(),
    force: bool = False,
    log: Callable[[str], None] = lambda _msg: None,
    progress: Progress | None = None,
) -> ExperimentReport:
    """Run configurations (a), (a=), (b), (c), (d) for every seed and write `out/results.json`,
    `out/results.md` and `out/manifest.json` (intermediate data and models under `out/work`). Source-side
    sentences are subsampled once (seed 0) to `max_train_sentences`; body pretraining and adaptation use
    seed 0 and are shared by all seeds; the seeds vary fine-tuning (head initialisation, order, dropout).
    Raises OptionError, NotFoundError, ParseError."""
    from lexres.langs import resolve
    from lexres.tasks.tagging.distill import distill

    options.check()
    tgt_l, src_l = resolve(lang), resolve(src)
    out = check_destination(Path(out), force=force, directory=True)
    work = out / "work"
    work.mkdir(parents=True, exist_ok=True)
    clock, progress = _Clock(options.budget_minutes), progress or Progress()
    prep: dict[str, float] = {}
    sizes: dict[str, DataSize] = {}
    t_all = time.process_time()
    data = _prepare(store, src_l, tgt_l, train_src, dev, work, options, sizes, prep, log, progress)
    body, adapted, body_desc = _bodies(data, work, options, clock, prep, log, progress)

    runs: list[RunResult] = []

    def go(config: str, seed: int, model: Path, train_file: Path, **over) -> RunResult:
        res = _fine_tune(config, seed, model, train_file, data.dev, Path(test), work, options,
                         max_seconds=clock.share(1.0, 30.0), **over)
        runs.append(res)
        dev_f1 = "-" if res.dev_f1 is None else f"{100 * res.dev_f1:.2f}"
        log(f"seed {seed} ({config}): test F1 {100 * res.test_f1:.2f}, dev F1 {dev_f1}, {res.steps} steps, "
            f"{res.cpu_seconds:.0f} CPU s, stopped: {res.stopped}")
        return res

    for i, seed in enumerate(options.seeds):
        a = go("a", seed, body, work / "train-a.conll")
        b = go("b", seed, body, work / "train-b.conll")
        per_epoch = max(1, math.ceil(a.steps / max(1, a.epochs_run)))
        go("a-equal-steps", seed, body, work / "train-a.conll", max_steps=b.steps,
           epochs=max(1, math.ceil(b.steps / per_epoch)))
        c = go("c", seed, adapted, work / "train-b.conll")
        t0, dist = time.process_time(), work / f"distilled-seed{seed}.conll"
        drep = distill(c.model, data.distill_text, dist, threshold=options.distill_threshold,
                       threads=options.threads, max_length=options.max_length, force=True)
        cpu = time.process_time() - t0
        distilled = _examples(dist, "conll")
        n_words = sum(len(w) for w, _ in distilled)
        sizes[f"distilled-seed{seed}"] = DataSize(dist.stem, len(distilled), n_words)
        train_d = work / f"train-d-seed{seed}.conll"
        sizes[f"d-seed{seed}"] = _write_conll(train_d, data.src_ex + data.pseudo + distilled)
        d = go("d", seed, adapted, train_d)
        runs[-1] = replace(d, cpu_seconds=round(d.cpu_seconds + cpu, 2))  # labeling the text is part of (d)
        log(f"seed {seed}: distilled {drep.kept} sentences (mean confidence {drep.mean_confidence:.3f})")
        if i + 1 < len(options.seeds) and clock.share(1.0, 0.0) <= 0:
            log("budget spent: remaining seeds skipped")
            break

    summaries = tuple(_summary(cfg, [r for r in runs if r.config == cfg], sizes) for cfg in CONFIGS)
    prep["total"] = round(time.process_time() - t_all, 2)
    opts = {k: (",".join(map(str, v)) if isinstance(v, tuple) else v) for k, v in asdict(options).items()}
    opts["lr"], opts["mlm_lr"] = options.learning_rates()
    params = {"lang": tgt_l.tag, "src": src_l.tag, **opts}
    hashes = {k: file_sha256(p)[:12] for k, p in (("train", train_src), ("dev", dev), ("test", test))}
    report = ExperimentReport(
        lang=tgt_l.tag, src=src_l.tag, lexicon=options.lexicon, lexicon_ids=data.lexicon_ids, body=body_desc,
        dev=str(dev), test=str(test), drop_types=options.drop_types, runs=tuple(runs), summaries=summaries,
        data=tuple(sizes.values()), prep_cpu_seconds=prep, options=asdict(options), out=str(out),
        signature=signature("task tagging experiment", {**params, **hashes}),
    )
    text = json.dumps(asdict(report), indent=2, ensure_ascii=False) + "\n"
    write_text(out / "results.json", text, force=True)
    write_text(out / "results.md", markdown(report), force=True)
    f1 = {f"f1_{s.config}": round(s.f1_mean, 4) for s in summaries if s.seeds}
    write_manifest(
        out, "task tagging experiment", inputs={"train": train_src, "dev": dev, "test": test},
        input_hashes={f"resource:{i}": store.resource(i).sha256 for i in report.lexicon_ids}, params=params,
        counts={"runs": len(runs), **f1},
        outputs={"results.json": out / "results.json", "results.md": out / "results.md"},
    )
    return report


def _fine_tune(
    config: str,
    seed: int,
    model: Path,
    train_file: Path,
    dev: Path,
    test: Path,
    work: Path,
    options: ExperimentOptions,
    *,
    max_seconds: float,
    epochs: int | None = None,
    max_steps: int | None = None,
) -> RunResult:
    """Fine-tune, tag the test file, score it (types in `drop_types` mapped to O)."""
    from lexres.tasks.tagging.data import label_spec
    from lexres.tasks.tagging.predict import predict_file
    from lexres.tasks.tagging.scoring import evaluate_files
    from lexres.tasks.tagging.train import TrainOptions, train

    epochs = epochs or options.epochs
    lr = options.learning_rates()[0]
    topts = TrainOptions(
        seed=seed,
        epochs=epochs,
        max_steps=max_steps,
        lr=lr,
        batch_size=options.batch_size,
        threads=options.threads,
        max_seconds=max_seconds,
        patience=epochs,
        max_length=options.max_length,
    )
    out = work / f"model-{config}-seed{seed}"
    t0, w0 = time.process_time(), time.monotonic()
    rep = train(model, train_file, out, "conll", dev_path=dev, options=topts, force=True)
    pred = work / f"test-pred-{config}-seed{seed}.conll"
    predict_file(
        out, test, pred, options.fmt, threads=options.threads, max_length=options.max_length, force=True
    )
    ev = evaluate_files(test, pred, label_spec(options.fmt), options.drop_types)
    m = ev.entities.micro
    return RunResult(
        config,
        seed,
        m.precision,
        m.recall,
        m.f1,
        rep.best_dev_score,
        rep.steps,
        len(rep.epochs),
        rep.best_epoch,
        rep.sentences,
        round(time.process_time() - t0, 2),
        round(time.monotonic() - w0, 2),
        rep.stopped,
        str(out),
        ev.signature,
    )


def _summary(config: str, runs: Sequence[RunResult], sizes: dict[str, DataSize]) -> ConfigSummary:
    f1 = [r.test_f1 for r in runs]
    dev = [r.dev_f1 for r in runs if r.dev_f1 is not None]
    key = {"a-equal-steps": "a", "c": "b"}.get(config, config)  # the training file each configuration uses
    data = [sizes[k] for k in sizes if k == key or k.startswith(f"{key}-seed")]
    return ConfigSummary(
        config,
        DESCRIPTIONS[config],
        tuple(r.seed for r in runs),
        statistics.fmean(f1) if f1 else float("nan"),
        statistics.stdev(f1) if len(f1) > 1 else 0.0,
        statistics.fmean(dev) if dev else None,
        round(statistics.fmean(d.sentences for d in data)) if data else 0,
        round(statistics.fmean(d.tokens for d in data)) if data else 0,
        statistics.fmean(r.steps for r in runs) if runs else 0.0,
        statistics.fmean(r.cpu_seconds for r in runs) if runs else 0.0,
    )


def markdown(report: ExperimentReport) -> str:
    """The results as a markdown table (F1 in percent: mean ± sample sd over seeds) with the signature."""
    rows = [
        f"# Lexicon-based adaptation: {report.src} -> {report.lang} NER",
        "",
        f"Body: {report.body}. Lexicon: {report.lexicon} "
        f"(ids {', '.join(map(str, report.lexicon_ids)) or '-'}). "
        f"Best epoch chosen on dev `{Path(report.dev).name}`; test `{Path(report.test).name}`, "
        f"types {', '.join(report.drop_types) or 'none'} mapped to O. Entity micro F1 (seqeval default).",
        "",
        "| config | what | seeds | test F1 (mean ± sd) | dev F1 | train sentences | train tokens | updates | "
        "CPU s / run |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in report.summaries:
        dev = "-" if s.dev_f1_mean is None else f"{100 * s.dev_f1_mean:.2f}"
        rows.append(
            f"| {s.config} | {s.description} | {','.join(map(str, s.seeds))} | "
            f"{100 * s.f1_mean:.2f} ± {100 * s.f1_sd:.2f} | {dev} | {s.train_sentences} | "
            f"{s.train_tokens} | {s.steps_mean:.0f} | {s.cpu_seconds_mean:.0f} |"
        )
    rows += [
        "",
        "Shared preparation, CPU seconds: "
        + ", ".join(f"{k} {v:.0f}" for k, v in report.prep_cpu_seconds.items()),
        "",
        "| config | seed | test P | test R | test F1 | dev F1 | updates | epochs | stopped |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report.runs:
        dev = "-" if r.dev_f1 is None else f"{100 * r.dev_f1:.2f}"
        rows.append(
            f"| {r.config} | {r.seed} | {100 * r.test_precision:.2f} | {100 * r.test_recall:.2f} | "
            f"{100 * r.test_f1:.2f} | {dev} | {r.steps} | {r.epochs_run} | {r.stopped} |"
        )
    rows += ["", f"signature: {report.signature}", ""]
    return "\n".join(rows)
