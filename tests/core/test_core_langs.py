"""Language codes: validation, 639-1/2 -> 639-3, macrolanguages, retired and private-use codes, varieties."""

import pytest

from lexres.errors import LanguageError, LexresError
from lexres.langs import resolve


def test_iso639_1_maps_to_macrolanguage_with_its_individuals():
    sw = resolve("sw")
    assert (sw.code, sw.scope) == ("swa", "macrolanguage")
    assert "swh" in sw.individuals and "swc" in sw.individuals
    assert "individual languages" in sw.describe()


def test_individual_language_knows_its_macrolanguage():
    swh = resolve("swh")
    assert swh.scope == "individual" and swh.macrolanguage == "swa"
    assert swh.family == ("swh", "swa")


def test_family_is_macrolanguages_both_ways():
    """The one rule of lookups by language: an individual language searches its macrolanguage too, a
    macrolanguage its individual languages too; sibling members never serve each other."""
    assert resolve("sw").family == resolve("swa").family == ("swa", "swc", "swh")
    assert resolve("swc").family == ("swc", "swa")
    assert "swh" not in resolve("swc").family
    zh = resolve("zh").family
    assert zh[0] == "zho" and {"cmn", "yue"} <= set(zh)
    assert resolve("ar").family[0] == "ara" and "arb" in resolve("ar").family
    assert resolve("eng").family == ("eng",)  # neither a macrolanguage nor a member


def test_found_under_says_how_a_code_relates_to_the_query():
    from lexres.langs import found_under

    (member,) = found_under("swa", ["swh", "eng", "swa"])  # eng is outside the family, swa is its own code
    assert (member.query, member.code, member.filed, member.relation) == ("swa", "swa", "swh", "member")
    assert member.note == "swa: found under swh (a member of the macrolanguage swa)"
    assert found_under("sw", ["swh"])[0].note == "sw: found under swh (a member of the macrolanguage swa)"
    (macro,) = found_under("swh", ["swa"])
    assert macro.note == "swh: found under swa (the macrolanguage of swh)"
    assert macro.relation == "macrolanguage"
    assert macro.to_dict()["note"] == macro.note
    assert found_under("swh", ["swh"]) == () and found_under("swc", ["swh"]) == ()


def test_iso639_2b_code_maps_to_639_3():
    assert resolve("ger").code == "deu"
    assert resolve("en").code == "eng"


@pytest.mark.parametrize(
    "tag,code,variety,script",
    [
        ("ckb-Arab", "ckb", "ckb-Arab", "Arab"),
        ("ckb-latn", "ckb", "ckb-Latn", "Latn"),
        ("sw-KE", "swa", "swa-KE", None),
    ],
)
def test_bcp47_subtags_are_kept_as_the_variety(tag, code, variety, script):
    lang = resolve(tag)
    assert (lang.code, lang.tag, lang.script) == (code, variety, script)


def test_retired_code_is_refused_with_its_replacement():
    with pytest.raises(LanguageError) as err:
        resolve("mol")
    assert "retired" in str(err.value) and "ron" in str(err.value)
    assert isinstance(err.value, ValueError) and isinstance(err.value, LexresError)


@pytest.mark.parametrize("code", ["qaa", "qtz", "qaa-x-spec"])
def test_private_use_codes_are_accepted_and_marked(code):
    lang = resolve(code)
    assert lang.private_use and lang.code == code[:3]


@pytest.mark.parametrize("code", ["xx", "zzzz", "", "q1a", "qua-"])
def test_invalid_codes_are_refused(code):
    # "qua-" is a real code with an empty trailing subtag: a malformed BCP-47 tag, refused like the others
    with pytest.raises(LanguageError):
        resolve(code)
