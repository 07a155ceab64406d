-- lexres store, schema version 2: lookups that stay fast with a thousand languages.
-- "Does resource R hold pairs from language A to B?" (asked for every lexicon resource when a lexicon table
-- is built) read every row of R through lexicon_resource: 3.9 ms per resource of 7,300 pairs, so 4 s per
-- table with 1,000 lexicons in the store. This index answers it with one seek (0.005 ms, bench/bench_scale.py)
-- and, having resource_id first, serves everything lexicon_resource did (deletes, counts), which it replaces.
CREATE INDEX lexicon_resource_langs ON lexicon(resource_id, src_lang, tgt_lang);
DROP INDEX lexicon_resource;
