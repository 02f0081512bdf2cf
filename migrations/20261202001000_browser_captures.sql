-- What a capture sent by the browser extension adds to its `captures` row
-- (method 'browser'; the serialised DOM is its raw_zstd with raw_sha256):
-- which browser and extension sent it, the tab's title, and the time the
-- browser says it serialised the page (its clock, kept beside ours).
CREATE TABLE browser_captures (
    capture_id        INTEGER PRIMARY KEY REFERENCES captures(id) ON DELETE CASCADE,
    browser           TEXT NOT NULL,
    browser_version   TEXT NOT NULL,
    extension_version TEXT NOT NULL,
    tab_title         TEXT NOT NULL,
    rendered_at       TEXT NOT NULL
);
