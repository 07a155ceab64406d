"""`lexres langs` filters and order; tables that wrap on a terminal and are TSV in a pipe; `show` printed for
people; plural forms."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from lexres.cli import common
from lexres.importer import import_resource
from lexres.records import LexiconPair, MorphEntry, Verse
from lexres.store import Store

LONG = "a-resource-name-much-longer-than-any-terminal-column-would-let-through-" + "x" * 60


@pytest.fixture
def seeded(store_path, tmp_path):
    """gle: 30 morph entries; swh: 3 morph entries, 2 verses, 1 lexicon pair with eng; lat: 1 verse; nld
    (Dutch,
    so sorting by name differs from sorting by code): 1 morph entry."""
    src = tmp_path / "src.txt"
    src.write_text("x", encoding="utf-8")
    with Store.open(store_path) as st:

        def add(kind, lang, records, **kw):
            return import_resource(st, kind, [src], lang=lang, records=records, **kw).resource_id

        ids = {
            "gle": add(
                "morph",
                "gle",
                [MorphEntry(f"l{i}", f"f{i}", ("N", "SG"), line=i + 1) for i in range(30)],
                name="gle-morph",
            ),
            "swh": add(
                "morph",
                "swh",
                [MorphEntry("soma", f"nasoma{i}", ("V", "PRS"), line=i + 1) for i in range(3)],
                name=LONG,
            ),
            "swh-bible": add(
                "bible",
                "swh",
                [Verse("JHN", 1, 1, "Hapo mwanzo", line=1), Verse("JHN", 1, 2, "Huyo", line=2)],
                name="swh-bible",
                options={"vref": "vref.txt", "note": None},
            ),
            "lex": add(
                "lexicon", "eng", [LexiconPair("book", "kitabu", line=1)], target_lang="swh", name="eng-swh"
            ),
            "lat": add("bible", "lat", [Verse("JHN", 1, 1, "In principio", line=1)], name="lat-bible"),
            "nld": add("morph", "nld", [MorphEntry("boek", "boeken", ("N", "PL"), line=1)], name="nld-morph"),
        }
    return ids


def _tsv(result) -> list[list[str]]:
    assert result.exit_code == 0, result.stderr
    return [line.split("\t") for line in result.stdout.splitlines()]


def _codes(result) -> list[str]:
    rows = _tsv(result)
    assert rows[0][:3] == ["code", "name", "scope"]
    return [r[0] for r in rows[1:]]


def test_langs_filters_and_sorts(cli, seeded):
    assert _codes(cli("langs")) == ["eng", "gle", "lat", "nld", "swh"]
    assert _codes(cli("langs", "--kind", "bible")) == ["lat", "swh"]
    assert _codes(cli("langs", "--has", "morph,bible")) == ["swh"]
    assert _codes(cli("langs", "--has", "morph", "--has", "lexicon")) == ["swh"]
    assert _codes(cli("langs", "--min-entries", "6")) == ["gle", "swh"]
    assert _codes(cli("langs", "--min-entries", "7")) == ["gle"]
    assert _codes(cli("langs", "--kind", "morph", "--min-entries", "3")) == ["gle", "swh"]
    assert _codes(cli("langs", "--sort", "entries")) == ["gle", "swh", "eng", "lat", "nld"]
    assert _codes(cli("langs", "--sort", "name")) == [
        "nld",
        "eng",
        "gle",
        "lat",
        "swh",
    ]  # Dutch, English, ...
    assert _codes(cli("langs", "--kind", "bible", "--sort", "entries")) == ["swh", "lat"]
    rows = json.loads(cli("langs", "--has", "bible", "--json").stdout)
    swh = next(r for r in rows if r["code"] == "swh")
    assert (swh["morph"], swh["bible"], swh["lexicon"], swh["entries"]) == (3, 2, 1, 6)


@pytest.mark.parametrize(
    "args, needle",
    [
        (("--kind", "poems"), "unknown kind `poems`"),
        (("--has", "morph,nope"), "unknown kind `nope`"),
        (("--sort", "size"), "cannot sort languages by `size`"),
    ],
)
def test_langs_bad_filters_are_one_line(cli, seeded, args, needle):
    r = cli("langs", *args)
    assert r.exit_code == 2 and needle in r.stderr and "Traceback" not in r.stderr


def test_a_pipe_gets_tsv_with_every_cell_whole(cli, seeded):
    rows = _tsv(cli("list"))
    assert rows[0] == ["id", "kind", "format", "name", "language", "entries", "rejected", "imported"]
    assert LONG in [r[3] for r in rows[1:]]  # never cut, however long
    assert all(len(r) == 8 for r in rows)
    langs = _tsv(cli("langs"))
    assert ["swh", "Swahili (individual language)", "individual", "3", "3", "2", "1", "0", "0"] in langs


def test_tsv_cells_escape_tabs_and_newlines(capsys):
    common.print_table(["a", "b"], [["x\ty", "one\ntwo"], [None, 3]], terminal=False)
    assert capsys.readouterr().out == "a\tb\nx\\ty\tone\\ntwo\n\t3\n"


def test_a_terminal_table_wraps_instead_of_cutting(monkeypatch):
    screen = Console(file=io.StringIO(), width=80, force_terminal=True, color_system=None)
    monkeypatch.setattr(common, "console", screen)
    common.print_table(
        ["id", "name", "description"], [[1, LONG, "word " * 30 + "[bold]kept[/bold]"]], terminal=True
    )
    out = screen.file.getvalue()
    assert "…" not in out and max(len(line) for line in out.splitlines()) <= 80
    text = "".join(out.split())  # too wide for columns side by side: a record, wrapped after its hyphens
    assert LONG in text  # every character kept
    assert "word" * 30 + "[bold]kept[/bold]" in text


def test_show_prints_fields_for_people(cli, seeded):
    out = cli("show", str(seeded["swh-bible"])).stdout
    lines = {
        line.split(":", 1)[0].strip(): line.split(":", 1)[1].strip()
        for line in out.splitlines()
        if ":" in line and not line.startswith(" " * 19)
    }
    assert lines["options"] == "vref = vref.txt" and lines["target_lang"] == "-"
    assert lines["derived_from"] == "none" and lines["notes"] == "none"
    assert "{" not in out and "[]" not in out and "None" not in out


def test_show_names_the_parents_of_a_derived_resource(cli, seeded, store_path, tmp_path):
    from lexres.augment.derived import record_derived

    text = tmp_path / "out.txt"
    text.write_text("kitabu\n", encoding="utf-8")
    with Store.open(store_path) as st:
        rid = record_derived(
            st,
            kind="text",
            format="pseudo-mono",
            output=text,
            lang="swh",
            derived_from=[seeded["lex"], seeded["swh"]],
            options={"seed": 1, "choice": "uniform"},
        )
    out = cli("show", str(rid)).stdout
    assert f"derived_from: #{seeded['lex']} lexicon/" in out and "eng-swh" in out
    assert "choice = uniform" in out and "seed = 1" in out
    assert _codes(cli("langs", "--kind", "text")) == ["swh"]


def test_plurals():
    assert [common.plural(n, "analysis") for n in (0, 1, 2)] == ["0 analyses", "1 analysis", "2 analyses"]
    assert common.plural(1, "entry") == "1 entry" and common.plural(2, "entry") == "2 entries"
    assert common.plural(2, "verse") == "2 verses" and common.plural(3, "box") == "3 boxes"
    assert common.plural(2, "day") == "2 days" and common.plural(2, "datum", "data points") == "2 data points"


def test_lang_prints_singular_counts(cli, seeded):
    out = cli("lang", "lat").stdout
    assert "lat-bible: 1 entry" in out and "1 entries" not in out


def test_no_match_is_said_on_a_terminal_and_a_header_in_a_pipe(cli, seeded, monkeypatch):
    assert _codes(cli("langs", "--min-entries", "1000")) == []
    screen = Console(file=io.StringIO(), width=80, force_terminal=True, color_system=None)
    monkeypatch.setattr(common, "console", screen)
    common.print_table(["code"], [], empty="no language matches", terminal=True)
    assert screen.file.getvalue().strip() == "no language matches"
