"""Morphology for substitution: analyse a source form (lemma + features) and inflect a target lemma for the
same features, both from the UniMorph tables in the store. Lookups are cached per word."""

from __future__ import annotations

from lexres.features import analyze
from lexres.langs import resolve
from lexres.store import Store
from lexres.store import morph as morph_queries


def parse_features(text: str) -> frozenset[str]:
    """The top-level tags of a bundle as a set, by the one bundle parser (`lexres.features`): a layered
    tag such as `NOM(1;SG)` stays one tag. Raises ParseError for a malformed bundle."""
    return frozenset(analyze(text.replace("|", ";")).canonical)


class Inflector:
    """UniMorph-backed analysis (source language) and generation (target language)."""

    def __init__(self, store: Store, src: str, tgt: str):
        self.store = store
        self.src_fam, self.tgt_fam = resolve(src).family, resolve(tgt).family
        self._analyses: dict[str, tuple[str, frozenset[str]] | None] = {}
        self._paradigms: dict[str, list[tuple[frozenset[str], str]]] = {}

    def has_paradigms(self) -> bool:
        """Whether the store holds any morphology for the target language (or its macrolanguage)."""
        return morph_queries.has_entries(self.store, self.tgt_fam)

    def analyse(self, form: str) -> tuple[str, frozenset[str]] | None:
        """(lemma, features) of a source form; the first analysis when the form is ambiguous."""
        if form in self._analyses:
            return self._analyses[form]
        row = morph_queries.first_analysis(self.store, self.src_fam, form)
        if row is None and form != form.lower():
            row = morph_queries.first_analysis(self.store, self.src_fam, form.lower())
        out = (row[0], parse_features(row[1])) if row else None
        self._analyses[form] = out
        return out

    def inflect(self, lemma: str, features: frozenset[str]) -> str | None:
        """The target form of `lemma` whose features equal `features`; failing that, the form whose features
        contain them with the fewest extras (same part of speech); None when the lemma has no paradigm."""
        paradigm = self._paradigms.get(lemma)
        if paradigm is None:
            paradigm = [
                (parse_features(f), form)
                for form, f in morph_queries.forms_of_lemma(self.store, self.tgt_fam, lemma)
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
