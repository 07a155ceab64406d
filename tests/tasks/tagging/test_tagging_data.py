"""Tagging data: label columns and schemes, located errors for bad labels, and model inputs with the label
on the first piece of each word (hand-checked piece by piece)."""

from __future__ import annotations

import pytest

from lexres.errors import OptionError, ParseError
from lexres.tasks.tagging.data import (
    IGNORE,
    encode,
    label_inventory,
    label_spec,
    read_labeled,
    row_lines,
    windows,
)

CONLLU = """# sent_id = 1
# text = Wanted it.
1-2\tWanted\t_\t_\t_\t_\t_\t_\t_\t_
1\tWant\twant\tVERB\t_\t_\t0\troot\t_\t_
2\ted\t-ed\tPART\t_\t_\t1\tdep\t_\t_
3\tit\tit\tPRON\t_\t_\t1\tobj\t_\tSpaceAfter=No
4\t.\t.\tPUNCT\t_\t_\t1\tpunct\t_\t_

# sent_id = 2
1\tYes\tyes\tINTJ\t_\t_\t0\troot\t_\t_
"""


def _tokenizer(body):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(body, local_files_only=True)


def test_labels_go_on_the_first_piece_of_each_word(tiny_body):
    tok = _tokenizer(tiny_body)
    label2id = {"O": 0, "B-PER": 1, "I-PER": 2, "B-LOC": 3, "I-LOC": 4, "B-ORG": 5, "I-ORG": 6}
    words = ["Juma", "lives", "in", "Nairobi", "safaricom"]
    labels = ["B-PER", "O", "O", "B-LOC", "B-ORG"]
    [w] = encode(tok, [words], max_length=64, labels=[labels], label2id=label2id)
    pieces = tok.convert_ids_to_tokens(list(w.input_ids))
    assert pieces == ["[CLS]", "juma", "lives", "in", "nai", "##ro", "##bi", "safari", "##com", "[SEP]"]
    assert w.labels == (IGNORE, 1, 0, 0, 3, IGNORE, IGNORE, 5, IGNORE, IGNORE)
    assert w.first == (1, 2, 3, 4, 7)
    assert w.token_type_ids == (0,) * 10


def test_long_sentences_are_split_into_windows_without_losing_a_word(tiny_body):
    tok = _tokenizer(tiny_body)
    words = ["juma", "lives", "in", "nairobi", "."]  # pieces 1 1 1 3 1
    labels = ["B-PER", "O", "O", "B-LOC", "O"]
    label2id = {"O": 0, "B-PER": 1, "B-LOC": 2}
    wins = encode(tok, [words, []], max_length=6, labels=[labels, []], label2id=label2id)  # 4 pieces + 2
    assert [(w.example, w.start, len(w.first)) for w in wins] == [(0, 0, 3), (0, 3, 2)]
    assert tok.convert_ids_to_tokens(list(wins[1].input_ids)) == [
        "[CLS]",
        "nai",
        "##ro",
        "##bi",
        ".",
        "[SEP]",
    ]
    assert wins[1].labels == (IGNORE, 2, IGNORE, IGNORE, 0, IGNORE)
    assert all(len(w.input_ids) <= 6 for w in wins)


def test_windows():
    assert windows([1, 1, 1, 3, 1], 4) == [(0, 3), (3, 5)]
    assert windows([1, 9, 1], 4) == [(0, 1), (1, 2), (2, 3)]  # an over-long word stands alone
    assert windows([2, 2], 4) == [(0, 2)]
    assert windows([], 4) == []


def test_a_label_outside_iob2_is_a_located_parse_error(tmp_path):
    f = tmp_path / "bad.conll"
    f.write_text("juma\tB-PER\n\nin\tO\nnairobi\tLOCATION\n", encoding="utf-8")
    with pytest.raises(ParseError) as err:
        read_labeled(f, label_spec("conll"))
    assert str(err.value).startswith(f"{f}:4: label `LOCATION` is not an IOB2 tag")
    assert err.value.line == 4


def test_conllu_reads_upos_with_the_line_of_every_word(tmp_path):
    f = tmp_path / "x.conllu"
    f.write_text(CONLLU, encoding="utf-8")
    spec = label_spec("conllu")
    assert (spec.column, spec.scheme) == (3, "upos")
    sentences, examples = read_labeled(f, spec)
    assert examples[0].words == ("Want", "ed", "it", ".")
    assert examples[0].labels == ("VERB", "PART", "PRON", "PUNCT")
    assert examples[0].lines == (4, 5, 6, 7)
    assert examples[1].lines == (10,)
    assert row_lines(sentences[1]) == [10]
    f.write_text(CONLLU.replace("PRON", "PRONOUN"), encoding="utf-8")
    with pytest.raises(ParseError, match=r"x\.conllu:6: label `PRONOUN` is not a UD UPOS tag"):
        read_labeled(f, spec)
    # another column, checked as IOB2 unless told otherwise
    f.write_text(CONLLU, encoding="utf-8")
    misc = label_spec("conllu", "10")
    assert (misc.column, misc.scheme) == (9, "iob2")
    with pytest.raises(ParseError, match=r"x\.conllu:4: `_` is not an IOB2 label"):
        read_labeled(f, misc)


def test_label_spec_refuses_what_cannot_work():
    with pytest.raises(OptionError, match="needs --format conllu"):
        label_spec("conll", "upos")
    with pytest.raises(OptionError, match="out of range"):
        label_spec("conll", "1")
    with pytest.raises(OptionError, match="out of range"):
        label_spec("conllu", "11")
    with pytest.raises(OptionError, match="--format must be one of"):
        label_spec("iob")
    with pytest.raises(OptionError, match="--scheme"):
        label_spec("conll", scheme="bioes")
    assert label_spec("conll", "2").column == 1
    assert label_spec("xtreme", scheme="upos").scheme == "upos"


def test_label_inventory():
    from lexres.tasks.tagging.data import Example

    ex = [Example(("a", "b", "c"), ("B-PER", "O", "I-LOC"), (1, 2, 3), 1)]
    assert label_inventory(ex, "iob2") == ("O", "B-LOC", "I-LOC", "B-PER", "I-PER")
    ex = [Example(("a", "b"), ("NOUN", "ADJ"), (1, 2), 1)]
    assert label_inventory(ex, "upos") == ("ADJ", "NOUN")
