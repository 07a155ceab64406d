"""lexres: load lexicons, Bibles and UniMorph tables into one store, augment them into training data, and
build
evaluations and adapted models for low-resource languages.

The public Python API is importable from here and loaded lazily (so `lexres --version` stays fast):

    from lexres import Store, import_resource, paradigm, translations, aligned_frame, dataframe
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_API = {
    "Store": "lexres.store",
    "Resource": "lexres.store",
    "import_resource": "lexres.importer",
    "ImportResult": "lexres.importer",
    "readers": "lexres.formats",
    "resolve": "lexres.langs",
    "LexresError": "lexres.errors",
    "MorphEntry": "lexres.records",
    "Verse": "lexres.records",
    "LexiconPair": "lexres.records",
    "dataframe": "lexres.export",
    "export_tsv": "lexres.export",
    "export_parquet": "lexres.export",
    "paradigm": "lexres.store.morph",
    "analyze": "lexres.store.morph",
    "translations": "lexres.store.lexicon",
    "dictionary": "lexres.store.lexicon",
    "align": "lexres.store.bible",
    "aligned_frame": "lexres.store.bible",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'lexres' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
