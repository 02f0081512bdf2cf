//! Shared notes: every save is a revision with parents; two heads are a
//! conflict shown in the note until the reporter saves it.

use super::*;
use crate::citations::{self, CitationKind};

/// A note revision's key: its note, parents and text. Pushing the same
/// save again (its first answer was lost) names the same revision, which
/// the server already holds, instead of a second head in conflict with it.
pub(super) fn revision_key(note: &str, parents: &[String], title: &str, body: &str) -> String {
    let text = format!("{note}\u{1f}{}\u{1f}{title}\u{1f}{body}", parents.join(","));
    sha256_hex(text.as_bytes())[..32].to_string()
}

pub(super) fn text_sha(title: &str, body: &str) -> String {
    sha256_hex(format!("{title}\u{1f}{body}").as_bytes())
}

pub(super) async fn keep_revision(
    conn: &mut SqliteConnection,
    key: &str,
    r: &NoteRevisionBody,
    author: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT OR IGNORE INTO team_note_revisions (key, note, parents, title, body, saved_at, \
           author, citations) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(key)
    .bind(&r.note)
    .bind(serde_json::to_string(&r.parents).expect("strings serialise"))
    .bind(&r.title)
    .bind(&r.body)
    .bind(&r.saved_at)
    .bind(author)
    .bind(
        r.citations
            .as_ref()
            .map(|c| serde_json::to_string(c).expect("strings serialise")),
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The team object kind and citation letter of a citation.
fn cited(kind: CitationKind) -> (&'static str, char) {
    match kind {
        CitationKind::Highlight => ("highlight", 'h'),
        CitationKind::Version => ("version", 'v'),
        CitationKind::Source => ("source", 's'),
    }
}

/// The team keys of the citations in a note's text that point at shared
/// items (`"h12"` → the highlight's key).
pub(super) async fn citation_keys(
    conn: &mut SqliteConnection,
    body: &str,
) -> Result<BTreeMap<String, String>> {
    let mut keys = BTreeMap::new();
    for c in citations::parse(body) {
        let (kind, letter) = cited(c.kind);
        let key = match key_of(conn, kind, c.id).await? {
            Some(key) => Some(key),
            // A version going up in this same push is keyed by its source
            // and text, before the push records it.
            None if kind == "version" => {
                let row: Option<(i64, String)> =
                    sqlx::query_as("SELECT source_id, text_sha256 FROM versions WHERE id = ?")
                        .bind(c.id)
                        .fetch_optional(&mut *conn)
                        .await?;
                match row {
                    Some((source, sha)) => key_of(conn, "source", source)
                        .await?
                        .map(|skey| version_key(&skey, &sha)),
                    None => None,
                }
            }
            None => None,
        };
        if let Some(key) = key {
            keys.insert(format!("{letter}{}", c.id), key);
        }
    }
    Ok(keys)
}

/// A member's note text with its citations' ids made this desk's own,
/// through the keys the revision carries. A citation that does not resolve
/// here (an item not shared) is escaped, so it reads as text instead of
/// pointing at an unrelated item of this library. Revisions from before
/// citations travelled (no keys) are taken as they are.
async fn local_citations(
    conn: &mut SqliteConnection,
    body: &str,
    keys: Option<&BTreeMap<String, String>>,
) -> Result<String> {
    let Some(keys) = keys else {
        return Ok(body.to_string());
    };
    let mut out = String::with_capacity(body.len());
    let mut last = 0;
    for c in citations::parse(body) {
        let (kind, letter) = cited(c.kind);
        let (start, end) = c.range;
        out.push_str(&body[last..start]);
        let local = match keys.get(&format!("{letter}{}", c.id)) {
            Some(key) => mapped(conn, kind, key).await?.and_then(|m| m.0),
            None => None,
        };
        match local {
            Some(id) => out.push_str(&format!("[@{letter}{id}]")),
            None => {
                out.push('\\');
                out.push_str(&body[start..end]);
            }
        }
        last = end;
    }
    out.push_str(&body[last..]);
    Ok(out)
}

/// The sync state of a shared note here.
#[derive(Clone, Debug, Default)]
pub(super) struct NoteState {
    pub(super) note_id: Option<i64>,
    pub(super) heads: Vec<String>,
    pub(super) base: Option<String>,
    pub(super) projects: Vec<String>,
    pub(super) deleted: bool,
    /// (revision key, text hash) pushed and not yet acknowledged.
    pub(super) pending: Option<(String, String)>,
}

pub(super) async fn note_state(
    conn: &mut SqliteConnection,
    key: &str,
) -> Result<Option<NoteState>> {
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

pub(super) async fn set_note_state(
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
pub(super) async fn text_of(
    conn: &mut SqliteConnection,
    heads: &[String],
) -> Result<Option<(String, String)>> {
    type Row = (
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
    );
    let mut revs: Vec<(String, String, String, String, Option<String>)> = Vec::new();
    for h in heads {
        let row: Option<Row> = sqlx::query_as(
            "SELECT key, title, body, saved_at, author, citations FROM team_note_revisions \
             WHERE key = ?",
        )
        .bind(h)
        .fetch_optional(&mut *conn)
        .await?;
        let Some((key, title, body, saved_at, author, cites)) = row else {
            return Ok(None);
        };
        let keys: Option<BTreeMap<String, String>> =
            cites.and_then(|c| serde_json::from_str(&c).ok());
        let body = local_citations(conn, &body, keys.as_ref()).await?;
        revs.push((key, title, body, saved_at, author));
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
pub(super) async fn apply_note(
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

pub(super) async fn collect_notes(
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
pub(super) async fn note_out(
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
            // Team projects this desk does not pull (`team unfollow`) keep
            // the note: it cannot see them, so it does not take it out.
            let here: BTreeSet<&String> = project_keys.values().collect();
            projects.extend(state.projects.iter().filter(|p| !here.contains(p)).cloned());
            projects.sort();
            projects.dedup();
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
                        citations: Some(citation_keys(conn, &n.body).await?),
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
        super::look_again(conn).await
    })
    .await
}
