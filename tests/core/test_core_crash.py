"""Crash safety and concurrency, in real processes: a SIGKILLed import leaves no trace, and four processes
importing into one store at once all succeed with nothing lost or duplicated."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from lexres.store import Store

TESTS = Path(__file__).resolve().parents[1]

# A child process that imports `n` records and, once `pause_at` have been written (several batches
# flushed inside the open transaction), touches a marker file and sleeps, waiting to be killed.
CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from tests.helpers import morph_records, write_lines
    from lexres.importer import import_resource
    from lexres.store import Store

    store_path, src, name, n, pause_at, marker = sys.argv[1:7]
    n, pause_at = int(n), int(pause_at)

    def records():
        for i, rec in enumerate(morph_records(n, tag=name)):
            if i == pause_at:
                Path(marker).write_text("ready")
                time.sleep(120)
            yield rec

    with Store.open(store_path) as store:
        res = import_resource(store, "morph", [src], lang="gle", name=name, records=records())
        print(res.status, res.resource_id, res.n_stored)
""").format(tests=str(TESTS))


def _spawn(store_path, src, name, n, pause_at, marker):
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(store_path), str(src), name, str(n), str(pause_at), str(marker)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(path: Path, proc, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"child ended early: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("child never reached the pause point")
        time.sleep(0.05)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_midway_leaves_no_trace(tmp_path):
    from lexres.importer import import_resource
    from tests.helpers import morph_records, write_lines

    store_path = tmp_path / "store.db"
    kept = write_lines(tmp_path / "kept.tsv", 100, tag="kept")
    with Store.open(store_path) as store:
        import_resource(store, "morph", [kept], lang="gle", name="kept", records=morph_records(100, "kept"))

    src = write_lines(tmp_path / "doomed.tsv", 10, tag="doomed")
    marker = tmp_path / "ready"
    proc = _spawn(store_path, src, "doomed", 60_000, 35_000, marker)
    _wait_for(marker, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    with Store.open(store_path) as store:
        assert store.integrity_check() == "ok"
        assert [r.name for r in store.resources()] == ["kept"]
        assert store.query("SELECT COUNT(*) FROM morph")[0][0] == 100
        assert store.query("SELECT COUNT(*) FROM morph WHERE lemma LIKE 'doomed%'")[0][0] == 0
        # and the store still takes new imports
        again = write_lines(tmp_path / "after.tsv", 5, tag="after")
        res = import_resource(
            store, "morph", [again], lang="gle", name="after", records=morph_records(5, "after")
        )
        assert res.status == "imported"


def test_four_processes_import_at_once(tmp_path):
    store_path = tmp_path / "store.db"
    Store.open(store_path).close()
    from tests.helpers import write_lines

    n = 20_000
    procs = []
    for k in range(4):
        src = write_lines(tmp_path / f"t{k}.tsv", 3, tag=f"t{k}")
        # pause_at beyond n: no pause; marker unused
        procs.append(_spawn(store_path, src, f"t{k}", n, n + 1, tmp_path / f"m{k}"))
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        outs.append(out.split())
    assert sorted(o[0] for o in outs) == ["imported"] * 4
    with Store.open(store_path) as store:
        assert store.integrity_check() == "ok"
        res = store.resources()
        assert sorted(r.name for r in res) == ["t0", "t1", "t2", "t3"]
        assert all(r.entries == n and r.n_stored == n for r in res)
        total, distinct = store.query("SELECT COUNT(*), COUNT(DISTINCT lemma) FROM morph")[0]
        assert total == distinct == 4 * n
