-- When the burst of saves that a note revision coalesces began, so continuous
-- autosaving still leaves a revision every few minutes (see src/notes.rs).
ALTER TABLE note_revisions ADD COLUMN burst_started_at TEXT;
UPDATE note_revisions SET burst_started_at = saved_at WHERE burst_started_at IS NULL;
