"""The docs match the command line: every command has help, and the README's command table lists exactly the
commands there are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def command_paths() -> list[str]:
    """Every leaf command of `lexres`, as it is typed: `import`, `morph show`, `task inflection build`, …"""
    import typer.main

    from lexres.cli import build

    root = typer.main.get_command(build())
    out = []

    def walk(cmd, prefix):
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, [*prefix, name])
        else:
            out.append(" ".join(prefix))

    walk(root, [])
    return sorted(out)


def readme_commands() -> set[str]:
    """The commands named in the first column of the README's command table."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## All commands", 1)[1].split("\n## ", 1)[0]
    names = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first = line.split("|")[1]
            names.update(re.findall(r"`([^`]+)`", first))
    return names


COMMANDS = command_paths()


def test_there_are_commands():
    assert {"import", "morph show", "lexicon translate", "task inflection eval"} <= set(COMMANDS)


def test_readme_table_lists_every_command_and_nothing_else():
    documented = readme_commands()
    assert sorted(set(COMMANDS) - documented) == [], "commands missing from the README table"
    assert sorted(documented - set(COMMANDS)) == [], "README table names commands that do not exist"


@pytest.mark.parametrize("path", COMMANDS)
def test_every_command_has_help(cli, path):
    r = cli(*path.split(), "--help", store=False)
    assert r.exit_code == 0, r.output
    usage = r.stdout
    assert "Usage:" in usage and len(usage.splitlines()) > 3
