//! `redline serve` (the team sync service) and `redline team …` (a
//! desktop library's link to a team library, and member management).

use std::io::Write;
use std::net::SocketAddr;

use clap::{Args, Subcommand};
use redline::team::protocol::Role;
use redline::team::server::{self, BucketConfig, RateLimit, ServeConfig};
use redline::team::sync;
use redline::{Error, Notebook};

use super::print_json;

#[derive(Args)]
pub struct ServeArgs {
    /// PostgreSQL URL of the team store (postgres://… or postgres:///db?host=/socket/dir).
    #[arg(long, env = "REDLINE_DATABASE_URL")]
    pub database_url: String,
    /// Address to listen on (plain HTTP: keep it on loopback behind a TLS proxy).
    #[arg(long, default_value = "127.0.0.1:8750")]
    pub listen: SocketAddr,
    /// Print the bound address on stdout once listening (with port 0: the port picked).
    #[arg(long)]
    pub print_port: bool,
    /// Requests one token may burst.
    #[arg(long, default_value_t = RateLimit::default().burst)]
    pub rate_burst: f64,
    /// Requests per second one token is refilled with.
    #[arg(long, default_value_t = RateLimit::default().per_second)]
    pub rate_per_second: f64,
    #[command(flatten)]
    pub bucket: BucketArgs,
}

/// Where captures' bytes go when not in PostgreSQL: an S3-compatible bucket.
#[derive(Args, Clone)]
pub struct BucketArgs {
    /// Keep captures' bytes in this S3 bucket (the bucket must exist).
    #[arg(long)]
    pub s3_bucket: Option<String>,
    /// The S3 endpoint of a non-AWS store (MinIO, Garage, Ceph…), path-style.
    #[arg(long, requires = "s3_bucket")]
    pub s3_endpoint: Option<String>,
    #[arg(long, default_value = "us-east-1", requires = "s3_bucket")]
    pub s3_region: String,
    /// Prefer the environment: AWS_ACCESS_KEY_ID.
    #[arg(long, requires = "s3_bucket")]
    pub s3_access_key_id: Option<String>,
    /// Prefer the environment: AWS_SECRET_ACCESS_KEY.
    #[arg(long, requires = "s3_bucket")]
    pub s3_secret_access_key: Option<String>,
}

impl BucketArgs {
    fn config(&self) -> Option<BucketConfig> {
        Some(BucketConfig {
            bucket: self.s3_bucket.clone()?,
            endpoint: self.s3_endpoint.clone(),
            region: self.s3_region.clone(),
            access_key_id: self.s3_access_key_id.clone(),
            secret_access_key: self.s3_secret_access_key.clone(),
        })
    }
}

/// Runs the service until interrupted.
pub async fn serve(args: ServeArgs) -> Result<(), Error> {
    let config = ServeConfig {
        database_url: args.database_url,
        listen: args.listen,
        rate: RateLimit {
            burst: args.rate_burst.max(1.0),
            per_second: args.rate_per_second.max(0.001),
        },
        bucket: args.bucket.config(),
    };
    let print = args.print_port;
    server::serve(config, |addr| {
        if print {
            println!("{addr}");
            let _ = std::io::stdout().flush();
        }
        eprintln!("redline serve: listening on http://{addr}");
    })
    .await
}

#[derive(Subcommand)]
pub enum TeamCommand {
    /// Create a team library in PostgreSQL and print its owner's token (once).
    Init(InitArgs),
    /// Move the captures' bytes PostgreSQL holds into the S3 bucket `serve` now uses.
    MoveBlobs(MoveBlobsArgs),
    /// Link this library to a team library with an invitation token.
    Join {
        url: String,
        token: String,
        /// Pull only this team project (by name or key; repeat for more),
        /// not the whole team library.
        #[arg(long = "project")]
        projects: Vec<String>,
    },
    /// The team library's projects, and which of them this desk pulls.
    Projects,
    /// Pull a team project (by name or key); a desk that pulled the whole
    /// library pulls what it has plus this one from now on.
    Follow { project: String },
    /// Stop pulling and pushing a team project; what is here stays.
    Unfollow { project: String },
    /// Share a project (by id or name) with the team.
    Share { project: String },
    /// Pull what the team changed, push what changed here.
    Sync,
    /// The link, shared projects, last sync, conflicts and deleted notes.
    Status,
    /// Invite a member (owners only); prints their token once.
    Invite {
        name: String,
        #[arg(long, value_parser = role, default_value = "editor")]
        role: Role,
    },
    /// Revoke a member's token (owners only): their next request is refused.
    Revoke { name: String },
    /// List the members of the team library.
    Members,
    /// Bring back a shared note or highlight a member deleted (its key from `team status`).
    Undelete { key: String },
}

#[derive(Args)]
pub struct InitArgs {
    /// PostgreSQL URL of the team store.
    #[arg(long, env = "REDLINE_DATABASE_URL")]
    pub database_url: String,
    /// The team library's name.
    pub name: String,
    /// The owner's member name.
    #[arg(long, default_value = "owner")]
    pub owner: String,
}

#[derive(Args)]
pub struct MoveBlobsArgs {
    /// PostgreSQL URL of the team store.
    #[arg(long, env = "REDLINE_DATABASE_URL")]
    pub database_url: String,
    #[command(flatten)]
    pub bucket: BucketArgs,
}

/// `team move-blobs`: PostgreSQL to the bucket, with progress; resumable.
pub async fn move_blobs(args: MoveBlobsArgs, json: bool) -> Result<(), Error> {
    let Some(bucket) = args.bucket.config() else {
        return Err(Error::Invalid("name the bucket: --s3-bucket".into()));
    };
    let moved = server::move_blobs_to_bucket(&args.database_url, &bucket, |done, total| {
        if !json {
            eprint!("\rmoved {done} of {total} blobs");
        }
    })
    .await?;
    if json {
        return print_json(&serde_json::json!({ "moved": moved }));
    }
    eprintln!();
    println!("Moved {moved} blobs into the bucket {:?}.", bucket.bucket);
    Ok(())
}

fn role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| "must be owner, editor or viewer".to_string())
}

/// `team init` talks to PostgreSQL only; it needs no library.
pub async fn init(args: InitArgs, json: bool) -> Result<(), Error> {
    let token = server::init_library(&args.database_url, &args.name, &args.owner).await?;
    if json {
        return print_json(
            &serde_json::json!({ "library": args.name, "owner": args.owner, "token": token }),
        );
    }
    println!("{token}");
    eprintln!(
        "Team library {:?} created; the line above is {}'s token (shown once).",
        args.name, args.owner
    );
    Ok(())
}

pub async fn run(command: TeamCommand, nb: &Notebook, json: bool) -> Result<(), Error> {
    match command {
        TeamCommand::Init(_) | TeamCommand::MoveBlobs(_) => {
            unreachable!("handled without a library")
        }
        TeamCommand::Join {
            url,
            token,
            projects,
        } => {
            let link = sync::join(nb, &url, &token).await?;
            let followed = if projects.is_empty() {
                Vec::new()
            } else {
                sync::follow_only(nb, &projects).await?
            };
            if json {
                let link = sync::link(nb).await?.unwrap_or(link);
                return print_json(&link);
            }
            println!(
                "Joined team library {} as {} ({}).",
                link.library_name, link.member, link.role
            );
            if !followed.is_empty() {
                let names: Vec<&str> = followed.iter().map(|p| p.name.as_str()).collect();
                println!("Pulling only: {}", names.join(", "));
            }
        }
        TeamCommand::Projects => {
            let projects = sync::team_projects(nb).await?;
            if json {
                return print_json(&projects);
            }
            for p in projects {
                let mark = if p.followed { "*" } else { " " };
                println!("{mark} {}\t{}", p.name, p.key);
            }
        }
        TeamCommand::Follow { project } => {
            let p = sync::follow(nb, &project).await?;
            if json {
                return print_json(&p);
            }
            println!("Following {}; the next sync pulls it.", p.name);
        }
        TeamCommand::Unfollow { project } => {
            let p = sync::unfollow(nb, &project).await?;
            if json {
                return print_json(&p);
            }
            println!("No longer following {}; what is here stays.", p.name);
        }
        TeamCommand::Share { project } => {
            let key = sync::share(nb, &project).await?;
            if json {
                return print_json(&serde_json::json!({ "key": key }));
            }
            println!("Shared; the next `redline team sync` sends it.");
        }
        TeamCommand::Sync => {
            let report = sync::sync(nb).await?;
            if json {
                return print_json(&report);
            }
            println!(
                "Synced to version {}: {} objects in, {} out ({} bytes down, {} up).",
                report.version, report.pulled, report.pushed, report.bytes_down, report.bytes_up
            );
            for id in &report.conflicts {
                println!("Conflict in note {id}: both texts are in it; edit and save to resolve.");
            }
        }
        TeamCommand::Status => {
            let status = sync::status(nb).await?;
            if json {
                return print_json(&status);
            }
            let l = &status.link;
            println!(
                "{} at {} as {} ({}); version {}, last sync {}",
                l.library_name,
                l.server_url,
                l.member,
                l.role,
                l.since_version,
                l.last_sync_at.as_deref().unwrap_or("never")
            );
            if let Some(e) = &l.last_error {
                println!(
                    "Last attempt {} failed: {e}",
                    l.last_attempt_at.as_deref().unwrap_or("")
                );
            }
            let names: Vec<&str> = status.projects.iter().map(|p| p.name.as_str()).collect();
            println!(
                "Shared projects: {}{}",
                names.join(", "),
                if l.follows_projects {
                    " (only these are pulled)"
                } else {
                    ""
                }
            );
            for c in &status.conflicts {
                println!(
                    "Conflict: note {} {:?}",
                    c.note_id.map(|i| i.to_string()).unwrap_or_default(),
                    c.title
                );
            }
            for d in &status.deleted_notes {
                println!(
                    "Deleted by a member: {:?} (undo: redline team undelete {})",
                    d.title, d.key
                );
            }
            for h in &status.deleted_highlights {
                println!(
                    "Highlight deleted by a member: {:?} in {:?} (undo: redline team undelete {})",
                    h.text, h.title, h.key
                );
            }
        }
        TeamCommand::Invite { name, role } => {
            let invited = sync::invite(nb, &name, role).await?;
            if json {
                return print_json(&invited);
            }
            println!("{}", invited.token);
        }
        TeamCommand::Revoke { name } => {
            sync::revoke(nb, &name).await?;
            if !json {
                println!("Revoked {name}.");
            }
        }
        TeamCommand::Members => {
            let members = sync::members(nb).await?;
            if json {
                return print_json(&members);
            }
            for m in members {
                println!(
                    "{}\t{}{}",
                    m.name,
                    m.role.as_str(),
                    if m.revoked { "\trevoked" } else { "" }
                );
            }
        }
        TeamCommand::Undelete { key } => {
            let what = match sync::undelete_note(nb, &key).await {
                Err(Error::NotFound { .. }) => {
                    sync::undelete_highlight(nb, &key).await?;
                    "highlight"
                }
                done => done.map(|()| "note")?,
            };
            if !json {
                println!("The {what} comes back for everyone with the next sync.");
            }
        }
    }
    Ok(())
}
