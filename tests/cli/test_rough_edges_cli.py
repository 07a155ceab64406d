"""Rough edges a new user met (issue 16): inflection tables as TSV in a pipe and as wrapped tables on a
terminal, resource ids typed as printed (`#3`), plural forms, empty filters refused, a private-use variety
counted alone, terminal tables that never split a word, and the CLDF import's progress counted in rows."""
from __future__ import annotations

import io
import json
import re
import shutil

import pytest
from rich.console import Console

from lexres.cli import common
from lexres.importer import import_resource
from lexres.progress import Progress
from lexres.records import LexiconPair, MorphEntry, Verse
from lexres.store import Store

BOX = "┏┃━│└┌╇┡…"


def _no_box(text: str) -> None:
    assert not any(ch in text for ch in BOX), text


def _terminal(monkeypatch) -> Console:
    """From now on stdout is an 80-column terminal: every console of the CLI prints into one StringIO."""
    screen = Console(file=io.StringIO(), width=80, force_terminal=True, color_system=None)
    monkeypatch.setattr(common, "console", screen)
    monkeypatch.setattr(common, "stdout_is_terminal", lambda: True)
    for module in ("task", "resources"):
        monkeypatch.setattr(f"lexres.cli.{module}.console", screen)
        monkeypatch.setattr(f"lexres.cli.{module}.stdout_is_terminal", lambda: True)
    return screen


@pytest.fixture
def morph(cli, fixtures):
    r = cli("import", "morph", fixtures / "inflection" / "toy.unimorph.tsv", "--lang", "swh")
    assert r.exit_code == 0, r.stderr
    return cli


# -- 1. inflection tables -----------------------------------------------------------------------------------
def test_inflection_build_in_a_pipe_is_tsv_and_its_prose_on_stderr(morph, tmp_path):
    r = morph("task", "inflection", "build", "--lang", "swh", "--out", tmp_path / "t", "--split", "random")
    assert r.exit_code == 0, r.stderr
    _no_box(r.stdout)
    head, *rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert head == ["split", "both seen", "lemma seen", "features seen", "neither"]
    assert [row[0] for row in rows] == ["dev", "test"] and all(len(row) == 5 for row in rows)
    assert all(re.fullmatch(r"\d+ \(\d+\.\d%\)", cell) for row in rows for cell in row[1:])
    assert "built 2023 task" in r.stderr and "120 distinct entries" in r.stderr
    assert "overlap with train" in r.stderr


def test_inflection_eval_in_a_pipe_is_tsv_with_the_overall_row(cli, fixtures):
    d = fixtures / "inflection"
    r = cli("task", "inflection", "eval", "--gold", d / "gold.tsv", "--pred", d / "pred.tsv",
            "--train", d / "train.tsv")
    assert r.exit_code == 0, r.stderr
    _no_box(r.stdout)
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert rows[0] == ["seen in train", "n", "accuracy (%)", "mean distance"]
    assert rows[-1] == ["all", "5", "40.00", "1.200"]  # 2 of 5, distances 0/2/2/0/2
    assert sum(int(row[1]) for row in rows[1:-1]) == 5
    assert "40.00% exact (2/5)" in r.stderr and "signature: lexres:" in r.stderr


def test_inflection_tables_on_a_terminal_wrap_without_boxes(morph, fixtures, tmp_path, monkeypatch):
    terminal = _terminal(monkeypatch)
    d = fixtures / "inflection"
    r = morph("task", "inflection", "eval", "--gold", d / "gold.tsv", "--pred", d / "pred.tsv",
              "--train", d / "train.tsv")
    assert r.exit_code == 0
    out = terminal.file.getvalue()
    _no_box(out)
    assert "40.00% exact (2/5)" in out and "signature: lexres:" in out and "\t" not in out
    assert re.search(r"^seen in train +n +accuracy \(%\) +mean distance$", out, re.M)
    assert re.search(r"^lemma \+ features +\d+ ", out, re.M)
    assert re.search(r"^all +5 +40\.00 +1\.200$", out, re.M)
    r = morph("task", "inflection", "build", "--lang", "swh", "--out", tmp_path / "t")
    assert r.exit_code == 0
    out = terminal.file.getvalue()
    assert re.search(r"^split +both seen +lemma seen +features seen +neither$", out, re.M)
    assert max(len(line) for line in out.splitlines()) <= 80


# -- 2. resource ids ----------------------------------------------------------------------------------------
def test_resource_ids_are_taken_as_printed(morph, tmp_path):
    shown = morph("show", "#1")
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout == morph("show", "1").stdout and "toy.unimorph.tsv" in shown.stdout
    r = morph("export", tmp_path / "m.tsv", "--resource", "#1")
    assert r.exit_code == 0 and (tmp_path / "m.tsv").stat().st_size > 0, r.stderr
    r = morph("task", "inflection", "build", "--resource", "#1", "--out", tmp_path / "t", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["resources"] == [1], r.stderr
    r = morph("remove", "#1", "--yes")
    assert r.exit_code == 0 and "removed #1" in r.stdout, r.stderr


@pytest.mark.parametrize("args", [
    ("show", "abc"), ("show", "#"), ("remove", "#x1", "--yes"), ("export", "out.tsv", "-r", "one"),
    ("augment", "eval-lexicon", "--src", "eng", "--tgt", "swh", "--lexicon", "3", "--gold", "#b"),
])
def test_a_bad_resource_id_is_one_line_and_exit_2(cli, args):
    r = cli(*args)
    assert r.exit_code == 2 and r.stdout == ""
    assert len(r.stderr.splitlines()) == 1 and "a resource id is a number, such as 3 or #3" in r.stderr


def test_the_shared_id_reader():
    assert [common.resource_id(v) for v in ("3", "#3", " #12 ", 7)] == [3, 3, 12, 7]
    assert common.resource_ids(["3,#4", "#7"]) == [3, 4, 7] and common.resource_ids([]) is None


# -- 4. plurals ---------------------------------------------------------------------------------------------
def test_one_of_a_thing_is_singular(cli, fixtures, tmp_path):
    line = (fixtures / "inflection" / "gold.tsv").read_text(encoding="utf-8").splitlines(True)
    (tmp_path / "one.tsv").write_text(line[0], encoding="utf-8")
    r = cli("task", "inflection", "convert", tmp_path / "one.tsv", tmp_path / "out.tsv", "--to", "2023")
    assert r.exit_code == 0 and "wrote 1 line to" in r.stdout, r.output
    (tmp_path / "gold2.tsv").write_text("".join(line[:2]), encoding="utf-8")
    r = cli("task", "inflection", "eval", "--gold", tmp_path / "gold2.tsv", "--pred", tmp_path / "one.tsv")
    assert r.exit_code == 0 and "1 gold line had no prediction" in r.stdout, r.output
    assert "line(s)" not in r.stdout


def test_plural_helper_for_the_nouns_the_cli_counts():
    assert [common.plural(1, w) for w in ("entry", "pair", "language", "distinct entry")] == [
        "1 entry", "1 pair", "1 language", "1 distinct entry"]
    assert [common.plural(2, w) for w in ("entry", "pair", "verse pair", "distinct entry")] == [
        "2 entries", "2 pairs", "2 verse pairs", "2 distinct entries"]


# -- 5. empty filters ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("args, option", [
    (("langs", "--has", ""), "--has"), (("langs", "--has", " , "), "--has"),
    (("langs", "--kind", ""), "--kind"),
    (("list", "--kind", ""), "--kind"), (("list", "--lang", ""), "--lang"),
])
def test_an_empty_filter_is_refused_not_read_as_none(morph, args, option):
    r = morph(*args)
    assert r.exit_code == 2 and r.stdout == "" and len(r.stderr.splitlines()) == 1
    assert f"{option} needs a value" in r.stderr


# -- 6. a private-use variety counted alone ------------------------------------------------------------------
@pytest.fixture
def two_dialects(cli, fixtures, tmp_path):
    """A CLDF wordlist of one ISO language (aey: 1 form) and two varieties without an ISO code, both filed
    under qaa (dial1234: 2 forms, dial5678: 3 forms)."""
    folder = tmp_path / "cldf"
    shutil.copytree(fixtures / "lexicon" / "cldf-mini", folder)
    (folder / "languages.csv").write_text(
        "ID,Name,Glottocode,ISO639P3code\namele,Amele,amel1241,aey\ndialx,Dialect X,dial1234,\n"
        "dialy,Dialect Y,dial5678,\n", encoding="utf-8")
    (folder / "forms.csv").write_text(
        "ID,Language_ID,Parameter_ID,Value,Form\namele-1,amele,1_man,ija,ija\ndialx-1,dialx,1_man,ija,ija\n"
        "dialx-2,dialx,2_water,yagua,yagua\ndialy-1,dialy,1_man,ila,ila\ndialy-2,dialy,2_water,yag,yag\n"
        "dialy-3,dialy,2_water,yaga,yaga\n", encoding="utf-8")
    r = cli("import", "lexicon", folder / "cldf-metadata.json", "--name", "dialects")
    assert r.exit_code == 0, r.stderr
    return cli


@pytest.mark.parametrize("tag, here", [("qaa-x-dial1234", 2), ("qaa-x-dial5678", 3)])
def test_a_private_use_variety_counts_its_own_entries(two_dialects, tag, here):
    r = two_dialects("lang", tag)
    assert r.exit_code == 0, r.stderr
    assert f"dialects: 6 entries, {here} for {tag} (" in r.stdout, r.stdout
    data = json.loads(two_dialects("lang", tag, "--json").stdout)
    assert data["variety"] == tag and data["varieties"] == [tag]
    assert [x["entries_here"] for x in data["resources"]] == [here]


def test_the_private_use_code_alone_counts_every_variety(two_dialects):
    data = json.loads(two_dialects("lang", "qaa", "--json").stdout)
    assert data["variety"] is None and data["varieties"] == ["qaa-x-dial1234", "qaa-x-dial5678"]
    assert [x["entries_here"] for x in data["resources"]] == [5]
    r = two_dialects("lang", "qaa-x-none0000")
    assert r.exit_code == 0 and "no resources in the store for this language" in r.stdout


# -- 7. terminal tables never split a word ------------------------------------------------------------------
def _words_whole(out: str, cells) -> None:
    """Every word of every cell is in `out` whole (as one token: no word split, nothing cut) and no line is
    wider than 80. Words with inner hyphens are left to `_table_cells` (they may break after a hyphen)."""
    tokens = out.split()
    assert "…" not in out and max(len(line) for line in out.splitlines()) <= 80, out
    for cell in cells:
        for word in str(cell).split():
            assert re.search(r"\w[-/]\w", word) or word in tokens, (word, out)


def _table_cells(out: str) -> list[list[str]]:
    """The cells of a terminal table read back by the columns its header rule marks: the lines of a row
    (a row begins where its first column has text) joined, after a hyphen or slash without a space."""
    lines = out.splitlines()
    r = next(i for i, line in enumerate(lines) if line and set(line) <= {"─", " "})
    spans = [(m.start(), m.end()) for m in re.finditer("─+", lines[r])]

    def cut(line: str) -> list[str]:
        return [line[a:b if k < len(spans) - 1 else None].strip() for k, (a, b) in enumerate(spans)]

    groups: list[list[list[str]]] = [[cut(line) for line in lines[:r]]]
    for line in lines[r + 1:]:
        parts = cut(line)
        if parts[0] or not groups[1:]:
            groups.append([])
        groups[-1].append(parts)
    out_rows = []
    for group in groups:
        row = []
        for k in range(len(spans)):
            text = ""
            for piece in (p[k] for p in group if p[k]):
                text += piece if not text or text.endswith(("-", "/")) else " " + piece
            row.append(text)
        out_rows.append(row)
    return out_rows


@pytest.fixture
def languages(store_path, tmp_path):
    src = tmp_path / "src.txt"
    src.write_text("x", encoding="utf-8")
    with Store.open(store_path) as st:
        def add(kind, lang, records, **kw):
            import_resource(st, kind, [src], lang=lang, records=records, **kw)

        add("morph", "swh", [MorphEntry("soma", f"nasoma{i}", ("V", "PRS"), line=i + 1) for i in range(3)],
            name="swahili-inflection-table-from-the-unimorph-project.tsv")
        add("bible", "swa", [Verse("JHN", 1, 1, "Hapo mwanzo", line=1)], name="swa-bible-union-version.usfm")
        add("lexicon", "eng", [LexiconPair("book", "kitabu", line=1)], target_lang="swh", name="eng-swh.tsv")
        add("bible", "qaa-x-bich1234", [Verse("JHN", 1, 1, "Hapo", line=1)], name="bich.txt")
        add("morph", "zho", [MorphEntry("a", "b", ("N",), line=1)], name="zho-morph")


@pytest.mark.parametrize("command", ["langs", "list"])
def test_langs_and_list_at_80_columns_split_no_word(cli, languages, monkeypatch, command):
    pipe = cli(command)
    assert pipe.exit_code == 0, pipe.stderr
    tsv = [[re.sub(r"^(\d{4}-\d\d-\d\d)T", r"\1 ", c) for c in line.split("\t")]  # a date, a space, a time
           for line in pipe.stdout.splitlines()]
    assert any("macrolanguage" in row for row in tsv) or command == "list"
    terminal = _terminal(monkeypatch)
    r = cli(command)
    assert r.exit_code == 0, r.stderr
    out = terminal.file.getvalue()
    _no_box(out)
    _words_whole(out, [c for row in tsv for c in row])
    assert _table_cells(out) == tsv  # columns side by side, every cell whole
    assert len(out.splitlines()) > len(tsv) + 1  # some cells wrapped (and a rule is under the header)


def test_the_table_helper_at_80_columns(monkeypatch):
    screen = Console(file=io.StringIO(), width=80, force_terminal=True, color_system=None)
    monkeypatch.setattr(common, "console", screen)
    head = ["code", "name", "scope", "resources", "morph", "verses", "lexicon pairs", "texts", "models"]
    rows = [["swh", "Swahili (individual language)", "individual", 3, 3, 1, 1, 0, 0],
            ["swa", "Swahili (macrolanguage)", "macrolanguage", 1, 0, 1, 0, 0, 0],
            ["qaa", "private use (qaa)", "private-use", 1, 0, 1, 0, 0, 0]]
    common.print_table(head, rows, terminal=True)
    out = screen.file.getvalue()
    _words_whole(out, head + [c for row in rows for c in row])
    assert _table_cells(out) == [head] + [[str(c) for c in row] for row in rows]
    lines = out.splitlines()
    assert lines[0].startswith("code") and set(lines[2]) <= {"─", " "}  # "lexicon pairs" wraps to 2 lines
    assert re.search(r"^swh +Swahili +individual +3 +3 +1 +1 +0 +0$", out, re.M)  # numbers right-aligned
    # columns that cannot stand side by side at 80 without cutting a word: one record per row instead
    screen.file.truncate(0), screen.file.seek(0)
    wide = [["#1", "a" * 30, "b" * 30, "c" * 30 + " and more"]]
    common.print_table(["id", "first", "second", "third"], wide, terminal=True)
    out = screen.file.getvalue()
    _words_whole(out, ["id", "first", "second", "third"] + wide[0])
    assert re.search(r"^ *third  c{30} and more$", out, re.M)


def test_wrap_cell_breaks_at_spaces_and_after_inner_hyphens_only():
    assert common.wrap_cell("Swahili (individual language)", 12) == ["Swahili", "(individual", "language)"]
    assert common.wrap_cell("swh-bible-union.txt", 12) == ["swh-bible-", "union.txt"]
    assert common.wrap_cell("--force -o x", 8) == ["--force", "-o x"]  # a leading dash is no break
    assert common.wrap_cell("eng -> swh", 6) == ["eng ->", "swh"]
    assert common.wrap_cell("description\n  -o vref=<path>: the list", 16) == [
        "description", "  -o", "  vref=<path>:", "  the list"]
    assert common.wrap_cell("x" * 10, 4) == ["xxxx", "xxxx", "xx"]  # a word wider than the column: folded


# -- 8. CLDF progress in rows -------------------------------------------------------------------------------
class Seen(Progress):
    def __init__(self):
        self.tasks: list[list] = []

    def start(self, total, description="", unit=""):
        self.tasks.append([description, unit, 0])

    def advance(self, amount=1):
        self.tasks[-1][2] += amount


def test_a_cldf_import_counts_its_forms_in_rows(store, fixtures):
    seen = Seen()
    meta = fixtures / "lexicon" / "cldf-mini" / "cldf-metadata.json"
    import_resource(store, "lexicon", [meta], progress=seen)
    description, unit, done = seen.tasks[-1]
    assert unit == "rows" and done == 6 and description.startswith("importing ")
