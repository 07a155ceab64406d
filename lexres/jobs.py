"""The one executor layer: run one task per (job, language) on dask.distributed, so a job over a thousand
languages uses every core of a machine (a LocalCluster, one thread per worker process) or of a cluster
(`--scheduler ADDRESS`).

Tasks get the store opened read-only (SQLite `mode=ro`), build their own tables, write their own outputs
atomically with manifests and return frozen results; only the client writes to the store. Every task gets a
seed derived from (job seed, language) alone, so the outputs are byte-identical whatever the number of
workers or the order tasks finish in. A task that fails for a reason that may not recur (a worker lost, a
MemoryError, an OSError, a bug that depends on the machine) is retried once; one that fails with a
LexresError (bad input, such as no lexicon for the pair) is not, as running it again gives the same error.
A failed task is reported and the other languages go on. A job may also cut one language's input into
parts (`LangTask.part`: `augment pseudo-mono --workers N` runs one task per part of its input file).

dask is imported only when a job runs (extra `scale`)."""

from __future__ import annotations

import hashlib
import importlib
import os
import resource
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lexres.errors import LexresError, OptionError, require
from lexres.progress import Progress

RETRIES = 1  # a language that failed other than by a LexresError is run once more before it is reported


def lang_seed(seed: int, lang: str) -> int:
    """The seed of one language's task: the first 4 bytes of SHA-256 over `seed` and the language tag, so it
    depends on nothing else (not the worker, not the order of languages)."""
    digest = hashlib.sha256(f"{int(seed)}\0{lang}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


@dataclass(frozen=True)
class LangTask:
    """One unit of work: `job` for language `lang` with its derived `seed`; `params` are the job's options
    (the same for every language); `part` numbers the pieces of a job that cuts one language's input."""

    job: str
    lang: str
    seed: int
    params: Mapping[str, Any] = field(default_factory=dict)
    part: int = 0


@dataclass(frozen=True)
class TaskError:
    """A LexresError raised in a worker, kept so that it travels back to the client and can be raised there
    again as the same error (LexresError subclasses do not all survive pickling): its class (module and
    name), message and attributes (hint, path, line...)."""

    module: str
    name: str
    message: str
    state: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, exc: LexresError) -> TaskError:
        """The travelling form of `exc`."""
        return cls(type(exc).__module__, type(exc).__qualname__, str(exc), dict(vars(exc)))

    def exception(self) -> LexresError:
        """The error again, of its own class (LexresError when that class cannot be found here)."""
        klass = getattr(importlib.import_module(self.module), self.name, None)
        if not (isinstance(klass, type) and issubclass(klass, LexresError)):
            klass = LexresError
        err = klass.__new__(klass)
        Exception.__init__(err, self.message)
        err.__dict__.update(self.state)
        return err


@dataclass(frozen=True)
class Outcome:
    """What one language's task did. `status` is done or failed; `attempts` counts runs (2 after a retry);
    `result` is the work function's return value (None when it failed) and `error` the last error as one
    line. `seconds` is wall time, `cpu_seconds` the task's process CPU time, `peak_rss_kb` the worker's
    peak resident memory (KiB) when the task ended, `worker` the process that ran it."""

    job: str
    lang: str
    status: str
    attempts: int
    result: Any = None
    error: str | None = None
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_rss_kb: int = 0
    worker: str = ""
    detail: str | None = None  # the traceback of an error that is not a LexresError (a bug, not bad input)
    raised: TaskError | None = None  # the LexresError that failed it, to raise again in the client

    @property
    def ok(self) -> bool:
        """True when the task returned (status `done`); False when it raised (status `failed`)."""
        return self.status == "done"

    @property
    def input_error(self) -> bool:
        """True when the task failed with a LexresError: bad input, which running it again cannot mend, so it
        is never retried."""
        return not self.ok and self.raised is not None

    def reraise(self) -> None:
        """Raise the error that failed this task in the caller: its LexresError again, or (a bug in a
        worker) a RuntimeError carrying the worker's traceback. Does nothing when the task is done."""
        if self.ok:
            return
        if self.raised is not None:
            raise self.raised.exception()
        raise RuntimeError(f"{self.job} {self.lang} failed in {self.worker or 'a worker'}: {self.error}\n"
                           f"{self.detail or ''}")


@dataclass(frozen=True)
class JobReport:
    """The outcomes of a job, in the order its languages were given, with the workers it ran on and the wall
    time (seconds)."""

    job: str
    outcomes: tuple[Outcome, ...]
    workers: int
    seconds: float

    @property
    def done(self) -> tuple[Outcome, ...]:
        """The outcomes of the tasks that finished, in the order the languages were given."""
        return tuple(o for o in self.outcomes if o.ok)

    @property
    def failed(self) -> tuple[Outcome, ...]:
        """The outcomes of the tasks that failed (`error` says why), in the order the languages were given."""
        return tuple(o for o in self.outcomes if not o.ok)

    @property
    def cpu_seconds(self) -> float:
        """CPU time (seconds) of all the job's tasks, summed over every worker."""
        return sum(o.cpu_seconds for o in self.outcomes)

    def peak_rss_kb(self) -> dict[str, int]:
        """Peak resident memory (KiB) per worker process."""
        out: dict[str, int] = {}
        for o in self.outcomes:
            out[o.worker] = max(out.get(o.worker, 0), o.peak_rss_kb)
        return out


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    hint = getattr(exc, "hint", None)
    if isinstance(exc, LexresError):
        return text + (f" (hint: {' '.join(hint.split())})" if hint else "")
    return f"{type(exc).__name__}: {text}"


def call_task(work: Callable[[Any, LangTask], Any], store_path: str | None, task: LangTask) -> Outcome:
    """Run `work(store, task)` in this process with the store opened read-only (None when `store_path` is
    None) and time it. Never raises: a failure comes back as an Outcome with status failed."""
    from lexres.store import Store

    t0, c0 = time.perf_counter(), time.process_time()
    result, error, detail, raised = None, None, None, None
    try:
        if store_path is None:
            result = work(None, task)
        else:
            with Store(store_path, readonly=True) as store:
                result = work(store, task)
    except Exception as exc:  # reported per language as text (an exception need not pickle); the job goes on
        error = _one_line(exc)
        if isinstance(exc, LexresError):
            raised = TaskError.of(exc)
        else:
            detail = traceback.format_exc(limit=8)
    return Outcome(
        task.job,
        task.lang,
        "done" if error is None else "failed",
        1,
        result,
        error,
        time.perf_counter() - t0,
        time.process_time() - c0,
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        f"{os.uname().nodename}:{os.getpid()}",
        detail,
        raised,
    )


@contextmanager
def client(workers: int = 1, scheduler: str | None = None) -> Iterator[Any]:
    """A dask.distributed Client: on the cluster at `scheduler` (an address such as tcp://host:8786), else on
    a LocalCluster of `workers` processes with one thread each, closed at the end.

    Raises MissingExtraError without dask.distributed, OptionError for workers < 1."""
    distributed = require("dask.distributed", "scale")
    if scheduler:
        with distributed.Client(scheduler, set_as_default=False) as c:
            yield c
        return
    if workers < 1:
        raise OptionError(f"--workers must be at least 1, not {workers}")
    cluster = distributed.LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        memory_limit=0,
        silence_logs=40,
    )
    try:
        with distributed.Client(cluster, set_as_default=False) as c:
            yield c
    finally:
        cluster.close()


def run_tasks(
    work: Callable[[Any, LangTask], Any],
    tasks: Sequence[LangTask],
    *,
    store_path: str | Path | None,
    workers: int = 1,
    scheduler: str | None = None,
    dask_client: Any = None,
    progress: Progress | None = None,
    retries: int = RETRIES,
    label: str | None = None,
) -> JobReport:
    """Run `work(store, task)` for every task on dask (one task per language) and collect the outcomes in the
    order of `tasks`. `work` must be a module-level function (it is pickled by reference). A task that failed
    other than by a LexresError is resubmitted up to `retries` times; one that raised a LexresError (bad
    input: the same again on every run) is reported failed at once; the others finish. `dask_client`
    reuses a running Client (tests, benchmarks); otherwise one is made from `workers` / `scheduler`.
    `label` describes the progress bar (default: `<job>: languages`).

    Raises MissingExtraError without dask.distributed, OptionError for duplicate languages (or parts)."""
    units = [(t.lang, t.part) for t in tasks]
    if len(set(units)) != len(units):
        dup = sorted({lang for lang, part in units if units.count((lang, part)) > 1})
        raise OptionError(f"languages given twice: {', '.join(dup)}")
    progress = progress or Progress()
    job = tasks[0].job if tasks else ""
    unit = "parts" if len({t.lang for t in tasks}) < len(tasks) else "languages"  # one language cut up
    progress.start(len(tasks), label or f"{job}: {unit}", unit)
    t0 = time.perf_counter()
    path = None if store_path is None else str(Path(store_path).resolve())
    if dask_client is not None:
        outcomes, n = _run_on(dask_client, work, tasks, path, progress, retries)
    else:
        with client(workers, scheduler) as c:
            outcomes, n = _run_on(c, work, tasks, path, progress, retries)
    return JobReport(job, tuple(outcomes), n, time.perf_counter() - t0)


def _key(task: LangTask, i: int, attempt: int) -> str:
    """The dask key of one run of a task (unique, so a retry is a new task)."""
    return f"{task.job}-{task.lang}-{task.part}-{i}-{attempt}"


def _run_on(c, work, tasks, path, progress, retries) -> tuple[list[Outcome], int]:
    distributed = require("dask.distributed", "scale")
    n_workers = len(c.scheduler_info(n_workers=-1).get("workers", {}))
    futures = {}
    for i, task in enumerate(tasks):
        futures[c.submit(call_task, work, path, task, pure=False, key=_key(task, i, 0))] = (
            i,
            0,
        )
    results: list[Outcome | None] = [None] * len(tasks)
    with c.as_current():
        pending = distributed.as_completed(list(futures))
    for fut in pending:
        i, attempt = futures.pop(fut)
        try:
            out = fut.result()
        except Exception as exc:  # the worker itself died or the result could not travel
            out = Outcome(tasks[i].job, tasks[i].lang, "failed", 1, None, _one_line(exc))
        fut.release()
        out = replace(out, attempts=attempt + 1)
        if not out.ok and not out.input_error and attempt < retries:
            task = tasks[i]
            again = c.submit(call_task, work, path, task, pure=False, key=_key(task, i, attempt + 1))
            futures[again] = (i, attempt + 1)
            pending.add(again)
            continue
        results[i] = out
        progress.advance(1)
    return [r for r in results if r is not None], n_workers
