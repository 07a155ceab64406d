"""Shared defaults: every default that both an API signature (function or dataclass) and a CLI option use, in
one place, so the two cannot drift apart (they once did: the induction threshold was 0.0 in the API and 0.01
on the command line). Change a default here, never at either end."""

from __future__ import annotations

#: Seed of every seeded run (substitution choices, task splits, model training, hallucination).
SEED = 0

# -- substitution (augment pseudo-mono / pseudo-label: lexres.augment.substitute.engine.Options) -----------
#: How to pick among several translations of a word: uniform, weighted (by pair weight) or first.
CHOICE = "uniform"
#: What to do with words the lexicon lacks: keep, drop or mark.
UNKNOWN = "keep"
#: Template for unknown words under unknown="mark"; must hold `{word}`.
MARK = "<unk:{word}>"
#: Pseudo-mono keeps a sentence only when at least this many of its words were replaced.
MIN_REPLACED = 1
#: Processes for pseudo-mono (more than one needs the `scale` extra).
WORKERS = 1
#: Bytes read per block when streaming pseudo-mono input: a block's chunks, ids and outputs then stay in
#: the CPU caches (256 KiB blocks ran about 15% faster than 1 MiB ones on the benchmark).
BLOCK_BYTES = 1 << 18
#: Lines per block when the fast path is fed lines rather than text blocks.
BLOCK_LINES = 4096

# -- lexicon induction from Bibles (augment induce-lexicon: lexres.augment.lexicon) -----------------------
#: Induction method: ibm1 (IBM Model 1 both ways) or dice (co-occurrence baseline).
INDUCTION_METHOD = "ibm1"
#: Translations kept per source word.
INDUCTION_TOP_K = 5
#: Lowest score of a kept pair (IBM1: t(f|e) * t(e|f)**w; Dice: 2c(e,f)/(c(e)+c(f))).
INDUCTION_THRESHOLD = 0.01
#: Lowest corpus frequency of a source word that gets translations.
INDUCTION_MIN_COUNT = 1
#: EM iterations of IBM Model 1 (per direction).
INDUCTION_ITERATIONS = 6
#: Exponent w of the reverse model in t(f|e) * t(e|f)**w (0 = forward model only).
INDUCTION_REVERSE_WEIGHT = 0.25
#: Tension of fast_align's diagonal prior in the E-step (0 = plain IBM Model 1).
INDUCTION_DIAGONAL = 4.0
#: Verses longer than this many words on either side are left out of the induction corpus.
INDUCTION_MAX_VERSE_WORDS = 80

# -- inflection (task inflection, augment hallucinate) ----------------------------------------------------
#: Task year whose layout, file names and split a built task follows.
TASK_YEAR = "2023"
#: Inflection model kind trained when none is named.
INFLECTION_MODEL = "nonneural"
#: Hallucinated examples made when no count is given.
HALLUCINATE_N = 10000
#: Shortest run of aligned identical characters that counts as stem when hallucinating.
HALLUCINATE_MIN_RUN = 3
