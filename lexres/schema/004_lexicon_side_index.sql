-- lexres store, schema version 4: lexicon word indexes keyed by language, then resource, then word.
-- (tgt_lang, tgt_fold) put every lexicon into the same language's words in one subtree ordered by word:
-- with 1,000 lexicons into English, each new one inserted 7,300 keys at random places in a 7M-entry
-- subtree, dirtying ~7,000 pages, and its import slowed from 59k to 40k rows/s as the store grew (a
-- larger page cache did not help: the cost is the pages written at COMMIT). With the resource before the
-- word, a new lexicon's keys land together at the end of its language's subtree. Word lookups now name the
-- resources they search (lexres.store.entries.lexicon_ids: one seek per language and resource); lookups by
-- language alone read the same prefix as before. The source side is keyed the same way (many lexicons
-- out of one language are as common as into one).
DROP INDEX lexicon_src_fold;
DROP INDEX lexicon_tgt_fold;
CREATE INDEX lexicon_src ON lexicon(src_lang, resource_id, src_fold);
CREATE INDEX lexicon_tgt ON lexicon(tgt_lang, resource_id, tgt_fold);
-- Word lookups find their lexicons through resource_langs, so every language of every stored pair must be
-- filed there. lexres has always filed them at import; this makes sure for any store made before.
INSERT OR IGNORE INTO resource_langs(resource_id, lang, variety)
    SELECT resource_id, src_lang, src_variety FROM lexicon WHERE src_lang IN (SELECT code FROM languages)
    UNION
    SELECT resource_id, tgt_lang, tgt_variety FROM lexicon WHERE tgt_lang IN (SELECT code FROM languages);
