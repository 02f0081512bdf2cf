-- A count of writes here that a team sync would have to look at, so a sync
-- with nothing new on either side need not hash every shared row (0.4 s at
-- 28,000 shared objects, every minute in the app). `clean_changes` is the
-- count at the last sync that looked and found nothing to push, `clean_at`
-- when: a sync skips the look while the count is unchanged, nothing came
-- from the team, and that look is less than an hour old.
--
-- The triggers cover every table whose rows a push is made from (see
-- `team::sync::outgoing`): notes, their projects, highlights, tags on
-- sources, project membership and names, a source's URL and watch flag,
-- new versions and captures (a capture's bytes moving to `blobs` changes
-- nothing a push carries). With no team link there is no row and the
-- update touches nothing. Sync's own tables (team_*) are not counted: a
-- pull that brought anything always looks (`team::sync::exchange`).
ALTER TABLE team_link ADD COLUMN local_changes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE team_link ADD COLUMN clean_changes INTEGER;
ALTER TABLE team_link ADD COLUMN clean_at TEXT;

CREATE TRIGGER team_counts_note_insert AFTER INSERT ON notes
BEGIN UPDATE team_link SET local_changes = local_changes + 1; END;
CREATE TRIGGER team_counts_note_update AFTER UPDATE ON notes
BEGIN UPDATE team_link SET local_changes = local_changes + 1; END;
CREATE TRIGGER team_counts_note_delete AFTER DELETE ON notes
BEGIN UPDATE team_link SET local_changes = local_changes + 1; END;

CREATE TRIGGER team_counts_project_note_insert AFTER INSERT ON project_notes
BEGIN UPDATE team_link SET local_changes = local_changes + 1; END;
CREATE TRIGGER team_counts_project_note_delete AFTER DELETE ON project_notes
BEGIN UPDATE team_link SET local_changes = local_changes + 1; END;

CREATE TRIGGER team_counts_highlight_insert AFTER INSERT ON highlights
BEGIN UPDATE team_link SET local_changes = local_changes + 1; END;
CREATE TRIGGER team_counts_highlight_update AFTER UPDATE ON highlights
BEGIN UPDATE team_link SET local_changes = local_changes + 1; END;
CREATE TRIGGER team_counts_highlight_delete AFTER DELETE ON highlights
BEGIN UPDATE team_link SET local_changes = local_changes + 1; END;

CREATE TRIGGER team_counts_source_tag_insert AFTER INSERT ON source_tags
BEGIN UPDATE team_link SET local_changes = local_changes + 1; END;
CREATE TRIGGER team_counts_source_tag_delete AFTER DELETE ON source_tags
BEGIN UPDATE team_link SET local_changes = local_changes + 1; END;
CREATE TRIGGER team_counts_tag_rename AFTER UPDATE OF name ON tags
BEGIN UPDATE team_link SET local_changes = local_changes + 1; END;

CREATE TRIGGER team_counts_project_source_insert AFTER INSERT ON project_sources
BEGIN UPDATE team_link SET local_changes = local_changes + 1; END;
CREATE TRIGGER team_counts_project_source_delete AFTER DELETE ON project_sources
BEGIN UPDATE team_link SET local_changes = local_changes + 1; END;
CREATE TRIGGER team_counts_project_update AFTER UPDATE ON projects
BEGIN UPDATE team_link SET local_changes = local_changes + 1; END;
CREATE TRIGGER team_counts_project_delete AFTER DELETE ON projects
BEGIN UPDATE team_link SET local_changes = local_changes + 1; END;

CREATE TRIGGER team_counts_source_update AFTER UPDATE OF url_key, url, watched ON sources
BEGIN UPDATE team_link SET local_changes = local_changes + 1; END;
CREATE TRIGGER team_counts_version_insert AFTER INSERT ON versions
BEGIN UPDATE team_link SET local_changes = local_changes + 1; END;
CREATE TRIGGER team_counts_capture_insert AFTER INSERT ON captures
BEGIN UPDATE team_link SET local_changes = local_changes + 1; END;
