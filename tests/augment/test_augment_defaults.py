"""Shared defaults reach both ends (API signatures and CLI options), and the block reader shared by the serial
and the parallel pseudo-mono runs cuts files the same way whatever the block size."""

from __future__ import annotations

import inspect

import pytest

from lexres import defaults
from lexres.augment.lexicon import bible as induce_api
from lexres.augment.lexicon import ibm1 as ind
from lexres.augment.substitute.engine import Options
from lexres.augment.text.blocks import MonoCounts, read_blocks, read_range
from lexres.cli import augment as augment_cli
from lexres.errors import ParseError


def _cli_defaults(app, name: str) -> dict:
    """Option name -> default of a Typer command, read from its callback's signature."""
    command = next(c for c in app.registered_commands if c.name == name)
    return {
        p.name: getattr(p.default, "default", p.default)
        for p in inspect.signature(command.callback).parameters.values()
    }


def _api_defaults(func) -> dict:
    return {p.name: p.default for p in inspect.signature(func).parameters.values()}


def test_induction_defaults_agree_between_api_and_cli():
    cli = _cli_defaults(augment_cli.app, "induce-lexicon")
    api = _api_defaults(induce_api.induce_lexicon)
    low = _api_defaults(ind.induce)
    assert cli["threshold"] == api["threshold"] == low["threshold"] == defaults.INDUCTION_THRESHOLD == 0.01
    assert cli["top_k"] == api["k"] == low["k"] == defaults.INDUCTION_TOP_K
    for name in ("min_count", "iterations", "reverse_weight", "diagonal", "method"):
        assert cli[name] == api[name] == low[name], name
    assert _api_defaults(ind.top_k)["threshold"] == defaults.INDUCTION_THRESHOLD


def test_substitution_defaults_agree_between_options_and_cli():
    cli = _cli_defaults(augment_cli.app, "pseudo-mono")
    opts = Options()
    assert (cli["choice"], cli["unknown"], cli["mark"], cli["min_replaced"], cli["seed"]) == (
        opts.choice,
        opts.unknown,
        opts.mark,
        opts.min_replaced,
        opts.seed,
    )
    hal = _cli_defaults(augment_cli.app, "hallucinate")
    assert hal["min_run"] == defaults.HALLUCINATE_MIN_RUN and hal["n"] == defaults.HALLUCINATE_N


@pytest.mark.parametrize("size", [1, 3, 7, 64, 1 << 18])
def test_blocks_are_whole_lines_and_rebuild_the_file(tmp_path, size):
    data = "één\r\ntwee\n\ndrie zonder einde".encode()
    path = tmp_path / "t.txt"
    path.write_bytes(data)
    blocks = list(read_blocks(path, size))
    assert "".join(blocks).encode() == data
    assert all(b.endswith("\n") for b in blocks[:-1])  # every block but the last ends a line
    # a range from a line start reads the same lines as the whole file does from there
    start = data.index(b"twee")
    assert "".join(read_range(path, start, len(data), 1, size)) == data[start:].decode()


def test_bad_utf8_names_the_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"ok\nstill ok\nbad \xff here\n")
    with pytest.raises(ParseError) as err:
        list(read_blocks(path, 4))
    assert err.value.line == 3


def test_counts_add_and_shares_are_fractions():
    a, b = MonoCounts(words=4, replaced=1, words_in=5, replaced_in=1), MonoCounts(words=4, replaced=3)
    a.add(b)
    d = a.as_dict()
    assert (d["words"], d["replaced"]) == (8, 4) and d["replaced_share"] == 0.5
    assert 0.0 <= d["replaced_share_in"] <= 1.0
