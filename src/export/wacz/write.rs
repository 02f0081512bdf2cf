//! Writes a WACZ of chosen sources: every capture with raw bytes as WARC
//! records (fetches as request + response, or revisit when the payload
//! repeats; browser, file and paste captures as resource), a metadata
//! record per capture tying it to its version, each version's text as a
//! resource, then the CDXJ index, the pages list, `datapackage.json` and
//! the signed `datapackage-digest.json`.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde_json::json;

use base64::Engine;

use super::cdxj;
use super::sign::Signer;
use super::stamps;
use super::timestamp;
use super::warc::{self, Record, RecordKind, WarcWriter};
use super::{DataPackage, DigestFile, Resource, SignedData, WACZ_VERSION};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::versions::{self, Capture, CaptureOutcome};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// What an export wrote.
#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WaczReport {
    pub path: String,
    pub sources: usize,
    /// Captures written (those with raw bytes; a failed check has none).
    pub captures: usize,
    pub records: usize,
    /// Size of the WACZ file.
    pub bytes: u64,
    /// Sum of the raw captures' sizes, to compare with `bytes`.
    pub raw_bytes: u64,
    /// The SHA-256 of `datapackage.json`, which the signature covers.
    pub hash: String,
    /// Base64 SPKI of the key that signed it.
    pub public_key: String,
    /// The trusted time of the signature (RFC 3339), when a TSA stamped it.
    pub timestamped: Option<String>,
    /// Captures that carry their own trusted timestamp.
    pub capture_timestamps: usize,
}

fn io_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

fn software() -> String {
    format!("Redline {}", env!("CARGO_PKG_VERSION"))
}

/// A URL a replay tool can key: http(s) only. Others (a pasted text has
/// none) get a stable `urn:` name inside the archive.
fn target_of(c: &Capture, n: usize) -> (String, bool) {
    let url = c
        .final_url
        .as_deref()
        .or(c.requested_url.as_deref())
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    match url {
        Some(u) => (u.to_string(), true),
        None => (
            format!("urn:redline:source:{}:capture:{n}", c.source_id),
            false,
        ),
    }
}

fn reason_phrase(status: i64) -> &'static str {
    match status {
        200 => "OK",
        203 => "Non-Authoritative Information",
        304 => "Not Modified",
        _ => "",
    }
}

/// The capture's type with the charset it was decoded in, as served.
fn with_charset(mime: &str, c: &Capture) -> String {
    match &c.charset {
        Some(cs) if !mime.contains("charset") => format!("{mime}; charset={cs}"),
        _ => mime.to_string(),
    }
}

/// The WARC header that says whether a record's HTTP head is the one the
/// fetch recorded or one rebuilt from the capture's columns (captures from
/// before heads were kept, imports, and HEAD-only re-checks).
const HEADERS_FIELD: &str = "WARC-Redline-Headers";

fn headers_field(recorded: bool) -> (String, String) {
    let how = if recorded {
        "recorded"
    } else {
        "reconstructed"
    };
    (HEADERS_FIELD.to_string(), how.to_string())
}

/// A recorded response head as the WARC carries it: the stored body is
/// de-chunked (and decoded), so a `Transfer-Encoding` line would make replay
/// tools de-chunk it again; it is kept under another name.
fn archived_head(head: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(head.len() + 16);
    for line in head.split_inclusive(|&b| b == b'\n') {
        let lower = line.to_ascii_lowercase();
        if lower.starts_with(b"transfer-encoding:") {
            out.extend_from_slice(b"x-redline-orig-");
        }
        out.extend_from_slice(line);
    }
    out
}

/// A revisit (identical payload) of the record `refers` names
/// (id, target URI, date): an unchanged re-check, or a 304.
fn revisit(
    id: String,
    date: &str,
    target: String,
    refers: (String, String, String),
    block: Vec<u8>,
    payload: String,
    recorded: bool,
) -> Record {
    let (ref_id, ref_uri, ref_date) = refers;
    Record {
        kind: RecordKind::Revisit,
        id,
        date: date.to_string(),
        target_uri: Some(target),
        content_type: Some("application/http; msgtype=response".into()),
        headers: vec![
            ("WARC-Profile".into(), warc::IDENTICAL_PAYLOAD.into()),
            ("WARC-Refers-To".into(), ref_id),
            ("WARC-Refers-To-Target-URI".into(), ref_uri),
            ("WARC-Refers-To-Date".into(), ref_date),
            headers_field(recorded),
        ],
        block,
        payload_digest: Some(payload),
    }
}

/// Writes the WACZ of `source_ids` (in that order) to `path`, replacing it,
/// signed by `signer` and, when `tsa` names a time stamping authority,
/// timestamped by it (no file is written if it fails: a reporter who
/// configured one expects every export to carry its time). The file
/// appears only when complete: it is written beside `path` and renamed.
pub async fn write_wacz(
    db: &Db,
    source_ids: &[i64],
    title: &str,
    signer: &Signer,
    tsa: Option<&str>,
    path: &Path,
) -> Result<WaczReport> {
    if source_ids.is_empty() {
        return Err(Error::Invalid(
            "nothing to export: no sources chosen".into(),
        ));
    }
    let created = crate::time::now();
    let mut conn = db.pool().acquire().await?;
    let mut warc = WarcWriter::new(Vec::new());
    let mut index_lines = Vec::new();
    let mut pages =
        vec![json!({"format": "json-pages-1.0", "id": "pages", "title": title}).to_string()];
    let mut records = 0usize;
    let mut captures_written = 0usize;
    let mut raw_bytes = 0u64;
    let mut capture_timestamps = 0usize;

    let info = format!(
        "software: {}\r\nformat: WARC File Format 1.1\r\nconformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\ndescription: {}\r\n",
        software(),
        title.replace(['\r', '\n'], " ")
    );
    warc.write(&Record {
        kind: RecordKind::Warcinfo,
        id: warc::record_id(&format!("warcinfo {created}")),
        date: created.clone(),
        target_uri: None,
        content_type: Some("application/warc-fields".into()),
        headers: vec![("WARC-Filename".into(), "data.warc.gz".into())],
        block: info.into_bytes(),
        payload_digest: None,
    })
    .map_err(|e| io_err(path, e))?;
    records += 1;

    for &source_id in source_ids {
        let source = versions::get_source(&mut conn, source_id).await?;
        let summaries = versions::list_versions(&mut conn, source_id).await?;
        let captures = versions::list_captures(&mut conn, source_id).await?;
        let seq_of: HashMap<i64, (i64, String)> = summaries
            .iter()
            .map(|v| (v.id, (v.seq, v.text_sha256.clone())))
            .collect();
        // Payload digest → (record id, target, date) of its first response.
        let mut first_seen: HashMap<String, (String, String, String)> = HashMap::new();
        // The last response written: what a 304 revisits.
        let mut last_response: Option<(String, String, String, String)> = None;
        for (i, c) in captures.iter().enumerate() {
            let n = i + 1;
            let fetched = c.method == "fetch" || c.method == "feed";
            let heads = if fetched {
                versions::capture_heads(&mut conn, c.id).await?
            } else {
                None
            };
            let Some(raw) = versions::capture_raw(&mut conn, c.id).await? else {
                // A 304 carries no body: a revisit of the last response.
                if let (CaptureOutcome::NotModified, Some((ref_id, ref_uri, ref_date, digest))) =
                    (c.outcome(), last_response.clone())
                {
                    let block = match &heads {
                        Some(h) => archived_head(&h.response),
                        None => {
                            let mut headers = Vec::new();
                            if let Some(etag) = &c.etag {
                                headers.push(("ETag".to_string(), etag.clone()));
                            }
                            warc::http_response("HTTP/1.1 304 Not Modified", &headers, b"")
                        }
                    };
                    let placed = warc
                        .write(&revisit(
                            warc::record_id(&format!("source {source_id} capture {} main", c.id)),
                            &c.captured_at,
                            ref_uri.clone(),
                            (ref_id, ref_uri.clone(), ref_date),
                            block,
                            digest.clone(),
                            heads.is_some(),
                        ))
                        .map_err(|e| io_err(path, e))?;
                    records += 1;
                    index_lines.push(cdxj::line(
                        &c.captured_at,
                        &cdxj::Entry {
                            url: ref_uri,
                            mime: "warc/revisit".into(),
                            status: "304".into(),
                            digest,
                            length: placed.length.to_string(),
                            offset: placed.offset.to_string(),
                            filename: "data.warc.gz".into(),
                        },
                    ));
                }
                continue;
            };
            captures_written += 1;
            raw_bytes += raw.len() as u64;
            let (target, replayable) = target_of(c, n);
            let payload = warc::sha256_label(&raw);
            let mime = c.content_type.clone().unwrap_or_else(|| "text/html".into());
            let main_id = warc::record_id(&format!("source {source_id} capture {} main", c.id));
            let mut index_status = "200".to_string();
            let repeat = fetched
                && matches!(
                    c.outcome(),
                    CaptureOutcome::Unchanged | CaptureOutcome::NotModified
                )
                && first_seen.contains_key(&payload);
            let main = if fetched {
                let status = c.http_status.unwrap_or(200);
                let mut headers = vec![("Content-Type".to_string(), with_charset(&mime, c))];
                if let Some(etag) = &c.etag {
                    headers.push(("ETag".into(), etag.clone()));
                }
                if let Some(lm) = &c.last_modified {
                    headers.push(("Last-Modified".into(), lm.clone()));
                }
                headers.push(("Content-Length".into(), raw.len().to_string()));
                let status_line = format!("HTTP/1.1 {status} {}", reason_phrase(status));
                let request_id =
                    warc::record_id(&format!("source {source_id} capture {} request", c.id));
                // The request as we sent it; rebuilt for captures that did
                // not record it (the record and the metadata say which).
                let url = url::Url::parse(&target).ok();
                let rebuilt_request = || {
                    format!(
                    "GET {} HTTP/1.1\r\nHost: {}\r\nAccept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.8\r\nUser-Agent: {}\r\n\r\n",
                    url.as_ref()
                        .map(|u| match u.query() {
                            Some(q) => format!("{}?{q}", u.path()),
                            None => u.path().to_string(),
                        })
                        .unwrap_or_else(|| "/".into()),
                    url.as_ref().and_then(|u| u.host_str()).unwrap_or(""),
                    software()
                )
                };
                let (request_block, response_head) = match &heads {
                    Some(h) => (h.request.clone(), Some(archived_head(&h.response))),
                    None => (rebuilt_request().into_bytes(), None),
                };
                let recorded = heads.is_some();
                if repeat {
                    index_status = status.to_string();
                    revisit(
                        main_id.clone(),
                        &c.captured_at,
                        target.clone(),
                        first_seen[&payload].clone(),
                        response_head
                            .clone()
                            .unwrap_or_else(|| warc::http_response(&status_line, &headers, b"")),
                        payload.clone(),
                        recorded,
                    )
                } else {
                    warc.write(&Record {
                        kind: RecordKind::Request,
                        id: request_id.clone(),
                        date: c.captured_at.clone(),
                        target_uri: Some(target.clone()),
                        content_type: Some("application/http; msgtype=request".into()),
                        headers: vec![
                            ("WARC-Concurrent-To".into(), main_id.clone()),
                            headers_field(recorded),
                        ],
                        block: request_block,
                        payload_digest: None,
                    })
                    .map_err(|e| io_err(path, e))?;
                    records += 1;
                    let status = if status == 304 { 200 } else { status };
                    index_status = status.to_string();
                    first_seen.entry(payload.clone()).or_insert((
                        main_id.clone(),
                        target.clone(),
                        c.captured_at.clone(),
                    ));
                    last_response = Some((
                        main_id.clone(),
                        target.clone(),
                        c.captured_at.clone(),
                        payload.clone(),
                    ));
                    Record {
                        kind: RecordKind::Response,
                        id: main_id.clone(),
                        date: c.captured_at.clone(),
                        target_uri: Some(target.clone()),
                        content_type: Some("application/http; msgtype=response".into()),
                        headers: vec![headers_field(recorded)],
                        block: match response_head {
                            Some(mut head) => {
                                head.extend_from_slice(&raw);
                                head
                            }
                            None => warc::http_response(
                                &format!("HTTP/1.1 {status} {}", reason_phrase(status)),
                                &headers,
                                &raw,
                            ),
                        },
                        payload_digest: Some(payload.clone()),
                    }
                }
            } else {
                Record {
                    kind: RecordKind::Resource,
                    id: main_id.clone(),
                    date: c.captured_at.clone(),
                    target_uri: Some(target.clone()),
                    content_type: Some(with_charset(&mime, c)),
                    headers: vec![],
                    block: raw.clone(),
                    payload_digest: Some(payload.clone()),
                }
            };
            let kind = main.kind;
            let placed = warc.write(&main).map_err(|e| io_err(path, e))?;
            records += 1;
            if replayable {
                let entry = cdxj::Entry {
                    url: target.clone(),
                    mime: if kind == RecordKind::Revisit {
                        "warc/revisit".into()
                    } else {
                        mime.split(';')
                            .next()
                            .unwrap_or("text/html")
                            .trim()
                            .to_string()
                    },
                    status: index_status,
                    digest: payload.clone(),
                    length: placed.length.to_string(),
                    offset: placed.offset.to_string(),
                    filename: "data.warc.gz".into(),
                };
                index_lines.push(cdxj::line(&c.captured_at, &entry));
                if kind != RecordKind::Revisit {
                    pages.push(
                        json!({
                            "id": main_id.trim_start_matches("<urn:uuid:").trim_end_matches('>'),
                            "url": target,
                            "ts": c.captured_at,
                            "title": source.title,
                        })
                        .to_string(),
                    );
                }
            }
            let version = c.version_id.and_then(|id| seq_of.get(&id));
            let meta = json!({
                "redline": "capture",
                "sourceId": source_id,
                "capture": n,
                "method": c.method,
                "outcome": c.outcome,
                "capturedAt": c.captured_at,
                "requestedUrl": c.requested_url,
                "finalUrl": c.final_url,
                "canonicalUrl": c.canonical_url,
                "rawSha256": c.raw_sha256,
                "rawSize": c.raw_size,
                "versionSeq": version.map(|v| v.0),
                "versionTextSha256": version.map(|v| v.1.clone()),
                // "recorded": the heads the fetch kept; "reconstructed":
                // rebuilt from what the library records (status, type,
                // ETag, Last-Modified), for captures from before heads
                // were kept, imports and HEAD-only re-checks.
                "httpHeaders": match (fetched, heads.is_some()) {
                    (false, _) => "none",
                    (true, true) => "recorded",
                    (true, false) => "reconstructed",
                },
            });
            warc.write(&Record {
                kind: RecordKind::Metadata,
                id: warc::record_id(&format!("source {source_id} capture {} metadata", c.id)),
                date: c.captured_at.clone(),
                target_uri: Some(target.clone()),
                content_type: Some("application/json".into()),
                headers: vec![("WARC-Concurrent-To".into(), main_id.clone())],
                block: serde_json::to_vec_pretty(&meta).expect("metadata serialises"),
                payload_digest: None,
            })
            .map_err(|e| io_err(path, e))?;
            records += 1;
            // The capture's own trusted timestamp, over its payload digest.
            if let Some(token) = stamps::token_of(&mut conn, c.id).await? {
                warc.write(&Record {
                    kind: RecordKind::Metadata,
                    id: warc::record_id(&format!("source {source_id} capture {} timestamp", c.id)),
                    date: c.captured_at.clone(),
                    target_uri: Some(target.clone()),
                    content_type: Some(stamps::TOKEN_TYPE.into()),
                    headers: vec![("WARC-Concurrent-To".into(), main_id.clone())],
                    block: token,
                    payload_digest: None,
                })
                .map_err(|e| io_err(path, e))?;
                records += 1;
                capture_timestamps += 1;
            }
        }
        for s in &summaries {
            let v = versions::get_version(&mut conn, s.id).await?;
            let text = format!("{}\n\n{}\n", v.title, v.text).into_bytes();
            warc.write(&Record {
                kind: RecordKind::Resource,
                id: warc::record_id(&format!("source {source_id} version {}", v.seq)),
                date: v.created_at.clone(),
                target_uri: Some(format!("urn:redline:source:{source_id}:version:{}", v.seq)),
                content_type: Some("text/plain; charset=utf-8".into()),
                headers: vec![("WARC-Redline-Text-SHA256".into(), v.text_sha256.clone())],
                payload_digest: Some(warc::sha256_label(&text)),
                block: text,
            })
            .map_err(|e| io_err(path, e))?;
            records += 1;
        }
    }
    drop(conn);

    let warc_bytes = warc.into_inner();
    let index = cdxj::index(index_lines);
    let mut pages_bytes = pages.join("\n").into_bytes();
    pages_bytes.push(b'\n');
    let files: Vec<(&str, &str, &[u8])> = vec![
        ("data.warc.gz", "archive/data.warc.gz", &warc_bytes),
        // CDXJ lines under the name pywb's `wb-manager add --unpack-wacz`
        // recognises (`*.cdx`); ArchiveWeb.page writes the same.
        ("index.cdx", "indexes/index.cdx", &index),
        ("pages.jsonl", "pages/pages.jsonl", &pages_bytes),
    ];
    let package = DataPackage {
        profile: "data-package".into(),
        wacz_version: WACZ_VERSION.into(),
        title: title.to_string(),
        software: software(),
        created: created.clone(),
        resources: files
            .iter()
            .map(|(name, path, bytes)| Resource {
                name: name.to_string(),
                path: path.to_string(),
                hash: warc::sha256_label(bytes),
                bytes: bytes.len() as u64,
            })
            .collect(),
    };
    let package_bytes = serde_json::to_vec_pretty(&package).expect("datapackage serialises");
    let hash = warc::sha256_label(&package_bytes);
    let signature = signer.sign(hash.as_bytes());
    let mut timestamped = None;
    let (time_signature, timestamp_cert) = match tsa {
        Some(url) => {
            let reply = timestamp::obtain(url, signature.as_bytes()).await?;
            let stamp = timestamp::check_reply(&reply, signature.as_bytes(), None, &[])
                .map_err(Error::Timestamp)?;
            timestamped = Some(stamp.time);
            let certs = timestamp::token_certificates_pem(&reply).map_err(Error::Timestamp)?;
            (Some(B64.encode(&reply)), Some(certs))
        }
        None => (None, None),
    };
    let digest = DigestFile {
        path: "datapackage.json".into(),
        hash: hash.clone(),
        signed_data: SignedData {
            hash: hash.clone(),
            signature,
            public_key: signer.public_key(),
            created: created.clone(),
            software: software(),
            time_signature,
            timestamp_cert,
        },
    };
    let digest_bytes = serde_json::to_vec_pretty(&digest).expect("digest serialises");

    let partial = {
        let mut name = path.as_os_str().to_owned();
        name.push(".partial");
        std::path::PathBuf::from(name)
    };
    let written = (|| -> std::io::Result<u64> {
        let file = std::fs::File::create(&partial)?;
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
        // Stored, not deflated: replay tools read byte ranges of the WARC
        // inside the zip, and its records are gzipped already.
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(warc_bytes.len() as u64 >= u32::MAX as u64);
        for (name, bytes) in files.iter().map(|(_, p, b)| (*p, *b)).chain([
            ("datapackage.json", &package_bytes[..]),
            ("datapackage-digest.json", &digest_bytes[..]),
        ]) {
            zip.start_file(name, stored)?;
            zip.write_all(bytes)?;
        }
        let mut out = zip.finish()?;
        out.flush()?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(file.metadata()?.len())
    })();
    let bytes = match written {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(io_err(path, e));
        }
    };
    std::fs::rename(&partial, path).map_err(|e| io_err(path, e))?;
    Ok(WaczReport {
        path: path.display().to_string(),
        sources: source_ids.len(),
        captures: captures_written,
        records,
        bytes,
        raw_bytes,
        hash,
        public_key: signer.public_key(),
        timestamped,
        capture_timestamps,
    })
}
