-- The Changed inbox: what background re-checks and feed polls found for the
-- reporter to look at. Local to this library (not synced with a team).
CREATE TABLE alerts (
    id             INTEGER PRIMARY KEY,
    created_at     TEXT NOT NULL,
    -- Comma-separated kinds, most important first (see src/alerts.rs).
    kinds          TEXT NOT NULL CHECK (kinds <> ''),
    source_id      INTEGER REFERENCES sources(id) ON DELETE CASCADE,
    feed_id        INTEGER REFERENCES feeds(id) ON DELETE CASCADE,
    -- The compare the alert opens.
    old_version_id INTEGER REFERENCES versions(id) ON DELETE SET NULL,
    new_version_id INTEGER REFERENCES versions(id) ON DELETE SET NULL,
    title          TEXT NOT NULL,
    summary        TEXT NOT NULL,
    read_at        TEXT
);
CREATE INDEX alerts_unread ON alerts (id) WHERE read_at IS NULL;
