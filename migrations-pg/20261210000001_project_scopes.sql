-- Per-project pull. A desk that follows some of a team library's projects
-- pulls `changes?project=K&since=N`: the objects in that project's scope
-- whose scope version is past N, instead of the whole library.
--
-- An object's `owner` is what it is pulled with: its source (versions,
-- captures, tags, highlights), its note (revisions), or its project (the
-- project itself and its memberships). `project_links` says which owners a
-- project holds: a source while its membership is present, a note while
-- the note names the project. When a link is made, everything its owner
-- already has enters the project's scope at fresh versions (from the
-- library's counter, so scope versions are unique within a project): a
-- story added to a project later brings its older versions with it.
ALTER TABLE objects ADD COLUMN owner TEXT;
UPDATE objects SET owner = CASE kind
    WHEN 'project' THEN 'project:' || key
    WHEN 'membership' THEN 'project:' || (body ->> 'project')
    WHEN 'source' THEN 'source:' || key
    WHEN 'version' THEN 'source:' || (body ->> 'source')
    WHEN 'capture' THEN 'source:' || (body ->> 'source')
    WHEN 'source_tag' THEN 'source:' || (body ->> 'source')
    WHEN 'highlight' THEN 'source:' || regexp_replace(body ->> 'version', '#[^#]*$', '')
    WHEN 'note' THEN 'note:' || key
    WHEN 'note_revision' THEN 'note:' || (body ->> 'note')
END;
CREATE INDEX objects_by_owner ON objects (library_id, owner);

CREATE TABLE project_links (
    library_id BIGINT NOT NULL REFERENCES libraries(id),
    project    TEXT NOT NULL,
    owner      TEXT NOT NULL,
    PRIMARY KEY (library_id, project, owner)
);
CREATE INDEX project_links_by_owner ON project_links (library_id, owner);
INSERT INTO project_links (library_id, project, owner)
SELECT library_id, key, 'project:' || key FROM objects WHERE kind = 'project'
UNION
SELECT library_id, body ->> 'project', 'project:' || (body ->> 'project')
  FROM objects WHERE kind = 'membership'
UNION
SELECT library_id, body ->> 'project', 'source:' || (body ->> 'source')
  FROM objects WHERE kind = 'membership' AND (body ->> 'present')::boolean
UNION
SELECT o.library_id, p.project, l.owner
  FROM objects o, jsonb_array_elements_text(o.body -> 'projects') AS p(project),
       LATERAL (VALUES ('note:' || o.key), ('project:' || p.project)) AS l(owner)
 WHERE o.kind = 'note';

CREATE TABLE object_scopes (
    library_id BIGINT NOT NULL REFERENCES libraries(id),
    project    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    key        TEXT NOT NULL,
    version    BIGINT NOT NULL,
    PRIMARY KEY (library_id, project, kind, key)
);
CREATE UNIQUE INDEX object_scopes_by_version ON object_scopes (library_id, project, version);
-- Existing objects keep their own versions (unique in the library, so in
-- each project too).
INSERT INTO object_scopes (library_id, project, kind, key, version)
SELECT o.library_id, l.project, o.kind, o.key, o.version
  FROM objects o JOIN project_links l ON l.library_id = o.library_id AND l.owner = o.owner;
