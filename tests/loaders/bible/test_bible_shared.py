"""Every Bible file of ../shared/data/bible imports; verse counts match counts taken from the raw files
with independent regexes; known verses read right with notes left out; the English files in five formats
align with each other and with the CES files, with coverage counts that add up."""
from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from lexres.importer import import_resource
from lexres.store import Store
from lexres.store.bible import align

TAG = re.compile(r"<[^>]+>")


def _has_text(fragment: str, drop: str = "") -> bool:
    if drop:
        fragment = re.sub(drop, "", fragment, flags=re.S)
    return bool(TAG.sub("", fragment).strip())


def count_ces(text: str) -> int:
    return sum(1 for m in re.finditer(r"<seg\b[^>]*?(?:/>|>(.*?)</seg>)", text, re.S) if m.group(1)
               and m.group(1).strip())


def count_usfm(text: str) -> int:
    return len(re.findall(r"\\v \d", text))


def count_usx(text: str) -> int:
    return len(re.findall(r"<verse number=", text))


def count_osis_container(text: str) -> int:
    return sum(_has_text(m.group(1), r"<note.*?</note>") for m in
               re.finditer(r"<verse osisID=['\"][^'\"]+['\"]>(.*?)</verse>", text, re.S))


def count_osis_milestones(text: str) -> int:
    return sum(_has_text(m.group(2), r"<note.*?</note>|<title.*?</title>") for m in
               re.finditer(r'<verse sID="([^"]+)"[^>]*/>(.*?)<verse eID="\1"\s*/>', text, re.S))


def count_zefania(text: str) -> int:
    return sum(_has_text(m.group(1), r"<NOTE.*?</NOTE>") for m in
               re.finditer(r"<VERS\b[^>]*>(.*?)</VERS>", text, re.S))


def count_usfx(text: str) -> int:
    return sum(_has_text(m.group(1), r"<f>.*?</f>|<x>.*?</x>") for m in
               re.finditer(r"<v id=\"[^\"]+\"/>(.*?)<ve/>", text, re.S))


def count_lines(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip())


B = "bible/"
SOURCES = {  # resource name -> (files, lang, independent counter)
    **{f"ces-{n}": ([f"{B}christos-c/bibles/{n}.xml"], None, count_ces) for n in
       ("Swahili-NT", "Zulu-NT", "Wolof-NT", "Cherokee-NT", "Quichua-NT", "Basque-NT", "Ukranian-NT",
        "Gaelic-PART")},
    "vline-bsb": ([f"{B}clear-bible-vref/data/legacy/vline/eng/eng_nt_BSB.txt"], "eng", count_lines),
    "vline-rus": ([f"{B}clear-bible-vref/data/legacy/vline/rus/org_nt_RUSSYN.txt"], "rus", count_lines),
    "usfm-bsb": ([f"{B}bsb-usfm/results/{b}.usfm" for b in ("RUT", "JON", "MRK", "JHN", "3JN")], "eng",
                 count_usfm),
    "sfm-web": ([f"{B}paratext-usx-samples/WEB-PT/{n}JNengWEB14.SFM" for n in (631, 642, 653)], None,
                count_usfm),
    "sfm-vbl": ([f"{B}paratext-usx-samples/VBL-PT/{n}JNspavbl.SFM" for n in (631, 642, 653)], None,
                count_usfm),
    "usx-web": ([f"{B}paratext-usx-samples/WEB-DBL/release/USX_1/{b}.usx" for b in ("1JN", "2JN", "3JN")],
                None, count_usx),
    "osis-swa": ([f"{B}open-bibles/swa-swahili.osis.xml"], "swh", count_osis_container),
    "osis-oeb": ([f"{B}open-bibles/eng-us-oeb.osis.xml"], "eng", count_osis_milestones),
    "zefania-ylt": ([f"{B}open-bibles/eng-ylt.zefania.xml"], None, count_zefania),
    "usfx-chr": ([f"{B}open-bibles/chr-cherokee.usfx.xml"], "chr", count_usfx),
}
FORMATS = {"ces": "ces", "vline": "vline", "usfm": "usfm", "sfm": "usfm", "usx": "usx", "osis": "osis",
           "zefania": "zefania", "usfx": "usfx"}


@pytest.fixture(scope="session")
def real(shared_data, tmp_path_factory):
    """One store holding every Bible of the shared data: name -> (ImportResult, list of paths)."""
    with Store.open(tmp_path_factory.mktemp("bible-real") / "store.db") as store:
        out = {}
        for name, (files, lang, _) in SOURCES.items():
            paths = [shared_data / f for f in files]
            out[name] = (import_resource(store, "bible", paths, lang=lang, name=name), paths)
        yield store, out


def test_every_bible_file_is_covered(shared_data):
    """Guards the list above: every Bible text file in the shared data is imported by these tests."""
    not_bibles = {"Settings.xml", "BookNames.xml", "metadata.xml", "license.xml"}
    on_disk = set()
    for p in (shared_data / "bible").rglob("*"):
        rel = p.relative_to(shared_data).as_posix()
        if p.suffix.lower() in (".xml", ".usfm", ".sfm", ".usx") and p.name not in not_bibles:
            on_disk.add(rel)
        elif p.suffix == ".txt" and "vline" in p.parts:
            on_disk.add(rel)
    assert on_disk == {f for files, _, _ in SOURCES.values() for f in files}


@pytest.mark.parametrize("name", list(SOURCES))
def test_counts_match_the_raw_files(real, name):
    store, results = real
    res, paths = results[name]
    counter = SOURCES[name][2]
    expected = sum(counter(p.read_text(encoding="utf-8-sig")) for p in paths)
    assert res.format == FORMATS[name.split("-")[0]]
    assert res.n_rejected == 0 and res.n_stored == res.n_read == expected
    assert store.entry_count(res.resource_id, "bible") == expected


def test_languages_and_schemes_come_from_the_files(real):
    store, results = real
    langs = {name: results[name][0].lang for name in ("ces-Swahili-NT", "ces-Gaelic-PART", "ces-Basque-NT",
                                                      "zefania-ylt", "sfm-web", "sfm-vbl", "usx-web")}
    # Swahili-NT.xml's own header says `ssw`; the corpus metadata.csv (swh) is preferred
    assert langs == {"ces-Swahili-NT": "swh", "ces-Gaelic-PART": "gla", "ces-Basque-NT": "eus",
                     "zefania-ylt": "eng", "sfm-web": "eng", "sfm-vbl": "spa", "usx-web": "eng"}
    sfm = store.resource(results["sfm-vbl"][0].resource_id)
    assert sfm.scheme == "eng" and not any("assumed" in n for n in sfm.notes)  # Settings.xml: Versification 4
    rus = store.resource(results["vline-rus"][0].resource_id)
    assert rus.scheme == "org"  # org_nt_RUSSYN.txt: the eBible file name states the scheme


def _verse(store, results, name, ref):
    rid = results[name][0].resource_id
    rows = store.query("SELECT text FROM verses WHERE resource_id = ? AND ref = ?", (rid, ref))
    assert len(rows) == 1, f"{name} {ref}"
    return rows[0][0]


def _raw_seg(path: Path, ident: str) -> str:
    m = re.search(rf'<seg id="{re.escape(ident)}"[^>]*>(.*?)</seg>', path.read_text(encoding="utf-8"), re.S)
    return " ".join(m.group(1).split()).replace("&quot;", '"')


@pytest.mark.parametrize("name,ident,ref", [("ces-Gaelic-PART", "b.MAR.1.1", "MRK 1:1"),
                                            ("ces-Swahili-NT", "b.JOH.3.16", "JHN 3:16"),
                                            ("ces-Cherokee-NT", "b.1JO.1.1", "1JN 1:1"),
                                            ("ces-Ukranian-NT", "b.PHI.4.13", "PHP 4:13")])
def test_ces_text_and_book_codes(real, name, ident, ref):
    store, results = real
    assert _verse(store, results, name, ref) == _raw_seg(results[name][1][0], ident)


def test_usfm_footnotes_crossrefs_and_headings_are_left_out(real):
    store, results = real
    mrk1 = "This is the beginning of the gospel of Jesus Christ, the Son of God."
    mrk2 = ("As it is written in Isaiah the prophet: “Behold, I will send My messenger ahead of You, "
            "who will prepare Your way.”")
    jn3 = "Esta carta viene de parte del anciano a Gayo, mi querido amigo, a quien amo en la verdad."
    assert _verse(store, results, "usfm-bsb", "MRK 1:1") == mrk1
    assert _verse(store, results, "usfm-bsb", "MRK 1:2") == mrk2
    assert _verse(store, results, "sfm-vbl", "3JN 1:1") == jn3
    joined = " ".join(r[0] for r in store.query("SELECT text FROM verses WHERE resource_id = ?",
                                                (results["usfm-bsb"][0].resource_id,)))
    for marker in ("\\", "|ref=", "BYZ and TR", "The Mission of John the Baptist"):
        assert marker not in joined


def test_usx_and_paratext_sfm_of_the_same_bible_read_the_same(real):
    store, results = real

    def texts(name):
        rid = results[name][0].resource_id
        return dict(store.query("SELECT ref, text FROM verses WHERE resource_id = ?", (rid,)))

    usx, sfm = texts("usx-web"), texts("sfm-web")
    assert usx == sfm and len(usx) == results["usx-web"][0].n_stored


def test_osis_and_zefania_notes_are_left_out(real):
    store, results = real
    ruth = _verse(store, results, "osis-oeb", "RUT 1:20")
    assert ruth.startswith("“Do not call me Naomi,” she said to them, “call me Mara, for the Almighty")
    assert "In Hebrew" not in ruth
    matt = _verse(store, results, "zefania-ylt", "MAT 5:17")
    assert matt.startswith("'Do not suppose that I came to throw out the law") and "abolish" not in matt
    assert _verse(store, results, "osis-swa", "MAT 1:1").startswith("Yesu Kristo alikuwa mzawa wa Daudi")


ENGLISH = ["vline-bsb", "usfm-bsb", "usx-web", "osis-oeb", "zefania-ylt"]
CES = ["ces-Swahili-NT", "ces-Gaelic-PART"]


def _refs(store, rid) -> set[str]:
    return {r[0] for r in store.query("SELECT ref FROM verses WHERE resource_id = ?", (rid,))}


@pytest.mark.parametrize("a,b", list(itertools.combinations(ENGLISH + CES, 2)))
def test_alignment_coverage_adds_up(real, a, b):
    store, results = real
    ra, rb = results[a][0].resource_id, results[b][0].resource_id
    refs_a, refs_b = _refs(store, ra), _refs(store, rb)
    result = align(store, ra, rb)
    s = result.summary()
    assert s["pairs"] == len(refs_a & refs_b)
    assert (s["a"]["verses"], s["b"]["verses"]) == (len(refs_a), len(refs_b))
    assert (s["a"]["only"], s["b"]["only"]) == (len(refs_a - refs_b), len(refs_b - refs_a))
    assert s["a"]["partial"] == s["b"]["partial"] == s["range_pairs"] == 0
    assert [p[0] for p in result.pairs] == [p[1] for p in result.pairs]  # same numbering on both sides


def test_bsb_in_two_formats_pairs_the_same_gospel_text(real):
    store, results = real
    pairs = align(store, results["usfm-bsb"][0].resource_id, results["ces-Gaelic-PART"][0].resource_id).pairs
    assert {p[0].split()[0] for p in pairs} == {"MRK"}
    first = pairs[0]
    assert first[0] == "MRK 1:1" and first[3].startswith("This is the beginning")
    assert first[4].startswith("T oiseachd")


def test_packaged_vref_list_is_the_shared_one(shared_data):
    from lexres.versification import standard_vref

    raw = (shared_data / B / "clear-bible-vref/data/vref/org_vref.txt").read_text(encoding="utf-8").split()
    refs = [f"{b} {c}:{v}" for b, c, v in standard_vref()]
    assert refs == [f"{raw[i]} {raw[i + 1]}" for i in range(0, len(raw), 2)]


@pytest.mark.parametrize("scheme", ["eng", "vul", "lxx", "rsc", "rso"])
def test_packaged_versification_matches_the_json(shared_data, scheme):
    """Every equal-length, letter-free range of mappedVerses, expanded here independently."""
    import json

    from lexres.versification import to_org

    data = json.loads((shared_data / B / "versification" / f"{scheme}.json").read_text(encoding="utf-8"))
    table = to_org(scheme)
    pat = re.compile(r"^(\w{3}) (\d+):(\d+)(?:-(\d+))?$")
    checked = 0
    for src, dst in data["mappedVerses"].items():
        a, b = pat.match(src), pat.match(dst)
        if not (a and b):
            continue
        a_first, a_last = int(a[3]), int(a[4] or a[3])
        b_first, b_last = int(b[3]), int(b[4] or b[3])
        if a_last - a_first != b_last - b_first or a[1] not in ("GEN", "EXO", "PSA", "MAL", "JOL", "ROM"):
            continue
        for k in range(a_last - a_first + 1):
            assert (b[1], int(b[2]), b_first + k) in table[(a[1], int(a[2]), a_first + k)], (src, dst)
            checked += 1
    assert checked > 20
