-- Per-capture RFC 3161 timestamps (issue 14.3), when the library's
-- `timestamp_captures` setting is on. A capture is queued here by the
-- trigger below, inside its own write (a row, no network); the token is
-- asked of the TSA afterwards, outside any transaction
-- (`Notebook::timestamp_pending_captures`), so a slow or failing TSA never
-- delays or loses a capture: a failure is recorded and retried later.
CREATE TABLE capture_timestamps (
    capture_id      INTEGER PRIMARY KEY REFERENCES captures(id) ON DELETE CASCADE,
    -- The TSA's whole TimeStampResp (DER) over the capture's raw SHA-256;
    -- NULL while pending.
    token           BLOB,
    -- The token's time (genTime) and the TSA it came from.
    stamped_at      TEXT,
    tsa             TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    last_attempt_at TEXT
);
CREATE INDEX capture_timestamps_pending ON capture_timestamps (capture_id) WHERE token IS NULL;

CREATE TRIGGER captures_queue_timestamp AFTER INSERT ON captures
WHEN new.blob_id IS NOT NULL
 AND (SELECT value FROM library_settings WHERE name = 'timestamp_captures') = 'on'
BEGIN
    INSERT INTO capture_timestamps (capture_id) VALUES (new.id);
END;
