"""Feature bundles: parsing (flat and layered), schema checks, canonical order, malformed bundles."""
from __future__ import annotations

import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

from lexres import features as F
from lexres.errors import ParseError
from lexres.loaders.morph.common import canonical, parse_features

REPO = Path(__file__).resolve().parents[3]


def test_flat_bundle_is_a_tuple_of_tags():
    assert parse_features("N;GEN;PL") == ("N", "GEN", "PL")
    assert parse_features("V.PTCP;PST") == ("V.PTCP", "PST")


def test_layered_tags_stay_one_feature_and_are_structured():
    assert parse_features("V;IND;NOM(1,SG)") == ("V", "IND", "NOM(1,SG)")
    assert parse_features("N;NOM(PL;PSS(1,PL))") == ("N", "NOM(PL;PSS(1,PL))")
    tags = F.parse_tags("N;NOM(PL;PSS(1,PL))")
    nom = tags[1]
    assert nom.name == "NOM" and nom.sep == ";"
    assert [a.name for a in nom.args] == ["PL", "PSS"]
    assert [a.name for a in nom.args[1].args] == ["1", "PL"] and nom.args[1].sep == ","
    assert nom.atoms() == ("NOM", "PL", "PSS", "1", "PL")


def test_canonical_order_puts_pos_first_then_schema_dimension_order():
    sch = F.schema()
    assert sch.dimensions[0] == "Part of Speech"
    out = canonical("SG;PST;3;V")
    assert out[0] == "V"
    ranks = [sch.dimensions.index(sch.dimension(t)) for t in out]
    assert ranks == sorted(ranks)
    # order of the input does not matter, and canonical is idempotent
    assert canonical(("PST", "V", "SG", "3")) == out == canonical(out)


def test_canonical_orders_inside_layers_and_keeps_the_separator():
    assert canonical("N;GEN(DEF;SG)") == canonical("GEN(SG;DEF);N")
    inner = canonical("V;ERG(DU,1,EXCL)")[1]
    assert inner.startswith("ERG(") and "," in inner and ";" not in inner
    assert sorted(inner[4:-1].split(",")) == ["1", "DU", "EXCL"]


def test_language_specific_tags_are_unknown_but_ordered():
    b = F.analyze("BANTU3;N;LGSPEC1;SG")
    assert set(b.unknown) == {"BANTU3", "LGSPEC1"}
    assert b.canonical[0] == "N" and b.canonical[-1] == "LGSPEC1"
    assert F.analyze("V;PST+RMT;DU/PL").unknown == ()


@pytest.mark.parametrize("text, why", [
    ("N;GEN(SG;DEF", "unbalanced"),
    ("N;SG)", "unbalanced"),
    ("N;;PL", "empty tag"),
    ("", "no features"),
    ("N;LGSPEC1بڕیار", "is not a tag"),
    ("N,PL", "outside parentheses"),
    ("V;PRS;IND;X;PRS;IND", "occur twice"),
])
def test_malformed_bundles_raise_parse_errors(text, why):
    with pytest.raises(ParseError, match=why):
        parse_features(text)


def test_single_repeated_tags_are_legitimate():
    # Quechua 2017 data repeats a possessor tag; only a repeated *run* means glued records
    assert parse_features("N;PSS3S;BEN;PSS3S;SG") == ("N", "PSS3S", "BEN", "PSS3S", "SG")


def test_spaces_and_a_trailing_separator_are_tidied():
    b = F.analyze("ADP + PRO;LGSPEC6")
    assert b.given == ("ADP+PRO", "LGSPEC6") and b.tidied
    b = F.analyze("V;SG;")
    assert b.given == ("V", "SG") and b.tidied
    assert not F.analyze("V;SG").tidied


def test_looks_like_bundle_separates_features_from_words():
    assert F.looks_like_bundle("V;IND;PST;3;SG")
    assert F.looks_like_bundle("N;NOM(PL;PSS(1,PL))")
    assert not F.looks_like_bundle("kitabu")
    assert not F.looks_like_bundle("rich,wealthy")
    assert not F.looks_like_bundle("")


def test_schema_file_rebuilds_from_the_published_inventory(shared_data, tmp_path):
    src = shared_data / "unimorph-schema" / "tags.yaml"
    out = subprocess.run([sys.executable, str(REPO / "scripts/build_unimorph_schema.py"), str(src)],
                         capture_output=True, text=True, check=True).stdout
    shipped = files("lexres.loaders").joinpath("data/unimorph_schema.tsv").read_text(encoding="utf-8")
    assert out == shipped
    # every value listed under `categories:` is in the data file (counted from the YAML independently)
    import yaml

    # BaseLoader keeps every scalar a string (YAML 1.1 would turn the Case tag `ON` into True)
    cats = yaml.load(src.read_text(encoding="utf-8-sig"), Loader=yaml.BaseLoader)["categories"]
    assert len(shipped.splitlines()) - 1 == sum(len(v) for v in cats.values())
    assert {t for v in cats.values() for t in v} == set(F.schema().tags)
    assert F.schema().dimension("ON") == "Case"
