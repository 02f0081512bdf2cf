-- The last synced body of a shared highlight. A highlight deleted here is
-- gone from `highlights`; its deletion goes up as a tombstone that still
-- carries the passage and comment, so every desk can see what was removed
-- and a member can bring it back.
ALTER TABLE team_objects ADD COLUMN body TEXT;
