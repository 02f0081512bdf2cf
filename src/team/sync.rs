//! What a desktop does with its team library: pull what changed since the
//! version it knows, apply it through the notebook's write path (one
//! transaction per page), then push what changed here on that version.
//!
//! Changes here are found by comparing each shared row's object with the
//! hash of the object last agreed with the server (`team_objects`), so no
//! write path of the library needs to know about sync. Captures, versions
//! and note revisions are immutable and merge as a union. Projects, sources
//! and memberships are last-writer-wins by library version; a row changed
//! here is not overwritten by a pull but pushed after it (it is the later
//! writer). Notes keep every revision: an edit made on a head another
//! member has moved past gives the note two heads, and the note's text
//! becomes both texts between markers, flagged as a conflict, until the
//! reporter saves it (the save names both heads as parents).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sqlx::{Row, SqliteConnection};

use super::client::{Client, PushAnswer};
use super::protocol::{
    capture_key, membership_key, source_key, source_tag_key, version_key, CaptureBody,
    HighlightBody, Item, MembershipBody, NoteBody, NoteRevisionBody, Object, ProjectBody, Push,
    Pushed, SourceBody, SourceTagBody, VersionBody,
};
use super::{random_id, TeamError};
use crate::article::{Article, Dir};
use crate::error::{Error, Result};
use crate::hash::sha256_hex;
use crate::highlights::{self, Highlight};
use crate::notebook::Notebook;
use crate::quotes;
use crate::versions::{self, CaptureMethod, CaptureOutcome, CaptureRecord};

/// Pull-then-push rounds that may meet a library moved by a member (412)
/// before a sync gives up on it.
const ROUNDS: usize = 5;
/// Most objects in one push (the server takes 5,000): a large share goes
/// up in several pushes, each recorded as it succeeds.
const PUSH_BATCH: usize = 1000;

/// This library's link to a team library.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Link {
    pub server_url: String,
    pub library_id: i64,
    pub library_name: String,
    pub member: String,
    pub role: String,
    pub since_version: i64,
    pub last_sync_at: Option<String>,
}

/// What one sync did, and what it cost on the wire.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    pub pulled: usize,
    pub pushed: usize,
    pub bytes_down: u64,
    pub bytes_up: u64,
    pub blobs_down: usize,
    pub blobs_up: usize,
    /// Notes now in conflict (their local ids).
    pub conflicts: Vec<i64>,
    pub version: i64,
}

/// A shared note in conflict, or deleted by a member.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SharedNote {
    pub key: String,
    pub note_id: Option<i64>,
    pub title: String,
}

/// What `redline team status` shows.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub link: Link,
    pub projects: Vec<String>,
    pub conflicts: Vec<SharedNote>,
    pub deleted_notes: Vec<SharedNote>,
}

/// Where the member token of the library at `db` is kept: a file beside it,
/// readable by its owner only (a backup or copy of the library has none).
pub fn token_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".team-token");
    PathBuf::from(name)
}

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

fn save_token(path: &Path, token: &str) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path).map_err(|e| io(path, e))?;
    f.write_all(token.trim().as_bytes())
        .map_err(|e| io(path, e))
}

fn library_path(nb: &Notebook) -> Result<&Path> {
    nb.path()
        .ok_or_else(|| Error::Invalid("an in-memory library cannot join a team library".into()))
}

/// Joins the team library at `url` with an invitation `token`.
pub async fn join(nb: &Notebook, url: &str, token: &str) -> Result<Link> {
    let client = Client::new(url, token)?;
    let me = client.me().await?;
    let path = library_path(nb)?;
    if let Some(old) = link(nb).await? {
        if old.server_url != url || old.library_id != me.library_id {
            return Err(Error::Invalid(format!(
                "this library is linked to {} ({}) already",
                old.library_name, old.server_url
            )));
        }
    }
    save_token(&token_path(path), token)?;
    let url = url.to_string();
    nb.team_write(async |conn| {
        sqlx::query(
            "INSERT INTO team_link (id, server_url, library_id, library_name, member, role) \
             VALUES (1, ?, ?, ?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET member = excluded.member, role = excluded.role, \
               library_name = excluded.library_name",
        )
        .bind(&url)
        .bind(me.library_id)
        .bind(&me.library_name)
        .bind(&me.member)
        .bind(me.role.as_str())
        .execute(&mut *conn)
        .await?;
        Ok(())
    })
    .await?;
    link(nb).await?.ok_or_else(|| TeamError::NotJoined.into())
}

async fn read_link(conn: &mut SqliteConnection) -> Result<Option<Link>> {
    let row = sqlx::query(
        "SELECT server_url, library_id, library_name, member, role, since_version, last_sync_at \
         FROM team_link WHERE id = 1",
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| Link {
        server_url: r.get("server_url"),
        library_id: r.get("library_id"),
        library_name: r.get("library_name"),
        member: r.get("member"),
        role: r.get("role"),
        since_version: r.get("since_version"),
        last_sync_at: r.get("last_sync_at"),
    }))
}

/// The team library this library is linked to, if any.
pub async fn link(nb: &Notebook) -> Result<Option<Link>> {
    nb.team_read(async |conn| read_link(conn).await).await
}

/// A client for the linked team library, with the member's token.
pub async fn client(nb: &Notebook) -> Result<(Client, Link)> {
    let link = link(nb).await?.ok_or(TeamError::NotJoined)?;
    let path = token_path(library_path(nb)?);
    let token = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
    Ok((Client::new(&link.server_url, &token)?, link))
}

/// Shares a project with the team: its sources, their versions and
/// captures, and its notes go up with the next sync. Returns its team key.
pub async fn share(nb: &Notebook, project: &str) -> Result<String> {
    link(nb).await?.ok_or(TeamError::NotJoined)?;
    let project = nb.resolve_project(project).await?;
    nb.team_write(async |conn| {
        if let Some(key) = key_of(conn, "project", project.id).await? {
            return Ok(key);
        }
        let key = random_id();
        set_mapped(conn, "project", &key, Some(project.id), None).await?;
        Ok(key)
    })
    .await
}

/// The hash a synced item is remembered by, to tell later whether it changed
/// here. A tag is remembered by its folded name, so a spelling that differs
/// between desks is never taken for a change.
fn sha_of(item: &Item) -> String {
    let folded;
    let item = match item {
        Item::SourceTag(t) => {
            folded = Item::SourceTag(SourceTagBody {
                tag: t.tag.trim().to_ascii_lowercase(),
                ..t.clone()
            });
            &folded
        }
        item => item,
    };
    sha256_hex(&serde_json::to_vec(item).expect("items serialise"))
}

/// A note revision's key: its note, parents and text. Pushing the same
/// save again (its first answer was lost) names the same revision, which
/// the server already holds, instead of a second head in conflict with it.
fn revision_key(note: &str, parents: &[String], title: &str, body: &str) -> String {
    let text = format!("{note}\u{1f}{}\u{1f}{title}\u{1f}{body}", parents.join(","));
    sha256_hex(text.as_bytes())[..32].to_string()
}

fn text_sha(title: &str, body: &str) -> String {
    sha256_hex(format!("{title}\u{1f}{body}").as_bytes())
}

/// (local id, synced hash) of a mapped object.
async fn mapped(
    conn: &mut SqliteConnection,
    kind: &str,
    key: &str,
) -> Result<Option<(Option<i64>, Option<String>)>> {
    Ok(sqlx::query_as(
        "SELECT local_id, synced_sha256 FROM team_objects WHERE kind = ? AND key = ?",
    )
    .bind(kind)
    .bind(key)
    .fetch_optional(conn)
    .await?)
}

async fn key_of(conn: &mut SqliteConnection, kind: &str, local_id: i64) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT key FROM team_objects WHERE kind = ? AND local_id = ? ORDER BY rowid LIMIT 1",
    )
    .bind(kind)
    .bind(local_id)
    .fetch_optional(conn)
    .await?)
}

async fn set_mapped(
    conn: &mut SqliteConnection,
    kind: &str,
    key: &str,
    local_id: Option<i64>,
    synced: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO team_objects (kind, key, local_id, synced_sha256) VALUES (?, ?, ?, ?) \
         ON CONFLICT (kind, key) DO UPDATE SET local_id = excluded.local_id, \
           synced_sha256 = excluded.synced_sha256",
    )
    .bind(kind)
    .bind(key)
    .bind(local_id)
    .bind(synced)
    .execute(conn)
    .await?;
    Ok(())
}

async fn exists(conn: &mut SqliteConnection, table: &str, id: i64) -> Result<bool> {
    let sql = format!("SELECT 1 FROM {table} WHERE id = ?");
    let found: Option<i64> = sqlx::query_scalar(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

async fn local_project(conn: &mut SqliteConnection, id: i64) -> Result<Option<Item>> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT name, description FROM projects WHERE id = ?")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(name, description)| Item::Project(ProjectBody { name, description })))
}

async fn local_source(conn: &mut SqliteConnection, id: i64) -> Result<Option<Item>> {
    let row: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT url_key, url FROM sources WHERE id = ?")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(url_key, url)| Item::Source(SourceBody { url_key, url })))
}

/// The local project of a team project, made (named after its key until
/// the project itself arrives) when a member's object names it first.
async fn ensure_project(conn: &mut SqliteConnection, key: &str) -> Result<i64> {
    if let Some((Some(id), _)) = mapped(conn, "project", key).await? {
        if exists(conn, "projects", id).await? {
            return Ok(id);
        }
    }
    let name = format!("Team project {}", &key[..key.len().min(8)]);
    let id = match crate::projects::find_by_name(conn, &name).await? {
        Some(p) => p.id,
        None => crate::projects::create(conn, &name, "").await?.id,
    };
    set_mapped(conn, "project", key, Some(id), None).await?;
    Ok(id)
}

/// The local source of a team source: mapped, else the one with its URL
/// key (clipped here too: the two meet), else a new one.
async fn ensure_source(conn: &mut SqliteConnection, key: &str) -> Result<i64> {
    if let Some((Some(id), _)) = mapped(conn, "source", key).await? {
        if exists(conn, "sources", id).await? {
            return Ok(id);
        }
    }
    let now = crate::time::now();
    let id = match key.strip_prefix("url:") {
        Some(url_key) => match versions::find_source_by_key(conn, url_key).await? {
            Some(id) => id,
            None => versions::insert_source(conn, Some(url_key), None, &now).await?,
        },
        None => versions::insert_source(conn, None, None, &now).await?,
    };
    set_mapped(conn, "source", key, Some(id), None).await?;
    Ok(id)
}

/// True when the row changed here since it was last synced.
fn changed_here(synced: &Option<String>, local: &Option<Item>) -> bool {
    match (synced, local) {
        (Some(s), Some(l)) => *s != sha_of(l),
        _ => false,
    }
}

async fn apply_project(conn: &mut SqliteConnection, key: &str, p: &ProjectBody) -> Result<()> {
    let (id, synced) = match mapped(conn, "project", key).await? {
        Some((Some(id), synced)) if exists(conn, "projects", id).await? => (id, synced),
        _ => {
            let id = match crate::projects::find_by_name(conn, &p.name).await? {
                Some(found) => found.id,
                None => {
                    crate::projects::create(conn, &p.name, &p.description)
                        .await?
                        .id
                }
            };
            (id, None)
        }
    };
    let local = local_project(conn, id).await?;
    if changed_here(&synced, &local) {
        return Ok(());
    }
    if let Some(Item::Project(l)) = &local {
        if l.name != p.name {
            // A name another local project holds stays as it is here.
            match crate::projects::rename(conn, id, &p.name).await {
                Ok(_) | Err(Error::Invalid(_)) => {}
                Err(e) => return Err(e),
            }
        }
        if l.description != p.description {
            crate::projects::describe(conn, id, &p.description).await?;
        }
    }
    let now = local_project(conn, id).await?;
    set_mapped(
        conn,
        "project",
        key,
        Some(id),
        now.as_ref().map(sha_of).as_deref(),
    )
    .await
}

async fn apply_source(conn: &mut SqliteConnection, key: &str, s: &SourceBody) -> Result<()> {
    let synced = mapped(conn, "source", key).await?.and_then(|m| m.1);
    let id = ensure_source(conn, key).await?;
    let local = local_source(conn, id).await?;
    if changed_here(&synced, &local) {
        return Ok(());
    }
    if let (Some(Item::Source(l)), Some(url)) = (&local, &s.url) {
        if l.url.as_ref() != Some(url) {
            versions::set_source_url(conn, id, url).await?;
        }
    }
    let now = local_source(conn, id).await?;
    set_mapped(
        conn,
        "source",
        key,
        Some(id),
        now.as_ref().map(sha_of).as_deref(),
    )
    .await
}

async fn version_by_hash(
    conn: &mut SqliteConnection,
    source: i64,
    sha: &str,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM versions WHERE source_id = ? AND text_sha256 = ? ORDER BY seq LIMIT 1",
    )
    .bind(source)
    .bind(sha)
    .fetch_optional(conn)
    .await?)
}

async fn apply_version(conn: &mut SqliteConnection, key: &str, v: &VersionBody) -> Result<()> {
    let source = ensure_source(conn, &v.source).await?;
    let id = match version_by_hash(conn, source, &v.text_sha256).await? {
        Some(id) => id,
        None => {
            let article = Article {
                title: v.title.clone(),
                byline: v.byline.clone(),
                site_name: v.site_name.clone(),
                lang: v.lang.clone(),
                dir: Dir::parse(&v.dir),
                published_at: v.published_at.clone(),
                modified_at: v.modified_at.clone(),
                excerpt: v.excerpt.clone(),
                canonical_url: None,
                blocks: v.blocks.clone(),
            };
            let version =
                versions::insert_version(conn, source, &article, &v.text_sha256, &v.created_at)
                    .await?;
            // Quotes are derived, not synced: found here as the clip path
            // finds them, so a synced story's quotes are listed and searched.
            quotes::store_for_version(conn, &version).await?;
            version.id
        }
    };
    set_mapped(conn, "version", key, Some(id), Some("")).await
}

fn method(s: &str) -> CaptureMethod {
    match s {
        "file" => CaptureMethod::File,
        "paste" => CaptureMethod::Paste,
        "browser" => CaptureMethod::Browser,
        "feed" => CaptureMethod::Feed,
        _ => CaptureMethod::Fetch,
    }
}

fn outcome(s: &str) -> CaptureOutcome {
    match s {
        "new_version" => CaptureOutcome::NewVersion,
        "unchanged" => CaptureOutcome::Unchanged,
        "not_modified" => CaptureOutcome::NotModified,
        _ => CaptureOutcome::Failed,
    }
}

async fn capture_here(
    conn: &mut SqliteConnection,
    source: i64,
    c: &CaptureBody,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT k.id FROM captures k LEFT JOIN blobs b ON b.id = k.blob_id \
         WHERE k.source_id = ? AND COALESCE(k.raw_sha256, b.sha256) = ? AND k.captured_at = ? \
         LIMIT 1",
    )
    .bind(source)
    .bind(&c.raw_sha256)
    .bind(&c.captured_at)
    .fetch_optional(conn)
    .await?)
}

async fn apply_capture(
    conn: &mut SqliteConnection,
    key: &str,
    c: &CaptureBody,
    blobs: &HashMap<String, Vec<u8>>,
) -> Result<()> {
    let source = ensure_source(conn, &c.source).await?;
    let id = match capture_here(conn, source, c).await? {
        Some(id) => id,
        None => {
            let raw = blobs.get(&c.raw_sha256).ok_or_else(|| {
                TeamError::Server(format!("the bytes of capture {key} did not arrive"))
            })?;
            if sha256_hex(raw) != c.raw_sha256 {
                return Err(TeamError::Refused(format!(
                    "the bytes of capture {key} do not hash to {}",
                    c.raw_sha256
                ))
                .into());
            }
            let version = match &c.version_sha256 {
                Some(sha) => version_by_hash(conn, source, sha).await?,
                None => None,
            };
            let record = CaptureRecord {
                method: Some(method(&c.method)),
                requested_url: c.requested_url.clone(),
                final_url: c.final_url.clone(),
                canonical_url: c.canonical_url.clone(),
                http_status: c.http_status.and_then(|s| u16::try_from(s).ok()),
                etag: c.etag.clone(),
                last_modified: c.last_modified.clone(),
                content_type: c.content_type.clone(),
                charset: c.charset.clone(),
                raw: Some(raw.clone()),
                heads: None,
            };
            versions::insert_capture(
                conn,
                source,
                &record,
                outcome(&c.outcome),
                None,
                version,
                &c.captured_at,
            )
            .await?
            .id
        }
    };
    set_mapped(conn, "capture", key, Some(id), Some("")).await
}

async fn in_project(conn: &mut SqliteConnection, project: i64, source: i64) -> Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM project_sources WHERE project_id = ? AND source_id = ?")
            .bind(project)
            .bind(source)
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

fn membership(project: &str, source: &str, present: bool) -> Item {
    Item::Membership(MembershipBody {
        project: project.to_string(),
        source: source.to_string(),
        present,
    })
}

async fn apply_membership(
    conn: &mut SqliteConnection,
    key: &str,
    m: &MembershipBody,
) -> Result<()> {
    let synced = mapped(conn, "membership", key).await?.and_then(|m| m.1);
    let project = ensure_project(conn, &m.project).await?;
    let source = ensure_source(conn, &m.source).await?;
    let here = in_project(conn, project, source).await?;
    let local = Some(membership(&m.project, &m.source, here));
    if changed_here(&synced, &local) {
        return Ok(());
    }
    if m.present && !here {
        crate::projects::add_sources(conn, project, &[source]).await?;
    } else if !m.present && here {
        crate::projects::remove_sources(conn, project, &[source]).await?;
    }
    let now = membership(&m.project, &m.source, m.present);
    set_mapped(conn, "membership", key, Some(source), Some(&sha_of(&now))).await
}

fn source_tag(source: &str, tag: &str, present: bool) -> Item {
    Item::SourceTag(SourceTagBody {
        source: source.to_string(),
        tag: tag.to_string(),
        present,
    })
}

/// Whether the source carries the tag here (names compare as the library's
/// `NOCASE` does).
async fn tagged_here(conn: &mut SqliteConnection, source: i64, tag: &str) -> Result<bool> {
    let names = crate::tags::of_source(conn, source).await?;
    Ok(names.iter().any(|n| n.eq_ignore_ascii_case(tag.trim())))
}

/// A member tagged or untagged a shared source. Like a membership: the
/// server's last writer wins, unless the tag changed here since the last
/// sync (then this desk's change goes up next and wins in its turn). A tag
/// new here keeps the spelling it arrived with.
async fn apply_source_tag(conn: &mut SqliteConnection, key: &str, t: &SourceTagBody) -> Result<()> {
    let synced = mapped(conn, "source_tag", key).await?.and_then(|m| m.1);
    let source = ensure_source(conn, &t.source).await?;
    let here = tagged_here(conn, source, &t.tag).await?;
    if changed_here(&synced, &Some(source_tag(&t.source, &t.tag, here))) {
        return Ok(());
    }
    if t.present && !here {
        crate::tags::tag_sources(conn, &[source], &t.tag).await?;
    } else if !t.present && here {
        crate::tags::untag_sources(conn, &[source], &t.tag).await?;
    }
    let now = source_tag(&t.source, &t.tag, t.present);
    set_mapped(conn, "source_tag", key, Some(source), Some(&sha_of(&now))).await
}

/// A shared source's tags that changed here since the last sync: tags put
/// on, and removals of tags synced before (tombstones).
async fn collect_source_tags(
    conn: &mut SqliteConnection,
    sid: i64,
    skey: &str,
    out: &mut Outgoing,
) -> Result<()> {
    let mut here = BTreeSet::new();
    for name in crate::tags::of_source(conn, sid).await? {
        let key = source_tag_key(skey, &name);
        let item = source_tag(skey, &name, true);
        let synced = mapped(conn, "source_tag", &key).await?.and_then(|m| m.1);
        if synced.as_deref() != Some(sha_of(&item).as_str()) {
            out.add(key.clone(), item, Some(sid));
        }
        here.insert(key);
    }
    let known: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT key, synced_sha256 FROM team_objects WHERE kind = 'source_tag' AND local_id = ?",
    )
    .bind(sid)
    .fetch_all(&mut *conn)
    .await?;
    let prefix = source_tag_key(skey, "");
    for (key, synced) in known {
        let Some(name) = key.strip_prefix(&prefix) else {
            continue;
        };
        if here.contains(&key) {
            continue;
        }
        let item = source_tag(skey, name, false);
        if synced.as_deref() != Some(sha_of(&item).as_str()) {
            out.add(key.clone(), item, Some(sid));
        }
    }
    Ok(())
}

fn highlight_item(version: &str, h: &Highlight, deleted: bool) -> Item {
    Item::Highlight(HighlightBody {
        version: version.to_string(),
        start: h.start,
        end: h.end,
        text: h.text.clone(),
        comment: h.comment.clone(),
        label: h.label.clone(),
        created_at: h.created_at.clone(),
        deleted,
    })
}

/// The last synced body of a shared highlight.
async fn highlight_body(conn: &mut SqliteConnection, key: &str) -> Result<Option<HighlightBody>> {
    let body: Option<Option<String>> =
        sqlx::query_scalar("SELECT body FROM team_objects WHERE kind = 'highlight' AND key = ?")
            .bind(key)
            .fetch_optional(conn)
            .await?;
    Ok(body.flatten().and_then(|b| match serde_json::from_str(&b) {
        Ok(Item::Highlight(h)) => Some(h),
        _ => None,
    }))
}

/// Remembers a shared highlight's body with its sync state (see the
/// migration `team_highlight_bodies`).
async fn keep_highlight_body(conn: &mut SqliteConnection, key: &str, item: &Item) -> Result<()> {
    sqlx::query("UPDATE team_objects SET body = ? WHERE kind = 'highlight' AND key = ?")
        .bind(serde_json::to_string(item).expect("items serialise"))
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

/// The local row of a shared highlight. A row id freed by a deletion can be
/// taken by a new highlight; the creation time tells them apart.
async fn highlight_here(
    conn: &mut SqliteConnection,
    local_id: Option<i64>,
    created_at: &str,
) -> Result<Option<Highlight>> {
    let Some(id) = local_id else { return Ok(None) };
    match highlights::get_in(conn, id).await {
        Ok(h) => Ok((h.created_at == created_at).then_some(h)),
        Err(Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A member highlighted a passage, changed a highlight's comment or label,
/// or deleted one. The server's last writer wins, unless the highlight
/// changed here since the last sync (then this desk's change goes up next).
/// A new highlight must find its passage in the version at its offsets.
async fn apply_highlight(conn: &mut SqliteConnection, key: &str, h: &HighlightBody) -> Result<()> {
    let (local_id, synced) = mapped(conn, "highlight", key)
        .await?
        .unwrap_or((None, None));
    let row = highlight_here(conn, local_id, &h.created_at).await?;
    let local = match (&row, highlight_body(conn, key).await?) {
        (Some(r), _) => Some(highlight_item(&h.version, r, false)),
        // Deleted here since the last sync: a tombstone waiting to go up.
        (None, Some(last)) => Some(Item::Highlight(HighlightBody {
            deleted: true,
            ..last
        })),
        (None, None) => None,
    };
    if changed_here(&synced, &local) {
        return Ok(());
    }
    let id = match (row, h.deleted) {
        (Some(r), true) => {
            highlights::delete_in(conn, r.id).await?;
            None
        }
        (Some(r), false) => {
            if r.comment != h.comment || r.label != h.label {
                highlights::update_in(conn, r.id, Some(&h.comment), Some(&h.label)).await?;
            }
            Some(r.id)
        }
        (None, true) => None,
        (None, false) => {
            let Some((Some(version), _)) = mapped(conn, "version", &h.version).await? else {
                return Err(Error::Invalid(format!(
                    "highlight {key}: its version {} has not arrived",
                    h.version
                )));
            };
            let (start, end) = (h.start.max(0) as usize, h.end.max(0) as usize);
            let made = highlights::create_at(
                conn,
                version,
                start,
                end,
                &h.comment,
                &h.label,
                &h.created_at,
            )
            .await?;
            if made.text != h.text {
                return Err(Error::Invalid(format!(
                    "highlight {key}: the version's text at {start}..{end} is not its passage"
                )));
            }
            Some(made.id)
        }
    };
    let item = Item::Highlight(h.clone());
    set_mapped(conn, "highlight", key, id, Some(&sha_of(&item))).await?;
    keep_highlight_body(conn, key, &item).await
}

/// A shared source's highlights that are new or changed here.
async fn collect_highlights(
    conn: &mut SqliteConnection,
    sid: i64,
    skey: &str,
    out: &mut Outgoing,
) -> Result<()> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT h.id, v.text_sha256 FROM highlights h JOIN versions v ON v.id = h.version_id \
         WHERE h.source_id = ? ORDER BY h.id",
    )
    .bind(sid)
    .fetch_all(&mut *conn)
    .await?;
    for (id, text_sha) in rows {
        let h = highlights::get_in(conn, id).await?;
        let known: Vec<String> = sqlx::query_scalar(
            "SELECT key FROM team_objects WHERE kind = 'highlight' AND local_id = ?",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let mut key = None;
        for k in known {
            if highlight_body(conn, &k)
                .await?
                .is_some_and(|b| b.created_at == h.created_at)
            {
                key = Some(k);
            }
        }
        let key = match key {
            Some(k) => k,
            None => {
                // Kept before the push: if the answer is lost, the copy that
                // comes back from the server finds this row, not a new one.
                let k = format!("hl:{}", random_id());
                set_mapped(conn, "highlight", &k, Some(id), None).await?;
                k
            }
        };
        let item = highlight_item(&version_key(skey, &text_sha), &h, false);
        let synced = mapped(conn, "highlight", &key).await?.and_then(|m| m.1);
        if synced.as_deref() != Some(sha_of(&item).as_str()) {
            out.add(key, item, Some(id));
        }
    }
    Ok(())
}

/// Shared highlights deleted here since they were last synced: tombstones
/// that keep the passage and comment.
async fn collect_highlight_deletions(
    conn: &mut SqliteConnection,
    out: &mut Outgoing,
) -> Result<()> {
    let known: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT key, local_id FROM team_objects WHERE kind = 'highlight' AND body IS NOT NULL \
         ORDER BY key",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (key, local_id) in known {
        let Some(last) = highlight_body(conn, &key).await? else {
            continue;
        };
        if last.deleted
            || highlight_here(conn, local_id, &last.created_at)
                .await?
                .is_some()
        {
            continue;
        }
        let item = Item::Highlight(HighlightBody {
            deleted: true,
            ..last
        });
        out.add(key, item, None);
    }
    Ok(())
}

async fn keep_revision(
    conn: &mut SqliteConnection,
    key: &str,
    r: &NoteRevisionBody,
    author: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT OR IGNORE INTO team_note_revisions (key, note, parents, title, body, saved_at, author) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(key)
    .bind(&r.note)
    .bind(serde_json::to_string(&r.parents).expect("strings serialise"))
    .bind(&r.title)
    .bind(&r.body)
    .bind(&r.saved_at)
    .bind(author)
    .execute(conn)
    .await?;
    Ok(())
}

/// Applies one pulled object (notes are applied after the page, see [`apply_note`]).
async fn apply(
    conn: &mut SqliteConnection,
    o: &Object,
    blobs: &HashMap<String, Vec<u8>>,
) -> Result<()> {
    apply_item(conn, o, blobs).await?;
    // Who wrote it, for the timeline and the reader.
    if let Some(author) = &o.author {
        sqlx::query("UPDATE team_objects SET author = ? WHERE kind = ? AND key = ?")
            .bind(author)
            .bind(o.item.kind())
            .bind(&o.key)
            .execute(conn)
            .await?;
    }
    Ok(())
}

async fn apply_item(
    conn: &mut SqliteConnection,
    o: &Object,
    blobs: &HashMap<String, Vec<u8>>,
) -> Result<()> {
    match &o.item {
        Item::Project(p) => apply_project(conn, &o.key, p).await,
        Item::Source(s) => apply_source(conn, &o.key, s).await,
        Item::Version(v) => apply_version(conn, &o.key, v).await,
        Item::Capture(c) => apply_capture(conn, &o.key, c, blobs).await,
        Item::Membership(m) => apply_membership(conn, &o.key, m).await,
        Item::SourceTag(t) => apply_source_tag(conn, &o.key, t).await,
        Item::Highlight(h) => apply_highlight(conn, &o.key, h).await,
        Item::NoteRevision(r) => keep_revision(conn, &o.key, r, o.author.as_deref()).await,
        Item::Note(_) => Ok(()),
    }
}

/// The sync state of a shared note here.
#[derive(Clone, Debug, Default)]
struct NoteState {
    note_id: Option<i64>,
    heads: Vec<String>,
    base: Option<String>,
    projects: Vec<String>,
    deleted: bool,
    /// (revision key, text hash) pushed and not yet acknowledged.
    pending: Option<(String, String)>,
}

async fn note_state(conn: &mut SqliteConnection, key: &str) -> Result<Option<NoteState>> {
    let row = sqlx::query(
        "SELECT note_id, heads, base_sha256, projects, deleted, pending FROM team_notes \
         WHERE key = ?",
    )
    .bind(key)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| NoteState {
        note_id: r.get("note_id"),
        heads: serde_json::from_str(r.get::<&str, _>("heads")).unwrap_or_default(),
        base: r.get("base_sha256"),
        projects: serde_json::from_str(r.get::<&str, _>("projects")).unwrap_or_default(),
        deleted: r.get::<i64, _>("deleted") != 0,
        pending: r.get::<Option<String>, _>("pending").and_then(|p| {
            p.split_once(' ')
                .map(|(k, s)| (k.to_string(), s.to_string()))
        }),
    }))
}

async fn set_note_state(
    conn: &mut SqliteConnection,
    key: &str,
    s: &NoteState,
    conflict: bool,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO team_notes (key, note_id, heads, base_sha256, projects, deleted, conflict, \
           pending) VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (key) DO UPDATE SET note_id = excluded.note_id, heads = excluded.heads, \
           base_sha256 = excluded.base_sha256, projects = excluded.projects, \
           deleted = excluded.deleted, conflict = excluded.conflict, pending = excluded.pending",
    )
    .bind(key)
    .bind(s.note_id)
    .bind(serde_json::to_string(&s.heads).expect("strings serialise"))
    .bind(&s.base)
    .bind(serde_json::to_string(&s.projects).expect("strings serialise"))
    .bind(s.deleted)
    .bind(conflict)
    .bind(s.pending.as_ref().map(|(k, sha)| format!("{k} {sha}")))
    .execute(conn)
    .await?;
    Ok(())
}

/// The text of a note standing on `heads`: the head's own text, or every
/// head's text between markers when members edited it at once.
async fn text_of(
    conn: &mut SqliteConnection,
    heads: &[String],
) -> Result<Option<(String, String)>> {
    let mut revs: Vec<(String, String, String, String, Option<String>)> = Vec::new();
    for h in heads {
        let row: Option<(String, String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT key, title, body, saved_at, author FROM team_note_revisions WHERE key = ?",
        )
        .bind(h)
        .fetch_optional(&mut *conn)
        .await?;
        match row {
            Some(r) => revs.push(r),
            None => return Ok(None),
        }
    }
    // One order everywhere, so every member gets the same text.
    revs.sort_by(|a, b| (&a.3, &a.0).cmp(&(&b.3, &b.0)));
    Ok(match revs.as_slice() {
        [] => None,
        [(_, title, body, _, _)] => Some((title.clone(), body.clone())),
        many => {
            let mut body = format!(
                "<<<<<<< CONFLICT: {} members saved this note at once. Keep what you want, \
                 remove these markers, and save.\n",
                many.len()
            );
            for (i, (_, _, text, saved_at, author)) in many.iter().enumerate() {
                if i > 0 {
                    body.push_str("=======\n");
                }
                body.push_str(&format!(
                    "----- saved by {} at {saved_at} -----\n{text}\n",
                    author.as_deref().unwrap_or("a member")
                ));
            }
            body.push_str(">>>>>>> END OF CONFLICT\n");
            Some((many[0].1.clone(), body))
        }
    })
}

/// Applies a note object through the notebook's note use cases. A note
/// changed here since the last sync is left as it is: its edit is pushed
/// next, on the heads it was made on (a conflict if the team moved on).
/// Returns the note's id here when it is now in conflict.
async fn apply_note(
    nb: &Notebook,
    key: &str,
    body: &NoteBody,
    pushed: bool,
) -> Result<Option<i64>> {
    let key_s = key.to_string();
    let mut state = nb
        .team_read(async |conn| note_state(conn, &key_s).await)
        .await?;
    // This desk's last push of the note landed though its answer was lost:
    // its revision is a head now. Take it as acknowledged, so it is not
    // read as a member's rival save.
    if let Some(s) = state.as_mut() {
        if let Some((rev, sha)) = s.pending.take_if(|(rev, _)| body.heads.contains(rev)) {
            s.heads = vec![rev];
            s.base = Some(sha);
            let acknowledged = s.clone();
            nb.team_write(async |conn| set_note_state(conn, &key_s, &acknowledged, false).await)
                .await?;
        }
    }
    let local = match state.as_ref().and_then(|s| s.note_id) {
        Some(id) => match nb.note(id).await {
            Ok(n) => Some(n),
            Err(Error::NotFound { .. }) => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    if !pushed {
        let dirty = match (&state, &local) {
            (Some(s), Some(n)) => Some(text_sha(&n.title, &n.body)) != s.base,
            (Some(s), None) => s.note_id.is_some() && !s.deleted,
            (None, _) => false,
        };
        if dirty {
            return Ok(None);
        }
    }
    let mut next = NoteState {
        heads: body.heads.clone(),
        projects: body.projects.clone(),
        deleted: body.deleted,
        ..NoteState::default()
    };
    if body.deleted {
        if let Some(n) = &local {
            nb.delete_note(n.id).await?;
        }
        nb.team_write(async |conn| set_note_state(conn, &key_s, &next, false).await)
            .await?;
        return Ok(None);
    }
    let heads = body.heads.clone();
    let Some((title, text)) = nb
        .team_read(async |conn| text_of(conn, &heads).await)
        .await?
    else {
        return Ok(None);
    };
    let note = match local {
        Some(n) if n.title == title && n.body == text => n,
        Some(n) => nb.save_note(n.id, &title, &text).await?,
        None => nb.create_note(&title, &text).await?,
    };
    let projects = body.projects.clone();
    let mut ids = nb
        .team_read(async |conn| {
            let mut ids = Vec::new();
            for p in &projects {
                if let Some((Some(id), _)) = mapped(conn, "project", p).await? {
                    ids.push(id);
                }
            }
            Ok(ids)
        })
        .await?;
    ids.sort_unstable();
    let mut have = note.project_ids.clone();
    have.sort_unstable();
    if ids != have {
        nb.set_note_projects(note.id, &ids).await?;
    }
    next.note_id = Some(note.id);
    next.base = Some(text_sha(&note.title, &note.body));
    let conflict = body.heads.len() > 1;
    nb.team_write(async |conn| set_note_state(conn, &key_s, &next, conflict).await)
        .await?;
    Ok(conflict.then_some(note.id))
}

async fn set_since(nb: &Notebook, version: i64) -> Result<()> {
    nb.team_write(async |conn| {
        sqlx::query("UPDATE team_link SET since_version = ?, last_sync_at = ? WHERE id = 1")
            .bind(version)
            .bind(crate::time::now())
            .execute(&mut *conn)
            .await?;
        Ok(())
    })
    .await
}

/// Pulls every page after the version this library knows and applies it.
async fn pull(nb: &Notebook, client: &Client, report: &mut SyncReport) -> Result<i64> {
    loop {
        let link = link(nb).await?.ok_or(TeamError::NotJoined)?;
        let (page, bytes) = client.changes(link.library_id, link.since_version).await?;
        report.bytes_down += bytes;
        report.pulled += page.objects.len();
        // Bytes first, outside the write transaction: only those not here.
        let mut blobs: HashMap<String, Vec<u8>> = HashMap::new();
        for o in &page.objects {
            if let Item::Capture(c) = &o.item {
                let key = o.key.clone();
                let known = nb
                    .team_read(async |conn| Ok(mapped(conn, "capture", &key).await?.is_some()))
                    .await?;
                if !known && !blobs.contains_key(&c.raw_sha256) {
                    let raw = client.blob(link.library_id, &c.raw_sha256).await?;
                    report.bytes_down += raw.len() as u64;
                    report.blobs_down += 1;
                    blobs.insert(c.raw_sha256.clone(), raw);
                }
            }
        }
        nb.team_write(async |conn| {
            for o in &page.objects {
                apply(conn, o, &blobs).await?;
            }
            Ok(())
        })
        .await?;
        let mut notes: BTreeMap<&str, &NoteBody> = BTreeMap::new();
        for o in &page.objects {
            if let Item::Note(n) = &o.item {
                notes.insert(&o.key, n);
            }
        }
        for (key, body) in notes {
            if let Some(id) = apply_note(nb, key, body, false).await? {
                report.conflicts.push(id);
            }
        }
        // Last, so a sync cut short applies the page again (idempotent).
        set_since(nb, page.next).await?;
        if !page.more {
            return Ok(page.next);
        }
    }
}

/// What this library pushes: objects, and the local rows they stand for.
#[derive(Default)]
struct Outgoing {
    objects: Vec<Object>,
    local: Vec<Option<i64>>,
    /// (raw sha256, capture id) of captures whose bytes go up first.
    blobs: Vec<(String, i64)>,
    /// Per pushed note: key, state to record once the push is done.
    notes: Vec<(String, NoteState)>,
}

impl Outgoing {
    /// Keeps the first `n` objects (fewer when the cut would part a note
    /// revision from its note, which would read as a conflict later).
    fn truncate(&mut self, n: usize) {
        if self.objects.len() <= n {
            return;
        }
        let mut n = n;
        while n > 1 && matches!(self.objects[n - 1].item, Item::NoteRevision(_)) {
            n -= 1;
        }
        self.objects.truncate(n);
        self.local.truncate(n);
        let kept: BTreeSet<(&str, &str)> = self
            .objects
            .iter()
            .map(|o| (o.item.kind(), o.key.as_str()))
            .collect();
        let captures: BTreeSet<i64> = self
            .objects
            .iter()
            .zip(&self.local)
            .filter(|(o, _)| matches!(o.item, Item::Capture(_)))
            .filter_map(|(_, l)| *l)
            .collect();
        self.blobs.retain(|(_, id)| captures.contains(id));
        self.notes
            .retain(|(key, _)| kept.contains(&("note", key.as_str())));
    }

    fn add(&mut self, key: String, item: Item, local: Option<i64>) {
        self.objects.push(Object {
            key,
            version: 0,
            author: None,
            item,
        });
        self.local.push(local);
    }
}

async fn shared_projects(conn: &mut SqliteConnection) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT t.key, p.id FROM team_objects t JOIN projects p ON p.id = t.local_id \
         WHERE t.kind = 'project' ORDER BY p.id",
    )
    .fetch_all(conn)
    .await?)
}

/// Everything that changed here in the shared projects since the last sync.
async fn collect(conn: &mut SqliteConnection) -> Result<Outgoing> {
    let mut out = Outgoing::default();
    let projects = shared_projects(conn).await?;
    let project_keys: HashMap<i64, String> =
        projects.iter().map(|(k, id)| (*id, k.clone())).collect();
    let mut sources_done = BTreeSet::new();
    for (pkey, pid) in &projects {
        let synced = mapped(conn, "project", pkey).await?.and_then(|m| m.1);
        if let Some(item) = local_project(conn, *pid).await? {
            if synced.as_deref() != Some(sha_of(&item).as_str()) {
                out.add(pkey.clone(), item, Some(*pid));
            }
        }
        let sources: Vec<i64> = sqlx::query_scalar(
            "SELECT source_id FROM project_sources WHERE project_id = ? ORDER BY source_id",
        )
        .bind(pid)
        .fetch_all(&mut *conn)
        .await?;
        let mut members = BTreeSet::new();
        for sid in sources {
            let skey = source_of(conn, sid, &mut out, &mut sources_done).await?;
            let mkey = membership_key(pkey, &skey);
            members.insert(mkey.clone());
            let item = membership(pkey, &skey, true);
            let synced = mapped(conn, "membership", &mkey).await?.and_then(|m| m.1);
            if synced.as_deref() != Some(sha_of(&item).as_str()) {
                out.add(mkey, item, Some(sid));
            }
        }
        // Sources taken out of the project here: a removal to sync.
        let known: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT key, synced_sha256 FROM team_objects WHERE kind = 'membership' \
             AND substr(key, 1, length(?) + 1) = ? || '#'",
        )
        .bind(pkey)
        .bind(pkey)
        .fetch_all(&mut *conn)
        .await?;
        for (mkey, synced) in known {
            if members.contains(&mkey) {
                continue;
            }
            let skey = &mkey[pkey.len() + 1..];
            let item = membership(pkey, skey, false);
            if synced.as_deref() != Some(sha_of(&item).as_str()) {
                out.add(mkey.clone(), item, None);
            }
        }
    }
    collect_highlight_deletions(conn, &mut out).await?;
    collect_notes(conn, &project_keys, &mut out).await?;
    Ok(out)
}

/// A shared source's key, with the source, its new versions, captures, tags
/// and highlights added to `out` once.
async fn source_of(
    conn: &mut SqliteConnection,
    sid: i64,
    out: &mut Outgoing,
    done: &mut BTreeSet<i64>,
) -> Result<String> {
    let Some(Item::Source(body)) = local_source(conn, sid).await? else {
        return Err(Error::not_found("source", sid));
    };
    let skey = match key_of(conn, "source", sid).await? {
        Some(k) => k,
        None => {
            // Kept before the push (see `collect_highlights`).
            let k = source_key(body.url_key.as_deref(), &random_id());
            set_mapped(conn, "source", &k, Some(sid), None).await?;
            k
        }
    };
    if !done.insert(sid) {
        return Ok(skey);
    }
    let item = Item::Source(body);
    let synced = mapped(conn, "source", &skey).await?.and_then(|m| m.1);
    if synced.as_deref() != Some(sha_of(&item).as_str()) {
        out.add(skey.clone(), item, Some(sid));
    }
    let new_versions: Vec<i64> = sqlx::query_scalar(
        "SELECT v.id FROM versions v WHERE v.source_id = ? AND NOT EXISTS \
           (SELECT 1 FROM team_objects t WHERE t.kind = 'version' AND t.local_id = v.id) \
         ORDER BY v.seq",
    )
    .bind(sid)
    .fetch_all(&mut *conn)
    .await?;
    for vid in new_versions {
        let v = versions::get_version(conn, vid).await?;
        let body = VersionBody {
            source: skey.clone(),
            created_at: v.created_at,
            title: v.title,
            byline: v.byline,
            site_name: v.site_name,
            lang: v.lang,
            dir: v.dir.as_str().to_string(),
            published_at: v.published_at,
            modified_at: v.modified_at,
            excerpt: v.excerpt,
            blocks: v.blocks,
            text_sha256: v.text_sha256,
        };
        out.add(
            version_key(&skey, &body.text_sha256),
            Item::Version(body),
            Some(vid),
        );
    }
    let new_captures = sqlx::query(
        "SELECT k.id, k.captured_at, k.method, k.requested_url, \
           CASE k.final_url WHEN '=' THEN k.requested_url ELSE k.final_url END AS final_url, \
           CASE k.canonical_url WHEN '=' THEN \
             CASE k.final_url WHEN '=' THEN k.requested_url ELSE k.final_url END \
           ELSE k.canonical_url END AS canonical_url, \
           k.http_status, k.etag, k.last_modified, k.content_type, k.charset, \
           COALESCE(k.raw_size, b.size) AS raw_size, \
           COALESCE(k.raw_sha256, b.sha256) AS raw_sha256, k.outcome, v.text_sha256 \
         FROM captures k LEFT JOIN versions v ON v.id = k.version_id \
           LEFT JOIN blobs b ON b.id = k.blob_id \
         WHERE k.source_id = ? AND COALESCE(k.raw_sha256, b.sha256) IS NOT NULL \
           AND (k.raw_zstd IS NOT NULL OR k.blob_id IS NOT NULL) \
           AND NOT EXISTS (SELECT 1 FROM team_objects t WHERE t.kind = 'capture' \
                           AND t.local_id = k.id) \
         ORDER BY k.id",
    )
    .bind(sid)
    .fetch_all(&mut *conn)
    .await?;
    for r in new_captures {
        let body = CaptureBody {
            source: skey.clone(),
            captured_at: r.get("captured_at"),
            method: r.get("method"),
            requested_url: r.get("requested_url"),
            final_url: r.get("final_url"),
            canonical_url: r.get("canonical_url"),
            http_status: r.get("http_status"),
            etag: r.get("etag"),
            last_modified: r.get("last_modified"),
            content_type: r.get("content_type"),
            charset: r.get("charset"),
            raw_size: r.get::<Option<i64>, _>("raw_size").unwrap_or(0),
            raw_sha256: r.get("raw_sha256"),
            outcome: r.get("outcome"),
            version_sha256: r.get("text_sha256"),
        };
        let id: i64 = r.get("id");
        out.blobs.push((body.raw_sha256.clone(), id));
        out.add(
            capture_key(&skey, &body.raw_sha256, &body.captured_at),
            Item::Capture(body),
            Some(id),
        );
    }
    collect_source_tags(conn, sid, &skey, out).await?;
    collect_highlights(conn, sid, &skey, out).await?;
    Ok(skey)
}

async fn collect_notes(
    conn: &mut SqliteConnection,
    project_keys: &HashMap<i64, String>,
    out: &mut Outgoing,
) -> Result<()> {
    // Notes of shared projects, and every note shared before.
    let mut ids: BTreeSet<i64> = BTreeSet::new();
    for pid in project_keys.keys() {
        let notes: Vec<i64> =
            sqlx::query_scalar("SELECT note_id FROM project_notes WHERE project_id = ?")
                .bind(pid)
                .fetch_all(&mut *conn)
                .await?;
        ids.extend(notes);
    }
    let known: Vec<String> = sqlx::query_scalar("SELECT key FROM team_notes ORDER BY rowid")
        .fetch_all(&mut *conn)
        .await?;
    let mut seen = BTreeSet::new();
    for key in known {
        let state = note_state(conn, &key).await?.unwrap_or_default();
        if let Some(id) = state.note_id {
            seen.insert(id);
        }
        note_out(conn, key, state, project_keys, out).await?;
    }
    for id in ids.difference(&seen) {
        let state = NoteState {
            note_id: Some(*id),
            ..NoteState::default()
        };
        // Kept before the push: a lost answer must not make a second note.
        let key = random_id();
        set_note_state(conn, &key, &state, false).await?;
        note_out(conn, key, state, project_keys, out).await?;
    }
    Ok(())
}

/// Adds what a shared note pushes: a revision when its text changed here,
/// and the note object when it or its projects changed or it was deleted.
async fn note_out(
    conn: &mut SqliteConnection,
    key: String,
    state: NoteState,
    project_keys: &HashMap<i64, String>,
    out: &mut Outgoing,
) -> Result<()> {
    let note = match state.note_id {
        Some(id) => match crate::notes::get_in(conn, id).await {
            Ok(n) => Some(n),
            Err(Error::NotFound { .. }) => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    let mut next = state.clone();
    // What goes up with this push is acknowledged by its record.
    next.pending = None;
    let mut body = NoteBody {
        projects: state.projects.clone(),
        heads: state.heads.clone(),
        deleted: false,
    };
    match (&note, state.note_id, state.deleted) {
        // Deleted by a member and not brought back: nothing to push.
        (_, None, true) => return Ok(()),
        // Deleted here since the last sync: a tombstone.
        (None, Some(_), false) => {
            body.deleted = true;
            next.deleted = true;
            next.note_id = None;
        }
        // Brought back here (`team undelete`): the note object alone.
        (None, None, false) => {}
        (None, Some(_), true) => return Ok(()),
        (Some(n), _, _) => {
            let mut projects: Vec<String> = n
                .project_ids
                .iter()
                .filter_map(|id| project_keys.get(id).cloned())
                .collect();
            projects.sort();
            body.projects = projects.clone();
            next.projects = projects;
            let sha = text_sha(&n.title, &n.body);
            if state.base.as_deref() != Some(sha.as_str()) {
                let rev = revision_key(&key, &state.heads, &n.title, &n.body);
                // Remembered before the push (see the migration
                // `team_sync_bookkeeping`); the record after it clears it.
                sqlx::query("UPDATE team_notes SET pending = ? WHERE key = ?")
                    .bind(format!("{rev} {sha}"))
                    .bind(&key)
                    .execute(&mut *conn)
                    .await?;
                out.add(
                    rev.clone(),
                    Item::NoteRevision(NoteRevisionBody {
                        note: key.clone(),
                        parents: state.heads.clone(),
                        title: n.title.clone(),
                        body: n.body.clone(),
                        saved_at: n.updated_at.clone(),
                    }),
                    None,
                );
                next.heads = vec![rev];
                next.base = Some(sha);
            } else if body.projects == state.projects && state.note_id.is_some() && !state.deleted {
                return Ok(());
            }
            next.deleted = false;
        }
    }
    out.add(key.clone(), Item::Note(body), next.note_id);
    out.notes.push((key, next));
    Ok(())
}

/// Records what the server accepted, then takes its notes' heads (a
/// conflict writes both texts into the note).
async fn record(
    nb: &Notebook,
    out: &Outgoing,
    pushed: &Pushed,
    report: &mut SyncReport,
) -> Result<()> {
    nb.team_write(async |conn| {
        for (o, local) in out.objects.iter().zip(&out.local) {
            match &o.item {
                Item::Note(_) => {}
                Item::NoteRevision(r) => keep_revision(conn, &o.key, r, None).await?,
                Item::Version(_) | Item::Capture(_) => {
                    set_mapped(conn, o.item.kind(), &o.key, *local, Some("")).await?
                }
                Item::Highlight(_) => {
                    set_mapped(conn, "highlight", &o.key, *local, Some(&sha_of(&o.item))).await?;
                    keep_highlight_body(conn, &o.key, &o.item).await?
                }
                item => set_mapped(conn, item.kind(), &o.key, *local, Some(&sha_of(item))).await?,
            }
        }
        for (key, state) in &out.notes {
            set_note_state(conn, key, state, false).await?;
        }
        Ok(())
    })
    .await?;
    for o in &pushed.notes {
        if let Item::Note(body) = &o.item {
            if let Some(id) = apply_note(nb, &o.key, body, true).await? {
                report.conflicts.push(id);
            }
        }
    }
    set_since(nb, pushed.version).await
}

/// Pulls, then pushes what changed here; again if a member pushed between.
pub async fn sync(nb: &Notebook) -> Result<SyncReport> {
    let (client, link) = client(nb).await?;
    let mut report = SyncReport::default();
    let mut moved = 0;
    let mut last: Option<Vec<String>> = None;
    loop {
        let since = pull(nb, &client, &mut report).await?;
        report.version = since;
        let mut out = nb
            .team_bookkeeping(async |conn| collect(conn).await)
            .await?;
        if out.objects.is_empty() {
            return Ok(report);
        }
        out.truncate(PUSH_BATCH);
        // A push that was accepted and recorded never comes back the same;
        // if it does, stop rather than push it for ever.
        let keys: Vec<String> = out.objects.iter().map(|o| o.key.clone()).collect();
        if last.as_ref() == Some(&keys) {
            return Err(
                TeamError::Server("sync made no progress (the same changes again)".into()).into(),
            );
        }
        for (sha, capture) in &out.blobs {
            if client.has_blob(link.library_id, sha).await? {
                continue;
            }
            let id = *capture;
            let raw = nb
                .team_read(async |conn| versions::capture_raw(conn, id).await)
                .await?
                .ok_or_else(|| Error::not_found("capture bytes", id))?;
            report.bytes_up += raw.len() as u64;
            report.blobs_up += 1;
            client.put_blob(link.library_id, sha, raw).await?;
        }
        let push = Push {
            objects: out.objects.clone(),
        };
        let (answer, sent) = client.push(link.library_id, since, &push).await?;
        report.bytes_up += sent;
        match answer {
            // Recorded; the loop pushes what is left, if anything.
            PushAnswer::Done(pushed) => {
                report.pushed += push.objects.len();
                report.version = pushed.version;
                record(nb, &out, &pushed, &mut report).await?;
                last = Some(keys);
            }
            PushAnswer::Moved => {
                moved += 1;
                if moved >= ROUNDS {
                    return Err(TeamError::Busy.into());
                }
            }
        }
    }
}

/// Where this library stands with its team library.
pub async fn status(nb: &Notebook) -> Result<Status> {
    let link = link(nb).await?.ok_or(TeamError::NotJoined)?;
    nb.team_read(async |conn| {
        let projects: Vec<String> = sqlx::query_scalar(
            "SELECT p.name FROM team_objects t JOIN projects p ON p.id = t.local_id \
             WHERE t.kind = 'project' ORDER BY p.name",
        )
        .fetch_all(&mut *conn)
        .await?;
        let conflicts = sqlx::query(
            "SELECT t.key, t.note_id, COALESCE(n.title, '') AS title FROM team_notes t \
             LEFT JOIN notes n ON n.id = t.note_id WHERE t.conflict = 1 ORDER BY t.key",
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| SharedNote {
            key: r.get("key"),
            note_id: r.get("note_id"),
            title: r.get("title"),
        })
        .collect();
        let deleted = sqlx::query(
            "SELECT t.key, COALESCE((SELECT r.title FROM team_note_revisions r \
               WHERE r.note = t.key ORDER BY r.saved_at DESC LIMIT 1), '') AS title \
             FROM team_notes t WHERE t.deleted = 1 ORDER BY t.key",
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| SharedNote {
            key: r.get("key"),
            note_id: None,
            title: r.get("title"),
        })
        .collect();
        Ok(Status {
            link,
            projects,
            conflicts,
            deleted_notes: deleted,
        })
    })
    .await
}

/// Brings back a note a member deleted: the next sync undoes the deletion
/// for everyone (the note's history was never removed).
pub async fn undelete_note(nb: &Notebook, key: &str) -> Result<()> {
    let key = key.to_string();
    nb.team_write(async |conn| {
        let n = sqlx::query(
            "UPDATE team_notes SET deleted = 0, note_id = NULL, base_sha256 = NULL \
             WHERE key = ? AND deleted = 1",
        )
        .bind(&key)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(Error::not_found("deleted shared note", &key));
        }
        Ok(())
    })
    .await
}
