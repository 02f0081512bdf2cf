-- Stem indexes: a query in the dictionary form finds inflected forms
-- (Лавров → Лаврова, Sanktion → Sanktionen), Korean nouns with particles and
-- Arabic words with clitics. Each row's words are reduced to their forms by
-- the row's language (`src/search/stem.rs`) and written from Rust by
-- `search::index_cjk` in the same transaction as the base row, like the
-- bigram indexes; deletes and updates remove the entry here by trigger.
--
-- Contentless with contentless_delete, unicode61 like the word indexes.
CREATE VIRTUAL TABLE versions_stem USING fts5(
    title, text,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE notes_stem USING fts5(
    title, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE highlights_stem USING fts5(
    text, comment,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE quotes_stem USING fts5(
    speaker, text,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- The language each indexed row was stemmed in (declared or detected), for
-- snippets; and the set of languages present, which a query is analysed in.
CREATE TABLE search_lang (
    kind TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    lang TEXT NOT NULL,
    PRIMARY KEY (kind, row_id)
) WITHOUT ROWID;
CREATE TABLE search_languages (
    lang TEXT PRIMARY KEY
) WITHOUT ROWID;

CREATE TRIGGER versions_stem_delete AFTER DELETE ON versions BEGIN
    DELETE FROM versions_stem WHERE rowid = old.id;
    DELETE FROM search_lang WHERE kind = 'source' AND row_id = old.id;
END;
CREATE TRIGGER versions_stem_update AFTER UPDATE OF title, text ON versions BEGIN
    DELETE FROM versions_stem WHERE rowid = old.id;
END;
CREATE TRIGGER notes_stem_delete AFTER DELETE ON notes BEGIN
    DELETE FROM notes_stem WHERE rowid = old.id;
    DELETE FROM search_lang WHERE kind = 'note' AND row_id = old.id;
END;
CREATE TRIGGER notes_stem_update AFTER UPDATE OF title, body ON notes BEGIN
    DELETE FROM notes_stem WHERE rowid = old.id;
END;
CREATE TRIGGER highlights_stem_delete AFTER DELETE ON highlights BEGIN
    DELETE FROM highlights_stem WHERE rowid = old.id;
    DELETE FROM search_lang WHERE kind = 'highlight' AND row_id = old.id;
END;
CREATE TRIGGER highlights_stem_update AFTER UPDATE OF text, comment ON highlights BEGIN
    DELETE FROM highlights_stem WHERE rowid = old.id;
END;
CREATE TRIGGER quotes_stem_delete AFTER DELETE ON quotes BEGIN
    DELETE FROM quotes_stem WHERE rowid = old.id;
    DELETE FROM search_lang WHERE kind = 'quote' AND row_id = old.id;
END;
CREATE TRIGGER quotes_stem_update AFTER UPDATE OF speaker, text ON quotes BEGIN
    DELETE FROM quotes_stem WHERE rowid = old.id;
END;

-- Existing libraries: `search::backfill` (from `Db::open`) indexes the rows
-- already there in batches, each its own transaction, resuming from the
-- cursor below; the library is usable meanwhile (rows not yet reached are
-- found by their exact words only). A new, empty library has nothing to do.
CREATE TABLE search_stem_cursor (
    kind TEXT PRIMARY KEY,
    after_id INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO search_backfill (name)
    SELECT 'stems' WHERE EXISTS (SELECT 1 FROM versions) OR EXISTS (SELECT 1 FROM notes)
        OR EXISTS (SELECT 1 FROM highlights) OR EXISTS (SELECT 1 FROM quotes);
