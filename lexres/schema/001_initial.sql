-- lexres store, schema version 1.
CREATE TABLE languages (
    code          TEXT PRIMARY KEY,            -- ISO 639-3 (or private-use qaa-qtz)
    name          TEXT NOT NULL,
    scope         TEXT NOT NULL,               -- individual | macrolanguage | special | private-use
    macrolanguage TEXT
);

CREATE TABLE resources (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: derived resources point at ids
    kind             TEXT NOT NULL CHECK (kind IN ('morph', 'bible', 'lexicon', 'text')),
    format           TEXT NOT NULL,
    name             TEXT NOT NULL,
    lang             TEXT NOT NULL REFERENCES languages(code),
    variety          TEXT NOT NULL,            -- BCP-47 tag as kept, e.g. ckb-Arab (= lang when plain)
    target_lang      TEXT REFERENCES languages(code),
    target_variety   TEXT,
    scheme           TEXT,                     -- Bible versification scheme, SIGMORPHON layout, ...
    source_path      TEXT,
    sha256           TEXT NOT NULL,            -- of the source bytes (all files, in order)
    license          TEXT,
    citation         TEXT,
    importer_version TEXT NOT NULL,
    imported_at      TEXT NOT NULL,            -- UTC ISO 8601
    n_read           INTEGER NOT NULL DEFAULT 0,
    n_stored         INTEGER NOT NULL DEFAULT 0,
    n_rejected       INTEGER NOT NULL DEFAULT 0,
    options          TEXT NOT NULL DEFAULT '{}',   -- JSON: reader options used
    notes            TEXT NOT NULL DEFAULT '[]',   -- JSON list: detected layout, warnings, ...
    derived_from     TEXT NOT NULL DEFAULT '[]'    -- JSON list of parent resource ids
);
CREATE INDEX resources_lang ON resources(lang);
CREATE INDEX resources_target ON resources(target_lang);
CREATE INDEX resources_sha ON resources(sha256);

-- Every language a resource has entries in (CLDF and LIFT files carry many). A rowid table on purpose:
-- SQLite 3.40's integrity_check misreports WITHOUT ROWID tables like this one as holding NULLs.
CREATE TABLE resource_langs (
    resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    lang        TEXT NOT NULL REFERENCES languages(code),
    variety     TEXT NOT NULL,
    PRIMARY KEY (resource_id, variety)
);
CREATE INDEX resource_langs_lang ON resource_langs(lang);

CREATE TABLE morph (
    id             INTEGER PRIMARY KEY,
    resource_id    INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    lang           TEXT NOT NULL,
    lemma          TEXT NOT NULL,
    form           TEXT,                       -- NULL for covered (inputs-only) lines
    features       TEXT NOT NULL,              -- as given
    features_canon TEXT NOT NULL,              -- one canonical order
    line           INTEGER NOT NULL,
    notes          TEXT                        -- JSON list of extra columns, NULL when none
);
CREATE INDEX morph_resource ON morph(resource_id);
CREATE INDEX morph_lang_lemma ON morph(lang, lemma);
CREATE INDEX morph_lang_form ON morph(lang, form);

CREATE TABLE verses (
    id          INTEGER PRIMARY KEY,
    resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    book        TEXT NOT NULL,                 -- USFM code
    chapter     INTEGER NOT NULL,
    verse       INTEGER NOT NULL,
    verse_end   INTEGER,                       -- set for a verse range / merged verse
    ref         TEXT NOT NULL,                 -- 'MRK 1:1', 'MRK 1:2-3'
    sort_key    INTEGER NOT NULL,              -- BBCCCVVV, canonical order
    text        TEXT NOT NULL,
    line        INTEGER NOT NULL
);
CREATE INDEX verses_resource_key ON verses(resource_id, sort_key);

CREATE TABLE lexicon (
    id          INTEGER PRIMARY KEY,
    resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    src_lang    TEXT NOT NULL,                 -- ISO 639-3 code
    src_variety TEXT NOT NULL,                 -- BCP-47 tag as kept (= src_lang when plain, or qaa-x-<glottocode>)
    src_word    TEXT NOT NULL,                 -- surface form as given (NFC, whitespace folded)
    src_key     TEXT NOT NULL,                 -- normalized lookup key
    src_fold    TEXT NOT NULL,                 -- case-folded key (for fold_case lookups, text above untouched)
    tgt_lang    TEXT NOT NULL,
    tgt_variety TEXT NOT NULL,
    tgt_word    TEXT NOT NULL,
    tgt_key     TEXT NOT NULL,
    tgt_fold    TEXT NOT NULL,
    pos         TEXT,
    sense       TEXT,
    gloss       TEXT,
    weight      REAL,                          -- a score given by the source or a derivation (pivot)
    count       INTEGER NOT NULL DEFAULT 1,    -- times the pair occurred in this resource
    line        INTEGER NOT NULL
);
CREATE INDEX lexicon_resource ON lexicon(resource_id);
-- Lookups go through the case-folded key (exact lookups add `src_key = ?` on top): two indexes, not four.
CREATE INDEX lexicon_src_fold ON lexicon(src_lang, src_fold);
CREATE INDEX lexicon_tgt_fold ON lexicon(tgt_lang, tgt_fold);

-- Rows an import skipped (--on-error skip), so nothing read is ever lost.
CREATE TABLE rejects (
    resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    path        TEXT,
    line        INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    raw         TEXT NOT NULL
);
CREATE INDEX rejects_resource ON rejects(resource_id);
