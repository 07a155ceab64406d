"""The word-by-word substitution engine: translation tables, reversible tokenization, seeded choice,
morphology, the fast block path."""
