-- The library: sources, their captures and versions, and what the reporter
-- builds on them. Forward-only; every later change is a new file.
-- Times are RFC 3339 UTC text ("2026-11-26T23:05:00Z"), sortable as text.
-- Offsets into a version's text count Unicode scalar values (chars) of
-- `versions.text`, which is the version's blocks joined by "\n\n".

CREATE TABLE sources (
    id                     INTEGER PRIMARY KEY,
    -- Normalised URL used to recognise the same story again (tracking
    -- parameters and fragment removed). NULL for imports without a URL.
    url_key                TEXT UNIQUE,
    -- The best URL to show and cite: canonical if the page declared one,
    -- else the final URL after redirects, else the requested one.
    url                    TEXT,
    created_at             TEXT NOT NULL,
    watched                INTEGER NOT NULL DEFAULT 0 CHECK (watched IN (0, 1)),
    archived               INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    -- The newest version the reporter has opened; newer ones are "not yet viewed".
    last_viewed_version_id INTEGER REFERENCES versions(id) ON DELETE SET NULL,
    -- Politeness and back-off for watching.
    next_check_at          TEXT,
    failure_count          INTEGER NOT NULL DEFAULT 0
);

-- One version per distinct (normalised title, normalised body) of a source.
CREATE TABLE versions (
    id            INTEGER PRIMARY KEY,
    source_id     INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    -- 1, 2, 3 … within the source, in capture order.
    seq           INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    title         TEXT NOT NULL,
    byline        TEXT,
    site_name     TEXT,
    lang          TEXT,
    dir           TEXT NOT NULL DEFAULT 'ltr' CHECK (dir IN ('ltr', 'rtl')),
    published_at  TEXT,
    modified_at   TEXT,
    excerpt       TEXT,
    -- JSON array of {"kind": "paragraph" | "heading", "text": "..."}.
    blocks        TEXT NOT NULL,
    -- The blocks' text joined by "\n\n": what highlights and search address.
    text          TEXT NOT NULL,
    -- SHA-256 (hex) of the normalised title and body: equal hash, same version.
    text_sha256   TEXT NOT NULL,
    UNIQUE (source_id, seq)
);
CREATE INDEX versions_by_hash ON versions (source_id, text_sha256);

-- Every capture attempt, successful or not: the evidence of what was served.
CREATE TABLE captures (
    id             INTEGER PRIMARY KEY,
    source_id      INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    captured_at    TEXT NOT NULL,
    method         TEXT NOT NULL CHECK (method IN ('fetch', 'file', 'paste', 'browser', 'feed')),
    requested_url  TEXT,
    final_url      TEXT,
    canonical_url  TEXT,
    http_status    INTEGER,
    etag           TEXT,
    last_modified  TEXT,
    content_type   TEXT,
    charset        TEXT,
    -- zstd-compressed raw bytes as served (NULL when nothing was received).
    raw_zstd       BLOB,
    raw_size       INTEGER,
    raw_sha256     TEXT,
    -- new_version: made `version_id`; unchanged: same text as `version_id`;
    -- not_modified: 304; failed: see `error`, no version touched.
    outcome        TEXT NOT NULL CHECK (outcome IN ('new_version', 'unchanged', 'not_modified', 'failed')),
    error          TEXT,
    version_id     INTEGER REFERENCES versions(id) ON DELETE SET NULL
);
CREATE INDEX captures_by_source ON captures (source_id, captured_at);

CREATE TABLE projects (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT '',
    archived    INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE project_sources (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    source_id  INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    added_at   TEXT NOT NULL,
    PRIMARY KEY (project_id, source_id)
);
CREATE INDEX project_sources_by_source ON project_sources (source_id);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE source_tags (
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    tag_id    INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (source_id, tag_id)
);
CREATE INDEX source_tags_by_tag ON source_tags (tag_id);

CREATE TABLE notes (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    archived   INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1))
);

-- Every save of a note (coalesced by the notes module), so nothing typed is lost.
CREATE TABLE note_revisions (
    id       INTEGER PRIMARY KEY,
    note_id  INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    title    TEXT NOT NULL,
    body     TEXT NOT NULL,
    saved_at TEXT NOT NULL
);
CREATE INDEX note_revisions_by_note ON note_revisions (note_id, id);

CREATE TABLE project_notes (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    note_id    INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, note_id)
);
CREATE INDEX project_notes_by_note ON project_notes (note_id);

CREATE TABLE note_tags (
    note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    tag_id  INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (note_id, tag_id)
);

-- A passage pinned to one version. `prefix`/`suffix` hold a little context so
-- the passage can be re-anchored in later versions.
CREATE TABLE highlights (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    version_id  INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL CHECK (end > start),
    text        TEXT NOT NULL,
    prefix      TEXT NOT NULL DEFAULT '',
    suffix      TEXT NOT NULL DEFAULT '',
    comment     TEXT NOT NULL DEFAULT '',
    label       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX highlights_by_version ON highlights (version_id);
CREATE INDEX highlights_by_source ON highlights (source_id);

-- Quoted speech found in a version; derived data, rebuilt per version.
CREATE TABLE quotes (
    id          INTEGER PRIMARY KEY,
    version_id  INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    speaker     TEXT,
    text        TEXT NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL
);
CREATE INDEX quotes_by_version ON quotes (version_id);
CREATE INDEX quotes_by_speaker ON quotes (speaker);

CREATE TABLE feeds (
    id              INTEGER PRIMARY KEY,
    url             TEXT NOT NULL UNIQUE,
    title           TEXT,
    auto_clip       INTEGER NOT NULL DEFAULT 0 CHECK (auto_clip IN (0, 1)),
    etag            TEXT,
    last_modified   TEXT,
    last_checked_at TEXT,
    created_at      TEXT NOT NULL
);

CREATE TABLE feed_items (
    id               INTEGER PRIMARY KEY,
    feed_id          INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    guid             TEXT NOT NULL,
    url              TEXT,
    title            TEXT,
    published_at     TEXT,
    seen_at          TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'clipped', 'dismissed')),
    source_id        INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    UNIQUE (feed_id, guid)
);
