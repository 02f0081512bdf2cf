-- A blob is served only to members of a library with a capture naming it
-- (store::blob). Without an index on the name that check read every
-- capture of the library for each blob a desktop fetched: at 1,000,000
-- versions a pull of one new story cost seconds of database CPU per
-- member (BENCHMARKS.md, "Team library at scale").
CREATE INDEX objects_capture_raw ON objects (library_id, (body ->> 'raw_sha256'))
    WHERE kind = 'capture';
