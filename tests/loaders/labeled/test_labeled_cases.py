"""Labeled data cases: CoNLL-U renumbering through pseudo-labeling, labels checked against their scheme,
line ends and no-break spaces in CoNLL lines."""

from __future__ import annotations

import pytest

from lexres.augment.substitute.engine import Options, Substituter
from lexres.augment.substitute.table import build_table
from lexres.augment.text.pseudo_label import run_file
from lexres.errors import ParseError
from lexres.loaders.labeled import conll as labeled


def _table(path):
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        src, tgt = line.split("\t")
        pairs.append((src, tgt, 1))
    return build_table(pairs)


def _check_conllu(sentence) -> None:
    """The checks of the UD validator that renumbering can break: IDs in sequence, every HEAD and DEPS head
    an existing ID (or 0), empty nodes after an existing word, ranges over existing words."""
    words = [r[0] for r in sentence.rows]
    assert words == [str(i) for i in range(1, len(words) + 1)]
    nodes = {f[0] for _, f in sentence.specials if "." in f[0]}
    ids = set(words) | nodes | {"0"}
    for r in sentence.rows:
        assert r[6] in ids, r
        if r[8] != "_":
            for item in r[8].split("|"):
                assert item.split(":", 1)[0] in ids, (r, item)
    for pos, f in sentence.specials:
        if "." in f[0]:
            word = int(f[0].split(".")[0])
            assert word == pos and (word == 0 or str(word) in words)
            for item in f[8].split("|"):
                assert item.split(":", 1)[0] in ids, (f, item)
        else:
            a, b = f[0].split("-")
            assert a in words and b in words


def test_empty_node_deps_renumbered(fixtures, tmp_path):
    cases = fixtures / "cases" / "labeled"
    out = tmp_path / "out.conllu"
    sub = Substituter(_table(cases / "empty_node.eng-swh.tsv"), Options(min_replaced=0, choice="first"))
    run_file(sub, cases / "empty_node.conllu", out, "conllu")
    [s] = list(labeled.read(out, "conllu"))
    _check_conllu(s)
    forms = [r[1] for r in s.rows]
    assert forms[:4] == ["Sue", "anapenda", "kahawa", "chungu"]  # "coffee" became two tokens
    node = [f for _, f in s.specials if "." in f[0]]
    assert [f[0] for f in node] == ["6.1"] and node[0][8] == "2:conj:and"
    by_form = {r[1]: r for r in s.rows}
    assert by_form["na"][8] == "6.1:cc"  # was 5.1:cc
    assert by_form["Bill"][8] == "6.1:nsubj" and by_form["Bill"][6] == "3"  # head "coffee" -> first token 3
    assert by_form["chai"][8] == "6.1:obj"
    assert by_form["chungu"][6] == "3" and by_form["chungu"][8] == "3:flat"
    text = out.read_text(encoding="utf-8")
    assert "5.1:" not in text


def test_label_outside_scheme_is_located(fixtures):
    with pytest.raises(ParseError) as err:
        list(labeled.read(fixtures / "cases" / "labeled" / "bad_label.conll", "conll"))
    assert err.value.line == 6 and "IOB2" in str(err.value)


def test_pseudo_label_refuses_bad_label(fixtures, tmp_path):
    sub = Substituter(build_table([("kesho", "tomorrow", 1)]), Options(min_replaced=0, choice="first"))
    out = tmp_path / "out.conll"
    with pytest.raises(ParseError):
        run_file(sub, fixtures / "cases" / "labeled" / "bad_label.conll", out, "conll")
    assert not out.exists()


@pytest.mark.parametrize("fmt, text, line", [
    ("xtreme", "The\tDET\nbig\tADJ\nhouse\tNOUN\n\nA\tDET\ndog\tNOUNS\n", 6),  # POS: UPOS set
    ("xtreme", "Juma\tB-PER\nlives\tO\nhere\tB-\n", 3),  # NER: IOB2
    ("conllu", "1\tDog\tdog\tNN\t_\t_\t0\troot\t_\t_\n", 1),  # UPOS column
])
def test_labels_checked_per_scheme(tmp_path, fmt, text, line):
    path = tmp_path / "f.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError) as err:
        list(labeled.read(path, fmt))
    assert err.value.line == line


def test_line_ends_and_nbsp(tmp_path):
    body = ["Jana O", "Bill\u00a0Gates B-PER", "", "kesho O"]
    want = None
    for end in ("\n", "\r\n", "\r", "\u2028"):
        path = tmp_path / "f.conll"
        path.write_bytes(("\ufeff" if end == "\r" else "").encode() + end.join(body).encode("utf-8"))
        got = [[r[:] for r in s.rows] for s in labeled.read(path, "conll")]
        assert got == [[["Jana", "O"], ["Bill\u00a0Gates", "B-PER"]], [["kesho", "O"]]]
        want = want or got
        assert got == want


def test_not_utf8_is_located(tmp_path):
    path = tmp_path / "f.conll"
    path.write_bytes(b"Jana O\nBil\xffl B-PER\n")
    with pytest.raises(ParseError) as err:
        list(labeled.read(path, "conll"))
    assert err.value.line == 2
