-- The HTTP heads of a fetch capture (issue 14.1): the request line and
-- headers we sent and the status line and headers we received, each ending
-- with its blank line, so head + raw body is the HTTP message a WARC
-- response record carries. Kept beside the capture, not in it: most
-- captures (pastes, files, failures, rows from before this table) have
-- none, and a capture without a row here exports with a rebuilt head
-- marked as such. Bounded by the fetcher (64 KiB each).
--
-- Heads are stored once per SHA-256, like blobs: an unchanged re-check
-- usually sends and receives the same heads again, and then costs one
-- small row here (issue 16.3's budget for a re-check).
CREATE TABLE http_heads (
    id     INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    head   BLOB NOT NULL
);
CREATE TABLE capture_heads (
    capture_id  INTEGER PRIMARY KEY REFERENCES captures(id) ON DELETE CASCADE,
    request_id  INTEGER NOT NULL REFERENCES http_heads(id),
    response_id INTEGER NOT NULL REFERENCES http_heads(id)
);
CREATE INDEX capture_heads_by_request ON capture_heads (request_id);
CREATE INDEX capture_heads_by_response ON capture_heads (response_id);

-- A head goes when no capture points at it any more.
CREATE TRIGGER capture_heads_release AFTER DELETE ON capture_heads BEGIN
    DELETE FROM http_heads WHERE id IN (old.request_id, old.response_id)
        AND NOT EXISTS (SELECT 1 FROM capture_heads
                        WHERE request_id = http_heads.id OR response_id = http_heads.id);
END;
