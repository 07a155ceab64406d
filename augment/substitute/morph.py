"""Morphology for substitution: analyse a source form (lemma + features) and inflect a target lemma for the
same features, both from the UniMorph tables in the store. Lookups are cached per word."""

from __future__ import annotations

from lexres.langs import resolve
from lexres.store import Store


def parse_features(text: str) -> frozenset[str]:
    return frozenset(f for f in text.replace("|", ";").split(";") if f)


class Inflector:
    """UniMorph-backed analysis (source language) and generation (target language)."""

    def __init__(self, store: Store, src: str, tgt: str):
        self.conn = store.conn
        self.src_fam, self.tgt_fam = resolve(src).family, resolve(tgt).family
        self._analyses: dict[str, tuple[str, frozenset[str]] | None] = {}
        self._paradigms: dict[str, list[tuple[frozenset[str], str]]] = {}

    def has_paradigms(self) -> bool:
        q = ",".join("?" * len(self.tgt_fam))
        return (
            self.conn.execute(f"SELECT 1 FROM morph WHERE lang IN ({q}) LIMIT 1", self.tgt_fam).fetchone()
            is not None
        )

    def analyse(self, form: str) -> tuple[str, frozenset[str]] | None:
        """(lemma, features) of a source form; the first analysis when the form is ambiguous."""
        if form in self._analyses:
            return self._analyses[form]
        q = ",".join("?" * len(self.src_fam))
        row = self.conn.execute(
            f"SELECT lemma, features_canon FROM morph WHERE lang IN ({q}) AND form = ? ORDER BY id LIMIT 1",
            (*self.src_fam, form),
        ).fetchone()
        if row is None and form != form.lower():
            row = self.conn.execute(
                f"SELECT lemma, features_canon FROM morph WHERE lang IN ({q}) AND form = ? "
                "ORDER BY id LIMIT 1",
                (*self.src_fam, form.lower()),
            ).fetchone()
        out = (row[0], parse_features(row[1])) if row else None
        self._analyses[form] = out
        return out

    def inflect(self, lemma: str, features: frozenset[str]) -> str | None:
        """The target form of `lemma` whose features equal `features`; failing that, the form whose features
        contain them with the fewest extras (same part of speech); None when the lemma has no paradigm."""
        paradigm = self._paradigms.get(lemma)
        if paradigm is None:
            q = ",".join("?" * len(self.tgt_fam))
            paradigm = [
                (parse_features(f), form)
                for form, f in self.conn.execute(
                    f"SELECT form, features_canon FROM morph WHERE lang IN ({q}) AND lemma = ? "
                    "AND form IS NOT NULL "
                    "ORDER BY id",
                    (*self.tgt_fam, lemma),
                )
            ]
            self._paradigms[lemma] = paradigm
        best, best_extra = None, None
        for feats, form in paradigm:
            if feats == features:
                return form
            if features <= feats:
                extra = len(feats - features)
                if best_extra is None or extra < best_extra:
                    best, best_extra = form, extra
        return best
