"""Format sniffing stays cheap: bounded work per head, and no sniffer far slower than decoding the head.

Timings are only ever compared with a baseline measured in the same test (CPU time, best of several
runs), never with absolute wall-clock limits."""
from __future__ import annotations

import itertools
import random
import time
from pathlib import Path

import pytest

from lexres import features
from lexres import formats as registry
from lexres.errors import ParseError
from lexres.loaders.morph import common as morphio

HEAD = registry.HEAD_BYTES


def _layered_head() -> bytes:
    """A 64 KiB SIGMORPHON-2023-style head whose every row has a different layered bundle: the worst case
    for the morph sniffers, which parse the features they look at."""
    moods, tenses = ("IND", "SBJV", "IMP", "COND"), ("PST", "PRS", "FUT")
    aspects = ("PFV", "IPFV", "HAB", "PROG")
    args = [f"{p},{n}" for p in "123" for n in ("SG", "PL", "DU")]
    lines = []
    for i, (m, t, a, s, o) in enumerate(itertools.product(moods, tenses, aspects, args, args)):
        lines.append(f"lemma{i // 40}\tV;{m};{t};{a};NOM({s});ACC({o})\tform{i}\n")
    data = "".join(lines).encode()
    assert len(data) > HEAD
    return data[:HEAD]


def _cold() -> None:
    """Forget what earlier sniffs and imports cached, so a sniff is timed as in a fresh process."""
    features.analyze.cache_clear()
    features.looks_like_bundle.cache_clear()
    morphio._last_sniff[:] = [None, (None, False)]


def _padded(path: Path) -> bytes:
    """The fixture repeated up to a full 64 KiB head (sniffers must cope with cut last lines too)."""
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    return (data * (HEAD // max(len(data), 1) + 1))[:HEAD]


def _cpu(fn, runs: int = 7) -> float:
    best = float("inf")
    for _ in range(runs):
        _cold()
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def test_morph_sniff_examines_a_bounded_number_of_rows_once(monkeypatch, tmp_path):
    head = _layered_head()
    path = tmp_path / "xyz.trn"
    calls = []
    real = morphio.looks_like_bundle
    monkeypatch.setattr(morphio, "looks_like_bundle", lambda text: calls.append(text) or real(text))
    _cold()
    scores = {r.name: s for s, r in registry.scores(None, head, path)}
    assert scores["sigmorphon"] == 0.9  # features in the middle column: a 2023 shared-task file
    assert morphio.SNIFF_STATS["rows"] <= morphio.SAMPLE_ROWS
    # two columns per row at most, and the unimorph and sigmorphon sniffers share one look at the head
    assert 0 < len(calls) <= 2 * morphio.SAMPLE_ROWS
    assert head.count(b"\n") > 3 * morphio.SAMPLE_ROWS  # so the bound above is not the head's own size


def test_detect_layout_early_stop_gives_the_same_answer_as_all_rows():
    rows = [line.split("\t") for line in _layered_head().decode().splitlines()[:-1]]
    for n in (1, 2, 3, 10, 101, 300):
        sample = rows[:n]
        assert morphio.detect_layout(sample) == morphio.LEMMA_FEATURES_FORM
        swapped = [[r[0], r[2], r[1]] for r in sample]
        assert morphio.detect_layout(swapped) == morphio.LEMMA_FORM_FEATURES
        covered = [[r[0], r[1]] for r in sample]
        assert morphio.detect_layout(covered) == morphio.LEMMA_FEATURES
    # a vote that stays open until the last row: half the rows have their features in each column
    mixed = [[f"l{i}", "V;PST", f"w{i}"] if i % 2 else [f"l{i}", f"w{i}", "V;PST"] for i in range(10)]
    assert morphio.detect_layout(mixed) == morphio.LEMMA_FORM_FEATURES  # ties go to the third column
    words = [[f"l{i}", f"w{i}", f"v{i}"] for i in range(10)]
    with pytest.raises(ValueError):
        morphio.detect_layout(words)


def _slow_looks_like_bundle(text: str) -> bool:
    """The definition: parses as a bundle, and at least half of its atoms are recognised."""
    try:
        b = features.analyze(text)
    except ParseError:
        return False
    return b.recognised * 2 >= sum(len(t.atoms()) for t in b.tags)


def test_looks_like_bundle_fast_path_agrees_with_the_parser(fixtures):
    texts = {"V;V;PST;V;PST", "N;NOM(1,SG;PL)", "N;PSS(1;PL)", "NOM(X(Y,Z);W)", "A;B(C(D(E)))",
             "V;SG;", " V;PST", "V;PST;;", "N;(SG)", "V.PTCP;PST", "N;GEN(SG;DEF)", "BANTU3;N", "kitabu",
             "V;IND;NOM(1,SG);ACC(3,PL);NOM(1,SG);ACC(3,PL)", "PST+RMT;V", "V;DU/PL"}
    for path in (fixtures / "morph").iterdir():
        if path.is_file():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                texts.update(line.split("\t"))
    rnd = random.Random(7)
    alphabet = list("VN;,()1SGPL+/.x ") + ["PST", "NOM", "FOO"]
    texts.update("".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12))) for _ in range(20_000))
    features.looks_like_bundle.cache_clear()
    wrong = [t for t in texts if features.looks_like_bundle(t) != _slow_looks_like_bundle(t)]
    assert wrong == []
    assert sum(map(features.looks_like_bundle, texts)) > 100  # both answers are well represented


SAMPLES = ["morph/swh_quirks.tsv", "morph/toy.trn", "morph/toy.covered.tst", "bible/tiny.ces.xml",
           "bible/tiny.usx", "bible/tiny.usfx.xml", "bible/tiny.zefania.xml", "bible/container.osis.xml",
           "bible/features.usfm", "bible/ranges.vline.txt", "lexicon/mini.lift", "lexicon/wol-fra.mini.tei",
           "lexicon/en-sw.dict", "lexicon/glossary.csv", "lexicon/wiktextract.jsonl", "lexicon/sw-en.sample"]


def test_whole_registry_sniff_is_cheap_next_to_reading_the_head(fixtures, tmp_path):
    heads = [(_padded(fixtures / name), fixtures / name) for name in SAMPLES]
    heads.append((_layered_head(), tmp_path / "xyz.trn"))
    for head, path in heads:
        # the trivial baseline: decode the head and split it into lines and cells once
        base = _cpu(lambda h=head: [ln.split("\t") for ln in h.decode("utf-8", "replace").splitlines()])
        sniff = _cpu(lambda h=head, p=path: registry.scores(None, h, p))
        # before sniffers were bounded the layered head took ~110x this baseline; now ~11x
        assert sniff < 60 * max(base, 1e-5), (path.name, sniff, base)
