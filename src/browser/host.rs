//! The native messaging host: the browser starts it and speaks to it on
//! stdio, each message a 4-byte length (native byte order) then that many
//! bytes of UTF-8 JSON. Nothing listens on a port, so no web page can reach
//! the library; only the extension ids pinned in the host manifest can.
//!
//! The host never fetches a URL on a message's behalf and never sees cookies:
//! it stores the page the browser already rendered. A bad message gets an
//! error reply and the host goes on serving; end of input ends it cleanly.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::message::{code, BrowserReply, BrowserRequest, ClipStatus, Named, ReplyError};
use crate::error::Error;
use crate::notebook::{Notebook, RenderedPage, SelectionResult};
use crate::versions::BrowserProvenance;

/// Largest message accepted from the browser (Chrome allows up to 4 GiB to a
/// host). 64 MiB holds the largest page a clip accepts (50 MiB) as JSON.
/// A longer one is read and discarded, answered with `message_too_large`,
/// and the host serves the next.
pub const MAX_MESSAGE: usize = 64 << 20;

/// Largest reply the browser accepts from a host (Chrome and Firefox: 1 MiB).
pub const MAX_REPLY: usize = 1 << 20;

/// Serves the browser on stdin/stdout until it closes them. `library` is
/// the open library, or why it could not be opened (then every request gets
/// that error, so the popup can say it instead of "host exited").
pub async fn run(library: &Result<Notebook, Error>) -> std::io::Result<()> {
    serve(library, tokio::io::stdin(), tokio::io::stdout()).await
}

/// The loop of [`run`] over any pair of streams.
pub async fn serve(
    library: &Result<Notebook, Error>,
    mut input: impl AsyncRead + Unpin,
    mut output: impl AsyncWrite + Unpin,
) -> std::io::Result<()> {
    loop {
        let mut len = [0u8; 4];
        match input.read_exact(&mut len).await {
            Ok(_) => {}
            // The browser closed the pipe (between messages or mid-way).
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        }
        let len = u32::from_ne_bytes(len) as usize;
        let reply = if len > MAX_MESSAGE {
            let skipped =
                tokio::io::copy(&mut (&mut input).take(len as u64), &mut tokio::io::sink()).await?;
            if skipped < len as u64 {
                return Ok(());
            }
            BrowserReply::error(
                code::TOO_LARGE,
                format!("the message is {len} bytes, more than the host's {MAX_MESSAGE}"),
            )
        } else {
            let mut body = vec![0u8; len];
            match input.read_exact(&mut body).await {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
                Err(e) => return Err(e),
            }
            match library {
                Ok(nb) => answer(nb, &body).await,
                Err(e) => match parse(&body) {
                    Ok(_) => BrowserReply::from_error(e),
                    Err(refused) => refused,
                },
            }
        };
        write_reply(&mut output, &reply).await?;
    }
}

/// Writes one framed reply; one that would pass [`MAX_REPLY`] becomes an error.
async fn write_reply(
    output: &mut (impl AsyncWrite + Unpin),
    reply: &BrowserReply,
) -> std::io::Result<()> {
    let mut json = serde_json::to_vec(reply).map_err(std::io::Error::other)?;
    if json.len() > MAX_REPLY {
        let refusal = BrowserReply::error(
            code::REPLY_TOO_LARGE,
            format!(
                "the answer is {} bytes, more than a browser accepts",
                json.len()
            ),
        );
        json = serde_json::to_vec(&refusal).map_err(std::io::Error::other)?;
    }
    output.write_all(&(json.len() as u32).to_ne_bytes()).await?;
    output.write_all(&json).await?;
    output.flush().await
}

/// Reads one message as a request, or says why it is not one.
pub fn parse(body: &[u8]) -> Result<BrowserRequest, BrowserReply> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        BrowserReply::error(code::BAD_JSON, format!("the message is not JSON: {e}"))
    })?;
    // serde reads an internally tagged enum from an array too (`["ping"]`).
    if !value.is_object() {
        return Err(BrowserReply::error(
            code::INVALID_MESSAGE,
            "a message is a JSON object with a \"type\"",
        ));
    }
    let request = serde_json::from_value::<BrowserRequest>(value).map_err(|e| {
        let message = e.to_string();
        let code = if message.starts_with("unknown variant") {
            code::UNKNOWN_TYPE
        } else {
            code::INVALID_MESSAGE
        };
        BrowserReply::error(code, message)
    })?;
    request
        .validate()
        .map_err(|e| BrowserReply::error(code::INVALID_MESSAGE, e.to_string()))?;
    Ok(request)
}

/// Answers one message.
pub async fn answer(nb: &Notebook, body: &[u8]) -> BrowserReply {
    match parse(body) {
        Ok(request) => dispatch(nb, request)
            .await
            .unwrap_or_else(|e| BrowserReply::from_error(&e)),
        Err(refused) => refused,
    }
}

/// Runs a checked request as the use case it names.
async fn dispatch(nb: &Notebook, request: BrowserRequest) -> Result<BrowserReply, Error> {
    Ok(match request {
        BrowserRequest::Ping => BrowserReply::Pong {
            host_version: env!("CARGO_PKG_VERSION").to_string(),
        },
        BrowserRequest::Clip {
            url,
            dom,
            title,
            selection,
            browser,
            browser_version,
            extension_version,
            captured_at,
        } => {
            let done = nb
                .clip_rendered(RenderedPage {
                    dom: dom.into_bytes(),
                    url,
                    selection,
                    provenance: BrowserProvenance {
                        browser,
                        browser_version,
                        extension_version,
                        tab_title: title,
                        rendered_at: captured_at,
                    },
                })
                .await?;
            let c = done.clip;
            let (highlight_id, selection_error) = match done.selection {
                None => (None, None),
                Some(SelectionResult::Highlighted(h)) => (Some(h.id), None),
                Some(SelectionResult::NotFound) => (
                    None,
                    Some(ReplyError {
                        code: code::SELECTION_NOT_FOUND.to_string(),
                        message: "the selected text is not in the article Redline read from \
                                  the page (the page is clipped; highlight in the app)"
                            .to_string(),
                    }),
                ),
                Some(SelectionResult::Failed(e)) => (None, Some(ReplyError::from(&e))),
            };
            BrowserReply::Clipped {
                status: if c.new_source {
                    ClipStatus::NewSource
                } else if c.new_version {
                    ClipStatus::NewVersion
                } else {
                    ClipStatus::Unchanged
                },
                source_id: c.source_id,
                version_id: c.version_id,
                version_seq: c.version_seq,
                capture_id: c.capture_id,
                title: c.title,
                highlight_id,
                selection_error,
            }
        }
        BrowserRequest::Lookup { url } => BrowserReply::Page {
            source: nb.lookup_url(&url).await?,
        },
        BrowserRequest::Lists => BrowserReply::Lists {
            projects: nb
                .projects(false)
                .await?
                .into_iter()
                .map(|p| Named {
                    id: p.id,
                    name: p.name,
                })
                .collect(),
            tags: nb
                .tags()
                .await?
                .into_iter()
                .map(|t| Named {
                    id: t.id,
                    name: t.name,
                })
                .collect(),
        },
        BrowserRequest::AddToProject {
            source_id,
            project_id,
        } => {
            nb.source(source_id).await?;
            nb.add_to_project(project_id, &[source_id], &[]).await?;
            BrowserReply::AddedToProject {
                project_id,
                source_id,
            }
        }
        BrowserRequest::Tag { source_id, tag } => {
            nb.source(source_id).await?;
            nb.tag(&tag, &[source_id], &[]).await?;
            BrowserReply::Tagged { tag, source_id }
        }
    })
}
