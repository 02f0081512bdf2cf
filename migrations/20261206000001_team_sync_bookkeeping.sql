-- Sync bookkeeping that survives a push whose answer is lost.
--
-- The last synced body of a shared highlight. A highlight deleted here is
-- gone from `highlights`; its deletion goes up as a tombstone that still
-- carries the passage and comment, so every desk can see what was removed.
ALTER TABLE team_objects ADD COLUMN body TEXT;

-- The note revision this desk pushed and has not heard back about, as
-- "<revision key> <text hash>". When the push landed but its answer was
-- lost, the next pull finds that revision among the note's heads and takes
-- it as this desk's own, instead of reading it as a rival save.
ALTER TABLE team_notes ADD COLUMN pending TEXT;

-- Who wrote a synced object (the member the server names), so the
-- timeline says who captured a version and the reader who highlighted a
-- passage. NULL for what this desk wrote itself.
ALTER TABLE team_objects ADD COLUMN author TEXT;

-- A note revision's citations (`h12` → the highlight's team key, as JSON):
-- ids in a note are its desk's own, so each desk writes its own back.
ALTER TABLE team_note_revisions ADD COLUMN citations TEXT;
