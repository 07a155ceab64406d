"""Rough edges a fresh pair of eyes found by running the CLI as a new user would: an alignment that pairs
nothing is an error that writes nothing (like an empty export), and a derived text resource is listed with
the lines it holds, not as an empty resource."""
from __future__ import annotations

from lexres.importer import import_resource


def _bible(store, tmp_path, name: str, lang: str, refs: list[str]) -> None:
    text, vref = tmp_path / f"{name}.txt", tmp_path / f"{name}.vref"
    text.write_text("".join(f"{lang} {r}\n" for r in refs), encoding="utf-8")
    vref.write_text("".join(r + "\n" for r in refs), encoding="utf-8")
    import_resource(store, "bible", [text], lang=lang, format="vline", options={"vref": str(vref)})


def test_align_with_no_verse_in_common_is_an_error_and_writes_nothing(cli, store, tmp_path):
    _bible(store, tmp_path, "en", "eng", ["JHN 3:1", "JHN 3:2"])
    _bible(store, tmp_path, "sw", "swh", ["MRK 1:1"])
    out = tmp_path / "al.tsv"
    r = cli("bible", "align", "eng", "swh", "--out", out)
    assert r.exit_code == 2, (r.stdout, r.stderr)
    assert "no verse in both" in r.stderr and "nothing was written" in r.stderr
    assert "Traceback" not in r.stderr
    assert not out.exists() and not (tmp_path / "al.tsv.manifest.json").exists()


def test_a_derived_text_is_listed_with_its_sentences_not_as_empty(cli, store, tmp_path):
    from lexres.augment.derived import record_derived

    out = tmp_path / "swh.pseudo.txt"
    out.write_text("kitabu kizuri\nnyumba\nmti\n", encoding="utf-8")
    rid = record_derived(store, kind="text", format="pseudo-mono", output=out, lang="swh", n_read=3,
                         n_stored=3)
    r = cli("list")
    assert r.exit_code == 0, r.stderr
    head, row = r.stdout.splitlines()
    assert row.split("\t")[head.split("\t").index("entries")] == "3"
    r = cli("lang", "swh")
    assert r.exit_code == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if x.strip().startswith(f"#{rid} "))
    assert line.endswith(": 3 sentences") and "0 entries" not in line, line


def test_build_without_sizes_does_not_say_sizes_were_asked_for(cli, store, tmp_path):
    rows = "".join(f"lemma{i}\tform{i}x{j}\tV;PST;{j};SG\n" for i in range(12) for j in (1, 2, 3))
    (tmp_path / "swh.tsv").write_text(rows, encoding="utf-8")
    import_resource(store, "morph", [tmp_path / "swh.tsv"], lang="swh", format="unimorph")
    r = cli("task", "inflection", "build", "--lang", "swh", "--out", tmp_path / "task", "--year", "2023")
    assert r.exit_code == 0, r.stderr
    said = r.stdout + r.stderr
    assert "asked for" not in said, said
    assert "the 2023 shared task's split sizes exceed the 36 entries" in said, said
    r = cli("task", "inflection", "build", "--lang", "swh", "--out", tmp_path / "task2",
            "--train-size", "500")
    assert r.exit_code == 0, r.stderr
    assert "the sizes asked for exceed the 36 entries" in r.stdout + r.stderr


def test_morph_import_notes_count_in_words_not_with_a_parenthesised_s(cli, tmp_path):
    one = tmp_path / "one.tsv"  # one unknown tag, one line with an extra column, one bundle tidied
    one.write_text("soma\tninasoma\tV;PRS;1;SG\nsoma\tunasoma\tV;PRS;2;SG;ZZQ\textra\nsoma\tanasoma\tV;PRS;3;SG;\n",
                   encoding="utf-8")
    r = cli("import", "morph", one, "--lang", "swh", "--format", "unimorph")
    assert r.exit_code == 0, r.stderr
    said = r.stdout + r.stderr
    assert "(s)" not in said, said
    assert "1 tag not in the UniMorph schema" in said and "1 line has extra columns" in said, said
    assert "1 feature bundle tidied" in said, said
