//! The service's SQL (PostgreSQL) and the checks every pushed object passes.

use std::collections::{BTreeMap, BTreeSet};

use axum::http::StatusCode;
use sqlx::postgres::PgPool;
use sqlx::{PgConnection, Row};

use super::bucket::{self, Bucket};
use super::Failure;
use crate::error::{Error, Result};
use crate::team::protocol::{
    Changes, Invited, Item, Me, MemberInfo, NoteBody, Object, Projects, Push, Pushed, Role,
    MAX_TEXT_BYTES,
};

/// Most objects in one push.
const MAX_PUSH_OBJECTS: usize = 5000;
/// Longest object key.
const MAX_KEY_BYTES: usize = 4096;
/// Longest tag name or highlight label accepted (a label, not a text).
const MAX_TAG_BYTES: usize = 200;

/// The member a token belongs to.
#[derive(Clone, Debug)]
pub(crate) struct Caller {
    pub member_id: i64,
    pub library_id: i64,
    pub name: String,
    pub role: Role,
}

pub(super) async fn create_library(pool: &PgPool, name: &str, owner: &str) -> Result<String> {
    let mut tx = pool.begin().await?;
    let id: i64 = sqlx::query_scalar("INSERT INTO libraries (name) VALUES ($1) RETURNING id")
        .bind(name)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match e.as_database_error().and_then(|d| d.code()) {
            Some(c) if c == "23505" => {
                Error::Invalid(format!("a team library named {name:?} exists"))
            }
            _ => Error::Database(e),
        })?;
    let token = crate::team::random_id();
    add_member(&mut tx, id, owner, Role::Owner, &token).await?;
    tx.commit().await?;
    Ok(token)
}

async fn add_member(
    conn: &mut PgConnection,
    library_id: i64,
    name: &str,
    role: Role,
    token: &str,
) -> std::result::Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO members (library_id, name, role, token_sha256) VALUES ($1, $2, $3, $4)",
    )
    .bind(library_id)
    .bind(name)
    .bind(role.as_str())
    .bind(crate::hash::sha256_hex(token.as_bytes()))
    .execute(conn)
    .await?;
    Ok(())
}

pub(super) async fn caller(
    pool: &PgPool,
    token_sha: &str,
) -> std::result::Result<Option<Caller>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, library_id, name, role FROM members \
         WHERE token_sha256 = $1 AND revoked_at IS NULL",
    )
    .bind(token_sha)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| Caller {
        member_id: r.get("id"),
        library_id: r.get("library_id"),
        name: r.get("name"),
        role: Role::parse(r.get::<&str, _>("role")).unwrap_or(Role::Viewer),
    }))
}

pub(super) async fn me(pool: &PgPool, caller: &Caller) -> std::result::Result<Me, sqlx::Error> {
    let name: String = sqlx::query_scalar("SELECT name FROM libraries WHERE id = $1")
        .bind(caller.library_id)
        .fetch_one(pool)
        .await?;
    Ok(Me {
        library_id: caller.library_id,
        library_name: name,
        member: caller.name.clone(),
        role: caller.role,
    })
}

/// One page of changes after `since`. One statement, so the page and the
/// library version it ends at come from one snapshot: read apart, a push
/// committing between them moved `next` past objects the page had not
/// seen, and the desktop never pulled them (BENCHMARKS.md, "Team library at
/// scale", missed objects under 50 clients).
pub(super) async fn changes(
    pool: &PgPool,
    library_id: i64,
    project: Option<&str>,
    since: i64,
    limit: i64,
) -> std::result::Result<Changes, Failure> {
    let sql = match project {
        None => {
            "SELECT l.version AS library_version, o.key, o.version, o.body::text AS body, \
               m.name AS author \
             FROM libraries l \
             LEFT JOIN LATERAL (SELECT key, version, body, author FROM objects \
               WHERE library_id = l.id AND version > $2 ORDER BY version LIMIT $3) o ON true \
             LEFT JOIN members m ON m.id = o.author \
             WHERE l.id = $1 ORDER BY o.version"
        }
        // A project's page: its scope's rows past `since`, each with the
        // version it entered the scope at (see migrations-pg/…_project_scopes.sql).
        Some(_) => {
            "SELECT l.version AS library_version, o.key, s.version, o.body::text AS body, \
               m.name AS author \
             FROM libraries l \
             LEFT JOIN LATERAL (SELECT kind, key, version FROM object_scopes \
               WHERE library_id = l.id AND project = $4 AND version > $2 \
               ORDER BY version LIMIT $3) s ON true \
             LEFT JOIN objects o ON o.library_id = l.id AND o.kind = s.kind AND o.key = s.key \
             LEFT JOIN members m ON m.id = o.author \
             WHERE l.id = $1 ORDER BY s.version"
        }
    };
    let query = sqlx::query(sql)
        .bind(library_id)
        .bind(since)
        .bind(limit + 1);
    let query = match project {
        Some(project) => query.bind(project),
        None => query,
    };
    let rows = query.fetch_all(pool).await?;
    let (library_version, rows) = library_and_objects(rows)?;
    let more = rows.len() as i64 > limit;
    let mut objects = Vec::with_capacity(rows.len());
    for r in rows.into_iter().take(limit as usize) {
        objects.push(decode(r)?);
    }
    let next = match (more, objects.last()) {
        (true, Some(last)) => last.version,
        _ => library_version,
    };
    Ok(Changes {
        objects,
        next,
        more,
    })
}

/// Every project of the library, with the library's version (one snapshot).
pub(super) async fn projects(
    pool: &PgPool,
    library_id: i64,
) -> std::result::Result<Projects, Failure> {
    let rows = sqlx::query(
        "SELECT l.version AS library_version, o.key, o.version, o.body::text AS body, \
           m.name AS author \
         FROM libraries l \
         LEFT JOIN objects o ON o.library_id = l.id AND o.kind = 'project' \
         LEFT JOIN members m ON m.id = o.author \
         WHERE l.id = $1 ORDER BY o.key",
    )
    .bind(library_id)
    .fetch_all(pool)
    .await?;
    let (version, rows) = library_and_objects(rows)?;
    let projects = rows.into_iter().map(decode).collect::<Result<_, _>>()?;
    Ok(Projects { version, projects })
}

/// The library's version (every row has it) and the rows that carry an
/// object: with none, the one row is the library's alone.
fn library_and_objects(
    rows: Vec<sqlx::postgres::PgRow>,
) -> std::result::Result<(i64, Vec<sqlx::postgres::PgRow>), Failure> {
    let version: i64 = rows
        .first()
        .ok_or(sqlx::Error::RowNotFound)?
        .get("library_version");
    let rows = rows
        .into_iter()
        .filter(|r| r.get::<Option<String>, _>("key").is_some())
        .collect();
    Ok((version, rows))
}

fn decode(r: sqlx::postgres::PgRow) -> std::result::Result<Object, Failure> {
    let body: String = r.get("body");
    let item: Item = serde_json::from_str(&body).map_err(|e| {
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "corrupt_object",
            e.to_string(),
        )
    })?;
    Ok(Object {
        key: r.get("key"),
        version: r.get("version"),
        author: r.get("author"),
        item,
    })
}

pub(super) enum PushError {
    /// The library is past the push's base version (now at this one).
    Moved(i64),
    Failed(Failure),
}

impl From<sqlx::Error> for PushError {
    fn from(e: sqlx::Error) -> Self {
        PushError::Failed(e.into())
    }
}

impl From<Failure> for PushError {
    fn from(f: Failure) -> Self {
        PushError::Failed(f)
    }
}

fn too_big(what: &str, text: &str) -> std::result::Result<(), Failure> {
    if text.len() > MAX_TEXT_BYTES {
        Err(Failure::invalid(format!(
            "{what} is larger than {MAX_TEXT_BYTES} bytes"
        )))
    } else {
        Ok(())
    }
}

fn is_sha(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Checks one object on its own: key, sizes, and that its hashes are true.
fn validate(object: &Object) -> std::result::Result<(), Failure> {
    if object.key.is_empty() || object.key.len() > MAX_KEY_BYTES {
        return Err(Failure::invalid("an object key is empty or too long"));
    }
    if let Some(key) = object.item.derived_key() {
        if key != object.key {
            return Err(Failure::invalid(format!(
                "object {:?} should be keyed {key:?}",
                object.key
            )));
        }
    }
    match &object.item {
        Item::Version(v) => {
            too_big("a version", &crate::article::join_blocks(&v.blocks))?;
            too_big("a version title", &v.title)?;
            if crate::normalize::fingerprint(&v.title, &v.blocks) != v.text_sha256 {
                return Err(Failure::invalid(format!(
                    "version {:?}: its text does not hash to {}",
                    object.key, v.text_sha256
                )));
            }
        }
        Item::Capture(c) => {
            if !is_sha(&c.raw_sha256) {
                return Err(Failure::invalid("a capture names its bytes by SHA-256"));
            }
        }
        Item::NoteRevision(r) => {
            too_big("a note", &r.body)?;
            too_big("a note title", &r.title)?;
            if r.citations.as_ref().is_some_and(|c| c.len() > 10_000) {
                return Err(Failure::invalid("a note cites at most 10,000 items"));
            }
        }
        Item::Project(p) => {
            too_big("a project", &p.description)?;
        }
        Item::SourceTag(t) => {
            if t.tag.trim().is_empty() || t.tag.len() > MAX_TAG_BYTES {
                return Err(Failure::invalid(format!(
                    "a tag needs a name of at most {MAX_TAG_BYTES} bytes"
                )));
            }
        }
        Item::Highlight(h) => {
            if h.start < 0 || h.end <= h.start || h.text.trim().is_empty() {
                return Err(Failure::invalid(format!(
                    "highlight {:?}: a highlight is a non-empty passage start..end",
                    object.key
                )));
            }
            too_big("a highlight", &h.text)?;
            too_big("a highlight's comment", &h.comment)?;
            if h.label.len() > MAX_TAG_BYTES {
                return Err(Failure::invalid(format!(
                    "a highlight's label has at most {MAX_TAG_BYTES} bytes"
                )));
            }
        }
        Item::Source(_) | Item::Membership(_) | Item::Note(_) => {}
    }
    Ok(())
}

/// Applies a push in one transaction, if the library is still at `base`.
pub(super) async fn push(
    pool: &PgPool,
    caller: &Caller,
    base: i64,
    push: Push,
) -> std::result::Result<Pushed, PushError> {
    if push.objects.len() > MAX_PUSH_OBJECTS {
        return Err(
            Failure::invalid(format!("at most {MAX_PUSH_OBJECTS} objects in one push")).into(),
        );
    }
    for o in &push.objects {
        validate(o)?;
    }
    let lib = caller.library_id;
    let mut tx = pool.begin().await?;
    // The row lock serialises pushes to one library; reads never wait on it.
    let mut version: i64 =
        sqlx::query_scalar("SELECT version FROM libraries WHERE id = $1 FOR UPDATE")
            .bind(lib)
            .fetch_one(&mut *tx)
            .await?;
    if version != base {
        return Err(PushError::Moved(version));
    }
    // The oldest object a link of this push brought into a project's scope.
    let mut oldest: Option<i64> = None;
    // Captures must arrive after their bytes: checked in the transaction.
    let mut notes: BTreeMap<String, NoteBody> = BTreeMap::new();
    let mut revisions = Vec::new();
    for o in &push.objects {
        if let Item::Capture(c) = &o.item {
            let uploaded = blob_exists_in(&mut tx, &c.raw_sha256).await?;
            if !uploaded {
                return Err(Failure::invalid(format!(
                    "capture {:?}: its bytes ({}) were not uploaded",
                    o.key, c.raw_sha256
                ))
                .into());
            }
        }
        match &o.item {
            Item::Note(n) => {
                notes.insert(o.key.clone(), n.clone());
                continue;
            }
            Item::NoteRevision(r) => revisions.push((o.key.clone(), r.clone())),
            _ => {}
        }
        oldest = oldest_of(oldest, write(&mut tx, caller, &mut version, o).await?);
    }
    // Notes last: their heads follow from the revisions of this push.
    let mut touched: BTreeSet<String> = notes.keys().cloned().collect();
    touched.extend(revisions.iter().map(|(_, r)| r.note.clone()));
    let mut out = Vec::new();
    let mut conflicts = Vec::new();
    for key in touched {
        let stored = stored_note(&mut tx, lib, &key).await?;
        let pushed = notes.get(&key);
        let mut note = stored.clone().unwrap_or(NoteBody {
            projects: Vec::new(),
            heads: Vec::new(),
            deleted: false,
        });
        if let Some(p) = pushed {
            note.projects = p.projects.clone();
            if !p.deleted {
                note.deleted = false;
            } else if same_set(&p.heads, &note.heads) {
                note.deleted = true;
            }
        }
        for (rev, body) in revisions.iter().filter(|(_, r)| r.note == key) {
            note.heads.retain(|h| !body.parents.contains(h));
            if !note.heads.contains(rev) {
                note.heads.push(rev.clone());
            }
            // An edit that had not seen the deletion wins over it.
            note.deleted = false;
        }
        if note.heads.len() > 1 {
            conflicts.push(key.clone());
        }
        let object = Object {
            key: key.clone(),
            version: 0,
            author: Some(caller.name.clone()),
            item: Item::Note(note),
        };
        if stored.map(Item::Note).as_ref() != Some(&object.item) {
            oldest = oldest_of(oldest, write(&mut tx, caller, &mut version, &object).await?);
        }
        out.push(object);
    }
    sqlx::query("UPDATE libraries SET version = $2 WHERE id = $1")
        .bind(lib)
        .bind(version)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    for o in &mut out {
        o.version = version;
    }
    Ok(Pushed {
        version,
        brought_older: oldest.is_some_and(|v| v <= base),
        notes: out,
        conflicts,
    })
}

fn oldest_of(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn same_set(a: &[String], b: &[String]) -> bool {
    let a: BTreeSet<&String> = a.iter().collect();
    let b: BTreeSet<&String> = b.iter().collect();
    a == b
}

async fn stored_note(
    conn: &mut PgConnection,
    lib: i64,
    key: &str,
) -> std::result::Result<Option<NoteBody>, Failure> {
    let body: Option<String> = sqlx::query_scalar(
        "SELECT body::text FROM objects WHERE library_id = $1 AND kind = 'note' AND key = $2",
    )
    .bind(lib)
    .bind(key)
    .fetch_optional(conn)
    .await?;
    match body.map(|b| serde_json::from_str::<Item>(&b)) {
        Some(Ok(Item::Note(n))) => Ok(Some(n)),
        None => Ok(None),
        Some(_) => Err(Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "corrupt_object",
            format!("note {key:?} is stored as something else"),
        )),
    }
}

/// Writes one object at the next library version. Immutable kinds keep the
/// first copy (an equal key means equal content: it names its hash).
/// Returns the version of the oldest object a link it made brought into a
/// project's scope, if any.
async fn write(
    conn: &mut PgConnection,
    caller: &Caller,
    version: &mut i64,
    o: &Object,
) -> std::result::Result<Option<i64>, Failure> {
    let body = serde_json::to_string(&o.item).expect("items serialise");
    let kind = o.item.kind();
    if o.item.immutable() {
        let exists: Option<i32> = sqlx::query_scalar(
            "SELECT 1 FROM objects WHERE library_id = $1 AND kind = $2 AND key = $3",
        )
        .bind(caller.library_id)
        .bind(kind)
        .bind(&o.key)
        .fetch_optional(&mut *conn)
        .await?;
        if exists.is_some() {
            return Ok(None);
        }
    }
    *version += 1;
    let owner = o.item.owner(&o.key);
    sqlx::query(
        "INSERT INTO objects (library_id, kind, key, version, body, author, owner) \
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7) \
         ON CONFLICT (library_id, kind, key) DO UPDATE \
         SET version = excluded.version, body = excluded.body, author = excluded.author, \
             owner = excluded.owner, updated_at = now()",
    )
    .bind(caller.library_id)
    .bind(kind)
    .bind(&o.key)
    .bind(*version)
    .bind(body)
    .bind(caller.member_id)
    .bind(&owner)
    .execute(&mut *conn)
    .await?;
    scope(conn, caller.library_id, version, o, &owner).await
}

/// Keeps the projects' scopes true after `o` was written at `version`:
/// links made or broken by a membership, a project or a note, then `o`
/// stamped into every project that holds its owner. An object whose write
/// brought others along is stamped after them, so a follower applies a
/// story before its membership, as a whole-library pull does.
async fn scope(
    conn: &mut PgConnection,
    lib: i64,
    version: &mut i64,
    o: &Object,
    owner: &str,
) -> std::result::Result<Option<i64>, Failure> {
    let mut also: Vec<String> = Vec::new();
    let mut oldest = None;
    match &o.item {
        Item::Project(_) => {
            oldest = link(conn, lib, &o.key, owner, version).await?;
            *version += 1;
        }
        Item::Membership(m) => {
            oldest = link(conn, lib, &m.project, owner, version).await?;
            let source = format!("source:{}", m.source);
            if m.present {
                let brought = link(conn, lib, &m.project, &source, version).await?;
                oldest = oldest_of(oldest, brought);
            } else {
                unlink(conn, lib, &m.project, &source).await?;
            }
            *version += 1;
        }
        Item::Note(n) => {
            let linked: Vec<String> = sqlx::query_scalar(
                "SELECT project FROM project_links WHERE library_id = $1 AND owner = $2",
            )
            .bind(lib)
            .bind(owner)
            .fetch_all(&mut *conn)
            .await?;
            for p in linked.iter().filter(|p| !n.projects.contains(p)) {
                unlink(conn, lib, p, owner).await?;
                // Its followers learn that the note left the project.
                also.push(p.clone());
            }
            for p in &n.projects {
                let a = link(conn, lib, p, &format!("project:{p}"), version).await?;
                let b = link(conn, lib, p, owner, version).await?;
                oldest = oldest_of(oldest, oldest_of(a, b));
            }
            *version += 1;
        }
        _ => {}
    }
    sqlx::query(
        "INSERT INTO object_scopes (library_id, project, kind, key, version) \
         SELECT $1, project, $2, $3, $4 FROM project_links WHERE library_id = $1 AND owner = $5 \
         UNION SELECT $1, p, $2, $3, $4 FROM unnest($6::text[]) AS p \
         ON CONFLICT (library_id, project, kind, key) DO UPDATE SET version = excluded.version",
    )
    .bind(lib)
    .bind(o.item.kind())
    .bind(&o.key)
    .bind(*version)
    .bind(owner)
    .bind(&also)
    .execute(conn)
    .await?;
    Ok(oldest)
}

/// Links `owner` to `project`. A new link brings what the owner already has
/// into the project's scope, each at a fresh version; returns the version
/// of the oldest object it brought.
async fn link(
    conn: &mut PgConnection,
    lib: i64,
    project: &str,
    owner: &str,
    version: &mut i64,
) -> std::result::Result<Option<i64>, Failure> {
    let made = sqlx::query(
        "INSERT INTO project_links (library_id, project, owner) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(lib)
    .bind(project)
    .bind(owner)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if made == 0 {
        return Ok(None);
    }
    let (brought, oldest): (i64, Option<i64>) = sqlx::query_as(
        "WITH owned AS (SELECT kind, key, version FROM objects \
           WHERE library_id = $1 AND owner = $3), \
         stamped AS (INSERT INTO object_scopes (library_id, project, kind, key, version) \
           SELECT $1, $2, kind, key, $4 + row_number() OVER (ORDER BY version) FROM owned \
           ON CONFLICT (library_id, project, kind, key) DO UPDATE SET version = excluded.version \
           RETURNING 1) \
         SELECT (SELECT count(*) FROM stamped), (SELECT min(version) FROM owned)",
    )
    .bind(lib)
    .bind(project)
    .bind(owner)
    .bind(*version)
    .fetch_one(conn)
    .await?;
    *version += brought;
    Ok(oldest)
}

/// Unlinks `owner` from `project`: its objects leave the project's scope
/// (followers keep their copies; the membership or note that broke the
/// link tells them), except a note itself.
async fn unlink(
    conn: &mut PgConnection,
    lib: i64,
    project: &str,
    owner: &str,
) -> std::result::Result<(), Failure> {
    let broken = sqlx::query(
        "DELETE FROM project_links WHERE library_id = $1 AND project = $2 AND owner = $3",
    )
    .bind(lib)
    .bind(project)
    .bind(owner)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if broken > 0 {
        sqlx::query(
            "DELETE FROM object_scopes s USING objects o \
             WHERE s.library_id = $1 AND s.project = $2 AND s.kind <> 'note' \
               AND o.library_id = s.library_id AND o.kind = s.kind AND o.key = s.key \
               AND o.owner = $3",
        )
        .bind(lib)
        .bind(project)
        .bind(owner)
        .execute(conn)
        .await?;
    }
    Ok(())
}

async fn blob_exists_in(
    conn: &mut PgConnection,
    sha: &str,
) -> std::result::Result<bool, sqlx::Error> {
    let n: Option<i32> = sqlx::query_scalar("SELECT 1 FROM blobs WHERE sha256 = $1")
        .bind(sha)
        .fetch_optional(conn)
        .await?;
    Ok(n.is_some())
}

pub(super) async fn blob_exists(
    pool: &PgPool,
    sha: &str,
) -> std::result::Result<bool, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    blob_exists_in(&mut conn, sha).await
}

/// A blob's bytes, if a capture of this library names it (a member of one
/// library cannot read another's captures by guessing hashes): the batch
/// query with one name, so the rule is written once.
pub(super) async fn blob(
    pool: &PgPool,
    bucket: Option<&Bucket>,
    library_id: i64,
    sha: &str,
) -> std::result::Result<Option<Vec<u8>>, Failure> {
    let one = [sha.to_string()];
    Ok(blobs(pool, bucket, library_id, &one, usize::MAX)
        .await?
        .pop()
        .map(|(_, bytes)| bytes))
}

/// Which of `shas` no blob row holds, in the order asked.
pub(super) async fn missing_blobs(
    pool: &PgPool,
    shas: &[String],
) -> std::result::Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT s FROM unnest($1::text[]) WITH ORDINALITY AS n(s, i) \
         WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = n.s) ORDER BY n.i",
    )
    .bind(shas)
    .fetch_all(pool)
    .await
}

/// Stores a batch of blobs (already checked against their names): in
/// PostgreSQL, one statement and so one commit; or, with a bucket, the bytes
/// the server lacks go to the bucket first and then their rows are written,
/// so a row always means the bytes are kept.
pub(super) async fn put_blobs(
    pool: &PgPool,
    bucket: Option<&Bucket>,
    blobs: &[(&str, &[u8])],
) -> std::result::Result<(), Failure> {
    use futures_util::{StreamExt, TryStreamExt};
    let mut seen = std::collections::HashSet::new();
    let blobs: Vec<_> = blobs.iter().filter(|(s, _)| seen.insert(*s)).collect();
    let shas: Vec<&str> = blobs.iter().map(|(s, _)| *s).collect();
    let sizes: Vec<i64> = blobs.iter().map(|(_, b)| b.len() as i64).collect();
    let Some(bucket) = bucket else {
        let bytes: Vec<&[u8]> = blobs.iter().map(|(_, b)| *b).collect();
        sqlx::query(
            "INSERT INTO blobs (sha256, size, bytes) \
             SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[]) \
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(&shas)
        .bind(&sizes)
        .bind(&bytes)
        .execute(pool)
        .await?;
        return Ok(());
    };
    let owned: Vec<String> = shas.iter().map(|s| s.to_string()).collect();
    let missing: std::collections::HashSet<String> =
        missing_blobs(pool, &owned).await?.into_iter().collect();
    // Futures made before the stream runs: a closure inside it would make
    // the handler's future not `Send` for every lifetime axum asks about.
    let uploads: Vec<_> = blobs
        .iter()
        .filter(|(s, _)| missing.contains(*s))
        .map(|(sha, bytes)| bucket.put(sha, bytes))
        .collect();
    futures_util::stream::iter(uploads)
        .buffer_unordered(bucket::PARALLEL)
        .try_collect::<Vec<()>>()
        .await?;
    sqlx::query(
        "INSERT INTO blobs (sha256, size) \
         SELECT * FROM unnest($1::text[], $2::bigint[]) \
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&shas)
    .bind(&sizes)
    .execute(pool)
    .await?;
    Ok(())
}

/// The bytes of those of `shas` that a capture of this library names, in
/// the order asked, until `budget` bytes are taken (at least one blob, so a
/// client asking again always gets further). Those kept in the bucket are
/// read from it, several at a time, and checked against their names.
pub(super) async fn blobs(
    pool: &PgPool,
    bucket: Option<&Bucket>,
    library_id: i64,
    shas: &[String],
    budget: usize,
) -> std::result::Result<Vec<(String, Vec<u8>)>, Failure> {
    use futures_util::{StreamExt, TryStreamExt};
    let mut rows = sqlx::query_as::<_, (String, i64, Option<Vec<u8>>)>(
        "SELECT b.sha256, b.size, b.bytes FROM unnest($2::text[]) WITH ORDINALITY AS n(s, i) \
           JOIN blobs b ON b.sha256 = n.s \
         WHERE EXISTS (SELECT 1 FROM objects o WHERE o.library_id = $1 AND o.kind = 'capture' \
                       AND o.body->>'raw_sha256' = n.s) \
         ORDER BY n.i",
    )
    .bind(library_id)
    .bind(shas)
    .fetch(pool);
    let mut found = Vec::new();
    let mut taken: usize = 0;
    while let Some((sha, size, bytes)) = rows.try_next().await? {
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        if !found.is_empty() && taken.saturating_add(size) > budget {
            break;
        }
        taken = taken.saturating_add(size);
        found.push((sha, bytes));
    }
    drop(rows);
    let reads: Vec<_> = found
        .into_iter()
        .map(|(sha, bytes)| kept_bytes(bucket, sha, bytes))
        .collect();
    futures_util::stream::iter(reads)
        .buffered(bucket::PARALLEL)
        .try_collect()
        .await
}

/// A blob's bytes from its row, or from the bucket when the row has none.
async fn kept_bytes(
    bucket: Option<&Bucket>,
    sha: String,
    bytes: Option<Vec<u8>>,
) -> std::result::Result<(String, Vec<u8>), Failure> {
    let bytes = match (bytes, bucket) {
        (Some(bytes), _) => bytes,
        (None, Some(bucket)) => bucket.get(&sha).await?,
        (None, None) => {
            return Err(Failure::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "blob_store",
                format!(
                    "blob {sha} is kept in an S3 bucket, and this server was started \
                     without one (--s3-bucket)"
                ),
            ))
        }
    };
    Ok((sha, bytes))
}

/// How many blobs, and how many bytes, PostgreSQL itself still holds.
pub(super) async fn blobs_in_database(
    pool: &PgPool,
) -> std::result::Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT count(*), coalesce(sum(size), 0)::bigint FROM blobs WHERE bytes IS NOT NULL",
    )
    .fetch_one(pool)
    .await
}

/// Moves up to `limit` blobs from PostgreSQL into the bucket: the bytes go
/// to the bucket first and only then leave their row, so a crash between
/// leaves a blob in both places, never in neither. Returns how many moved
/// (none: nothing is left to move).
pub(super) async fn move_blobs(
    pool: &PgPool,
    bucket: &Bucket,
    limit: i64,
) -> std::result::Result<usize, Failure> {
    use futures_util::{StreamExt, TryStreamExt};
    let batch: Vec<(String, Vec<u8>)> = sqlx::query_as(
        "SELECT sha256, bytes FROM blobs WHERE bytes IS NOT NULL ORDER BY sha256 LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let uploads: Vec<_> = batch.iter().map(|(s, b)| bucket.put(s, b)).collect();
    futures_util::stream::iter(uploads)
        .buffer_unordered(bucket::PARALLEL)
        .try_collect::<Vec<()>>()
        .await?;
    let shas: Vec<&str> = batch.iter().map(|(s, _)| s.as_str()).collect();
    sqlx::query("UPDATE blobs SET bytes = NULL WHERE sha256 = ANY($1)")
        .bind(&shas)
        .execute(pool)
        .await?;
    Ok(batch.len())
}

/// Grants `caller` the re-check of each of `sources` that no other member
/// holds now (a lease it holds itself is renewed); returns those granted.
/// One statement, so two desks asking at once never both get a source.
pub(super) async fn lease(
    pool: &PgPool,
    caller: &Caller,
    sources: &[String],
    seconds: u32,
) -> std::result::Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO check_leases (library_id, source_key, member_id, until) \
         SELECT $1, k, $2, now() + make_interval(secs => $4) FROM unnest($3::text[]) AS k \
         ON CONFLICT (library_id, source_key) DO UPDATE \
           SET member_id = excluded.member_id, until = excluded.until \
           WHERE check_leases.until < now() OR check_leases.member_id = excluded.member_id \
         RETURNING source_key",
    )
    .bind(caller.library_id)
    .bind(caller.member_id)
    .bind(sources)
    .bind(f64::from(seconds))
    .fetch_all(pool)
    .await
}

pub(super) async fn members(
    pool: &PgPool,
    library_id: i64,
) -> std::result::Result<Vec<MemberInfo>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT name, role, revoked_at IS NOT NULL AS revoked FROM members \
         WHERE library_id = $1 ORDER BY id",
    )
    .bind(library_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MemberInfo {
            name: r.get("name"),
            role: Role::parse(r.get::<&str, _>("role")).unwrap_or(Role::Viewer),
            revoked: r.get("revoked"),
        })
        .collect())
}

pub(super) async fn invite(
    pool: &PgPool,
    library_id: i64,
    name: &str,
    role: Role,
) -> std::result::Result<Invited, Failure> {
    let token = crate::team::random_id();
    let mut conn = pool.acquire().await?;
    add_member(&mut conn, library_id, name, role, &token)
        .await
        .map_err(|e| match e.as_database_error().and_then(|d| d.code()) {
            Some(c) if c == "23505" => Failure::new(
                StatusCode::CONFLICT,
                "member_exists",
                format!("{name:?} is already a member"),
            ),
            _ => e.into(),
        })?;
    Ok(Invited {
        name: name.to_string(),
        role,
        token,
    })
}

/// Revokes a member's token at once (the next request is refused).
pub(super) async fn revoke(
    pool: &PgPool,
    library_id: i64,
    name: &str,
) -> std::result::Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "UPDATE members SET revoked_at = now() WHERE library_id = $1 AND name = $2 \
         AND revoked_at IS NULL",
    )
    .bind(library_id)
    .bind(name)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(n > 0)
}
