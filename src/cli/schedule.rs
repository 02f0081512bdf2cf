//! `redline watch run|status|pause|resume|schedule`: the watch scheduler,
//! headless, and each story's decaying schedule.

use std::sync::Arc;

use clap::Subcommand;
use redline::notebook::SchedulerSettings;
use redline::schedule::{Pin, SystemClock};
use redline::{Error, Notebook};

use super::print_json;

#[derive(Subcommand)]
pub enum WatchCommand {
    /// Run the watch scheduler in the foreground (one per library) until stopped.
    Run {
        /// Most requests per hour, every site together.
        #[arg(long, default_value_t = 720)]
        budget: usize,
        /// Least seconds between two requests to one site (default: the
        /// library's, see `redline watch gap`).
        #[arg(long)]
        gap: Option<u32>,
        /// Stop after this many seconds (default: run until interrupted).
        #[arg(long = "for", value_name = "SECONDS")]
        duration: Option<u64>,
    },
    /// Who runs the scheduler of this library, and what it has done.
    Status,
    /// Pause watching: the scheduler, in whichever process, makes no request
    /// (within 30 s; kept across restarts).
    Pause,
    /// Resume watching.
    Resume,
    /// Show or set the least seconds between two requests to one site, for
    /// re-checks and watching (kept in the library; at least 1).
    Gap {
        seconds: Option<f64>,
        /// Back to the built-in polite gap.
        #[arg(long, conflicts_with = "seconds")]
        default: bool,
    },
    /// Show a story's schedule, or pin it, stop it, or return it to the decay.
    Schedule {
        source: i64,
        /// Check every so many minutes, whatever the story's age.
        #[arg(long, value_name = "MINUTES", conflicts_with_all = ["stop", "decay"])]
        every: Option<u32>,
        /// No more checks.
        #[arg(long, conflicts_with = "decay")]
        stop: bool,
        /// Follow the decaying schedule again.
        #[arg(long)]
        decay: bool,
        /// Check even where robots.txt disallows it (on), or respect it again (off).
        #[arg(long, value_name = "on|off")]
        ignore_robots: Option<OnOff>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

pub async fn run(command: WatchCommand, nb: &Notebook, json: bool) -> Result<(), Error> {
    match command {
        WatchCommand::Run {
            budget,
            gap,
            duration,
        } => {
            let gap = match gap {
                Some(g) => std::time::Duration::from_secs(u64::from(g)),
                None => nb.host_gap().await?,
            };
            let settings = SchedulerSettings {
                budget_per_hour: budget.max(1),
                host_gap: chrono::Duration::from_std(gap).unwrap_or(chrono::Duration::seconds(5)),
                ..SchedulerSettings::default()
            };
            let mut scheduler = nb.start_scheduler(Arc::new(SystemClock), settings).await?;
            if !json {
                eprintln!("Watching (pid {}); stop with Ctrl-C.", std::process::id());
            }
            let until = duration.map(|s| chrono::Utc::now() + chrono::Duration::seconds(s as i64));
            let result = tokio::select! {
                r = scheduler.run_until(until) => r,
                _ = stopped() => Ok(()),
            };
            let report = scheduler.report.clone();
            scheduler.stop().await?;
            result?;
            if json {
                return print_json(&report);
            }
            println!(
                "Stopped after {} request(s): {} story check(s), {} new version(s), {} feed poll(s), {} item(s) clipped, {} failure(s).",
                report.requests,
                report.story_checks,
                report.new_versions,
                report.feed_polls,
                report.items_clipped,
                report.failures
            );
            Ok(())
        }
        WatchCommand::Pause | WatchCommand::Resume => {
            let paused = matches!(command, WatchCommand::Pause);
            nb.set_watching_paused(paused).await?;
            if json {
                return print_json(&serde_json::json!({ "paused": paused }));
            }
            println!("Watching {}.", if paused { "paused" } else { "resumed" });
            Ok(())
        }
        WatchCommand::Gap { seconds, default } => {
            let gap = if default {
                nb.set_host_gap(None).await?
            } else if let Some(s) = seconds {
                let gap = std::time::Duration::try_from_secs_f64(s)
                    .map_err(|_| Error::Invalid(format!("not a gap in seconds: {s}")))?;
                nb.set_host_gap(Some(gap)).await?
            } else {
                nb.host_gap().await?
            };
            if json {
                return print_json(&serde_json::json!({ "gapSecs": gap.as_secs_f64() }));
            }
            println!(
                "One request per site every {} s when re-checking and watching.",
                gap.as_secs_f64()
            );
            Ok(())
        }
        WatchCommand::Status => {
            let state = nb.scheduler_state().await?;
            let paused = nb.watching_paused().await?;
            if json {
                return print_json(&serde_json::json!({ "scheduler": state, "paused": paused }));
            }
            if paused {
                println!("Watching is paused (redline watch resume).");
            }
            match state {
                None => println!("No watch scheduler runs on this library."),
                Some(s) => println!(
                    "{} scheduler: pid {} on {}, since {}, last heartbeat {}; {} request(s); next check {}.",
                    if s.stale { "Stale" } else { "Running" },
                    s.pid,
                    s.host,
                    s.started_at,
                    s.heartbeat_at,
                    s.requests,
                    s.next_due_at.as_deref().unwrap_or("none planned")
                ),
            }
            Ok(())
        }
        WatchCommand::Schedule {
            source,
            every,
            stop,
            decay,
            ignore_robots,
        } => {
            if let Some(v) = ignore_robots {
                nb.set_story_ignore_robots(source, matches!(v, OnOff::On))
                    .await?;
            }
            let pin = match (every, stop, decay) {
                (Some(m), _, _) => Some(Pin::Every {
                    secs: i64::from(m) * 60,
                }),
                (None, true, _) => Some(Pin::Stop),
                (None, false, true) => Some(Pin::Decay),
                _ => None,
            };
            let s = match pin {
                Some(p) => nb.set_story_schedule(source, p).await?,
                None => nb.story_schedule(source).await?,
            };
            if json {
                return print_json(&s);
            }
            let cadence = match &s.cadence {
                redline::schedule::Cadence::Decaying { step, .. } => {
                    format!("decaying, now {step}")
                }
                redline::schedule::Cadence::Pinned { every_secs } => {
                    format!("pinned, every {} min", every_secs / 60)
                }
                redline::schedule::Cadence::Stopped => "stopped".into(),
                redline::schedule::Cadence::Ended => "ended (a year without change)".into(),
            };
            println!(
                "Source {}: {cadence}; first seen {}; {} check(s); next {}{}{}",
                s.source_id,
                s.first_seen_at,
                s.checks,
                s.next_check_at.as_deref().unwrap_or("none"),
                s.gone_status
                    .map(|g| format!("; gone ({g}), last version kept"))
                    .unwrap_or_default(),
                if s.ignore_robots {
                    "; ignores robots.txt"
                } else {
                    ""
                },
            );
            Ok(())
        }
    }
}

/// Ctrl-C, or SIGTERM (a service manager stopping the unit).
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
