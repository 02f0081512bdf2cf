//! The team library at scale (issue 15, item 6), driven by `scripts/bench-team`:
//!
//!     team_bench fill DIR            a SQL script with COPY data on stdout
//!     team_bench push URL TOKEN PROJECT N SEED
//!     team_bench load URL TOKENS SECONDS PUSHER_TOKEN PROJECT
//!
//! `fill` writes the rows of a team library of 50 members and 1,000,000
//! versions (`wire`, after `redline team init` made its schema and owner),
//! spread over 200 projects, one of which (`P0`) holds 10,000; and a second
//! library (`desk`: ana, ben) holding a copy of P0 alone, which is what a
//! desk that shares that one project syncs (sync is per team library). The
//! bodies are the protocol's items exactly as `redline serve` stores them,
//! with true text and raw hashes, so the server's checks would pass on them.
//! Tokens go to DIR/tokens.tsv (`library member token`), P0's key to
//! DIR/project.
//!
//! `push` is another member clipping N new stories into a project (sources,
//! versions, captures with their bytes, memberships), through the core's
//! `team::client::Client`. `load` runs one client per member token, each
//! pulling what is new (and fetching new captures' bytes) as a desktop's
//! sync does, back to back for SECONDS, while the pusher adds a story a
//! second; it prints latency per request and per pull as JSON. In-process
//! clients, because a CLI process start (~20 ms release, library open
//! included) would dwarf a pull with nothing new.

use std::collections::HashSet;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use redline::article::Block;
use redline::hash::sha256_hex;
use redline::team::client::{Client, PushAnswer};
use redline::team::protocol::{
    capture_key, membership_key, source_key, version_key, CaptureBody, Item, MembershipBody,
    Object, ProjectBody, Push, SourceBody, VersionBody, MAX_BLOBS_PER_BATCH,
};

#[path = "../tests/common/rng.rs"]
mod rng;
use rng::Rng;

const PLACES: &[&str] = &[
    "Geneva", "Odesa", "Seoul", "Nairobi", "Caracas", "Manila", "Tbilisi", "Dakar", "Kherson",
    "Lagos", "Quito", "Yerevan",
];
const PEOPLE: &[(&str, &str)] = &[
    ("Lars Berg", "the UN envoy"),
    ("Olena Hrytsenko", "a port agent"),
    ("Min-ji Seo", "a defence analyst"),
    ("Amina Yusuf", "the finance minister"),
    ("Rafael Ortega", "an opposition lawmaker"),
    ("Nino Beridze", "a spokeswoman for the interior ministry"),
];
const REPORTERS: &[&str] = &[
    "Elena Marsh",
    "Tomás Ferreira",
    "Aiko Tanaka",
    "Kwame Mensah",
    "Sofia Lindqvist",
];
const WORDS: &[&str] = &[
    "the",
    "the",
    "the",
    "of",
    "and",
    "and",
    "to",
    "in",
    "in",
    "a",
    "on",
    "said",
    "officials",
    "talks",
    "ceasefire",
    "corridor",
    "exports",
    "tonnes",
    "insurers",
    "shelling",
    "delegation",
    "withdrawal",
    "prisoners",
    "budget",
    "inflation",
    "tariffs",
    "election",
    "turnout",
    "ministry",
    "agreement",
    "sanctions",
    "pipeline",
    "harvest",
    "refugees",
    "border",
    "monitors",
    "parliament",
    "coalition",
    "after",
    "before",
    "since",
    "during",
    "late",
    "early",
    "week",
    "government",
    "port",
    "grain",
    "convoy",
    "hospital",
    "district",
    "residents",
    "power",
    "water",
    "prices",
    "rose",
    "fell",
    "announced",
    "confirmed",
    "denied",
    "expected",
];
const VERBS: &[&str] = &["said", "told reporters", "wrote in a statement", "added"];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::with_capacity(words * 8);
    for i in 0..words {
        let w = rng.pick(WORDS);
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                s.extend(f.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

/// A story as first clipped: headline, byline, a caption, paragraphs with
/// figures and attributed quotes (~600 words, ~3.7 KB of text).
struct Story {
    title: String,
    byline: String,
    place: &'static str,
    blocks: Vec<Block>,
}

fn story(rng: &mut Rng, n: u64) -> Story {
    let place = rng.pick(PLACES);
    let title = format!("{} in {place}", &sentence(rng, 8)[..]).replace('.', "");
    let byline = format!("By {}, {place}", rng.pick(REPORTERS));
    let mut blocks = vec![Block::paragraph(format!(
        "{} Photo: Reuters/{}",
        sentence(rng, 12),
        rng.pick(REPORTERS)
    ))];
    for j in 0..16 {
        if j % 4 == 1 {
            let (who, role) = PEOPLE[rng.below(PEOPLE.len())];
            blocks.push(Block::paragraph(format!(
                "\u{201c}{}\u{201d} {} {who}, {role}.",
                sentence(rng, 16),
                rng.pick(VERBS)
            )));
        } else if j == 8 {
            blocks.push(Block::heading(sentence(rng, 5).replace('.', "")));
        } else {
            blocks.push(Block::paragraph(format!(
                "{} {} {} {}% {}",
                sentence(rng, 12),
                1000 + (n * 7919 + j) % 90_000,
                sentence(rng, 14),
                1 + rng.below(99),
                sentence(rng, 9)
            )));
        }
    }
    Story {
        title,
        byline,
        place,
        blocks,
    }
}

/// The revision `r` of a story: a figure revised in the lede, an update
/// paragraph appended (as agency stories are rewritten through the day).
fn revise(s: &Story, rng: &mut Rng, r: usize) -> Vec<Block> {
    let mut blocks = s.blocks.clone();
    if r == 0 {
        return blocks;
    }
    blocks[1] = Block::paragraph(format!(
        "{} The toll rose to {} by evening, officials said.",
        blocks[1].text,
        12 + r * 7
    ));
    for k in 0..r {
        blocks.push(Block::paragraph(format!(
            "Update {}: {}",
            k + 1,
            sentence(rng, 20)
        )));
    }
    blocks
}

/// A small but real page: the bytes a capture names (its SHA-256 is true).
fn page(s: &Story, blocks: &[Block], url: &str) -> Vec<u8> {
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{} | The Daily Ledger</title>\
         <link rel=\"canonical\" href=\"{url}\"></head><body><article><h1>{}</h1><p class=\"byline\">{}</p>",
        s.title, s.title, s.byline
    );
    for b in blocks.iter().take(3) {
        html.push_str("<p>");
        html.push_str(&b.text);
        html.push_str("</p>");
    }
    html.push_str("</article></body></html>");
    html.into_bytes()
}

fn stamp(n: u64) -> String {
    // Spread over a year of the desk's work, a second apart at least.
    let secs = 1_764_547_200 + n * 31;
    chrono::DateTime::from_timestamp(secs as i64, 0)
        .expect("a time in range")
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// One new story's objects (source, its revisions and their captures, its
/// membership in `project`) and the bytes of each capture.
fn story_objects(
    rng: &mut Rng,
    n: u64,
    project: &str,
    revisions: usize,
) -> (Vec<Object>, Vec<(String, Vec<u8>)>) {
    let s = story(rng, n);
    let url = format!(
        "https://ledger.example/world/{n}-{}",
        s.place.to_lowercase()
    );
    let url_key = format!("ledger.example/world/{n}-{}", s.place.to_lowercase());
    let source = source_key(Some(&url_key), "");
    let mut objects = vec![
        object(
            &source,
            Item::Source(SourceBody {
                url_key: Some(url_key.clone()),
                url: Some(url.clone()),
                watched: Some(false),
            }),
        ),
        object(
            &membership_key(project, &source),
            Item::Membership(MembershipBody {
                project: project.to_string(),
                source: source.clone(),
                present: true,
            }),
        ),
    ];
    let mut blobs = Vec::new();
    for r in 0..revisions {
        let blocks = revise(&s, rng, r);
        let text_sha256 = redline::normalize::fingerprint(&s.title, &blocks);
        let at = stamp(n * 4 + r as u64);
        let raw = page(&s, &blocks, &url);
        let raw_sha256 = sha256_hex(&raw);
        objects.push(object(
            &version_key(&source, &text_sha256),
            Item::Version(VersionBody {
                source: source.clone(),
                created_at: at.clone(),
                title: s.title.clone(),
                byline: Some(s.byline.clone()),
                site_name: Some("The Daily Ledger".into()),
                lang: Some("en".into()),
                dir: "ltr".into(),
                published_at: Some(stamp(n * 4)),
                modified_at: (r > 0).then(|| at.clone()),
                excerpt: Some(blocks[1].text.chars().take(200).collect()),
                blocks,
                text_sha256: text_sha256.clone(),
            }),
        ));
        objects.push(object(
            &capture_key(&source, &raw_sha256, &at),
            Item::Capture(CaptureBody {
                source: source.clone(),
                captured_at: at.clone(),
                method: "fetch".into(),
                requested_url: Some(url.clone()),
                final_url: Some(url.clone()),
                canonical_url: Some(url.clone()),
                http_status: Some(200),
                etag: Some(format!("\"{}\"", &raw_sha256[..16])),
                last_modified: None,
                content_type: Some("text/html; charset=utf-8".into()),
                charset: Some("utf-8".into()),
                raw_size: raw.len() as i64,
                raw_sha256: raw_sha256.clone(),
                outcome: "new_version".into(),
                version_sha256: Some(text_sha256),
            }),
        ));
        blobs.push((raw_sha256, raw));
    }
    (objects, blobs)
}

fn object(key: &str, item: Item) -> Object {
    Object {
        key: key.to_string(),
        version: 0,
        author: None,
        item,
    }
}

/// COPY's text format: backslashes doubled (serde_json writes no raw tabs
/// or newlines).
fn copy_text(s: &str) -> String {
    s.replace('\\', "\\\\")
}

const MEMBERS: u64 = 50;
const PROJECTS: u64 = 200;

/// The library's versions: 1,000,000 unless TEAM_BENCH_VERSIONS says (a
/// quick run of the script); P0 holds 1% of them.
fn versions() -> u64 {
    std::env::var("TEAM_BENCH_VERSIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

/// The rows of both libraries as one psql script on stdout.
fn fill(dir: &Path) -> std::io::Result<()> {
    let out = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, out.lock());
    let mut tokens = String::new();
    // Library 1 (`wire`) and its owner, member 1, come from `team init`.
    writeln!(out, "\\set ON_ERROR_STOP on")?;
    writeln!(out, "BEGIN;")?;
    writeln!(
        out,
        "INSERT INTO libraries (id, name) VALUES (2, 'desk');\n\
         COPY members (id, library_id, name, role, token_sha256) FROM STDIN;"
    )?;
    for m in 2..=MEMBERS {
        let token = redline::team::random_id();
        let name = format!("member-{m:02}");
        writeln!(
            out,
            "{m}\t1\t{name}\teditor\t{}",
            sha256_hex(token.as_bytes())
        )?;
        tokens.push_str(&format!("wire\t{name}\t{token}\n"));
    }
    for (id, name, role) in [(51, "ana", "owner"), (52, "ben", "editor")] {
        let token = redline::team::random_id();
        writeln!(
            out,
            "{id}\t2\t{name}\t{role}\t{}",
            sha256_hex(token.as_bytes())
        )?;
        tokens.push_str(&format!("desk\t{name}\t{token}\n"));
    }
    writeln!(out, "\\.")?;
    writeln!(
        out,
        "SELECT setval('libraries_id_seq', 2); SELECT setval('members_id_seq', 52);"
    )?;
    std::fs::write(dir.join("tokens.tsv"), tokens)?;

    let mut rng = Rng(0x5eed_7ea3);
    let projects: Vec<String> = (0..PROJECTS).map(|_| redline::team::random_id()).collect();
    std::fs::write(dir.join("project"), &projects[0])?;
    let mut version = [0u64; 3];
    let mut seen_blobs = HashSet::new();
    let mut blob_rows = Vec::new();
    writeln!(
        out,
        "COPY objects (library_id, kind, key, version, body, author, owner) FROM STDIN;"
    )?;
    let mut row = |out: &mut BufWriter<_>, lib: usize, o: &Object, author: u64| {
        version[lib] += 1;
        let body = serde_json::to_string(&o.item).expect("items serialise");
        writeln!(
            out,
            "{lib}\t{}\t{}\t{}\t{}\t{author}\t{}",
            o.item.kind(),
            copy_text(&o.key),
            version[lib],
            copy_text(&body),
            copy_text(&o.item.owner(&o.key))
        )
    };
    for (i, key) in projects.iter().enumerate() {
        let p = object(
            key,
            Item::Project(ProjectBody {
                name: if i == 0 {
                    "Elections desk".into()
                } else {
                    format!("Desk project {i:03}")
                },
                description: "Stories the desk follows; shared with the team.".into(),
            }),
        );
        row(&mut out, 1, &p, 1)?;
        if i == 0 {
            row(&mut out, 2, &p, 51)?;
        }
    }
    let (versions_wanted, p0_wanted) = (versions(), versions() / 100);
    let (mut total, mut p0) = (0u64, 0u64);
    let started = Instant::now();
    let mut n = 0u64;
    while total < versions_wanted {
        n += 1;
        // P0 keeps to 1% of the library's history, interleaved with the rest.
        let in_p0 = p0 < p0_wanted && p0 * 100 <= total;
        let left = if in_p0 {
            p0_wanted - p0
        } else {
            versions_wanted - total - (p0_wanted - p0)
        };
        if left == 0 {
            continue;
        }
        let revisions = (1 + rng.below(4) as u64).min(left) as usize;
        let project = if in_p0 {
            &projects[0]
        } else {
            &projects[1 + (n as usize % (PROJECTS as usize - 1))]
        };
        let (objects, blobs) = story_objects(&mut rng, n, project, revisions);
        let author = 1 + rng.below(MEMBERS as usize) as u64;
        for o in &objects {
            row(&mut out, 1, o, author)?;
            if in_p0 {
                row(&mut out, 2, o, if author % 2 == 0 { 51 } else { 52 })?;
            }
        }
        for (sha, raw) in blobs {
            if seen_blobs.insert(sha.clone()) {
                blob_rows.push((sha, raw));
            }
        }
        total += revisions as u64;
        if in_p0 {
            p0 += revisions as u64;
        }
        if blob_rows.len() >= 50_000 {
            // Blobs go in their own COPY; flush them between object batches.
            writeln!(out, "\\.")?;
            write_blobs(&mut out, &mut blob_rows)?;
            writeln!(
                out,
                "COPY objects (library_id, kind, key, version, body, author, owner) FROM STDIN;"
            )?;
            eprintln!(
                "fill: {total} versions ({p0} in P0), {:.0} s",
                started.elapsed().as_secs_f64()
            );
        }
    }
    writeln!(out, "\\.")?;
    write_blobs(&mut out, &mut blob_rows)?;
    // The projects' scopes, as the service's migration fills them for a
    // library stored before per-project pull (owners are in the COPY).
    for sql in redline::team::server::project_scope_backfill() {
        if !sql.starts_with("UPDATE objects SET owner") {
            writeln!(out, "{sql};")?;
        }
    }
    writeln!(
        out,
        "UPDATE libraries SET version = {} WHERE id = 1;\n\
         UPDATE libraries SET version = {} WHERE id = 2;\nCOMMIT;",
        version[1], version[2]
    )?;
    out.flush()?;
    eprintln!(
        "fill: {total} versions ({p0} in P0), {} objects in wire, {} in desk, {n} stories",
        version[1], version[2]
    );
    Ok(())
}

fn write_blobs(out: &mut impl Write, rows: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    writeln!(out, "COPY blobs (sha256, size, bytes) FROM STDIN;")?;
    for (sha, raw) in rows.drain(..) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut hex = String::with_capacity(raw.len() * 2);
        for b in &raw {
            hex.push(HEX[usize::from(b >> 4)] as char);
            hex.push(HEX[usize::from(b & 15)] as char);
        }
        writeln!(out, "{sha}\t{}\t\\\\x{hex}", raw.len())?;
    }
    writeln!(out, "\\.")
}

/// Pulls every page after `since` as a desktop does (the new captures'
/// bytes too); returns the version reached and each request's latency.
async fn pull(
    client: &Client,
    library: i64,
    mut since: i64,
    lat: &mut Vec<Duration>,
    bytes: &AtomicU64,
    seen: &mut HashSet<String>,
) -> Result<i64, redline::team::TeamError> {
    loop {
        let t = Instant::now();
        let (page, n) = client.changes(library, None, since).await?;
        lat.push(t.elapsed());
        bytes.fetch_add(n, Ordering::Relaxed);
        // The page's captures' bytes in batches, as a desktop fetches them.
        let mut wanted = Vec::new();
        for o in &page.objects {
            seen.insert(o.key.clone());
            if let Item::Capture(c) = &o.item {
                wanted.push(c.raw_sha256.clone());
            }
        }
        let mut rest = &wanted[..];
        while !rest.is_empty() {
            let asked = &rest[..rest.len().min(MAX_BLOBS_PER_BATCH)];
            let t = Instant::now();
            let (got, n) = client.fetch_blobs(library, asked).await?;
            lat.push(t.elapsed());
            bytes.fetch_add(n, Ordering::Relaxed);
            if got.is_empty() {
                return Err(redline::team::TeamError::Server(format!(
                    "the server has no blob {}",
                    asked[0]
                )));
            }
            rest = &rest[got.len()..];
        }
        since = page.next;
        if !page.more {
            return Ok(since);
        }
    }
}

/// Pushes `count` new stories into `project`, each with its bytes first.
async fn push_stories(
    client: &Client,
    library: i64,
    project: &str,
    count: usize,
    seed: u64,
) -> Result<(usize, u64), redline::team::TeamError> {
    let mut rng = Rng(seed | 1);
    let mut objects = Vec::new();
    let mut blobs = Vec::new();
    let mut sent = 0u64;
    for i in 0..count {
        let (o, b) = story_objects(&mut rng, seed * 1_000_000 + i as u64, project, 1);
        blobs.extend(b);
        objects.extend(o);
    }
    // The bytes first, in batches, as a desktop pushes them.
    for batch in blobs.chunks(MAX_BLOBS_PER_BATCH) {
        sent += client.put_blobs(library, batch).await?;
    }
    let push = Push { objects };
    for _ in 0..20 {
        // Past the last version: no objects, just the library's version.
        let (page, _) = client.changes(library, None, i64::MAX - 1).await?;
        let (answer, up) = client.push(library, page.next, &push).await?;
        sent += up;
        if let PushAnswer::Done(_) = answer {
            return Ok((push.objects.len(), sent));
        }
    }
    Err(redline::team::TeamError::Busy)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    ms(sorted[i])
}

async fn load(url: &str, tokens: &Path, seconds: u64, pusher: &str, project: &str) {
    let tokens: Vec<String> = std::fs::read_to_string(tokens)
        .expect("read the tokens")
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() == 3 && f[0] == "wire").then(|| f[2].to_string())
        })
        .collect();
    let first = Client::new(url, &tokens[0]).expect("a client");
    let library = first.me().await.expect("me").library_id;
    // Every client starts in sync, as a desktop that synced a minute ago.
    let start = first
        .changes(library, None, i64::MAX - 1)
        .await
        .expect("the library's version")
        .0
        .next;
    let stop = Arc::new(AtomicBool::new(false));
    let bytes = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let began = Instant::now();
    let mut tasks = Vec::new();
    for token in tokens {
        let (stop, bytes, errors) = (stop.clone(), bytes.clone(), errors.clone());
        let url = url.to_string();
        tasks.push(tokio::spawn(async move {
            let client = Client::new(&url, &token).expect("a client");
            let (mut since, mut requests, mut pulls) = (start, Vec::new(), Vec::new());
            let mut seen = HashSet::new();
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                match pull(&client, library, since, &mut requests, &bytes, &mut seen).await {
                    Ok(v) => {
                        since = v;
                        pulls.push(t.elapsed());
                    }
                    Err(e) => {
                        if errors.fetch_add(1, Ordering::Relaxed) < 5 {
                            eprintln!("load: {e}");
                        }
                    }
                }
            }
            // One more after the pusher stopped: what it wrote last counts.
            if let Err(e) = pull(&client, library, since, &mut Vec::new(), &bytes, &mut seen).await
            {
                eprintln!("load: last pull: {e}");
                errors.fetch_add(1, Ordering::Relaxed);
            }
            (requests, pulls, seen)
        }));
    }
    let stop_pushing = Arc::new(AtomicBool::new(false));
    let pushing = {
        let (stop, url, pusher, project) = (
            stop_pushing.clone(),
            url.to_string(),
            pusher.to_string(),
            project.to_string(),
        );
        tokio::spawn(async move {
            let client = Client::new(&url, &pusher).expect("a client");
            let mut pushed = 0;
            let mut seed = 900;
            while !stop.load(Ordering::Relaxed) {
                seed += 1;
                match push_stories(&client, library, &project, 1, seed).await {
                    Ok(_) => pushed += 1,
                    Err(e) => eprintln!("load: pusher: {e}"),
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            pushed
        })
    };
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop_pushing.store(true, Ordering::Relaxed);
    let pushed = pushing.await.expect("the pusher");
    stop.store(true, Ordering::Relaxed);
    let (mut requests, mut pulls, mut seen) = (Vec::new(), Vec::new(), Vec::new());
    for t in tasks {
        let (r, p, s) = t.await.expect("a client task");
        requests.extend(r);
        pulls.extend(p);
        seen.push(s);
    }
    // Every client must have received every object written during the run:
    // what one pull from the start returns now, counted per client.
    let mut all = HashSet::new();
    pull(
        &first,
        library,
        start,
        &mut Vec::new(),
        &AtomicU64::new(0),
        &mut all,
    )
    .await
    .expect("a pull of the whole run");
    let missed: usize = seen.iter().map(|s| all.difference(s).count()).sum();
    let elapsed = began.elapsed().as_secs_f64();
    requests.sort();
    pulls.sort();
    let report = serde_json::json!({
        "clients": 50,
        "seconds": elapsed,
        "requests": requests.len(),
        "requestsPerSecond": requests.len() as f64 / elapsed,
        "requestMs": {
            "p50": percentile(&requests, 0.5),
            "p95": percentile(&requests, 0.95),
            "p99": percentile(&requests, 0.99),
            "max": percentile(&requests, 1.0),
        },
        "pulls": pulls.len(),
        "pullMs": {
            "p50": percentile(&pulls, 0.5),
            "p95": percentile(&pulls, 0.95),
            "max": percentile(&pulls, 1.0),
        },
        "bytesDown": bytes.load(Ordering::Relaxed),
        "storiesPushed": pushed,
        "errors": errors.load(Ordering::Relaxed),
        "objectsWritten": all.len(),
        "objectsMissed": missed,
    });
    println!("{report}");
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "team_bench fill DIR | push URL TOKEN PROJECT N SEED | \
                 load URL TOKENS SECONDS PUSHER_TOKEN PROJECT";
    match args.first().map(String::as_str) {
        Some("fill") if args.len() == 2 => fill(Path::new(&args[1])).expect("fill"),
        Some("push") if args.len() == 6 => {
            let client = Client::new(&args[1], &args[2]).expect("a client");
            let library = client.me().await.expect("me").library_id;
            let count: usize = args[4].parse().expect("a count");
            let seed: u64 = args[5].parse().expect("a seed");
            let t = Instant::now();
            let (objects, sent) = push_stories(&client, library, &args[3], count, seed)
                .await
                .expect("push");
            println!(
                "{}",
                serde_json::json!({"objects": objects, "bytesUp": sent, "ms": ms(t.elapsed())})
            );
        }
        Some("load") if args.len() == 6 => {
            load(
                &args[1],
                Path::new(&args[2]),
                args[3].parse().expect("seconds"),
                &args[4],
                &args[5],
            )
            .await
        }
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    }
}
