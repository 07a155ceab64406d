"""The CLI: bad input is one line with a hint and exit code 2, the store is left untouched, every command has
help text, and --json output parses."""

import json
import os
import subprocess
import sys

import pytest
import typer

from lexres.importer import import_resource
from lexres.store import Store
from tests.helpers import dump, morph_records, write_lines


def _one_error_line(result):
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert len(lines) == 1 and lines[0].startswith("lexres: error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return lines[0]


@pytest.fixture
def seeded(store_path, tmp_path):
    with Store.open(store_path) as store:
        import_resource(
            store, "morph", [write_lines(tmp_path / "seed.tsv", 3)], lang="swh", records=morph_records(3)
        )
        before = dump(store)
    return before


def _after(store_path):
    with Store.open(store_path) as store:
        return dump(store)


def test_unknown_explicit_format_fails_cleanly_and_leaves_store_untouched(cli, seeded, store_path, tmp_path):
    src = write_lines(tmp_path / "x.tsv", 3)
    line = _one_error_line(cli("import", "morph", src, "--lang", "swh", "--format", "nosuchformat"))
    assert "unknown morph format `nosuchformat`" in line and "hint:" in line
    assert _after(store_path) == seeded


@pytest.mark.parametrize(
    "content", [b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, b'{"a": [1, 2, 3], "b": {"c": null}}\n' * 5]
)
def test_file_in_unknown_format_is_refused_by_the_sniffer(cli, seeded, store_path, tmp_path, content):
    src = tmp_path / "mystery.bin"
    src.write_bytes(content)
    line = _one_error_line(cli("import", "lexicon", src, "--lang", "swh", "--target-lang", "eng"))
    assert str(src) in line and "--format" in line
    assert _after(store_path) == seeded


@pytest.mark.parametrize(
    "args,needle",
    [
        (["import", "morph", "does/not/exist.tsv", "--lang", "swh"], "no such file"),
        (["import", "morph", "{src}", "--lang", "mol"], "use `ron`"),
        (["import", "morph", "{src}", "--lang", "xx"], "not a well-formed language code"),
        (["show", "999"], "no resource #999"),
        (["remove", "999"], "no resource #999"),
        (["lang", "qqqq"], "not a well-formed language code"),
        (["import", "morph", "{src}", "--lang", "swh", "-o", "novalue"], "KEY=VALUE"),
    ],
)
def test_bad_input_is_one_line_exit_2(cli, seeded, store_path, tmp_path, args, needle):
    src = write_lines(tmp_path / "y.tsv", 2)
    line = _one_error_line(cli(*[a.format(src=src) for a in args]))
    assert needle in line
    assert _after(store_path) == seeded


@pytest.mark.parametrize(
    "args,needle", [(["import", "bogus", "x"], "'bogus' is not one of"), (["nosuchcmd"], "No such command")]
)
def test_usage_errors_are_one_error_line(cli, args, needle):
    result = cli(*args)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("lexres: error:")]
    assert len(errors) == 1 and needle in errors[0]


def test_store_that_is_not_sqlite_is_one_line(cli, tmp_path):
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"not a database" * 200)
    result = cli("--store", bogus, "list", store=False)
    assert "not a lexres store" in _one_error_line(result)


def test_json_outputs_parse(cli, seeded):
    listed = json.loads(cli("list", "--json").stdout)
    assert listed[0]["kind"] == "morph" and listed[0]["n_stored"] == 3
    shown = json.loads(cli("show", str(listed[0]["id"]), "--json").stdout)
    assert shown["sha256"] == listed[0]["sha256"]
    langs = json.loads(cli("langs", "--json").stdout)
    assert langs == [
        {
            "code": "swh",
            "name": "Swahili (individual language)",
            "scope": "individual",
            "macrolanguage": "swa",
            "morph": 3,
            "bible": 0,
            "lexicon": 0,
            "resources": 1,
            "text": 0,
            "model": 0,
            "entries": 3,
        }
    ]
    lang = json.loads(cli("lang", "sw", "--json").stdout)
    # a macrolanguage query finds its individual languages' resources, and says where they are filed
    assert lang["code"] == "swa" and "swh" in lang["individuals"]
    assert [(r["via"], r["via_scope"]) for r in lang["resources"]] == [("swh", "individual")]


def test_lang_shows_macrolanguage_fallback(cli, seeded):
    out = cli("lang", "swh").stdout
    assert "member of macrolanguage swa" in out and "seed.tsv" in out


def test_export_tsv_and_parquet(cli, seeded, tmp_path):
    out = tmp_path / "e.tsv"
    r = cli("export", out, "--kind", "morph", "--lang", "swh")
    assert r.exit_code == 0 and out.read_text().count("\n") == 4
    r = cli("export", tmp_path / "pq", "--kind", "morph", "--to", "parquet")
    assert r.exit_code == 0 and (tmp_path / "pq" / "lang=swh").is_dir()


def _walk(cmd, path=()):
    yield path, cmd
    if hasattr(cmd, "commands"):
        for name, sub in cmd.commands.items():
            yield from _walk(sub, path + (name,))


def test_every_command_has_help_text():
    from lexres.cli import build

    root = typer.main.get_command(build())
    seen = 0
    for path, cmd in _walk(root):
        assert (cmd.help or "").strip(), f"`lexres {' '.join(path)}` has no help text"
        for param in cmd.params:
            if getattr(param, "param_type_name", "") == "option" and param.name not in ("help",):
                assert (param.help or "").strip(), (
                    f"`lexres {' '.join(path)}` option {param.name} has no help"
                )
        seen += 1
    assert seen >= 9


def test_python_dash_m_and_console_script(tmp_path):
    env = {**os.environ, "LEXRES_STORE": str(tmp_path / "s.db")}
    out = subprocess.run(
        [sys.executable, "-m", "lexres", "--version"], capture_output=True, text=True, env=env
    )
    assert out.returncode == 0 and out.stdout.startswith("lexres ")
    out = subprocess.run([sys.executable, "-m", "lexres", "langs"], capture_output=True, text=True, env=env)
    # a read-only command never creates a store: a missing one is one error line with a hint
    assert out.returncode == 2 and "no store here" in out.stderr and not (tmp_path / "s.db").exists()


def test_default_store_location_follows_env(monkeypatch, tmp_path):
    from lexres.store import default_path

    monkeypatch.setenv("LEXRES_STORE", str(tmp_path / "here.db"))
    assert default_path() == tmp_path / "here.db"
    monkeypatch.delenv("LEXRES_STORE")
    assert default_path().name == "lexres.db"
