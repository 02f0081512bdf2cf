//! Capture from the browser: the native messaging host the Redline browser
//! extension talks to, its messages, and the host manifests that let a
//! browser start it. A third thin shell over the [`crate::Notebook`] use
//! cases, beside the app and the CLI; no listening socket anywhere.

pub mod host;
pub mod manifest;
pub mod message;
