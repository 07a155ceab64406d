"""`lexres augment pseudo-mono` through the CLI on the project's own fixtures: output, manifest, store
record, seeds, morphology, errors."""

from __future__ import annotations

import json
import re

import pytest


@pytest.fixture
def lexstore(cli, fixtures):
    r = cli(
        "import", "lexicon", fixtures / "augment" / "eng-swh.tsv", "--lang", "eng", "--target-lang", "swh"
    )
    assert r.exit_code == 0, r.stderr
    return cli


def mono(cli, src, out, *extra):
    r = cli(
        "augment",
        "pseudo-mono",
        "--src",
        "eng",
        "--tgt",
        "swh",
        "--input",
        src,
        "--output",
        out,
        "--json",
        *extra,
    )
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_pseudo_mono_output_manifest_and_record(lexstore, fixtures, tmp_path):
    src = fixtures / "augment" / "eng.txt"
    out = tmp_path / "swh.txt"
    result = mono(lexstore, src, out, "--min-replaced", "0", "--choice", "first")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "The kubwa nyumba is karibu the mto."
    assert lines[1] == "Habari za asubuhi, my rafiki!"
    assert lines[3] == "THE MBWA ALIKIMBIA TO THE NYUMBA"
    assert out.read_bytes().count(b"\r\n") == 1  # the CRLF line keeps its ending
    # replaced share against an independent count: words whose lower-case form is a lexicon source word,
    # plus the two-word entries (each covers two words)
    text = src.read_text(encoding="utf-8")
    vocab = {"house", "big", "dog", "river", "friend", "run", "runs", "ran", "near"}
    words = re.findall(r"[^\W\d_]+(?:['-][^\W\d_]+)*", text)
    phrases = 2 * (len(re.findall(r"(?i)good morning", text)) + len(re.findall(r"(?i)new york", text)))
    expected = sum(w.lower() in vocab for w in words) + phrases
    manifest = json.loads((tmp_path / "swh.txt.manifest.json").read_text())
    counts = manifest["counts"]
    assert counts["replaced"] == expected
    assert counts["words"] == len(words)
    assert counts["replaced_share"] == pytest.approx(expected / len(words), abs=1e-6)
    assert counts["sentences_in"] == counts["sentences_out"] == len(text.splitlines())
    assert manifest["seed"] == 0 and manifest["params"]["choice"] == "first"
    params = ["src", "tgt", "choice", "unknown", "mark", "min_replaced", "morph", "tagged", "keep_alignment",
              "lexicons"]
    assert list(manifest["params"]) == params and manifest["params"]["min_replaced"] == 0
    assert manifest["params"]["lexicons"] == ",".join(str(i) for i in result["lexicons"])
    assert result["manifest"] == str(tmp_path / "swh.txt.manifest.json") and result["output"] == str(out)
    assert manifest["inputs"]["input"]["sha256"] and any(k.startswith("lexicon#") for k in manifest["inputs"])
    assert manifest["signature"].startswith("lexres:")
    # the run is a derived text resource of the lexicon
    r = lexstore("list", "--json")
    resources = json.loads(r.stdout)
    rows = resources if isinstance(resources, list) else resources.get("resources", [])
    text_res = [x for x in rows if x["kind"] == "text"]
    assert len(text_res) == 1 and text_res[0]["derived_from"] == result["lexicons"]
    assert text_res[0]["id"] == result["resource_id"] and text_res[0]["format"] == "pseudo-mono"


def test_default_min_replaced_drops_untranslated_lines(lexstore, fixtures, tmp_path):
    out = tmp_path / "o.txt"
    result = mono(lexstore, fixtures / "augment" / "eng.txt", out)
    c = result["counts"]
    assert c["sentences_in"] == 8 and c["sentences_out"] == 5  # 2 lines without any known word, 1 blank
    assert "Nothing known here" not in out.read_text(encoding="utf-8")


def test_seeds(lexstore, tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("".join(f"the big dog {i}\n" for i in range(200)), encoding="utf-8")
    outs = []
    for seed, name in ((3, "a"), (3, "b"), (4, "c")):
        mono(lexstore, src, tmp_path / name, "--seed", str(seed))
        outs.append((tmp_path / name).read_bytes())
    assert outs[0] == outs[1]
    assert outs[0] != outs[2]
    assert {w for w in outs[0].decode().split() if "kubwa" in w} == {"kubwa", "-kubwa"}


def test_morphology_tagged_and_lookup(cli, fixtures, tmp_path):
    fx = fixtures / "augment"
    for args in (
        ("lexicon", fx / "am-en.tsv", "--lang", "amh", "--target-lang", "eng"),
        ("morph", fx / "amh.unimorph", "--lang", "amh"),
        ("morph", fx / "eng.unimorph", "--lang", "eng"),
    ):
        assert cli("import", *args).exit_code == 0
    src = tmp_path / "tagged.txt"
    src.write_text("houses|house|N;PL house|N dog|N;PL\n", encoding="utf-8")
    out = tmp_path / "amh.txt"
    r = cli(
        "augment", "pseudo-mono", "--src", "eng", "--tgt", "amh", "-i", src, "-o", out, "--tagged", "--json"
    )
    assert r.exit_code == 0, r.stderr
    # house N;PL -> the plural of ቤት; house N -> ቤት; dog has no Amharic paradigm -> the lemma
    assert out.read_text(encoding="utf-8") == "ቤቶች ቤት ውሻ\n"
    counts = json.loads(r.stdout)["counts"]
    assert (counts["inflected"], counts["uninflected"]) == (2, 1)
    plain = tmp_path / "plain.txt"
    plain.write_text("The houses broke.\n", encoding="utf-8")
    out2 = tmp_path / "amh2.txt"
    r = cli("augment", "pseudo-mono", "--src", "eng", "--tgt", "amh", "-i", plain, "-o", out2, "--morph")
    assert r.exit_code == 0, r.stderr
    # analysis from the English table: houses = house N;PL -> ቤቶች; broke = break V;PST, no matching form
    # in the Amharic paradigm of ሰበረ -> its lemma
    assert out2.read_text(encoding="utf-8") == "The ቤቶች ሰበረ.\n"


def test_errors_are_one_line(lexstore, cli, fixtures, tmp_path):
    r = cli(
        "augment",
        "pseudo-mono",
        "--src",
        "eng",
        "--tgt",
        "zul",
        "-i",
        fixtures / "augment" / "eng.txt",
        "-o",
        tmp_path / "o.txt",
    )
    assert r.exit_code == 2 and "no lexicon between eng and zul" in r.stderr and "Traceback" not in r.stderr
    r = cli(
        "augment",
        "pseudo-mono",
        "--src",
        "eng",
        "--tgt",
        "swh",
        "-i",
        fixtures / "augment" / "eng.txt",
        "-o",
        tmp_path / "o.txt",
        "--choice",
        "best",
    )
    assert r.exit_code == 2 and "--choice" in r.stderr
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok line\n\xff\xfe broken\n")
    r = cli("augment", "pseudo-mono", "--src", "eng", "--tgt", "swh", "-i", bad, "-o", tmp_path / "o.txt")
    assert r.exit_code == 2 and "bad.txt:2" in r.stderr
    assert not (tmp_path / "o.txt").exists()
