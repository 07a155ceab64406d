"""Training text for adapting a model to a language, from what the store holds: the language's Bible verses
plus
pseudo-monolingual text made from source-language text with the store's lexicons (Ebrahimi & Kann 2021
continue
pretraining on the New Testament; Wang, Ruder & Neubig 2022 on lexicon-translated text), deduplicated,
shuffled
with a seed, optionally mixed with a share of source-language text to limit forgetting.

Shares are fractions 0–1. Raises NotFoundError when the store has neither a Bible nor usable source text for
the
language, OptionError for a bad mix."""

from __future__ import annotations

import json
import random
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from lexres.errors import NotFoundError, OptionError
from lexres.langs import resolve
from lexres.outputs import atomic_dir
from lexres.progress import Progress
from lexres.provenance import write_manifest
from lexres.store import Store
from lexres.store.bible import translations, verses


@dataclass(frozen=True)
class OriginSize:
    """How much text one origin contributed, after deduplication: lines, whitespace words, characters."""

    origin: str
    lines: int
    words: int
    chars: int


@dataclass(frozen=True)
class CorpusReport:
    """What `build_corpus` wrote: the corpus file, its size per origin, the store resources it came from
    (Bibles and lexicons), and how many duplicate lines were dropped."""

    corpus: str
    lang: str
    lines: int
    duplicates_dropped: int
    sizes: tuple[OriginSize, ...]
    bibles: tuple[int, ...]
    lexicons: tuple[int, ...]
    mix: dict[str, float]
    seed: int
    resource_id: int | None = None

    def to_dict(self) -> dict:
        """JSON-able form (for --json and the report file)."""
        return asdict(self)


def parse_mix(specs: Sequence[str] | None) -> dict[str, float]:
    """`["eng:0.3"]` → `{"eng": 0.3}`: the share of the final corpus taken by each source language's own text.

    Raises OptionError for a malformed item or shares that do not leave room for the target language."""
    out: dict[str, float] = {}
    for spec in specs or ():
        lang, sep, share = spec.partition(":")
        try:
            value = float(share)
        except ValueError:
            value = -1.0
        if not sep or not 0.0 < value < 1.0:
            raise OptionError(
                f"--mix {spec}: expected LANG:SHARE with 0 < SHARE < 1", hint="e.g. --mix eng:0.3"
            )
        out[resolve(lang).code] = value
    if sum(out.values()) >= 1.0:
        raise OptionError("--mix shares add up to 1 or more; the target language needs some room")
    return out


def _lines(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [line.rstrip("\r\n") for line in fh]


def _bible_lines(store: Store, lang: str) -> tuple[list[str], list[int]]:
    out, ids = [], []
    try:
        found = translations(store, lang)
    except NotFoundError:
        return [], []
    for res in found:
        ids.append(res.id)
        out.extend(v.text for v in verses(store, res) if v.text.strip())
    return out, ids


def _dedupe(lines: Iterable[str], seen: set[str]) -> tuple[list[str], int]:
    kept, dropped = [], 0
    for line in lines:
        text = " ".join(line.split())
        if not text:
            continue
        if text in seen:
            dropped += 1
            continue
        seen.add(text)
        kept.append(text)
    return kept, dropped


def _size(origin: str, lines: list[str]) -> OriginSize:
    return OriginSize(origin, len(lines), sum(len(x.split()) for x in lines), sum(len(x) for x in lines))


def build_corpus(
    store: Store,
    lang: str,
    out_dir: str | Path,
    *,
    src: str | None = None,
    sources: Sequence[str | Path] = (),
    mix: dict[str, float] | None = None,
    seed: int = 0,
    lexicons: Sequence[int] | None = None,
    include_derived: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    record: bool = True,
) -> CorpusReport:
    """Write `out_dir/corpus.txt` (one line a sentence or verse), `out_dir/report.json` and a manifest, and
    record the corpus as a derived `text` resource whose parents are the Bibles and lexicons used.

    `sources` are source-language text files (one sentence a line) translated word by word into `lang` with
    the
    store's src→lang lexicons (imported ones only unless `include_derived` or named in `lexicons`). `mix`
    maps a
    source language to the share (0–1) of the final corpus filled with its own text (the `sources` lines and
    its Bible verses), to limit forgetting.

    Raises NotFoundError (nothing to build from), OptionError (sources without --src, bad mix)."""
    from lexres.augment.text.pseudo_mono import make_pseudo_mono

    tgt = resolve(lang)
    mix = dict(mix or {})
    if sources and not src:
        raise OptionError("--from needs --src, the language of the source text")
    progress = progress or Progress()
    seen: set[str] = set()
    bible, bible_ids = _bible_lines(store, tgt.code)
    parts: dict[str, list[str]] = {}
    dropped = 0
    parts["bible"], d = _dedupe(bible, seen)
    dropped += d
    lexicon_ids: set[int] = set()
    pseudo: list[str] = []
    with tempfile.TemporaryDirectory(prefix="lexres-corpus-") as tmp:
        for i, path in enumerate(sources):
            out = Path(tmp) / f"pseudo-{i}.txt"
            kwargs = {"lexicons": list(lexicons) if lexicons else None, "record": False, "progress": progress}
            if include_derived:
                kwargs["include_derived"] = True
            result = make_pseudo_mono(store, src, tgt.code, path, out, **kwargs)
            ids = result["lexicons"] if isinstance(result, dict) else result.lexicons
            lexicon_ids.update(int(x) for x in ids)
            pseudo.extend(_lines(out))
    parts["pseudo-mono"], d = _dedupe(pseudo, seen)
    dropped += d
    target_lines = parts["bible"] + parts["pseudo-mono"]
    if not target_lines:
        raise NotFoundError(
            f"nothing to build a {tgt.code} corpus from",
            hint=f"import a {tgt.code} Bible, or give --src and --from source text",
        )
    rng = random.Random(seed)
    for mlang, share in sorted(mix.items()):
        own = (
            [line for p in sources for line in _lines(Path(p))] if src and resolve(src).code == mlang else []
        )
        own += _bible_lines(store, mlang)[0]
        own, d = _dedupe(own, seen)
        dropped += d
        want = round(share / (1.0 - sum(mix.values())) * len(target_lines))
        rng.shuffle(own)
        parts[f"mix:{mlang}"] = own[:want]
    every = [line for name in parts for line in parts[name]]
    rng.shuffle(every)
    report = CorpusReport(
        corpus="corpus.txt",
        lang=tgt.tag,
        lines=len(every),
        duplicates_dropped=dropped,
        sizes=tuple(_size(name, lines) for name, lines in parts.items()),
        bibles=tuple(bible_ids),
        lexicons=tuple(sorted(lexicon_ids)),
        mix=mix,
        seed=seed,
    )
    out_dir = Path(out_dir)
    with atomic_dir(out_dir, force=force) as tmp:
        (tmp / "corpus.txt").write_text("".join(line + "\n" for line in every), encoding="utf-8")
        (tmp / "report.json").write_text(
            json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        hashes = {f"resource:{r}": store.resource(r).sha256 for r in (*bible_ids, *sorted(lexicon_ids))}
        write_manifest(
            tmp,
            "adapt corpus",
            inputs={f"source:{i}": p for i, p in enumerate(sources)},
            input_hashes=hashes,
            seed=seed,
            params={
                "lang": tgt.tag,
                "src": src,
                "mix": json.dumps(mix, sort_keys=True),
                "include_derived": include_derived,
            },
            counts={s.origin: s.lines for s in report.sizes},
        )
    if record:
        from lexres.augment.derived import record_derived

        rid = record_derived(
            store,
            kind="text",
            format="corpus",
            output=out_dir / "corpus.txt",
            lang=tgt.tag,
            derived_from=[*bible_ids, *sorted(lexicon_ids)],
            options={"mix": mix, "seed": seed, "src": src},
            n_read=len(every),
            n_stored=len(every),
        )
        report = CorpusReport(**{**report.__dict__, "resource_id": rid})
    return report
