//! Redline's core: clipping, versions, diffs and everything a reporter builds on
//! them. No UI and no Tauri here; the CLI and the desktop app are thin shells.

pub mod address;
pub mod alerts;
pub mod article;
pub mod autostart;
pub mod browser;
pub mod charset;
pub mod citations;
pub mod clip;
pub mod db;
mod derived;
pub mod diff;
pub mod error;
pub mod export;
pub mod extract;
pub mod feeds;
pub mod fetch;
mod fetch_error;
pub mod hash;
pub mod highlights;
pub mod html;
pub mod import;
pub mod library;
mod markdown;
pub mod normalize;
pub mod notebook;
pub mod notes;
pub mod projects;
pub mod quotes;
pub mod reextract;
pub mod robots;
pub mod schedule;
pub mod script;
pub mod search;
#[cfg(test)]
mod sequence;
pub mod settings;
pub mod tags;
pub mod team;
pub mod time;
pub mod versions;
pub mod watch;

pub use db::Db;
pub use error::{Error, Result};
pub use notebook::Notebook;
