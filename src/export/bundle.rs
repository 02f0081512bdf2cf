//! The evidence bundle of one source: a zip anyone can check without Redline.
//!
//! Layout: `manifest.json` (every capture and version with its hashes),
//! `captures/<n>.raw` (the bytes as served, n = 1, 2, … in capture order) and
//! `versions/<seq>.txt` (title, a blank line, then the extracted text).
//! [`verify_bundle`] re-hashes every file against the manifest. The manifest
//! itself is not signed: the bundle proves consistency, not authorship.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Seek, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::db::Db;
use crate::error::{Error, Result};
use crate::hash::sha256_hex;
use crate::versions;

pub const BUNDLE_FORMAT: &str = "redline-evidence-bundle/1";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Manifest {
    pub format: String,
    pub created_at: String,
    pub source_id: i64,
    pub url: Option<String>,
    pub title: String,
    pub captures: Vec<ManifestCapture>,
    pub versions: Vec<ManifestVersion>,
}

/// One capture attempt as recorded when it happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ManifestCapture {
    pub n: i64,
    pub captured_at: String,
    pub method: String,
    pub requested_url: Option<String>,
    pub final_url: Option<String>,
    pub canonical_url: Option<String>,
    pub http_status: Option<i64>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_type: Option<String>,
    pub outcome: String,
    pub error: Option<String>,
    /// `captures/<n>.raw`, when bytes were received.
    pub raw_file: Option<String>,
    pub raw_size: Option<i64>,
    pub raw_sha256: Option<String>,
    /// The version this capture made or matched.
    pub version_seq: Option<i64>,
    /// SHA-256 of that version's normalised title and text.
    pub version_text_sha256: Option<String>,
    /// Who sent a browser capture (method `browser`): browser, extension,
    /// tab title and the browser's capture time. Absent for other methods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub browser: Option<versions::BrowserProvenance>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ManifestVersion {
    pub seq: i64,
    pub created_at: String,
    pub title: String,
    /// SHA-256 of the normalised title and text (Redline's "same version" rule).
    pub text_sha256: String,
    /// `versions/<seq>.txt`.
    pub text_file: String,
    /// SHA-256 of that file's bytes.
    pub text_file_sha256: String,
}

/// What [`verify_bundle`] found. `ok` only when nothing is tampered, missing,
/// extra, duplicated or skipped in the numbering. Names are as in the zip
/// with control and bidirectional-override characters escaped (`\u{1b}`),
/// so printing them cannot drive the terminal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BundleReport {
    pub ok: bool,
    pub source_id: Option<i64>,
    /// Files whose hash matched the manifest.
    pub verified: Vec<String>,
    /// Files whose bytes differ from their manifest hash (or an inconsistent manifest).
    pub tampered: Vec<String>,
    /// Files the manifest names that are not in the zip.
    pub missing: Vec<String>,
    /// Files in the zip the manifest does not name.
    pub extra: Vec<String>,
    /// Names that occur more than once in the zip: a reader would see only
    /// one of the copies, so which one was checked proves nothing.
    pub duplicates: Vec<String>,
    /// Captures or versions missing from the manifest's 1, 2, 3 … numbering
    /// (`capture 3`, `version 2`): the manifest is unsigned, so a consistent
    /// removal is only visible as a gap.
    pub gaps: Vec<String>,
}

fn io_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

fn version_file(v: &versions::Version) -> Vec<u8> {
    format!("{}\n\n{}\n", v.title, v.text).into_bytes()
}

/// Writes the evidence bundle of a source to `path` (replacing it) and returns its manifest.
pub async fn write_bundle(db: &Db, source_id: i64, path: &Path) -> Result<Manifest> {
    let mut conn = db.pool().acquire().await?;
    let source = versions::get_source(&mut conn, source_id).await?;
    let summaries = versions::list_versions(&mut conn, source_id).await?;
    let mut full = Vec::with_capacity(summaries.len());
    for s in &summaries {
        full.push(versions::get_version(&mut conn, s.id).await?);
    }
    let by_id: BTreeMap<i64, &versions::Version> = full.iter().map(|v| (v.id, v)).collect();
    let captures = versions::list_captures(&mut conn, source_id).await?;

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut mcaptures = Vec::with_capacity(captures.len());
    for (i, c) in captures.iter().enumerate() {
        let n = i as i64 + 1;
        let raw = versions::capture_raw(&mut conn, c.id).await?;
        let raw_file = raw.map(|bytes| {
            let name = format!("captures/{n}.raw");
            files.push((name.clone(), bytes));
            name
        });
        let version = c.version_id.and_then(|id| by_id.get(&id));
        let browser = if c.method == versions::CaptureMethod::Browser.as_str() {
            versions::browser_provenance(&mut conn, c.id).await?
        } else {
            None
        };
        mcaptures.push(ManifestCapture {
            n,
            captured_at: c.captured_at.clone(),
            method: c.method.clone(),
            requested_url: c.requested_url.clone(),
            final_url: c.final_url.clone(),
            canonical_url: c.canonical_url.clone(),
            http_status: c.http_status,
            etag: c.etag.clone(),
            last_modified: c.last_modified.clone(),
            content_type: c.content_type.clone(),
            outcome: c.outcome.clone(),
            error: c.error.clone(),
            raw_file,
            raw_size: c.raw_size,
            raw_sha256: c.raw_sha256.clone(),
            version_seq: version.map(|v| v.seq),
            version_text_sha256: version.map(|v| v.text_sha256.clone()),
            browser,
        });
    }
    let mut mversions = Vec::with_capacity(full.len());
    for v in &full {
        let bytes = version_file(v);
        let name = format!("versions/{}.txt", v.seq);
        mversions.push(ManifestVersion {
            seq: v.seq,
            created_at: v.created_at.clone(),
            title: v.title.clone(),
            text_sha256: v.text_sha256.clone(),
            text_file: name.clone(),
            text_file_sha256: sha256_hex(&bytes),
        });
        files.push((name, bytes));
    }
    let manifest = Manifest {
        format: BUNDLE_FORMAT.into(),
        created_at: crate::time::now(),
        source_id,
        url: source.url.clone(),
        title: source.title.clone(),
        captures: mcaptures,
        versions: mversions,
    };
    drop(conn);

    let file = std::fs::File::create(path).map_err(|e| io_err(path, e))?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let manifest_json = serde_json::to_vec_pretty(&manifest).expect("manifest serialises");
    zip.start_file("manifest.json", options)
        .map_err(|e| io_err(path, e))?;
    zip.write_all(&manifest_json).map_err(|e| io_err(path, e))?;
    for (name, bytes) in &files {
        zip.start_file(name.as_str(), options)
            .map_err(|e| io_err(path, e))?;
        zip.write_all(bytes).map_err(|e| io_err(path, e))?;
    }
    zip.finish().map_err(|e| io_err(path, e))?;
    Ok(manifest)
}

/// Largest manifest read into memory; a real one is a few KB per capture.
const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;

/// A zip entry name fit to print: control characters and bidirectional
/// overrides written as `\u{..}` escapes, everything else as is.
fn printable(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let bidi = matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if c.is_control() || bidi || c == '\\' {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Re-checks a bundle: every file the manifest names must be present with the
/// recorded SHA-256, no other file may be present, and each capture's version
/// hash must agree with that version's entry.
///
/// Entries are hashed as they stream (memory stays small for any entry size);
/// only the manifest is read whole, up to 16 MiB.
pub fn verify_bundle(path: &Path) -> Result<BundleReport> {
    let file = std::fs::File::open(path).map_err(|e| io_err(path, e))?;
    verify_bundle_from(file, path)
}

/// [`verify_bundle`] over any seekable bytes; `path` only names them in
/// errors. The fuzz target feeds it arbitrary bytes from memory.
pub fn verify_bundle_from<R: Read + Seek>(mut bytes: R, path: &Path) -> Result<BundleReport> {
    use sha2::{Digest, Sha256};
    // The central directory is what unzip shows; its reader keeps one entry
    // per name, so duplicates are found by walking the local entries instead.
    let listed: BTreeSet<String> = {
        let zip = zip::ZipArchive::new(&mut bytes).map_err(|e| io_err(path, e))?;
        zip.file_names().map(str::to_string).collect()
    };
    bytes
        .seek(std::io::SeekFrom::Start(0))
        .map_err(|e| io_err(path, e))?;
    let mut report = BundleReport {
        ok: false,
        source_id: None,
        verified: Vec::new(),
        tampered: Vec::new(),
        missing: Vec::new(),
        extra: Vec::new(),
        duplicates: Vec::new(),
        gaps: Vec::new(),
    };
    // Entry name → SHA-256 of its bytes.
    let mut hashes: BTreeMap<String, String> = BTreeMap::new();
    let mut manifest_bytes = None;
    let mut stream = std::io::BufReader::new(bytes);
    let mut seen = BTreeSet::new();
    while let Some(mut f) =
        zip::read::read_zipfile_from_stream(&mut stream).map_err(|e| io_err(path, e))?
    {
        let name = f.name().to_string();
        if !seen.insert(name.clone()) {
            report.duplicates.push(printable(&name));
        }
        if !listed.contains(&name) {
            // Hidden from the central directory: unzip would not show it.
            report.tampered.push(printable(&name));
        }
        if f.is_dir() {
            // A directory carries no bytes; any there are hidden from a reader.
            let stray = std::io::copy(&mut f, &mut std::io::sink()).map_err(|e| io_err(path, e))?;
            if stray > 0 {
                report.tampered.push(printable(&name));
            }
            continue;
        }
        if name == "manifest.json" {
            let mut bytes = Vec::new();
            (&mut f)
                .take(MAX_MANIFEST_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| io_err(path, e))?;
            std::io::copy(&mut f, &mut std::io::sink()).map_err(|e| io_err(path, e))?;
            if bytes.len() as u64 > MAX_MANIFEST_BYTES {
                report.tampered.push(name.clone());
            } else if manifest_bytes.is_none() {
                manifest_bytes = Some(bytes);
            }
            hashes.insert(name, String::new());
            continue;
        }
        let mut hasher = Sha256::new();
        std::io::copy(&mut f, &mut hasher).map_err(|e| io_err(path, e))?;
        let digest: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        hashes.entry(name).or_insert(digest);
    }
    if let Some(name) = listed.iter().find(|n| !seen.contains(*n)) {
        report.tampered.push(printable(name));
    }
    report.duplicates.sort();
    report.duplicates.dedup();
    hashes.remove("manifest.json");
    let printable_keys = |h: &BTreeMap<String, String>| h.keys().map(|k| printable(k)).collect();
    let Some(manifest_bytes) = manifest_bytes else {
        if !report.tampered.iter().any(|t| t == "manifest.json") {
            report.missing.push("manifest.json".into());
        }
        report.extra = printable_keys(&hashes);
        return Ok(report);
    };
    let manifest: Manifest = match serde_json::from_slice(&manifest_bytes) {
        Ok(m) => m,
        Err(_) => {
            report.tampered.push("manifest.json".into());
            report.extra = printable_keys(&hashes);
            return Ok(report);
        }
    };
    report.source_id = Some(manifest.source_id);

    let mut expected: Vec<(String, String)> = Vec::new();
    for c in &manifest.captures {
        match (&c.raw_file, &c.raw_sha256) {
            (Some(f), Some(h)) => expected.push((f.clone(), h.clone())),
            (Some(f), None) => report.tampered.push(printable(f)),
            _ => {}
        }
    }
    for v in &manifest.versions {
        expected.push((v.text_file.clone(), v.text_file_sha256.clone()));
    }
    let mut named = BTreeSet::new();
    for (name, hash) in expected {
        named.insert(name.clone());
        match hashes.get(&name) {
            None => report.missing.push(printable(&name)),
            Some(found) if *found == hash.to_ascii_lowercase() => {
                report.verified.push(printable(&name))
            }
            Some(_) => report.tampered.push(printable(&name)),
        }
    }
    report.extra = hashes
        .keys()
        .filter(|k| !named.contains(*k))
        .map(|k| printable(k))
        .collect();

    let version_hashes: BTreeMap<i64, &str> = manifest
        .versions
        .iter()
        .map(|v| (v.seq, v.text_sha256.as_str()))
        .collect();
    let consistent = manifest.captures.iter().all(|c| match c.version_seq {
        None => true,
        Some(seq) => version_hashes.get(&seq).copied() == c.version_text_sha256.as_deref(),
    });
    if !consistent {
        report.tampered.push("manifest.json".into());
    }
    report
        .gaps
        .extend(gaps("capture", manifest.captures.iter().map(|c| c.n)));
    report
        .gaps
        .extend(gaps("version", manifest.versions.iter().map(|v| v.seq)));
    report.tampered.sort();
    report.tampered.dedup();
    report.ok = report.tampered.is_empty()
        && report.missing.is_empty()
        && report.extra.is_empty()
        && report.duplicates.is_empty()
        && report.gaps.is_empty();
    Ok(report)
}

/// The numbers missing from 1..=max of a manifest's numbering (and any
/// number that repeats or is not positive), named as `"{what} {n}"`.
fn gaps(what: &str, numbers: impl Iterator<Item = i64>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for n in numbers {
        if n < 1 || !seen.insert(n) {
            out.push(format!("{what} {n} (repeated or out of range)"));
        }
    }
    let max = seen.last().copied().unwrap_or(0);
    // A count past the entries actually listed is itself the gap; don't list a billion.
    let listed = seen.len() as i64;
    if max > listed + 1000 {
        out.push(format!(
            "{what}s {} to {max} (of {listed} listed)",
            listed + 1
        ));
        return out;
    }
    out.extend(
        (1..=max)
            .filter(|n| !seen.contains(n))
            .map(|n| format!("{what} {n}")),
    );
    out
}
