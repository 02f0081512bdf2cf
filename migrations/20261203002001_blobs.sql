-- Content-addressed raw bytes (issue 16.3). A capture's bytes as served are
-- stored once per SHA-256 in `blobs`, however many captures point at them:
-- an unchanged re-check without validators adds a capture row, not a second
-- compressed copy. A blob may be stored as a zstd delta against `base_id`
-- (an earlier page of the same source, itself never a delta), which is how a
-- revised page with the same template costs a few hundred bytes.
--
-- Old rows keep `captures.raw_zstd`/`raw_size`/`raw_sha256` until
-- `redline upgrade-storage` moves them here; readers take the capture's own
-- columns first, then the blob's, so a library works at every step between.
CREATE TABLE blobs (
    id      INTEGER PRIMARY KEY,
    -- SHA-256 (hex) of the bytes as served.
    sha256  TEXT NOT NULL UNIQUE,
    -- Length of the bytes as served.
    size    INTEGER NOT NULL,
    -- zstd frame of the bytes (with `base_id`'s bytes as its dictionary when set).
    zstd    BLOB NOT NULL,
    base_id INTEGER REFERENCES blobs(id)
);
CREATE INDEX blobs_by_base ON blobs (base_id) WHERE base_id IS NOT NULL;

ALTER TABLE captures ADD COLUMN blob_id INTEGER REFERENCES blobs(id);
CREATE INDEX captures_by_blob ON captures (blob_id) WHERE blob_id IS NOT NULL;

-- A blob goes when nothing points at it any more: no capture and no delta.
CREATE TRIGGER captures_release_blob AFTER DELETE ON captures
WHEN old.blob_id IS NOT NULL BEGIN
    DELETE FROM blobs WHERE id = old.blob_id
        AND NOT EXISTS (SELECT 1 FROM captures WHERE blob_id = old.blob_id)
        AND NOT EXISTS (SELECT 1 FROM blobs WHERE base_id = old.blob_id);
END;
CREATE TRIGGER blobs_release_base AFTER DELETE ON blobs
WHEN old.base_id IS NOT NULL BEGIN
    DELETE FROM blobs WHERE id = old.base_id
        AND NOT EXISTS (SELECT 1 FROM captures WHERE blob_id = old.base_id)
        AND NOT EXISTS (SELECT 1 FROM blobs WHERE base_id = old.base_id);
END;

-- `versions.blocks` (and `extractor_revisions.blocks`) now hold either the
-- old JSON array (starts with "[") or the compact layout of
-- `versions::layout`: one letter per block kind, with char lengths only when
-- splitting `text` on "\n\n" would not give the blocks back. The text itself
-- is stored once, in `text`.
--
-- From now on `captures.final_url` is '=' when it equals `requested_url`
-- and `canonical_url` is '=' when it equals the final URL (no URL is '='):
-- an unchanged re-check then stores no address twice. `versions::capture`
-- reads them back.
