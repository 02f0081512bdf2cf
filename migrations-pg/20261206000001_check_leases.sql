-- One re-check per watched story for the whole team: before checking a
-- shared source, a desk asks for its lease; the server grants it to one
-- member until it runs out, so two desks do not fetch the same story.
CREATE TABLE check_leases (
    library_id BIGINT NOT NULL REFERENCES libraries(id),
    source_key TEXT NOT NULL,
    member_id  BIGINT NOT NULL REFERENCES members(id),
    until      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (library_id, source_key)
);
