//! Projects, sources, versions, captures and project membership: applying
//! what members pushed. Versions and captures are immutable and meet by
//! hash; the rest is last-writer-wins.

use super::*;

pub(super) async fn local_project(conn: &mut SqliteConnection, id: i64) -> Result<Option<Item>> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT name, description FROM projects WHERE id = ?")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(name, description)| Item::Project(ProjectBody { name, description })))
}

pub(super) async fn local_source(conn: &mut SqliteConnection, id: i64) -> Result<Option<Item>> {
    let row: Option<(Option<String>, Option<String>, bool)> =
        sqlx::query_as("SELECT url_key, url, watched FROM sources WHERE id = ?")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(url_key, url, watched)| {
        Item::Source(SourceBody {
            url_key,
            url,
            watched: Some(watched),
        })
    }))
}

pub(super) async fn apply_project(
    conn: &mut SqliteConnection,
    key: &str,
    p: &ProjectBody,
) -> Result<()> {
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

pub(super) async fn apply_source(
    conn: &mut SqliteConnection,
    key: &str,
    s: &SourceBody,
) -> Result<()> {
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
    if let (Some(Item::Source(l)), Some(watched)) = (&local, s.watched) {
        if l.watched != Some(watched) {
            // Due at once here too; the lease decides which desk fetches.
            crate::watch::set_watched(conn, id, watched).await?;
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

pub(super) async fn version_by_hash(
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

pub(super) async fn apply_version(
    conn: &mut SqliteConnection,
    key: &str,
    v: &VersionBody,
) -> Result<()> {
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
            // The clip path's own insert. Quotes are derived, not synced:
            // found here as the clip path finds them, so a synced story's
            // quotes are listed and searched.
            let found = quotes::find_quotes(&article.blocks);
            let new = versions::NewVersion {
                article: &article,
                low_confidence: None,
                text_sha256: &v.text_sha256,
                stems: None,
                quotes: &found,
                words_later: false,
            };
            let version =
                versions::insert_version_and_quotes(conn, source, &new, &v.created_at).await?;
            // A revision a member found restarts this desk's decay too.
            if let Some(at) = crate::time::parse(&v.created_at) {
                crate::schedule::changed_elsewhere(conn, source, at).await?;
            }
            version.id
        }
    };
    set_mapped(conn, "version", key, Some(id), Some("")).await
}

pub(super) fn method(s: &str) -> CaptureMethod {
    match s {
        "file" => CaptureMethod::File,
        "paste" => CaptureMethod::Paste,
        "browser" => CaptureMethod::Browser,
        "feed" => CaptureMethod::Feed,
        _ => CaptureMethod::Fetch,
    }
}

pub(super) fn outcome(s: &str) -> CaptureOutcome {
    match s {
        "new_version" => CaptureOutcome::NewVersion,
        "unchanged" => CaptureOutcome::Unchanged,
        "not_modified" => CaptureOutcome::NotModified,
        _ => CaptureOutcome::Failed,
    }
}

pub(super) async fn capture_here(
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

pub(super) async fn apply_capture(
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

pub(super) async fn in_project(
    conn: &mut SqliteConnection,
    project: i64,
    source: i64,
) -> Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM project_sources WHERE project_id = ? AND source_id = ?")
            .bind(project)
            .bind(source)
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

pub(super) fn membership(project: &str, source: &str, present: bool) -> Item {
    Item::Membership(MembershipBody {
        project: project.to_string(),
        source: source.to_string(),
        present,
    })
}

pub(super) async fn apply_membership(
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
