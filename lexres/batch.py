"""The per-language work of the `lexres batch` commands (pseudo-mono, pseudo-label, induce-lexicon,
task-build, export) and the client's side of it: choosing the languages, running them with
`lexres.jobs.run_tasks`, and recording what they made in the store.

A work function runs in a dask worker with the store opened read-only: it calls the library function of the
single-language command with `record=False` and the language's derived seed, writes its output (with its
manifest) under the job's output folder and returns a `LangResult`. Only `record_results`, in the client,
writes to the store, one language at a time."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lexres import defaults
from lexres.errors import NotFoundError, OptionError
from lexres.jobs import JobReport, LangTask, lang_seed, run_tasks
from lexres.langs import resolve
from lexres.outputs import check_destination, manifest_path
from lexres.progress import Progress
from lexres.records import plain

JOBS = ("pseudo-mono", "pseudo-label", "induce-lexicon", "task-build", "export")


@dataclass(frozen=True)
class Derived:
    """A generated file the client records in the store: a derived `text` resource, or (kind lexicon) an
    induced lexicon imported from its TSV (source word, target word, score)."""

    kind: str
    format: str
    output: str
    lang: str
    target_lang: str | None = None
    parents: tuple[int, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    n_read: int = 0
    n_stored: int = 0


@dataclass(frozen=True)
class LangResult:
    """What one language's task made: its output (file or folder), manifest, counts, and what the client
    should record (None for outputs that are not resources: tasks, exports)."""

    lang: str
    output: str
    manifest: str | None
    counts: Mapping[str, Any]
    derived: Derived | None = None


# -- choosing languages ------------------------------------------------------------------------------------
def languages(store, job: str, spec: str, *, src: str | None = None, kind: str | None = None) -> list[str]:
    """The languages a job runs over: `spec` is `all` or a comma-separated list of codes (resolved, kept in
    the given order). `all` means: languages with a lexicon paired with `src` (pseudo-mono, pseudo-label),
    with a Bible other than `src` (induce-lexicon), with a morphology table (task-build), with any resource
    of `kind` (export); sorted by code.

    Raises OptionError (unknown job, empty list), LanguageError, NotFoundError (nothing to do)."""
    if job not in JOBS:
        raise OptionError(f"unknown batch job `{job}`", hint=f"one of: {', '.join(JOBS)}")
    if spec.strip().lower() != "all":
        out = []
        for part in spec.replace(" ", ",").split(","):
            if part.strip():
                tag = resolve(part.strip()).tag
                if tag not in out:
                    out.append(tag)
        if not out:
            raise OptionError("--tgt names no language", hint="give `all` or codes such as swh,zul")
        return out
    family = set(resolve(src).family) if src else set()
    found: set[str] = set()
    if job in ("pseudo-mono", "pseudo-label"):
        for r in store.resources("lexicon", src):
            found.update(x for x in (r.lang, r.target_lang) if x and x not in family)
    elif job == "induce-lexicon":
        found = {r.lang for r in store.resources("bible")} - family
    elif job == "task-build":
        found = {r.lang for r in store.resources("morph")}
    else:
        found = {r.lang for r in store.resources(kind) if r.kind != "text"}
    if not found:
        raise NotFoundError(
            f"no language in the store to run `{job}` on",
            hint="import resources first, or name languages with --tgt",
        )
    return sorted(found)


def lexicons_for(store, src: str, langs: Sequence[str]) -> dict[str, list[int]]:
    """Per target language, the lexicon resources a substitution from `src` uses by default: the imported
    (not derived) ones holding pairs between the two, either direction (as
    `lexres.augment.substitute.table.lexicon_resources` picks them), found with one pass over the store
    instead of one per language."""
    from lexres.store.entries import has_pairs
    from lexres.store.lexicon import langs_of

    fam_s = resolve(src).family
    by_lang: dict[str, list[int]] = {}  # language -> imported lexicons of src filed under it
    for r in store.resources("lexicon", src):
        if not r.derived:
            for code in langs_of(store, r.id):
                by_lang.setdefault(code, []).append(r.id)
    out: dict[str, list[int]] = {}
    for lang in langs:
        fam_t = resolve(lang).family
        ids = sorted({i for code in fam_t for i in by_lang.get(code, ())})
        out[lang] = [i for i in ids if has_pairs(store, i, fam_s, fam_t) or has_pairs(store, i, fam_t, fam_s)]
    return out


# -- per-language work (run in dask workers) ---------------------------------------------------------------
def _plain(result: Any) -> dict:
    """A library function's result (a dict or a frozen result dataclass) as a dict."""
    data = plain(result)
    if not isinstance(data, Mapping):
        raise TypeError(f"unexpected result {type(result).__name__}")
    return dict(data)


def _manifest(output: Path) -> tuple[str, dict]:
    """The manifest of an output (its path and content): the record of how it was made."""
    path = manifest_path(output)
    return str(path), json.loads(path.read_text(encoding="utf-8"))


def _parents(man: Mapping[str, Any]) -> tuple[int, ...]:
    return tuple(int(x) for x in str(man["params"].get("lexicons") or "").split(",") if x.strip())


def _substitution_options(params: Mapping[str, Any], seed: int, min_replaced: int):
    from lexres.augment.substitute.engine import Options

    return Options(
        choice=params.get("choice", defaults.CHOICE),
        unknown=params.get("unknown", defaults.UNKNOWN),
        mark=params.get("mark", defaults.MARK),
        min_replaced=min_replaced,
        seed=seed,
    )


def work_pseudo_mono(store, task: LangTask) -> LangResult:
    """Pseudo-monolingual text src -> task.lang (`augment pseudo-mono` with record=False)."""
    from lexres.augment.text.pseudo_mono import make_pseudo_mono

    p = task.params
    out = Path(p["out"]) / f"{resolve(p['src']).tag}-{task.lang}.pseudo-mono.txt"
    check_destination(out, force=p.get("force", False))
    res = _plain(
        make_pseudo_mono(
            store,
            p["src"],
            task.lang,
            p["input"],
            out,
            lexicons=p.get("lexicons"),
            options=_substitution_options(p, task.seed, p.get("min_replaced", 1)),
            record=False,
        )
    )
    man_path, man = _manifest(out)
    counts = dict(res["counts"])
    return LangResult(
        task.lang,
        str(out),
        man_path,
        counts,
        Derived(
            "text",
            "pseudo-mono",
            str(out),
            task.lang,
            None,
            _parents(man),
            {**man["params"], "seed": man["seed"]},
            int(counts.get("sentences_in", 0)),
            int(counts.get("sentences_out", 0)),
        ),
    )


def work_pseudo_label(store, task: LangTask) -> LangResult:
    """Pseudo-labeled data src -> task.lang (`augment pseudo-label` with record=False)."""
    from lexres.augment.text.pseudo_label import make_pseudo_label

    p = task.params
    fmt = p["format"]
    out = Path(p["out"]) / f"{resolve(p['src']).tag}-{task.lang}.pseudo-label.{fmt}"
    check_destination(out, force=p.get("force", False))
    res = _plain(
        make_pseudo_label(
            store,
            p["src"],
            task.lang,
            p["input"],
            out,
            fmt,
            lexicons=p.get("lexicons"),
            options=_substitution_options(p, task.seed, 0),
            record=False,
        )
    )
    man_path, man = _manifest(out)
    counts = dict(res["counts"])
    n = int(counts.get("sentences", 0))
    return LangResult(
        task.lang,
        str(out),
        man_path,
        counts,
        Derived(
            "text",
            f"pseudo-label-{fmt}",
            str(out),
            task.lang,
            None,
            _parents(man),
            {**man["params"], "seed": man["seed"]},
            n,
            n,
        ),
    )


def work_induce_lexicon(store, task: LangTask) -> LangResult:
    """A lexicon src -> task.lang induced from the two Bibles (`augment induce-lexicon`, record=False)."""
    from lexres.augment.lexicon.bible import induce_lexicon

    p = task.params
    method = p.get("method", "ibm1")
    out = Path(p["out"]) / f"{resolve(p['src']).tag}-{task.lang}.induced.tsv"
    check_destination(out, force=p.get("force", False))
    res = _plain(
        induce_lexicon(
            store,
            p["src"],
            task.lang,
            out,
            method=method,
            k=p.get("top_k", 5),
            iterations=p.get("iterations", 6),
            record=False,
        )
    )
    counts = dict(res["counts"])
    return LangResult(
        task.lang,
        str(out),
        str(manifest_path(out)),
        counts,
        Derived(
            "lexicon",
            f"induced-{method}",
            str(out),
            resolve(p["src"]).tag,
            task.lang,
            tuple(res.get("bibles") or ()),
            {},
            int(counts.get("pairs", 0)),
            int(counts.get("pairs", 0)),
        ),
    )


def work_task_build(store, task: LangTask) -> LangResult:
    """A SIGMORPHON-style inflection task for task.lang (`task inflection build`) in OUT/<lang>/."""
    from lexres.tasks.inflection.build import build_task

    p = task.params
    out = Path(p["out"]) / task.lang
    res = _plain(build_task(store, out, lang=task.lang, year=p.get("year", "2023"), seed=task.seed))
    return LangResult(task.lang, str(out), str(out / "manifest.json"), dict(res.get("counts") or {}))


def work_export(store, task: LangTask) -> LangResult:
    """The entries of task.lang as OUT/<lang>.<kind>.tsv or Parquet folders OUT/<lang>.<kind>/, one per kind
    (the given one, else every kind the language has entries of); the output named is OUT."""
    from lexres.export import export_parquet, export_tsv

    p = task.params
    force = p.get("force", False)
    kinds = (
        [p["kind"]]
        if p.get("kind")
        else sorted(
            {r.kind for r in store.resources(lang=task.lang) if r.kind in ("morph", "bible", "lexicon")}
        )
    )
    counts: dict[str, int] = {}
    for kind in kinds:
        try:
            if p.get("to", "tsv") == "parquet":
                rows = export_parquet(
                    store, Path(p["out"]) / f"{task.lang}.{kind}", kind, lang=task.lang, force=force
                )
                counts[kind] = sum(rows.values())
            else:
                counts[kind] = export_tsv(
                    store, Path(p["out"]) / f"{task.lang}.{kind}.tsv", kind, lang=task.lang, force=force
                )
        except NotFoundError:  # e.g. a lexicon filed under the language only as its target side
            if p.get("kind"):
                raise
    if not counts:
        raise NotFoundError(f"no entries of {task.lang} to export", hint="see `lexres lang CODE`")
    return LangResult(task.lang, p["out"], None, {"rows": sum(counts.values()), **counts})


WORK = {
    "pseudo-mono": work_pseudo_mono,
    "pseudo-label": work_pseudo_label,
    "induce-lexicon": work_induce_lexicon,
    "task-build": work_task_build,
    "export": work_export,
}


# -- the client --------------------------------------------------------------------------------------------
def run_batch(
    store_path: str | Path,
    job: str,
    langs: Sequence[str],
    params: Mapping[str, Any],
    *,
    seed: int = 0,
    workers: int = 1,
    scheduler: str | None = None,
    dask_client: Any = None,
    progress: Progress | None = None,
    record: bool = True,
) -> JobReport:
    """Run `job` for every language of `langs` (one dask task each, seeds from (seed, language)), then,
    with `record`, record the outputs in the store at `store_path` (in the order of `langs`).

    Raises OptionError (unknown job, output folder not writable), MissingExtraError without dask."""
    if job not in WORK:
        raise OptionError(f"unknown batch job `{job}`", hint=f"one of: {', '.join(JOBS)}")
    out = Path(params["out"])
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OptionError(f"{out}: cannot create the output folder ({exc.strerror})") from exc
    params = {**params, "out": str(out.resolve())}
    for key in ("input",):
        if params.get(key) is not None:
            params[key] = str(Path(params[key]).resolve())
    per_lang: dict[str, dict] = {lang: {} for lang in langs}
    if job in ("pseudo-mono", "pseudo-label"):
        from lexres.store import Store

        with Store(store_path, readonly=True) as store:
            for lang, ids in lexicons_for(store, params["src"], langs).items():
                per_lang[lang]["lexicons"] = ids or None
    tasks = [LangTask(job, lang, lang_seed(seed, lang), {**params, **per_lang[lang]}) for lang in langs]
    report = run_tasks(
        WORK[job],
        tasks,
        store_path=store_path,
        workers=workers,
        scheduler=scheduler,
        dask_client=dask_client,
        progress=progress,
    )
    if record and any(o.ok and o.result.derived for o in report.outcomes):
        from lexres.store import Store

        with Store(store_path) as store:
            record_results(store, report)
    return report


def record_results(store, report: JobReport) -> dict[str, int]:
    """Record every finished language's output in the store (the client is the only writer); returns the
    resource id per language."""
    from lexres.augment.derived import record_derived, set_derived_from

    ids = {}
    for o in report.done:
        d = o.result.derived
        if d is None:
            continue
        if d.kind == "lexicon":
            ids[o.lang] = _import_induced(store, d)
            set_derived_from(store, ids[o.lang], d.parents)
        else:
            ids[o.lang] = record_derived(
                store,
                kind=d.kind,
                format=d.format,
                output=d.output,
                lang=d.lang,
                target_lang=d.target_lang,
                derived_from=d.parents,
                options=d.options,
                n_read=d.n_read,
                n_stored=d.n_stored,
            )
    return ids


def _import_induced(store, d: Derived) -> int:
    from lexres.importer import import_resource
    from lexres.records import LexiconPair

    def records():
        with open(d.output, encoding="utf-8", newline="") as fh:
            for i, (w, t, s) in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
                yield LexiconPair(w, t, weight=float(s), line=i)

    result = import_resource(
        store,
        "lexicon",
        [d.output],
        lang=d.lang,
        target_lang=d.target_lang,
        format=d.format,
        name=Path(d.output).name,
        records=records(),
        replace=True,
    )
    return result.resource_id


def summary(report: JobReport) -> dict:
    """The job as JSON-able data: per language its status, attempts, output, counts, error and times."""
    rows = []
    for o in report.outcomes:
        r = o.result
        rows.append(
            {
                "lang": o.lang,
                "status": o.status,
                "attempts": o.attempts,
                "input_error": o.input_error,  # a LexresError: bad input, not retried
                "output": r.output if r else None,
                "manifest": r.manifest if r else None,
                "counts": plain(r.counts) if r else {},
                "error": o.error,
                "traceback": o.detail,
                "seconds": round(o.seconds, 3),
                "cpu_seconds": round(o.cpu_seconds, 3),
            }
        )
    return {
        "job": report.job,
        "workers": report.workers,
        "seconds": round(report.seconds, 3),
        "done": len(report.done),
        "failed": len(report.failed),
        "languages": rows,
    }
