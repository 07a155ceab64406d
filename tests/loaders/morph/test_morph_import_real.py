"""Every real file under shared/data/unimorph and shared/data/sigmorphon imports, and the stored counts
equal the non-blank data lines counted here straight from the bytes. One store for the whole module."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from lexres.errors import FormatError, ParseError
from lexres.importer import import_resource
from lexres.store import Store

REPO = Path(__file__).resolve().parents[3]
SHARED = Path(os.environ.get("LEXRES_SHARED_DATA", REPO.parent / "shared" / "data"))  # as in conftest

pytestmark = pytest.mark.shared

# Files that really contain malformed lines (shared/data/README.md): imported with on_error="skip".
MALFORMED = {"unimorph/ckb/arab/ckb-arab.tsv", "unimorph/ckb/latn/ckb-latn.tsv",
             "unimorph/ckb/arab/ckb-arab.train", "unimorph/ckb/latn/ckb-latn.train"}
NOT_MORPH = {"unimorph/amh/amh.gloss"}  # lemma + English gloss: a lexicon, refused as morphology
CONTEXT = "unimorph/ckb/ckb-context-complete.tsv"  # comma-separated; its header row sits mid-file
BIG = "unimorph/gle/gle"
NAMES_2017 = {"quechua": "que", "haida": "hai", "scottish-gaelic": "gla"}


def _files() -> list[str]:
    out = []
    for top in ("unimorph", "sigmorphon"):
        root = SHARED / top
        if root.is_dir():
            out += sorted(str(p.relative_to(SHARED)) for p in root.rglob("*")
                          if p.is_file() and p.suffix != ".md")
    return out


FILES = _files()


def lang_of(rel: str) -> str:
    parts = Path(rel).parts
    name = parts[-1]
    if parts[0] == "unimorph":
        if parts[1] == "ckb":
            return "ckb-Latn" if "latn" in parts else "ckb-Arab"
        return parts[1]
    if "conll2017" in parts:
        return next(code for prefix, code in NAMES_2017.items() if name.startswith(prefix + "-"))
    return re.match(r"[a-z]{3}", name).group()


def data_lines(path: Path) -> list[bytes]:
    """Non-blank lines, split on LF only (no str.splitlines: it also splits on U+2028 and friends)."""
    return [ln for ln in path.read_bytes().split(b"\n") if ln.strip()]


@pytest.fixture(scope="module")
def real_store(shared_data, tmp_path_factory):
    with Store.open(tmp_path_factory.mktemp("morph-real") / "store.db") as s:
        yield s


def _import(store, rel, **kw):
    return import_resource(store, "morph", [SHARED / rel], lang=lang_of(rel), name=rel, **kw)


@pytest.mark.parametrize("rel", [f for f in FILES if f not in MALFORMED | NOT_MORPH | {BIG}])
def test_file_imports_whole(real_store, rel, tmp_path):
    r = _import(real_store, rel)
    expected = len(data_lines(SHARED / rel))
    if rel == CONTEXT:
        header = sum(1 for ln in data_lines(SHARED / rel) if ln.startswith(b"Lemma,Form,"))
        assert header == 1
        expected -= header
    assert r.status == "imported" and r.n_rejected == 0
    assert r.n_stored == r.n_read == expected
    stored = real_store.conn.execute("SELECT COUNT(*) FROM morph WHERE resource_id = ?",
                                     (r.resource_id,)).fetchone()[0]
    assert stored == expected


@pytest.mark.parametrize("rel", sorted(MALFORMED))
def test_malformed_files_fail_then_skip(real_store, rel, tmp_path):
    lines = data_lines(SHARED / rel)
    # the malformed lines are those that do not have exactly 3 TAB-separated fields
    bad = [i for i, ln in enumerate((SHARED / rel).read_bytes().split(b"\n"), 1)
           if ln.strip() and ln.rstrip(b"\r").count(b"\t") != 2]
    assert bad
    before = real_store.conn.execute("SELECT COUNT(*) FROM morph").fetchone()[0]
    with pytest.raises(ParseError) as err:
        _import(real_store, rel)
    assert str(err.value).startswith(f"{SHARED / rel}:{bad[0]}:")
    assert real_store.conn.execute("SELECT COUNT(*) FROM morph").fetchone()[0] == before

    rj = tmp_path / "rejects.tsv"
    r = _import(real_store, rel, on_error="skip", rejects_path=rj)
    assert r.n_read == len(lines) == r.n_stored + r.n_rejected
    assert r.n_rejected == len(bad)
    assert [int(row.split("\t")[1]) for row in rj.read_text(encoding="utf-8").splitlines()[1:]] == bad


def test_gloss_file_is_refused_as_morphology(real_store):
    with pytest.raises(FormatError):
        _import(real_store, "unimorph/amh/amh.gloss")


@pytest.mark.slow
def test_big_irish_table(real_store):
    r = _import(real_store, BIG)
    raw = (SHARED / BIG).read_bytes().split(b"\n")
    assert r.n_stored == len([ln for ln in raw if ln.strip()])
    assert r.n_stored == len([ln for ln in raw if ln.count(b"\t") == 2])
    # multi-word forms survive whole: every file line with this form is stored as it is written
    form = "na ngreadóg"
    want = sorted(tuple(ln.decode("utf-8").split("\t")[::2]) for ln in raw
                  if ln.count(b"\t") == 2 and ln.split(b"\t")[1].decode("utf-8") == form)
    got = real_store.conn.execute("SELECT lemma, features FROM morph WHERE resource_id = ? AND form = ?",
                                  (r.resource_id, form)).fetchall()
    assert want and sorted(tuple(x) for x in got) == want


def test_2023_and_2017_layouts_are_detected(real_store):
    for rel, scheme in (("sigmorphon/2023/part1/data/nav.trn", "lemma-features-form"),
                        ("sigmorphon/2023/part1/data/nav.covered.tst", "lemma-features"),
                        ("sigmorphon/conll2017/all/task1/haida-covered-test", "lemma-features"),
                        ("sigmorphon/2022/part1/development_languages/evn.dev", "lemma-form-features")):
        res = next(r for r in real_store.resources("morph") if r.name == rel)
        assert res.scheme == scheme, rel
    # the 2023 form column is really the form: its first line's third field is stored as the form
    first = (SHARED / "sigmorphon/2023/part1/data/nav.trn").read_text(encoding="utf-8").split("\n")[0]
    lemma, feats, form = first.split("\t")
    got = real_store.conn.execute("SELECT form, features FROM morph WHERE lemma = ? AND line = 1 AND "
                                  "resource_id = (SELECT id FROM resources WHERE name = ?)",
                                  (lemma, "sigmorphon/2023/part1/data/nav.trn")).fetchone()
    assert tuple(got) == (form, feats)
