//! The sync protocol: what desktops and `redline serve` exchange, shared by
//! both sides so they cannot drift apart.
//!
//! A team library has one counter, its *version*, that every write moves on
//! (as Zotero's library version does). Each object carries the version that
//! last wrote it, so `changes?since=N` returns exactly what changed after N,
//! and a push names the version it was built on: a library that moved past
//! it answers 412 and the desktop pulls first. Objects are keyed by stable
//! names that two devices reach independently (a source by its URL key, a
//! version by its source and text hash), so independent clips of one story
//! merge as a union instead of duplicating.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::article::Block;

/// The header a push names its base version in (Zotero's name).
pub const BASE_VERSION_HEADER: &str = "if-unmodified-since-version";
/// The header every answer carries the library's current version in.
pub const LIBRARY_VERSION_HEADER: &str = "last-modified-version";
/// Most objects in one page of changes.
pub const PAGE_LIMIT: i64 = 500;
/// Largest raw capture accepted (the fetch limit is 50 MiB) plus slack.
pub const MAX_BLOB_BYTES: usize = 56 << 20;
/// Largest push body (a page of objects with their texts).
pub const MAX_PUSH_BYTES: usize = 48 << 20;
/// Largest version text or note body, in bytes.
pub const MAX_TEXT_BYTES: usize = 8 << 20;
/// Most blobs named in one batch request.
pub const MAX_BLOBS_PER_BATCH: usize = 1_000;
/// The size a batch of blobs is cut at: a client sends at most this much
/// (or one blob past it, when that blob alone is larger), and the server
/// answers a fetch with at most this much (the rest are asked again).
pub const BLOB_BATCH_BYTES: usize = 16 << 20;
/// Largest batch body the server takes.
pub const MAX_BLOB_BATCH_BODY: usize =
    BLOB_BATCH_BYTES + MAX_BLOB_BYTES + MAX_BLOBS_PER_BATCH * BLOB_FRAME_HEAD;
/// A frame's head: the hex SHA-256 and the length (8 bytes, big-endian).
const BLOB_FRAME_HEAD: usize = 64 + 8;

/// A member's role in a team library.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, rename = "TeamRole")]
pub enum Role {
    /// Invites and revokes members; writes.
    Owner,
    /// Writes.
    Editor,
    /// Reads only.
    Viewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Editor => "editor",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "owner" => Some(Role::Owner),
            "editor" => Some(Role::Editor),
            "viewer" => Some(Role::Viewer),
            _ => None,
        }
    }

    pub fn can_write(self) -> bool {
        self != Role::Viewer
    }
}

/// Who a token belongs to (`GET /v1/me`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Me {
    pub library_id: i64,
    pub library_name: String,
    pub member: String,
    pub role: Role,
}

/// One synced object: its key, the library version that last wrote it, who
/// wrote it, and what it is.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Object {
    pub key: String,
    #[serde(default)]
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    pub item: Item,
}

/// What an object is. Versions, captures and note revisions never change
/// once written (the server keeps the first copy); the rest are replaced
/// whole by the last push (last writer by library version).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Item {
    Project(ProjectBody),
    Source(SourceBody),
    Version(VersionBody),
    Capture(CaptureBody),
    /// A source in a project: an add/remove register, last writer wins.
    Membership(MembershipBody),
    /// A tag on a shared source: an add/remove register, last writer wins.
    SourceTag(SourceTagBody),
    /// A highlight on a shared version: its comment and label are a
    /// register (last writer wins); deleting it leaves a tombstone.
    Highlight(HighlightBody),
    Note(NoteBody),
    NoteRevision(NoteRevisionBody),
}

impl Item {
    pub fn kind(&self) -> &'static str {
        match self {
            Item::Project(_) => "project",
            Item::Source(_) => "source",
            Item::Version(_) => "version",
            Item::Capture(_) => "capture",
            Item::Membership(_) => "membership",
            Item::SourceTag(_) => "source_tag",
            Item::Highlight(_) => "highlight",
            Item::Note(_) => "note",
            Item::NoteRevision(_) => "note_revision",
        }
    }

    /// True for kinds whose objects are never rewritten.
    pub fn immutable(&self) -> bool {
        matches!(
            self,
            Item::Version(_) | Item::Capture(_) | Item::NoteRevision(_)
        )
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ProjectBody {
    pub name: String,
    pub description: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SourceBody {
    pub url_key: Option<String>,
    pub url: Option<String>,
    /// Whether the team watches the story: a register like the others (last
    /// writer wins), so every desk has it due and the server's lease picks
    /// the one that re-checks it. Absent from desks that predate it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watched: Option<bool>,
}

/// A version's article; its key is `{source key}/{text_sha256}`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct VersionBody {
    pub source: String,
    pub created_at: String,
    pub title: String,
    pub byline: Option<String>,
    pub site_name: Option<String>,
    pub lang: Option<String>,
    pub dir: String,
    pub published_at: Option<String>,
    pub modified_at: Option<String>,
    pub excerpt: Option<String>,
    pub blocks: Vec<Block>,
    /// `normalize::fingerprint(title, blocks)`; the server recomputes it.
    pub text_sha256: String,
}

/// A capture's facts; its raw bytes travel once, as the blob `raw_sha256`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CaptureBody {
    pub source: String,
    pub captured_at: String,
    pub method: String,
    pub requested_url: Option<String>,
    pub final_url: Option<String>,
    pub canonical_url: Option<String>,
    pub http_status: Option<i64>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_type: Option<String>,
    pub charset: Option<String>,
    pub raw_size: i64,
    pub raw_sha256: String,
    pub outcome: String,
    /// The text hash of the version the capture made or matched.
    pub version_sha256: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct MembershipBody {
    pub project: String,
    pub source: String,
    /// False: removed (a tombstone; adding again sets it back).
    pub present: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SourceTagBody {
    pub source: String,
    /// The tag's name as the desk that wrote it spells it.
    pub tag: String,
    /// False: removed (a tombstone; tagging again sets it back).
    pub present: bool,
}

/// A passage a member highlighted: char offsets into the version's text
/// (which the version's hash fixes), the passage itself, and the comment.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct HighlightBody {
    /// The version's key.
    pub version: String,
    pub start: i64,
    pub end: i64,
    pub text: String,
    pub comment: String,
    pub label: String,
    pub created_at: String,
    /// True: deleted (the body is kept, so the deletion can be undone).
    pub deleted: bool,
}

/// A note: which projects hold it, its current revisions, and whether it is
/// deleted. More than one head is a conflict the reporter resolves.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct NoteBody {
    pub projects: Vec<String>,
    /// The revisions no later revision names as parent (the server's). In a
    /// push: the heads the desktop stood on; a deletion that had not seen
    /// every head is not applied (an edit wins over a deletion unaware of it).
    #[serde(default)]
    pub heads: Vec<String>,
    pub deleted: bool,
}

/// One saved state of a note; `parents` are the heads it was written on.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct NoteRevisionBody {
    pub note: String,
    pub parents: Vec<String>,
    pub title: String,
    pub body: String,
    pub saved_at: String,
    /// The team keys of the body's citations (`"h12"` → the highlight's
    /// key): the ids in a note are its desk's own. Absent in revisions from
    /// before citations travelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citations: Option<BTreeMap<String, String>>,
}

/// `GET /v1/libraries/{id}/changes?since=N`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Changes {
    pub objects: Vec<Object>,
    /// Pull again from here; the library version when `more` is false.
    pub next: i64,
    pub more: bool,
}

/// `GET /v1/libraries/{id}/projects`: every project of the team library
/// (what a desk may follow), and the library's version.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Projects {
    pub version: i64,
    pub projects: Vec<Object>,
}

/// `POST /v1/libraries/{id}/push`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Push {
    pub objects: Vec<Object>,
}

/// The answer to a push.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pushed {
    /// The library's version after the push.
    pub version: i64,
    /// Whether a link this push made (a story put in a project, a note in
    /// another project) brought objects written before it into a project's
    /// scope. A desk that follows projects then pulls from where it was;
    /// else it has everything up to `version` and moves its cursors there.
    /// True from a server that does not say.
    #[serde(default = "brought_older_unknown")]
    pub brought_older: bool,
    /// Notes as the server now holds them (their heads may differ from what
    /// the desktop knew: a conflict).
    pub notes: Vec<Object>,
    /// Keys of notes that now have more than one head.
    pub conflicts: Vec<String>,
}

fn brought_older_unknown() -> bool {
    true
}

/// Blobs in batches: `POST …/blobs/missing` (which of these the server
/// lacks) and `POST …/blobs/fetch` (their bytes) name them in this list; the
/// bytes go up (`POST …/blobs`) and come down as frames (see
/// [`encode_blobs`]). One request per batch instead of one per capture: a
/// 10,000-capture project no longer spends the per-token rate limit on
/// 10,000 requests, nor the server a commit on each.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct BlobList {
    pub sha256: Vec<String>,
}

/// Whether `sha` names a blob as the protocol does: lowercase hex SHA-256.
pub fn is_blob_name(sha: &str) -> bool {
    sha.len() == 64
        && sha
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Frames blobs for a batch: for each, its hex SHA-256, its length as 8
/// bytes big-endian, its bytes (no copy of a blob into JSON or base64).
pub fn encode_blobs<'a>(blobs: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Vec<u8> {
    let mut out = Vec::new();
    for (sha, bytes) in blobs {
        out.extend_from_slice(sha.as_bytes());
        out.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
        out.extend_from_slice(bytes);
    }
    out
}

/// Reads the frames of [`encode_blobs`]; says what is wrong with a body
/// that is not such frames (a bad name, a length past the body or past
/// [`MAX_BLOB_BYTES`], too many blobs). The names are not checked against
/// the bytes here: each side hashes what it receives.
pub fn decode_blobs(mut body: &[u8]) -> Result<Vec<(&str, &[u8])>, String> {
    let mut out = Vec::new();
    while !body.is_empty() {
        if out.len() == MAX_BLOBS_PER_BATCH {
            return Err(format!(
                "more than {MAX_BLOBS_PER_BATCH} blobs in one batch"
            ));
        }
        if body.len() < BLOB_FRAME_HEAD {
            return Err("a blob frame is cut short".into());
        }
        let (head, rest) = body.split_at(BLOB_FRAME_HEAD);
        let sha = std::str::from_utf8(&head[..64])
            .ok()
            .filter(|s| is_blob_name(s))
            .ok_or("a blob is named by its lowercase hex SHA-256")?;
        let len = u64::from_be_bytes(head[64..].try_into().expect("8 bytes"));
        if len > MAX_BLOB_BYTES as u64 {
            return Err(format!("blob {sha} is larger than {MAX_BLOB_BYTES} bytes"));
        }
        let len = len as usize;
        if rest.len() < len {
            return Err(format!("blob {sha} is cut short"));
        }
        let (bytes, rest) = rest.split_at(len);
        out.push((sha, bytes));
        body = rest;
    }
    Ok(out)
}

/// `POST /v1/libraries/{id}/leases`: the shared sources a desk is about to
/// re-check, and for how long it asks to hold each.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LeaseRequest {
    pub sources: Vec<String>,
    pub seconds: u32,
}

/// The sources whose re-check is this desk's (the rest another member
/// holds; their results arrive by sync).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Leases {
    pub granted: Vec<String>,
}

/// Most sources in one lease request.
pub const MAX_LEASE_SOURCES: usize = 5000;
/// Longest lease a desk may hold (a lease outlives a desk that went away
/// only this long).
pub const MAX_LEASE_SECONDS: u32 = 3600;

/// An invitation (`POST /v1/libraries/{id}/members`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Invite {
    pub name: String,
    pub role: Role,
}

/// The token of a new member: shown once, stored by the server only as a hash.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[ts(export, rename = "TeamInvited")]
pub struct Invited {
    pub name: String,
    pub role: Role,
    pub token: String,
}

/// A member as the owner sees them.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[ts(export, rename = "TeamMember")]
pub struct MemberInfo {
    pub name: String,
    pub role: Role,
    pub revoked: bool,
}

/// An error answer: a stable code and a sentence.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

/// The key of a source: its URL key when it has one (two desks clipping one
/// story meet on it), else an id made when it was first shared.
pub fn source_key(url_key: Option<&str>, id: &str) -> String {
    match url_key {
        Some(k) => format!("url:{k}"),
        None => format!("id:{id}"),
    }
}

/// The key of a version: its source and text hash.
pub fn version_key(source: &str, text_sha256: &str) -> String {
    format!("{source}#{text_sha256}")
}

/// The key of a capture: its source, raw hash and time.
pub fn capture_key(source: &str, raw_sha256: &str, captured_at: &str) -> String {
    format!("{source}#{raw_sha256}#{captured_at}")
}

/// The key of a source's membership in a project.
pub fn membership_key(project: &str, source: &str) -> String {
    format!("{project}#{source}")
}

/// The key of a tag on a source. Tag names compare as the library does
/// (ASCII case folded), so "Sanctions" on one desk and "sanctions" on
/// another are one register.
pub fn source_tag_key(source: &str, tag: &str) -> String {
    format!("{source}#tag:{}", tag.trim().to_ascii_lowercase())
}

impl Item {
    /// What the object keyed `key` is pulled with when a desk follows
    /// projects: its source (a version, capture, tag or highlight), its note
    /// (a revision) or its project (the project and its memberships). A
    /// project holds a source while the source's membership is present and
    /// a note while the note names it.
    pub fn owner(&self, key: &str) -> String {
        match self {
            Item::Project(_) => format!("project:{key}"),
            Item::Membership(m) => format!("project:{}", m.project),
            Item::Source(_) => format!("source:{key}"),
            Item::Version(v) => format!("source:{}", v.source),
            Item::Capture(c) => format!("source:{}", c.source),
            Item::SourceTag(t) => format!("source:{}", t.source),
            // A version's key is `{source}#{text hash}`.
            Item::Highlight(h) => format!(
                "source:{}",
                h.version
                    .rsplit_once('#')
                    .map_or(h.version.as_str(), |(s, _)| s)
            ),
            Item::Note(_) => format!("note:{key}"),
            Item::NoteRevision(r) => format!("note:{}", r.note),
        }
    }

    /// The key this item must have when its body determines it.
    pub fn derived_key(&self) -> Option<String> {
        match self {
            Item::Version(v) => Some(version_key(&v.source, &v.text_sha256)),
            Item::Capture(c) => Some(capture_key(&c.source, &c.raw_sha256, &c.captured_at)),
            Item::Membership(m) => Some(membership_key(&m.project, &m.source)),
            Item::SourceTag(t) => Some(source_tag_key(&t.source, &t.tag)),
            Item::Source(s) => s.url_key.as_deref().map(|k| source_key(Some(k), "")),
            _ => None,
        }
    }
}

#[cfg(test)]
mod blob_frames {
    use super::*;

    fn name(c: char) -> String {
        std::iter::repeat_n(c, 64).collect()
    }

    #[test]
    fn frames_come_back_as_they_went() {
        let (a, b) = (name('a'), name('0'));
        let body = encode_blobs([
            (a.as_str(), &b"<html>first</html>"[..]),
            (b.as_str(), &b""[..]),
        ]);
        let back = decode_blobs(&body).unwrap();
        assert_eq!(
            back,
            vec![
                (a.as_str(), &b"<html>first</html>"[..]),
                (b.as_str(), &b""[..])
            ]
        );
        assert_eq!(decode_blobs(&[]).unwrap(), vec![]);
    }

    #[test]
    fn bodies_that_are_not_frames_are_refused() {
        let a = name('a');
        let body = encode_blobs([(a.as_str(), &b"0123456789"[..])]);
        // Cut in the bytes, cut in the head.
        assert!(decode_blobs(&body[..body.len() - 1])
            .unwrap_err()
            .contains("cut short"));
        assert!(decode_blobs(&body[..70]).unwrap_err().contains("cut short"));
        // A name that is not lowercase hex.
        let upper = encode_blobs([(name('A').as_str(), &b"x"[..])]);
        assert!(decode_blobs(&upper).unwrap_err().contains("lowercase hex"));
        // A length past the largest blob, however long the body.
        let mut huge = a.as_bytes().to_vec();
        huge.extend_from_slice(&u64::MAX.to_be_bytes());
        assert!(decode_blobs(&huge).unwrap_err().contains("larger than"));
        // Too many blobs.
        let many = encode_blobs((0..=MAX_BLOBS_PER_BATCH).map(|_| (a.as_str(), &b""[..])));
        assert!(decode_blobs(&many).unwrap_err().contains("more than"));
    }
}
