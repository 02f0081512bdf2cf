-- The trigram (`*_cjk`) indexes are now written from Rust, like the
-- bigram and stem indexes (`search::index_cjk`), not by the insert and
-- update triggers. The triggers decided "has Han or kana" with a GLOB over
-- the whole text: SQLite's pattern matcher walked every character of every
-- row written, 12 % of the time of storing a 1.8 MB article (BENCHMARKS.md,
-- issue 12), while Rust already scans the text for Han and kana to build
-- the bigram entry. Same character set (`script::is_cjk` is the GLOB's
-- ranges), same stored text (the column plus two newlines), same
-- transaction. Rows already indexed stay as they are; deletes and updates
-- still remove a row's entry here by trigger, and the Rust writer
-- re-inserts it after an update as it does for the other two indexes.

DROP TRIGGER versions_search_insert;
CREATE TRIGGER versions_search_insert AFTER INSERT ON versions BEGIN
    INSERT INTO versions_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
DROP TRIGGER versions_search_update;
CREATE TRIGGER versions_search_update AFTER UPDATE OF title, text ON versions BEGIN
    INSERT INTO versions_fts (versions_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO versions_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    DELETE FROM versions_cjk WHERE rowid = old.id;
END;

DROP TRIGGER notes_search_insert;
CREATE TRIGGER notes_search_insert AFTER INSERT ON notes BEGIN
    INSERT INTO notes_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
DROP TRIGGER notes_search_update;
CREATE TRIGGER notes_search_update AFTER UPDATE OF title, body ON notes BEGIN
    INSERT INTO notes_fts (notes_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO notes_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
    DELETE FROM notes_cjk WHERE rowid = old.id;
END;

DROP TRIGGER highlights_search_insert;
CREATE TRIGGER highlights_search_insert AFTER INSERT ON highlights BEGIN
    INSERT INTO highlights_fts (rowid, text, comment) VALUES (new.id, new.text, new.comment);
END;
DROP TRIGGER highlights_search_update;
CREATE TRIGGER highlights_search_update AFTER UPDATE OF text, comment ON highlights BEGIN
    INSERT INTO highlights_fts (highlights_fts, rowid, text, comment) VALUES ('delete', old.id, old.text, old.comment);
    INSERT INTO highlights_fts (rowid, text, comment) VALUES (new.id, new.text, new.comment);
    DELETE FROM highlights_cjk WHERE rowid = old.id;
END;

DROP TRIGGER quotes_search_insert;
CREATE TRIGGER quotes_search_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts (rowid, speaker, text) VALUES (new.id, new.speaker, new.text);
END;
DROP TRIGGER quotes_search_update;
CREATE TRIGGER quotes_search_update AFTER UPDATE OF speaker, text ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, speaker, text) VALUES ('delete', old.id, old.speaker, old.text);
    INSERT INTO quotes_fts (rowid, speaker, text) VALUES (new.id, new.speaker, new.text);
    DELETE FROM quotes_cjk WHERE rowid = old.id;
END;
