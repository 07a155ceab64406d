"""--workers: pseudo-mono cut into parts run by the executor layer (lexres.jobs, dask.distributed) gives the
same bytes, counts and filtered lines as one process, whatever the number of parts; a part's error comes
back as the error it was."""

from __future__ import annotations

import contextlib
import json

import pytest

from lexres.augment.text.blocks import split_ranges
from lexres.outputs import manifest_path


def test_split_ranges_cut_at_line_ends(tmp_path):
    path = tmp_path / "in.txt"
    lines = [f"line {i} " + "x" * (i % 17) + "\n" for i in range(500)]
    path.write_text("".join(lines), encoding="utf-8")
    data = path.read_bytes()
    for size in (7, 1 << 20):  # lines counted a few bytes or a block at a time: the same cuts
        ranges = split_ranges(path, 4, size)
        assert len(ranges) == 4
        assert ranges[0][0] == 0 and ranges[-1][1] == len(data)
        assert all(b == c for (_, b, _), (c, _, _) in zip(ranges, ranges[1:], strict=False))
        for a, _b, first in ranges:
            assert a == 0 or data[a - 1 : a] == b"\n"
            assert first == data[:a].count(b"\n")
    assert len(split_ranges(path, 1)) == 1
    two = tmp_path / "two.txt"
    two.write_text("a\nb\n", encoding="utf-8")
    assert split_ranges(two, 8) == [(0, 2, 0), (2, 4, 1)]  # never more parts than lines


@pytest.fixture
def eng_swh(cli, fixtures):
    lex = fixtures / "augment" / "eng-swh.tsv"
    r = cli("import", "lexicon", lex, "--lang", "eng", "--target-lang", "swh")
    assert r.exit_code == 0, r.stderr


@pytest.fixture
def on_cluster(monkeypatch, cluster2):
    """Jobs run on the session's two-worker cluster instead of starting a LocalCluster of their own."""
    from lexres import jobs

    @contextlib.contextmanager
    def session_client(workers=1, scheduler=None):  # noqa: ARG001
        yield cluster2

    monkeypatch.setattr(jobs, "client", session_client)


def _text(path, n=3000):
    path.write_text(
        "".join(f"The big dog {i} ran to the house by a river.\n" if i % 5 else "nothing\n" for i in range(n))
        + "no line break at the end",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("align", ["--keep-alignment", "--no-keep-alignment"])
def test_workers_give_the_same_bytes_counts_and_filtered_lines(cli, eng_swh, on_cluster, tmp_path, align):
    src = _text(tmp_path / "in.txt")
    outs = {}
    for w in ("1", "2", "3"):  # 3 parts on 2 workers: the cut does not matter either
        out = tmp_path / f"out{w}.txt"
        r = cli("augment", "pseudo-mono", "--src", "eng", "--tgt", "swh", "-i", src, "-o", out, "--seed", "9",
                "--workers", w, align, "--json")
        assert r.exit_code == 0, r.stderr
        man = json.loads(manifest_path(out).read_text(encoding="utf-8"))
        outs[w] = (out.read_bytes(), json.loads(r.stdout)["counts"], man["filtered_lines"], man["params"])
    assert outs["1"] == outs["2"] == outs["3"]
    data, counts, filtered, _ = outs["1"]
    assert counts["sentences_in"] == 3001 and counts["sentences_out"] == 2400
    assert filtered[:3] == [1, 6, 11] and len(filtered) == 601  # `nothing` lines and the unfinished last
    assert data.count(b"\n") == (3000 if align == "--keep-alignment" else 2400)
    assert not list(tmp_path.glob(".out*"))  # no part file left behind


def test_a_part_error_is_the_error_of_the_input(cli, eng_swh, on_cluster, tmp_path):
    src = _text(tmp_path / "in.txt", 2000)
    data = src.read_bytes()
    cut = data.index(b"\n", len(data) * 3 // 4) + 1  # a bad byte at the start of a line in the second part
    src.write_bytes(data[:cut] + b"\xff" + data[cut:])
    line = data[:cut].count(b"\n") + 1
    out = tmp_path / "out.txt"
    r = cli("augment", "pseudo-mono", "--src", "eng", "--tgt", "swh", "-i", src, "-o", out, "--workers", "2")
    assert r.exit_code == 2 and f"in.txt:{line}: not UTF-8" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert not out.exists() and not list(tmp_path.glob(".out*"))


def test_workers_refuse_tagged_input(cli, eng_swh, tmp_path):
    src = _text(tmp_path / "in.txt", 10)
    r = cli("augment", "pseudo-mono", "--src", "eng", "--tgt", "swh", "-i", src, "-o", tmp_path / "t.txt",
            "--tagged", "--workers", "2")
    assert r.exit_code == 2 and "--workers" in r.stderr
