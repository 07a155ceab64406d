"""`lexres report`: a static site with a page per language, figures as PNG with their JSON, numbers equal to
the
store's; plus the language view it shares with `lexres lang` (macrolanguages both ways, scripts detected)."""

from __future__ import annotations

import json
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lexres.augment.derived import record_derived
from lexres.books import books
from lexres.importer import import_resource
from lexres.provenance import write_manifest
from lexres.store import Store
from lexres.versification import standard_vref

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "sample"
PNG = b"\x89PNG\r\n\x1a\n"

SWH_VREF = "JHN 1:1\nJHN 1:2\nJHN 1:3\nJHN 1:4\nMRK 1:1\n"
SWH_TEXT = (
    "Hapo mwanzo kulikuwako Neno\nHuyo mwanzo alikuwako kwa Mungu\n\nNdani yake ndimo ulimo uzima\n"
    "Mwanzo wa Injili\n"
)


def build(store: Store, fixtures: Path, tmp: Path) -> dict[str, int]:
    """A small store: Swahili morphology, Bible and lexicons (one filed under the macrolanguage swa), an
    English and a Latin Bible, an Amharic lexicon (Ethiopic script), a CLDF wordlist of several languages and
    a derived text with a score in its manifest."""
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "vref.txt").write_text(SWH_VREF, encoding="utf-8")
    (tmp / "swh.vline.txt").write_text(SWH_TEXT, encoding="utf-8")
    ids = {}

    def add(key, kind, path, **kw):
        ids[key] = import_resource(store, kind, [path], **kw).resource_id

    add(
        "morph",
        "morph",
        SAMPLE / "swh.unimorph.tsv",
        lang="swh",
        name="swh-morph",
        license="CC0",
        format="unimorph",
    )
    add(
        "eng-swh",
        "lexicon",
        SAMPLE / "eng-swh.tsv",
        lang="eng",
        target_lang="swh",
        name="eng-swh",
        license="CC0",
        format="muse",
    )
    add(
        "eng-bible",
        "bible",
        SAMPLE / "eng.vline.txt",
        lang="eng",
        options={"vref": str(SAMPLE / "vref.txt")},
        name="eng-kjv",
        format="vline",
    )
    add("lat-bible", "bible", SAMPLE / "lat.usfm", lang="lat", name="lat-vulgate", format="usfm")
    add(
        "swh-bible",
        "bible",
        tmp / "swh.vline.txt",
        lang="swh",
        options={"vref": str(tmp / "vref.txt")},
        name="swh-bible",
        format="vline",
    )
    add(
        "sw-en",
        "lexicon",
        fixtures / "lexicon" / "sw-en.sample",
        lang="sw",
        target_lang="en",
        name="sw-en",
        format="muse",
    )
    add(
        "am-en",
        "lexicon",
        fixtures / "augment" / "am-en.tsv",
        lang="amh",
        target_lang="eng",
        name="am-en",
        format="muse",
    )
    add("cldf", "lexicon", fixtures / "lexicon" / "cldf-mini" / "cldf-metadata.json", format="cldf")
    text = tmp / "swh.pseudo.txt"
    text.write_text("kitabu kizuri\nmtoto anasoma\n", encoding="utf-8")
    write_manifest(text, "augment pseudo-mono", counts={"evaluation": {"p@1": 0.25}, "lines": 2})
    ids["text"] = record_derived(
        store,
        kind="text",
        format="pseudo-mono",
        output=text,
        lang="swh",
        derived_from=[ids["eng-swh"]],
        n_read=2,
        n_stored=2,
    )
    return ids


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The sample store (built once for the module) and a runner of `lexres` on it."""
    from tests.conftest import FIXTURES, Cli

    root = tmp_path_factory.mktemp("report")
    with Store.open(root / "store.db") as st:
        ids = build(st, FIXTURES, root / "src")
    return Cli(root / "store.db"), ids


@pytest.fixture
def built(made):
    return made[1]


@pytest.fixture
def cli(made):
    return made[0]


@pytest.fixture
def store(made):
    with Store.open(made[0].store_path, readonly=True) as st:
        yield st


@pytest.fixture(scope="module")
def site(made, tmp_path_factory):
    """`lexres report --all` of the sample store, written once for the module."""
    out = tmp_path_factory.mktemp("site") / "site"
    _report(made[0], out, "--all")
    return out


class Page(HTMLParser):
    """Links, images and `data-stat` numbers of one HTML page."""

    def __init__(self, path: Path):
        super().__init__()
        self.links, self.images, self.stats, self.texts = [], [], {}, {}
        self._open: list[str] = []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "img":
            self.images.append(a.get("src"))
        if "data-stat" in a:
            self.stats[a["data-stat"]] = a["data-value"]
            self._open.append(a["data-stat"])
            self.texts[a["data-stat"]] = ""
        elif self._open:
            self._open.append("")

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        for key in self._open:
            if key:
                self.texts[key] += data


def _report(cli, out: Path, *args: str):
    pytest.importorskip("matplotlib", reason="the report extra (matplotlib) is not installed")
    result = cli("report", *args, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    return result


def test_every_language_page_and_figure_is_there(site, built, store):
    out = site
    index = Page(out / "index.html")
    codes = [row["code"] for row in store.languages()]
    assert {"swh", "eng", "lat", "amh", "aey"} <= set(codes)
    for code in codes:
        assert f"{code}.html" in index.links, code
        page = Page(out / f"{code}.html")
        assert "index.html" in page.links
        for src in page.images:
            png = (out / src).read_bytes()
            assert png.startswith(PNG) and len(png) > 1000, src
            data = src[:-4] + ".json"
            assert data in page.links, f"{src} is not linked to its data"
            assert json.loads((out / data).read_text(encoding="utf-8"))
        data = f"data/{code}.json"
        assert data in page.links and json.loads((out / data).read_text(encoding="utf-8"))["code"] == code
    swh = Page(out / "swh.html")
    assert {
        "fig/swh-paradigms.png",
        "fig/swh-dimensions.png",
        "fig/swh-verses.png",
        "fig/swh-lexicons.png",
        f"fig/swh-bible-{built['swh-bible']}.png",
    } <= set(swh.images)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tool"] == "lexres" and manifest["command"] == "report"
    written = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(manifest["outputs"]) == written
    assert f"resource:{built['morph']}" in manifest["inputs"]


def _q(store, sql, *args):
    return store.query(sql, args)[0][0]


def test_numbers_on_the_page_equal_the_store(site, built, store):
    out = site
    page = Page(out / "swh.html")
    fam = ("swh", "swa")
    want = {
        "morph.entries": _q(store, "SELECT COUNT(*) FROM morph WHERE lang IN (?, ?)", *fam),
        "morph.lemmas": _q(store, "SELECT COUNT(DISTINCT lemma) FROM morph WHERE lang IN (?, ?)", *fam),
        "morph.forms": _q(store, "SELECT COUNT(DISTINCT form) FROM morph WHERE lang IN (?, ?)", *fam),
        "morph.bundles": _q(
            store, "SELECT COUNT(DISTINCT features_canon) FROM morph WHERE lang IN (?, ?)", *fam
        ),
        "morph.pos.V.entries": _q(
            store, "SELECT COUNT(*) FROM morph WHERE lang = 'swh' AND features_canon LIKE 'V;%'"
        ),
        "entries.lexicon": _q(
            store, "SELECT COUNT(*) FROM lexicon WHERE src_lang IN (?, ?) OR tgt_lang IN (?, ?)", *fam, *fam
        ),
        "resources.lexicon": 2,
        "resources.text": 1,
    }
    rid = built["swh-bible"]
    verses = _q(store, "SELECT COUNT(*) FROM verses WHERE resource_id = ?", rid)
    assert verses == 4  # the blank line of the vline file is a missing verse, not an empty one
    nt = {b for b, (_, _, testament) in books().items() if testament == "NT"}
    expected = sum(1 for b, _, _ in standard_vref() if b in nt)
    in_books = sum(1 for b, _, _ in standard_vref() if b in ("JHN", "MRK"))
    want.update(
        {
            f"bible.{rid}.verses": verses,
            f"bible.{rid}.covered": 4,
            f"bible.{rid}.expected": expected,
            f"bible.{rid}.missing": in_books - 4,
            f"bible.{rid}.books": 2,
            f"bible.{rid}.absent_books": len(nt) - 2,
        }
    )
    eng_swh = built["eng-swh"]
    want[f"lexicon.{eng_swh}.to.eng.pairs"] = _q(
        store, "SELECT COUNT(*) FROM lexicon WHERE resource_id = ?", eng_swh
    )
    want[f"lexicon.{built['sw-en']}.from.eng.pairs"] = _q(
        store, "SELECT COUNT(*) FROM lexicon WHERE resource_id = ?", built["sw-en"]
    )
    for key, value in want.items():
        assert key in page.stats, key
        assert int(page.stats[key]) == value, key
        assert int(page.texts[key].replace(",", "")) == value, key
    sizes = json.loads((out / "fig" / "swh-paradigms.json").read_text(encoding="utf-8"))["counts"]
    lemmas_with_forms = _q(
        store, "SELECT COUNT(DISTINCT lemma) FROM morph WHERE lang = 'swh' AND form IS NOT NULL"
    )
    assert sum(sizes.values()) == lemmas_with_forms
    index = Page(out / "index.html")
    assert int(index.stats["swh.morph.entries"]) == want["morph.entries"]
    assert int(index.stats["swh.bible.entries"]) == verses
    assert float(page.stats["ready"]) == 1


def test_readiness_derived_data_and_scores(site, built):
    out = site
    rows = {r["code"]: r for r in json.loads((out / "index.json").read_text(encoding="utf-8"))}
    assert rows["swh"]["ready"] and rows["eng"]["ready"]
    assert not rows["lat"]["ready"] and rows["lat"]["readiness"].startswith("Bible only")
    assert not rows["amh"]["ready"]
    data = json.loads((out / "data" / "swh.json").read_text(encoding="utf-8"))
    (derived,) = data["derived"]
    assert derived["resource"]["id"] == built["text"]
    assert [p["id"] for p in derived["parents"]] == [built["eng-swh"]]
    assert derived["scores"]["evaluation.p@1"] == 0.25
    text = (out / "swh.html").read_text(encoding="utf-8")
    assert "evaluation.p@1" in text and "eng-swh" in text


def test_macrolanguage_both_ways_on_pages(site):
    out = site
    swa = (out / "swa.html").read_text(encoding="utf-8")
    assert "filed under individual language swh" in swa and "swh-morph" in swa
    swh = (out / "swh.html").read_text(encoding="utf-8")
    assert "filed under macrolanguage swa" in swh and "sw-en" in swh


def test_a_partial_site_links_no_missing_page(cli, built, tmp_path):
    """`report swh` alone: the page must not link to swa.html, which the site does not have."""
    out = tmp_path / "site"
    _report(cli, out, "swh")
    for html in out.glob("*.html"):
        for link in Page(html).links:
            target = link.split("#")[0]
            assert not target or (out / target).is_file(), f"{html.name} links to missing {link}"
    _report(cli, out, "swh", "swa")
    assert "swa.html" in Page(out / "swh.html").links and "swh.html" in Page(out / "swa.html").links


def test_rerun_replaces_the_site_and_a_foreign_folder_is_refused(cli, built, tmp_path):
    out = tmp_path / "site"
    r = _report(cli, out, "lat")
    assert "wrote 2 pages (1 language: lat) and 2 figures" in r.stdout
    _report(cli, out, "amh")
    assert {p.name for p in out.glob("*.html")} == {"index.html", "amh.html"}
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    r = cli("report", "lat", "--out", str(foreign))
    assert r.exit_code == 2 and "not written by lexres" in r.stderr
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize(
    "args, needle",
    [
        ((), "say which languages"),
        (("swh", "--all"), "not both"),
        (("xx",), "language code"),
        (("fra",), "no resources in the store for fra"),
    ],
)
def test_report_usage_errors_are_one_line(cli, built, tmp_path, args, needle):
    r = cli("report", *args, "--out", str(tmp_path / "site"))
    assert r.exit_code == 2 and needle in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "site").exists()


def test_lang_finds_resources_both_ways_and_says_so(cli, built):
    sw = cli("lang", "sw").stdout
    assert "includes resources filed under its individual language(s): swh" in sw
    assert "swh-morph" in sw and "(filed under individual language swh)" in sw
    swh = cli("lang", "swh").stdout
    assert "sw-en" in swh and "(filed under macrolanguage swa)" in swh
    listed = cli("list", "--lang", "sw").stdout.splitlines()
    assert listed[0].split("\t")[0] == "id"
    names = {line.split("\t")[3] for line in listed[1:]}
    assert {"swh-morph", "swh-bible", "sw-en", "eng-swh"} <= names


def test_lang_counts_a_multi_language_resource_per_language(cli, built, store):
    info = json.loads(cli("lang", "aey", "--json").stdout)
    (res,) = [r for r in info["resources"] if r["id"] == built["cldf"]]
    here = _q(
        store,
        "SELECT COUNT(*) FROM lexicon WHERE resource_id = ? AND (src_lang = 'aey' OR tgt_lang = 'aey')",
        built["cldf"],
    )
    assert res["entries_here"] == here and 0 < here < res["entries"] and len(res["langs"]) > 2
    out = cli("lang", "aey").stdout
    assert f"{here} for aey" in out


def test_lang_detects_the_scripts_of_the_stored_text(cli, built):
    amh = json.loads(cli("lang", "amh", "--json").stdout)
    assert amh["scripts_used"][0]["script"] == "Ethi" and amh["scripts_used"][0]["share"] == 1.0
    swh = json.loads(cli("lang", "swh", "--json").stdout)
    assert [s["script"] for s in swh["scripts_used"]] == ["Latn"]
    assert "Ethiopic (Ethi) 100.0%" in cli("lang", "amh").stdout


def test_script_counts_ignore_digits_punctuation_and_marks():
    from lexres.store.report import script_counts

    got = script_counts(["ሰላም 123, world!", "ж\u0301"])
    assert {s.script: s.chars for s in got} == {"Ethi": 3, "Latn": 5, "Cyrl": 1}
    assert abs(sum(s.share for s in got) - 1.0) < 1e-9


@pytest.mark.shared
def test_report_on_real_data(shared_data, tmp_path):
    """Swahili NT (CES), the Wiktionary sw-en lexicon and Irish UniMorph: the whole site, timed (not
    asserted)."""
    from tests.conftest import Cli

    cli = Cli(tmp_path / "real.db")
    store = Store.open(tmp_path / "real.db")
    import_resource(
        store,
        "bible",
        [shared_data / "bible/christos-c/bibles/Swahili-NT.xml"],
        lang="swh",
        license="CC0-1.0",
    )
    import_resource(
        store,
        "lexicon",
        [shared_data / "lexicons/muse-style/wiktionary_bli/final/sw-en.all"],
        lang="swh",
        target_lang="eng",
        format="muse",
    )
    import_resource(store, "morph", [shared_data / "unimorph/gle/gle"], lang="gle", license="CC-BY-SA-3.0")
    out = tmp_path / "site"
    started = time.perf_counter()
    _report(cli, out, "--all")
    print(f"report --all on real data: {time.perf_counter() - started:.1f} s")
    page = Page(out / "swh.html")
    (bible,) = [k for k in page.stats if k.startswith("bible.") and k.endswith(".verses")]
    data = json.loads((out / "data" / "swh.json").read_text(encoding="utf-8"))["bibles"][0]
    assert int(page.stats[bible]) == data["verses"] > 7800
    assert data["testaments"] == ["NT"] and data["expected"] == 7957  # the org NT
    assert (
        data["covered"]
        + len(data["missing"])
        + sum(c["expected"] for c in data["chapters"] if c["book"] in data["absent_books"])
        == data["expected"]
    )
    assert int(Page(out / "gle.html").stats["morph.entries"]) == 107_298
    store.close()


@pytest.mark.shared
def test_one_verse_outside_the_verse_list_is_singular(shared_data, tmp_path):
    """The Swahili OSIS NT has one verse (ACT 19:41) that the org verse list lacks: `1 verse ... is`."""
    from tests.conftest import Cli

    with Store.open(tmp_path / "osis.db") as store:
        import_resource(store, "bible", [shared_data / "bible/open-bibles/swa-swahili.osis.xml"], lang="swa")
    out = tmp_path / "site"
    _report(Cli(tmp_path / "osis.db"), out, "swa")
    text = " ".join((out / "swa.html").read_text(encoding="utf-8").split())
    assert "</span> verse of #1 is not in the standard verse list" in text
    assert "1</span> verses" not in text

def test_lexicon_coverage_of_the_bible_text_equals_the_lexicon_query(site, built, store):
    from lexres.store.bible import verses
    from lexres.store.lexicon import coverage

    text = [v.text for v in verses(store, built["swh-bible"])]
    want = coverage(store, "swh", "eng", text, fold_case=True, resources=[built["eng-swh"], built["sw-en"]])
    assert 0 < want.tokens_covered < want.tokens
    for code in ("swh", "swa"):  # the macrolanguage's page uses the same Bible and lexicons
        page = Page(site / f"{code}.html")
        assert float(page.stats["coverage.eng.token_share"]) == round(want.token_share, 6), code
        assert float(page.stats["coverage.eng.type_share"]) == round(want.type_share, 6), code


def test_a_report_run_tokenises_each_bible_once_with_the_same_numbers(built, store, monkeypatch):
    from lexres.export.report.collect import CoverageCache, language_report
    from lexres.store import report as queries

    alone = {code: language_report(store, code).coverage for code in ("swh", "swa")}
    read = []
    real = queries.bible_tokens
    monkeypatch.setattr(queries, "bible_tokens", lambda s, rid: read.append(rid) or real(s, rid))
    cache = CoverageCache()
    shared = {code: language_report(store, code, cache=cache).coverage for code in ("swh", "swa")}
    assert read == [built["swh-bible"]]  # two pages, one Bible, read and tokenised once
    assert shared == alone and shared["swh"] and shared["swh"][0].coverage.tokens > 0


def test_without_matplotlib_the_report_names_its_extra(cli, built, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` now raises ImportError
    r = cli("report", "swh", "--out", str(tmp_path / "site"))
    assert r.exit_code == 2 and "lexres[report]" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "site").exists()
