-- Re-extraction revises a version in place (same id, same seq: the publisher
-- did not change anything); the text it replaces is kept here, so no text
-- the library ever showed is lost and a citation of the old wording can
-- still be checked against it.
CREATE TABLE extractor_revisions (
    id            INTEGER PRIMARY KEY,
    version_id    INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    -- The extractor that produced the replaced text (NULL: unknown).
    extractor     TEXT,
    title         TEXT NOT NULL,
    blocks        TEXT NOT NULL,
    text          TEXT NOT NULL,
    text_sha256   TEXT NOT NULL,
    replaced_at   TEXT NOT NULL
);
CREATE INDEX extractor_revisions_by_version ON extractor_revisions (version_id, id);
