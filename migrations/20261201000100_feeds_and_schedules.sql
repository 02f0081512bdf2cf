-- Feeds grow into a reporter's beat: what kind of listing a feed is, which
-- items it clips and where they go, and its own politeness state.
-- Story schedules: the decaying re-check cadence of each watched source.
-- The scheduler lock: one scheduler per library, whichever process runs it.

-- 'feed': RSS/Atom/JSON Feed/RDF; 'sitemap': a news sitemap; 'front': a
-- section front whose same-site links under `path_prefix` are the items.
ALTER TABLE feeds ADD COLUMN kind TEXT NOT NULL DEFAULT 'feed'
    CHECK (kind IN ('feed', 'sitemap', 'front'));
ALTER TABLE feeds ADD COLUMN path_prefix TEXT;
-- A search query (the search language) an item must match to be clipped;
-- NULL clips every item (when auto_clip is on).
ALTER TABLE feeds ADD COLUMN query TEXT;
ALTER TABLE feeds ADD COLUMN project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL;
-- JSON array of tag names given to every clipped item.
ALTER TABLE feeds ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
-- Clipped items are watched (re-checked on the decaying schedule).
ALTER TABLE feeds ADD COLUMN watch_items INTEGER NOT NULL DEFAULT 0 CHECK (watch_items IN (0, 1));
-- Set on purpose by the reporter: fetch this feed even where robots.txt disallows it.
ALTER TABLE feeds ADD COLUMN ignore_robots INTEGER NOT NULL DEFAULT 0 CHECK (ignore_robots IN (0, 1));
-- Seconds between polls of the feed itself.
ALTER TABLE feeds ADD COLUMN every_secs INTEGER NOT NULL DEFAULT 3600 CHECK (every_secs > 0);
ALTER TABLE feeds ADD COLUMN next_check_at TEXT;
ALTER TABLE feeds ADD COLUMN failure_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feeds ADD COLUMN last_error TEXT;

-- The item's url key (crate::address::url_key): the same story in two feeds is one item.
ALTER TABLE feed_items ADD COLUMN url_key TEXT;
CREATE INDEX feed_items_by_url_key ON feed_items (url_key);
-- A new item the rules want clipped, waiting for the scheduler (one request each).
ALTER TABLE feed_items ADD COLUMN clip_pending INTEGER NOT NULL DEFAULT 0 CHECK (clip_pending IN (0, 1));
-- The item's listing was not enough for the query: its text decides.
ALTER TABLE feed_items ADD COLUMN needs_text INTEGER NOT NULL DEFAULT 0 CHECK (needs_text IN (0, 1));
CREATE INDEX feed_items_pending ON feed_items (clip_pending) WHERE clip_pending = 1;

-- The scheduler asks "what is due" every turn: only watched, unarchived sources.
CREATE INDEX sources_due ON sources (next_check_at) WHERE watched = 1 AND archived = 0;
CREATE INDEX feeds_due ON feeds (next_check_at);

-- One row per watched source the scheduler has seen.
CREATE TABLE story_schedules (
    source_id     INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
    -- When the scheduler first saw the story (or its clip time, if earlier).
    first_seen_at TEXT NOT NULL,
    -- The last time a check found a new version: the decay restarts from here.
    changed_at    TEXT,
    -- A fixed interval the reporter pinned (seconds); NULL follows the decay.
    pin_secs      INTEGER CHECK (pin_secs IS NULL OR pin_secs > 0),
    -- The reporter stopped the schedule (or the decay ran out: see `ended`).
    stopped       INTEGER NOT NULL DEFAULT 0 CHECK (stopped IN (0, 1)),
    ended         INTEGER NOT NULL DEFAULT 0 CHECK (ended IN (0, 1)),
    -- Set on purpose by the reporter: check even where robots.txt disallows.
    ignore_robots INTEGER NOT NULL DEFAULT 0 CHECK (ignore_robots IN (0, 1)),
    checks        INTEGER NOT NULL DEFAULT 0,
    last_check_at TEXT,
    -- 404/410 (or another status) when the story disappeared; its last version stays.
    gone_status   INTEGER,
    last_error    TEXT
);

-- At most one row (id = 1): the scheduler running on this library.
CREATE TABLE scheduler_lock (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    holder       TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    host         TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL,
    -- What the scheduler reports for `watch status`.
    paused       INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    requests     INTEGER NOT NULL DEFAULT 0,
    next_due_at  TEXT
);
