"""`lexres augment ...`: pseudo-mono, pseudo-label, induce-lexicon, eval-lexicon. Parsing and printing only."""
from __future__ import annotations

from pathlib import Path

import typer

from ..cli.common import bar, console, emit_json, open_store

CHOICE_HELP = "How to pick among several translations: uniform, weighted (by how many sources give the pair), first."
UNKNOWN_HELP = "Words not in the lexicon: keep, drop, or mark (see --mark)."


def _ids(values: list[str] | None) -> list[int] | None:
    from ..errors import OptionError

    out = []
    for v in values or []:
        for part in str(v).replace(",", " ").split():
            if not part.lstrip("#").isdigit():
                raise OptionError(f"--lexicon takes resource ids, got `{part}`", hint="see `lexres list`")
            out.append(int(part.lstrip("#")))
    return out or None


def _print_counts(title: str, result: dict) -> None:
    c = result["counts"]
    console.print(f"{title}: {result['output']} ({c.get('sentences_out', '?')} of {c.get('sentences_in', '?')} "
                  f"sentences kept; {c.get('replaced', 0)} of {c.get('words', 0)} words replaced, share "
                  f"{c.get('replaced_share', 0):.3f}); lexicons {result['lexicons']}; manifest {result['manifest']}",
                  markup=False)


def register(app: typer.Typer, groups: dict) -> None:
    group = groups["augment"]

    @group.command("pseudo-mono")
    def pseudo_mono(
        src: str = typer.Option(..., "--src", help="Language of the input text."),
        tgt: str = typer.Option(..., "--tgt", help="Language to translate into."),
        input: Path = typer.Option(..., "--input", "-i", help="Text file, one sentence a line."),
        output: Path = typer.Option(..., "--output", "-o", help="Output text file (+ .manifest.json)."),
        lexicon: list[str] = typer.Option(None, "--lexicon", help="Lexicon resource id(s) to use (repeatable); "
                                          "default: every src-tgt lexicon in the store, either direction."),
        choice: str = typer.Option("uniform", "--choice", help=CHOICE_HELP),
        unknown: str = typer.Option("keep", "--unknown", help=UNKNOWN_HELP),
        mark: str = typer.Option("<unk:{word}>", "--mark", help="Template for --unknown mark."),
        min_replaced: int = typer.Option(1, "--min-replaced", help="Keep a sentence only when at least this "
                                         "many words were replaced."),
        seed: int = typer.Option(0, "--seed", help="Random seed; the same seed gives byte-identical output."),
        morph: bool = typer.Option(False, "--morph", help="Inflect target lemmas for the source word's features "
                                   "(from --tagged input or the source UniMorph table in the store)."),
        tagged: bool = typer.Option(False, "--tagged", help="Input items may carry features: word|FEATS or "
                                    "word|lemma|FEATS."),
        no_record: bool = typer.Option(False, "--no-record", help="Do not record the output in the store."),
        as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    ) -> None:
        """Translate text word by word with the store's lexicons (pseudo-monolingual text)."""
        from .pseudo_mono import make_pseudo_mono
        from .substitute import Options

        opts = Options(choice=choice, unknown=unknown, mark=mark, min_replaced=min_replaced, seed=seed,
                       morph=morph or tagged)
        with open_store() as store, bar() as progress:
            result = make_pseudo_mono(store, src, tgt, input, output, lexicons=_ids(lexicon), options=opts,
                                      tagged=tagged, progress=progress, record=not no_record)
        if as_json:
            emit_json(result)
        else:
            _print_counts("pseudo-mono", result)
