"""What a property fuzz of the user-input parsers found: every bad input is a LexresError (one line, exit 2),
never a ValueError, TypeError, IndexError, csv.Error or OverflowError, and never a value of the wrong type.
Numbers too long for int() (over 4,300 digits) or for an SQLite integer, TOML catalogue values of the wrong
type, CSV fields over the csv module's limit, and malformed CSV quoting."""
from __future__ import annotations

import pytest

from lexres.catalog import read_catalog
from lexres.cli.common import resource_id
from lexres.errors import LexresError, NotFoundError, OptionError, ParseError
from lexres.refs import parse_verse_ref

HUGE = "9" * 5000  # int() refuses strings of more than 4,300 digits


@pytest.mark.parametrize("text", [f"JHN 3:{HUGE}", f"JHN {HUGE}:1", f"JHN{HUGE}:1", f"JHN 3:1-{HUGE}",
                                  f"JHN 3:1-3:{HUGE}", f"Jude {HUGE}", f"JHN 3:{'0' * 5000}1"])
def test_a_reference_with_a_huge_number_is_an_option_error(text):
    with pytest.raises(OptionError, match="not a verse"):
        parse_verse_ref(text)


def test_ordinary_references_still_parse():
    assert parse_verse_ref("JHN 3:16-18").ref == "JHN 3:16-18"
    assert parse_verse_ref("Jude 3").ref == "JUD 1:3"
    assert parse_verse_ref("JHN 003:016").ref == "JHN 3:16"


@pytest.mark.parametrize("value", [HUGE, "#" + HUGE, "99999999999999999999", "#9223372036854775808"])
def test_a_resource_id_beyond_any_store_is_not_found(value):
    with pytest.raises(NotFoundError, match="no resource"):
        resource_id(value)


def test_a_resource_id_beyond_any_store_is_one_line_in_the_cli(cli):
    for args in (("show", "99999999999999999999"), ("remove", "#99999999999999999999"),
                 ("export", "x.tsv", "--resource", "99999999999999999999")):
        r = cli(*args)
        assert r.exit_code == 2, (args, r.stderr)
        assert "Traceback" not in r.stderr and "no resource" in r.stderr, (args, r.stderr)


@pytest.mark.parametrize("toml", [
    "resource = [1, 2]",
    "resource = [[1]]",
    "resource = [{path=[1]}]",
    "resource = [{path=['a', ['b']]}]",
    "resource = [{path={a=1}}]",
    "resource = [{path='a', languages=[1, 2]}]",
    "resource = [{path='a', languages=['swh', 3]}]",
    "resource = [{path='a', languages=[[]]}]",
    "resource = [{path='a', lang=['swh']}]",
    "resource = [{path='a', target_lang=true}]",
    "resource = [{path='a', kind={x=1}}]",
])
def test_a_toml_value_of_the_wrong_type_is_a_parse_error(tmp_path, toml):
    cat = tmp_path / "c.toml"
    cat.write_text(toml, encoding="utf-8")
    with pytest.raises(ParseError) as err:
        read_catalog(cat)
    assert str(err.value).startswith(str(cat))


def test_toml_text_values_still_read(tmp_path):
    cat = tmp_path / "c.toml"
    cat.write_text("[[resource]]\npath = ['a.tsv', 'b.tsv']\nlanguages = ['eng', 'swh']\nname = 'x'\n"
                   "[[resource]]\npath = 'c.tsv'\nlang = 'swh'\nlicense = 'CC0'\n", encoding="utf-8")
    a, b = read_catalog(cat)
    assert [p.rsplit("/", 1)[-1] for p in a.paths] == ["a.tsv", "b.tsv"]
    assert (a.lang, a.target_lang, a.name, b.lang, b.license) == ("eng", "swh", "x", "swh", "CC0")


@pytest.mark.parametrize("csv", ["path\n" + "x" * 200_000, 'path\n"' + "x" * 140_000 + '"',
                                 'path,kind\n"a"b",morph', 'path\n"abc', "path,path\na,b"])
def test_a_bad_csv_catalogue_is_a_located_parse_error(tmp_path, csv):
    cat = tmp_path / "c.csv"
    cat.write_text(csv, encoding="utf-8")
    with pytest.raises(ParseError) as err:
        read_catalog(cat)
    assert str(err.value).startswith(f"{cat}:"), str(err.value)
    assert isinstance(err.value, LexresError)


def test_a_long_features_filter_is_read_in_linear_time():
    import time

    from lexres.paradigm import parse_filter

    started = time.perf_counter()  # 32,000 terms (128 kB, one argv string): 18 s with the quadratic split
    assert parse_filter(["PST" + ",PST" * 32_000]).tags == ("PST",)
    assert time.perf_counter() - started < 6


def test_features_terms_split_outside_parentheses_only():
    from lexres.paradigm import parse_filter

    assert parse_filter(["PST;3", "NOM(3,SG)"]).tags == ("PST", "3", "NOM(3,SG)")
    with pytest.raises(OptionError):
        parse_filter(["NOM(3,SG"])
