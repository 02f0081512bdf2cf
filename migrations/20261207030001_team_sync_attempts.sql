-- The last sync attempt and why it failed, so the app's sidebar and
-- `redline team status` can say "offline since 10:02" rather than only the
-- time of the last success. Cleared by the next successful sync.
ALTER TABLE team_link ADD COLUMN last_attempt_at TEXT;
ALTER TABLE team_link ADD COLUMN last_error TEXT;
