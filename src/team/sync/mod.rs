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

mod follows;
mod labels;
mod ledger;
mod library;
mod notes;
mod outgoing;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sqlx::{Row, SqliteConnection};

use super::client::{Client, PushAnswer};
use super::protocol::{
    capture_key, membership_key, source_key, source_tag_key, version_key, CaptureBody, Changes,
    HighlightBody, Invited, Item, MemberInfo, MembershipBody, NoteBody, NoteRevisionBody, Object,
    ProjectBody, Push, Pushed, Role, SourceBody, SourceTagBody, VersionBody, BLOB_BATCH_BYTES,
    MAX_BLOBS_PER_BATCH,
};
use super::{random_id, TeamError};
use crate::article::{Article, Dir};
use crate::error::{Error, Result};
use crate::hash::sha256_hex;
use crate::highlights::{self, Highlight};
use crate::notebook::Notebook;
use crate::quotes;
use crate::versions::{self, CaptureMethod, CaptureOutcome, CaptureRecord};

use follows::*;
pub use follows::{follow, follow_only, team_projects, unfollow, TeamProject};
use labels::*;
pub use labels::{undelete_highlight, DeletedHighlight};
use ledger::*;
use library::*;
pub use notes::undelete_note;
use notes::*;
use outgoing::*;

/// Pull-then-push rounds that may meet a library moved by a member (412)
/// before a sync gives up on it.
const ROUNDS: usize = 5;

/// Most objects in one push (the server takes 5,000): a large share goes
/// up in several pushes, each recorded as it succeeds.
const PUSH_BATCH: usize = 1000;

/// This library's link to a team library.
#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "TeamLink")]
pub struct Link {
    pub server_url: String,
    pub library_id: i64,
    pub library_name: String,
    pub member: String,
    /// `owner`, `editor` or `viewer`.
    pub role: String,
    pub since_version: i64,
    /// When a sync last went through (RFC 3339, UTC).
    pub last_sync_at: Option<String>,
    /// When a sync was last tried, whether or not it went through.
    pub last_attempt_at: Option<String>,
    /// Why that attempt failed (the server unreachable, the token revoked…);
    /// null once a sync goes through.
    pub last_error: Option<String>,
    /// True when this desk pulls chosen projects only (`team follow`), not
    /// the whole team library.
    pub follows_projects: bool,
}

/// What one sync did, and what it cost on the wire.
#[derive(Clone, Debug, Default, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncReport {
    pub pulled: usize,
    pub pushed: usize,
    #[ts(type = "number")]
    pub bytes_down: u64,
    #[ts(type = "number")]
    pub bytes_up: u64,
    pub blobs_down: usize,
    pub blobs_up: usize,
    /// Notes now in conflict (their local ids).
    pub conflicts: Vec<i64>,
    pub version: i64,
    /// Whether this sync looked through the shared rows for changes made
    /// here; it does not when nothing was written here since a look found
    /// nothing and nothing came from the team.
    pub looked: bool,
}

/// A shared note in conflict, or deleted by a member.
#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SharedNote {
    pub key: String,
    pub note_id: Option<i64>,
    pub title: String,
}

/// A project shared with the team library.
#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SharedProject {
    pub id: i64,
    pub name: String,
}

/// What `redline team status` and the app's team pane show.
#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "TeamStatus")]
pub struct Status {
    pub link: Link,
    pub projects: Vec<SharedProject>,
    pub conflicts: Vec<SharedNote>,
    pub deleted_notes: Vec<SharedNote>,
    /// The newest 200 shared highlights a member deleted.
    pub deleted_highlights: Vec<DeletedHighlight>,
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
               library_name = excluded.library_name, clean_changes = NULL",
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
        "SELECT server_url, library_id, library_name, member, role, since_version, last_sync_at, \
           last_attempt_at, last_error, follows_projects \
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
        last_attempt_at: r.get("last_attempt_at"),
        last_error: r.get("last_error"),
        follows_projects: r.get::<i64, _>("follows_projects") == 1,
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

/// The members of the linked team library (owners only: the server refuses others).
pub async fn members(nb: &Notebook) -> Result<Vec<MemberInfo>> {
    let (client, link) = client(nb).await?;
    Ok(client.members(link.library_id).await?)
}

/// Invites a member (owners only); the token in the answer is shown once.
pub async fn invite(nb: &Notebook, name: &str, role: Role) -> Result<Invited> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::Invalid("a member needs a name".into()));
    }
    let (client, link) = client(nb).await?;
    Ok(client.invite(link.library_id, name, role).await?)
}

/// Revokes a member's token (owners only): their next request is refused.
pub async fn revoke(nb: &Notebook, name: &str) -> Result<()> {
    let (client, link) = client(nb).await?;
    Ok(client.revoke(link.library_id, name).await?)
}

/// Shares a project with the team: its sources, their versions and
/// captures, and its notes go up with the next sync. Returns its team key.
pub async fn share(nb: &Notebook, project: &str) -> Result<String> {
    link(nb).await?.ok_or(TeamError::NotJoined)?;
    let project = nb.resolve_project(project).await?;
    nb.team_write(async |conn| {
        let key = match key_of(conn, "project", project.id).await? {
            Some(key) => key,
            None => {
                let key = random_id();
                set_mapped(conn, "project", &key, Some(project.id), None).await?;
                key
            }
        };
        // A desk that follows chosen projects follows what it shares.
        if follows_projects(conn).await? {
            add_follow(conn, &key).await?;
        }
        look_again(conn).await?;
        Ok(key)
    })
    .await
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

/// Bookkeeping only: the applied objects were announced by their own write.
async fn set_since(nb: &Notebook, version: i64) -> Result<()> {
    nb.team_bookkeeping(async |conn| {
        sqlx::query("UPDATE team_link SET since_version = ?, last_sync_at = ? WHERE id = 1")
            .bind(version)
            .bind(crate::time::now())
            .execute(&mut *conn)
            .await?;
        Ok(())
    })
    .await
}

/// Pulls every page after the version this library knows and applies it;
/// returns the library version the desk now stands on (what a push names
/// as its base).
async fn pull(nb: &Notebook, client: &Client, report: &mut SyncReport) -> Result<i64> {
    let link = link(nb).await?.ok_or(TeamError::NotJoined)?;
    if !link.follows_projects {
        let mut since = link.since_version;
        loop {
            let (page, bytes) = client.changes(link.library_id, None, since).await?;
            apply_page(nb, client, link.library_id, &page, bytes, report).await?;
            // Last, so a sync cut short applies the page again (idempotent).
            set_since(nb, page.next).await?;
            if !page.more {
                return Ok(page.next);
            }
            since = page.next;
        }
    }
    // Each followed project from its own cursor; the desk stands on the
    // oldest version they reached (a push on it that the library has moved
    // past is refused, and the next round pulls again).
    let mut base: Option<i64> = None;
    for (project, mut since) in nb.team_read(async |conn| follows(conn).await).await? {
        loop {
            let (page, bytes) = client
                .changes(link.library_id, Some(&project), since)
                .await?;
            apply_page(nb, client, link.library_id, &page, bytes, report).await?;
            set_follow_since(nb, &project, page.next).await?;
            since = page.next;
            if !page.more {
                base = Some(base.map_or(since, |b| b.min(since)));
                break;
            }
        }
    }
    let base = match base {
        Some(base) => base,
        None => client.projects(link.library_id).await?.0.version,
    };
    set_since(nb, base).await?;
    Ok(base)
}

/// Applies one page of changes: the captures' bytes first, outside the
/// write transaction (only those not here), then the objects in one
/// transaction, then the notes.
async fn apply_page(
    nb: &Notebook,
    client: &Client,
    library: i64,
    page: &Changes,
    bytes: u64,
    report: &mut SyncReport,
) -> Result<()> {
    report.bytes_down += bytes;
    report.pulled += page.objects.len();
    let mut wanted = Vec::new();
    let mut seen = HashSet::new();
    for o in &page.objects {
        if let Item::Capture(c) = &o.item {
            let key = o.key.clone();
            let known = nb
                .team_read(async |conn| Ok(mapped(conn, "capture", &key).await?.is_some()))
                .await?;
            if !known && seen.insert(c.raw_sha256.as_str()) {
                wanted.push(c.raw_sha256.clone());
            }
        }
    }
    let blobs = fetch_blobs(client, library, wanted, report).await?;
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
    Ok(())
}

/// Sends the bytes of the captures about to go up that the server lacks,
/// a batch at a time ([`super::protocol::BlobList`]): one request per batch, not per capture.
async fn push_blobs(
    nb: &Notebook,
    client: &Client,
    library: i64,
    blobs: &[(String, i64)],
    report: &mut SyncReport,
) -> Result<()> {
    let mut capture_of: BTreeMap<&str, i64> = BTreeMap::new();
    for (sha, id) in blobs {
        capture_of.entry(sha).or_insert(*id);
    }
    let names: Vec<String> = capture_of.keys().map(|s| s.to_string()).collect();
    for asked in names.chunks(MAX_BLOBS_PER_BATCH) {
        let mut batch: Vec<(String, Vec<u8>)> = Vec::new();
        let mut size = 0;
        for sha in client.missing_blobs(library, asked).await? {
            let id = *capture_of.get(sha.as_str()).ok_or_else(|| {
                TeamError::Server(format!("the server named {sha}, which was not asked about"))
            })?;
            let raw = nb
                .team_read(async |conn| versions::capture_raw(conn, id).await)
                .await?
                .ok_or_else(|| Error::not_found("capture bytes", id))?;
            if !batch.is_empty() && size + raw.len() > BLOB_BATCH_BYTES {
                send_blobs(client, library, &mut batch, report).await?;
                size = 0;
            }
            size += raw.len();
            batch.push((sha, raw));
        }
        send_blobs(client, library, &mut batch, report).await?;
    }
    Ok(())
}

async fn send_blobs(
    client: &Client,
    library: i64,
    batch: &mut Vec<(String, Vec<u8>)>,
    report: &mut SyncReport,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    report.bytes_up += client.put_blobs(library, batch).await?;
    report.blobs_up += batch.len();
    batch.clear();
    Ok(())
}

/// The bytes of `wanted` captures, fetched a batch at a time (each checked
/// against its hash by the client); a blob the server does not give is an
/// error, as a missing capture's bytes always were.
async fn fetch_blobs(
    client: &Client,
    library: i64,
    wanted: Vec<String>,
    report: &mut SyncReport,
) -> Result<HashMap<String, Vec<u8>>> {
    let mut blobs: HashMap<String, Vec<u8>> = HashMap::new();
    let mut rest = wanted;
    while !rest.is_empty() {
        let asked = &rest[..rest.len().min(MAX_BLOBS_PER_BATCH)];
        let (got, bytes) = client.fetch_blobs(library, asked).await?;
        report.bytes_down += bytes;
        let before = blobs.len();
        for (sha, raw) in got {
            blobs.entry(sha).or_insert(raw);
        }
        if blobs.len() == before {
            return Err(TeamError::Server(format!("the server has no blob {}", asked[0])).into());
        }
        report.blobs_down += blobs.len() - before;
        rest.retain(|sha| !blobs.contains_key(sha));
    }
    Ok(blobs)
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
    after_push(nb, pushed).await?;
    set_since(nb, pushed.version).await
}

/// How long a desk holds a shared story's re-check: the check and the sync
/// that shares its result fit in it, and a desk that went away frees the
/// story this soon.
pub const LEASE_SECONDS: u32 = 15 * 60;

/// Which of `source_ids` this desk should re-check now: all that are not
/// shared, and the shared ones the team server leases to it. When the server
/// cannot be asked (offline, refused) the desk checks them all: a duplicate
/// check costs a request, a missed one could cost a story's revision.
pub async fn leased_checks(nb: &Notebook, source_ids: &[i64]) -> Result<Vec<i64>> {
    let Some(link) = link(nb).await? else {
        return Ok(source_ids.to_vec());
    };
    let ids = source_ids.to_vec();
    let shared: HashMap<i64, String> = nb
        .team_read(async |conn| {
            let mut shared = HashMap::new();
            for id in ids {
                if let Some(key) = key_of(conn, "source", id).await? {
                    shared.insert(id, key);
                }
            }
            Ok(shared)
        })
        .await?;
    if shared.is_empty() {
        return Ok(source_ids.to_vec());
    }
    let asked = async {
        let (client, _) = client(nb).await?;
        let keys: Vec<String> = shared.values().cloned().collect();
        Ok::<_, Error>(client.lease(link.library_id, keys, LEASE_SECONDS).await?)
    };
    let granted: BTreeSet<String> = match asked.await {
        Ok(granted) => granted.into_iter().collect(),
        Err(e) => {
            tracing::warn!(error = %e, "no re-check leases from the team server; checking everything");
            return Ok(source_ids.to_vec());
        }
    };
    Ok(source_ids
        .iter()
        .copied()
        .filter(|id| shared.get(id).is_none_or(|k| granted.contains(k)))
        .collect())
}

/// One sync at a time in a process: the app's timer and its "Sync now"
/// would otherwise pull and push the same changes side by side.
static SYNCING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Pulls, then pushes what changed here; again if a member pushed between.
/// The attempt is recorded either way ([`Link::last_error`]), so a desk
/// that has been offline says since when.
pub async fn sync(nb: &Notebook) -> Result<SyncReport> {
    let _one = SYNCING.lock().await;
    let result = exchange(nb).await;
    let error = match &result {
        Ok(_) => None,
        Err(Error::Team(TeamError::NotJoined)) => return result,
        Err(e) => Some(e.to_string()),
    };
    let recorded = nb
        .team_bookkeeping(async |conn| {
            sqlx::query("UPDATE team_link SET last_attempt_at = ?, last_error = ? WHERE id = 1")
                .bind(crate::time::now())
                .bind(&error)
                .execute(&mut *conn)
                .await?;
            Ok(())
        })
        .await;
    // The sync's own error is the one worth reporting.
    match (result, recorded) {
        (Ok(_), Err(e)) => Err(e),
        (result, _) => result,
    }
}

async fn exchange(nb: &Notebook) -> Result<SyncReport> {
    let (client, link) = client(nb).await?;
    let mut report = SyncReport::default();
    let mut moved = 0;
    let mut last: Option<Vec<String>> = None;
    loop {
        let before = report.pulled;
        let since = pull(nb, &client, &mut report).await?;
        report.version = since;
        let fresh = report.pulled > before;
        let mut out = nb
            .team_bookkeeping(async |conn| {
                let looked = changes_here(conn, fresh).await?;
                report.looked |= looked.is_some();
                let Some(count) = looked else {
                    return Ok(Outgoing::default());
                };
                let out = collect(conn).await?;
                if out.objects.is_empty() {
                    found_nothing(conn, count).await?;
                }
                Ok(out)
            })
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
        push_blobs(nb, &client, link.library_id, &out.blobs, &mut report).await?;
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

/// How long a sync may go on trusting the count of local writes before it
/// looks through the shared rows anyway (a write no trigger counts, e.g. by
/// an older build or by hand, still goes up within this).
const LOOK_AT_LEAST_EVERY: chrono::Duration = chrono::Duration::hours(1);

/// Whether this sync must look through the shared rows for changes made
/// here: `Some(count of local writes)` to look, `None` when nothing was
/// written here since a look found nothing, nothing came from the team
/// (`fresh`), and that look is recent. See
/// `migrations/20261208000001_team_local_changes.sql`.
async fn changes_here(conn: &mut SqliteConnection, fresh: bool) -> Result<Option<i64>> {
    let (count, clean, clean_at): (i64, Option<i64>, Option<String>) =
        sqlx::query_as("SELECT local_changes, clean_changes, clean_at FROM team_link WHERE id = 1")
            .fetch_one(&mut *conn)
            .await?;
    let recent = clean_at
        .as_deref()
        .and_then(crate::time::parse)
        .map(|at| chrono::Utc::now() - at)
        // A clock set back is no reason to trust an old look.
        .is_some_and(|age| age >= chrono::TimeDelta::zero() && age < LOOK_AT_LEAST_EVERY);
    Ok((fresh || clean != Some(count) || !recent).then_some(count))
}

/// Records that a look at `count` local writes found nothing to push.
async fn found_nothing(conn: &mut SqliteConnection, count: i64) -> Result<()> {
    sqlx::query("UPDATE team_link SET clean_changes = ?, clean_at = ? WHERE id = 1")
        .bind(count)
        .bind(crate::time::now())
        .execute(conn)
        .await?;
    Ok(())
}

/// Makes the next sync look through the shared rows: for writes to the
/// sync's own tables that change what goes up (a share, an undo).
pub(super) async fn look_again(conn: &mut SqliteConnection) -> Result<()> {
    sqlx::query("UPDATE team_link SET clean_changes = NULL WHERE id = 1")
        .execute(conn)
        .await?;
    Ok(())
}

/// Where this library stands with its team library.
pub async fn status(nb: &Notebook) -> Result<Status> {
    let link = link(nb).await?.ok_or(TeamError::NotJoined)?;
    nb.team_read(async |conn| {
        let projects = sqlx::query(&format!(
            "SELECT p.id, p.name FROM team_objects t JOIN projects p ON p.id = t.local_id \
             WHERE t.kind = 'project' AND {FOLLOWED} ORDER BY p.name"
        ))
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| SharedProject {
            id: r.get("id"),
            name: r.get("name"),
        })
        .collect();
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
        let deleted_highlights = deleted_highlights(conn, 200).await?;
        Ok(Status {
            link,
            projects,
            conflicts,
            deleted_notes: deleted,
            deleted_highlights,
        })
    })
    .await
}
