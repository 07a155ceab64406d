"""Running a token classifier: load a `save_pretrained` directory, tag word sequences (label of the first
piece of each word, with its softmax probability as confidence), repair BIO output (an I-X that does not
continue a B-X/I-X becomes B-X), and tag a whole labeled file into the same format."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lexres.errors import NotFoundError, OptionError, ParseError, require
from lexres.outputs import atomic_output, check_destination
from lexres.provenance import file_sha256, signature, write_manifest
from lexres.tasks.tagging.data import (
    LabelSpec,
    Sentence,
    collate,
    encode,
    fallback_label,
    infer_scheme,
    label_spec,
    read_labeled,
    repair_bio,
    set_labels,
    write,
)
from lexres.tasks.tagging.results import PredictReport

TAGGING_JSON = "tagging.json"  # scheme and label column a model was trained with, beside config.json
_ROBERTA_LIKE = {"roberta", "xlm-roberta", "xlm-roberta-xl", "camembert"}


@dataclass(frozen=True)
class Tagged:
    """Labels of one sentence, the model's probability (0–1) for each word's label (0 for a word the
    tokenizer gives no piece), how many words had no piece, and how many labels BIO repair changed."""

    labels: tuple[str, ...]
    confidence: tuple[float, ...]
    unpieced: int
    repaired: int

    @property
    def mean_confidence(self) -> float:
        """Mean of the per-word probabilities (0–1) over words with a piece; 0 when there is none."""
        seen = len(self.confidence) - self.unpieced
        return sum(self.confidence) / seen if seen > 0 else 0.0


@contextmanager
def quiet_transformers() -> Iterator:
    """transformers, with its load reports and progress bars silenced for the duration."""
    transformers = require("transformers", "model")
    logging = transformers.utils.logging
    level = logging.get_verbosity()
    logging.set_verbosity_error()
    logging.disable_progress_bar()
    try:
        yield transformers
    finally:
        logging.set_verbosity(level)
        logging.enable_progress_bar()


def check_model_dir(path: str | Path, what: str = "--model") -> Path:
    """`path` as a Path when it holds a `save_pretrained` model (config.json); NotFoundError otherwise."""
    path = Path(path)
    if not (path / "config.json").is_file():
        raise NotFoundError(
            f"{what} {path}: {'no config.json in this directory' if path.is_dir() else 'no such directory'}",
            hint="give a directory written by save_pretrained (config.json, weights, tokenizer files)",
        )
    return path


def model_hashes(path: Path) -> dict[str, str]:
    """SHA-256 of the files that define a model directory (config, weights, tokenizer)."""
    out = {}
    for f in sorted(path.iterdir()):
        if f.is_file() and (
            f.suffix in (".safetensors", ".bin") or f.name in ("config.json", "tokenizer.json")
        ):
            out[f"model/{f.name}"] = file_sha256(f)
    return out


def model_digest(hashes: dict[str, str]) -> str:
    """One short digest for a model directory from its file hashes (for signatures)."""
    import hashlib

    return hashlib.sha256("".join(f"{k}={v};" for k, v in sorted(hashes.items())).encode()).hexdigest()[:12]


def effective_max_length(model, tokenizer, cap: int) -> int:
    """The longest input (pieces, special tokens included) the model takes: `cap`, the tokenizer's limit
    and the position embeddings (RoBERTa-style models lose padding_idx + 1 positions)."""
    cfg = model.config
    positions = getattr(cfg, "max_position_embeddings", None) or cap
    if getattr(cfg, "model_type", "") in _ROBERTA_LIKE:
        positions -= (getattr(cfg, "pad_token_id", None) or 0) + 1
    return max(1, min(cap, int(tokenizer.model_max_length or cap), positions))


class Tagger:
    """A loaded token classifier with its tokenizer and label scheme (`iob2` or `upos`)."""

    def __init__(self, model, tokenizer, scheme: str, *, max_length: int = 256, batch_size: int = 32):
        self.model, self.tokenizer, self.scheme = model, tokenizer, scheme
        self.id2label = {int(k): v for k, v in model.config.id2label.items()}
        self.max_length = effective_max_length(model, tokenizer, max_length)
        self.batch_size = batch_size

    @classmethod
    def load(
        cls,
        model_dir: str | Path,
        *,
        what: str = "--model",
        max_length: int = 256,
        batch_size: int = 32,
        threads: int | None = None,
    ) -> Tagger:
        """Load a token-classification directory (local files only). Raises NotFoundError for a missing
        directory, FormatError when its labels are neither IOB2 nor UPOS."""
        path = check_model_dir(model_dir, what)
        torch = require("torch", "model")
        if threads:
            torch.set_num_threads(threads)
        with quiet_transformers() as tf:
            tokenizer = tf.AutoTokenizer.from_pretrained(path, local_files_only=True)
            model = tf.AutoModelForTokenClassification.from_pretrained(path, local_files_only=True)
        meta = path / TAGGING_JSON
        labels = [model.config.id2label[k] for k in sorted(model.config.id2label, key=int)]
        if meta.is_file():
            scheme = json.loads(meta.read_text(encoding="utf-8"))["scheme"]
        else:
            scheme = infer_scheme(labels)
        model.eval()
        return cls(model, tokenizer, scheme, max_length=max_length, batch_size=batch_size)

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[Tagged]:
        """Tag each sentence (a list of words); IOB2 output is repaired to a well-formed sequence."""
        torch = require("torch", "model")
        wins = encode(self.tokenizer, sentences, max_length=self.max_length)
        order = sorted(range(len(wins)), key=lambda k: len(wins[k].input_ids))
        fallback = fallback_label(self.scheme)
        labels = [[fallback] * len(s) for s in sentences]
        conf = [[0.0] * len(s) for s in sentences]
        seen = [[False] * len(s) for s in sentences]
        pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else 0
        was_training = self.model.training
        self.model.eval()
        try:
            with torch.inference_mode():
                for b in range(0, len(order), self.batch_size):
                    batch = [wins[k] for k in order[b : b + self.batch_size]]
                    inputs = collate(batch, pad, torch)
                    probs = self.model(**inputs).logits.float().softmax(-1)
                    best_p, best_id = probs.max(-1)
                    best_p, best_id = best_p.tolist(), best_id.tolist()
                    for r, w in enumerate(batch):
                        for k, pos in enumerate(w.first):
                            if pos >= 0:
                                labels[w.example][w.start + k] = self.id2label[best_id[r][pos]]
                                conf[w.example][w.start + k] = best_p[r][pos]
                                seen[w.example][w.start + k] = True
        finally:
            self.model.train(was_training)
        out = []
        for labs, cs, ss in zip(labels, conf, seen, strict=True):
            fixed = repair_bio(labs) if self.scheme == "iob2" else 0
            out.append(Tagged(tuple(labs), tuple(cs), ss.count(False), fixed))
        return out


def _separator(path: Path, fmt: str) -> str:
    """The field separator of a CoNLL-style file as written (TAB, or the space MasakhaNER uses)."""
    if fmt != "conll":
        return "\t"
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("-DOCSTART-"):
                return "\t" if "\t" in line else " "
    return "\t"


def write_sentence(sentence: Sentence, fmt: str, fh, sep: str = "\t") -> None:
    """Write one sentence in `fmt` (`sep` between CoNLL fields; comments and `xx:` prefixes kept)."""
    if fmt == "conllu" or sep == "\t":
        write(sentence, fmt, fh, prefix=sentence.prefix)
        return
    lines = list(sentence.comments)
    pre = f"{sentence.prefix}:" if sentence.prefix else ""
    lines += [sep.join([pre + row[0], *row[1:]]) for row in sentence.rows]
    fh.write("\n".join(lines) + "\n\n")


def predict_file(
    model_dir: str | Path,
    input: str | Path,
    output: str | Path,
    fmt: str,
    label_column: str | None = None,
    *,
    batch_size: int = 32,
    threads: int | None = None,
    max_length: int = 256,
    force: bool = False,
) -> PredictReport:
    """Tag every sentence of `input` (in `fmt`) and write it to `output` in the same format with the
    predicted label in the label column (atomically, with a manifest). Raises NotFoundError for a missing
    model, ParseError for a bad input line, OptionError for IOB2 labels asked into a CoNLL-U UPOS column or
    an `output` lexres did not write (without `force`)."""
    input, output = Path(input), Path(output)
    check_destination(output, force=force)
    if not input.is_file():
        raise ParseError(input, None, "no such file")
    tagger = Tagger.load(model_dir, max_length=max_length, batch_size=batch_size, threads=threads)
    spec: LabelSpec = label_spec(fmt, label_column, tagger.scheme)
    if fmt == "conllu" and spec.column == 3 and spec.scheme != "upos":
        raise OptionError(
            "this model predicts IOB2 labels, which do not belong in the CoNLL-U UPOS column",
            hint="name another column with --label-column (e.g. 10 for MISC)",
        )
    sentences, examples = read_labeled(input, spec, validate=False)
    tagged = tagger.tag([ex.words for ex in examples])
    sep = _separator(input, fmt)
    with atomic_output(output, force=force) as fh:
        for s, t in zip(sentences, tagged, strict=True):
            set_labels(s, t.labels, spec)
            write_sentence(s, fmt, fh, sep)
    params = {
        "format": fmt,
        "column": label_column or "default",
        "scheme": tagger.scheme,
        "max_length": tagger.max_length,
    }
    counts = {
        "sentences": len(sentences),
        "words": sum(len(e.words) for e in examples),
        "repaired": sum(t.repaired for t in tagged),
        "unpieced": sum(t.unpieced for t in tagged),
    }
    hashes = model_hashes(Path(model_dir))
    write_manifest(
        output,
        "task tagging predict",
        inputs={"input": input},
        input_hashes=hashes,
        params=params,
        counts=counts,
    )
    sig = signature(
        "task tagging predict", {**params, "input": file_sha256(input)[:12], "model": model_digest(hashes)}
    )
    return PredictReport(
        str(output), counts["sentences"], counts["words"], counts["repaired"], counts["unpieced"], sig
    )
