//! The files the reporter chose in this session: the shell, not the web page,
//! decides which paths a command may read or write.
//!
//! The page is the first line of defence and it renders text from the web;
//! should a hostile page ever run script in it, it must not be able to read
//! `~/.ssh/id_ed25519` through `clip_file` or overwrite `~/.bashrc` through an
//! export. So a file is read only if the reporter picked it in the native
//! open dialog (opened by the shell) or dropped it on the window, and a file
//! is written only where the reporter confirmed the native save dialog (its
//! path never passes through the page). A chosen name that is a symbolic link
//! leading out of its folder is refused too: the reporter saw a file in one
//! place, the link would have us read or write another.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{ApiError, ApiResult};

/// The session's allow-list of files that may be read (clipped). It lives in
/// the app's state and is never written to disk: a new session starts empty.
#[derive(Debug, Default)]
pub struct ChosenFiles {
    readable: Mutex<HashSet<PathBuf>>,
}

impl ChosenFiles {
    /// Records files the reporter picked in the open dialog or dropped.
    pub fn remember<I: IntoIterator<Item = PathBuf>>(&self, paths: I) {
        let mut set = self.readable.lock().unwrap_or_else(|e| e.into_inner());
        set.extend(paths);
    }

    /// `path` as the page sent it, if the reporter chose that file in this
    /// session and it does not lead out of its folder; else a refusal.
    pub fn readable(&self, path: &str) -> ApiResult<PathBuf> {
        let path = PathBuf::from(path);
        let known = self
            .readable
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&path);
        if !known {
            return Err(ApiError::new(
                "path_not_chosen",
                format!(
                    "{} was not chosen in this session; pick it with Choose files or drop it on the window",
                    path.display()
                ),
            ));
        }
        stays_in_its_folder(&path)?;
        Ok(path)
    }
}

/// Refuses `path` when it is a symbolic link whose target lies outside the
/// folder the reporter saw it in (`~/Downloads/story.html` →
/// `/home/me/.ssh/id_ed25519`). A missing file or a plain file passes; the
/// folder itself may be a link (the reporter chose that folder as it is).
pub fn stays_in_its_folder(path: &Path) -> ApiResult<()> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    if !meta.file_type().is_symlink() {
        return Ok(());
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let out = || {
        ApiError::new(
            "symlink_out",
            format!(
                "{} is a link to a file outside its folder; choose the file itself",
                path.display()
            ),
        )
    };
    let folder = folder.canonicalize().map_err(|_| out())?;
    // A dangling link is judged by where it points: writing through it would
    // create its target.
    let target = match path.canonicalize() {
        Ok(t) => t,
        Err(_) => {
            let link = std::fs::read_link(path).map_err(|_| out())?;
            let joined = folder.join(link);
            let parent = joined.parent().ok_or_else(out)?;
            parent
                .canonicalize()
                .map_err(|_| out())?
                .join(joined.file_name().ok_or_else(out)?)
        }
    };
    if target.parent() == Some(folder.as_path()) {
        Ok(())
    } else {
        Err(out())
    }
}
