"""New text: pseudo-monolingual and pseudo-labeled text made by word-by-word substitution."""
