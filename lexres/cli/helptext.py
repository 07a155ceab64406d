"""What `--help` shows beyond each command's own text: value names (metavars) and examples.

typer 0.29 renders a parameter's value as its Python type: `--json <bool>`, `-o <str>`, an argument as `<str>`
in the help panel and as `{lang}` in the usage line. `polish` walks the click command tree once, when the
command line is built, and gives every parameter a name a reader can use: a flag shows no value, an option a
word (`--lang LANG`, `--out PATH`, `--seed INT`, `--workers N`) or its choices (`--on-error fail|skip`), an
argument its name in upper case (`lexres morph show [OPTIONS] LANG LEMMA`, `[KIND] [PATH]...`). It also gives
every leaf command an "Examples:" epilog. The tables (metavars by option, by command and option and by value
type; examples by command path) are data: lexres/data/cli_help.json."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import PurePath
from typing import get_args, get_origin

from typer.core import TyperArgument

# Value names of options the table does not name, by the type of their value.
DEFAULT_METAVARS = {"int": "N", "float": "FLOAT", "path": "PATH", "str": "TEXT"}
_CLICK_TYPES = {"integer": "int", "float": "float", "path": "path", "choice": "choice", "boolean": "bool"}
_PY_TYPES = {int: "int", float: "float", str: "str", bool: "bool"}


@dataclass(frozen=True)
class Example:
    """One example of a command: the whole command line as typed (`lexres morph show gle greadóg`, shell
    quoting allowed) and a short note on what it does."""

    run: str
    note: str


@lru_cache(maxsize=1)
def help_data() -> dict:
    """The parsed lexres/data/cli_help.json: `option_metavars`, `argument_metavars` and `examples`."""
    return json.loads(files("lexres").joinpath("data/cli_help.json").read_text(encoding="utf-8"))


def examples() -> dict[str, tuple[Example, ...]]:
    """Every command's examples, by command path as typed (`import`, `morph show`, `task tagging train`)."""
    return {
        path: tuple(Example(run=e["run"], note=e["note"]) for e in items)
        for path, items in help_data()["examples"].items()
    }


def walk(root) -> Iterator[tuple[tuple[str, ...], list]]:
    """Every command of the click tree under `root`, groups first, as (its path as typed, the commands from
    `root` down to it). The path of `root` itself is `()`; a leaf is a command without subcommands."""
    stack = [((), [root])]
    while stack:
        path, chain = stack.pop()
        yield path, chain
        subs = getattr(chain[-1], "commands", None) or {}
        for name in sorted(subs, reverse=True):
            stack.append(((*path, name), [*chain, subs[name]]))


def is_leaf(command) -> bool:
    """Whether a click command runs something (it has no subcommands)."""
    return not getattr(command, "commands", None)


def polish(root):
    """Give every parameter under the click command `root` a readable metavar and every leaf command its
    examples as an epilog (see the module docstring); returns `root`. Run it once on a freshly built tree."""
    data = help_data()
    table, arg_names, all_examples = data["option_metavars"], data["argument_metavars"], examples()
    help_names = (root.context_settings or {}).get("help_option_names", ["--help"])
    for path, chain in walk(root):
        command = chain[-1]
        for param in command.params:
            if param.param_type_name == "argument":
                _name_argument(param, arg_names)
            else:
                param.metavar = option_metavar(param, path, table)
        ctx = command.context_class(command, info_name=path[-1] if path else "lexres",
                                    help_option_names=list(help_names))
        help_option = command.get_help_option(ctx)  # made once and cached by click: set its metavar too
        if help_option is not None:
            help_option.metavar = ""
        if command.help:
            command.help = reflow(command.help)
        if is_leaf(command) and " ".join(path) in all_examples:
            command.epilog = epilog(all_examples[" ".join(path)])
    return root


def reflow(text: str) -> str:
    """A docstring's paragraphs each as one line, so help wraps them to the terminal instead of keeping
    the source's line breaks (which left ragged half-lines in `lexres --help`); blank lines between
    paragraphs are kept."""
    return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()))


def epilog(items: tuple[Example, ...]) -> str:
    """The "Examples:" section of a command's help: each note as a `#` comment above its command line.
    Lines are kept within EXAMPLE_WIDTH, the width help gets in a pipe, so that what is printed still
    pastes into a shell: a long note goes on over `#` lines, a long command over lines ending in ` \\`
    (broken before an option, never inside a word or a quoted argument). Rich markup is escaped (typer
    renders epilogs as markup); the leading empty line keeps the indentation through typer's
    `inspect.cleandoc`."""
    import textwrap

    from rich.markup import escape

    lines = ["", "Examples:"]
    for k, ex in enumerate(items):
        if k:
            lines.append("")
        lines += textwrap.wrap(ex.note, EXAMPLE_WIDTH, initial_indent="  # ", subsequent_indent="  # ",
                               break_on_hyphens=False, break_long_words=False)
        lines += command_lines(ex.run)
    return escape("\n".join(lines))


# Help in a pipe is 80 columns wide, and typer pads the epilog by one column on each side.
EXAMPLE_WIDTH = 76


def command_lines(run: str, width: int = EXAMPLE_WIDTH) -> list[str]:
    """`run` indented by two spaces and, when longer than `width`, continued over lines ending in ` \\`
    (the shell's line continuation), each break before an option (a word that starts with `-`), which
    stays on one line with its value; the words themselves, quoting included, are kept as written."""
    words = re.findall(r"""(?:[^\s"']+|"[^"]*"|'[^']*')+""", run)
    units: list[str] = []
    for word in words:
        if units and units[-1].startswith("-") and " " not in units[-1] and not word.startswith("-"):
            units[-1] += " " + word  # an option and its value
        else:
            units.append(word)
    out = ["  " + (units[0] if units else "")]
    for unit in units[1:]:
        if unit.startswith("-") and len(out[-1]) + 1 + len(unit) + 2 > width:
            out[-1] += " \\"
            out.append("      " + unit)
        else:
            out[-1] += " " + unit
    return out


def option_metavar(param, path: tuple[str, ...], table: dict) -> str:
    """The value name `param` (a click option of the command at `path`) shows in help: its own metavar if
    the code gave one; none for a flag; its choices joined by `|`; else the table's entry for the longest
    match of (command path prefix, option) (an entry may be split by value type: int, float, path, str);
    else the default for its type (N, FLOAT, PATH, TEXT)."""
    if param.metavar is not None:
        return param.metavar
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    kind = value_kind(param)
    if kind == "choice":
        return "|".join(choices(param))
    opt = next((o for o in param.opts if o.startswith("--")), param.opts[0])
    entry = None
    for k in range(len(path), -1, -1):
        entry = table.get(" ".join([*path[:k], opt]))
        if entry is not None:
            break
    if isinstance(entry, dict):
        entry = entry.get(kind)
    return entry or DEFAULT_METAVARS.get(kind, "TEXT")


def value_kind(param) -> str:
    """What a parameter's values are: `int`, `float`, `path`, `str`, `bool` or `choice` (for a repeatable
    parameter, what each value is)."""
    desc = getattr(param, "type_descriptor", None)
    if desc is None:  # typer < 0.29 keeps click's parameter types
        return _CLICK_TYPES.get(getattr(getattr(param, "type", None), "name", ""), "str")
    if desc.is_choice:
        return "choice"
    ann = desc.annotation
    if get_origin(ann) in (list, tuple):
        ann = (get_args(ann) or (str,))[0]
    if desc.is_path or (isinstance(ann, type) and issubclass(ann, PurePath)):
        return "path"
    return _PY_TYPES.get(ann, "str")


def choices(param) -> list[str]:
    """The values a choice parameter accepts, as typed (an enum member by its value)."""
    desc = getattr(param, "type_descriptor", None)
    found = desc.choices if desc is not None else getattr(getattr(param, "type", None), "choices", None)
    return [str(getattr(c, "value", c)) for c in found or ()]


class NamedArgument(TyperArgument):
    """A positional argument shown by its name: `LANG` in the usage line (`[KIND]` when optional, `PATH...`
    when repeated) and in the help panel, where its type column shows its choices only
    (`morph|bible|lexicon`), never a Python type."""

    def display_type_rich(self, ctx) -> str | None:
        """The type column of the help panel: the choices, or nothing."""
        return "|".join(choices(self)) or None

    def get_usage_pieces(self, ctx) -> list[str]:
        """The argument in the usage line, as click writes it: LANG, [KIND], PATH..., [PATH]..."""
        name = (self.metavar or self.name.upper()).removesuffix("...")
        if self.nargs != 1:
            return [f"{name}..." if self.required else f"[{name}]..."]
        return [name if self.required else f"[{name}]"]


def _name_argument(param, table: dict) -> None:
    base = (param.metavar or table.get(param.name) or param.name.upper()).removesuffix("...")
    param.metavar = base + ("..." if param.nargs != 1 else "")
    if type(param) is TyperArgument:  # typer's own class: show it the way NamedArgument does
        param.__class__ = NamedArgument
