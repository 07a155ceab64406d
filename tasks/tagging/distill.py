"""Label distillation (Wang, Ruder & Neubig 2022, "Expanding Pretrained Models to Thousands More Languages
via Lexicon-based Adaptation", ACL 2022): a teacher tagger labels raw target-language text, sentences it is
unsure of are dropped, and the rest becomes CoNLL training data for a student."""

from __future__ import annotations

from pathlib import Path

from lexres.errors import OptionError, ParseError
from lexres.outputs import atomic_output, check_destination
from lexres.progress import Progress
from lexres.provenance import file_sha256, signature, write_manifest
from lexres.tasks.tagging.predict import Tagger, model_digest, model_hashes
from lexres.tasks.tagging.results import DistillReport

CHUNK = 512  # sentences tagged at a time, so large text files stream


def _sentences(path: Path):
    """(1-based line, tokens) per line of a whitespace-tokenized text file."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            for n, raw in enumerate(fh, 1):
                yield n, raw.split()
    except UnicodeDecodeError as exc:
        raise ParseError(
            path, None, f"not UTF-8 text ({exc.reason})", hint="convert the file to UTF-8"
        ) from exc
    except FileNotFoundError as exc:
        raise ParseError(path, None, "no such file") from exc


def distill(
    teacher: str | Path,
    text: str | Path,
    out: str | Path,
    *,
    threshold: float = 0.0,
    batch_size: int = 32,
    threads: int | None = None,
    max_length: int = 256,
    progress: Progress | None = None,
    force: bool = False,
) -> DistillReport:
    """Tag `text` (one sentence per line, tokens split on whitespace) with the `teacher` model and write
    the sentences whose mean per-word confidence (max softmax probability, 0–1) is at least `threshold` to
    `out` as TAB-separated CoNLL (`token<TAB>label`, blank line between sentences; IOB2 output repaired).
    Empty lines, low-confidence lines and lines CoNLL cannot hold (a token starting with -DOCSTART-) are
    listed by line number in the report and the manifest. Raises OptionError for a threshold outside
    0–1 or an `out` lexres did not write (without `force`), NotFoundError for a missing teacher,
    ParseError for text that is not UTF-8."""
    if not 0.0 <= threshold <= 1.0:
        raise OptionError(f"--threshold is a probability from 0 to 1, not {threshold}")
    text, out = Path(text), Path(out)
    check_destination(out, force=force)
    if not text.is_file():
        raise ParseError(text, None, "no such file")
    tagger = Tagger.load(
        teacher, what="--teacher", max_length=max_length, batch_size=batch_size, threads=threads
    )
    progress = progress or Progress()
    with open(text, "rb") as raw:
        progress.start(sum(1 for _ in raw), f"distill {text.name}", "sentences")
    kept, dropped, empty, unwritable, repaired, conf_sum = 0, [], [], [], 0, 0.0
    with atomic_output(out, force=force) as fh:
        pending: list[tuple[int, list[str]]] = []

        def flush() -> None:
            nonlocal kept, repaired, conf_sum
            for (n, words), t in zip(pending, tagger.tag([w for _, w in pending]), strict=True):
                conf = t.mean_confidence
                if conf < threshold:
                    dropped.append(n)
                    continue
                kept, repaired, conf_sum = kept + 1, repaired + t.repaired, conf_sum + conf
                fh.write("".join(f"{w}\t{lab}\n" for w, lab in zip(words, t.labels, strict=True)) + "\n")
            progress.advance(len(pending))
            pending.clear()

        for n, words in _sentences(text):
            if not words:
                empty.append(n)
                progress.advance(1)
            elif any(w.startswith("-DOCSTART-") for w in words):
                unwritable.append(n)
                progress.advance(1)
            else:
                pending.append((n, words))
                if len(pending) >= CHUNK:
                    flush()
        flush()
    hashes = model_hashes(Path(teacher))
    params = {"threshold": threshold, "scheme": tagger.scheme, "max_length": tagger.max_length}
    write_manifest(
        out,
        "adapt distill",
        inputs={"text": text},
        input_hashes=hashes,
        params=params,
        counts={
            "kept": kept,
            "dropped": len(dropped),
            "empty": len(empty),
            "unwritable": len(unwritable),
            "repaired": repaired,
            "dropped_lines": dropped,
            "empty_lines": empty,
            "unwritable_lines": unwritable,
        },
    )
    sig = signature(
        "adapt distill", {**params, "text": file_sha256(text)[:12], "teacher": model_digest(hashes)}
    )
    return DistillReport(
        str(out),
        kept,
        tuple(dropped),
        tuple(empty),
        tuple(unwritable),
        threshold,
        repaired,
        conf_sum / kept if kept else 0.0,
        sig,
    )
