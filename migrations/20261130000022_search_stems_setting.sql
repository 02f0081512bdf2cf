-- The stem index (20261130000021) is opt-in: measured, it made import 2.6x
-- slower and word queries several times dearer (BENCHMARKS-search.md), so a
-- library pays for it only once it is turned on (`redline search --stems
-- on`, `search::set_stems`). A row here named 'stems' with value 'on' is
-- the switch; without it no writer feeds the stem index, no query reads it
-- and no backfill runs.
CREATE TABLE search_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- The previous migration queued a stem backfill for every existing library;
-- with the setting off it must do nothing, so the queue starts empty and
-- turning the setting on queues it again. Anything a build of the unmerged
-- branch already indexed is dropped for the same reason.
DELETE FROM search_backfill WHERE name = 'stems';
DELETE FROM search_stem_cursor;
DELETE FROM versions_stem;
DELETE FROM notes_stem;
DELETE FROM highlights_stem;
DELETE FROM quotes_stem;
DELETE FROM search_lang;
DELETE FROM search_languages;
