//! Tags and highlights on shared sources: registers that are last-writer-
//! wins, with tombstones for what was removed.

use super::*;

pub(super) fn source_tag(source: &str, tag: &str, present: bool) -> Item {
    Item::SourceTag(SourceTagBody {
        source: source.to_string(),
        tag: tag.to_string(),
        present,
    })
}

/// Whether the source carries the tag here (names compare as the library's
/// `NOCASE` does).
pub(super) async fn tagged_here(
    conn: &mut SqliteConnection,
    source: i64,
    tag: &str,
) -> Result<bool> {
    let names = crate::tags::of_source(conn, source).await?;
    Ok(names.iter().any(|n| n.eq_ignore_ascii_case(tag.trim())))
}

/// A member tagged or untagged a shared source. Like a membership: the
/// server's last writer wins, unless the tag changed here since the last
/// sync (then this desk's change goes up next and wins in its turn). A tag
/// new here keeps the spelling it arrived with.
pub(super) async fn apply_source_tag(
    conn: &mut SqliteConnection,
    key: &str,
    t: &SourceTagBody,
) -> Result<()> {
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
pub(super) async fn collect_source_tags(
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

pub(super) fn highlight_item(version: &str, h: &Highlight, deleted: bool) -> Item {
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
pub(super) async fn highlight_body(
    conn: &mut SqliteConnection,
    key: &str,
) -> Result<Option<HighlightBody>> {
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
pub(super) async fn keep_highlight_body(
    conn: &mut SqliteConnection,
    key: &str,
    item: &Item,
) -> Result<()> {
    sqlx::query("UPDATE team_objects SET body = ? WHERE kind = 'highlight' AND key = ?")
        .bind(serde_json::to_string(item).expect("items serialise"))
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

/// The local row of a shared highlight. A row id freed by a deletion can be
/// taken by a new highlight; the creation time tells them apart.
pub(super) async fn highlight_here(
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
pub(super) async fn apply_highlight(
    conn: &mut SqliteConnection,
    key: &str,
    h: &HighlightBody,
) -> Result<()> {
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
pub(super) async fn collect_highlights(
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
pub(super) async fn collect_highlight_deletions(
    conn: &mut SqliteConnection,
    out: &mut Outgoing,
) -> Result<()> {
    // Only the synced, present highlights whose row here is gone (or is
    // another highlight now): one query, not a lookup per shared highlight,
    // since the app runs this every minute.
    let known: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT t.key, t.local_id FROM team_objects t \
         LEFT JOIN highlights h ON h.id = t.local_id \
         WHERE t.kind = 'highlight' AND t.body IS NOT NULL \
           AND json_extract(t.body, '$.deleted') = 0 \
           AND (h.id IS NULL OR h.created_at IS NOT json_extract(t.body, '$.created_at')) \
         ORDER BY t.key",
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

/// A shared highlight a member deleted, as the team library last had it.
#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DeletedHighlight {
    pub key: String,
    /// The passage and the comment, kept by the tombstone.
    pub text: String,
    pub comment: String,
    /// The title of the version it was on (empty if that has not arrived).
    pub title: String,
}

/// The newest shared highlights that are deleted here, at most `limit`.
pub(super) async fn deleted_highlights(
    conn: &mut SqliteConnection,
    limit: i64,
) -> Result<Vec<DeletedHighlight>> {
    let rows: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT key, local_id FROM team_objects WHERE kind = 'highlight' \
         AND json_extract(body, '$.deleted') = 1 ORDER BY rowid DESC LIMIT ?",
    )
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for (key, local_id) in rows {
        let Some(h) = highlight_body(conn, &key).await? else {
            continue;
        };
        // Restored here, not yet synced: no longer deleted for this desk.
        if highlight_here(conn, local_id, &h.created_at)
            .await?
            .is_some()
        {
            continue;
        }
        let title: Option<String> = match mapped(conn, "version", &h.version).await? {
            Some((Some(v), _)) => {
                sqlx::query_scalar("SELECT title FROM versions WHERE id = ?")
                    .bind(v)
                    .fetch_optional(&mut *conn)
                    .await?
            }
            _ => None,
        };
        out.push(DeletedHighlight {
            key,
            text: h.text,
            comment: h.comment,
            title: title.unwrap_or_default(),
        });
    }
    Ok(out)
}

/// Brings back a shared highlight a member deleted: made again here from
/// its tombstone (same passage, comment and creation time), it goes up as
/// present with the next sync and comes back on every desk.
pub async fn undelete_highlight(nb: &Notebook, key: &str) -> Result<()> {
    nb.team_write(async |conn| {
        let last = highlight_body(conn, key)
            .await?
            .filter(|h| h.deleted)
            .ok_or_else(|| Error::not_found("deleted shared highlight", key))?;
        let (synced, version) = match (
            mapped(conn, "highlight", key).await?,
            mapped(conn, "version", &last.version).await?,
        ) {
            // Restored here already (its sync has not run yet): nothing to do.
            (Some((local, _)), _)
                if highlight_here(conn, local, &last.created_at)
                    .await?
                    .is_some() =>
            {
                return Ok(());
            }
            (Some((_, synced)), Some((Some(version), _))) => (synced, version),
            _ => {
                return Err(Error::Invalid(format!(
                    "highlight {key}: its version is not in this library"
                )))
            }
        };
        let (start, end) = (last.start.max(0) as usize, last.end.max(0) as usize);
        let made = highlights::create_at(
            conn,
            version,
            start,
            end,
            &last.comment,
            &last.label,
            &last.created_at,
        )
        .await?;
        set_mapped(conn, "highlight", key, Some(made.id), synced.as_deref()).await
    })
    .await
}
