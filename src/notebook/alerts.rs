//! The Changed inbox as a use case: what a background re-check or a feed's
//! clip tells the reporter (recorded, then announced so the app can notify),
//! and the inbox's reads and writes.

use chrono::{DateTime, Utc};

use super::{ChangeKind, ChangeOrigin, LibraryChange, Notebook};
use crate::alerts::{self, Alert, AlertKind, NewAlert, NotifySetting};
use crate::citations;
use crate::clip::{CheckOutcome, CheckStatus};
use crate::diff;
use crate::error::Result;
use crate::versions::{self, Capture};

/// The inbox's longest page.
pub const INBOX_PAGE: i64 = 500;

impl Notebook {
    /// Records what a background re-check found worth telling, if anything:
    /// a revision (what it changed, cited passages it lost), a story that
    /// went 404/410, or one that now redirects elsewhere. Each is told once:
    /// a story that stays gone is not gone again at every check.
    pub(super) async fn alert_on_check(
        &self,
        out: &CheckOutcome,
        now: DateTime<Utc>,
    ) -> Result<Option<Alert>> {
        let Some(capture_id) = out.capture_id else {
            return Ok(None);
        };
        let found = self
            .read(async |c| {
                let this = versions::get_capture(c, capture_id).await?;
                let before = versions::last_answer_before(c, &this).await?;
                let redirect = new_redirect(&this, before.as_ref());
                let mut alert = NewAlert {
                    source_id: Some(out.source_id),
                    ..NewAlert::default()
                };
                match out.status {
                    CheckStatus::NewVersion => {
                        let Some(new_id) = out.version_id else {
                            return Ok(None);
                        };
                        let new = versions::get_version(c, new_id).await?;
                        if new.seq <= 1 {
                            return Ok(None);
                        }
                        let old =
                            versions::get_version_by_seq(c, out.source_id, new.seq - 1).await?;
                        let d = diff::diff_articles(&old.article(), &new.article());
                        let lost = citations::cited_passages(c, out.source_id)
                            .await?
                            .iter()
                            .filter(|q| {
                                old.text.contains(q.as_str()) && !new.text.contains(q.as_str())
                            })
                            .count();
                        let (kinds, summary) = alerts::revision_alert(&d.summary, lost);
                        alert.kinds = kinds;
                        alert.summary = summary;
                        alert.old_version_id = Some(old.id);
                        alert.new_version_id = Some(new.id);
                        alert.title = new.title;
                    }
                    CheckStatus::Unchanged if redirect.is_some() => {
                        alert.kinds = vec![AlertKind::Redirected];
                        alert.summary = "the text is unchanged".to_string();
                        alert.new_version_id = out.version_id;
                    }
                    CheckStatus::Failed => {
                        let status = this.http_status.unwrap_or_default();
                        let gone_before = before.and_then(|k| k.http_status).is_some_and(is_gone);
                        if !is_gone(status) || gone_before {
                            return Ok(None);
                        }
                        let last = versions::list_versions(c, out.source_id).await?.pop();
                        alert.kinds = vec![AlertKind::Gone];
                        alert.summary = match &last {
                            Some(v) => format!(
                                "the address answers {status}; version {} stays in your library",
                                v.seq
                            ),
                            None => format!("the address answers {status}"),
                        };
                        alert.new_version_id = last.map(|v| v.id);
                    }
                    CheckStatus::Unchanged => return Ok(None),
                }
                // A new version names itself; otherwise the source's title.
                if alert.title.is_empty() {
                    alert.title = versions::get_source(c, out.source_id).await?.title;
                }
                Ok(Some((alert, redirect)))
            })
            .await?;
        match found {
            Some((mut alert, redirect_to)) => {
                if let Some(to) = redirect_to {
                    alert.kinds.insert(0, AlertKind::Redirected);
                    alert.summary = format!("now redirects to {to} · {}", alert.summary);
                }
                alert.summary = alerts::capitalised(&alert.summary);
                self.raise(alert, now).await.map(Some)
            }
            None => Ok(None),
        }
    }

    /// Records that feed `feed_id`'s rules clipped a new story.
    pub(super) async fn alert_on_feed_story(
        &self,
        feed_id: i64,
        source_id: i64,
        version_id: Option<i64>,
        title: &str,
        now: DateTime<Utc>,
    ) -> Result<Alert> {
        let feed = self.feed(feed_id).await?;
        self.raise(
            NewAlert {
                kinds: vec![AlertKind::Feed],
                source_id: Some(source_id),
                feed_id: Some(feed_id),
                new_version_id: version_id,
                title: title.to_string(),
                summary: format!("New from {}", feed.title.as_deref().unwrap_or(&feed.url)),
                ..NewAlert::default()
            },
            now,
        )
        .await
    }

    /// Records `alert` and announces it, with whether the reporter wants a
    /// notification for it.
    async fn raise(&self, alert: NewAlert, at: DateTime<Utc>) -> Result<Alert> {
        let now = crate::time::format(at);
        let mut tx = self.db.write().await?;
        let saved = alerts::insert(&mut tx, &alert, &now).await?;
        let notify = alerts::notifies(&saved, &alerts::notify_settings(&mut tx).await?);
        tx.commit().await?;
        let mut change = LibraryChange::new(ChangeOrigin::Watch, ChangeKind::Alerts);
        change.alert = Some(super::AlertRaised {
            alert: saved.clone(),
            notify,
        });
        self.announce(change);
        Ok(saved)
    }

    /// The inbox, newest first (unread only with `unread_only`).
    pub async fn inbox(&self, unread_only: bool, limit: Option<i64>) -> Result<Vec<Alert>> {
        let limit = limit.unwrap_or(INBOX_PAGE).min(INBOX_PAGE);
        self.read(async |c| alerts::list(c, unread_only, limit).await)
            .await
    }

    /// How many alerts are unread.
    pub async fn inbox_unread(&self) -> Result<i64> {
        self.read(async |c| alerts::unread_count(c).await).await
    }

    /// Marks alerts read, or unread again.
    pub async fn mark_alerts(&self, ids: &[i64], read: bool) -> Result<()> {
        let now = crate::time::now();
        self.write(ChangeKind::Alerts, async |c| {
            alerts::mark(c, ids, read, &now).await
        })
        .await
    }

    /// Marks the whole inbox read; returns how many were unread.
    pub async fn mark_all_alerts_read(&self) -> Result<u64> {
        let now = crate::time::now();
        self.write(ChangeKind::Alerts, async |c| {
            alerts::mark_all_read(c, &now).await
        })
        .await
    }

    /// Which kinds of alert raise a desktop notification.
    pub async fn notify_settings(&self) -> Result<Vec<NotifySetting>> {
        self.read(async |c| alerts::notify_settings(c).await).await
    }

    /// Turns notifications of one kind on or off; returns every kind's setting.
    pub async fn set_notify(&self, kind: AlertKind, on: bool) -> Result<Vec<NotifySetting>> {
        self.write(ChangeKind::Alerts, async |c| {
            alerts::set_notify(&mut *c, kind, on).await?;
            alerts::notify_settings(c).await
        })
        .await
    }
}

/// 404 and 410: the story is gone (other failures are transient).
fn is_gone(status: i64) -> bool {
    status == 404 || status == 410
}

/// Where `this` capture was redirected, when that is news: its address led
/// somewhere materially different (not just https or a trailing slash), and
/// the last capture that got an answer did not already end there.
fn new_redirect(this: &Capture, before: Option<&Capture>) -> Option<String> {
    let target = redirect_target(this)?;
    match before.and_then(redirect_target) {
        Some(t) if same_place(&t, &target) => None,
        _ => Some(target),
    }
}

fn redirect_target(k: &Capture) -> Option<String> {
    let (from, to) = (k.requested_url.as_deref()?, k.final_url.as_deref()?);
    (!same_place(from, to)).then(|| to.to_string())
}

/// Two addresses of one page: same host (ignoring `www.`), path (ignoring a
/// trailing slash) and query; scheme and fragment do not matter.
fn same_place(a: &str, b: &str) -> bool {
    let key = |u: &str| {
        url::Url::parse(u).ok().map(|u| {
            let host = u.host_str().unwrap_or_default();
            let host = host.strip_prefix("www.").unwrap_or(host).to_string();
            let path = u.path().trim_end_matches('/').to_string();
            (host, path, u.query().map(str::to_string))
        })
    };
    match (key(a), key(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::same_place;

    #[test]
    fn https_and_a_trailing_slash_are_the_same_place() {
        assert!(same_place(
            "http://example.org/world/talks",
            "https://www.example.org/world/talks/"
        ));
        assert!(!same_place(
            "https://example.org/world/talks",
            "https://example.org/"
        ));
        assert!(!same_place(
            "https://example.org/story?id=1",
            "https://example.org/story?id=2"
        ));
    }
}
