"""Tasks built from the store: SIGMORPHON-style inflection datasets, evaluation and baselines."""
