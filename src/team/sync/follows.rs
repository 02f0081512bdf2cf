//! Which of the team's projects this desk pulls. By default a desk pulls
//! the whole team library; once it follows projects it pulls only those,
//! each from its own cursor, so joining a library of a million versions to
//! work on one desk's project costs that project, not the library. The
//! server keeps each project's scope (`migrations-pg/…_project_scopes.sql`):
//! a story added to a followed project later arrives with its older versions.

use super::*;

/// A project of the team library, as `redline team projects` lists it.
#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamProject {
    pub key: String,
    pub name: String,
    /// Whether this desk pulls it (every project, when it follows none in particular).
    pub followed: bool,
}

/// Whether this desk pulls chosen projects only (else the whole library).
pub(super) async fn follows_projects(conn: &mut SqliteConnection) -> Result<bool> {
    let on: Option<i64> = sqlx::query_scalar("SELECT follows_projects FROM team_link WHERE id = 1")
        .fetch_optional(conn)
        .await?;
    Ok(on == Some(1))
}

/// The followed projects' keys and cursors.
pub(super) async fn follows(conn: &mut SqliteConnection) -> Result<Vec<(String, i64)>> {
    Ok(
        sqlx::query_as("SELECT project, since_version FROM team_follows ORDER BY project")
            .fetch_all(conn)
            .await?,
    )
}

pub(super) async fn set_follow_since(nb: &Notebook, project: &str, version: i64) -> Result<()> {
    nb.team_bookkeeping(async |conn| {
        sqlx::query("UPDATE team_follows SET since_version = ? WHERE project = ?")
            .bind(version)
            .bind(project)
            .execute(&mut *conn)
            .await?;
        Ok(())
    })
    .await
}

/// After a push on the followed projects' cursors: each moves to the
/// library's new version (the push was made on the version they all
/// reached, and nobody wrote between), unless its links brought older
/// objects into a scope: those are pulled next.
pub(super) async fn after_push(nb: &Notebook, pushed: &Pushed) -> Result<()> {
    if pushed.brought_older {
        return Ok(());
    }
    nb.team_bookkeeping(async |conn| {
        sqlx::query("UPDATE team_follows SET since_version = max(since_version, ?)")
            .bind(pushed.version)
            .execute(&mut *conn)
            .await?;
        Ok(())
    })
    .await
}

/// The team's projects, marked with whether this desk pulls them.
pub async fn team_projects(nb: &Notebook) -> Result<Vec<TeamProject>> {
    let (client, link) = client(nb).await?;
    let (list, _) = client.projects(link.library_id).await?;
    let (chosen, followed): (bool, BTreeSet<String>) = nb
        .team_read(async |conn| {
            let chosen = follows_projects(conn).await?;
            let keys = follows(conn).await?.into_iter().map(|(k, _)| k).collect();
            Ok((chosen, keys))
        })
        .await?;
    Ok(list
        .projects
        .into_iter()
        .filter_map(|o| match o.item {
            Item::Project(p) => Some(TeamProject {
                followed: !chosen || followed.contains(&o.key),
                key: o.key,
                name: p.name,
            }),
            _ => None,
        })
        .collect())
}

/// The team project named `name` (or keyed so).
async fn find(nb: &Notebook, name: &str) -> Result<TeamProject> {
    let all = team_projects(nb).await?;
    let name = name.trim();
    all.iter()
        .find(|p| p.key == name)
        .or_else(|| all.iter().find(|p| p.name == name))
        .or_else(|| all.iter().find(|p| p.name.eq_ignore_ascii_case(name)))
        .cloned()
        .ok_or_else(|| Error::Invalid(format!("the team library has no project {name:?}")))
}

/// Follows the project keyed `key` from its start (a follow already there
/// keeps its cursor).
pub(super) async fn add_follow(conn: &mut SqliteConnection, key: &str) -> Result<()> {
    sqlx::query("INSERT OR IGNORE INTO team_follows (project) VALUES (?)")
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Moves a desk that pulls the whole library to pulling chosen projects:
/// those it already has stay followed, each from where the library's
/// cursor stood (it had pulled everything up to there).
async fn choose_projects(conn: &mut SqliteConnection) -> Result<()> {
    if follows_projects(conn).await? {
        return Ok(());
    }
    sqlx::query(
        "INSERT OR IGNORE INTO team_follows (project, since_version) \
         SELECT t.key, l.since_version FROM team_objects t, team_link l \
         WHERE t.kind = 'project' AND l.id = 1",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE team_link SET follows_projects = 1 WHERE id = 1")
        .execute(conn)
        .await?;
    Ok(())
}

/// Follows a team project: the next sync pulls it from its start.
pub async fn follow(nb: &Notebook, name: &str) -> Result<TeamProject> {
    set_followed(nb, name, true).await
}

/// Stops following a team project: it is neither pulled nor pushed any
/// more. What this desk has of it stays here.
pub async fn unfollow(nb: &Notebook, name: &str) -> Result<TeamProject> {
    set_followed(nb, name, false).await
}

async fn set_followed(nb: &Notebook, name: &str, followed: bool) -> Result<TeamProject> {
    let project = find(nb, name).await?;
    let key = project.key.clone();
    nb.team_write(async |conn| {
        choose_projects(conn).await?;
        if followed {
            add_follow(conn, &key).await?;
        } else {
            sqlx::query("DELETE FROM team_follows WHERE project = ?")
                .bind(&key)
                .execute(&mut *conn)
                .await?;
        }
        look_again(conn).await
    })
    .await?;
    Ok(TeamProject {
        followed,
        ..project
    })
}

/// Follows exactly `names` (a desk joining a large library for one desk's
/// work): checked against the team's projects before anything changes.
pub async fn follow_only(nb: &Notebook, names: &[String]) -> Result<Vec<TeamProject>> {
    let mut chosen = Vec::new();
    for name in names {
        chosen.push(find(nb, name).await?);
    }
    nb.team_write(async |conn| {
        choose_projects(conn).await?;
        let keys: BTreeSet<&str> = chosen.iter().map(|p| p.key.as_str()).collect();
        for (key, _) in follows(conn).await? {
            if !keys.contains(key.as_str()) {
                sqlx::query("DELETE FROM team_follows WHERE project = ?")
                    .bind(&key)
                    .execute(&mut *conn)
                    .await?;
            }
        }
        for key in keys {
            add_follow(conn, key).await?;
        }
        look_again(conn).await
    })
    .await?;
    Ok(chosen
        .into_iter()
        .map(|p| TeamProject {
            followed: true,
            ..p
        })
        .collect())
}

/// The SQL condition a shared project's `team_objects` row `t` meets: every
/// mapped project, or the followed ones when the desk chose.
pub(super) const FOLLOWED: &str = "((SELECT follows_projects FROM team_link WHERE id = 1) = 0 \
     OR t.key IN (SELECT project FROM team_follows))";
