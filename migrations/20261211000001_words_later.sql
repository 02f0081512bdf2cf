-- A batch import indexes the words of the versions and quotes it stores
-- together, before it commits, instead of row by row. FTS5 writes its
-- pending entries to disk at every statement savepoint, so indexing row by
-- row wrote a small segment per page and merged them over and over (10 % of
-- an import's instructions, BENCHMARKS.md "Import"). A row inserted with
-- `words_later = 1` is skipped by its insert trigger; the batch that
-- inserted it adds it to `versions_fts` or `quotes_fts` in the same
-- transaction (`versions::index_words_since`), so no committed row is ever
-- missing from the index. The column keeps its value afterwards (an
-- integer 1 costs no bytes in a row).
ALTER TABLE versions ADD COLUMN words_later INTEGER;
DROP TRIGGER versions_search_insert;
CREATE TRIGGER versions_search_insert AFTER INSERT ON versions
WHEN new.words_later IS NULL BEGIN
    INSERT INTO versions_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;

ALTER TABLE quotes ADD COLUMN words_later INTEGER;
DROP TRIGGER quotes_search_insert;
CREATE TRIGGER quotes_search_insert AFTER INSERT ON quotes
WHEN new.words_later IS NULL BEGIN
    INSERT INTO quotes_fts (rowid, speaker, text) VALUES (new.id, new.speaker, new.text);
END;
