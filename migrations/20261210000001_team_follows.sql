-- Which team projects this desk pulls. A link with `follows_projects = 0`
-- pulls the whole team library, as desks always did; with 1 it pulls only
-- the projects listed here, each from its own cursor
-- (`changes?project=K&since=N`), and pushes only those.
ALTER TABLE team_link ADD COLUMN follows_projects INTEGER NOT NULL DEFAULT 0;
CREATE TABLE team_follows (
    project       TEXT PRIMARY KEY,
    since_version INTEGER NOT NULL DEFAULT 0
);
