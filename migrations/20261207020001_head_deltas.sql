-- A source's HTTP heads as deltas (issue 16.3: an unchanged re-check costs
-- at most 300 B). Each answer of a site carries its own `Date` (and often
-- `Age`), so content addressing alone stored every response head whole,
-- ~470 B a check. From now on a head may be stored as a zstd frame with an
-- earlier head of the same source as its dictionary (`base_id`; a base is
-- always a whole head, so a read decompresses once): the same lines but the
-- date cost a few dozen bytes.
--
-- New rows also key `sha256` by the first bytes of the head's SHA-256, as
-- a BLOB (the whole 32 on the rare clash of two prefixes), not 64 hex
-- characters: the key is stored twice (row and unique index) for every
-- head. A match on the short key is confirmed against the bytes before a
-- head is shared. Rows from before keep their hex key and whole `head`;
-- `versions::head` reads both.
ALTER TABLE http_heads ADD COLUMN base_id INTEGER REFERENCES http_heads(id);

-- When a head may go: counts of the captures pointing at it and of the
-- deltas made on it, kept by the triggers below. They replace the two
-- indexes on `capture_heads`, which cost every re-check two entries only to
-- answer "is this head still used?" when a capture is deleted.
ALTER TABLE http_heads ADD COLUMN captures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE http_heads ADD COLUMN deltas INTEGER NOT NULL DEFAULT 0;
UPDATE http_heads SET captures =
    (SELECT count(*) FROM capture_heads WHERE request_id = http_heads.id)
  + (SELECT count(*) FROM capture_heads WHERE response_id = http_heads.id);

DROP TRIGGER capture_heads_release;
DROP INDEX capture_heads_by_request;
DROP INDEX capture_heads_by_response;

CREATE TRIGGER capture_heads_count AFTER INSERT ON capture_heads BEGIN
    UPDATE http_heads SET captures = captures + 1 WHERE id = new.request_id;
    UPDATE http_heads SET captures = captures + 1 WHERE id = new.response_id;
END;
CREATE TRIGGER http_heads_count_delta AFTER INSERT ON http_heads
WHEN new.base_id IS NOT NULL BEGIN
    UPDATE http_heads SET deltas = deltas + 1 WHERE id = new.base_id;
END;

-- A head goes when no capture points at it and no delta is made on it.
CREATE TRIGGER capture_heads_release AFTER DELETE ON capture_heads BEGIN
    UPDATE http_heads SET captures = captures - 1 WHERE id = old.request_id;
    UPDATE http_heads SET captures = captures - 1 WHERE id = old.response_id;
    DELETE FROM http_heads WHERE id IN (old.request_id, old.response_id)
        AND captures <= 0 AND deltas <= 0;
END;
CREATE TRIGGER http_heads_release_base AFTER DELETE ON http_heads
WHEN old.base_id IS NOT NULL BEGIN
    UPDATE http_heads SET deltas = deltas - 1 WHERE id = old.base_id;
    DELETE FROM http_heads WHERE id = old.base_id AND captures <= 0 AND deltas <= 0;
END;
