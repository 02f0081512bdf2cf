-- A library's link to a team library (issue 15) and what it has synced.
-- Kept beside the library's own tables, never in them: a library that
-- leaves the team drops these and is as it was. The member's token is not
-- here but in a 0600 file beside the library (`<library>.team-token`), like
-- the signing key: a backup or a shared copy of the file carries no token.

-- At most one team library per desktop library.
CREATE TABLE team_link (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    server_url    TEXT NOT NULL,
    library_id    INTEGER NOT NULL,
    library_name  TEXT NOT NULL,
    member        TEXT NOT NULL,
    role          TEXT NOT NULL,
    -- Every change of the team library up to this version is applied here.
    since_version INTEGER NOT NULL DEFAULT 0,
    last_sync_at  TEXT
);

-- Each synced local row by its team key. `synced_sha256` hashes the object
-- as last agreed with the server: a local row whose object hashes otherwise
-- has changed here and is pushed. `local_id` may name a row deleted since
-- (that is how a local removal is noticed), so no foreign key.
CREATE TABLE team_objects (
    kind          TEXT NOT NULL,
    key           TEXT NOT NULL,
    local_id      INTEGER,
    synced_sha256 TEXT,
    version       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, key)
);
CREATE INDEX team_objects_by_local ON team_objects (kind, local_id);

-- Every member's saved states of shared notes: the team's history of a
-- note, and the texts a conflict shows side by side.
CREATE TABLE team_note_revisions (
    key      TEXT PRIMARY KEY,
    note     TEXT NOT NULL,
    parents  TEXT NOT NULL,
    title    TEXT NOT NULL,
    body     TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    author   TEXT
);
CREATE INDEX team_note_revisions_by_note ON team_note_revisions (note);

-- A shared note here: which revisions its text stands on (`heads`, JSON),
-- the hash of its title and body as last synced (a different hash is an
-- edit to push), and whether it is deleted or in conflict.
CREATE TABLE team_notes (
    key         TEXT PRIMARY KEY,
    note_id     INTEGER,
    heads       TEXT NOT NULL DEFAULT '[]',
    base_sha256 TEXT,
    projects    TEXT NOT NULL DEFAULT '[]',
    deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    conflict    INTEGER NOT NULL DEFAULT 0 CHECK (conflict IN (0, 1))
);
CREATE INDEX team_notes_by_note ON team_notes (note_id);
