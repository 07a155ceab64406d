"""Local bases and outputs of model adaptation: load models and tokenizers offline from `save_pretrained`
directories, tell tokenizer families apart, read training text, and write output directories atomically."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from lexres.errors import LexresError, NotFoundError, OptionError, ParseError, require
from lexres.outputs import atomic_dir

SPM_FILE = "sentencepiece.bpe.model"  # the XLM-R family's name for its SentencePiece model
OFFLINE_HINT = "lexres loads models offline only (from_pretrained(..., local_files_only=True)): " \
    "give the directory a model was saved to with save_pretrained"


def local_dir(path: str | Path, what: str = "model") -> Path:
    """`path` as an existing local directory, or a one-line LexresError (hub names are not fetched)."""
    p = Path(path)
    if not p.is_dir():
        looks_hub = not p.exists() and not str(path).startswith((".", "/", "~")) and str(path).count("/") <= 1
        why = "looks like a hub name, and nothing is downloaded" if looks_hub else "is not a directory"
        raise NotFoundError(f"{what} `{path}` {why}", hint=OFFLINE_HINT)
    return p


def load_tokenizer(path: str | Path):
    """The tokenizer saved in a local directory (AutoTokenizer, local files only)."""
    p = local_dir(path, "tokenizer")
    transformers = require("transformers", "model")
    try:
        return transformers.AutoTokenizer.from_pretrained(str(p), local_files_only=True)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LexresError(f"cannot load a tokenizer from `{p}`: {' '.join(str(exc).split())[:300]}",
                          hint=OFFLINE_HINT) from exc


def load_mlm(path: str | Path):
    """The masked-LM model saved in a local directory (AutoModelForMaskedLM, local files only)."""
    p = local_dir(path, "model")
    if not (p / "config.json").exists():
        raise NotFoundError(f"model directory `{p}` has no config.json", hint=OFFLINE_HINT)
    transformers = require("transformers", "model")
    try:
        return transformers.AutoModelForMaskedLM.from_pretrained(str(p), local_files_only=True)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LexresError(f"cannot load a masked-LM model from `{p}`: {' '.join(str(exc).split())[:300]}",
                          hint=OFFLINE_HINT) from exc


def family(tokenizer) -> str:
    """`sentencepiece` (Unigram model, XLM-R style), `wordpiece` (BERT style) or the backend's model name."""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        raise OptionError(f"tokenizer {type(tokenizer).__name__} has no `tokenizers` backend; "
                          "lexres needs one")
    kind = type(backend.model).__name__
    return {"Unigram": "sentencepiece", "WordPiece": "wordpiece"}.get(kind, kind.lower())


def check_family(base_tok, new_tok, base: Path, tok_dir: Path) -> str:
    """The common family of two tokenizers, or an OptionError when they differ (a SentencePiece tokenizer
    cannot drive a WordPiece model's embeddings, nor the other way round)."""
    a, b = family(base_tok), family(new_tok)
    if a != b:
        raise OptionError(f"tokenizer family mismatch: base `{base}` is {a} but `{tok_dir}` is {b}",
                          hint="extend the base's own tokenizer with `lexres adapt tokenizer --base`")
    return a


def mlm_parts(model):
    """(encoder, head) of a masked-LM model: the encoder maps ids to hidden states [B, L, H]; the head maps
    hidden states [..., H] to logits [..., V] position by position (RoBERTa/XLM-R `lm_head`, BERT `cls`)."""
    for name in ("lm_head", "cls"):
        head = getattr(model, name, None)
        if head is not None:
            return model.base_model, head
    raise OptionError(f"{type(model).__name__} is not supported: lexres knows the LM heads of the BERT "
                      "and RoBERTa/XLM-R families")


def read_lines(paths: Sequence[str | Path]) -> list[str]:
    """Non-empty lines (stripped) of UTF-8 text files, in order; ParseError names the file and line of bad
    bytes, NotFoundError a missing file."""
    if not paths:
        raise OptionError("no text given", hint="pass one or more --text FILE")
    out: list[str] = []
    for path in paths:
        p = Path(path)
        if not p.is_file():
            raise NotFoundError(f"text file `{p}` not found", hint="check the path")
        with open(p, "rb") as fh:
            for no, raw in enumerate(fh, 1):
                try:
                    line = raw.decode("utf-8").strip()
                except UnicodeDecodeError as exc:
                    raise ParseError(p, no, "not UTF-8 text") from exc
                if line:
                    out.append(line)
    if not out:
        raise OptionError(f"the text files hold no text: {', '.join(str(p) for p in paths)}")
    return out


def dir_sha256(path: str | Path) -> str:
    """One hash of a directory's files (names and contents, sorted), for manifests."""
    h = hashlib.sha256()
    root = Path(path)
    for f in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(str(f.relative_to(root)).encode() + b"\0")
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def fsync_tree(root: Path) -> None:
    """fsync every file under `root` (before its directory is renamed into place)."""
    for f in root.rglob("*"):
        if f.is_file():
            fd = os.open(f, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


@contextmanager
def staged_dir(dest: str | Path, *, force: bool = False) -> Iterator[Path]:
    """Build an output directory in a temporary folder beside `dest`, fsync it, then rename it into place
    (an earlier lexres output there is replaced only then; any other directory is refused unless `force`).
    Raises OptionError (see lexres.outputs.check_destination)."""
    with atomic_dir(dest, force=force) as tmp:
        yield tmp
        fsync_tree(tmp)


def copy_tokenizer_extras(src: Path, dst: Path) -> None:
    """Copy the tokenizer files transformers 5 does not write back (the SentencePiece model, vocab.txt)."""
    for name in (SPM_FILE, "vocab.txt"):
        if (src / name).is_file() and not (dst / name).exists():
            shutil.copyfile(src / name, dst / name)


def write_json(path: Path, data) -> None:
    """Write `data` as indented UTF-8 JSON (values JSON cannot hold as their str()). Not atomic by itself:
    it writes inside a `staged_dir` folder, which is moved into place whole."""
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
