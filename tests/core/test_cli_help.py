"""`--help` reads well: flags show no value, options and arguments show names (`LANG`, `KEY=VALUE`, `INT`),
never Python types, and every command ends with examples that parse against the real command."""

from __future__ import annotations

import re
import shlex

import pytest

from lexres.cli import command
from lexres.cli.helptext import examples, is_leaf, walk

ROOT = command()
LEAVES = {" ".join(path): chain for path, chain in walk(ROOT) if is_leaf(chain[-1])}
EXAMPLES = [(path, ex) for path, items in sorted(examples().items()) for ex in items]


def help_text(cli, monkeypatch, path: str) -> str:
    monkeypatch.setenv("COLUMNS", "250")  # wide enough that no example line wraps
    r = cli(*path.split(), "--help", store=False)
    assert r.exit_code == 0, r.output
    return r.stdout


def parse(path: str, run: str):
    """Parse an example command line with the real command, as click would before running it (types
    converted, required arguments and options checked), without running it."""
    words = shlex.split(run)
    prefix = ["lexres", *path.split()]
    assert words[: len(prefix)] == prefix, f"`{run}` does not start with `{' '.join(prefix)}`"
    chain = LEAVES[path]
    root = chain[0]
    ctx = root.context_class(root, info_name="lexres", **(root.context_settings or {}))
    for name, group in zip(path.split()[:-1], chain[1:-1], strict=True):
        ctx = group.context_class(group, info_name=name, parent=ctx)
    leaf = chain[-1]
    return leaf.make_context(path.split()[-1], words[len(prefix) :], parent=ctx, resilient_parsing=False)


def test_every_leaf_command_has_an_example_and_no_example_names_a_missing_command():
    table = examples()
    assert len(LEAVES) > 40
    assert sorted(p for p in LEAVES if not table.get(p)) == []
    assert sorted(set(table) - set(LEAVES)) == []
    assert all(ex.note.strip() and ex.run.startswith("lexres ") for _, ex in EXAMPLES)


@pytest.mark.parametrize(("path", "example"), EXAMPLES, ids=[f"{p}:{e.run[7:40]}" for p, e in EXAMPLES])
def test_example_parses_against_the_real_command(path, example):
    ctx = parse(path, example.run)
    assert not ctx.args, f"`{example.run}`: unused words {ctx.args}"


def test_a_misspelt_option_or_a_missing_argument_does_not_parse():
    from lexres.cli import click_exc as exceptions  # typer's click (vendored from typer 0.29)

    with pytest.raises(exceptions.UsageError):
        parse("morph show", "lexres morph show gle greadóg --resourse 3")
    with pytest.raises(exceptions.UsageError):
        parse("morph show", "lexres morph show gle")
    with pytest.raises(exceptions.UsageError):
        parse("augment pseudo-mono", "lexres augment pseudo-mono --src eng --tgt swh --input en.txt")
    with pytest.raises(exceptions.UsageError):
        parse("morph stats", "lexres morph stats gle --top ten")


@pytest.mark.parametrize("path", sorted(LEAVES))
def test_help_shows_names_not_types_and_ends_with_the_examples(cli, monkeypatch, path):
    text = help_text(cli, monkeypatch, path)
    assert not re.search(r"<(str|int|float|bool|path|list\[[^\]]*\])>", text), text
    usage = next(line for line in text.splitlines() if "Usage:" in line)
    assert "{" not in usage and "<" not in usage, usage
    assert "Examples:" in text
    text = re.sub(r" \\\s*\n", " ", text)  # long commands go on over ` \` lines
    while re.search(r"(# [^\n]*?)\s*\n\s*# ", text):  # and long notes over `#` lines
        text = re.sub(r"(# [^\n]*?)\s*\n\s*# ", r"\1 ", text)
    flat = " ".join(text.split())
    for ex in examples()[path]:
        assert f"# {ex.note}" in flat and ex.run in flat, ex.run


@pytest.mark.parametrize("path", ["", "task", "task inflection"])
def test_a_group_alone_prints_its_help_once(cli, path):
    r = cli(*path.split(), store=False)
    assert r.exit_code == 0 and r.stdout.count("Usage:") == 1 and "Commands" in r.stdout, r.output


def test_flags_show_no_value_and_arguments_their_names(cli, monkeypatch):
    text = help_text(cli, monkeypatch, "morph show")
    assert "Usage: lexres morph show [OPTIONS] LANG LEMMA" in text
    assert re.search(r"--json\s+Print the result", text)
    assert re.search(r"--help\s+-h\s+Show this message", text)
    assert re.search(r"--resource\s+-r\s+ID\s", text)
    text = help_text(cli, monkeypatch, "import")
    assert "Usage: lexres import [OPTIONS] [KIND] [PATH]..." in text
    assert re.search(r"KIND\s+morph\|bible\|lexicon\s", text)
    assert re.search(r"--option\s+-o\s+KEY=VALUE\s", text)
    assert re.search(r"--on-error\s+fail\|skip\s", text) and re.search(r"--workers\s+N\s", text)
    assert re.search(r"--replace\s+Replace the resource", text)


def test_options_show_a_meaningful_value_name(cli, monkeypatch):
    text = help_text(cli, monkeypatch, "augment pseudo-mono")
    for option, name in (("--src", "LANG"), ("--seed", "INT"), ("--input", "FILE"), ("--output", "PATH"),
                         ("--min-replaced", "N"), ("--choice", "RULE")):
        assert re.search(rf"{option}\s+(-\w\s+)?{name}\s", text), option
    assert re.search(r"--tgt\s+LANGS\s", help_text(cli, monkeypatch, "batch pseudo-mono"))
    assert re.search(r"--to\s+YEAR\|LAYOUT\s", help_text(cli, monkeypatch, "task inflection convert"))
    assert re.search(r"--store\s+FILE\s", help_text(cli, monkeypatch, ""))
