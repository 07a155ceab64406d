"""The dask executor layer (lexres.jobs) and the batch jobs on it (lexres.batch): outputs byte-identical with
1 and 2 workers, per-language seeds, a failing language reported while the others finish, the client the
only writer of the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("dask.distributed")

from lexres.batch import languages, lexicons_for, run_batch, summary  # noqa: E402
from lexres.importer import import_resource  # noqa: E402
from lexres.jobs import LangTask, call_task, lang_seed  # noqa: E402
from lexres.store import Store  # noqa: E402


def _shifted(src: Path, dst: Path, shift: int) -> Path:
    """A lexicon of an invented third language: the Swahili side with its vowels rotated."""
    vowels = "aeiou"
    table = str.maketrans(vowels, vowels[shift:] + vowels[:shift])
    rows = []
    for line in src.read_text(encoding="utf-8").splitlines():
        a, b = line.split("\t")
        rows.append(f"{a}\t{b.translate(table)}")
    dst.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return dst


@pytest.fixture
def tiny_store(tmp_path, fixtures) -> Path:
    """eng -> swh, amh and zul (invented) lexicons: three tiny languages."""
    path = tmp_path / "store.db"
    lex = fixtures / "augment"
    with Store(path) as store:
        import_resource(store, "lexicon", [lex / "eng-swh.tsv"], lang="eng", target_lang="swh", format="muse")
        import_resource(store, "lexicon", [lex / "am-en.tsv"], lang="amh", target_lang="eng", format="muse")
        zul = _shifted(lex / "eng-swh.tsv", tmp_path / "eng-zul.tsv", 1)
        import_resource(store, "lexicon", [zul], lang="eng", target_lang="zul", format="muse")
    return path


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.txt"))}


def test_lang_seed_depends_on_seed_and_language_only():
    assert lang_seed(0, "swh") == lang_seed(0, "swh")
    assert len({lang_seed(0, "swh"), lang_seed(1, "swh"), lang_seed(0, "zul")}) == 3


def test_all_languages_are_the_lexicon_partners_of_src(tiny_store):
    with Store(tiny_store, readonly=True) as store:
        assert languages(store, "pseudo-mono", "all", src="eng") == ["amh", "swh", "zul"]
        assert languages(store, "pseudo-mono", "zul, swh,zul", src="eng") == ["zul", "swh"]
        # the lexicons each language's task gets are the ones the single-language command picks
        from lexres.augment.substitute.table import lexicon_resources

        chosen = lexicons_for(store, "eng", ["amh", "swh", "zul", "wol"])
        assert chosen["wol"] == []
        for lang in ("amh", "swh", "zul"):
            assert chosen[lang] == [r.id for r in lexicon_resources(store, "eng", lang)]


def test_pseudo_mono_is_byte_identical_with_one_and_two_workers(tiny_store, tmp_path, fixtures, cluster2):
    text = fixtures / "augment" / "eng.txt"
    params = {"src": "eng", "input": str(text), "choice": "uniform", "min_replaced": 0}
    langs = ["amh", "swh", "zul"]
    one = run_batch(
        tiny_store,
        "pseudo-mono",
        langs,
        {**params, "out": str(tmp_path / "w1")},
        seed=3,
        workers=1,
        record=False,
    )
    two = run_batch(
        tiny_store,
        "pseudo-mono",
        langs,
        {**params, "out": str(tmp_path / "w2")},
        seed=3,
        dask_client=cluster2,
    )
    assert one.workers == 1 and two.workers == 2
    assert [o.status for o in one.outcomes] == [o.status for o in two.outcomes] == ["done"] * 3
    a, b = _outputs(tmp_path / "w1"), _outputs(tmp_path / "w2")
    assert sorted(a) == ["eng-amh.pseudo-mono.txt", "eng-swh.pseudo-mono.txt", "eng-zul.pseudo-mono.txt"]
    assert a == b
    assert a["eng-swh.pseudo-mono.txt"] != a["eng-zul.pseudo-mono.txt"]
    seeds = {json.loads((tmp_path / "w2" / f"{n}.manifest.json").read_text())["seed"] for n in b}
    assert seeds == {lang_seed(3, "amh"), lang_seed(3, "swh"), lang_seed(3, "zul")}
    # only the client wrote to the store, once per language, and only for the recorded run
    with Store(tiny_store, readonly=True) as store:
        texts = store.resources("text")
    assert sorted(r.name for r in texts) == sorted(b)
    assert all(r.source_path.startswith(str(tmp_path / "w2")) for r in texts)
    assert all(r.derived_from for r in texts)


def test_a_language_with_bad_input_is_reported_without_a_retry(tiny_store, tmp_path, fixtures, cluster2):
    params = {"src": "eng", "input": str(fixtures / "augment" / "eng.txt"), "out": str(tmp_path / "o")}
    report = run_batch(tiny_store, "pseudo-mono", ["swh", "wol", "zul"], params, dask_client=cluster2)
    status = {o.lang: (o.status, o.attempts) for o in report.outcomes}
    assert status == {"swh": ("done", 1), "wol": ("failed", 1), "zul": ("done", 1)}  # no lexicon: no retry
    (failed,) = report.failed
    assert "wol" in failed.error and failed.result is None and failed.detail is None  # bad input, no trace
    assert failed.input_error and not report.done[0].input_error
    assert (tmp_path / "o" / "eng-zul.pseudo-mono.txt").is_file()
    assert not (tmp_path / "o" / "eng-wol.pseudo-mono.txt").exists()
    data = summary(report)
    assert (data["done"], data["failed"]) == (2, 1)
    json.dumps(data)  # machine-readable


def test_call_task_opens_the_store_read_only(tiny_store):
    def writes(store, task):  # noqa: ARG001
        return store.conn.execute("DELETE FROM lexicon").rowcount

    out = call_task(writes, str(tiny_store), LangTask("t", "swh", 1))
    assert out.status == "failed" and "readonly" in out.error.lower().replace("-", "")
    assert "Traceback" in out.detail  # not a LexresError: the traceback travels for the bug report


def test_a_task_error_travels_back_whole():
    import pickle

    from lexres.errors import ParseError

    def bad_input(store, task):  # noqa: ARG001
        raise ParseError("in.txt", 7, "not UTF-8 text", hint="convert the file to UTF-8")

    out = pickle.loads(pickle.dumps(call_task(bad_input, None, LangTask("t", "swh", 1, part=2))))
    assert out.status == "failed" and out.detail is None
    with pytest.raises(ParseError) as err:
        out.reraise()
    assert str(err.value) == "in.txt:7: not UTF-8 text" and (err.value.path, err.value.line) == ("in.txt", 7)
    assert err.value.hint == "convert the file to UTF-8"

    def bug(store, task):  # noqa: ARG001
        return 1 / 0

    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        call_task(bug, None, LangTask("t", "swh", 1)).reraise()
    call_task(lambda store, task: 1, None, LangTask("t", "swh", 1)).reraise()  # done: nothing raised


def test_batch_cli_runs_and_reports_json(tiny_store, tmp_path, fixtures, monkeypatch, cluster2):
    from typer.testing import CliRunner

    from lexres.cli import batch
    from lexres.cli.common import STATE

    monkeypatch.setitem(STATE, "store", tiny_store)
    monkeypatch.setitem(STATE, "quiet", True)
    r = CliRunner().invoke(
        batch.app,
        [
            "pseudo-mono",
            "--src",
            "eng",
            "--tgt",
            "swh,wol",
            "--input",
            str(fixtures / "augment" / "eng.txt"),
            "--out",
            str(tmp_path / "c"),
            "--scheduler",
            cluster2.scheduler.address,
            "--json",
        ],
    )
    assert r.exit_code == 1, r.output  # some language failed
    data = json.loads(r.stdout)
    assert [(x["lang"], x["status"]) for x in data["languages"]] == [("swh", "done"), ("wol", "failed")]


def _vline(tmp_path: Path, name: str, texts: list[str]) -> tuple[Path, dict]:
    text, vref = tmp_path / f"{name}.txt", tmp_path / f"{name}.vref"
    text.write_text("".join(t + "\n" for t in texts), encoding="utf-8")
    vref.write_text("".join(f"JHN 1:{i}\n" for i in range(1, len(texts) + 1)), encoding="utf-8")
    return text, {"vref": str(vref)}


def test_induce_lexicon_task_build_and_export_jobs(tmp_path, fixtures, cluster2):
    """The other jobs on the cluster: induced lexicons recorded by the client as derived lexicons, one
    inflection task folder and one export per language."""
    eng = ["the dog runs", "the cat runs", "a dog sleeps", "the cat sleeps"]
    langs = {
        "swh": ["mbwa anakimbia", "paka anakimbia", "mbwa analala", "paka analala"],
        "zul": ["inja iyagijima", "ikati iyagijima", "inja iyalala", "ikati iyalala"],
    }
    path = tmp_path / "s.db"
    with Store(path) as store:
        for code, texts in {"eng": eng, **langs}.items():
            text, opts = _vline(tmp_path, code, texts)
            import_resource(store, "bible", [text], lang=code, format="vline", options=opts)
        import_resource(store, "morph", [fixtures / "morph" / "toy.trn"], lang="tur")
    with Store(path, readonly=True) as store:
        assert languages(store, "induce-lexicon", "all", src="eng") == ["swh", "zul"]
        assert languages(store, "task-build", "all") == ["tur"]
    rep = run_batch(
        path,
        "induce-lexicon",
        ["swh", "zul"],
        {"src": "eng", "out": str(tmp_path / "ind"), "iterations": 2},
        dask_client=cluster2,
    )
    assert [o.status for o in rep.outcomes] == ["done", "done"]
    with Store(path, readonly=True) as store:
        induced = store.resources("lexicon")
        assert sorted((r.lang, r.target_lang, r.format) for r in induced) == [
            ("eng", "swh", "induced-ibm1"),
            ("eng", "zul", "induced-ibm1"),
        ]
        assert all(r.derived and len(r.derived_from) == 2 for r in induced)
        rows = (tmp_path / "ind" / "eng-swh.induced.tsv").read_text(encoding="utf-8").splitlines()
        assert induced[0].entries == len(rows) > 0
    rep = run_batch(
        path, "task-build", ["tur"], {"out": str(tmp_path / "task")}, seed=5, dask_client=cluster2
    )
    assert rep.outcomes[0].ok and (tmp_path / "task" / "tur" / "manifest.json").is_file()
    rep = run_batch(
        path, "export", ["tur", "zul", "wol"], {"out": str(tmp_path / "exp")}, dask_client=cluster2
    )
    assert [o.status for o in rep.outcomes] == ["done", "done", "failed"]
    assert rep.outcomes[1].result.counts == {"rows": 4, "bible": 4}
    assert sorted(p.name for p in (tmp_path / "exp").glob("*.tsv")) == ["tur.morph.tsv", "zul.bible.tsv"]


def test_a_language_cut_into_parts_is_counted_in_parts(cluster2):
    """`augment pseudo-mono --workers 2` cuts one language's input into parts: its summary line said
    `parts: 2 languages ... languages/s`."""
    import operator

    from lexres.jobs import run_tasks
    from lexres.progress import Progress

    class Units(Progress):
        def __init__(self):
            self.started = []

        def start(self, total, description="", unit=""):
            self.started.append((total, description, unit))

    for tasks, unit in (([LangTask("t", "swh", 1, part=k) for k in range(2)], "parts"),
                        ([LangTask("t", lang, 1) for lang in ("swh", "zul")], "languages")):
        seen = Units()
        report = run_tasks(operator.is_, tasks, store_path=None, dask_client=cluster2, progress=seen)  # no-op
        assert [o.status for o in report.outcomes] == ["done", "done"]
        assert seen.started[0] == (2, f"t: {unit}", unit)


def test_batch_cli_summary_says_1_language(tiny_store, tmp_path, fixtures, monkeypatch, cluster2):
    from typer.testing import CliRunner

    from lexres.cli import batch
    from lexres.cli.common import STATE

    monkeypatch.setitem(STATE, "store", tiny_store)
    monkeypatch.setitem(STATE, "quiet", True)
    args = ["pseudo-mono", "--src", "eng", "--tgt", "swh,wol", "--input",
            str(fixtures / "augment" / "eng.txt"), "--out", str(tmp_path / "c"),
            "--scheduler", cluster2.scheduler.address]
    r = CliRunner().invoke(batch.app, args)
    assert r.exit_code == 1, r.output
    assert "pseudo-mono: 1 language done, 1 failed, on 2 workers" in r.stdout  # was `1 languages done`
    assert "wol: failed (not retried: input error): " in r.stdout and "eng and wol" in r.stdout
    assert "attempts" not in r.stdout


def _flaky(store, task):  # noqa: ARG001
    """A task for `run_tasks`: `bad` raises a LexresError; any other language fails with an OSError on its
    first run (a file in params["dir"] remembers it) and returns its code on the next."""
    from lexres.errors import OptionError

    if task.lang == "bad":
        raise OptionError("no lexicon between eng and bad")
    ran = Path(task.params["dir"]) / f"{task.lang}.ran"
    if not ran.exists():
        ran.write_text("once", encoding="utf-8")
        raise OSError("worker disk hiccup")
    return task.lang


def test_only_failures_that_may_not_recur_are_retried(tmp_path, cluster2):
    from lexres.jobs import run_tasks

    tasks = [LangTask("flaky", lang, 1, {"dir": str(tmp_path)}) for lang in ("swh", "bad")]
    report = run_tasks(_flaky, tasks, store_path=None, dask_client=cluster2)
    got = {o.lang: (o.status, o.attempts, o.input_error) for o in report.outcomes}
    assert got == {"swh": ("done", 2, False), "bad": ("failed", 1, True)}  # only the OSError ran again
    assert report.outcomes[0].result == "swh" and "no lexicon between eng and bad" in report.outcomes[1].error
    report = run_tasks(_flaky, [LangTask("flaky", "zul", 1, {"dir": str(tmp_path)})], store_path=None,
                       dask_client=cluster2, retries=0)
    assert [(o.status, o.attempts, o.input_error) for o in report.outcomes] == [("failed", 1, False)]
    assert "OSError: worker disk hiccup" in report.outcomes[0].error
