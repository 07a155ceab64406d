"""FOCUS (Dobler & de Melo 2023, package `deepfocus`) and WECHSEL (Minixhofer et al. 2022, package `wechsel`)
embedding initialisation, offline: both run on local fastText models only (FOCUS: token-level vectors trained
here on target text tokenized by the new tokenizer, or given; WECHSEL: given source and target word vectors,
aligned with the lexicon), never on the downloads the packages would otherwise make."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from contextlib import contextmanager, redirect_stderr
from dataclasses import dataclass
from pathlib import Path

from lexres.errors import LexresError, OptionError, require
from lexres.tasks.adapt.results import LexiconEntry


@dataclass(frozen=True)
class TransferOptions:
    """Inputs of `--init focus|wechsel`. FOCUS needs `target_text` (lines; a token-level fastText CBOW
    model of `dim`, `epochs`, `min_count`, `lr` is trained on it, one thread, fastText's fixed seed) or
    `target_vectors` (a fastText .bin of the new tokenizer's tokens). WECHSEL needs `source_vectors` and
    `target_vectors` (fastText .bin word vectors of the two languages, same dimension) and the lexicon
    (weights ignored)."""

    target_text: tuple[str, ...] = ()
    source_vectors: str | None = None
    target_vectors: str | None = None
    dim: int = 100
    epochs: int = 3
    min_count: int = 10
    lr: float = 0.05


@contextmanager
def _quiet():
    """The packages draw tqdm bars on stderr whatever their verbosity; lexres draws its own."""
    with redirect_stderr(io.StringIO()):
        yield


def _vectors(path: str | None, what: str):
    if path is None:
        raise OptionError(f"this initialisation needs {what}", hint="pass a local fastText .bin model")
    if not Path(path).is_file():
        raise OptionError(f"fastText model `{path}` not found ({what})",
                          hint="lexres does not download vectors: give a local fastText .bin file")
    fasttext = require("fasttext", "focus")
    try:
        return fasttext.load_model(str(path))
    except ValueError as exc:
        raise LexresError(f"`{path}` is not a fastText model: {exc}") from exc


def fasttext_train(path: Path, attempts: int = 6, **params):
    """fastText's train_unsupervised on one thread (so its fixed seed makes it deterministic). fastText 0.9
    sometimes reports `Encountered NaN` on a small text for reasons outside the data: the same call on the
    same 1,800-word text failed in about one fresh process in three (measured). The run is then tried again
    in a fresh Python process, up to `attempts` times in all, before a LexresError."""
    fasttext = require("fasttext", "focus")
    try:
        return fasttext.train_unsupervised(str(path), thread=1, verbose=0, **params)
    except ValueError as exc:
        raise LexresError(f"fastText training on {path.name} failed: {exc}") from exc
    except RuntimeError as exc:
        if "NaN" not in str(exc):
            raise LexresError(f"fastText training on {path.name} failed: {exc}") from exc
        last = str(exc)
    for _ in range(attempts - 1):
        out = Path(path).with_name(Path(path).name + ".fasttext.bin")
        code = ("import fasttext, json, sys; p = json.loads(sys.argv[1]); "
                "fasttext.train_unsupervised(p['input'], thread=1, verbose=0, **p['params'])"
                ".save_model(p['output'])")
        args = json.dumps({"input": str(path), "output": str(out), "params": params})
        done = subprocess.run([sys.executable, "-c", code, args], capture_output=True, text=True)
        if done.returncode == 0 and out.exists():
            model = fasttext.load_model(str(out))
            out.unlink()
            return model
        last = (done.stderr.strip().splitlines() or ["unknown error"])[-1]
        if "NaN" not in last:
            break
    raise LexresError(f"fastText training on {path.name} failed: {last}",
                      hint="a small text may need a lower --fasttext-lr")


def token_vectors(new_tok, lines: Sequence[str], opts: TransferOptions, workdir: Path) -> Path:
    """Train FOCUS's auxiliary token-level fastText CBOW model on `lines` tokenized by `new_tok`; its path.
    Not bit-reproducible: fastText 0.9.3 on one thread with its fixed seed still gave different vectors in
    about one run in four (max difference ~2e-3), so the manifest records the model's hash."""
    if not lines:
        raise OptionError("--init focus needs target text or token vectors",
                          hint="pass --text FILE (target-language text), or --target-vectors")
    text = workdir / "tokens.txt"
    with open(text, "w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(" ".join(new_tok.tokenize(line)) + "\n")
    model = fasttext_train(text, model="cbow", dim=opts.dim, epoch=opts.epochs, minCount=opts.min_count,
                           lr=opts.lr, neg=10, bucket=100_000)
    out = workdir / "tokens.bin"
    model.save_model(str(out))
    return out


def focus_matrix(base_tok, new_tok, matrix, opts: TransferOptions, *, seed: int, fresh: Iterable[int]):
    """FOCUS rows for every token of `new_tok` from `matrix` ([V_base, H], the base's rows): a new token is
    the sparsemax-weighted mean of the rows of overlapping tokens most similar to it in the token-level
    fastText space of `opts.target_vectors` (see `token_vectors` to train one). Returns (matrix
    [len(new_tok), H] float32, ids among `fresh` the package drew at random because fastText has no vector
    for them)."""
    torch = require("torch", "model")
    require("deepfocus", "focus")
    from deepfocus import FOCUS

    path = opts.target_vectors
    ft = _vectors(path, "token-level target vectors (--target-vectors, or --text to train them)")
    with _quiet():
        try:
            out = FOCUS(target_tokenizer=new_tok, source_tokenizer=base_tok,
                        source_embeddings=matrix.detach().float(), fasttext_model_path=str(path),
                        exact_match_all=True, seed=seed, verbosity="silent", processes=1)
        except (ValueError, KeyError, RuntimeError) as exc:
            raise LexresError(f"FOCUS failed: {exc}") from exc
    ids = new_tok.convert_ids_to_tokens(list(fresh))
    words = set(ft.get_words())
    rare = {i for i, t in zip(fresh, ids, strict=True)
            if t not in words and not ft.get_word_vector(t).any()}
    return torch.as_tensor(out, dtype=torch.float32), rare


def wechsel_matrix(base_tok, new_tok, matrix, opts: TransferOptions, lexicon: Sequence[LexiconEntry], *,
                   fresh: Iterable[int]):
    """WECHSEL rows: source and target word vectors aligned by orthogonal Procrustes on the lexicon, each
    target token the softmax(similarity / 0.1)-weighted mean of the rows of its 10 nearest source tokens.
    Returns (matrix [len(new_tok), H] float32, ids among `fresh` WECHSEL drew at random, from its own fixed
    seed, because no vector was found for them)."""
    torch = require("torch", "model")
    require("wechsel", "wechsel")
    from wechsel import WECHSEL

    if not lexicon:
        raise OptionError("--init wechsel needs a lexicon to align the vectors", hint="pass --lexicon FILE")
    src = _vectors(opts.source_vectors, "source-language word vectors (--source-vectors)")
    tgt = _vectors(opts.target_vectors, "target-language word vectors (--target-vectors)")
    if src.get_dimension() != tgt.get_dimension():
        raise OptionError(f"source and target vectors differ in dimension ({src.get_dimension()} vs "
                          f"{tgt.get_dimension()})")
    with tempfile.TemporaryDirectory(prefix="lexres-wechsel-") as tmp:
        dictionary = Path(tmp) / "dictionary.txt"
        with open(dictionary, "w", encoding="utf-8") as fh:
            fh.writelines(f"{e.source}\t{e.target}\n" for e in lexicon)
        with _quiet():
            try:
                aligner = WECHSEL(src, tgt, bilingual_dictionary=str(dictionary))
                out, info = aligner.apply(base_tok, new_tok, matrix.detach().float().numpy())
            except (ValueError, KeyError, RuntimeError, IndexError) as exc:
                raise LexresError(f"WECHSEL failed: {exc}") from exc
    missing = set(info.not_found)
    fresh = list(fresh)
    rare = {i for i, t in zip(fresh, new_tok.convert_ids_to_tokens(fresh), strict=True) if t in missing}
    return torch.as_tensor(out, dtype=torch.float32), rare
