"""--workers: the input split over processes with dask gives the same bytes and counts as one process."""

from __future__ import annotations

import json

import pytest

from lexres.augment.text.parallel import split_ranges


def test_split_ranges_cut_at_line_ends(tmp_path):
    path = tmp_path / "in.txt"
    lines = [f"line {i} " + "x" * (i % 17) + "\n" for i in range(500)]
    path.write_text("".join(lines), encoding="utf-8")
    data = path.read_bytes()
    ranges = split_ranges(path, 4)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(data)
    assert all(b == c for (_, b, _), (c, _, _) in zip(ranges, ranges[1:], strict=False))
    for a, _b, first in ranges:
        assert a == 0 or data[a - 1 : a] == b"\n"
        assert first == data[:a].count(b"\n")
    assert len(split_ranges(path, 1)) == 1


def test_workers_same_bytes(cli, fixtures, tmp_path):
    pytest.importorskip("dask")
    assert (
        cli(
            "import", "lexicon", fixtures / "augment" / "eng-swh.tsv", "--lang", "eng", "--target-lang", "swh"
        ).exit_code
        == 0
    )
    src = tmp_path / "in.txt"
    src.write_text(
        "".join(
            f"The big dog {i} ran to the house near a river.\n" if i % 5 else "nothing\n" for i in range(3000)
        ),
        encoding="utf-8",
    )
    outs = {}
    for w in ("1", "2"):
        out = tmp_path / f"out{w}.txt"
        r = cli(
            "augment",
            "pseudo-mono",
            "--src",
            "eng",
            "--tgt",
            "swh",
            "-i",
            src,
            "-o",
            out,
            "--seed",
            "9",
            "--workers",
            w,
            "--json",
            "--no-record",
        )
        assert r.exit_code == 0, r.stderr
        outs[w] = (out.read_bytes(), json.loads(r.stdout)["counts"])
    assert outs["1"] == outs["2"]
    assert outs["1"][1]["sentences_out"] == 2400
    r = cli(
        "augment",
        "pseudo-mono",
        "--src",
        "eng",
        "--tgt",
        "swh",
        "-i",
        src,
        "-o",
        tmp_path / "t.txt",
        "--tagged",
        "--workers",
        "2",
    )
    assert r.exit_code == 2 and "--workers" in r.stderr
