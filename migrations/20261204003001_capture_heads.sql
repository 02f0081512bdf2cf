-- The HTTP heads of a fetch capture (issue 14.1): the request line and
-- headers we sent and the status line and headers we received, each ending
-- with its blank line, so head + raw body is the HTTP message a WARC
-- response record carries. Kept beside the capture, not in it: most
-- captures (pastes, files, failures, rows from before this table) have
-- none, and a capture without a row here exports with a rebuilt head
-- marked as such. Bounded by the fetcher (64 KiB each).
CREATE TABLE capture_heads (
    capture_id INTEGER PRIMARY KEY REFERENCES captures(id) ON DELETE CASCADE,
    request    BLOB NOT NULL,
    response   BLOB NOT NULL
);
