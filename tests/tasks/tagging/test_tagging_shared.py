"""Real data through the tagging data path (no training): the first few hundred lines of MasakhaNER 2.0
Swahili (space-separated), WikiANN English (`en:` prefixes, TAB) and UD Wolof (CoNLL-U UPOS) read with
valid labels and turn into model inputs that label every word once."""

from __future__ import annotations

from pathlib import Path

import pytest

from lexres.tasks.tagging.data import encode, label_inventory, label_spec, read_labeled, valid_label

pytestmark = pytest.mark.shared


def _head(src: Path, dst: Path, lines: int) -> Path:
    """The first `lines` lines of `src`, extended to the end of the sentence they are in."""
    out = []
    with open(src, encoding="utf-8", newline="") as fh:
        for raw in fh:
            out.append(raw)
            if len(out) >= lines and not raw.strip():
                break
    dst.write_bytes("".join(out).encode("utf-8"))
    return dst


@pytest.mark.parametrize(
    ("rel", "fmt", "types"),
    [
        ("ner/masakhaner2/MasakhaNER2.0/data/swa/train.txt", "conll", {"PER", "ORG", "LOC", "DATE"}),
        ("ner/wikiann-en/WikiANN/en/train", "conll", {"PER", "ORG", "LOC"}),
        ("ner/wikiann-en/WikiANN/en/dev", "xtreme", {"PER", "ORG", "LOC"}),
        ("ud/UD_Wolof-WTB/wo_wtb-ud-dev.conllu", "conllu", None),
    ],
)
def test_real_labeled_data_reads_with_valid_labels(shared_data, tmp_path, tiny_body, rel, fmt, types):
    src = shared_data / rel
    if not src.is_file():
        pytest.skip(f"{rel} is not in the shared data")
    f = _head(src, tmp_path / src.name, 400)
    spec = label_spec(fmt)
    _, examples = read_labeled(f, spec)
    words = sum(len(ex.words) for ex in examples)
    assert len(examples) >= 10 and words >= 300
    assert all(valid_label(lab, spec.scheme) for ex in examples for lab in ex.labels)
    labels = label_inventory(examples, spec.scheme)
    if types is None:
        assert spec.scheme == "upos" and {"NOUN", "VERB", "PUNCT"} <= set(labels)
    else:
        assert {lab[2:] for lab in labels if lab != "O"} <= types
        assert len(labels) >= 5
    if "wikiann" in rel:  # the `en:` prefix is not part of the word
        assert not any(w.startswith("en:") for ex in examples for w in ex.words)
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_body, local_files_only=True)
    label2id = {lab: i for i, lab in enumerate(labels)}
    wins = encode(
        tok,
        [ex.words for ex in examples],
        max_length=64,
        labels=[ex.labels for ex in examples],
        label2id=label2id,
    )
    labelled = sum(1 for w in wins for x in w.labels if x >= 0)
    assert labelled == words  # every word labelled exactly once, however the windows fall
    assert all(len(w.input_ids) <= 64 for w in wins)
