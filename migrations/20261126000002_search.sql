-- Full-text search: two FTS5 indexes side by side for every searchable table.
--
-- *_fts  word index, `unicode61 remove_diacritics 2`: whole words in spaced
--        scripts (Latin, Cyrillic, Arabic, Hangul), case- and accent-folded.
--        External content (the base table is the content), so FTS5 builds
--        snippets itself and the text is stored once.
-- *_cjk  trigram index for unspaced Chinese and Japanese, where any substring
--        may be a word. Only rows containing Han or kana are indexed (a CJK
--        query cannot match anything else), which keeps it a fraction of the
--        word index. Contentless with contentless_delete: rows are removed by
--        rowid alone, and the indexed text carries two trailing newlines so
--        that a one- or two-character term at the very end of a column still
--        begins a trigram (see `src/search.rs` for the short-term lookup).
--        Snippets for these hits are built in Rust from the base table.
--
-- Triggers keep both indexes in the same transaction as the data. Never run
-- FTS5 'rebuild' on the *_cjk tables: they are contentless by design.

-- The GLOB pattern that says "contains Han or kana": hiragana and katakana,
-- CJK extension A, unified ideographs, compatibility ideographs, half-width
-- katakana and the supplementary ideograph planes.
CREATE TABLE search_script (
    cjk_glob TEXT NOT NULL
);
INSERT INTO search_script (cjk_glob) VALUES (
    '*[' || char(0x3040) || '-' || char(0x30FF)
         || char(0x3400) || '-' || char(0x4DBF)
         || char(0x4E00) || '-' || char(0x9FFF)
         || char(0xF900) || '-' || char(0xFAFF)
         || char(0xFF66) || '-' || char(0xFF9F)
         || char(0x20000) || '-' || char(0x2FFFF) || ']*'
);

-- Versions: every version is indexed; "latest only" is decided at query time
-- (no newer seq of the same source), so adding a version never rewrites the
-- index entries of the previous one.
CREATE VIRTUAL TABLE versions_fts USING fts5(
    title, text,
    content = 'versions', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE versions_cjk USING fts5(
    title, text,
    content = '', contentless_delete = 1,
    tokenize = 'trigram remove_diacritics 1'
);

CREATE TRIGGER versions_search_insert AFTER INSERT ON versions BEGIN
    INSERT INTO versions_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    INSERT INTO versions_cjk (rowid, title, text)
        SELECT new.id, new.title || char(10, 10), new.text || char(10, 10)
        FROM search_script WHERE new.title GLOB cjk_glob OR new.text GLOB cjk_glob;
END;
CREATE TRIGGER versions_search_delete AFTER DELETE ON versions BEGIN
    INSERT INTO versions_fts (versions_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    DELETE FROM versions_cjk WHERE rowid = old.id;
END;
CREATE TRIGGER versions_search_update AFTER UPDATE OF title, text ON versions BEGIN
    INSERT INTO versions_fts (versions_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO versions_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    DELETE FROM versions_cjk WHERE rowid = old.id;
    INSERT INTO versions_cjk (rowid, title, text)
        SELECT new.id, new.title || char(10, 10), new.text || char(10, 10)
        FROM search_script WHERE new.title GLOB cjk_glob OR new.text GLOB cjk_glob;
END;

-- Notes: title and Markdown body.
CREATE VIRTUAL TABLE notes_fts USING fts5(
    title, body,
    content = 'notes', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE notes_cjk USING fts5(
    title, body,
    content = '', contentless_delete = 1,
    tokenize = 'trigram remove_diacritics 1'
);

CREATE TRIGGER notes_search_insert AFTER INSERT ON notes BEGIN
    INSERT INTO notes_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
    INSERT INTO notes_cjk (rowid, title, body)
        SELECT new.id, new.title || char(10, 10), new.body || char(10, 10)
        FROM search_script WHERE new.title GLOB cjk_glob OR new.body GLOB cjk_glob;
END;
CREATE TRIGGER notes_search_delete AFTER DELETE ON notes BEGIN
    INSERT INTO notes_fts (notes_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    DELETE FROM notes_cjk WHERE rowid = old.id;
END;
CREATE TRIGGER notes_search_update AFTER UPDATE OF title, body ON notes BEGIN
    INSERT INTO notes_fts (notes_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO notes_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
    DELETE FROM notes_cjk WHERE rowid = old.id;
    INSERT INTO notes_cjk (rowid, title, body)
        SELECT new.id, new.title || char(10, 10), new.body || char(10, 10)
        FROM search_script WHERE new.title GLOB cjk_glob OR new.body GLOB cjk_glob;
END;

-- Highlights: the passage and the reporter's comment.
CREATE VIRTUAL TABLE highlights_fts USING fts5(
    text, comment,
    content = 'highlights', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE highlights_cjk USING fts5(
    text, comment,
    content = '', contentless_delete = 1,
    tokenize = 'trigram remove_diacritics 1'
);

CREATE TRIGGER highlights_search_insert AFTER INSERT ON highlights BEGIN
    INSERT INTO highlights_fts (rowid, text, comment) VALUES (new.id, new.text, new.comment);
    INSERT INTO highlights_cjk (rowid, text, comment)
        SELECT new.id, new.text || char(10, 10), new.comment || char(10, 10)
        FROM search_script WHERE new.text GLOB cjk_glob OR new.comment GLOB cjk_glob;
END;
CREATE TRIGGER highlights_search_delete AFTER DELETE ON highlights BEGIN
    INSERT INTO highlights_fts (highlights_fts, rowid, text, comment) VALUES ('delete', old.id, old.text, old.comment);
    DELETE FROM highlights_cjk WHERE rowid = old.id;
END;
CREATE TRIGGER highlights_search_update AFTER UPDATE OF text, comment ON highlights BEGIN
    INSERT INTO highlights_fts (highlights_fts, rowid, text, comment) VALUES ('delete', old.id, old.text, old.comment);
    INSERT INTO highlights_fts (rowid, text, comment) VALUES (new.id, new.text, new.comment);
    DELETE FROM highlights_cjk WHERE rowid = old.id;
    INSERT INTO highlights_cjk (rowid, text, comment)
        SELECT new.id, new.text || char(10, 10), new.comment || char(10, 10)
        FROM search_script WHERE new.text GLOB cjk_glob OR new.comment GLOB cjk_glob;
END;

-- Quotes: who said it and what was said. The speaker may be unknown (NULL).
CREATE VIRTUAL TABLE quotes_fts USING fts5(
    speaker, text,
    content = 'quotes', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE quotes_cjk USING fts5(
    speaker, text,
    content = '', contentless_delete = 1,
    tokenize = 'trigram remove_diacritics 1'
);

CREATE TRIGGER quotes_search_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts (rowid, speaker, text) VALUES (new.id, new.speaker, new.text);
    INSERT INTO quotes_cjk (rowid, speaker, text)
        SELECT new.id, COALESCE(new.speaker, '') || char(10, 10), new.text || char(10, 10)
        FROM search_script WHERE COALESCE(new.speaker, '') GLOB cjk_glob OR new.text GLOB cjk_glob;
END;
CREATE TRIGGER quotes_search_delete AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, speaker, text) VALUES ('delete', old.id, old.speaker, old.text);
    DELETE FROM quotes_cjk WHERE rowid = old.id;
END;
CREATE TRIGGER quotes_search_update AFTER UPDATE OF speaker, text ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, speaker, text) VALUES ('delete', old.id, old.speaker, old.text);
    INSERT INTO quotes_fts (rowid, speaker, text) VALUES (new.id, new.speaker, new.text);
    DELETE FROM quotes_cjk WHERE rowid = old.id;
    INSERT INTO quotes_cjk (rowid, speaker, text)
        SELECT new.id, COALESCE(new.speaker, '') || char(10, 10), new.text || char(10, 10)
        FROM search_script WHERE COALESCE(new.speaker, '') GLOB cjk_glob OR new.text GLOB cjk_glob;
END;

-- The trigram vocabularies: a one- or two-character term is looked up here as
-- every indexed trigram that begins with it (see `src/search.rs`).
CREATE VIRTUAL TABLE versions_cjk_terms USING fts5vocab(versions_cjk, 'row');
CREATE VIRTUAL TABLE notes_cjk_terms USING fts5vocab(notes_cjk, 'row');
CREATE VIRTUAL TABLE highlights_cjk_terms USING fts5vocab(highlights_cjk, 'row');
CREATE VIRTUAL TABLE quotes_cjk_terms USING fts5vocab(quotes_cjk, 'row');

-- Index whatever the library already holds.
INSERT INTO versions_fts (rowid, title, text) SELECT id, title, text FROM versions;
INSERT INTO versions_cjk (rowid, title, text)
    SELECT id, title || char(10, 10), text || char(10, 10) FROM versions, search_script
    WHERE title GLOB cjk_glob OR text GLOB cjk_glob;
INSERT INTO notes_fts (rowid, title, body) SELECT id, title, body FROM notes;
INSERT INTO notes_cjk (rowid, title, body)
    SELECT id, title || char(10, 10), body || char(10, 10) FROM notes, search_script
    WHERE title GLOB cjk_glob OR body GLOB cjk_glob;
INSERT INTO highlights_fts (rowid, text, comment) SELECT id, text, comment FROM highlights;
INSERT INTO highlights_cjk (rowid, text, comment)
    SELECT id, text || char(10, 10), comment || char(10, 10) FROM highlights, search_script
    WHERE text GLOB cjk_glob OR comment GLOB cjk_glob;
INSERT INTO quotes_fts (rowid, speaker, text) SELECT id, speaker, text FROM quotes;
INSERT INTO quotes_cjk (rowid, speaker, text)
    SELECT id, COALESCE(speaker, '') || char(10, 10), text || char(10, 10) FROM quotes, search_script
    WHERE COALESCE(speaker, '') GLOB cjk_glob OR text GLOB cjk_glob;
