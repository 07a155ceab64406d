"""The embedded store: one SQLite file in WAL mode, schema migrated by `PRAGMA user_version`.

Writers take the write lock with BEGIN IMMEDIATE for the whole of an import, so an import is one
transaction: a crash, a SIGKILL or an error leaves the file exactly as it was before it began."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from lexres.errors import NotFoundError, StoreError
from lexres.langs import Lang, resolve

ENV_STORE = "LEXRES_STORE"
BUSY_TIMEOUT_MS = int(os.environ.get("LEXRES_BUSY_TIMEOUT_MS", "600000"))
ENTRY_TABLE = {"morph": "morph", "bible": "verses", "lexicon": "lexicon"}


def default_path() -> Path:
    """`$LEXRES_STORE`, else `lexres.db` in the user's data directory."""
    env = os.environ.get(ENV_STORE)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("lexres", appauthor=False)) / "lexres.db"


def _migrations() -> list[tuple[int, str]]:
    out = []
    for entry in files("lexres").joinpath("schema").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            out.append((int(name[:3]), entry.read_text(encoding="utf-8")))
    return sorted(out)


SCHEMA_VERSION = max(v for v, _ in _migrations())


@dataclass(frozen=True)
class Resource:
    """A stored resource and its provenance."""

    id: int
    kind: str
    format: str
    name: str
    lang: str
    variety: str
    target_lang: str | None
    target_variety: str | None
    scheme: str | None
    source_path: str | None
    sha256: str
    license: str | None
    citation: str | None
    importer_version: str
    imported_at: str
    n_read: int
    n_stored: int
    n_rejected: int
    options: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    derived_from: list = field(default_factory=list)
    entries: int = 0

    @classmethod
    def from_row(cls, row: sqlite3.Row, entries: int = 0) -> Resource:
        d = dict(row)
        for key in ("options", "notes", "derived_from"):
            d[key] = json.loads(d[key])
        return cls(**d, entries=entries)

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


class Store:
    """A lexres store. Open with `Store.open(path)`; use as a context manager to close it."""

    def __init__(self, path: str | Path, *, readonly: bool = False):
        self.path = Path(path)
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.exists():
            raise NotFoundError(f"{self.path}: no store here", hint="import something first, or pass --store")
        try:
            self.conn = sqlite3.connect(
                str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc
        self.conn.row_factory = sqlite3.Row
        self._configure()
        self._migrate()

    @classmethod
    def open(cls, path: str | Path | None = None, **kw) -> Store:
        return cls(Path(path) if path else default_path(), **kw)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _configure(self) -> None:
        c = self.conn
        c.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        try:
            mode = c.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path}: not a lexres store ({exc})",
                hint="pass --store with the path of a lexres store, or a new file",
            ) from exc
        if mode.lower() != "wal":
            raise StoreError(f"{self.path}: cannot switch the store to WAL mode (got {mode})")
        c.execute("PRAGMA foreign_keys = ON")
        c.execute("PRAGMA synchronous = NORMAL")  # durable in WAL up to the last checkpointed commit
        c.execute("PRAGMA temp_store = MEMORY")
        c.execute("PRAGMA cache_size = -65536")

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema v{version} is newer than this lexres (v{SCHEMA_VERSION})",
                hint="upgrade lexres",
            )
        if version == SCHEMA_VERSION:
            return
        with self.transaction():
            # Re-read under the write lock: another process may have migrated meanwhile.
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            for number, sql in _migrations():
                if number > version:
                    for statement in _statements(sql):
                        self.conn.execute(statement)
                    self.conn.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception (including KeyboardInterrupt)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- languages ---------------------------------------------------------------------------------
    def ensure_language(self, lang: Lang) -> None:
        self.conn.execute(
            "INSERT INTO languages(code, name, scope, macrolanguage) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(code) DO NOTHING",
            (lang.code, lang.name, lang.scope, lang.macrolanguage),
        )
        if lang.macrolanguage:  # so macrolanguage lookups have a row to join to
            macro = resolve(lang.macrolanguage)
            self.conn.execute(
                "INSERT INTO languages(code, name, scope, macrolanguage) VALUES (?, ?, ?, NULL) "
                "ON CONFLICT(code) DO NOTHING",
                (macro.code, macro.name, macro.scope),
            )

    def languages(self) -> list[dict]:
        """Languages with at least one resource, with entry counts per kind."""
        rows = self.conn.execute(
            """
            SELECT l.code, l.name, l.scope, l.macrolanguage,
                   (SELECT COUNT(*) FROM morph m WHERE m.lang = l.code) AS morph,
                   (SELECT COALESCE(SUM(r.n_stored), 0) FROM resources r
                     WHERE r.kind = 'bible' AND r.lang = l.code) AS bible,
                   (SELECT COUNT(*) FROM lexicon x
                     WHERE x.src_lang = l.code OR x.tgt_lang = l.code) AS lexicon,
                   (SELECT COUNT(DISTINCT rl.resource_id) FROM resource_langs rl WHERE rl.lang = l.code)
                     AS resources
            FROM languages l
            WHERE EXISTS (SELECT 1 FROM resource_langs rl WHERE rl.lang = l.code)
            ORDER BY l.code
            """
        ).fetchall()
        return [dict(r) for r in rows]

    def language(self, code: str) -> dict:
        """Everything the store knows of one language: ISO facts, varieties and scripts seen, resources
        filed under it or under its macrolanguage (those are marked `via`)."""
        lang = resolve(code)
        family = lang.family
        qmarks = ",".join("?" * len(family))
        varieties = [
            r[0]
            for r in self.conn.execute(
                f"SELECT DISTINCT variety FROM resource_langs WHERE lang IN ({qmarks}) ORDER BY variety",
                family,
            )
        ]
        scripts = sorted(
            {t.split("-")[1] for t in varieties if len(t.split("-")) > 1 and len(t.split("-")[1]) == 4}
        )
        ids = [
            r[0]
            for r in self.conn.execute(
                f"SELECT DISTINCT resource_id FROM resource_langs WHERE lang IN ({qmarks}) "
                "ORDER BY resource_id",
                family,
            )
        ]
        resources = []
        for rid in ids:
            res = self.resource(rid)
            langs = {
                r[0]
                for r in self.conn.execute("SELECT lang FROM resource_langs WHERE resource_id = ?", (rid,))
            }
            via = None if lang.code in langs else lang.macrolanguage
            resources.append({**res.to_dict(), "via": via})
        return {
            "code": lang.code,
            "name": lang.name,
            "scope": lang.scope,
            "macrolanguage": lang.macrolanguage,
            "individuals": list(lang.individuals),
            "varieties": varieties,
            "scripts": scripts,
            "resources": resources,
        }

    # -- resources ---------------------------------------------------------------------------------
    def entry_count(self, rid: int, kind: str) -> int:
        table = ENTRY_TABLE.get(kind)
        if table is None:
            return 0
        return self.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE resource_id = ?", (rid,)).fetchone()[0]

    def resource(self, rid: int) -> Resource:
        row = self.conn.execute("SELECT * FROM resources WHERE id = ?", (rid,)).fetchone()
        if row is None:
            raise NotFoundError(f"no resource #{rid} in {self.path}")
        return Resource.from_row(row, self.entry_count(rid, row["kind"]))

    def resources(self, kind: str | None = None, lang: str | None = None) -> list[Resource]:
        """Resources, optionally of one kind and for one language (macrolanguage resources included)."""
        sql, args = "SELECT * FROM resources r WHERE 1=1", []
        if kind:
            sql += " AND r.kind = ?"
            args.append(kind)
        if lang:
            family = resolve(lang).family
            sql += (
                f" AND r.id IN (SELECT resource_id FROM resource_langs WHERE lang IN "
                f"({','.join('?' * len(family))}))"
            )
            args.extend(family)
        rows = self.conn.execute(sql + " ORDER BY r.id", args).fetchall()
        return [Resource.from_row(r, self.entry_count(r["id"], r["kind"])) for r in rows]

    def find_same(
        self, kind: str, sha256: str, variety: str, target_variety: str | None, options: str = "{}"
    ) -> Resource | None:
        """An earlier import of the same bytes, languages and reader options (JSON as stored)."""
        row = self.conn.execute(
            "SELECT * FROM resources WHERE kind = ? AND sha256 = ? AND variety = ? "
            "AND COALESCE(target_variety, '') = COALESCE(?, '') AND options = ? ORDER BY id LIMIT 1",
            (kind, sha256, variety, target_variety, options),
        ).fetchone()
        return Resource.from_row(row) if row else None

    def find_named(self, kind: str, name: str, variety: str) -> Resource | None:
        row = self.conn.execute(
            "SELECT * FROM resources WHERE kind = ? AND name = ? AND variety = ? ORDER BY id LIMIT 1",
            (kind, name, variety),
        ).fetchone()
        return Resource.from_row(row) if row else None

    def remove(self, rid: int) -> Resource:
        """Delete a resource and all its entries in one transaction."""
        with self.transaction():
            res = self.resource(rid)
            self._delete(rid)
        return res

    def _delete(self, rid: int) -> None:
        # Explicit deletes per table are faster than relying on ON DELETE CASCADE row by row.
        for table in ("morph", "verses", "lexicon", "rejects", "resource_langs"):
            self.conn.execute(f"DELETE FROM {table} WHERE resource_id = ?", (rid,))
        self.conn.execute("DELETE FROM resources WHERE id = ?", (rid,))

    def langs_in(self, code: str) -> tuple[str, ...]:
        """The codes a query for `code` should search: itself and its macrolanguage."""
        return resolve(code).family

    def query(self, sql: str, args: Sequence = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, args).fetchall()

    def integrity_check(self) -> str:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0]


def _statements(sql: str) -> list[str]:
    """Split a migration file into statements (no triggers with inner semicolons are used)."""
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]
