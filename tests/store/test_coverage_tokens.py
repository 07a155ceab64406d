"""Lexicon coverage of a text measured from its token counts (lexres.store.lexicon.TokenCounts, used by
`lexres report` to tokenise each Bible once) gives the same numbers as walking every line, token by token,
with the longest multi-word match: compared here with that straightforward computation, written out."""

from __future__ import annotations

import pytest

from lexres.errors import OptionError
from lexres.importer import import_resource
from lexres.store.lexicon import TokenCounts, coverage, dictionary, tokens
from lexres.text import key

# multi-word entries that overlap, nest, repeat and cross case; words covered alone and only inside phrases
PAIRS = """\
asante sana\tthank you very much
asante\tthanks
sana\tvery
habari ya asubuhi\tgood morning
habari ya\tnews of
ya\tof
Mji Mkuu\tcapital city
kwa sababu\tbecause
kwa sababu ya\tbecause of
nyumba\thouse
Kazi\twork
"""
OTHER = """\
nyumba kubwa\tbig house
kubwa\tbig
mji\ttown
"""
TEXT = [
    "Asante sana, rafiki! Asante sana sana.",
    "Habari ya asubuhi? Habari ya jioni, habari.",
    "Mji Mkuu ni mji mkuu; mji mkuu wa nchi.",
    "",
    "Alikuja kwa sababu ya mvua, kwa sababu alitaka; kwa kwa sababu.",
    "nyumba kubwa nyumba nyumba KAZI kazi Kazi ya ya ya",
    "!!! 123 123 ...",
]


def reference(store, src, tgt, lines, *, fold_case=False, resources=None, top=10):
    """The coverage as first written: every line tokenised, then walked left to right taking the longest
    entry that starts at each token."""
    vocab = set(dictionary(store, src, tgt, resources=resources, fold_case=fold_case))
    longest = max((len(k.split(" ")) for k in vocab), default=1)
    n_tok = n_cov = phrases = 0
    seen: dict[str, bool] = {}
    missing: dict[str, int] = {}
    for line in lines:
        toks = [key(t, fold_case=fold_case) for t in tokens(line)]
        i = 0
        while i < len(toks):
            span = 1
            for n in range(min(longest, len(toks) - i), 1, -1):
                if " ".join(toks[i : i + n]) in vocab:
                    span = n
                    break
            if span > 1:
                phrases += 1
                n_cov += span
            elif toks[i] in vocab:
                n_cov += 1
            else:
                missing[toks[i]] = missing.get(toks[i], 0) + 1
            for t in toks[i : i + span]:
                seen[t] = t in vocab
            n_tok += span
            i += span
    worst = sorted(missing.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return (n_tok, n_cov, len(seen), sum(seen.values()), phrases, tuple(worst))


def _fields(cov):
    return (cov.tokens, cov.tokens_covered, cov.types, cov.types_covered, cov.phrases_matched,
            cov.top_missing)


@pytest.fixture
def lexicons(store, tmp_path):
    ids = {}
    for name, body in (("swh-eng", PAIRS), ("swh-eng-other", OTHER)):
        path = tmp_path / f"{name}.tsv"
        path.write_text(body, encoding="utf-8")
        ids[name] = import_resource(store, "lexicon", [path], lang="swh", target_lang="eng",
                                    format="muse", name=name).resource_id
    return ids


@pytest.mark.parametrize("fold_case", [False, True])
@pytest.mark.parametrize("which", [("swh-eng",), ("swh-eng-other",), ("swh-eng", "swh-eng-other"), None])
def test_coverage_equals_the_line_walk(store, lexicons, fold_case, which):
    resources = None if which is None else [lexicons[w] for w in which]
    want = reference(store, "swh", "eng", TEXT, fold_case=fold_case, resources=resources, top=50)
    assert want[4] > 0  # multi-word entries match in every case
    got = coverage(store, "swh", "eng", TEXT, fold_case=fold_case, resources=resources, top=50)
    assert _fields(got) == want
    # one tokenisation shared by several lexicons (the report's cache) gives the same answers
    shared = TokenCounts(TEXT, fold_case=fold_case)
    for _ in range(2):
        again = coverage(store, "swh", "eng", shared, fold_case=fold_case, resources=resources, top=50)
        assert _fields(again) == want
    # a short top list is the head of the long one
    assert coverage(store, "swh", "eng", shared, fold_case=fold_case, resources=resources,
                    top=3).top_missing == want[5][:3]


def test_the_case_fixture_numbers_are_kept(store, fixtures):
    """The numbers of tests/store/test_lexicon_ops.py::test_coverage_counts, through a shared TokenCounts."""
    lex = fixtures / "lexicon"
    import_resource(store, "lexicon", [lex / "sw-en.sample"])
    text = (lex / "swa.text.txt").read_text(encoding="utf-8").splitlines()
    folded = coverage(store, "swh", "eng", TokenCounts(text, fold_case=True), fold_case=True)
    assert _fields(folded)[:5] == (11, 7, 8, 2, 1)
    assert _fields(folded) == reference(store, "swh", "eng", text, fold_case=True)
    exact = coverage(store, "swh", "eng", iter(text))  # an iterator is read once
    assert _fields(exact) == reference(store, "swh", "eng", text)


def test_empty_text_and_empty_lexicon(store, lexicons):
    assert _fields(coverage(store, "swh", "eng", [])) == (0, 0, 0, 0, 0, ())
    assert _fields(coverage(store, "swh", "fra", TEXT)) == reference(store, "swh", "fra", TEXT)


def test_a_token_count_that_cannot_serve_is_refused(store, lexicons):
    with pytest.raises(OptionError, match="fold_case"):
        coverage(store, "swh", "eng", TokenCounts(TEXT, fold_case=False), fold_case=True)
    # kept only the lines of one lexicon's multi-word entries: another lexicon's would be miscounted
    narrow = TokenCounts(TEXT, phrase_starts={"nyumba"})
    with pytest.raises(OptionError, match="multi-word"):
        coverage(store, "swh", "eng", narrow, resources=[lexicons["swh-eng"]])
    got = coverage(store, "swh", "eng", narrow, resources=[lexicons["swh-eng-other"]])
    assert _fields(got) == reference(store, "swh", "eng", TEXT, resources=[lexicons["swh-eng-other"]])
