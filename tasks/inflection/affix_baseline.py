"""The SIGMORPHON shared tasks' non-neural baseline (prefix/suffix rewrite rules per feature bundle),
rewritten from its published description so its dev accuracies can be reproduced inside lexres.

Learning: align lemma and form (Levenshtein, substitution slightly dearer than insert/delete so changes
show up as gaps) and cut the alignment into prefix | stem | suffix at the outermost gaps. For the example's
feature bundle, collect every suffix rewrite "tail of lemma -> tail of form" starting inside stem+suffix,
and the prefix rewrites "lemma prefix + k stem characters -> form prefix + the same k characters".
Generation applies the longest matching suffix rule (ties: the more frequent, then the longer output), then
the most frequent matching prefix rule; an unseen bundle copies the lemma. A language that mostly changes
word beginnings (decided by a shift-only alignment of the training pairs) is handled on reversed strings.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from lexres.progress import Progress
from lexres.tasks.inflection.models import Example, Metrics

GAP = None  # alignment gap: never equal to a character
_BOS, _EOS = "<", ">"
# Substitution costs 1.1 against 1 for insert/delete (scaled to integers so ties are exact).
_SUB, _INDEL = 11, 10
RULES_FILE = "rules.json"


def align(s: str, t: str) -> list[tuple[str | None, str | None]]:
    """Minimum-cost alignment of s and t as columns (a, b); None is a gap. Ties prefer a (mis)match, then an
    insertion, then a deletion at the earliest column, which fixes one alignment among equals."""
    n, m = len(s), len(t)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for j in range(m - 1, -1, -1):
        cost[n][j] = cost[n][j + 1] + _INDEL
    for i in range(n - 1, -1, -1):
        row, below = cost[i], cost[i + 1]
        row[m] = below[m] + _INDEL
        si = s[i]
        for j in range(m - 1, -1, -1):
            diag = below[j + 1] + (0 if si == t[j] else _SUB)
            best = row[j + 1] + _INDEL
            if diag < best:
                best = diag
            dele = below[j] + _INDEL
            row[j] = dele if dele < best else best
    cols: list[tuple[str | None, str | None]] = []
    i = j = 0
    while i < n or j < m:
        here = cost[i][j]
        if i < n and j < m and here == cost[i + 1][j + 1] + (0 if s[i] == t[j] else _SUB):
            cols.append((s[i], t[j]))
            i, j = i + 1, j + 1
        elif j < m and here == cost[i][j + 1] + _INDEL:
            cols.append((GAP, t[j]))
            j += 1
        else:
            cols.append((s[i], GAP))
            i += 1
    return cols


def _lead(seq) -> int:
    k = 0
    while k < len(seq) and seq[k] is GAP:
        k += 1
    return k


def split_alignment(cols):
    """Cut aligned columns into prefix | stem | suffix at the outermost gap runs of either side."""
    top = [a for a, _ in cols]
    bottom = [b for _, b in cols]
    lead = max(_lead(top), _lead(bottom))
    trail = max(_lead(top[::-1]), _lead(bottom[::-1]))
    end = len(cols) - trail  # the three parts may overlap for an empty side, as in the original
    return cols[:lead], cols[lead:end], cols[end:]


def _text(cols, side: int) -> str:
    return "".join(c[side] for c in cols if c[side] is not GAP)


def rules_of(lemma: str, form: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(prefix rules, suffix rules) that one lemma -> form pair supports, as (input, output) with the
    word-boundary marks `<` and `>`."""
    pre, stem, suf = split_alignment(align(lemma, form))
    tail = stem + suf
    suffix_rules = []
    for i in range(len(tail) + 1):
        rule = (_text(tail[i:], 0) + _EOS, _text(tail[i:], 1) + _EOS)
        if rule not in suffix_rules:
            suffix_rules.append(rule)
    head_in, head_out = _BOS + _text(pre, 0), _BOS + _text(pre, 1)
    prefix_rules = []
    # Context comes from the form's side of the stem, as in the original description's rules.
    for i in range(len(stem)):
        ctx = _text(stem[:i], 1)
        rule = (head_in + ctx, head_out + ctx)
        if rule not in prefix_rules:
            prefix_rules.append(rule)
    return prefix_rules, suffix_rules


def shift_align(s: str, t: str) -> tuple[list, list]:
    """Best alignment of s and t allowing only a shift (Hamming distance over padded strings); used to decide
    whether a language changes the start or the end of words."""
    best = None
    width = len(s) + len(t)
    candidates = [
        ([GAP] * u + list(s) + [GAP] * (len(t) - u), [GAP] * len(s) + list(t)) for u in range(len(t) + 1)
    ]
    candidates += [
        ([GAP] * len(t) + list(s), [GAP] * (len(s) - p) + list(t) + [GAP] * p) for p in range(len(s) + 1)
    ]
    for top, bottom in candidates:
        score = sum(1 for a, b in zip(top, bottom, strict=True) if a != b)
        if best is None or score < best[0]:
            best = (score, top, bottom)
    _, top, bottom = best
    keep = [k for k in range(width) if not (top[k] is GAP and bottom[k] is GAP)]
    return [top[k] for k in keep], [bottom[k] for k in keep]


def is_prefixing(pairs: Sequence[tuple[str, str]]) -> bool:
    """True when shift alignments put more gaps at word starts than at word ends (multi-word and hyphenated
    pairs are left out of the vote)."""
    pre = suf = 0
    for lemma, form in pairs:
        if any(c in w for w in (lemma, form) for c in " -"):
            continue
        top, bottom = shift_align(lemma, form)
        pre += _lead(top) + _lead(bottom)
        suf += _lead(top[::-1]) + _lead(bottom[::-1])
    return pre > suf


class AffixModel:
    """Rules per feature bundle; `predict` inflects (lemma, features) items."""

    def __init__(self, prefixing: bool, prefix_rules: dict, suffix_rules: dict):
        self.prefixing = prefixing
        # bundle text -> {rule input: [(output, count, first_seen), ...]}
        self.prefix_rules = prefix_rules
        self.suffix_rules = suffix_rules

    @classmethod
    def fit(cls, examples: Sequence[Example], progress: Progress | None = None) -> AffixModel:
        """Learn prefix and suffix rules per feature bundle from (lemma, form) examples, on reversed strings
        when the language mostly changes word beginnings (see the module docstring)."""
        progress = progress or Progress()
        prefixing = is_prefixing([(e.lemma, e.form) for e in examples])
        counts: dict[str, tuple[dict, dict]] = {}
        progress.start(len(examples), "learning affix rules", "examples")
        for e in examples:
            lemma, form = (e.lemma[::-1], e.form[::-1]) if prefixing else (e.lemma, e.form)
            pre, suf = rules_of(lemma, form)
            bundle = counts.setdefault(";".join(e.features), ({}, {}))
            for table, rules in ((bundle[0], pre), (bundle[1], suf)):
                for rule in rules:
                    table[rule] = table.get(rule, 0) + 1
            progress.advance()
        return cls(
            prefixing,
            {k: _index(v[0]) for k, v in counts.items() if v[0]},
            {k: _index(v[1]) for k, v in counts.items() if v[1]},
        )

    def inflect(self, lemma: str, features: Sequence[str]) -> str:
        """The form of `lemma` for a feature bundle: the longest matching suffix rule, then the most frequent
        prefix rule; the lemma itself for an unseen bundle."""
        key = ";".join(features)
        if key not in self.prefix_rules and key not in self.suffix_rules:
            return lemma  # unseen bundle: copy
        word = lemma[::-1] if self.prefixing else lemma
        base = _BOS + word + _EOS
        table = self.suffix_rules.get(key)
        if table:
            for k in range(len(base)):  # longest input first
                options = table.get(base[k:])
                if options:
                    out = max(options, key=lambda o: (o[1], len(o[0]), -o[2]))[0]
                    base = base[:k] + out
                    break
        table = self.prefix_rules.get(key)
        if table:
            found = [(o, inp) for inp, opts in table.items() if base.startswith(inp) for o in opts]
            if found:
                (out, _, _), inp = max(found, key=lambda f: (f[0][1], -f[0][2]))
                base = out + base[len(inp) :]
        word = base[1:-1] if base.startswith(_BOS) and base.endswith(_EOS) else base.strip(_BOS + _EOS)
        return word[::-1] if self.prefixing else word

    def predict(self, items: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
        """One form per (lemma, features) item, same order (the models.Predictor interface)."""
        return [self.inflect(lemma, feats) for lemma, feats in items]

    def to_json(self) -> dict:
        """The rules as JSON-able data (what rules.json holds)."""
        return {
            "prefixing": self.prefixing,
            "prefix_rules": self.prefix_rules,
            "suffix_rules": self.suffix_rules,
        }

    @classmethod
    def from_json(cls, data: dict) -> AffixModel:
        """The model `to_json` wrote; raises KeyError or ValueError for data of another shape."""
        def tables(d):
            return {k: {inp: [tuple(o) for o in opts] for inp, opts in v.items()} for k, v in d.items()}

        return cls(bool(data["prefixing"]), tables(data["prefix_rules"]), tables(data["suffix_rules"]))


def _index(counts: dict) -> dict:
    """{(input, output): count} in first-seen order -> {input: [(output, count, first_seen)]}."""
    out: dict[str, list] = {}
    for order, ((inp, outp), n) in enumerate(counts.items()):
        out.setdefault(inp, []).append((outp, n, order))
    return out


def train(
    train: list[Example],
    dev: list[Example] | None,
    out_dir: Path,
    *,
    seed: int = 0,
    progress: Progress | None = None,
    **opts,
) -> Metrics:
    """Model-kind entry point (see lexres.tasks.inflection.models): fit the SIGMORPHON non-neural baseline,
    write its rules to `out_dir`/rules.json and return Metrics (dev accuracy a fraction 0-1; extra:
    `prefixing`, `bundles`). Deterministic, so `seed` is unused; raises OptionError for any option."""
    if opts:
        from lexres.errors import OptionError

        raise OptionError(f"the nonneural model takes no options (got {', '.join(sorted(opts))})")
    model = AffixModel.fit(train, progress)
    (Path(out_dir) / RULES_FILE).write_text(json.dumps(model.to_json(), ensure_ascii=False), encoding="utf-8")
    extra = {
        "prefixing": model.prefixing,
        "bundles": len(set(model.prefix_rules) | set(model.suffix_rules)),
    }
    accuracy = None
    if dev:
        from lexres.tasks.inflection.scoring import score

        preds = model.predict([(e.lemma, e.features) for e in dev])
        accuracy = score([e.form for e in dev], preds).accuracy
    return Metrics(accuracy, extra)


def load(model_dir: Path) -> AffixModel:
    """Model-kind entry point: the rules written by `train`. Raises ParseError for an unreadable file."""
    path = Path(model_dir) / RULES_FILE
    try:
        return AffixModel.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError) as exc:
        from lexres.errors import ParseError

        raise ParseError(path, None, f"not a valid affix-rule model ({exc})") from exc
