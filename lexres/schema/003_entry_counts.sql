-- lexres store, schema version 3: every resource row keeps its entry count.
-- Listing resources counted each one's entries with COUNT(*) over its entry table: 0.7 ms per resource on a
-- warm store of 100 languages and more once the store outgrows the page cache, paid on every verse lookup
-- (which lists a language's Bibles to pick the largest) and on every `lexres list` (bench/bench_scale.py).
-- The count is now written by lexres.store.resources.finish when an import or a derived resource is
-- committed; entries never change otherwise (a replaced resource gets a new row, moved to the old id).
ALTER TABLE resources ADD COLUMN entries INTEGER NOT NULL DEFAULT 0;
UPDATE resources SET entries = CASE kind
    WHEN 'morph' THEN (SELECT COUNT(*) FROM morph e WHERE e.resource_id = resources.id)
    WHEN 'bible' THEN (SELECT COUNT(*) FROM verses e WHERE e.resource_id = resources.id)
    WHEN 'lexicon' THEN (SELECT COUNT(*) FROM lexicon e WHERE e.resource_id = resources.id)
    ELSE 0 END;
