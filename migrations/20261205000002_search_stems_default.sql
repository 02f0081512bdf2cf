-- The stem index on by default (issue 10). It was opt-in
-- (20261130000022) until its cost was measured at the issue's scale: at
-- 300,000 versions with stems on, every query kind is within the 30 ms p95
-- target (BENCHMARKS-search.md). A reporter who types the dictionary form
-- (Лавров, Sanktion, 정상회담) should find the inflected one without
-- knowing a setting exists. `redline search --stems off` still turns it off.
--
-- Existing libraries that never turned it on are stem-indexed by the
-- resumable backfill (`search::reindex_step`, progress in the app and the
-- CLI; the library stays usable meanwhile). A library that already had it
-- on keeps its index and queues nothing.
INSERT OR IGNORE INTO search_backfill (name)
    SELECT 'stems'
    WHERE NOT EXISTS (SELECT 1 FROM search_settings WHERE name = 'stems')
      AND (EXISTS (SELECT 1 FROM versions) OR EXISTS (SELECT 1 FROM notes)
           OR EXISTS (SELECT 1 FROM highlights) OR EXISTS (SELECT 1 FROM quotes));
DELETE FROM search_stem_cursor
    WHERE NOT EXISTS (SELECT 1 FROM search_settings WHERE name = 'stems');
INSERT OR IGNORE INTO search_settings (name, value) VALUES ('stems', 'on');
