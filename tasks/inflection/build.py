"""Build a SIGMORPHON-style inflection task (train/dev/test + covered inputs) from morphology entries in
the store, with lemma-disjoint (2023 style) or random splits, and report how dev/test overlap with train."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lexres import defaults
from lexres.errors import NotFoundError, OptionError
from lexres.loaders.morph.common import canonical, parse_features
from lexres.outputs import check_destination
from lexres.store import Store
from lexres.store import morph as morph_queries
from lexres.tasks.inflection.files import COVERED, layout_of, write_rows, years
from lexres.tasks.inflection.reports import BuildReport
from lexres.tasks.inflection.scoring import overlap

SPLITS = ("train", "dev", "test")
DEFAULT_FRACTIONS = {"train": 0.8, "dev": 0.1, "test": 0.1}


@dataclass(frozen=True, slots=True)
class Item:
    """One inflection example: a lemma, its feature bundle (UniMorph tags) and the inflected form."""

    lemma: str
    features: tuple[str, ...]
    form: str


def load_items(
    store: Store, lang: str | None = None, resource: int | None = None, *, canonical_order: bool = False
) -> tuple[list[Item], list, dict]:
    """Distinct (lemma, features, form) triples with a form, from one resource or every morph resource of a
    language (its family, `Lang.family`: its macrolanguage, or a macrolanguage's members); returns (items,
    resources used, info about what was dropped)."""
    if resource is not None:
        res = [store.resource(resource)]
        if res[0].kind != "morph":
            raise OptionError(f"resource {resource} is a {res[0].kind} resource, not morph")
    elif lang:
        res = store.resources("morph", lang)
    else:
        raise OptionError("say which data to use: --lang or --resource")
    if not res:
        raise NotFoundError(
            f"no morph resource for `{lang}` in the store",
            hint="import one first: lexres import morph FILE --lang " + str(lang),
        )
    if len(res) > 1:
        _check_notation(store, res, lang)
    items, seen, covered, read, parsed = [], set(), 0, 0, {}
    codes = store.langs_in(lang) if (lang and resource is None) else None
    for r in res:
        for lemma, form, feats in morph_queries.cells_of_resource(store, r.id, codes):
            read += 1
            if form is None:
                covered += 1
                continue
            got = parsed.get(feats)
            if got is None:
                tags = canonical(feats) if canonical_order else parse_features(feats)
                got = parsed[feats] = (tags, canonical(feats))
            tags = got[0]
            key = (lemma, got[1], form)  # the same cell from two resources (in any tag order) once
            if key in seen:
                continue
            seen.add(key)
            items.append(Item(lemma, tags, form))
    info = {"covered_skipped": covered, "duplicates_dropped": read - covered - len(items)}
    return items, res, info


def _check_notation(store: Store, res: list, lang: str | None) -> None:
    """Refuse to mix resources written in different feature notations (flat UniMorph `V;PST;3;SG` and
    UniMorph-4 layered `V;NOM(3,SG)`): the same cell would get two feature bundles and a model would learn
    both. Rule: all of a language's resources must share one notation, else name one with --resource.

    Raises OptionError listing the resources."""
    kinds = {}
    for r in res:
        kinds[r.id] = "layered" if morph_queries.uses_layered_features(store, r.id) else "flat"
    if len(set(kinds.values())) > 1:
        listed = "; ".join(f"#{r.id} {r.name} ({r.lang}, {kinds[r.id]})" for r in res)
        raise OptionError(
            f"the morph resources for `{lang}` use different feature notations (flat and layered): {listed}",
            hint="choose one with --resource ID",
        )


def _lang_notes(lang: str, res: list) -> list[str]:
    """Say when resources filed under another code of its family (its macrolanguage, or for a macrolanguage
    one of its members) were used for `lang`."""
    from lexres.langs import resolve

    code = resolve(lang).code
    return [
        f"resource {r.id} ({r.name}) is filed under `{r.lang}`, included for `{code}`"
        for r in res
        if r.lang != code
    ]


def resolve_sizes(n: int, sizes: dict[str, int | None]) -> tuple[dict[str, int], bool]:
    """Item counts per split: given sizes, fractions for unset ones, scaled down to fit `n` if needed."""
    want = {s: (sizes.get(s) if sizes.get(s) is not None else int(n * DEFAULT_FRACTIONS[s])) for s in SPLITS}
    for s, v in want.items():
        if v < 0:
            raise OptionError(f"--{s}-size must not be negative")
    total = sum(want.values())
    if total <= n:
        return want, False
    return {s: int(v * n / total) for s, v in want.items()}, True


def split_random(items: Sequence[Item], sizes: dict[str, int], rng: random.Random) -> dict[str, list[Item]]:
    """Shuffle `items` with `rng` and cut test, dev and train (in that order) of `sizes[split]` items each;
    a lemma may fall in several splits (split_by_lemma keeps them apart)."""
    order = list(items)
    rng.shuffle(order)
    out, at = {}, 0
    for s in ("test", "dev", "train"):
        out[s] = order[at : at + sizes[s]]
        at += sizes[s]
    return out


def split_by_lemma(items: Sequence[Item], sizes: dict[str, int], rng: random.Random) -> dict[str, list[Item]]:
    """No lemma in two splits: whole paradigms go to test, dev, then train until each is full; a split that
    got more forms than asked keeps a random sample of them."""
    by_lemma: dict[str, list[Item]] = {}
    for it in items:
        by_lemma.setdefault(it.lemma, []).append(it)
    lemmas = list(by_lemma)
    rng.shuffle(lemmas)
    out, at = {}, 0
    for s in ("test", "dev", "train"):
        chosen: list[Item] = []
        while len(chosen) < sizes[s] and at < len(lemmas):
            chosen += by_lemma[lemmas[at]]
            at += 1
        if len(chosen) > sizes[s]:
            chosen = [chosen[k] for k in sorted(rng.sample(range(len(chosen)), sizes[s]))]
        out[s] = chosen
    return out


def build_task(
    store: Store,
    out_dir: str | Path,
    *,
    lang: str | None = None,
    resource: int | None = None,
    year: str = defaults.TASK_YEAR,
    split: str | None = None,
    sizes: dict[str, int | None] | None = None,
    seed: int = defaults.SEED,
    name: str | None = None,
    canonical_order: bool = False,
    force: bool = False,
) -> BuildReport:
    """Write the task files into `out_dir` and its manifest; returns counts, file names and the overlap of
    dev and test with train (shares 0-1)."""
    from lexres.provenance import write_manifest

    if year not in years():
        raise OptionError(f"unknown task year `{year}`", hint=f"one of: {', '.join(years())}")
    spec = years()[year]
    split = split or spec["split"]
    if split not in ("lemma", "random"):
        raise OptionError(f"unknown split `{split}`", hint="use `lemma` (lemma-disjoint) or `random`")
    items, res, info = load_items(store, lang, resource, canonical_order=canonical_order)
    if not items:
        raise NotFoundError("the chosen resources hold no entries with an inflected form")
    given = {s: (sizes or {}).get(s) for s in SPLITS}
    given = {s: (v if v is not None else spec["sizes"].get(s)) for s, v in given.items()}
    counts, scaled = resolve_sizes(len(items), given)
    rng = random.Random(seed)
    parts = (split_by_lemma if split == "lemma" else split_random)(items, counts, rng)
    # Keep each split in a stable, readable order: paradigms together, as the shared tasks ship them.
    first = {}
    for k, it in enumerate(items):
        first.setdefault(it.lemma, k)
    index = {id(it): k for k, it in enumerate(items)}
    for s in SPLITS:
        parts[s].sort(key=lambda it: (first[it.lemma], index[id(it)]))
    out = Path(out_dir)
    stem = name or lang or res[0].lang
    layout = layout_of(year)
    targets = {key: out / fname.format(lang=stem) for key, fname in spec["files"].items()}
    if out.is_symlink():
        raise OptionError(f"{out}: is a symbolic link; lexres never writes through one",
                          hint="give the real path")
    for path in [*targets.values(), out / "manifest.json"]:  # all checked before any file is written
        check_destination(path, force=force or path.name == "manifest.json")
    written = {}
    for key, path in targets.items():  # each file atomic: a killed build leaves old or new files, never half
        s = key.replace("_covered", "")
        write_rows(
            path,
            ((it.lemma, it.features, it.form) for it in parts[s]),
            COVERED if key.endswith("_covered") else layout,
            force=force,
        )
        written[key] = path
    train_items = [(it.lemma, it.features) for it in parts["train"]]
    report = BuildReport(
        out=str(out),
        year=year,
        layout=layout,
        split=split,
        seed=seed,
        resources=[r.id for r in res],
        notes=_lang_notes(lang, res) if lang and resource is None else [],
        available=len(items),
        sizes_scaled=scaled,
        counts={s: len(parts[s]) for s in SPLITS},
        **info,
        files={k: p.name for k, p in written.items()},
        overlap={
            s: overlap([(it.lemma, it.features) for it in parts[s]], train_items) for s in ("dev", "test")
        },
    )
    write_manifest(
        out,
        "task inflection build",
        input_hashes={f"resource:{r.id}": r.sha256 for r in res},
        seed=seed,
        params={
            "year": year,
            "split": split,
            "lang": lang,
            "resource": resource,
            "sizes": given,
            "canonical": canonical_order,
        },
        counts={**report.counts, **info},
        outputs=written,
    )
    return report
