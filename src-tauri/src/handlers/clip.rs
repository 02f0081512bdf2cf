//! Clipping and re-checking.

use std::path::PathBuf;

use redline::clip::{CheckOutcome, CheckStatus, ClipInput, ClipOutcome, TextFormat};
use redline::versions::CaptureMethod;

use crate::error::ApiResult;
use crate::state::{AppState, ChangeOrigin};

pub async fn clip_url(app: &AppState, url: String) -> ApiResult<ClipOutcome> {
    let out = app
        .clipper
        .clip(ClipInput::Url(url.trim().to_string()))
        .await?;
    app.changed(ChangeOrigin::App);
    Ok(out)
}

/// Pasted content; `format` None sniffs HTML vs plain text.
pub async fn clip_text(
    app: &AppState,
    content: String,
    format: Option<TextFormat>,
    url: Option<String>,
) -> ApiResult<ClipOutcome> {
    let content = content.into_bytes();
    let format = format.unwrap_or_else(|| TextFormat::sniff(&content));
    let input = ClipInput::Text {
        content,
        format,
        url: url.filter(|u| !u.trim().is_empty()),
        method: CaptureMethod::Paste,
    };
    let out = app.clipper.clip(input).await?;
    app.changed(ChangeOrigin::App);
    Ok(out)
}

pub async fn clip_file(
    app: &AppState,
    path: String,
    url: Option<String>,
) -> ApiResult<ClipOutcome> {
    let input = ClipInput::File {
        path: PathBuf::from(path),
        url: url.filter(|u| !u.trim().is_empty()),
    };
    let out = app.clipper.clip(input).await?;
    app.changed(ChangeOrigin::App);
    Ok(out)
}

/// Re-checks one source now. A failed fetch is an outcome (recorded as a
/// failed capture), not an error: the timeline shows it.
pub async fn check_source(app: &AppState, source_id: i64) -> ApiResult<CheckOutcome> {
    let out = app.clipper.check(source_id).await?;
    if out.status != CheckStatus::Failed || out.capture_id.is_some() {
        app.changed(ChangeOrigin::App);
    }
    Ok(out)
}
