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
from urllib.parse import quote

from lexres.errors import NotFoundError, StoreError
from lexres.kinds import entry_kinds, kind_info
from lexres.langs import Lang, resolve

ENV_STORE = "LEXRES_STORE"
BUSY_TIMEOUT_MS = int(os.environ.get("LEXRES_BUSY_TIMEOUT_MS", "600000"))
# Formats of lexicons lexres makes itself (pivoted, Bible-induced); with a non-empty derived_from, they make
# a resource derived. Derived lexicons are used only when named or asked for (--include-derived).
DERIVED_FORMATS = ("pivot",)
DERIVED_PREFIXES = ("induced",)
# SQL condition on `resources` for an imported (not derived) resource; the same rule as Resource.derived.
IMPORTED_SQL = "(derived_from = '[]' AND format NOT IN ('pivot') AND format NOT LIKE 'induced%')"


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
    entries: int = 0  # entries in its kind's table (0 for kinds without entries), kept on the row

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Resource:
        """A Resource from a `resources` row, its JSON columns (options, notes, derived_from) decoded."""
        d = dict(row)
        for key in ("options", "notes", "derived_from"):
            d[key] = json.loads(d[key])
        return cls(**d)

    def to_dict(self) -> dict:
        """Every field as a plain dict (for JSON output)."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    @property
    def derived(self) -> bool:
        """Made by lexres from other resources (pivot, induced, or any with parents), not imported."""
        return bool(self.derived_from) or self.format in DERIVED_FORMATS or self.format.startswith(
            DERIVED_PREFIXES)

    def usage(self) -> dict:
        """How a manifest names a lexicon it used: id, kind (imported/derived), format, name."""
        return {"id": self.id, "kind": "derived" if self.derived else "imported", "format": self.format,
                "name": self.name}


class Store:
    """A lexres store. Open with `Store.open(path)`; use as a context manager to close it."""

    def __init__(self, path: str | Path, *, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        if readonly:
            self.conn = _connect_readonly(self.path)
        else:
            _check_writable(self.path)
            try:
                self.conn = sqlite3.connect(
                    str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                    check_same_thread=False,
                )
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc
        self.conn.row_factory = sqlite3.Row
        try:
            if readonly:
                self._check_schema()
            else:
                self._configure()
                self._migrate()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise damaged(self.path, exc) from exc

    @classmethod
    def open(cls, path: str | Path | None = None, **kw) -> Store:
        """Open the store at `path` (the default store path when None), creating or migrating it unless
        `readonly=True` is passed. Raises StoreError when it cannot be opened or is damaged or not a
        lexres store."""
        return cls(Path(path) if path else default_path(), **kw)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the store's SQLite connection."""
        self.conn.close()

    def _configure(self) -> None:
        c = self.conn
        c.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        try:
            mode = c.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise damaged(self.path, exc) from exc
        if mode.lower() != "wal":
            raise StoreError(f"{self.path}: cannot switch the store to WAL mode (got {mode})")
        c.execute("PRAGMA foreign_keys = ON")
        c.execute("PRAGMA synchronous = NORMAL")  # durable in WAL up to the last checkpointed commit
        c.execute("PRAGMA temp_store = MEMORY")
        c.execute("PRAGMA cache_size = -65536")

    def _check_schema(self) -> None:
        """A read-only store cannot be migrated: it must already be a lexres store of this schema."""
        c = self.conn
        c.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        c.execute("PRAGMA query_only = ON")
        version = c.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 and c.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0:
            raise StoreError(f"{self.path}: not a lexres store (empty file)",
                             hint="pass --store with the path of a lexres store")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema v{version} is newer than this lexres (v{SCHEMA_VERSION})",
                hint="upgrade lexres",
            )
        if version < SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema v{version} is older than this lexres (v{SCHEMA_VERSION}) and "
                "this command only reads it",
                hint="run a command that writes (e.g. `lexres import`) once to upgrade the store",
            )

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
        """Add the row of `lang` (and of its macrolanguage, so macrolanguage lookups can join to it) unless
        the store has it already; existing rows are left as they are."""
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

    def languages(self, *, kinds: Sequence[str] = (), count_kind: str | None = None, min_entries: int = 0,
                  sort: str = "code") -> list[dict]:
        """Languages with at least one resource: entry counts per kind (`morph` entries, `bible` verses
        stored, `lexicon` pairs with the language on either side), resources of the file kinds (`text`,
        `model`), `resources` in all and `entries` (morph + bible + lexicon, or of `count_kind` when given).

        `kinds`: keep the languages that have a resource of every kind named; `min_entries`: keep those with
        at least this many `entries`; `sort`: `code`, `name` or `entries` (most first, then code).

        Raises OptionError for an unknown kind or sort key."""
        from lexres.errors import OptionError

        known = (*entry_kinds(), "text", "model")
        for k in (*kinds, *([count_kind] if count_kind else [])):
            if k not in known:
                raise OptionError(f"unknown kind `{k}`", hint=f"one of: {', '.join(known)}")
        if sort not in ("code", "name", "entries"):
            raise OptionError(f"cannot sort languages by `{sort}`", hint="one of: code, name, entries")
        held: dict[str, dict[str, int]] = {}
        for code, kind, n in self.conn.execute(
            "SELECT rl.lang, r.kind, COUNT(DISTINCT r.id) FROM resource_langs rl "
            "JOIN resources r ON r.id = rl.resource_id GROUP BY rl.lang, r.kind"
        ):
            held.setdefault(code, {})[kind] = n
        out = []
        for row in self._language_rows():
            d = dict(row)
            have = held.get(d["code"], {})
            d["text"], d["model"] = have.get("text", 0), have.get("model", 0)
            d["entries"] = d[count_kind] if count_kind else d["morph"] + d["bible"] + d["lexicon"]
            if all(have.get(k, 0) for k in kinds) and d["entries"] >= min_entries:
                out.append(d)
        if sort == "name":
            out.sort(key=lambda d: (d["name"].casefold(), d["code"]))
        elif sort == "entries":
            out.sort(key=lambda d: (-d["entries"], d["code"]))
        return out

    def _language_rows(self) -> list[sqlite3.Row]:
        return self.conn.execute(
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

    def language(self, code: str) -> dict:
        """Everything the store knows of one language: ISO facts, varieties and scripts seen, and every
        resource that serves it: filed under it, under its macrolanguage, or (for a macrolanguage) under one
        of its individual languages. A resource not filed under the language itself names where it is filed
        (`via`, and `via_scope`: macrolanguage | individual); `entries_here` counts its entries in these
        languages (a multi-language lexicon or CLDF wordlist holds others too), `langs` its languages. A
        private-use or extension tag (`qaa-x-bich1234`) stands for that variety alone (`variety`)."""
        lang = resolve(code)
        family = lang.family
        qmarks = ",".join("?" * len(family))
        # a private-use or extension tag (qaa-x-bich1234, a CLDF variety with no ISO code): that variety alone
        exact = lang.tag if any(len(p) == 1 for p in lang.tag.split("-")) else None
        col, vals = ("lang", family) if exact is None else ("variety", (exact,))
        where = f"{col} IN ({','.join('?' * len(vals))})"
        varieties = [
            r[0]
            for r in self.conn.execute(
                f"SELECT DISTINCT variety FROM resource_langs WHERE {where} ORDER BY variety", vals
            )
        ]
        scripts = sorted(
            {t.split("-")[1] for t in varieties if len(t.split("-")) > 1 and len(t.split("-")[1]) == 4}
        )
        ids = [
            r[0]
            for r in self.conn.execute(
                f"SELECT DISTINCT resource_id FROM resource_langs WHERE {where} ORDER BY resource_id", vals,
            )
        ]
        resources = []
        for rid in ids:
            res = self.resource(rid)
            langs = {
                r[0]
                for r in self.conn.execute("SELECT lang FROM resource_langs WHERE resource_id = ?", (rid,))
            }
            if lang.code in langs:
                via, scope = None, None
            elif lang.macrolanguage in langs:
                via, scope = lang.macrolanguage, "macrolanguage"
            else:
                via, scope = ",".join(sorted(langs & set(lang.individuals))), "individual"
            if res.kind == "morph":
                here = self.conn.execute(f"SELECT COUNT(*) FROM morph WHERE resource_id = ? AND lang IN "
                                         f"({qmarks})", (rid, *family)).fetchone()[0]
            elif res.kind == "lexicon":
                here = self.conn.execute(f"SELECT COUNT(*) FROM lexicon WHERE resource_id = ? AND "
                                         f"(src_{where} OR tgt_{where})", (rid, *vals, *vals)).fetchone()[0]
            else:
                here = res.entries if res.kind in entry_kinds() else res.n_stored
            resources.append({**res.to_dict(), "via": via, "via_scope": scope, "entries_here": here,
                              "langs": sorted(langs)})
        return {
            "code": lang.code,
            "variety": exact,  # the one variety counted, or None (the language and its family)
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
        """How many entries resource `rid` holds in its kind's table, counted there (COUNT(*), so it reads
        them all); 0 for a kind without entries. `resource()` and `resources()` give the count kept on the
        row instead, which `lexres.store.resources.finish` sets to this when the resource is committed."""
        if kind not in entry_kinds():
            return 0
        table = kind_info(kind).table
        return self.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE resource_id = ?", (rid,)).fetchone()[0]

    def resource(self, rid: int) -> Resource:
        """The resource with id `rid`, with its entry count.
        Raises NotFoundError when the store has no such resource."""
        row = self.conn.execute("SELECT * FROM resources WHERE id = ?", (rid,)).fetchone()
        if row is None:
            raise NotFoundError(f"no resource #{rid} in {self.path}")
        return Resource.from_row(row)

    def resources(self, kind: str | None = None, lang: str | None = None) -> list[Resource]:
        """Resources, optionally of one kind and for one language, with their entry counts; one indexed query
        whatever the size of the store. A language stands for its family (`Lang.family`): an individual
        language's resources and its macrolanguage's (`swh`: swh, swa), or a macrolanguage's and its
        individual languages' (`swa`: swa, swc, swh); `Resource.lang` says where each is filed."""
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
        return [Resource.from_row(r) for r in rows]

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
        """The first (lowest id) resource of `kind` with this name and variety, or None."""
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
        """The codes a query for `code` searches: `Lang.family` (itself, then its macrolanguage, or for a
        macrolanguage its individual languages)."""
        return resolve(code).family

    def query(self, sql: str, args: Sequence = ()) -> list[sqlite3.Row]:
        """Run one SQL statement with `args` bound; returns all its rows (sqlite3.Row, indexable by column
        name)."""
        return self.conn.execute(sql, args).fetchall()

    def integrity_check(self) -> str:
        """SQLite's `PRAGMA integrity_check` verdict: `ok`, or the first problem it found."""
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0]


def _check_writable(path: Path) -> None:
    """A command that changes the store needs the file and its folder (for the -wal and -shm files) writable.

    Raises StoreError."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists():
        if path.is_dir():
            raise StoreError(f"{path}: is a directory, not a store", hint="pass --store with a file path")
        if not os.access(path, os.W_OK):
            raise StoreError(f"{path}: the store is read-only (the file is not writable) and this command "
                             "changes it", hint="make the file writable, or run a command that only reads")
        if not os.access(folder, os.W_OK):
            raise StoreError(f"{path}: the store is read-only (its folder {folder} is not writable, so "
                             "SQLite cannot write its -wal file) and this command changes it",
                             hint="make the folder writable, or copy the store somewhere writable")
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{folder}: cannot create the store's folder ({exc.strerror})",
                         hint="pass --store with a path in a writable folder") from exc
    if not os.access(folder, os.W_OK):
        raise StoreError(f"{path}: cannot create a store here (folder not writable)",
                         hint="pass --store with a path in a writable folder")


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """Open an existing store for reading only (`mode=ro`); never creates one. On a read-only folder where
    SQLite cannot create the -wal/-shm files of a WAL store, fall back to `immutable=1` (the file is then
    read as it is on disk, which is exact when the last writer checkpointed, as SQLite does on close).

    Raises NotFoundError for a missing store, StoreError when it cannot be opened."""
    if not path.exists():
        raise NotFoundError(f"{path}: no store here",
                            hint="check --store or $LEXRES_STORE; a store is made by `lexres import`")
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a store", hint="pass --store with a file path")
    uri = "file:" + quote(str(path.resolve()), safe="/")
    last: Exception | None = None
    for suffix in ("?mode=ro", "?mode=ro&immutable=1"):
        wal = path.with_name(path.name + "-wal")
        if "immutable" in suffix and wal.exists() and wal.stat().st_size > 0:
            # immutable=1 would ignore the -wal file: committed changes would silently be missing
            raise StoreError(f"{path}: cannot open the store for reading: {last}; its -wal file holds"
                             " changes "
                             "not yet written into the store file, which a read-only folder hides",
                             hint="run one lexres command with write access to the store's folder, or copy "
                             "the store with its -wal file somewhere writable")
        try:
            conn = sqlite3.connect(uri + suffix, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                                   isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            last = exc
            continue
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError as exc:  # cannot open or create -wal/-shm: try immutable
            conn.close()
            last = exc
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise damaged(path, exc) from exc
    raise StoreError(f"{path}: cannot open the store for reading: {last}",
                     hint="check the file's permissions")


def integrity_report(path: str | Path, limit: int = 3) -> str:
    """The first lines of `PRAGMA integrity_check` on the store at `path` (opened read-only and immutable,
    so checking never changes it), or why it could not run."""
    uri = "file:" + quote(str(Path(path).resolve()), safe="/") + "?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        return f"cannot open ({exc})"
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchmany(limit)]
        return "; ".join(rows) if rows else "no result"
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()


def damaged(path: str | Path, exc: BaseException) -> StoreError:
    """The one-line error for a store SQLite cannot read: its message and the integrity check's result."""
    return StoreError(
        f"{path}: the store is damaged or not a lexres store ({exc}); "
        f"integrity_check: {integrity_report(path)}",
        hint="restore the store from a backup, or pass --store with another file",
    )


def _statements(sql: str) -> list[str]:
    """Split a migration file into statements (no triggers with inner semicolons are used)."""
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]
