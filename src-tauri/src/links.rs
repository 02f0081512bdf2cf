//! `redline://` links from other programs: the browser extension's popup
//! ("open in Redline"), a citation link in an exported note. The .deb's
//! desktop entry registers the scheme, so the system starts
//! `redline-app redline://source/5`; when Redline already runs, the
//! single-instance plugin hands that argv to the running app instead.
//!
//! The app never acts on a link by itself: it only tells the page, which
//! parses it like a link clicked in a note (`ui/src/lib/external.ts`) and
//! opens the reader. A link that arrives before the page listens (the launch
//! that started the app) waits here until the page asks for it.

use std::sync::Mutex;

use tauri::{AppHandle, Emitter, Manager, Runtime};

/// The event the page listens to for a link from another program.
pub const OPEN_LINK: &str = "open-link";

/// Longer than any link Redline writes (`redline://version/<id>#h<id>`);
/// anything longer is not ours.
const MAX_LINK: usize = 200;

/// The link the app was launched with, until the page takes it.
#[derive(Default)]
pub struct PendingLink(Mutex<Option<String>>);

impl PendingLink {
    /// Takes the waiting link, once.
    pub fn take(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    fn set(&self, link: String) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(link);
    }
}

/// The first `redline://` argument of a command line, if it is short
/// enough to be one of ours.
pub fn from_args<I, S>(args: I) -> Option<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    args.into_iter()
        .map(|a| a.as_ref().trim().to_string())
        .find(|a| a.len() <= MAX_LINK && a.to_ascii_lowercase().starts_with("redline://"))
}

/// Hands `link` to the page: kept for a page still loading, and announced
/// to one already listening (it takes the kept one, so it opens once).
pub fn deliver<R: Runtime>(app: &AppHandle<R>, link: String) {
    app.state::<PendingLink>().set(link.clone());
    let _ = app.emit(OPEN_LINK, link);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_our_link_among_the_arguments() {
        let args = ["/usr/bin/redline-app", "--hidden", "redline://source/5"];
        assert_eq!(from_args(args), Some("redline://source/5".to_string()));
        assert_eq!(
            from_args(["redline-app", "REDLINE://version/3#h2"]),
            Some("REDLINE://version/3#h2".to_string())
        );
    }

    #[test]
    fn ignores_other_and_oversized_arguments() {
        assert_eq!(from_args(["redline-app", "https://example.org/x"]), None);
        assert_eq!(from_args(["redline-app", "/tmp/redline://source/5"]), None);
        let long = format!("redline://source/{}", "9".repeat(MAX_LINK));
        assert_eq!(from_args(["redline-app", long.as_str()]), None);
        assert_eq!(from_args(Vec::<String>::new()), None);
    }
}
