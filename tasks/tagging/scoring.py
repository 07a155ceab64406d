"""Scoring taggers: entity precision/recall/F1 per type and micro-averaged exactly as seqeval's default mode
(conlleval-style chunks: an I-X after O or another type opens an entity), and UPOS accuracy. Gold and
prediction files must hold the same sentences and tokens, else a file:line error."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from lexres.errors import OptionError, ParseError, require
from lexres.provenance import file_sha256, signature
from lexres.tasks.tagging.data import LabelSpec, read_labeled
from lexres.tasks.tagging.results import EntityScores, EvalReport, PosScores, TypeScore


def _prf(typ: str, gold: int, pred: int, correct: int) -> TypeScore:
    p = correct / pred if pred else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return TypeScore(typ, p, r, f, gold, pred, correct)


def entity_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> EntityScores:
    """Span scores of `pred` against `gold` (lists of IOB2 label sequences of equal shapes), fractions 0–1.
    Chunks come from seqeval's `get_entities` (default, non-strict mode); an undefined precision or recall
    is 0, as seqeval's default zero_division. Raises ValueError when the shapes differ."""
    if len(gold) != len(pred) or any(len(g) != len(p) for g, p in zip(gold, pred, strict=False)):
        raise ValueError("gold and predicted label sequences differ in shape")
    seq = require("seqeval.metrics.sequence_labeling", "model")
    gold_spans, pred_spans = defaultdict(set), defaultdict(set)
    for spans, seqs in ((gold_spans, gold), (pred_spans, pred)):
        for i, labels in enumerate(seqs):
            for typ, start, end in seq.get_entities(list(labels)):
                spans[typ].add((i, start, end))
    per_type = []
    for typ in sorted(set(gold_spans) | set(pred_spans)):
        g, p = gold_spans[typ], pred_spans[typ]
        per_type.append(_prf(typ, len(g), len(p), len(g & p)))
    micro = _prf(
        "micro",
        sum(t.gold for t in per_type),
        sum(t.predicted for t in per_type),
        sum(t.correct for t in per_type),
    )
    return EntityScores(tuple(per_type), micro, len(gold), sum(len(g) for g in gold))


def pos_accuracy(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> PosScores:
    """Word-level accuracy (fraction 0–1) of predicted UPOS tags; 0 for no words."""
    correct = sum(g == p for gs, ps in zip(gold, pred, strict=True) for g, p in zip(gs, ps, strict=True))
    tokens = sum(len(g) for g in gold)
    return PosScores(correct / tokens if tokens else 0.0, correct, tokens, len(gold))


def drop_types(seqs: Iterable[Sequence[str]], types: Iterable[str]) -> list[list[str]]:
    """The sequences with every B-/I- label of the entity `types` mapped to O."""
    types = set(types)
    return [["O" if lab != "O" and lab[2:] in types else lab for lab in labels] for labels in seqs]


def _count_entities(seqs, types) -> int:
    seq = require("seqeval.metrics.sequence_labeling", "model")
    return sum(1 for labels in seqs for typ, _, _ in seq.get_entities(list(labels)) if typ in types)


def evaluate_files(
    gold_path: str | Path, pred_path: str | Path, spec: LabelSpec, drop: Sequence[str] = ()
) -> EvalReport:
    """Score a predicted file against a gold file in the same format (`spec`): entity scores for IOB2
    labels, UPOS accuracy for UPOS. `drop` entity types become O in both first. Raises ParseError naming
    the prediction's file:line where it stops matching the gold (sentence count, token count or token)."""
    drop = tuple(dict.fromkeys(t.strip() for t in drop if t.strip()))
    if drop and spec.scheme != "iob2":
        raise OptionError("--drop-types applies to entity (IOB2) labels only")
    _, gold = read_labeled(gold_path, spec)
    _, pred = read_labeled(pred_path, spec)
    _align(gold, pred, gold_path, pred_path)
    g = [list(ex.labels) for ex in gold if ex.words]
    p = [list(ex.labels) for ex in pred if ex.words]
    entities = pos = None
    dropped_gold = dropped_pred = 0
    if spec.scheme == "iob2":
        if drop:
            dropped_gold, dropped_pred = _count_entities(g, drop), _count_entities(p, drop)
            g, p = drop_types(g, drop), drop_types(p, drop)
        entities = entity_scores(g, p)
    else:
        pos = pos_accuracy(g, p)
    gh, ph = file_sha256(gold_path), file_sha256(pred_path)
    params = {
        "gold": gh[:12],
        "pred": ph[:12],
        "format": spec.fmt,
        "column": spec.column + 1 if spec.column >= 0 else "last",
        "scheme": spec.scheme,
        "mode": "seqeval-default" if spec.scheme == "iob2" else "accuracy",
        "drop": ",".join(drop) or None,
    }
    return EvalReport(
        spec.scheme,
        entities,
        pos,
        drop,
        dropped_gold,
        dropped_pred,
        gh,
        ph,
        signature("task tagging eval", params),
    )


def _align(gold, pred, gold_path, pred_path) -> None:
    for i, (g, p) in enumerate(zip(gold, pred, strict=False)):
        if len(g.words) != len(p.words):
            raise ParseError(
                pred_path,
                p.line,
                f"sentence {i + 1} has {len(p.words)} tokens, the gold "
                f"sentence ({gold_path}:{g.line}) has {len(g.words)}",
                hint="predict on the gold file itself so the two line up",
            )
        for k, (gw, pw) in enumerate(zip(g.words, p.words, strict=True)):
            if gw != pw:
                raise ParseError(
                    pred_path,
                    p.lines[k],
                    f"token `{pw}` differs from the gold `{gw}` ({gold_path}:{g.lines[k]})",
                    hint="predict on the gold file itself so the two line up",
                )
    if len(gold) != len(pred):
        longer, shorter, path, other = (
            (gold, pred, gold_path, pred_path)
            if len(gold) > len(pred)
            else (pred, gold, pred_path, gold_path)
        )
        raise ParseError(
            path,
            longer[len(shorter)].line,
            f"sentence {len(shorter) + 1} has no counterpart: {other} ends after {len(shorter)} sentences",
            hint="predict on the gold file itself so the two line up",
        )
