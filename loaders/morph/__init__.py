"""Morphology readers: UniMorph tables, SIGMORPHON shared-task files, the Sorani context table."""
