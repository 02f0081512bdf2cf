//! WARC and WACZ files made elsewhere (wget, Browsertrix, ArchiveWeb.page,
//! another Redline): each HTML page an archive holds — a `response` record
//! with a 2xx answer, or a `resource` record of an http(s) address — becomes
//! an item to import with its original capture time (`WARC-Date`).
//!
//! A `revisit` record (the same payload as an earlier record, or a 304)
//! becomes an unchanged capture of the page it repeats, at its own time.
//!
//! Records are read with the WACZ checker's reader
//! ([`crate::export::wacz::read`]), so digests are checked the same way: a
//! record whose payload does not match its `WARC-Payload-Digest` is a
//! failure of that record, never of the archive.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use chrono::{DateTime, Utc};

use super::{ArchivedPage, ArchivedRevisit, Item};
use crate::address;
use crate::export::wacz::read::{clean, each_record, WarcRecord};

/// What kind of archive a file is, by its name.
pub(crate) fn is_archive(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    name.ends_with(".warc") || name.ends_with(".warc.gz") || name.ends_with(".wacz")
}

/// One record of an archive as it is walked, numbered across all the
/// archive's WARC files (a WACZ's in name order), or a file that cannot be
/// read at all.
enum Step {
    Record {
        seq: u64,
        origin: String,
        record: std::io::Result<WarcRecord>,
    },
    Failed(Item),
}

/// Walks every record of the archive at `path` (WARC, gzipped WARC or
/// WACZ), payloads kept up to `keep` bytes, until `visit` answers false.
fn walk(path: &Path, keep: Option<u64>, visit: &mut dyn FnMut(Step) -> bool) {
    let fail = |reason: String| {
        Step::Failed(Item::Failed {
            origin: path.display().to_string(),
            code: "io",
            reason,
        })
    };
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            visit(fail(e.to_string()));
            return;
        }
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut seq = 0u64;
    if name.ends_with(".wacz") {
        let mut zip = match zip::ZipArchive::new(std::io::BufReader::new(file)) {
            Ok(z) => z,
            Err(e) => {
                visit(fail(format!("not a WACZ (zip) file: {e}")));
                return;
            }
        };
        let mut warcs: Vec<String> = zip
            .file_names()
            .filter(|n| {
                n.starts_with("archive/") && (n.ends_with(".warc") || n.ends_with(".warc.gz"))
            })
            .map(str::to_string)
            .collect();
        warcs.sort();
        for warc in warcs {
            let entry = match zip.by_name(&warc) {
                Ok(e) => e,
                Err(e) => {
                    if !visit(fail(format!("{warc}: {e}"))) {
                        return;
                    }
                    continue;
                }
            };
            let base = warc.rsplit('/').next().unwrap_or(&warc).to_string();
            if !walk_warc(entry, &base, warc.ends_with(".gz"), keep, &mut seq, visit) {
                return;
            }
        }
    } else {
        let base = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("archive")
            .to_string();
        walk_warc(file, &base, name.ends_with(".gz"), keep, &mut seq, visit);
    }
}

/// One WARC file's records; false when `visit` asked to stop.
fn walk_warc(
    file: impl Read,
    name: &str,
    gzipped: bool,
    keep: Option<u64>,
    seq: &mut u64,
    visit: &mut dyn FnMut(Step) -> bool,
) -> bool {
    let mut n = 0usize;
    let mut going = true;
    each_record(file, gzipped, keep, |record| {
        n += 1;
        *seq += 1;
        let origin = match &record {
            Ok(_) => format!("{name} record {n}"),
            Err(_) => format!("{name} after record {}", n - 1),
        };
        going = visit(Step::Record {
            seq: *seq,
            origin,
            record,
        });
        going
    });
    going
}

/// Reads `path` (WARC, gzipped WARC or WACZ) and hands each item to `send`
/// until it answers false (the importer went away). Runs on a blocking
/// thread: reading is plain file I/O and decompression.
///
/// The captures of one address are handed on in capture-time order
/// (`WARC-Date`, ties in file order), whatever order the file lists them
/// in: the importer numbers versions in the order it stores them, and a
/// WARC made elsewhere may list a later capture first. A first reading
/// (headers and digests only, nothing kept) finds that order; the second
/// holds back only a record that comes before its turn, so memory grows
/// with the records out of order, not with the archive.
pub(crate) fn read_archive(path: &Path, max_bytes: u64, mut send: impl FnMut(Item) -> bool) {
    let plan = Plan::read(path);
    let mut order = InOrder::new(plan, &mut send);
    walk(path, Some(max_bytes), &mut |step| match step {
        Step::Failed(item) => order.emit(item),
        Step::Record {
            seq,
            origin,
            record,
        } => {
            let item = match record {
                Err(e) => Some(Found::Item(Item::Failed {
                    origin,
                    code: "invalid",
                    reason: format!("unreadable: {e}"),
                })),
                Ok(r) => page_of(r, &origin),
            };
            order.arrive(seq, item)
        }
    });
    order.finish();
}

/// An archive record's address: the `WARC-Target-URI`, without the angle
/// brackets WARC 1.0 writers put around it.
fn target_of(r: &WarcRecord) -> String {
    r.header("warc-target-uri")
        .unwrap_or_default()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string()
}

/// The key captures of `target` are grouped under: the library's source
/// key where the address parses, else the address itself.
fn group_key(target: &str) -> String {
    address::parse_clip_url(target)
        .map(|u| address::url_key(&u))
        .unwrap_or_else(|_| target.to_string())
}

/// The capture-time order of the records that may hold a capture: per
/// address, record numbers sorted by `WARC-Date`, then by number.
#[derive(Default)]
struct Plan {
    /// Record number → (its address's group, its rank there).
    place: HashMap<u64, (usize, usize)>,
    groups: Vec<Vec<u64>>,
}

impl Plan {
    fn read(path: &Path) -> Plan {
        let mut by_key: HashMap<String, Vec<(DateTime<Utc>, u64)>> = HashMap::new();
        walk(path, Some(0), &mut |step| {
            if let Step::Record {
                seq, record: Ok(r), ..
            } = step
            {
                let target = target_of(&r);
                let date = r.header("warc-date").and_then(crate::time::parse);
                let http = target.starts_with("http://") || target.starts_with("https://");
                if let (true, true, Some(at)) = (
                    matches!(r.kind(), "response" | "resource" | "revisit"),
                    http,
                    date,
                ) {
                    by_key
                        .entry(group_key(&target))
                        .or_default()
                        .push((at, seq));
                }
            }
            true
        });
        let mut plan = Plan::default();
        for (_, mut records) in by_key {
            records.sort();
            let g = plan.groups.len();
            for (rank, &(_, seq)) in records.iter().enumerate() {
                plan.place.insert(seq, (g, rank));
            }
            plan.groups
                .push(records.into_iter().map(|(_, seq)| seq).collect());
        }
        plan
    }
}

/// Hands items on in the plan's order: a record whose address has an
/// earlier capture still to come waits for it. Revisits are resolved as
/// they are handed on, against the pages handed on before them (which, in
/// capture-time order, include the page they repeat).
struct InOrder<'a, F: FnMut(Item) -> bool> {
    plan: Plan,
    /// Per group, the rank of the next record to hand on.
    next: Vec<usize>,
    held: HashMap<u64, Option<Found>>,
    seen: Seen,
    send: &'a mut F,
}

impl<'a, F: FnMut(Item) -> bool> InOrder<'a, F> {
    fn new(plan: Plan, send: &'a mut F) -> Self {
        InOrder {
            next: vec![0; plan.groups.len()],
            plan,
            held: HashMap::new(),
            seen: Seen::default(),
            send,
        }
    }

    fn emit(&mut self, item: Item) -> bool {
        (self.send)(item)
    }

    fn emit_read(&mut self, read: Option<Found>) -> bool {
        let item = match read {
            None => return true,
            Some(Found::Item(item)) => item,
            Some(Found::Page { page, names }) => {
                self.seen.note(
                    &names,
                    Some(Original {
                        target: page.target.clone(),
                        raw_sha256: page.raw_sha256.clone(),
                    }),
                );
                Item::Page(page)
            }
            Some(Found::NotPage { item, names }) => {
                self.seen.note(&names, None);
                item
            }
            Some(Found::Revisit(r)) => self.seen.resolve(*r),
        };
        self.emit(item)
    }

    /// Record `seq` has been read (`read` None: it holds nothing to hand
    /// on, but its turn is over all the same).
    fn arrive(&mut self, seq: u64, read: Option<Found>) -> bool {
        let Some(&(g, rank)) = self.plan.place.get(&seq) else {
            return self.emit_read(read);
        };
        if rank != self.next[g] {
            self.held.insert(seq, read);
            return true;
        }
        if !self.emit_read(read) {
            return false;
        }
        self.next[g] += 1;
        while let Some(&s) = self.plan.groups[g].get(self.next[g]) {
            let Some(read) = self.held.remove(&s) else {
                break;
            };
            if !self.emit_read(read) {
                return false;
            }
            self.next[g] += 1;
        }
        true
    }

    /// Hands on what is still held (the second reading stopped short of
    /// an earlier capture, at an unreadable record), in order.
    fn finish(mut self) {
        let mut rest: Vec<(u64, Option<Found>)> = self.held.drain().collect();
        rest.sort_by_key(|(seq, _)| self.plan.place.get(seq).copied());
        for (_, read) in rest {
            if !self.emit_read(read) {
                return;
            }
        }
    }
}

/// What a record comes to once read, before its turn.
enum Found {
    Item(Item),
    /// A page, with the names a later revisit may give it.
    Page {
        page: Box<ArchivedPage>,
        names: Names,
    },
    /// A record that holds no page (an image, a 404): a revisit of it is
    /// skipped as it was.
    NotPage {
        item: Item,
        names: Names,
    },
    Revisit(Box<Revisit>),
}

/// How a revisit may name the record it repeats.
struct Names {
    id: Option<String>,
    digest: Option<String>,
    key: String,
}

/// A page handed on, as a revisit of it needs it.
#[derive(Clone)]
struct Original {
    target: String,
    raw_sha256: String,
}

/// The records handed on so far, by record id, payload digest and
/// address (the latest there); None for one that holds no page.
#[derive(Default)]
struct Seen {
    by_id: HashMap<String, Option<Original>>,
    by_digest: HashMap<String, Option<Original>>,
    by_key: HashMap<String, Option<Original>>,
}

impl Seen {
    fn note(&mut self, names: &Names, original: Option<Original>) {
        if let Some(id) = &names.id {
            self.by_id.insert(id.clone(), original.clone());
        }
        if let Some(d) = &names.digest {
            self.by_digest.insert(d.clone(), original.clone());
        }
        self.by_key.insert(names.key.clone(), original);
    }

    /// The item a revisit comes to: an unchanged capture of the page it
    /// repeats, a plain skip when that record held no page, or a skip with
    /// a word when it names nothing handed on before it.
    fn resolve(&self, r: Revisit) -> Item {
        let by_id = r.refers_id.as_ref().and_then(|id| self.by_id.get(id));
        let by_digest = || r.digest.as_ref().and_then(|d| self.by_digest.get(d));
        // A 304 names at most the address whose page did not change.
        let by_address = || {
            r.not_modified
                .then(|| {
                    let at = r.refers_target.as_deref().unwrap_or(&r.target);
                    self.by_key.get(&group_key(at))
                })
                .flatten()
        };
        match by_id.or_else(by_digest).or_else(by_address) {
            Some(None) => Item::Skipped,
            Some(Some(original)) => Item::Revisit(Box::new(ArchivedRevisit {
                origin: r.origin,
                target: r.target,
                original_target: original.target.clone(),
                original_sha256: original.raw_sha256.clone(),
                captured_at: r.captured_at,
                not_modified: r.not_modified,
                status: r.status,
                etag: r.etag,
                last_modified: r.last_modified,
                content_type: r.content_type,
            })),
            None => Item::Noted {
                origin: r.origin,
                code: "revisit_unresolved",
                reason: "a revisit of a record this archive does not hold before it \
                         (or one that was not read): there is no page to mark unchanged"
                    .into(),
            },
        }
    }
}

/// A revisit record as read, before it is resolved.
struct Revisit {
    origin: String,
    target: String,
    captured_at: String,
    refers_id: Option<String>,
    refers_target: Option<String>,
    digest: Option<String>,
    not_modified: bool,
    status: Option<u16>,
    etag: Option<String>,
    last_modified: Option<String>,
    content_type: Option<String>,
}

/// Revisit profiles (WARC 1.1 and 1.0): the payload was the same as the
/// record named, or the server answered "not modified".
const IDENTICAL_PAYLOAD: [&str; 2] = [
    "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest",
    "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest",
];
const SERVER_NOT_MODIFIED: [&str; 2] = [
    "http://netpreserve.org/warc/1.1/revisit/server-not-modified",
    "http://netpreserve.org/warc/1.0/revisit/server-not-modified",
];

/// The page a record holds, a failure, a skip (a response that is not an
/// HTML page), a revisit to resolve, or None for records that never hold
/// one (warcinfo, request, metadata).
fn page_of(r: WarcRecord, origin: &str) -> Option<Found> {
    let kind = r.kind().to_string();
    if !matches!(kind.as_str(), "response" | "resource" | "revisit") {
        return None;
    }
    let target = target_of(&r);
    let http = target.starts_with("http://") || target.starts_with("https://");
    if !http {
        // Redline's own exports carry version texts as `urn:` resources.
        return None;
    }
    let origin = format!("{origin} ({})", clean(&target));
    let failed = |code: &'static str, reason: String| {
        Some(Found::Item(Item::Failed {
            origin: origin.clone(),
            code,
            reason,
        }))
    };
    if !r.problems.is_empty() {
        return failed("invalid", r.problems.join("; "));
    }
    let Some(date) = r
        .header("warc-date")
        .and_then(crate::time::parse)
        .map(crate::time::format)
    else {
        return failed("invalid", "no readable WARC-Date".into());
    };
    if kind == "revisit" {
        return revisit_of(&r, origin, target, date);
    }
    let names = Names {
        id: r.header("warc-record-id").map(str::to_string),
        digest: r.header("warc-payload-digest").map(str::to_string),
        key: group_key(&target),
    };
    let (status, headers) = if kind == "response" {
        match parse_http_head(&r.http_head) {
            Some(h) => h,
            None => return failed("invalid", "no HTTP status line".into()),
        }
    } else {
        let ct = r.header("content-type").unwrap_or("text/html").to_string();
        (200, vec![("content-type".to_string(), ct)])
    };
    let not_page = |names| {
        Some(Found::NotPage {
            item: Item::Skipped,
            names,
        })
    };
    if !(200..300).contains(&status) {
        return not_page(names);
    }
    let content_type = headers
        .iter()
        .find(|(n, _)| n == "content-type")
        .map(|(_, v)| v.clone());
    let Some(payload) = r.payload else {
        return failed(
            "too_large",
            format!(
                "its page is larger than the limit ({} bytes)",
                r.payload_len
            ),
        );
    };
    let body = match decode_body(payload, &headers) {
        Ok(b) => b,
        Err(why) => return failed("invalid", why),
    };
    let is_page = match content_type.as_deref().map(str::to_ascii_lowercase) {
        Some(ct) => ct.starts_with("text/html") || ct.starts_with("application/xhtml"),
        None => crate::derived::TextFormat::sniff(&body) == crate::derived::TextFormat::Html,
    };
    if !is_page {
        return not_page(names);
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    Some(Found::Page {
        page: Box::new(ArchivedPage {
            origin,
            raw_sha256: crate::hash::sha256_hex(&body),
            target,
            captured_at: date,
            response: kind == "response",
            status,
            content_type,
            etag: header("etag"),
            last_modified: header("last-modified"),
            body,
        }),
        names,
    })
}

/// A revisit record: "this address was captured at this time, and its
/// payload was that of an earlier record" (identical payload), or "the
/// server said it had not changed" (not modified, or a 304 head).
fn revisit_of(r: &WarcRecord, origin: String, target: String, date: String) -> Option<Found> {
    let profile = r.header("warc-profile").unwrap_or_default();
    let head = parse_http_head(&r.http_head);
    let status = head.as_ref().map(|(s, _)| *s);
    let identical = IDENTICAL_PAYLOAD.contains(&profile);
    let not_modified = SERVER_NOT_MODIFIED.contains(&profile) || status == Some(304);
    if !identical && !not_modified {
        return Some(Found::Item(Item::Noted {
            origin,
            code: "revisit_profile",
            reason: format!(
                "a revisit of a kind Redline does not read (profile {:?})",
                clean(profile)
            ),
        }));
    }
    let header = |name: &str| {
        head.as_ref().and_then(|(_, headers)| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        })
    };
    let unbracket = |v: &str| v.trim_start_matches('<').trim_end_matches('>').to_string();
    Some(Found::Revisit(Box::new(Revisit {
        origin,
        captured_at: date,
        refers_id: r.header("warc-refers-to").map(str::to_string),
        refers_target: r.header("warc-refers-to-target-uri").map(unbracket),
        digest: r.header("warc-payload-digest").map(str::to_string),
        not_modified,
        status,
        etag: header("etag"),
        last_modified: header("last-modified"),
        content_type: header("content-type"),
        target,
    })))
}

/// The status and headers (names lowercased) of an HTTP response head.
fn parse_http_head(head: &[u8]) -> Option<(u16, Vec<(String, String)>)> {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.lines();
    let status_line = lines.next()?;
    if !status_line.starts_with("HTTP/") {
        return None;
    }
    let status: u16 = status_line.split_whitespace().nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some((status, headers))
}

/// The body as the page was meant to be read: de-chunked, and
/// decompressed when the archive kept it as sent (wget keeps `gzip`).
fn decode_body(payload: Vec<u8>, headers: &[(String, String)]) -> Result<Vec<u8>, String> {
    let has = |name: &str, value: &str| {
        headers
            .iter()
            .any(|(n, v)| n == name && v.to_ascii_lowercase().contains(value))
    };
    let mut body = if has("transfer-encoding", "chunked") {
        dechunk(&payload).ok_or("its chunked body is cut off or malformed")?
    } else {
        payload
    };
    let encoding = headers
        .iter()
        .find(|(n, _)| n == "content-encoding")
        .map(|(_, v)| v.trim().to_ascii_lowercase());
    let limit = body.len() as u64 * 64 + (1 << 20);
    match encoding.as_deref() {
        None | Some("") | Some("identity") => {}
        Some("gzip" | "x-gzip") => {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(&body[..])
                .take(limit)
                .read_to_end(&mut out)
                .map_err(|e| format!("its gzip body does not inflate: {e}"))?;
            body = out;
        }
        Some("deflate") => {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(&body[..])
                .take(limit)
                .read_to_end(&mut out)
                .map_err(|e| format!("its deflate body does not inflate: {e}"))?;
            body = out;
        }
        Some(other) => {
            return Err(format!(
                "its body is {other}-encoded, which Redline does not read"
            ))
        }
    }
    Ok(body)
}

/// HTTP/1.1 chunked transfer coding, undone.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        if data.len() < size + 2 {
            return None;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies_are_joined() {
        assert_eq!(
            dechunk(b"5\r\nhello\r\n6; ext=1\r\n world\r\n0\r\n\r\n").as_deref(),
            Some(&b"hello world"[..])
        );
        assert_eq!(dechunk(b"5\r\nhel"), None);
    }
}
