"""Gather what a report page shows about one language from the store (lexres.store.report), plus the scores of
derived resources found in the manifests beside their files. Everything is a frozen dataclass; shares 0-1."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from lexres.kinds import entry_kinds
from lexres.langs import resolve
from lexres.records import Result
from lexres.store import Store
from lexres.store import report as queries
from lexres.store.lexicon import TokenCounts

KINDS = (*entry_kinds(), "text", "model")  # the columns of the index matrix
MAX_PARTNERS = 8  # lexicon-coverage runs per language (each reads the partner dictionary once)
_SCORE = re.compile(
    r"(precision|recall|f1|accuracy|acc|p@\d+|p_at_\d+|bleu|chrf|exact|score|coverage|"
    r"perplexity|loss)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class KindCount(Result):
    """Resources of one kind serving a language, and their entries in it (verses, pairs, forms; for file
    kinds such as text, the rows the file holds)."""

    kind: str
    resources: int
    entries: int


@dataclass(frozen=True)
class Readiness(Result):
    """Whether a language has what lexicon-based adaptation needs: a Bible and a lexicon (an induced lexicon
    counts), and why not."""

    ready: bool
    label: str


@dataclass(frozen=True)
class Derived(Result):
    """A resource lexres made (generated text, pivoted or induced lexicon, model), with its parents and the
    scores known for it (from its options, or the manifest beside its file), by dotted key."""

    resource: queries.ResourceLine
    parents: tuple[queries.Parent, ...]
    scores: dict[str, float]


@dataclass(frozen=True)
class LanguageReport(Result):
    """Everything a language page shows."""

    code: str
    name: str
    scope: str
    macrolanguage: str | None
    individuals: tuple[str, ...]
    varieties: tuple[str, ...]
    scripts: tuple[queries.ScriptUse, ...]
    counts: tuple[KindCount, ...]
    resources: tuple[queries.ResourceLine, ...]
    morph: queries.MorphSummary | None
    bibles: tuple[queries.BibleSummary, ...]
    lexicons: tuple[queries.LexiconSide, ...]
    coverage: tuple[queries.TextCoverage, ...]
    derived: tuple[Derived, ...]
    readiness: Readiness

    def count(self, kind: str) -> KindCount:
        """The entry count of one kind (`morph`, `bible`, `lexicon`) for this language.
        Raises StopIteration when `kind` is not one of the report's kinds."""
        return next(c for c in self.counts if c.kind == kind)


def _flatten(data, prefix: str = "") -> dict[str, float]:
    out: dict[str, float] = {}
    if isinstance(data, dict):
        for k, v in data.items():
            out.update(_flatten(v, f"{prefix}{k}."))
    elif isinstance(data, (int, float)) and not isinstance(data, bool) and _SCORE.search(prefix):
        out[prefix[:-1]] = float(data)
    return out


def scores_of(res: queries.ResourceLine) -> dict[str, float]:
    """Score-like numbers (precision, F1, accuracy, BLEU, coverage, loss ...) in a derived resource's options
    and in the manifest sidecar of its file, when that file is still there."""
    scores = _flatten(res.options)
    for source in res.sources:
        side = Path(source).with_name(Path(source).name + ".manifest.json")
        try:
            body = json.loads(side.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(body, dict) and body.get("tool") == "lexres":
            scores.update(_flatten(body.get("counts", {})))
    return dict(sorted(scores.items())[:24])


def readiness(bibles, sides) -> Readiness:
    """Ready for adaptation: a Bible and an imported lexicon, or a Bible and an induced (derived) lexicon."""
    imported = any(not s.derived for s in sides)
    induced = any(s.derived for s in sides)
    if bibles and imported:
        return Readiness(True, "yes")
    if bibles and induced:
        return Readiness(True, "yes (induced lexicon)")
    if bibles:
        return Readiness(False, "Bible only: induce a lexicon")
    if sides:
        return Readiness(False, "lexicon only: needs a Bible")
    return Readiness(False, "no")


class CoverageCache:
    """What one report run measures once and reuses on every page that needs it: the tokenised text of each
    Bible (lexres.store.report.bible_tokens) and each lexicon-coverage result (a macrolanguage's page and
    its individual language's page measure the same Bible against the same lexicons). Only for one run on
    one unchanging store."""

    def __init__(self) -> None:
        self.texts: dict[int, TokenCounts] = {}
        self.results: dict[tuple, queries.TextCoverage] = {}

    def measure(
        self, store: Store, lang: str, partner: str, bible: int, lexicons: tuple[int, ...]
    ) -> queries.TextCoverage:
        """`lexres.store.report.bible_coverage`, reading and tokenising each Bible once, each answer once."""
        key = (lang, partner, bible, lexicons)
        if key not in self.results:
            if bible not in self.texts:
                self.texts[bible] = queries.bible_tokens(store, bible)
            self.results[key] = queries.bible_coverage(
                store, lang, partner, bible, lexicons, self.texts[bible]
            )
        return self.results[key]


def language_report(
    store: Store, code: str, *, coverage: bool = True, cache: CoverageCache | None = None
) -> LanguageReport:
    """Collect the page of one language (its macrolanguage's and individual languages' resources included,
    each marked with where it is filed). `coverage`: also measure lexicon coverage of its largest Bible;
    `cache`: share the measuring with the other pages of the same report run (see CoverageCache)."""
    cache = CoverageCache() if cache is None else cache
    lang = resolve(code)
    info = store.language(code)
    resources = queries.resources_of(store, code, info)
    counts = tuple(
        KindCount(
            k, sum(1 for r in resources if r.kind == k), sum(r.entries_here for r in resources if r.kind == k)
        )
        for k in KINDS
    )
    bibles = tuple(queries.bible_summary(store, rid) for rid in queries.bible_ids(store, code))
    sides = queries.lexicon_sides(store, code)
    covs = []
    if coverage and bibles and sides:
        partners: dict[str, list[int]] = {}  # the lexicons into each partner language
        for s in sorted(sides, key=lambda s: -s.pairs):
            ids = partners.setdefault(s.partner, [])
            if s.resource_id not in ids:
                ids.append(s.resource_id)
        # look words up as the individual language (the Bible's or the page's): its family adds the
        # macrolanguage's pairs
        text_lang = store.resource(bibles[0].resource_id).lang
        if not resolve(text_lang).macrolanguage:
            text_lang = code
        for partner, ids in list(partners.items())[:MAX_PARTNERS]:
            covs.append(cache.measure(store, text_lang, partner, bibles[0].resource_id, tuple(ids)))
    derived = tuple(
        Derived(r, queries.parents_of(store, r.parents), scores_of(r))
        for r in resources
        if r.derived or r.kind not in entry_kinds()
    )
    return LanguageReport(
        lang.code,
        lang.name,
        lang.scope,
        lang.macrolanguage,
        tuple(lang.individuals),
        tuple(info["varieties"]),
        queries.scripts_used(store, code),
        counts,
        resources,
        queries.morph_summary(store, code),
        bibles,
        sides,
        tuple(covs),
        derived,
        readiness(bibles, sides),
    )
