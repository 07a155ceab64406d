"""The store: the only package that holds SQL. `core` opens, migrates and transacts the SQLite file;
`resources` inserts and deletes resource rows; `writers` stream records into entry tables; `morph`,
`lexicon` and `bible` are the read queries per kind."""

from lexres.store.core import SCHEMA_VERSION, Resource, Store, default_path

__all__ = ["SCHEMA_VERSION", "Resource", "Store", "default_path"]
