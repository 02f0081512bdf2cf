//! How watching lives alongside the app's window: whether closing the window
//! keeps Redline running in the tray, the reporter's watching settings as
//! the app shows them, and following a pause made in any process.
//!
//! The shell only asks: the rules are here, so they hold the same for every
//! shell and are tested without a window.

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::error::RecvError;

use super::{ChangeKind, ChangeOrigin, Notebook};
use crate::autostart::Autostart;
use crate::error::Result;

/// What closing the main window does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloseAction {
    /// Hide the window; the process (tray icon and scheduler) keeps running.
    Hide,
    /// Quit the app.
    Quit,
}

impl CloseAction {
    /// The rule: keep running only when there is a tray icon to come back
    /// through, the reporter wants it (`close_to_tray`), and watching is on.
    /// Paused, a hidden process would do nothing but hold memory.
    pub fn decide(tray: bool, close_to_tray: bool, paused: bool) -> Self {
        if tray && close_to_tray && !paused {
            CloseAction::Hide
        } else {
            CloseAction::Quit
        }
    }
}

/// The reporter's watching settings, as the app's Feeds pane shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WatchingSettings {
    /// Watching is paused in every process.
    pub paused: bool,
    /// Closing the window keeps Redline in the tray while watching is on.
    pub close_to_tray: bool,
    /// Redline starts hidden in the tray at login; None where this system
    /// has no autostart Redline can write.
    pub start_at_login: Option<bool>,
}

/// How long the tray's pause item may lag a pause it was not told about
/// (see [`Notebook::follow_watching_paused`]): one settings read each time.
const PAUSE_RECHECK: std::time::Duration = std::time::Duration::from_secs(30);

impl Notebook {
    /// Whether closing the window keeps Redline in the tray (on unless the
    /// reporter turned it off).
    pub async fn close_to_tray(&self) -> Result<bool> {
        self.read(async |c| crate::settings::close_to_tray(c).await)
            .await
    }

    pub async fn set_close_to_tray(&self, on: bool) -> Result<()> {
        self.write(ChangeKind::Library, async |c| {
            crate::settings::set_close_to_tray(c, on).await
        })
        .await
    }

    /// What closing the window (or starting with `--hidden`) should do now;
    /// `tray` says whether the shell has a tray icon to come back through.
    pub async fn close_action(&self, tray: bool) -> Result<CloseAction> {
        let (close_to_tray, paused) = self
            .read(async |c| {
                Ok((
                    crate::settings::close_to_tray(&mut *c).await?,
                    crate::settings::watch_paused(c).await?,
                ))
            })
            .await?;
        Ok(CloseAction::decide(tray, close_to_tray, paused))
    }

    /// The watching settings; `autostart` is this user's autostart folder,
    /// if the system has one.
    pub async fn watching_settings(
        &self,
        autostart: Option<&Autostart>,
    ) -> Result<WatchingSettings> {
        Ok(WatchingSettings {
            paused: self.watching_paused().await?,
            close_to_tray: self.close_to_tray().await?,
            start_at_login: autostart.map(Autostart::enabled),
        })
    }

    /// Calls `on_change` with whether watching is paused: once now, then
    /// each time that changes, whoever changed it (this process, or another
    /// one such as `redline watch pause`, announced as an outside write
    /// while [`Notebook::watch_external`] runs). Returns when the library
    /// closes. The tray's "Pause watching" item follows the library this way.
    ///
    /// It also looks every [`PAUSE_RECHECK`]: the outside-write poll folds an
    /// outside write into this process's own announcement when both land in
    /// one poll, so a pause from the CLI during a busy moment would otherwise
    /// wait for the next settings write to show.
    pub async fn follow_watching_paused(&self, mut on_change: impl FnMut(bool)) -> Result<()> {
        let mut changes = self.subscribe();
        let mut paused = self.watching_paused().await?;
        on_change(paused);
        loop {
            let change = tokio::select! {
                change = changes.recv() => Some(change),
                () = tokio::time::sleep(PAUSE_RECHECK) => None,
            };
            let look = match change {
                None => true,
                // The pause is a library setting: only a write that may have
                // touched settings (ours say Library; an outside write is
                // always Library) can change it.
                Some(Ok(change)) => {
                    change.what == ChangeKind::Library || change.origin == ChangeOrigin::External
                }
                Some(Err(RecvError::Lagged(_))) => true,
                Some(Err(RecvError::Closed)) => return Ok(()),
            };
            if !look {
                continue;
            }
            let now = self.watching_paused().await?;
            if now != paused {
                paused = now;
                on_change(paused);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_hides_only_with_a_tray_the_setting_on_and_watching_on() {
        use CloseAction::*;
        // (tray, close_to_tray, paused) → action
        let cases = [
            ((true, true, false), Hide),
            ((true, true, true), Quit),
            ((true, false, false), Quit),
            ((false, true, false), Quit),
            ((false, false, true), Quit),
        ];
        for ((tray, setting, paused), want) in cases {
            assert_eq!(
                CloseAction::decide(tray, setting, paused),
                want,
                "tray {tray}, close_to_tray {setting}, paused {paused}"
            );
        }
    }
}
