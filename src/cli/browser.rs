//! `redline browser install|uninstall`: set up (or remove) the native
//! messaging host manifests for the current user, so the Redline extension
//! can reach the library. The .deb installs them for every user.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use redline::browser::manifest::{self, Browser};
use redline::Error;
use serde::Serialize;

use super::print_json;

#[derive(Subcommand)]
pub enum BrowserCommand {
    /// Let the extension in Chromium, Chrome and/or Firefox reach the library.
    Install {
        #[arg(long, value_enum, default_value = "all")]
        browser: Which,
        /// The host program (default: redline-browser-host beside this redline).
        #[arg(long)]
        host: Option<PathBuf>,
    },
    /// Remove what `install` wrote.
    Uninstall {
        #[arg(long, value_enum, default_value = "all")]
        browser: Which,
    },
    /// Print one browser's host manifest (packagers install it system-wide).
    Manifest {
        #[arg(long, value_enum)]
        browser: One,
        /// The host program's absolute path where it will be installed.
        #[arg(long)]
        host: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum One {
    Chromium,
    Chrome,
    Firefox,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Which {
    Chromium,
    Chrome,
    Firefox,
    All,
}

impl Which {
    fn browsers(self) -> Vec<Browser> {
        match self {
            Which::Chromium => vec![Browser::Chromium],
            Which::Chrome => vec![Browser::Chrome],
            Which::Firefox => vec![Browser::Firefox],
            Which::All => Browser::ALL.to_vec(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Done {
    browser: &'static str,
    manifest: PathBuf,
    /// "wrote", "removed", or "absent" (uninstall found nothing there).
    action: &'static str,
}

pub fn run(command: BrowserCommand, json: bool) -> Result<(), Error> {
    if let BrowserCommand::Manifest { browser, host } = &command {
        let b = match browser {
            One::Chromium => Browser::Chromium,
            One::Chrome => Browser::Chrome,
            One::Firefox => Browser::Firefox,
        };
        println!("{}", b.manifest(host)?);
        return Ok(());
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).ok_or_else(|| {
        Error::Invalid("HOME is not set: cannot find the browsers' folders".into())
    })?;
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    let dir = |b: Browser| b.user_dir(&home, config.as_deref());
    let mut done = Vec::new();
    match command {
        BrowserCommand::Install { browser, host } => {
            let host = match host {
                Some(h) => h,
                None => {
                    let exe = std::env::current_exe().map_err(|e| Error::Io {
                        path: "redline".into(),
                        reason: e.to_string(),
                    })?;
                    manifest::host_beside(&exe)
                }
            };
            let host = std::path::absolute(&host).map_err(|e| Error::Io {
                path: host.display().to_string(),
                reason: e.to_string(),
            })?;
            if !host.is_file() {
                return Err(Error::Invalid(format!(
                    "no host program at {} (give one with --host)",
                    host.display()
                )));
            }
            for b in browser.browsers() {
                let path = manifest::install(b, &dir(b), &host)?;
                done.push(Done {
                    browser: b.name(),
                    manifest: path,
                    action: "wrote",
                });
            }
        }
        BrowserCommand::Uninstall { browser } => {
            for b in browser.browsers() {
                let removed = manifest::uninstall(&dir(b))?;
                done.push(Done {
                    browser: b.name(),
                    action: if removed.is_some() {
                        "removed"
                    } else {
                        "absent"
                    },
                    manifest: removed.unwrap_or_else(|| dir(b).join(manifest::file_name())),
                });
            }
        }
        BrowserCommand::Manifest { .. } => unreachable!("printed above"),
    }
    if json {
        return print_json(&done);
    }
    for d in &done {
        println!("{}: {} {}", d.browser, d.action, d.manifest.display());
    }
    Ok(())
}
