//! Checks a WACZ end to end, streaming (memory grows with the number of
//! records, never with their size): the signature over `datapackage.json`'s
//! hash, every file's hash and size against that package, and inside the
//! WARC every record's digests, its place in the sequence (warcinfo first,
//! unique IDs, revisits and concurrent records pointing at real records),
//! and that every index line points at the record it names.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, Read, Seek};
use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

use base64::Engine;
use x509_cert::Certificate;

use super::read::{clean, label, read_record, Counting, WarcRecord};
use super::{sign, timestamp, DataPackage, DigestFile, SignedData};
use crate::error::{Error, Result};

/// The outcome of a check: `ok` only when `problems` is empty.
#[derive(Clone, Debug, Default, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WaczCheck {
    pub ok: bool,
    /// The signature over the package hash is valid (for `public_key`).
    pub signed: bool,
    pub public_key: Option<String>,
    /// A short form of the public key, to compare with the one published.
    pub key_fingerprint: Option<String>,
    pub created: Option<String>,
    /// The trusted time of the signature, from a valid RFC 3161 token.
    pub timestamp: Option<String>,
    /// Who stamped it (the TSA certificate's subject).
    pub timestamp_authority: Option<String>,
    /// The TSA's certificate chains to a CA the checker named.
    pub timestamp_trusted: bool,
    pub files: usize,
    pub records: usize,
    pub index_lines: usize,
    /// HTTP records whose heads the fetch recorded, and those rebuilt from
    /// the library's columns (older captures), by their
    /// `WARC-Redline-Headers` field.
    pub heads_recorded: usize,
    pub heads_reconstructed: usize,
    /// Captures whose own RFC 3161 token was checked: a valid token whose
    /// imprint is the capture record's payload digest.
    pub capture_timestamps: usize,
    /// Each failure, naming the file or record and what is wrong.
    pub problems: Vec<String>,
    /// The checks one by one, each with its own problems: what a reporter
    /// reads in the app. The same problems as `problems`, grouped.
    pub checks: Vec<WaczCheckItem>,
}

/// A verification as the app shows it: the file, the checks, and whether
/// the key that signed it is this library's own.
#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ArchiveVerification {
    /// The file's name (not its folder).
    pub file_name: String,
    pub check: WaczCheck,
    /// Signed with this library's key; false for an archive from elsewhere
    /// (which may still be sound: compare its key with the one published).
    pub own_key: bool,
}

/// The kinds of check a verification makes, in the order they are listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum WaczCheckKind {
    Signature,
    Timestamp,
    Files,
    Records,
    Index,
}

/// One check of a verification and how it went.
#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WaczCheckItem {
    pub kind: WaczCheckKind,
    /// What was checked, in a reporter's words, with what was found.
    pub label: String,
    /// None when there was nothing to check (an export without a timestamp).
    pub passed: Option<bool>,
    pub problems: Vec<String>,
}

impl WaczCheck {
    /// Requires the signature to be made with `public_key` (the one the
    /// library's owner published): a self-consistent archive re-signed by
    /// someone else then fails.
    pub fn expect_key(&mut self, public_key: &str) {
        if let Some(have) = &self.public_key {
            if public_key.trim() != have.trim() {
                self.problems.push(format!(
                    "signature: made with key {}, not the key given ({})",
                    sign::fingerprint(have),
                    sign::fingerprint(public_key)
                ));
            }
        }
        let done = std::mem::take(self);
        *self = finish(done);
    }
}

/// Which check a problem belongs to, by the name it starts with: the
/// signature's files, `timestamp:`, an index line, a record of a WARC (named
/// by its file name alone), else a file of the package.
fn kind_of(problem: &str) -> WaczCheckKind {
    let head = problem.split([' ', ':']).next().unwrap_or_default();
    if problem.starts_with("timestamp:") {
        WaczCheckKind::Timestamp
    } else if problem.starts_with("signature:")
        || problem.starts_with("datapackage-digest.json")
        || problem.starts_with("datapackage.json: its hash")
    {
        WaczCheckKind::Signature
    } else if problem.starts_with("index line") {
        WaczCheckKind::Index
    } else if !head.contains('/') && (head.ends_with(".warc.gz") || head.ends_with(".warc")) {
        WaczCheckKind::Records
    } else {
        WaczCheckKind::Files
    }
}

fn checks_of(c: &WaczCheck) -> Vec<WaczCheckItem> {
    let of = |kind| -> Vec<String> {
        c.problems
            .iter()
            .filter(|p| kind_of(p) == kind)
            .cloned()
            .collect()
    };
    let item = |kind, label: String, passed: Option<bool>| {
        let problems = of(kind);
        WaczCheckItem {
            kind,
            label,
            passed: passed.map(|p| p && problems.is_empty()),
            problems,
        }
    };
    let key = c.key_fingerprint.as_deref().unwrap_or("none");
    let timestamp = match (&c.timestamp, &c.timestamp_authority) {
        (Some(at), Some(by)) => format!(
            "Trusted timestamp {at} by {by}{}",
            if c.timestamp_trusted {
                " (CA given)"
            } else {
                ""
            }
        ),
        (Some(at), None) => format!("Trusted timestamp {at}"),
        _ => "Trusted timestamp".to_string(),
    };
    let stamped = c.timestamp.is_some() || !of(WaczCheckKind::Timestamp).is_empty();
    vec![
        item(
            WaczCheckKind::Signature,
            format!("Signature over datapackage.json, key {key}"),
            Some(c.signed),
        ),
        item(
            WaczCheckKind::Timestamp,
            if stamped {
                timestamp
            } else {
                "No trusted timestamp (none was requested at export)".into()
            },
            stamped.then_some(true),
        ),
        item(
            WaczCheckKind::Files,
            format!("{} files against their hashes and sizes", c.files),
            Some(c.files > 0),
        ),
        item(
            WaczCheckKind::Records,
            format!(
                "{} WARC records: digests and sequence ({} with recorded HTTP headers, {} reconstructed; {} capture timestamps)",
                c.records, c.heads_recorded, c.heads_reconstructed, c.capture_timestamps
            ),
            Some(c.records > 0),
        ),
        item(
            WaczCheckKind::Index,
            format!("{} index lines point at their records", c.index_lines),
            Some(true),
        ),
    ]
}

const MAX_SMALL_FILE: u64 = 16 << 20;

fn io_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

pub fn verify_wacz(path: &Path, tsa_ca: &[Certificate]) -> Result<WaczCheck> {
    let file = std::fs::File::open(path).map_err(|e| io_err(path, e))?;
    verify_wacz_from(file, path, tsa_ca)
}

/// [`verify_wacz`] over any seekable bytes; `path` names them in errors.
pub fn verify_wacz_from<R: Read + Seek>(
    mut bytes: R,
    path: &Path,
    tsa_ca: &[Certificate],
) -> Result<WaczCheck> {
    let mut check = WaczCheck {
        ok: false,
        signed: false,
        public_key: None,
        key_fingerprint: None,
        created: None,
        timestamp: None,
        timestamp_authority: None,
        timestamp_trusted: false,
        files: 0,
        records: 0,
        index_lines: 0,
        heads_recorded: 0,
        heads_reconstructed: 0,
        capture_timestamps: 0,
        problems: Vec::new(),
        checks: Vec::new(),
    };
    let not_zip = |e: zip::result::ZipError| {
        Error::Invalid(format!("{} is not a WACZ (zip) file: {e}", path.display()))
    };
    let zip = zip::ZipArchive::new(&mut bytes).map_err(not_zip)?;

    // Every local entry, hashed as it streams: a duplicate name or an entry
    // missing from the central directory would show one thing to one reader
    // and another to the next.
    let listed: HashSet<String> = zip.file_names().map(str::to_string).collect();
    let mut hashes: BTreeMap<String, (String, u64)> = BTreeMap::new();
    {
        let inner = zip.into_inner();
        inner
            .seek(std::io::SeekFrom::Start(0))
            .map_err(|e| io_err(path, e))?;
        let mut stream = std::io::BufReader::new(&mut *inner);
        while let Some(mut f) =
            zip::read::read_zipfile_from_stream(&mut stream).map_err(|e| io_err(path, e))?
        {
            let name = f.name().to_string();
            let mut hasher = Sha256::new();
            let n = std::io::copy(&mut f, &mut hasher).map_err(|e| io_err(path, e))?;
            if !listed.contains(&name) {
                check
                    .problems
                    .push(format!("{}: hidden from the zip's directory", clean(&name)));
            }
            if hashes.insert(name.clone(), (label(hasher), n)).is_some() {
                check
                    .problems
                    .push(format!("{}: appears more than once", clean(&name)));
            }
        }
    }
    check.files = hashes.len();
    let mut zip = zip::ZipArchive::new(&mut bytes).map_err(not_zip)?;

    let mut small = |name: &str, problems: &mut Vec<String>| -> Option<Vec<u8>> {
        let mut f = match zip.by_name(name) {
            Ok(f) => f,
            Err(_) => {
                problems.push(format!("{name}: missing"));
                return None;
            }
        };
        let mut out = Vec::new();
        if (&mut f)
            .take(MAX_SMALL_FILE + 1)
            .read_to_end(&mut out)
            .is_err()
            || out.len() as u64 > MAX_SMALL_FILE
        {
            problems.push(format!("{name}: unreadable or larger than 16 MiB"));
            return None;
        }
        Some(out)
    };
    let digest_bytes = small("datapackage-digest.json", &mut check.problems);
    let package_bytes = small("datapackage.json", &mut check.problems);

    // The signature first: it is what makes every other hash trustworthy.
    let package_hash = package_bytes.as_ref().map(|b| {
        let mut h = Sha256::new();
        h.update(b);
        label(h)
    });
    if let Some(digest_bytes) = &digest_bytes {
        match serde_json::from_slice::<DigestFile>(digest_bytes) {
            Err(e) => check.problems.push(format!(
                "datapackage-digest.json: not the expected JSON ({e})"
            )),
            Ok(d) => {
                check.public_key = Some(d.signed_data.public_key.clone());
                check.key_fingerprint = Some(sign::fingerprint(&d.signed_data.public_key));
                check.created = Some(d.signed_data.created.clone());
                if d.path != "datapackage.json" {
                    check.problems.push(format!(
                        "datapackage-digest.json: names {} instead of datapackage.json",
                        clean(&d.path)
                    ));
                }
                if package_hash.as_deref() != Some(d.hash.as_str()) {
                    check.problems.push(
                        "datapackage.json: its hash is not the one datapackage-digest.json records"
                            .into(),
                    );
                }
                if d.signed_data.hash != d.hash {
                    check.problems.push(
                        "datapackage-digest.json: the signed hash differs from the recorded one"
                            .into(),
                    );
                }
                match sign::verify(
                    &d.signed_data.public_key,
                    d.signed_data.hash.as_bytes(),
                    &d.signed_data.signature,
                ) {
                    Ok(()) => check.signed = true,
                    Err(why) => check.problems.push(format!("signature: {why}")),
                }
                check_timestamp(&d.signed_data, tsa_ca, &mut check);
            }
        }
    }
    let package: Option<DataPackage> = package_bytes.as_ref().and_then(|b| {
        serde_json::from_slice(b)
            .map_err(|e| {
                check
                    .problems
                    .push(format!("datapackage.json: not the expected JSON ({e})"))
            })
            .ok()
    });
    let Some(package) = package else {
        return Ok(finish(check));
    };
    if !package.wacz_version.starts_with("1.") {
        check.problems.push(format!(
            "datapackage.json: WACZ version {} is not one this build reads",
            clean(&package.wacz_version)
        ));
    }

    // Every file is listed with its hash and size, and nothing else is there.
    let mut named: HashSet<&str> = ["datapackage.json", "datapackage-digest.json"].into();
    for r in &package.resources {
        named.insert(r.path.as_str());
        match hashes.get(&r.path) {
            None => check.problems.push(format!("{}: missing", clean(&r.path))),
            Some((hash, n)) if *hash != r.hash.to_ascii_lowercase() || *n != r.bytes => {
                check.problems.push(format!(
                    "{}: its bytes do not match datapackage.json",
                    clean(&r.path)
                ))
            }
            Some(_) => {}
        }
    }
    for name in hashes.keys() {
        if !named.contains(name.as_str()) {
            check
                .problems
                .push(format!("{}: not listed in datapackage.json", clean(name)));
        }
    }

    // The records: parsed from the stored bytes, whatever the hashes said.
    let mut records: HashMap<u64, Seen> = HashMap::new();
    for r in package
        .resources
        .iter()
        .filter(|r| r.path.ends_with(".warc.gz"))
    {
        let Ok(f) = zip.by_name(&r.path) else {
            continue;
        };
        let file_name = r.path.rsplit('/').next().unwrap_or(&r.path).to_string();
        let mut heads = (0, 0);
        let mut seen = read_records(
            f,
            &file_name,
            &mut check.problems,
            &mut heads,
            (tsa_ca, &mut check.capture_timestamps),
        );
        check.heads_recorded += heads.0;
        check.heads_reconstructed += heads.1;
        check.records += seen.len();
        for (offset, s) in seen.drain() {
            records.insert(offset_key(&file_name, offset), s);
        }
    }
    for r in package
        .resources
        .iter()
        .filter(|r| r.path.ends_with(".cdx") || r.path.ends_with(".cdxj"))
    {
        let Ok(f) = zip.by_name(&r.path) else {
            continue;
        };
        check_index(f, &records, &mut check);
    }
    Ok(finish(check))
}

/// A timestamp, when there is one, must be a valid token over the
/// signature string; with `tsa_ca` given, one is required and its TSA must
/// chain to that CA. A stamp earlier than the export's own `created` (beyond
/// clock skew) means the signature was not what was stamped.
fn check_timestamp(signed: &SignedData, tsa_ca: &[Certificate], check: &mut WaczCheck) {
    let Some(b64) = &signed.time_signature else {
        if !tsa_ca.is_empty() {
            check
                .problems
                .push("timestamp: none, though a TSA's CA was given".into());
        }
        return;
    };
    let reply = match base64::engine::general_purpose::STANDARD.decode(b64.trim()) {
        Ok(r) => r,
        Err(e) => {
            check.problems.push(format!("timestamp: not base64 ({e})"));
            return;
        }
    };
    match timestamp::check_reply(&reply, signed.signature.as_bytes(), None, tsa_ca) {
        Err(why) => check.problems.push(format!("timestamp: {why}")),
        Ok(stamp) => {
            let skew = chrono::Duration::minutes(5);
            if let (Some(at), Some(made)) = (
                crate::time::parse(&stamp.time),
                crate::time::parse(&signed.created),
            ) {
                if at + skew < made {
                    check.problems.push(format!(
                        "timestamp: {} is before the export was made ({})",
                        stamp.time, signed.created
                    ));
                }
            }
            check.timestamp = Some(stamp.time);
            check.timestamp_authority = Some(clean(&stamp.tsa));
            check.timestamp_trusted = stamp.trusted;
        }
    }
}

fn finish(mut check: WaczCheck) -> WaczCheck {
    check.ok = check.problems.is_empty() && check.signed;
    check.checks = checks_of(&check);
    check
}

/// Index keys by file and offset (one WARC today; the key allows more).
fn offset_key(file: &str, offset: u64) -> u64 {
    let mut h = Sha256::new();
    h.update(file.as_bytes());
    h.update(offset.to_le_bytes());
    u64::from_le_bytes(h.finalize()[..8].try_into().expect("8 bytes"))
}

/// What the index may point at: one record's place and identity.
struct Seen {
    length: u64,
    target: Option<String>,
    payload: Option<String>,
}

/// Walks the gzip members of one WARC, checking each record.
/// `heads` counts the records whose HTTP head was recorded, and rebuilt;
/// `stamps` counts the capture timestamps checked (against the CAs given).
fn read_records(
    file: impl Read,
    name: &str,
    problems: &mut Vec<String>,
    heads: &mut (usize, usize),
    stamps: (&[Certificate], &mut usize),
) -> HashMap<u64, Seen> {
    let (tsa_ca, stamped) = stamps;
    let mut seen = HashMap::new();
    let mut src = Counting {
        inner: std::io::BufReader::with_capacity(1 << 16, file),
        taken: 0,
    };
    let mut ids: HashMap<String, Option<String>> = HashMap::new();
    let mut pending: Vec<(usize, &'static str, String)> = Vec::new();
    let mut n = 0usize;
    loop {
        match src.fill_buf() {
            Ok([]) => break,
            Ok(_) => {}
            Err(e) => {
                problems.push(format!("{name}: unreadable after record {n} ({e})"));
                break;
            }
        }
        n += 1;
        let start = src.taken;
        let at = |what: String| format!("{name} record {n}: {what}");
        let mut gz =
            std::io::BufReader::with_capacity(1 << 16, flate2::bufread::GzDecoder::new(&mut src));
        // Blocks small enough to be a token are kept (a capture's
        // timestamp is checked from its record's block).
        let record = read_record(&mut gz, Some(MAX_TOKEN)).map(Parsed::from);
        // Whatever is left of this member (a record must end with it).
        let rest = std::io::copy(&mut gz, &mut std::io::sink());
        drop(gz);
        let record = match (record, rest) {
            (Ok(r), Ok(0)) => r,
            (Ok(mut r), Ok(_)) => {
                r.problems
                    .push("bytes after the record in its gzip member".into());
                r
            }
            (Err(why), _) | (Ok(_), Err(why)) => {
                problems.push(at(why.to_string()));
                break;
            }
        };
        let length = src.taken - start;
        if n == 1 && record.kind != "warcinfo" {
            problems.push(at("the first record is not warcinfo".into()));
        }
        for p in record.problems {
            problems.push(at(p));
        }
        match record.heads.as_deref() {
            Some("recorded") => heads.0 += 1,
            Some("reconstructed") => heads.1 += 1,
            _ => {}
        }
        if ids
            .insert(record.id.clone(), record.payload.clone())
            .is_some()
        {
            problems.push(at(format!("record ID {} repeats", clean(&record.id))));
        }
        if let Some(token) = &record.token {
            match check_capture_stamp(token, record.concurrent_to.as_deref(), &ids, tsa_ca) {
                Ok(()) => *stamped += 1,
                Err(why) => problems.push(at(format!("its capture timestamp: {why}"))),
            }
        }
        if let Some(to) = record.refers_to {
            pending.push((n, "refers to", to));
        }
        if let Some(to) = record.concurrent_to {
            pending.push((n, "is concurrent to", to));
        }
        seen.insert(
            start,
            Seen {
                length,
                target: record.target,
                payload: record.payload,
            },
        );
    }
    for (n, how, id) in pending {
        if !ids.contains_key(&id) {
            problems.push(format!(
                "{name} record {n} {how} {}, which is not in the archive",
                clean(&id)
            ));
        }
    }
    seen
}

/// The largest token block kept for checking.
const MAX_TOKEN: u64 = 64 << 10;

/// A capture's token must be a valid TimeStampResp whose imprint is the
/// payload digest (`sha256:` hex) of the record it is concurrent to, read
/// before it.
fn check_capture_stamp(
    token: &[u8],
    concurrent_to: Option<&str>,
    ids: &HashMap<String, Option<String>>,
    tsa_ca: &[Certificate],
) -> std::result::Result<(), String> {
    let to = concurrent_to.ok_or("it names no capture record (WARC-Concurrent-To)")?;
    let digest = match ids.get(to) {
        None => return Err(format!("it names {}, not a record before it", clean(to))),
        Some(None) => return Err("the record it names has no payload digest".into()),
        Some(Some(d)) => d,
    };
    let sha = digest
        .strip_prefix("sha256:")
        .and_then(super::stamps::unhex)
        .ok_or_else(|| format!("the record's digest {} is not sha256 hex", clean(digest)))?;
    timestamp::check_reply_digest(token, &sha, None, tsa_ca).map(|_| ())
}

/// What the sequence and index checks need of a record.
struct Parsed {
    kind: String,
    id: String,
    target: Option<String>,
    payload: Option<String>,
    refers_to: Option<String>,
    concurrent_to: Option<String>,
    heads: Option<String>,
    /// The block of a capture's timestamp record (a `metadata` record of
    /// the token's content type).
    token: Option<Vec<u8>>,
    problems: Vec<String>,
}

impl From<WarcRecord> for Parsed {
    fn from(mut r: WarcRecord) -> Self {
        let payload = r.payload.take();
        let get = |k: &str| r.header(k).map(str::to_string);
        let is_token = r.kind() == "metadata"
            && r.header("content-type")
                .is_some_and(|t| t.eq_ignore_ascii_case(super::stamps::TOKEN_TYPE));
        let token = match (is_token, payload) {
            (true, Some(block)) => Some(block),
            // Larger than any token: checked, and refused, as empty.
            (true, None) => Some(Vec::new()),
            (false, _) => None,
        };
        Parsed {
            token,
            kind: r.kind().to_string(),
            id: get("warc-record-id").unwrap_or_default(),
            target: get("warc-target-uri"),
            payload: get("warc-payload-digest").map(|p| p.to_ascii_lowercase()),
            refers_to: get("warc-refers-to"),
            concurrent_to: get("warc-concurrent-to"),
            heads: get("warc-redline-headers"),
            problems: r.problems,
        }
    }
}

/// Every index line must point at a record that is there, with its URL and
/// digest; lines must be sorted (replay tools binary-search them).
fn check_index(f: impl Read, records: &HashMap<u64, Seen>, check: &mut WaczCheck) {
    let reader = std::io::BufReader::new(f);
    let mut previous = String::new();
    for (i, line) in reader.lines().enumerate() {
        let n = i + 1;
        let Ok(line) = line else {
            check.problems.push(format!("index line {n}: unreadable"));
            return;
        };
        if line.trim().is_empty() {
            continue;
        }
        check.index_lines += 1;
        if line < previous {
            check.problems.push(format!("index line {n}: out of order"));
        }
        let json_at = line.find('{');
        let entry: Option<serde_json::Value> =
            json_at.and_then(|at| serde_json::from_str(&line[at..]).ok());
        let Some(entry) = entry else {
            check.problems.push(format!("index line {n}: no JSON part"));
            previous = line;
            continue;
        };
        let text = |k: &str| {
            entry
                .get(k)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let offset: Option<u64> = text("offset").parse().ok();
        let length: Option<u64> = text("length").parse().ok();
        let file = text("filename");
        match offset.and_then(|o| records.get(&offset_key(&file, o))) {
            None => check.problems.push(format!(
                "index line {n}: points at no record ({} at {})",
                clean(&file),
                clean(&text("offset"))
            )),
            Some(seen) => {
                if Some(seen.length) != length
                    || seen.target.as_deref() != Some(text("url").as_str())
                    || seen.payload.as_deref() != Some(text("digest").to_ascii_lowercase().as_str())
                {
                    check.problems.push(format!(
                        "index line {n}: does not match the record it points at ({})",
                        clean(&text("url"))
                    ));
                }
            }
        }
        previous = line;
    }
}
