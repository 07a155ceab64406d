"""Outputs: nothing overwritten by surprise, nothing half-written (cases in tests/fixtures/cases/outputs).

Every writer goes through lexres.outputs: an empty selection writes nothing (exit 2, an old file untouched),
no writer follows a symbolic link, a file lexres did not write is replaced only with --force, and a writer
killed with SIGKILL mid-write leaves the old file or none, never a truncated one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from lexres.errors import OptionError
from lexres.outputs import atomic_output, check_destination, made_by_lexres, write_text
from lexres.provenance import write_manifest

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "cases" / "outputs"
TESTS = Path(__file__).resolve().parents[1]
MANIFEST_KEYS = {"tool", "version", "command", "signature", "created", "python", "platform", "seed", "params",
                 "inputs", "counts", "outputs", "lexicons", "filtered_lines"}


def _error_line(r) -> str:
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert r.exit_code == 2 and len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    return lines[0]


@pytest.fixture
def uzb(cli):
    r = cli("import", "morph", CASES / "export_empty_selection" / "uzb.tsv", "--lang", "uzb")
    assert r.exit_code == 0, r.stderr
    return cli


# -- case export_empty_selection ----------------------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["export", "{out}", "--kind", "morph", "--lang", "fra"],
    ["export", "{out}", "--kind", "morph", "--lang", "fra", "--to", "parquet"],
    ["morph", "export", "{out}", "--lang", "fra"],
    ["lexicon", "export", "fra", "eng", "{out}"],
])
def test_empty_selection_writes_nothing_and_keeps_the_old_file(uzb, tmp_path, command):
    prev = tmp_path / "prev.tsv"
    prev.write_text("earlier results\n", encoding="utf-8")
    r = uzb(*[a.format(out=prev) for a in command])
    line = _error_line(r)
    assert "nothing to export" in line or "no fra-eng pairs" in line
    assert prev.read_text(encoding="utf-8") == "earlier results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prev.tsv", "store.db"] + sorted(
        p.name for p in tmp_path.iterdir() if p.name.startswith("store.db-"))


def test_generators_with_nothing_to_write_keep_the_old_output(cli, fixtures, tmp_path):
    lex = fixtures / "augment" / "eng-swh.tsv"
    assert cli("import", "lexicon", lex, "--lang", "eng", "--target-lang", "swh").exit_code == 0
    src = tmp_path / "in.txt"
    src.write_text("Nothing known here\nnor here\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    out.write_text("earlier results\n", encoding="utf-8")
    write_manifest(out, "earlier run")
    line = _error_line(cli("augment", "pseudo-mono", "--src", "eng", "--tgt", "swh", "-i", src, "-o", out,
                           "--no-record"))
    assert "no line kept" in line and out.read_text(encoding="utf-8") == "earlier results\n"
    line = _error_line(cli("augment", "hallucinate", "--input", CASES / "export_empty_selection" / "uzb.tsv",
                           "--output", out, "--n", "0"))
    assert "nothing to write" in line and out.read_text(encoding="utf-8") == "earlier results\n"


def test_export_never_replaces_a_file_lexres_did_not_write_unless_forced(uzb, tmp_path):
    prev = tmp_path / "prev.tsv"
    prev.write_text("earlier results\n", encoding="utf-8")
    line = _error_line(uzb("export", prev, "--kind", "morph"))
    assert "not written by lexres" in line and "--force" in line
    assert prev.read_text(encoding="utf-8") == "earlier results\n"
    r = uzb("export", prev, "--kind", "morph", "--force")
    assert r.exit_code == 0, r.stderr
    rows = prev.read_text(encoding="utf-8").splitlines()
    (res,) = json.loads(uzb("list", "--json").stdout)
    assert rows[0].startswith("lang\tlemma\tform") and len(rows) == 1 + res["entries"] > 1000
    # now lexres made it (manifest beside it): a re-run replaces it without --force
    manifest = json.loads((tmp_path / "prev.tsv.manifest.json").read_text())
    assert set(manifest) == MANIFEST_KEYS and manifest["counts"]["rows"] == len(rows) - 1
    assert uzb("export", prev, "--kind", "morph").exit_code == 0


# -- case export_symlink ------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["export", "{out}", "--kind", "morph"],
    ["export", "{out}", "--kind", "morph", "--force"],
    ["morph", "export", "{out}", "--lang", "uzb", "--force"],
    ["augment", "hallucinate", "--input", "{uzb}", "--output", "{out}", "--n", "5", "--force"],
    ["task", "inflection", "convert", "{uzb}", "{out}", "--to", "2023", "--force"],
    ["task", "inflection", "build", "--out", "{out}", "--lang", "uzb", "--force"],
])
def test_no_writer_follows_a_symlink(uzb, tmp_path, command):
    victim = tmp_path / "victim.txt"
    victim.write_bytes((CASES / "export_symlink" / "victim.txt").read_bytes())
    out = tmp_path / "out.tsv"
    out.symlink_to(victim.name)
    src = CASES / "export_symlink" / "uzb.tsv"
    line = _error_line(uzb(*[a.format(out=out, uzb=src) for a in command]))
    assert "symbolic link" in line
    assert victim.read_text(encoding="utf-8") == "this file must survive: it is not an output\n"
    assert out.is_symlink() and os.readlink(out) == victim.name


def test_a_symlinked_manifest_or_rejects_file_is_refused_before_anything_is_written(uzb, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n", encoding="utf-8")
    out = tmp_path / "out.tsv"
    (tmp_path / "out.tsv.manifest.json").symlink_to(victim.name)
    line = _error_line(uzb("export", out, "--kind", "morph"))
    assert "symbolic link" in line and not out.exists() and victim.read_text() == "keep\n"
    rejects = tmp_path / "r.tsv"
    rejects.symlink_to(victim.name)
    bad = CASES / "rejects_unwritable" / "bad.tsv"
    line = _error_line(uzb("import", "morph", bad, "--format", "unimorph", "--lang", "uzb", "--name", "bad",
                           "--on-error", "skip", "--rejects", rejects))
    assert "symbolic link" in line and victim.read_text() == "keep\n"
    assert "bad" not in uzb("list").stdout


def test_outputs_module_refuses_links_dirs_and_foreign_files(tmp_path):
    foreign = tmp_path / "notes.txt"
    foreign.write_text("mine\n")
    with pytest.raises(OptionError, match="not written by lexres"):
        check_destination(foreign)
    with pytest.raises(OptionError, match="is a directory"):
        check_destination(tmp_path)
    link = tmp_path / "link.txt"
    link.symlink_to(foreign.name)
    with pytest.raises(OptionError, match="symbolic link"):
        write_text(link, "x", force=True)
    assert foreign.read_text() == "mine\n" and not made_by_lexres(foreign)
    # an error inside the block leaves the destination as it was and no temporary file behind
    write_text(tmp_path / "made.txt", "old\n")
    write_manifest(tmp_path / "made.txt", "test")
    with pytest.raises(RuntimeError), atomic_output(tmp_path / "made.txt") as fh:
        fh.write("new, half")
        raise RuntimeError("boom")
    assert (tmp_path / "made.txt").read_text() == "old\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


# -- case rejects_unwritable ----------------------------------------------------------------------------

def test_unwritable_rejects_path_fails_before_anything_is_committed(cli, tmp_path):
    bad = CASES / "rejects_unwritable" / "bad.tsv"
    args = ("import", "morph", bad, "--format", "unimorph", "--lang", "uzb", "--on-error", "skip")
    line = _error_line(cli(*args, "--rejects", "/proc/nope/r.tsv"))
    assert "/proc/nope" in line
    # nothing was committed: the re-run imports (not "unchanged") and writes its rejects file
    rejects = tmp_path / "r.tsv"
    r = cli(*args, "--rejects", rejects)
    assert r.exit_code == 0 and r.stdout.startswith("imported"), r.stdout + r.stderr
    rows = rejects.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "path\tline\treason\traw" and len(rows) == 2 and "\t2\t" in rows[1]


def test_store_and_rejects_file_never_disagree(cli, store_path, tmp_path, monkeypatch):
    """A failure while the rejects file is written rolls the import back; a success stores exactly the
    rejected rows the file lists."""
    import lexres.importer as importer
    from lexres.store import Store

    bad = tmp_path / "bad.tsv"
    bad.write_text("".join(f"a{i}\tb{i}\tN;SG\n" if i % 3 else f"broken {i}\n" for i in range(300)),
                   encoding="utf-8")
    rejects = tmp_path / "r.tsv"
    real = importer.atomic_output

    def failing(path, *a, **k):
        if Path(path).name == "r.tsv":
            raise OSError(28, "No space left on device")
        return real(path, *a, **k)

    monkeypatch.setattr(importer, "atomic_output", failing)
    args = ("import", "morph", bad, "--format", "unimorph", "--lang", "uzb", "--on-error", "skip",
            "--rejects", rejects)
    r = cli(*args)
    assert r.exit_code == 2 and not rejects.exists()
    with Store.open(store_path, readonly=True) as store:
        assert store.resources() == [] and store.query("SELECT COUNT(*) FROM rejects")[0][0] == 0
    monkeypatch.setattr(importer, "atomic_output", real)
    assert cli(*args).exit_code == 0
    with Store.open(store_path, readonly=True) as store:
        (res,) = store.resources()
        stored = sorted((row[0], row[1]) for row in store.query("SELECT line, raw FROM rejects"))
    lines = rejects.read_text(encoding="utf-8").splitlines()[1:]
    in_file = sorted((int(x.split("\t")[1]), x.split("\t")[3]) for x in lines)
    assert stored == in_file and res.n_rejected == len(in_file) == 100


# -- SIGKILL mid-write ------------------------------------------------------------------------------------

# Runs the real CLI with lexres.outputs.atomic_output wrapped so that, after the second write to the file
# named argv[1], it touches a marker and sleeps: the parent then kills it in the middle of that write.
CHILD = textwrap.dedent("""
    import os, sys, time
    from contextlib import contextmanager
    sys.path.insert(0, {tests!r})
    import lexres.outputs as outputs

    target, marker = sys.argv[1], sys.argv[2]
    real = outputs.atomic_output

    class Paused:
        def __init__(self, fh):
            self.fh, self.n = fh, 0

        def write(self, text):
            self.fh.write(text)
            self.n += 1
            if self.n == 2:
                self.fh.flush()
                open(marker, "w").close()
                time.sleep(120)

        def __getattr__(self, name):
            return getattr(self.fh, name)

    @contextmanager
    def paused(path, *a, **k):
        with real(path, *a, **k) as fh:
            yield Paused(fh) if os.path.basename(str(path)) == target else fh

    outputs.atomic_output = paused
    from lexres.cli import main
    main(sys.argv[3:])
""").format(tests=str(TESTS))


@pytest.fixture
def filled(uzb, fixtures, tmp_path):
    lex = fixtures / "augment" / "eng-swh.tsv"
    r = uzb("import", "lexicon", lex, "--lang", "eng", "--target-lang", "swh")
    assert r.exit_code == 0, r.stderr
    text = (fixtures / "augment" / "eng.txt").read_text(encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text(text * (700_000 // len(text) + 1), encoding="utf-8")  # several 256 KiB blocks
    bad = tmp_path / "bad.tsv"
    bad.write_text("".join(f"a{i}\tb{i}\tN;SG\n" if i % 5 != 1 else f"broken {i}\n" for i in range(5000)),
                   encoding="utf-8")
    return tmp_path


KILLED = [
    (["export", "{out}", "--kind", "morph"], True),
    (["morph", "export", "{out}", "--lang", "uzb"], False),
    (["lexicon", "export", "eng", "swh", "{out}"], True),
    (["augment", "pseudo-mono", "--src", "eng", "--tgt", "swh", "--input", "{dir}/big.txt", "--output",
      "{out}", "--no-record", "--min-replaced", "0", "--no-keep-alignment"], False),
    (["augment", "hallucinate", "--input", "{uzb}", "--output", "{out}", "--n", "50"], True),
    (["task", "inflection", "convert", "{uzb}", "{out}", "--to", "2023"], False),
    (["import", "morph", "{dir}/bad.tsv", "--format", "unimorph", "--lang", "uzb", "--on-error", "skip",
      "--rejects", "{out}"], True),
]


@pytest.mark.parametrize("command,existing", KILLED, ids=[" ".join(c[:2]) for c, _ in KILLED])
def test_sigkill_mid_write_leaves_old_file_or_none(filled, store_path, command, existing):
    out, marker = filled / "out.tsv", filled / "paused"
    old = "old complete output\n"
    if existing:  # an earlier lexres output (manifest beside it), which the run is replacing
        out.write_text(old, encoding="utf-8")
        write_manifest(out, "earlier run")
    uzb_src = CASES / "export_empty_selection" / "uzb.tsv"
    argv = ["--store", str(store_path), *[a.format(out=out, dir=filled, uzb=uzb_src) for a in command]]
    proc = subprocess.Popen([sys.executable, "-c", CHILD, out.name, str(marker), *argv],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not marker.exists():
        if proc.poll() is not None:
            raise AssertionError(f"the command ended before writing: {proc.stderr.read()}")
        assert time.monotonic() < deadline, "the command never reached its second write"
        time.sleep(0.05)
    parts = [p for p in filled.iterdir() if p.name.startswith(".out.tsv.") and p.name.endswith(".part")]
    assert parts and parts[0].stat().st_size > 0  # it was writing, to a temporary file beside the output
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    if existing:
        assert out.read_text(encoding="utf-8") == old
    else:
        assert not out.exists()
    if command[0] == "import":  # the import was not committed either
        from lexres.store import Store

        with Store.open(store_path, readonly=True) as store:
            assert [r.name for r in store.resources()] == ["uzb.tsv", "eng-swh.tsv"]
