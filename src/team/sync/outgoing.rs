//! What this desk pushes: every shared row whose object differs from the
//! one last agreed with the server.

use super::*;

/// What this library pushes: objects, and the local rows they stand for.
#[derive(Default)]
pub(super) struct Outgoing {
    pub(super) objects: Vec<Object>,
    pub(super) local: Vec<Option<i64>>,
    /// (raw sha256, capture id) of captures whose bytes go up first.
    pub(super) blobs: Vec<(String, i64)>,
    /// Per pushed note: key, state to record once the push is done.
    pub(super) notes: Vec<(String, NoteState)>,
}

impl Outgoing {
    /// Keeps the first `n` objects (fewer when the cut would part a note
    /// revision from its note, which would read as a conflict later).
    pub(super) fn truncate(&mut self, n: usize) {
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

    pub(super) fn add(&mut self, key: String, item: Item, local: Option<i64>) {
        self.objects.push(Object {
            key,
            version: 0,
            author: None,
            item,
        });
        self.local.push(local);
    }
}

pub(super) async fn shared_projects(conn: &mut SqliteConnection) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(&format!(
        "SELECT t.key, p.id FROM team_objects t JOIN projects p ON p.id = t.local_id \
         WHERE t.kind = 'project' AND {FOLLOWED} ORDER BY p.id"
    ))
    .fetch_all(conn)
    .await?)
}

/// Everything that changed here in the shared projects since the last sync.
pub(super) async fn collect(conn: &mut SqliteConnection) -> Result<Outgoing> {
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
pub(super) async fn source_of(
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
