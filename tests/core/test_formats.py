"""The reader catalogue: declared, typed options checked before anything is read; an explicit format wins."""

from __future__ import annotations

import json

import pytest

from lexres import formats
from lexres.errors import FormatError, OptionError
from lexres.importer import import_resource

PAIRS = "maji\twater\nmoto\tfire\n"


def test_catalogue_lists_every_reader_with_callable_functions():
    names = {(r.kind, r.name) for r in formats.readers()}
    assert {("morph", "unimorph"), ("bible", "usfm"), ("lexicon", "tei"), ("lexicon", "cldf")} <= names
    for r in formats.readers():
        assert callable(r.read), r.name
        assert r.sniff is None or callable(r.sniff), r.name
        for o in r.options:
            assert o.type in formats.OPTION_TYPES and o.help, (r.name, o.name)
            if o.type == "choice":
                assert o.choices and (o.default is None or o.default in o.choices), (r.name, o.name)


def test_a_misspelt_option_is_refused_with_the_known_ones(store, tmp_path):
    src = tmp_path / "words.tsv"
    src.write_text(PAIRS, encoding="utf-8")
    with pytest.raises(OptionError) as err:
        import_resource(store, "lexicon", [src], lang="swh", target_lang="eng", format="table",
                        options={"colums": "1,2"})
    assert "colums" in str(err.value) and "columns" in err.value.hint
    assert store.resources() == []


def test_option_values_are_typed_and_checked(store, tmp_path):
    src = tmp_path / "words.tsv"
    src.write_text(PAIRS, encoding="utf-8")
    with pytest.raises(OptionError, match="not yes/no"):
        import_resource(store, "lexicon", [src], lang="swh", target_lang="eng", format="table",
                        options={"columns": "src=0,tgt=1", "header": "perhaps"})
    with pytest.raises(OptionError, match="unknown value"):
        import_resource(store, "bible", [src], lang="swh", format="vline", options={"versification": "kjv"})
    done = import_resource(store, "lexicon", [src], lang="swh", target_lang="eng", format="table",
                           options={"columns": "src=0,tgt=1", "header": "no"})
    assert done.n_stored == 2
    assert store.resource(done.resource_id).options == {"columns": "src=0,tgt=1", "header": False}


def test_cli_lists_options_verbosely_and_refuses_unknown_ones(cli, tmp_path):
    r = cli("formats", "--verbose", store=False)
    assert r.exit_code == 0 and "-o versification=" in r.stdout
    rows = json.loads(cli("formats", "--json", store=False).stdout)
    table = next(x for x in rows if x["format"] == "table")
    assert {o["name"] for o in table["options"]} == {"columns", "delimiter", "header"}
    src = tmp_path / "words.tsv"
    src.write_text(PAIRS, encoding="utf-8")
    r = cli("import", "lexicon", src, "--lang", "swh", "--target-lang", "eng", "--format", "table",
            "-o", "colums=1,2", "-o", "nonsense=3")
    assert r.exit_code == 2
    assert "no option `colums`" in r.stderr and "columns" in r.stderr


def test_an_explicit_format_wins_and_a_wrong_kind_is_named():
    assert formats.get("lexicon", "muse").name == "muse"
    with pytest.raises(FormatError, match="is a bible format"):
        formats.get("lexicon", "usfm")
    with pytest.raises(FormatError, match="unknown morph format"):
        formats.get("morph", "nosuch")


def test_non_regular_files_are_refused_at_once(tmp_path):
    import os

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FormatError, match="not a regular file"):
        formats.sniff("morph", fifo)
    with pytest.raises(FormatError, match="not a regular file"):
        formats.read_head(__import__("pathlib").Path("/dev/zero"))


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r", "\u2028".encode()])
def test_read_context_lines_are_the_same_for_every_line_end(tmp_path, ending):
    path = tmp_path / "x.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ending.join([b"one", b"two", b"", b"three"]) + ending)
    got = list(formats.ReadContext(lang=None).lines(path))
    assert got == [(1, "one"), (2, "two"), (3, ""), (4, "three")]
