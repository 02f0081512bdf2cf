//! Organising the library: filtered lists, the watch and archive flags, the
//! "viewed" mark, projects and tags. Writes that span tables run in one
//! transaction and announce one change.

use serde::{Deserialize, Serialize};

use super::{ChangeKind, Notebook};
use crate::error::Result;
use crate::library::{self, FacetCount, SourceFilter};
use crate::projects::{self, DeletePlan, Project};
use crate::tags::{self, TagCount};
use crate::versions::Source;

/// How many sources and notes a bulk action changed.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Counted {
    pub sources: u64,
    pub notes: u64,
}

/// A project after sources and notes went in or out, and how many did.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Membership {
    pub project: Project,
    pub sources: u64,
    pub notes: u64,
}

impl Notebook {
    pub async fn sources(&self, filter: &SourceFilter) -> Result<Vec<Source>> {
        self.read(async |c| library::list_sources(c, filter).await)
            .await
    }

    pub async fn count_sources(&self, filter: &SourceFilter) -> Result<i64> {
        self.read(async |c| library::count_sources(c, filter).await)
            .await
    }

    /// Outlets with how many sources each.
    pub async fn sites(&self) -> Result<Vec<FacetCount>> {
        self.read(async |c| library::list_sites(c).await).await
    }

    pub async fn languages(&self) -> Result<Vec<FacetCount>> {
        self.read(async |c| library::list_languages(c).await).await
    }

    /// Turns watching on or off; returns how many sources changed. Either way
    /// the schedule starts afresh (`crate::watch`): a newly watched source is
    /// due at once, with a clean failure count.
    pub async fn set_watched(&self, source_ids: &[i64], watched: bool) -> Result<u64> {
        self.write(ChangeKind::Sources, async |c| {
            let n = library::set_watched(c, source_ids, watched).await?;
            for &id in source_ids {
                crate::watch::set_watched(c, id, watched).await?;
            }
            Ok(n)
        })
        .await
    }

    /// Archives (or brings back) sources; returns how many changed.
    pub async fn set_archived(&self, source_ids: &[i64], archived: bool) -> Result<u64> {
        self.write(ChangeKind::Sources, async |c| {
            library::set_archived(c, source_ids, archived).await
        })
        .await
    }

    /// Records that the reporter opened a version (only ever moves forward).
    pub async fn mark_viewed(&self, source_id: i64, version_id: i64) -> Result<()> {
        self.write(ChangeKind::Sources, async |c| {
            library::mark_viewed(c, source_id, version_id).await
        })
        .await
    }

    // ---- projects

    pub async fn projects(&self, include_archived: bool) -> Result<Vec<Project>> {
        self.read(async |c| projects::list(c, include_archived).await)
            .await
    }

    /// A project by id or by name.
    pub async fn resolve_project(&self, id_or_name: &str) -> Result<Project> {
        self.read(async |c| projects::resolve(c, id_or_name).await)
            .await
    }

    /// The projects a source belongs to (a feed rule files its clips into one).
    pub async fn projects_of_source(&self, source_id: i64) -> Result<Vec<Project>> {
        self.read(async |c| projects::of_source(c, source_id).await)
            .await
    }

    pub async fn create_project(&self, name: &str, description: &str) -> Result<Project> {
        self.write(ChangeKind::Projects, async |c| {
            projects::create(c, name, description).await
        })
        .await
    }

    pub async fn rename_project(&self, project_id: i64, name: &str) -> Result<Project> {
        self.write(ChangeKind::Projects, async |c| {
            projects::rename(c, project_id, name).await
        })
        .await
    }

    pub async fn describe_project(&self, project_id: i64, description: &str) -> Result<Project> {
        self.write(ChangeKind::Projects, async |c| {
            projects::describe(c, project_id, description).await
        })
        .await
    }

    /// Archives (or brings back) projects; returns how many changed.
    pub async fn archive_projects(&self, project_ids: &[i64], archived: bool) -> Result<u64> {
        self.write(ChangeKind::Projects, async |c| {
            projects::set_archived(c, project_ids, archived).await
        })
        .await
    }

    /// What deleting a project would delete and keep.
    pub async fn project_delete_plan(&self, project_id: i64) -> Result<DeletePlan> {
        self.read(async |c| projects::delete_plan(c, project_id).await)
            .await
    }

    /// Deletes a project (and, with `also_sources`, the sources no other
    /// project holds); returns the plan carried out.
    pub async fn delete_project(&self, project_id: i64, also_sources: bool) -> Result<DeletePlan> {
        // Sources may go too: every list refreshes.
        self.wrote(
            ChangeKind::Library,
            projects::delete(&self.db, project_id, also_sources),
        )
        .await
    }

    /// Puts sources and notes into a project.
    pub async fn add_to_project(
        &self,
        project_id: i64,
        source_ids: &[i64],
        note_ids: &[i64],
    ) -> Result<Membership> {
        self.write(ChangeKind::Projects, async |c| {
            let sources = projects::add_sources(c, project_id, source_ids).await?;
            let notes = projects::add_notes(c, project_id, note_ids).await?;
            let project = projects::get(c, project_id).await?;
            Ok(Membership {
                project,
                sources,
                notes,
            })
        })
        .await
    }

    /// Takes sources and notes out of a project (they stay in the library).
    pub async fn remove_from_project(
        &self,
        project_id: i64,
        source_ids: &[i64],
        note_ids: &[i64],
    ) -> Result<Membership> {
        self.write(ChangeKind::Projects, async |c| {
            let sources = projects::remove_sources(c, project_id, source_ids).await?;
            let notes = projects::remove_notes(c, project_id, note_ids).await?;
            let project = projects::get(c, project_id).await?;
            Ok(Membership {
                project,
                sources,
                notes,
            })
        })
        .await
    }

    // ---- tags

    pub async fn tags(&self) -> Result<Vec<TagCount>> {
        self.read(async |c| tags::list(c).await).await
    }

    pub async fn tags_of_source(&self, source_id: i64) -> Result<Vec<String>> {
        self.read(async |c| tags::of_source(c, source_id).await)
            .await
    }

    /// Labels sources and notes with a tag (created if needed).
    pub async fn tag(&self, tag: &str, source_ids: &[i64], note_ids: &[i64]) -> Result<Counted> {
        self.write(ChangeKind::Tags, async |c| {
            let sources = if source_ids.is_empty() {
                0
            } else {
                tags::tag_sources(c, source_ids, tag).await?
            };
            let notes = if note_ids.is_empty() {
                0
            } else {
                tags::tag_notes(c, note_ids, tag).await?
            };
            Ok(Counted { sources, notes })
        })
        .await
    }

    /// Removes a tag from sources and notes (the tag itself stays).
    pub async fn untag(&self, tag: &str, source_ids: &[i64], note_ids: &[i64]) -> Result<Counted> {
        self.write(ChangeKind::Tags, async |c| {
            let sources = tags::untag_sources(c, source_ids, tag).await?;
            let notes = tags::untag_notes(c, note_ids, tag).await?;
            Ok(Counted { sources, notes })
        })
        .await
    }

    /// Renames a tag (letter case included).
    pub async fn rename_tag(&self, from: &str, to: &str) -> Result<()> {
        self.write(ChangeKind::Tags, async |c| tags::rename(c, from, to).await)
            .await
    }

    /// Deletes a tag; what it labelled stays.
    pub async fn delete_tag(&self, tag: &str) -> Result<()> {
        self.write(ChangeKind::Tags, async |c| tags::delete(c, tag).await)
            .await
    }

    /// Folds tags into one.
    pub async fn merge_tags(&self, from: &[String], into: &str) -> Result<()> {
        let from: Vec<&str> = from.iter().map(String::as_str).collect();
        self.write(ChangeKind::Tags, async |c| {
            tags::merge(c, &from, into).await
        })
        .await
    }
}
