"""Tokenizer adaptation: train a SentencePiece unigram model on target-language text (Kudo 2018) and merge
its new pieces into a SentencePiece base (XLM-R family), append them as wordpieces to a WordPiece base (BERT
family), or make a new XLM-R-style tokenizer from scratch; report fertility and unknown rate before/after."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Sequence
from pathlib import Path

from lexres.errors import LexresError, NotFoundError, OptionError, require
from lexres.provenance import write_manifest
from lexres.tasks.adapt.models import (
    SPM_FILE,
    dir_sha256,
    family,
    load_tokenizer,
    local_dir,
    read_lines,
    staged_dir,
    write_json,
)
from lexres.tasks.adapt.results import TokenizerReport, TokenStats

NORMAL = 1  # sentencepiece_model_pb2.ModelProto.SentencePiece.Type.NORMAL
WORD_START = "\u2581"  # SentencePiece's word-initial marker


def train_unigram(lines: Sequence[str], vocab_size: int, *, seed: int = 0, normalization: str = "nmt_nfkc",
                  threads: int = 1) -> bytes:
    """A serialized SentencePiece unigram model trained on `lines` (vocab_size is a soft limit, so a small
    text gives a smaller model rather than an error). Seeded; deterministic with one thread.
    Ids follow XLM-R's SentencePiece model: <unk>=0, <s>=1, </s>=2, no <pad>.
    Raises OptionError on a bad size, LexresError when SentencePiece fails."""
    if vocab_size < 8:
        raise OptionError(f"--vocab-size must be at least 8, got {vocab_size}")
    spm = require("sentencepiece", "model")
    spm.set_random_generator_seed(seed)
    buf = io.BytesIO()
    try:
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(lines), model_writer=buf, vocab_size=vocab_size, model_type="unigram",
            hard_vocab_limit=False, num_threads=threads, normalization_rule_name=normalization,
            unk_id=0, bos_id=1, eos_id=2, pad_id=-1, minloglevel=2,
        )
    except RuntimeError as exc:
        raise LexresError(f"SentencePiece training failed: {' '.join(str(exc).split())}") from exc
    return buf.getvalue()


def _proto(data: bytes):
    require("google.protobuf", "model")
    from sentencepiece import sentencepiece_model_pb2

    m = sentencepiece_model_pb2.ModelProto()
    m.ParseFromString(data)
    return m


SCORES = ("base-first", "target")


def merge_spm(base: bytes, new: bytes, scores: str = "base-first") -> tuple[bytes, list[str]]:
    """Append the normal pieces of SentencePiece model `new` that `base` lacks to the end of `base`, keeping
    every base piece at its id and the base's normalizer. Returns the merged model and the pieces added.

    `scores`: `target` keeps the new pieces' own unigram log probabilities; `base-first` (default) shifts them
    all by one constant so the best new piece scores as the worst base piece: Viterbi segmentation then
    takes a new piece only where it saves pieces, so source-language text keeps (nearly) the base's
    segmentation, which the base model's embeddings were trained on. Raises OptionError for another value."""
    if scores not in SCORES:
        raise OptionError(f"piece scores must be one of {', '.join(SCORES)}, got `{scores}`")
    b, n = _proto(base), _proto(new)
    seen = {p.piece for p in b.pieces}
    fresh = []
    for p in n.pieces:
        if p.type == NORMAL and p.piece not in seen:
            seen.add(p.piece)
            fresh.append(p)
    shift = 0.0
    base_scores = [p.score for p in b.pieces if p.type == NORMAL]
    if scores == "base-first" and fresh and base_scores:
        shift = min(base_scores) - max(p.score for p in fresh)
    added = []
    for p in fresh:
        added.append(p.piece)
        b.pieces.add(piece=p.piece, score=p.score + shift, type=NORMAL)
    b.trainer_spec.vocab_size = len(b.pieces)
    return b.SerializeToString(), added


def _prepare_for(base_tok):
    """Text -> the base's normalized, pre-tokenized form, so SentencePiece pieces fit its WordPiece model."""
    backend = base_tok.backend_tokenizer
    norm, pre = backend.normalizer, backend.pre_tokenizer

    def prep(line: str) -> str:
        text = norm.normalize_str(line) if norm is not None else line
        return " ".join(w for w, _ in pre.pre_tokenize_str(text)) if pre is not None else text

    return prep


def wordpiece_candidates(spm_model: bytes, base_tok) -> list[str]:
    """New wordpieces from a SentencePiece model trained on prepared text: a word-initial piece `▁abc`
    becomes `abc`, any other piece `abc` becomes the continuation `##abc`; pieces the base's pre-tokenizer
    would split, and pieces already in the base vocabulary, are dropped."""
    vocab = base_tok.get_vocab()
    prefix = getattr(base_tok.backend_tokenizer.model, "continuing_subword_prefix", "##")
    pre = base_tok.backend_tokenizer.pre_tokenizer
    out: list[str] = []
    seen: set[str] = set()
    for p in _proto(spm_model).pieces:
        if p.type != NORMAL:
            continue
        body = p.piece[1:] if p.piece.startswith(WORD_START) else p.piece
        if not body or WORD_START in body or any(c.isspace() for c in body):
            continue
        if pre is not None and [w for w, _ in pre.pre_tokenize_str(body)] != [body]:
            continue
        piece = body if p.piece.startswith(WORD_START) else prefix + body
        if piece not in vocab and piece not in seen:
            seen.add(piece)
            out.append(piece)
    return out


def token_stats(tokenizer, lines: Sequence[str], batch: int = 2000) -> TokenStats:
    """Fertility and unknown count of `tokenizer` on `lines` (no special tokens added)."""
    words = pieces = unknown = 0
    unk = tokenizer.unk_token_id
    for i in range(0, len(lines), batch):
        chunk = list(lines[i : i + batch])
        words += sum(len(line.split()) for line in chunk)
        for ids in tokenizer(chunk, add_special_tokens=False)["input_ids"]:
            pieces += len(ids)
            unknown += sum(1 for t in ids if t == unk)
    return TokenStats(lines=len(lines), words=words, pieces=pieces, unknown=unknown)


def check_extension(base_tok, new_tok, added: Sequence[str]) -> None:
    """Every base token keeps its id in `new_tok` except the mask token, which may move to the last id
    (XLM-R puts <mask> after the SentencePiece pieces); every added piece is there. LexresError otherwise."""
    old, new = base_tok.get_vocab(), new_tok.get_vocab()
    mask = base_tok.mask_token
    moved = sorted(t for t, i in old.items() if new.get(t) != i and t != mask)
    missing = [t for t in added if t not in new]
    if mask is not None and mask in new and new[mask] != old.get(mask) and new[mask] != len(new) - 1:
        moved.append(mask)
    if moved or missing:
        raise LexresError(
            f"the extended tokenizer does not keep the base's ids ({len(moved)} moved, e.g. {moved[:3]}; "
            f"{len(missing)} new pieces missing, e.g. {missing[:3]})",
            hint="the base's tokenizer class maps SentencePiece ids in a way lexres does not know",
        )


def _spm_tokenizer(model: bytes, stage: Path, cls):
    (stage / SPM_FILE).write_bytes(model)
    try:
        tok = cls.from_pretrained(str(stage), local_files_only=True)
    except (OSError, ValueError) as exc:
        raise LexresError(f"transformers could not build a tokenizer from the SentencePiece model: {exc}") \
            from exc
    spm = require("sentencepiece", "model")
    sp = spm.SentencePieceProcessor(model_proto=model)
    vocab = tok.get_vocab()
    # XLM-R: fairseq ids <s>=0 <pad>=1 </s>=2 <unk>=3, SentencePiece id p>=3 -> p+1, <mask> last
    wrong = [sp.id_to_piece(p) for p in range(3, len(sp)) if vocab.get(sp.id_to_piece(p)) != p + 1]
    if wrong or tok.mask_token_id != len(sp) + 1 or len(tok) != len(sp) + 2:
        raise LexresError(f"{cls.__name__} did not map the SentencePiece ids the XLM-R way "
                          f"({len(wrong)} pieces off, e.g. {wrong[:3]})")
    return tok


def _wordpiece_tokenizer(base_tok, added: Sequence[str], stage: Path):
    data = json.loads(base_tok.backend_tokenizer.to_str())
    vocab = data["model"]["vocab"]
    start = len(vocab)
    for k, piece in enumerate(added):
        vocab[piece] = start + k
    (stage / "tokenizer.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    by_id = sorted(vocab, key=vocab.__getitem__)
    (stage / "vocab.txt").write_text("".join(t + "\n" for t in by_id), encoding="utf-8")
    try:
        return type(base_tok).from_pretrained(str(stage), local_files_only=True)
    except (OSError, ValueError) as exc:
        raise LexresError(f"transformers could not load the extended WordPiece tokenizer: {exc}") from exc


def adapt_tokenizer(texts: Sequence[str | Path], out: str | Path, *, base: str | Path | None = None,
                    from_scratch: bool = False, vocab_size: int = 8000, seed: int = 0,
                    source_texts: Sequence[str | Path] = (), threads: int = 1,
                    scores: str = "base-first", force: bool = False) -> TokenizerReport:
    """Build an adapted tokenizer directory at `out` (save_pretrained files, the SentencePiece model for
    SentencePiece tokenizers, tokenizer_report.json, manifest.json), written atomically.
    With `base`: a SentencePiece base gets the pieces of a unigram model trained on `texts` appended (old ids
    kept, <mask> moved to the end); a WordPiece base gets new wordpieces appended. With `from_scratch`: a new
    XLM-R-style tokenizer. `scores`: see `merge_spm`.
    Raises OptionError for conflicting options, NotFoundError for missing inputs."""
    t0 = time.perf_counter()
    if from_scratch == (base is not None):
        raise OptionError("give exactly one of --base MODEL_DIR and --from-scratch")
    require("transformers", "model")
    target = read_lines(texts)
    source = read_lines(source_texts) if source_texts else None
    params = {"vocab_size": vocab_size, "from_scratch": from_scratch, "threads": threads, "scores": scores}
    base_tok = None
    if base is not None:
        base_dir = local_dir(base, "base")
        base_tok = load_tokenizer(base_dir)
        fam = family(base_tok)
        if fam not in ("sentencepiece", "wordpiece"):
            raise OptionError(f"base `{base_dir}` has a {fam} tokenizer; lexres extends SentencePiece "
                              "(XLM-R family) and WordPiece (BERT family) tokenizers")
        if fam == "sentencepiece" and not (base_dir / SPM_FILE).is_file():
            raise NotFoundError(f"SentencePiece base `{base_dir}` has no {SPM_FILE}",
                                hint="copy the base's SentencePiece model file into its directory")
    with staged_dir(out, force=force) as stage:
        if base_tok is None:
            from transformers import XLMRobertaTokenizer

            mode, fam = "scratch", "sentencepiece"
            model = train_unigram(target, vocab_size, seed=seed, threads=threads)
            tok = _spm_tokenizer(model, stage, XLMRobertaTokenizer)
            added = len(tok)
        elif fam == "sentencepiece":
            mode = "merge"
            base_model = (base_dir / SPM_FILE).read_bytes()
            norm = _proto(base_model).normalizer_spec.name or "nmt_nfkc"
            merged, pieces = merge_spm(base_model, train_unigram(target, vocab_size, seed=seed,
                                                                 normalization=norm, threads=threads), scores)
            tok = _spm_tokenizer(merged, stage, type(base_tok))
            tok.model_max_length = base_tok.model_max_length
            check_extension(base_tok, tok, pieces)
            added = len(pieces)
        else:
            mode = "extend"
            prep = _prepare_for(base_tok)
            model = train_unigram([prep(t) for t in target], vocab_size, seed=seed, normalization="identity",
                                  threads=threads)
            pieces = wordpiece_candidates(model, base_tok)
            tok = _wordpiece_tokenizer(base_tok, pieces, stage)
            tok.model_max_length = base_tok.model_max_length
            check_extension(base_tok, tok, pieces)
            added = len(pieces)
        tok.save_pretrained(str(stage))
        report = TokenizerReport(
            out=str(out), mode=mode, family=fam,
            base_size=len(base_tok) if base_tok is not None else None, size=len(tok), added=added,
            target_before=token_stats(base_tok, target) if base_tok is not None else None,
            target_after=token_stats(tok, target),
            source_before=token_stats(base_tok, source) if base_tok is not None and source else None,
            source_after=token_stats(tok, source) if source else None,
            seconds=round(time.perf_counter() - t0, 3),
        )
        write_json(stage / "tokenizer_report.json", report.to_dict())
        inputs = {f"text:{i}": p for i, p in enumerate(texts)}
        inputs.update({f"source_text:{i}": p for i, p in enumerate(source_texts)})
        write_manifest(stage, "adapt tokenizer", inputs=inputs, seed=seed, params=params,
                       input_hashes={"base": dir_sha256(base)} if base is not None else None,
                       counts={"added": added, "size": len(tok), "seconds": report.seconds})
    return report
