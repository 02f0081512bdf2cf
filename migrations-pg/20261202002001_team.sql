-- The team sync service's store (`redline serve`). Forward-only, like the
-- desktop's migrations/.

-- A team library. `version` moves on with every object written (in the
-- push's transaction), so `changes?since=N` is a range scan.
CREATE TABLE libraries (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    version    BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A member and their token. Only the token's SHA-256 is kept: a leaked
-- database does not leak working tokens.
CREATE TABLE members (
    id           BIGSERIAL PRIMARY KEY,
    library_id   BIGINT NOT NULL REFERENCES libraries(id),
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at   TIMESTAMPTZ,
    UNIQUE (library_id, name)
);

-- Raw capture bytes, once per hash whoever pushed them.
CREATE TABLE blobs (
    sha256     TEXT PRIMARY KEY,
    size       BIGINT NOT NULL,
    bytes      BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every synced object, as its latest push left it (immutable kinds keep
-- their first copy). `body` is the protocol's `Item` as JSON.
CREATE TABLE objects (
    library_id BIGINT NOT NULL REFERENCES libraries(id),
    kind       TEXT NOT NULL,
    key        TEXT NOT NULL,
    version    BIGINT NOT NULL,
    body       JSONB NOT NULL,
    author     BIGINT REFERENCES members(id),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (library_id, kind, key)
);
CREATE UNIQUE INDEX objects_by_version ON objects (library_id, version);
