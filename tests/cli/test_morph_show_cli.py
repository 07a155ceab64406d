"""`lexres morph show`: the paradigm as grids by feature dimension, `--features` filters, TSV in a pipe."""
from __future__ import annotations

import json

import pytest

from lexres.errors import OptionError
from lexres.paradigm import layout, parse_filter

# An invented conjugation (Swahili-like) and declension (Finnish-like): every cell has one known place.
VERB = [("ninasoma", "V;PRS;1;SG"), ("unasoma", "V;PRS;2;SG"), ("anasoma", "V;PRS;3;SG"),
        ("tunasoma", "V;PRS;1;PL"), ("mnasoma", "V;PRS;2;PL"), ("wanasoma", "V;PRS;3;PL"),
        ("nilisoma", "V;1;SG;PST"), ("ulisoma", "V;PST;2;SG"), ("alisoma", "V;PST;3;SG"),
        ("tulisoma", "V;PST;1;PL"), ("mlisoma", "V;PST;2;PL"), ("walisoma", "V;PST;3;PL"),
        ("kusoma", "V;NFIN")]
NOUN = [("talo", "N;NOM;SG"), ("talot", "N;NOM;PL"), ("talon", "N;GEN;SG"), ("talojen", "N;GEN;PL"),
        ("taloa", "N;PRT;SG"), ("taloja", "N;PRT;PL"), ("talossa", "N;IN+ESS;SG"),
        ("taloissa", "N;IN+ESS;PL"), ("talollinen", "ADJ;NOM;SG")]


def _grid(cells):
    grids = layout([tuple(f.split(";")) for _, f in cells])
    out = []
    for g in grids:
        out.append((g, [[[cells[i][0] for i in ix] for ix in row] for row in g.cells]))
    return out


def test_verb_grid_rows_are_person_by_number_columns_the_tenses():
    [(g, forms)] = _grid(VERB)
    assert g.pos == "V" and g.row_dims == ("Person", "Number")
    assert g.col_dims == ("Finiteness", "Tense")
    # the infinitive has no person: its row comes first (unmarked), then number-major 1SG 2SG 3SG 1PL ...
    labels = [g.row_label(i) for i in range(len(g.rows))]
    assert labels == ["-", "1 SG", "2 SG", "3 SG", "1 PL", "2 PL", "3 PL"]
    assert [g.col_label(j) for j in range(len(g.cols))] == ["PRS", "PST", "NFIN"]
    assert forms[0] == [[], [], ["kusoma"]]
    assert forms[1] == [["ninasoma"], ["nilisoma"], []]  # written `V;1;SG;PST`: same cell as canonical order
    assert forms[3] == [["anasoma"], ["alisoma"], []]
    assert forms[6] == [["wanasoma"], ["walisoma"], []]


def test_noun_grid_rows_are_cases_columns_number_one_table_per_pos():
    (g, forms), (adj, adj_forms) = _grid(NOUN)
    assert (g.pos, g.row_dims, g.col_dims) == ("N", ("Case",), ("Number",))
    assert g.cols == (("SG",), ("PL",))
    assert g.rows[0] == ("NOM",)  # schema order: the nominative leads
    place = {row[0]: i for i, row in enumerate(g.rows)}
    assert forms[place["GEN"]] == [["talon"], ["talojen"]]
    assert forms[place["IN+ESS"]] == [["talossa"], ["taloissa"]]
    assert forms[place["PRT"]][1] == ["taloja"]
    assert adj.pos == "ADJ" and adj.shared == ("NOM", "SG") and adj_forms == [[["talollinen"]]]


def test_variants_share_a_cell_and_bad_bundles_stay_whole():
    [(g, forms)] = _grid([("a", "N;SG"), ("b", "N;PL"), ("c", "N;PL")])
    assert g.row_dims == ("Number",) and g.col_dims == () and forms == [[["a"]], [["b", "c"]]]
    [g] = layout([("N", "((")])
    assert g.pos == "" and g.cells == (((0,),),)


def test_feature_filter_parsing():
    assert parse_filter(["PST,3"]).tags == ("PST", "3")
    assert parse_filter(["tense=pst", "pos=V"]).tags == ("PST", "V")
    assert parse_filter(["NOM(3,SG);pl"]).tags == ("NOM(3,SG)", "PL")
    assert parse_filter(["bantu1"], known={"BANTU1"}).tags == ("BANTU1",)
    f = parse_filter(["3"])
    assert f.matches(("V", "PST", "NOM(3,SG)")) and not f.matches(("V", "PST", "1", "SG"))
    for bad, hint in (("PTS", "`PST`"), ("tnse=PST", "`tense`"), ("number=PST", "Tense"), ("PST,,3", "e.g.")):
        with pytest.raises(OptionError) as err:
            parse_filter([bad])
        assert hint in str(err.value) + (err.value.hint or ""), bad


@pytest.fixture
def toy(cli, tmp_path):
    path = tmp_path / "paradigms.tsv"
    rows = [f"soma\t{f}\t{b}\n" for f, b in VERB] + [f"talo\t{f}\t{b}\n" for f, b in NOUN]
    path.write_text("".join(rows), encoding="utf-8")
    r = cli("import", "morph", path, "--lang", "swh")
    assert r.exit_code == 0, r.stderr
    return cli


def test_cli_pipe_prints_tsv_with_header_and_grid_places(toy):
    r = toy("morph", "show", "swh", "soma")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "lemma\tform\tfeatures\tpos\trow\tcolumn\tresource"
    rows = {ln.split("\t")[1]: ln.split("\t") for ln in lines[1:]}
    assert len(rows) == len(VERB)
    assert rows["alisoma"][2:6] == ["V;PST;3;SG", "V", "3 SG", "PST"]
    assert rows["kusoma"][4:6] == ["-", "NFIN"]


def test_cli_terminal_prints_a_grid(toy, monkeypatch):
    import lexres.cli.common as common

    monkeypatch.setattr(common, "stdout_is_terminal", lambda: True)
    monkeypatch.setattr("lexres.cli.morph.stdout_is_terminal", lambda: True)
    r = toy("morph", "show", "swh", "soma")
    assert r.exit_code == 0, r.stderr
    head = next(ln for ln in r.stdout.splitlines() if "Person × Number" in ln)
    assert head.index("PRS") < head.index("PST") < head.index("NFIN")
    row = next(ln for ln in r.stdout.splitlines() if ln.lstrip("│ ").startswith("3 SG"))  # any box style
    assert row.index("anasoma") < row.index("alisoma")
    assert "lemma\tform" not in r.stdout


def test_cli_json_has_entries_and_grids(toy):
    data = json.loads(toy("morph", "show", "swh", "talo", "--json").stdout)
    assert len(data["entries"]) == len(NOUN) and data["features"] == []
    noun = data["grids"][0]
    assert noun["row_dimensions"] == ["Case"] and noun["columns"] == [["SG"], ["PL"]]
    gen = noun["rows"].index(["GEN"])
    assert noun["cells"][gen] == [["talon"], ["talojen"]]


def test_cli_features_filter(toy):
    data = json.loads(toy("morph", "show", "swh", "soma", "--features", "PST,3", "--json").stdout)
    assert sorted(e["form"] for e in data["entries"]) == ["alisoma", "walisoma"]
    assert data["features"] == ["PST", "3"]
    [g] = data["grids"]
    assert g["shared"] == ["3", "PST"] and g["rows"] == [["SG"], ["PL"]]
    r = toy("morph", "show", "swh", "soma", "--features", "tense=PST", "-F", "number=pl")
    assert r.exit_code == 0, r.stderr
    forms = sorted(ln.split("\t")[1] for ln in r.stdout.splitlines()[1:])
    assert forms == ["mlisoma", "tulisoma", "walisoma"]


@pytest.mark.parametrize("value, words", [
    ("PTS", ["unknown feature `PTS`", "did you mean `PST`"]),
    ("tnse=PST", ["unknown dimension `tnse`", "did you mean `tense`"]),
    ("person=PST", ["`PST` is a tag of Tense, not of Person"]),
    ("FUT", ["no form of `soma` has FUT", "tags of this paradigm"]),
])
def test_cli_bad_features_exit_2_with_a_hint(toy, value, words):
    r = toy("morph", "show", "swh", "soma", "--features", value)
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.startswith("lexres: error: --features" if value != "FUT" else "lexres: error: no form")
    for w in words:
        assert w in r.stderr


def test_real_irish_noun_and_verb_grids(cli, shared_data, tmp_path):
    src = shared_data / "unimorph" / "gle" / "gle"
    lemmas = {"greadóg", "greannaigh"}
    lines = [ln for ln in src.read_text(encoding="utf-8").splitlines() if ln.split("\t")[0] in lemmas]
    (tmp_path / "gle").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cli("import", "morph", tmp_path / "gle").exit_code == 0  # language from the file name
    noun = json.loads(cli("morph", "show", "gle", "greadóg", "--json").stdout)["grids"]
    [n] = [g for g in noun if g["pos"] == "N"]
    assert n["row_dimensions"] == ["Case"] and n["column_dimensions"] == ["Definiteness", "Number"]
    assert n["columns"] == [["", "SG"], ["", "PL"], ["DEF", "SG"], ["DEF", "PL"]]
    gen, nom = n["rows"].index(["GEN"]), n["rows"].index(["NOM"])
    assert n["cells"][gen][2] == ["na ngreadóg", "na greadóige"]  # both given for GEN;SG;DEF, in file order
    assert n["cells"][nom][3] == ["na greadóga"] and n["cells"][gen][3] == []
    verb = json.loads(cli("morph", "show", "gle", "greannaigh", "--json").stdout)["grids"]
    v = next(g for g in verb if g["pos"] == "V")
    assert v["row_dimensions"] == ["Person", "Number"]
    row = v["rows"].index(["3", "SG"])
    col = next(j for j, c in enumerate(v["columns"]) if [x for x in c if x] == ["IND", "PST"])
    assert v["cells"][row][col] == ["ghreannaigh sé"]
