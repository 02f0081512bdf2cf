//! `redline project …`: create, list, rename, describe, archive, delete, and
//! move sources and notes in and out.

use clap::{Args, Subcommand};
use redline::notebook::Membership;
use redline::projects::{DeletePlan, Project};
use redline::{Error, Notebook};
use serde::Serialize;

use super::print_json;

#[derive(Subcommand)]
pub enum ProjectCommand {
    /// Create a project.
    New {
        name: String,
        #[arg(long, short, default_value = "")]
        description: String,
    },
    /// List projects with their source and note counts.
    List {
        /// Include archived projects.
        #[arg(long)]
        all: bool,
    },
    /// Rename a project (by id or name).
    Rename { project: String, name: String },
    /// Set a project's description.
    Describe {
        project: String,
        description: String,
    },
    /// Archive projects (or bring them back with --undo).
    Archive {
        #[arg(required = true)]
        projects: Vec<String>,
        #[arg(long)]
        undo: bool,
    },
    /// Delete a project: shows what would go; deletes only with --yes.
    Delete {
        project: String,
        /// Also delete the sources no other project holds.
        #[arg(long)]
        sources: bool,
        /// Carry out the delete (without it, only the plan is shown).
        #[arg(long)]
        yes: bool,
    },
    /// Put sources and notes into a project.
    Add(Members),
    /// Take sources and notes out of a project (they stay in the library).
    Remove(Members),
}

#[derive(Args)]
pub struct Members {
    pub project: String,
    /// Source ids.
    #[arg(value_delimiter = ',')]
    pub sources: Vec<i64>,
    /// Note ids.
    #[arg(long = "note", value_delimiter = ',')]
    pub notes: Vec<i64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Deleted {
    deleted: bool,
    also_sources: bool,
    plan: DeletePlan,
}

fn print_project(p: &Project) {
    let archived = if p.archived { "  (archived)" } else { "" };
    println!(
        "{:>4}  {}  — {} sources, {} notes{archived}",
        p.id, p.name, p.source_count, p.note_count
    );
    if !p.description.is_empty() {
        println!("      {}", p.description);
    }
}

fn print_plan(plan: &DeletePlan, also_sources: bool, deleted: bool) {
    let verb = if deleted { "Deleted" } else { "Would delete" };
    println!(
        "{verb} project {} \"{}\".",
        plan.project.id, plan.project.name
    );
    if !plan.exclusive_sources.is_empty() {
        if also_sources {
            println!("Sources deleted (in no other project):");
        } else {
            println!("Sources kept, no longer in any project (add --sources to delete them):");
        }
        for s in &plan.exclusive_sources {
            println!("  {:>5}  {}", s.id, s.title);
        }
    }
    if !plan.shared_sources.is_empty() {
        println!("Sources kept (another project holds them):");
        for s in &plan.shared_sources {
            println!(
                "  {:>5}  {}  ({} other projects)",
                s.id, s.title, s.other_projects
            );
        }
    }
    if !plan.notes.is_empty() {
        println!("Notes kept (notes are never deleted with a project):");
        for n in &plan.notes {
            println!("  {:>5}  {}", n.id, n.title);
        }
    }
    if !deleted {
        println!("Nothing was deleted. Run again with --yes to delete.");
    }
}

pub async fn run(command: ProjectCommand, nb: &Notebook, json: bool) -> Result<(), Error> {
    match command {
        ProjectCommand::New { name, description } => {
            let p = nb.create_project(&name, &description).await?;
            if json {
                return print_json(&p);
            }
            println!("Created project {} \"{}\".", p.id, p.name);
        }
        ProjectCommand::List { all } => {
            let list = nb.projects(all).await?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                println!("No projects yet. Create one: redline project new NAME");
            }
            list.iter().for_each(print_project);
        }
        ProjectCommand::Rename { project, name } => {
            let id = nb.resolve_project(&project).await?.id;
            let p = nb.rename_project(id, &name).await?;
            if json {
                return print_json(&p);
            }
            println!("Renamed project {} to \"{}\".", p.id, p.name);
        }
        ProjectCommand::Describe {
            project,
            description,
        } => {
            let id = nb.resolve_project(&project).await?.id;
            let p = nb.describe_project(id, &description).await?;
            if json {
                return print_json(&p);
            }
            print_project(&p);
        }
        ProjectCommand::Archive {
            projects: names,
            undo,
        } => {
            let mut ids = Vec::new();
            for n in &names {
                ids.push(nb.resolve_project(n).await?.id);
            }
            let changed = nb.archive_projects(&ids, !undo).await?;
            if json {
                return print_json(&serde_json::json!({ "changed": changed }));
            }
            let what = if undo { "Unarchived" } else { "Archived" };
            println!("{what} {changed} project(s).");
        }
        ProjectCommand::Delete {
            project,
            sources,
            yes,
        } => {
            let id = nb.resolve_project(&project).await?.id;
            let plan = if yes {
                nb.delete_project(id, sources).await?
            } else {
                nb.project_delete_plan(id).await?
            };
            if json {
                return print_json(&Deleted {
                    deleted: yes,
                    also_sources: sources,
                    plan,
                });
            }
            print_plan(&plan, sources, yes);
        }
        ProjectCommand::Add(m) | ProjectCommand::Remove(m)
            if m.sources.is_empty() && m.notes.is_empty() =>
        {
            return Err(Error::Invalid(format!(
                "name some source ids (or --note ids) for project {}",
                m.project
            )));
        }
        ProjectCommand::Add(m) => {
            let id = nb.resolve_project(&m.project).await?.id;
            let c = nb.add_to_project(id, &m.sources, &m.notes).await?;
            report_changed(c, "Added", json)?;
        }
        ProjectCommand::Remove(m) => {
            let id = nb.resolve_project(&m.project).await?.id;
            let c = nb.remove_from_project(id, &m.sources, &m.notes).await?;
            report_changed(c, "Removed", json)?;
        }
    }
    Ok(())
}

/// Says what an add or remove changed, with the project's new counts.
fn report_changed(c: Membership, verb: &str, json: bool) -> Result<(), Error> {
    if json {
        return print_json(&c);
    }
    println!(
        "{verb} {} source(s) and {} note(s); \"{}\" now holds {} sources, {} notes.",
        c.sources, c.notes, c.project.name, c.project.source_count, c.project.note_count
    );
    Ok(())
}
