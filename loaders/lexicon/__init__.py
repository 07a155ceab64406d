"""Bilingual lexicon readers: MUSE/PanLex/hunalign word lists, TSV/CSV tables, FreeDict TEI, SIL LIFT, CLDF,
Wiktionary JSONL."""
