//! Organising the library: filtered lists, watch and archive flags, the
//! "viewed" mark, projects and tags. Writes spanning tables run in one
//! transaction and announce one change.

use redline::library::{self, FacetCount, SourceFilter};
use redline::projects::{self, DeletePlan, Project};
use redline::tags::{self, TagCount};
use redline::versions::Source;

use super::{conn, write};
use crate::error::ApiResult;
use crate::state::{AppState, ChangeOrigin};

pub async fn list_sources(app: &AppState, filter: SourceFilter) -> ApiResult<Vec<Source>> {
    let mut c = conn(&app.db).await?;
    Ok(library::list_sources(&mut c, &filter).await?)
}

pub async fn count_sources(app: &AppState, filter: SourceFilter) -> ApiResult<i64> {
    let mut c = conn(&app.db).await?;
    Ok(library::count_sources(&mut c, &filter).await?)
}

pub async fn list_sites(app: &AppState) -> ApiResult<Vec<FacetCount>> {
    let mut c = conn(&app.db).await?;
    Ok(library::list_sites(&mut c).await?)
}

pub async fn list_languages(app: &AppState) -> ApiResult<Vec<FacetCount>> {
    let mut c = conn(&app.db).await?;
    Ok(library::list_languages(&mut c).await?)
}

/// Watching resets a source's schedule (`redline::watch`): a newly watched
/// source is due at once, with a clean failure count.
pub async fn set_watched(app: &AppState, source_ids: Vec<i64>, watched: bool) -> ApiResult<()> {
    write(app, async |tx| {
        for &id in &source_ids {
            redline::watch::set_watched(tx, id, watched).await?;
        }
        Ok(())
    })
    .await
}

pub async fn set_archived(app: &AppState, source_ids: Vec<i64>, archived: bool) -> ApiResult<()> {
    write(app, async |tx| {
        library::set_archived(tx, &source_ids, archived)
            .await
            .map(drop)
    })
    .await
}

pub async fn mark_viewed(app: &AppState, source_id: i64, version_id: i64) -> ApiResult<()> {
    write(app, async |tx| {
        library::mark_viewed(tx, source_id, version_id)
            .await
            .map(drop)
    })
    .await
}

pub async fn list_projects(app: &AppState, include_archived: bool) -> ApiResult<Vec<Project>> {
    let mut c = conn(&app.db).await?;
    Ok(projects::list(&mut c, include_archived).await?)
}

pub async fn create_project(
    app: &AppState,
    name: String,
    description: String,
) -> ApiResult<Project> {
    write(app, async |tx| {
        projects::create(tx, &name, &description).await
    })
    .await
}

pub async fn rename_project(app: &AppState, project_id: i64, name: String) -> ApiResult<Project> {
    write(app, async |tx| {
        projects::rename(tx, project_id, &name).await
    })
    .await
}

pub async fn describe_project(
    app: &AppState,
    project_id: i64,
    description: String,
) -> ApiResult<Project> {
    write(app, async |tx| {
        projects::describe(tx, project_id, &description).await
    })
    .await
}

pub async fn archive_projects(
    app: &AppState,
    project_ids: Vec<i64>,
    archived: bool,
) -> ApiResult<()> {
    write(app, async |tx| {
        projects::set_archived(tx, &project_ids, archived)
            .await
            .map(drop)
    })
    .await
}

pub async fn project_delete_plan(app: &AppState, project_id: i64) -> ApiResult<DeletePlan> {
    let mut c = conn(&app.db).await?;
    Ok(projects::delete_plan(&mut c, project_id).await?)
}

pub async fn delete_project(
    app: &AppState,
    project_id: i64,
    also_sources: bool,
) -> ApiResult<DeletePlan> {
    let plan = projects::delete(&app.db, project_id, also_sources).await?;
    app.changed(ChangeOrigin::App);
    Ok(plan)
}

pub async fn add_sources_to_project(
    app: &AppState,
    project_id: i64,
    source_ids: Vec<i64>,
) -> ApiResult<()> {
    write(app, async |tx| {
        projects::add_sources(tx, project_id, &source_ids)
            .await
            .map(drop)
    })
    .await
}

pub async fn remove_sources_from_project(
    app: &AppState,
    project_id: i64,
    source_ids: Vec<i64>,
) -> ApiResult<()> {
    write(app, async |tx| {
        projects::remove_sources(tx, project_id, &source_ids)
            .await
            .map(drop)
    })
    .await
}

pub async fn add_notes_to_project(
    app: &AppState,
    project_id: i64,
    note_ids: Vec<i64>,
) -> ApiResult<()> {
    write(app, async |tx| {
        projects::add_notes(tx, project_id, &note_ids)
            .await
            .map(drop)
    })
    .await
}

pub async fn remove_notes_from_project(
    app: &AppState,
    project_id: i64,
    note_ids: Vec<i64>,
) -> ApiResult<()> {
    write(app, async |tx| {
        projects::remove_notes(tx, project_id, &note_ids)
            .await
            .map(drop)
    })
    .await
}

pub async fn source_projects(app: &AppState, source_id: i64) -> ApiResult<Vec<Project>> {
    let mut c = conn(&app.db).await?;
    Ok(projects::of_source(&mut c, source_id).await?)
}

pub async fn list_tags(app: &AppState) -> ApiResult<Vec<TagCount>> {
    let mut c = conn(&app.db).await?;
    Ok(tags::list(&mut c).await?)
}

pub async fn source_tags(app: &AppState, source_id: i64) -> ApiResult<Vec<String>> {
    let mut c = conn(&app.db).await?;
    Ok(tags::of_source(&mut c, source_id).await?)
}

pub async fn tag_sources(app: &AppState, source_ids: Vec<i64>, tag: String) -> ApiResult<()> {
    write(app, async |tx| {
        tags::tag_sources(tx, &source_ids, &tag).await.map(drop)
    })
    .await
}

pub async fn untag_sources(app: &AppState, source_ids: Vec<i64>, tag: String) -> ApiResult<()> {
    write(app, async |tx| {
        tags::untag_sources(tx, &source_ids, &tag).await.map(drop)
    })
    .await
}

pub async fn tag_notes(app: &AppState, note_ids: Vec<i64>, tag: String) -> ApiResult<()> {
    write(app, async |tx| {
        tags::tag_notes(tx, &note_ids, &tag).await.map(drop)
    })
    .await
}

pub async fn untag_notes(app: &AppState, note_ids: Vec<i64>, tag: String) -> ApiResult<()> {
    write(app, async |tx| {
        tags::untag_notes(tx, &note_ids, &tag).await.map(drop)
    })
    .await
}

pub async fn rename_tag(app: &AppState, from: String, to: String) -> ApiResult<()> {
    write(app, async |tx| tags::rename(tx, &from, &to).await).await
}

pub async fn delete_tag(app: &AppState, tag: String) -> ApiResult<()> {
    write(app, async |tx| tags::delete(tx, &tag).await).await
}

pub async fn merge_tags(app: &AppState, from: Vec<String>, into: String) -> ApiResult<()> {
    let from: Vec<&str> = from.iter().map(String::as_str).collect();
    write(app, async |tx| tags::merge(tx, &from, &into).await).await
}
