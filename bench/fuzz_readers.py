"""Fuzz every reader: mutate real files and imports them into a copy of a small populated store, each in a
child process with a memory and a time cap, and check the importer's promises.

    python bench/fuzz_readers.py [--per-reader N] [--seed S] [--workers W] [--out DIR]
                                 [--timeout SEC] [--memory MB] [--readers kind/name,...]

Seeds: the project's fixtures (tests/fixtures) and the real files in the shared data folder
(../shared/data beside the repo, or $LEXRES_SHARED_DATA; files up to --max-seed KB, each given to the
reader that sniffing picks). Mutations: truncation, bit flips, invalid UTF-8, NUL bytes, a 10 MB line,
deep nesting (parentheses, XML elements, JSON arrays), re-encoding as UTF-16, line-end changes (CR, CRLF,
U+2028), splices from another format's file, number changes (huge, negative, superscript, NaN); a case
may stack two of them. Each input is imported with --on-error fail or skip (alternating).

Checks per input:
- no exception other than LexresError (a "crash"), and no hang past --timeout (a "hang");
- after a failed import the store file is byte-identical to before;
- after a successful one, read = stored + rejected and `PRAGMA integrity_check` says ok
  (else an "invariant break").
Prints per reader: tried, imported, clean errors, crashes, hangs, invariant breaks. Each distinct crash
(reader, exception type, raising line) is minimised (chunks cut away while the same crash remains) and
saved under --out as `<kind>-<name>-<n>.bin` with a `.txt` beside it (traceback and how to replay it).
The full run is 2,000 inputs per reader; keep --workers at most the cores you may use."""
from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import os
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIX = REPO / "tests" / "fixtures"

def _samples() -> dict[tuple[str, str], tuple[str, dict]]:
    """reader -> (fixture seed, import keywords with `extra` files to copy beside every input and, where the
    seed is not the file imported, its `entry`), from the table the contract test shares
    (tests/fixtures/reader_samples.json)."""
    out = {}
    table = json.loads((FIX / "reader_samples.json").read_text(encoding="utf-8"))["readers"]
    for key, s in table.items():
        kw = {**s["import"], "extra": list(s.get("extra", []))}
        seed = s.get("mutate") or s["file"]
        if seed != s["file"]:  # mutate one table of a dataset, import it through the dataset's file
            kw["extra"] = [s["file"]] + [x for x in kw["extra"] if x != seed]
            kw["entry"] = Path(s["file"]).name
        out[tuple(key.split("/"))] = (seed, kw)
    return out


SAMPLES = _samples()
# languages for real seeds whose reader needs one and whose name does not say
REAL_LANG = {"bible": "und", "morph": "und", "lexicon": None}
BIG_LINE = 10 * 1024 * 1024


def shared_data() -> Path | None:
    root = Path(os.environ.get("LEXRES_SHARED_DATA", REPO.parent / "shared" / "data"))
    return root if root.is_dir() else None


@dataclass
class Seed:
    data: bytes
    name: str
    kw: dict
    origin: str


@dataclass
class Tally:
    tried: int = 0
    imported: int = 0
    clean: int = 0
    crashes: int = 0
    hangs: int = 0
    broken: int = 0
    crash_sigs: dict = field(default_factory=dict)
    clean_seen: list = field(default_factory=list)
    clean_kinds: dict = field(default_factory=dict)  # error text without paths/numbers -> count


# -- seeds ------------------------------------------------------------------------------------------------

def collect_seeds(readers, max_kb: int) -> dict[tuple[str, str], list[Seed]]:
    from lexres import formats

    seeds: dict[tuple[str, str], list[Seed]] = {(r.kind, r.name): [] for r in readers}
    for r in readers:
        got = SAMPLES.get((r.kind, r.name))
        if got:
            rel, kw = got
            seeds[(r.kind, r.name)].append(
                Seed((FIX / rel).read_bytes(), Path(rel).name, kw, f"fixture {rel}"))
    root = shared_data()
    if root is None:
        print("shared data not found (set LEXRES_SHARED_DATA): fixtures only", file=sys.stderr)
        return seeds
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.stat().st_size > max_kb * 1024 or path.name.endswith(".md"):
            continue
        for kind in ("bible", "lexicon", "morph"):
            try:
                reader = formats.sniff(kind, path)
            except Exception:  # noqa: BLE001 - not this kind, or that reader's sniffer is broken
                continue
            key = (reader.kind, reader.name)
            if key not in seeds or key == ("lexicon", "cldf") or key == ("bible", "vline"):
                break  # multi-file formats are seeded from the fixtures only
            kw = {k: v for k, v in SAMPLES.get(key, ("", {}))[1].items() if k not in ("extra", "entry")}
            if key == ("lexicon", "table"):  # real tables have their own header: map the first two columns
                kw = {"options": {"columns": "src=0,tgt=1", "header": "true"},
                      "lang": "eng", "target_lang": "fra"}
            if REAL_LANG[kind]:
                kw["lang"] = REAL_LANG[kind]
            elif key != ("lexicon", "table"):
                kw.pop("lang", None)
                kw.pop("target_lang", None)
            kw["force_lang"] = True
            seeds[key].append(Seed(path.read_bytes(), path.name, kw, str(path.relative_to(root))))
            break
    return seeds


# -- mutations --------------------------------------------------------------------------------------------

def _numbers(data: bytes, rng: random.Random) -> bytes:
    pick = rng.choice([b"99999999999999999999999", b"-1", b"0", "\u00b2".encode(), b"1e309", b"NaN",
                       b"18446744073709551617", "\u0663".encode(), b"1.5", b"+7"])
    spans = [m.span() for m in re.finditer(rb"\d+", data[:200_000])]
    if not spans:
        return data + pick
    for a, b in rng.sample(spans, min(len(spans), rng.randint(1, 3))):
        data = data[:a] + pick + data[b:]
        break
    return data


def mutate(data: bytes, rng: random.Random, others: list[bytes]) -> tuple[bytes, str]:
    """One or two random mutations of `data`; returns the bytes and what was done."""
    done = []
    for _ in range(rng.choice((1, 1, 2))):
        n = len(data)
        at = rng.randrange(n + 1) if n else 0
        kind = rng.choice(["truncate", "bitflip", "bad-utf8", "nul", "long-line", "deep", "utf16",
                           "line-ends", "splice", "numbers", "delete", "duplicate"])
        if kind == "truncate":
            data = data[:at]
        elif kind == "bitflip":
            buf = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                if buf:
                    i = rng.randrange(len(buf))
                    buf[i] ^= 1 << rng.randrange(8)
            data = bytes(buf)
        elif kind == "bad-utf8":
            data = data[:at] + rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80",
                                           b"\xc0\xaf", b"\xe2\x80"]) + data[at:]
        elif kind == "nul":
            data = data[:at] + b"\x00" * rng.randint(1, 4) + data[at:]
        elif kind == "long-line":
            data = data[:at] + rng.choice([b"a", b"\t", b"<", b";"]) * BIG_LINE + data[at:]
        elif kind == "deep":
            depth = rng.choice([300, 3000, 100_000])
            pattern = rng.choice([(b"NOM(", b")"), (b"<a>", b"</a>"), (b"[", b"]"), (b'{"a":', b"}")])
            data = data[:at] + pattern[0] * depth + pattern[1] * rng.choice([0, depth]) + data[at:]
        elif kind == "utf16":
            data = data.decode("utf-8", "replace").encode(rng.choice(["utf-16", "utf-16-le", "utf-16-be"]))
        elif kind == "line-ends":
            end = rng.choice([b"\r", b"\r\n", "\u2028".encode(), b"\n\n", b"\r\r\n"])
            data = data.replace(b"\r\n", b"\n").replace(b"\n", end)
            if rng.random() < 0.3:
                data = b"\xef\xbb\xbf" + data
        elif kind == "splice" and others:
            other = rng.choice(others)
            a = rng.randrange(len(other) + 1)
            data = data[:at] + other[a:a + rng.randint(1, 4000)] + data[at:]
        elif kind == "numbers":
            data = _numbers(data, rng)
        elif kind == "delete" and n:
            data = data[:at] + data[at + rng.randint(1, 200):]
        elif kind == "duplicate" and n:
            data = data[:at] + data[max(0, at - 500):at] + data[at:]
        done.append(kind)
    return data, "+".join(done)


# -- one case, in a child process -------------------------------------------------------------------------

def _place(folder: Path, reader_key, seed: Seed, data: bytes) -> tuple[Path, dict]:
    kw = dict(seed.kw)
    for extra in kw.pop("extra", []):
        shutil.copy(FIX / extra, folder / Path(extra).name)
    path = folder / seed.name
    path.write_bytes(data)
    entry = kw.pop("entry", None)
    options = dict(kw.pop("options", {}))
    if "vref" in options:  # names a sample file copied beside the input
        options["vref"] = str(folder / options["vref"])
    if options:
        kw["options"] = options
    return (folder / entry if entry else path), kw


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_case(reader_key, seed: Seed, data: bytes, mode: str, base: Path, memory_mb: int) -> tuple[str, str]:
    """(outcome, detail) for one input: imported, clean, crash or invariant."""
    import resource

    # the cap is on top of what the forked child already maps (the parent's heap comes along with fork)
    try:
        with open("/proc/self/statm") as fh:
            mapped = int(fh.read().split()[0]) * resource.getpagesize()
    except OSError:
        mapped = 0
    limit = mapped + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from lexres.errors import LexresError
    from lexres.importer import import_resource
    from lexres.store import Store

    with tempfile.TemporaryDirectory(prefix="lexres-fuzz-") as tmp:
        folder = Path(tmp)
        db = folder / "store.db"
        shutil.copy(base, db)
        before = _digest(db)
        path, kw = _place(folder, reader_key, seed, data)
        try:
            with Store.open(db) as store:
                res = import_resource(store, reader_key[0], [path], format=reader_key[1], on_error=mode,
                                      name="fuzz-input", rejects_path=folder / "rejects.tsv", **kw)
        except LexresError as exc:
            for side in ("-wal", "-shm"):
                Path(str(db) + side).unlink(missing_ok=True)
            if _digest(db) != before:
                return "invariant", f"store changed after a failed import: {exc}"
            return "clean", str(exc)[:300]
        except BaseException as exc:  # noqa: BLE001 - every other exception is the finding
            return "crash", _signature(exc) + "\n" + traceback.format_exc()[-4000:]
        with Store.open(db) as store:
            ok = store.conn.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            return "invariant", f"integrity_check: {ok}"
        if res.n_read != res.n_stored + res.n_rejected:
            return "invariant", f"read {res.n_read} != stored {res.n_stored} + rejected {res.n_rejected}"
        return "imported", ""


def _signature(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in tb if "/lexres/" in f.filename or "/loaders/" in f.filename or f.filename.startswith(
        str(REPO))] or tb
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    return f"{type(exc).__name__} at {where}"


def _child(conn, *args) -> None:
    try:
        conn.send(run_case(*args))
    except BaseException as exc:  # noqa: BLE001 - even the harness failing is reported, not lost
        try:
            conn.send(("crash", _signature(exc) + "\n" + traceback.format_exc()[-4000:]))
        except Exception:  # noqa: BLE001
            pass
    finally:
        conn.close()


def run_isolated(ctx, args, timeout: float) -> tuple[str, str]:
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, *args), daemon=True)
    proc.start()
    send.close()
    got = None
    if recv.poll(timeout):
        try:
            got = recv.recv()
        except EOFError:
            got = None
    proc.join(5)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return ("hang", f"no answer within {timeout:.0f} s") if got is None else got
    if got is None:
        return "crash", f"child died (exit code {proc.exitcode}: killed by the memory cap, or a crash in C)"
    return got


# -- minimising -------------------------------------------------------------------------------------------

def minimise(ctx, reader_key, seed: Seed, data: bytes, mode: str, base: Path, memory_mb: int, timeout: float,
             sig: str, budget: int = 40) -> bytes:
    """Cut chunks away while the child still crashes with the same signature (bounded by `budget` runs)."""
    runs = 0
    chunk = max(1, len(data) // 2)
    while chunk >= 1 and runs < budget:
        i, cut_any = 0, False
        while i < len(data) and runs < budget:
            cand = data[:i] + data[i + chunk:]
            runs += 1
            outcome, detail = run_isolated(ctx, (reader_key, seed, cand, mode, base, memory_mb), timeout)
            if outcome == "crash" and detail.split("\n", 1)[0] == sig:
                data, cut_any = cand, True
            else:
                i += chunk
        if not cut_any:
            chunk //= 2
    return data


# -- driver -----------------------------------------------------------------------------------------------

def make_base_store(folder: Path) -> Path:
    from lexres.importer import import_resource
    from lexres.store import Store

    db = folder / "base.db"
    with Store.open(db) as store:
        import_resource(store, "morph", [FIX / "morph" / "toy.trn"], lang="tur", format="sigmorphon")
        import_resource(store, "lexicon", [FIX / "lexicon" / "fr-en.mini"], lang="fra", target_lang="eng",
                        format="muse")
    for side in ("-wal", "-shm"):
        Path(str(db) + side).unlink(missing_ok=True)
    return db


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--per-reader", type=int, default=2000, help="inputs per reader (default 2000)")
    ap.add_argument("--seed", type=int, default=0, help="random seed (the same seed replays the same inputs)")
    ap.add_argument("--workers", type=int, default=1, help="child processes at a time (keep <= 2)")
    ap.add_argument("--out", type=Path, default=Path("fuzz-out"), help="folder for minimised reproducers")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds before an input counts as a hang")
    ap.add_argument("--memory", type=int, default=2048, help="address-space cap per child, MB")
    ap.add_argument("--max-seed", type=int, default=400, help="largest real file used as a seed, KB")
    ap.add_argument("--readers", default="", help="only these readers, e.g. lexicon/tei,morph/unimorph")
    ap.add_argument("--verbose", action="store_true", help="also list the first clean errors of each reader")
    args = ap.parse_args(argv)
    if args.workers < 1:
        ap.error("--workers must be at least 1")

    from lexres import formats

    readers = [r for r in formats.readers()
               if not args.readers or f"{r.kind}/{r.name}" in args.readers.split(",")]
    for r in readers:  # import every reader before forking, so children start warm
        try:
            r.read  # noqa: B018
        except Exception as exc:  # noqa: BLE001
            print(f"note: {r.kind}/{r.name} does not import ({exc})", file=sys.stderr)
    seeds = collect_seeds(readers, args.max_seed)
    everything = [s.data for group in seeds.values() for s in group]
    rng = random.Random(args.seed)
    ctx = mp.get_context("fork")
    args.out.mkdir(parents=True, exist_ok=True)
    tallies: dict[tuple[str, str], Tally] = {}
    saved = 0
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="lexres-fuzz-base-") as tmp:
        base = make_base_store(Path(tmp))
        for r in readers:
            tallies[(r.kind, r.name)] = Tally()
            if not seeds[(r.kind, r.name)]:
                print(f"note: no seed for {r.kind}/{r.name}; skipped", file=sys.stderr)

        def cases():  # made one at a time: 10 MB mutations must not pile up in the parent (fork copies it)
            for r in readers:
                key = (r.kind, r.name)
                for i in range(args.per_reader if seeds[key] else 0):
                    seed = rng.choice(seeds[key])
                    data, what = mutate(seed.data, rng, everything)
                    yield key, seed, data, what, "skip" if i % 2 else "fail"

        running: list = []
        pending = cases()
        more = True
        while more or running:
            while more and len(running) < args.workers:
                case = next(pending, None)
                if case is None:
                    more = False
                    break
                key, seed, data, what, mode = case
                recv, send = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_child, args=(send, key, seed, data, mode, base, args.memory),
                                   daemon=True)
                proc.start()
                send.close()
                running.append((proc, recv, time.time(), (key, seed, data, what, mode)))
            time.sleep(0.002)
            still = []
            for proc, recv, t0, case in running:
                key, seed, data, what, mode = case
                outcome = None
                if recv.poll():
                    try:
                        outcome = recv.recv()
                    except EOFError:
                        outcome = ("crash", f"child died (exit code {proc.exitcode})")
                elif not proc.is_alive():  # it may have sent its answer between poll() and now
                    proc.join(5)
                    if recv.poll(1.0):
                        try:
                            outcome = recv.recv()
                        except EOFError:
                            outcome = None
                    if outcome is None:
                        outcome = ("crash", f"child died (exit code {proc.exitcode}: memory cap or a crash "
                                   "in C)")
                elif time.time() - t0 > args.timeout:
                    proc.kill()
                    outcome = ("hang", f"no answer within {args.timeout:.0f} s")
                if outcome is None:
                    still.append((proc, recv, t0, case))
                    continue
                proc.join(5)
                if proc.is_alive():
                    proc.kill()
                    proc.join()
                recv.close()
                saved += _record(tallies[key], outcome, case, ctx, base, args)
            running = still
    _print_table(tallies, time.time() - started, args)
    return 1 if any(t.crashes or t.hangs or t.broken for t in tallies.values()) else 0


def _record(t: Tally, outcome: tuple[str, str], case, ctx, base: Path, args) -> int:
    key, seed, data, what, mode = case
    kind, detail = outcome
    t.tried += 1
    if kind == "imported":
        t.imported += 1
        return 0
    if kind == "clean":
        t.clean += 1
        if len(t.clean_seen) < 5:
            t.clean_seen.append(f"{what} ({seed.origin}): {detail[:160]}")
        shape = re.sub(r"\d+", "N", re.sub(r"\S*/\S*", "PATH", detail))[:90]
        t.clean_kinds[shape] = t.clean_kinds.get(shape, 0) + 1
        return 0
    if kind == "hang":
        t.hangs += 1
    elif kind == "invariant":
        t.broken += 1
    else:
        t.crashes += 1
    sig = detail.split("\n", 1)[0]
    if (kind, sig) in t.crash_sigs:
        t.crash_sigs[(kind, sig)] += 1
        return 0
    t.crash_sigs[(kind, sig)] = 1
    if kind == "crash":
        data = minimise(ctx, key, seed, data, mode, base, args.memory, args.timeout, sig)
    n = len(t.crash_sigs)
    stem = args.out / f"{key[0]}-{key[1]}-{n}"
    stem.with_suffix(".bin").write_bytes(data)
    replay = (f"lexres import {key[0]} {stem.with_suffix('.bin').name} --format {key[1]} --on-error {mode}"
              + "".join(f" --{k.replace('_', '-')} {v}" for k, v in seed.kw.items()
                        if k in ("lang", "target_lang")))
    stem.with_suffix(".txt").write_text(
        f"{kind}: {sig}\nreader: {key[0]}/{key[1]}\nseed file: {seed.origin} (saved as {seed.name})\n"
        f"mutations: {what}\nmode: --on-error {mode}\nreplay (rename the .bin to {seed.name} first if the "
        f"reader needs its name): {replay}\n\n{detail}\n", encoding="utf-8")
    print(f"{kind}: {key[0]}/{key[1]}: {sig} -> {stem}.bin", file=sys.stderr)
    return 1


def _print_table(tallies, seconds: float, args) -> None:
    head = (f"{'reader':<26}{'tried':>7}{'imported':>10}{'clean err':>11}{'crashes':>9}{'hangs':>7}"
            f"{'invariant':>11}")
    print(head)
    print("-" * len(head))
    for (kind, name), t in tallies.items():
        print(f"{kind + '/' + name:<26}{t.tried:>7}{t.imported:>10}{t.clean:>11}{t.crashes:>9}{t.hangs:>7}"
              f"{t.broken:>11}")
    total = Tally()
    for t in tallies.values():
        total.tried += t.tried
        total.imported += t.imported
        total.clean += t.clean
        total.crashes += t.crashes
        total.hangs += t.hangs
        total.broken += t.broken
    print("-" * len(head))
    print(f"{'total':<26}{total.tried:>7}{total.imported:>10}{total.clean:>11}{total.crashes:>9}"
          f"{total.hangs:>7}{total.broken:>11}")
    print(f"seed {args.seed}, {args.per_reader} per reader, {args.workers} worker(s), {seconds:.0f} s")
    for (kind, name), t in tallies.items():
        for (what, sig), count in t.crash_sigs.items():
            print(f"  {kind}/{name}: {what} x{count}: {sig}")
        if t.clean_kinds:  # the commonest clean error: one error for every input means a broken setup
            shape, count = max(t.clean_kinds.items(), key=lambda kv: kv[1])
            print(f"  {kind}/{name}: commonest clean error x{count}: {shape}")
        if args.verbose:
            for line in t.clean_seen:
                print(f"  {kind}/{name}: clean: {line}")


if __name__ == "__main__":
    sys.exit(main())
