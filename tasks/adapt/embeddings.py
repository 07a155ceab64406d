"""Embedding initialisation for an extended vocabulary: resize a masked-LM's input embeddings (and its output
layer and bias when not tied), copy the base's rows bit-identically, and fill the new rows from a bilingual
lexicon (weighted means of the translations' piece embeddings, in the spirit of WECHSEL, Minixhofer et al.
2022, with a lexicon in place of aligned word vectors) or from a seeded random control."""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from lexres.errors import OptionError, require
from lexres.loaders.lexicon.weighted import read_weighted_pairs
from lexres.provenance import file_sha256, write_manifest
from lexres.tasks.adapt.models import (
    check_family,
    copy_tokenizer_extras,
    dir_sha256,
    load_mlm,
    load_tokenizer,
    local_dir,
    read_lines,
    staged_dir,
    write_json,
)
from lexres.tasks.adapt.results import EmbeddingReport, LexiconEntry
from lexres.tasks.adapt.transfer import TransferOptions, focus_matrix, token_vectors, wechsel_matrix

INITS = ("lexicon", "random", "focus", "wechsel")
FALLBACK_NOISE = 0.1  # std of the noise added to fallback rows, as a fraction of the base rows' std


def read_lexicon_tsv(path: str | Path) -> list[LexiconEntry]:
    """A MUSE-style word list `source<TAB>target[<TAB>weight]` as LexiconEntry records (read by
    lexres.loaders.lexicon.weighted). Raises OptionError (missing file) and ParseError naming the line."""
    return [LexiconEntry(target=t, source=s, weight=w) for s, t, w in read_weighted_pairs(path)]


def store_lexicon(store, src: str, tgt: str, *, include_derived: bool = False) -> list[LexiconEntry]:
    """The store's tgt→src translations as LexiconEntry records (target word, source word, weight), from
    imported lexicons only unless `include_derived`. Raises NotFoundError when the store has no such pairs."""
    from lexres.errors import NotFoundError
    from lexres.store.lexicon import dictionary, pair_resources

    ids = pair_resources(store, tgt, src, include_derived=include_derived)
    if not ids:
        raise NotFoundError(f"no {src}-{tgt} lexicon in the store",
                            hint="import one, or pass --lexicon FILE")
    return [LexiconEntry(target=t, source=w, weight=max(float(wt), 0.0))
            for t, tr in dictionary(store, tgt, src, resources=ids).items() for w, wt in tr]


@dataclass(frozen=True)
class RowPlan:
    """Where each row of the new matrix comes from. Lexicon rows are linear combinations of base rows:
    new[rows[k]] = sum over `coef` triples (k, old_id, c) of c * old[old_id]; a row's c sum to 1."""

    size: int
    copy_new: tuple[int, ...]
    copy_old: tuple[int, ...]
    lex_rows: tuple[int, ...]
    coef: tuple[tuple[int, int, float], ...]
    fallback: tuple[int, ...]
    random: tuple[int, ...]
    pairs_used: int
    pairs_skipped: int
    transfer: tuple[int, ...] = ()
    transfer_rare: tuple[int, ...] = ()  # transfer rows the method drew at random (no vector found)
    vectors_sha256: str | None = None  # of the token vectors FOCUS trained here


def _segment(tokenizer, words: list[str]) -> list[list[int]]:
    return tokenizer(words, add_special_tokens=False)["input_ids"] if words else []


def plan_rows(base_tok, new_tok, init: str, lexicon: Iterable[LexiconEntry] = ()) -> RowPlan:
    """Plan the new embedding rows. Base tokens keep their rows (looked up by token, so a moved <mask> keeps
    its row). With `lexicon`: the row of a new piece p is sum_e w_e * mean_{q in src(e)} E[q] / sum_e w_e over
    the entries e whose target word the new tokenizer segments into pieces including p (each entry once per
    piece; src(e) = the base tokenizer's pieces of the source word, unknown and special pieces dropped).
    New pieces without evidence go to `fallback`; with `random`, every new piece goes to `random`; with
    `focus` or `wechsel`, to `transfer` (rows the method computes).
    Raises OptionError when the new tokenizer lacks base tokens."""
    old, new = base_tok.get_vocab(), new_tok.get_vocab()
    missing = [t for t in old if t not in new]
    if missing:
        raise OptionError(f"the tokenizer is not an extension of the base's: {len(missing)} base tokens are "
                          f"missing (e.g. {missing[:3]})",
                          hint="build it with `lexres adapt tokenizer --base` from this base")
    size = len(new_tok)
    if max(new.values()) >= size:
        raise OptionError("the tokenizer's ids are not contiguous (an id is >= its length)")
    pairs = sorted(((t, i) for t, i in new.items() if t in old), key=lambda x: x[1])
    fresh = sorted(i for t, i in new.items() if t not in old)
    used = skipped = 0
    coef: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    wsum: dict[int, float] = defaultdict(float)
    if init == "lexicon":
        entries = list(lexicon)
        fresh_set = set(fresh)
        targets = sorted({e.target for e in entries})
        sources = sorted({e.source for e in entries})
        tseg = dict(zip(targets, _segment(new_tok, targets), strict=True))
        drop = set(base_tok.all_special_ids) | {base_tok.unk_token_id}
        sseg = {s: [q for q in ids if q not in drop]
                for s, ids in zip(sources, _segment(base_tok, sources), strict=True)}
        for e in entries:
            src = sseg[e.source]
            pieces = sorted(set(tseg[e.target]) & fresh_set)
            if not src or not pieces or e.weight == 0:
                skipped += 1
                continue
            used += 1
            for p in pieces:
                wsum[p] += e.weight
                for q in src:
                    coef[p][q] += e.weight / len(src)
    lex_rows = tuple(p for p in fresh if wsum.get(p, 0) > 0)
    triples = tuple((k, q, c / wsum[p]) for k, p in enumerate(lex_rows) for q, c in sorted(coef[p].items()))
    rest = tuple(p for p in fresh if wsum.get(p, 0) <= 0)
    return RowPlan(size=size, copy_new=tuple(i for _, i in pairs), copy_old=tuple(old[t] for t, _ in pairs),
                   lex_rows=lex_rows, coef=triples, fallback=rest if init == "lexicon" else (),
                   random=rest if init == "random" else (), pairs_used=used, pairs_skipped=skipped,
                   transfer=rest if init in ("focus", "wechsel") else ())


def _moments(old, idx, chunk: int = 65536):
    """Mean row (float64 [H], or a scalar for a bias) and the std of all values of old[idx], in chunks
    (no float64 copy of a 250k-row matrix)."""
    torch = require("torch", "model")
    total = torch.zeros(old.shape[1:], dtype=torch.float64)
    square = torch.zeros((), dtype=torch.float64)
    for s in range(0, len(idx), chunk):
        rows = old[idx[s : s + chunk]].double()
        total += rows.sum(0)
        square += (rows * rows).sum()
    n = len(idx)
    mean = total / n
    values = n * (old[0].numel())
    grand = total.sum() / values
    var = (square - values * grand * grand) / max(1, values - 1)
    return mean, var.clamp(min=0).sqrt()


def compose(old, plan: RowPlan, generator, transfer=None):
    """The new matrix [size, H] (or vector [size], a bias) from the old one by `plan`; same dtype. Fallback
    rows: mean of the base rows + N(0, (FALLBACK_NOISE * std)^2) noise; random rows: N(0, std^2), std of all
    base rows' values; a bias gets the mean base bias in both cases (no noise), and in transfer rows too.
    Transfer rows of a matrix are taken from `transfer` ([size, H], computed by FOCUS or WECHSEL)."""
    torch = require("torch", "model")
    new = torch.empty((plan.size,) + tuple(old.shape[1:]), dtype=old.dtype)
    copy_old = torch.tensor(plan.copy_old, dtype=torch.long)
    new[torch.tensor(plan.copy_new, dtype=torch.long)] = old[copy_old]
    if plan.lex_rows:
        acc = torch.zeros((len(plan.lex_rows),) + tuple(old.shape[1:]), dtype=torch.float64)
        trip = torch.tensor([(k, q) for k, q, _ in plan.coef], dtype=torch.long)
        vals = torch.tensor([c for _, _, c in plan.coef], dtype=torch.float64)
        for s in range(0, len(vals), 65536):
            k, q, v = trip[s : s + 65536, 0], trip[s : s + 65536, 1], vals[s : s + 65536]
            rows = old[q].double()
            acc.index_add_(0, k, rows * (v[:, None] if rows.dim() == 2 else v))
        new[torch.tensor(plan.lex_rows, dtype=torch.long)] = acc.to(old.dtype)
    mean, std = _moments(old, copy_old)
    if plan.transfer:
        idx = torch.tensor(plan.transfer, dtype=torch.long)
        new[idx] = transfer[idx].to(old.dtype) if old.dim() == 2 else mean.to(old.dtype)
    for ids, scale, centre in ((plan.fallback, FALLBACK_NOISE, mean), (plan.random, 1.0, None)):
        if not ids:
            continue
        idx = torch.tensor(ids, dtype=torch.long)
        if old.dim() == 1:
            new[idx] = mean.to(old.dtype)
            continue
        noise = torch.randn((len(ids), old.shape[1]), generator=generator, dtype=torch.float64) * std * scale
        new[idx] = (noise + centre if centre is not None else noise).to(old.dtype)
    return new


def extend_embeddings(model, base_tok, new_tok, *, init: str = "lexicon",
                      lexicon: Iterable[LexiconEntry] = (), seed: int = 0,
                      transfer: TransferOptions | None = None) -> RowPlan:
    """Resize `model` (in place) to the new tokenizer and fill its rows (see `plan_rows` and `compose`):
    input embeddings, and the output embeddings when untied, and the output bias. Returns the plan; for
    `focus`/`wechsel` its `transfer_rare` holds the rows the method itself drew at random (no vector found).
    Raises OptionError for an unknown `init`, missing inputs, or a model smaller than its tokenizer;
    MissingExtraError when the package of `focus`/`wechsel` is not installed."""
    if init not in INITS:
        raise OptionError(f"--init must be one of {', '.join(INITS)}, got `{init}`")
    torch = require("torch", "model")
    lexicon = list(lexicon)
    plan = plan_rows(base_tok, new_tok, init, lexicon)
    inp, out = model.get_input_embeddings(), model.get_output_embeddings()
    if max(plan.copy_old) >= inp.weight.shape[0]:
        raise OptionError(f"the base model has {inp.weight.shape[0]} embedding rows but its tokenizer "
                          f"{len(base_tok)} tokens")
    tied = out is not None and out.weight is inp.weight
    old_in = inp.weight.detach().clone()
    old_out = out.weight.detach().clone() if out is not None and not tied else None
    has_bias = out is not None and getattr(out, "bias", None) is not None
    old_bias = out.bias.detach().clone() if has_bias else None
    gen = torch.Generator().manual_seed(seed)
    moved = {}
    if plan.transfer:
        opts = transfer or TransferOptions()
        with tempfile.TemporaryDirectory(prefix="lexres-transfer-") as tmp:
            if init == "focus" and opts.target_vectors is None:  # trained once, used for both matrices
                trained = token_vectors(new_tok, opts.target_text, opts, Path(tmp))
                opts = replace(opts, target_vectors=str(trained))
                plan = replace(plan, vectors_sha256=file_sha256(trained))
            for name, old in (("in", old_in), ("out", old_out)):
                if old is None:
                    continue
                if init == "focus":
                    moved[name], rare = focus_matrix(base_tok, new_tok, old, opts, seed=seed,
                                                     fresh=plan.transfer)
                else:
                    moved[name], rare = wechsel_matrix(base_tok, new_tok, old, opts, lexicon,
                                                       fresh=plan.transfer)
        plan = replace(plan, transfer_rare=tuple(sorted(rare)))
    new_in = compose(old_in, plan, gen, moved.get("in"))
    new_out = compose(old_out, plan, gen, moved.get("out")) if old_out is not None else None
    new_bias = compose(old_bias, plan, gen) if old_bias is not None else None
    model.resize_token_embeddings(plan.size, mean_resizing=False)
    inp, out = model.get_input_embeddings(), model.get_output_embeddings()
    with torch.no_grad():
        inp.weight.copy_(new_in)
        if new_out is not None:
            out.weight.copy_(new_out)
        if new_bias is not None:
            out.bias.copy_(new_bias)
    return plan


def lexicon_sha256(entries: Iterable[LexiconEntry]) -> str:
    """SHA-256 (hex) of the lexicon entries (target, source, weight) in order: the manifest's hash of that
    input."""
    h = hashlib.sha256()
    for e in entries:
        h.update(f"{e.target}\t{e.source}\t{e.weight!r}\n".encode())
    return h.hexdigest()


def init_embeddings(base: str | Path, tokenizer: str | Path, out: str | Path, *, init: str = "lexicon",
                    lexicon: Iterable[LexiconEntry] | None = None, seed: int = 0,
                    lexicon_file: str | Path | None = None, texts: Sequence[str | Path] = (),
                    transfer: TransferOptions | None = None, force: bool = False) -> EmbeddingReport:
    """Write at `out` (atomically) the base masked-LM with embeddings resized to `tokenizer` (a directory made
    by `adapt tokenizer`), plus that tokenizer, embeddings_report.json and manifest.json.
    `lexicon` is an iterable of LexiconEntry (or `lexicon_file`, a TSV read by `read_lexicon_tsv`); `texts`
    are target-text files for FOCUS; `transfer` holds the fastText inputs of FOCUS/WECHSEL.
    Raises OptionError (bad init, missing lexicon or vectors, family mismatch), NotFoundError (missing dirs),
    MissingExtraError (focus/wechsel packages not installed)."""
    t0 = time.perf_counter()
    if init not in INITS:
        raise OptionError(f"--init must be one of {', '.join(INITS)}, got `{init}`")
    if lexicon_file is not None:
        if lexicon is not None:
            raise OptionError("give a lexicon or a lexicon file, not both")
        lexicon = read_lexicon_tsv(lexicon_file)
    entries = list(lexicon) if lexicon is not None else []
    if init in ("lexicon", "wechsel") and not entries:
        raise OptionError(f"--init {init} needs a lexicon", hint="pass --lexicon FILE (source<TAB>target)")
    opts = transfer or TransferOptions()
    if init == "focus":
        require("deepfocus", "focus")
        if texts:
            opts = replace(opts, target_text=tuple(read_lines(texts)))
        if not opts.target_text and opts.target_vectors is None:
            raise OptionError("--init focus needs target text or token vectors",
                              hint="pass --text FILE (target-language text), or --target-vectors")
    if init == "wechsel":
        require("wechsel", "wechsel")
        if opts.source_vectors is None or opts.target_vectors is None:
            raise OptionError("--init wechsel needs source and target word vectors",
                              hint="pass --source-vectors and --target-vectors (local fastText .bin files)")
    base_dir, tok_dir = local_dir(base, "base"), local_dir(tokenizer, "tokenizer")
    base_tok, new_tok = load_tokenizer(base_dir), load_tokenizer(tok_dir)
    check_family(base_tok, new_tok, base_dir, tok_dir)
    model = load_mlm(base_dir)
    with staged_dir(out, force=force) as stage:
        plan = extend_embeddings(model, base_tok, new_tok, init=init, lexicon=entries, seed=seed,
                                 transfer=opts)
        model.save_pretrained(str(stage))
        new_tok.save_pretrained(str(stage))
        copy_tokenizer_extras(tok_dir, stage)
        out_emb = model.get_output_embeddings()
        report = EmbeddingReport(
            out=str(out), init=init, base_size=len(base_tok), size=plan.size, copied=len(plan.copy_new),
            lexicon=len(plan.lex_rows), fallback=len(plan.fallback) + len(plan.transfer_rare),
            random=len(plan.random), transferred=len(plan.transfer) - len(plan.transfer_rare),
            pairs_used=plan.pairs_used, pairs_skipped=plan.pairs_skipped,
            tied=out_emb is not None and out_emb.weight is model.get_input_embeddings().weight,
            seconds=round(time.perf_counter() - t0, 3),
        )
        write_json(stage / "embeddings_report.json", report.to_dict())
        hashes = {"base": dir_sha256(base_dir), "tokenizer": dir_sha256(tok_dir)}
        if entries and lexicon_file is None:
            hashes["lexicon"] = lexicon_sha256(entries)
        if plan.vectors_sha256:
            hashes["focus_token_vectors"] = plan.vectors_sha256
        inputs = {"lexicon": lexicon_file} if lexicon_file is not None else {}
        if init in ("focus", "wechsel"):
            inputs.update({f"text:{i}": p for i, p in enumerate(texts)} if init == "focus" else {})
            inputs.update({k: v for k, v in (("source_vectors", opts.source_vectors),
                                             ("target_vectors", opts.target_vectors)) if v is not None})
        params = {"init": init, "fallback_noise": FALLBACK_NOISE if init == "lexicon" else None}
        if init == "focus" and opts.target_vectors is None:
            params.update(fasttext_dim=opts.dim, fasttext_epochs=opts.epochs,
                          fasttext_min_count=opts.min_count, fasttext_lr=opts.lr)
        counts = {k: v for k, v in report.to_dict().items() if k not in ("out", "init")}
        write_manifest(stage, "adapt init-embeddings", seed=seed, input_hashes=hashes, inputs=inputs or None,
                       params=params, counts=counts)
    return report
