"""The `lexres` command line. It only parses, calls the library and prints.

One module per command group (`morph`, `lexicon`, `bible`, `augment`, `task`, `adapt`), each a module-level
`typer.Typer` named `app` whose commands are plain module-level functions, importable and testable alone; the
top-level commands (`import`, `formats`, `list`, `show`, `remove`, `langs`, `lang`, `export`) live in
`lexres.cli.resources`. Shared options are defined once in `lexres.cli.common`."""

from __future__ import annotations

import importlib
import sqlite3
import sys
from pathlib import Path

import typer

try:  # typer >= 0.29 vendors its own click; older typers use the click package
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover
    from click import exceptions as click_exc

from lexres.cli.common import STATE, console, err_console, store_problem
from lexres.errors import LexresError

app = typer.Typer(
    name="lexres",
    help="Load lexicons, Bibles and UniMorph tables into one store; augment them into training data; "
    "build and score SIGMORPHON-style tasks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
GROUP_MODULES = ("morph", "lexicon", "bible", "augment", "task", "adapt", "batch")
TOP_COMMANDS = (
    ("import", "import_cmd"),
    ("formats", "formats_cmd"),
    ("list", "list_cmd"),
    ("show", "show_cmd"),
    ("remove", "remove_cmd"),
    ("langs", "langs_cmd"),
    ("lang", "lang_cmd"),
    ("export", "export_cmd"),
)


def _version(value: bool) -> None:
    if value:
        from lexres import __version__

        console.print(f"lexres {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    store: Path = typer.Option(
        None,
        "--store",
        help="Store file, before or after the command (default: $LEXRES_STORE, else lexres.db in the user "
        "data directory). Commands that only read open it read-only and never create it.",
        show_default=False,
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    STATE["store"] = store
    STATE["quiet"] = quiet


def _load_commands() -> None:
    from lexres.cli import resources

    for name, fn in TOP_COMMANDS:
        app.command(name)(getattr(resources, fn))
    from lexres.cli import adapt, report, tagging, task

    app.command("report")(report.report_cmd)

    task.app.add_typer(tagging.app, name="tagging")
    adapt.app.command("distill")(tagging.distill)
    for name in GROUP_MODULES:
        module = importlib.import_module(f"lexres.cli.{name}")
        app.add_typer(module.app, name=name)


_loaded = False


def build() -> typer.Typer:
    """The top-level Typer app with every command and group registered; the command modules are imported on
    the first call only."""
    global _loaded
    if not _loaded:
        _loaded = True
        _load_commands()
    return app


_command = None


def command():
    """The click command of `lexres`: every command of `build()`, with readable value names and an
    "Examples:" section in each command's help (lexres.cli.helptext). Built on the first call only."""
    global _command
    if _command is None:
        import typer.main

        from lexres.cli.helptext import polish

        _command = polish(typer.main.get_command(build()))
    return _command


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def hoist_store(argv: list[str]) -> list[str]:
    """Move `--store PATH` / `--store=PATH` and `--quiet` / `-q` (no subcommand has options of these names)
    to the front, so they work before or after the subcommand (`lexres list --store s.db` as well as
    `lexres --store s.db list`, `lexres import bible nt.xml -q`); stops at `--`."""
    out, front, k = [], [], 0
    while k < len(argv):
        arg = argv[k]
        if arg == "--":
            out.extend(argv[k:])
            break
        if arg == "--store" and k + 1 < len(argv):
            front += [arg, argv[k + 1]]
            k += 2
            continue
        if arg.startswith("--store=") or arg in ("--quiet", "-q"):
            front.append(arg)
        else:
            out.append(arg)
        k += 1
    return front + out


def main(argv: list[str] | None = None) -> None:
    """Entry point: bad input becomes one line on stderr with a hint and exit code 2, never a traceback."""
    cli = command()
    argv = hoist_store(list(sys.argv[1:] if argv is None else argv))
    try:
        rv = cli.main(args=argv, prog_name="lexres", standalone_mode=False)
        code = rv if isinstance(rv, int) else 0
    except LexresError as exc:
        hint = f" (hint: {_one_line(exc.hint)})" if getattr(exc, "hint", "") else ""
        err_console.print(f"lexres: error: {_one_line(str(exc))}{hint}", markup=False, highlight=False)
        code = 2
    except typer.Exit as exc:
        code = getattr(exc, "exit_code", 0)
    except typer.Abort:
        err_console.print("lexres: aborted", markup=False)
        code = 130
    except click_exc.NoArgsIsHelpError as exc:  # `lexres` or `lexres task` alone: show the help
        text = exc.format_message()  # empty when typer's rich help already printed itself (typer >= 0.29)
        if text.strip():
            console.print(text, markup=False, highlight=False)
        code = 0
    except click_exc.ClickException as exc:
        if isinstance(exc, click_exc.UsageError) and exc.ctx is not None:
            err_console.print(exc.ctx.get_usage(), markup=False, highlight=False)
        err_console.print(
            f"lexres: error: {_one_line(exc.format_message())} (hint: see --help)",
            markup=False,
            highlight=False,
        )
        code = 2
    except sqlite3.DatabaseError as exc:  # raised mid-command: say which store and what SQLite found
        message = _one_line(str(store_problem(exc)))
        err_console.print(f"lexres: error: {message}", markup=False, highlight=False)
        code = 2
    except FileNotFoundError as exc:
        err_console.print(f"lexres: error: {exc.filename}: no such file (hint: check the path)", markup=False)
        code = 2
    except OSError as exc:
        err_console.print(f"lexres: error: {_one_line(str(exc))}", markup=False)
        code = 2
    except KeyboardInterrupt:
        err_console.print(
            "lexres: interrupted; the store is unchanged by the unfinished command", markup=False
        )
        code = 130
    sys.stdout.flush()
    raise SystemExit(code)
