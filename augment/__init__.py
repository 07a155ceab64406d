"""Augmentation: pseudo-monolingual and pseudo-labeled text from lexicons, lexicon induction."""
