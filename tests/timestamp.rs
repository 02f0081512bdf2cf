//! Trusted timestamps on WACZ exports, against a real RFC 3161 authority:
//! `openssl ts -reply` behind a loopback HTTP endpoint, with a throw-away
//! CA. An export made while the library has a TSA set carries a token over
//! its signature; `redline verify` checks the token's imprint, its signed
//! attributes, the TSA's signature (EC and RSA authorities) and, given the
//! CA, the chain; a swapped or altered token, a foreign CA and an
//! unreachable TSA are each refused by name.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use base64::Engine;
use common::cli::{json, ok, problems, pytool, redline, run_tool, verify, warcio_check};
use common::server::{Response, TestServer};
use common::wire;
use serde_json::Value;

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A throw-away CA and a TSA certificate it issued, with the `openssl ts`
/// configuration, in `dir`. `key` is `ec` (P-256) or `rsa`.
fn make_tsa(dir: &Path, key: &str, name: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let newkey: &[&str] = match key {
        "ec" => &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
        _ => &["-newkey", "rsa:2048"],
    };
    let mut ca = vec!["req", "-x509"];
    ca.extend_from_slice(newkey);
    let subj = format!("/CN={name} Root");
    ca.extend_from_slice(&[
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "30",
        "-subj",
        &subj,
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    openssl(dir, &ca);
    let mut csr = vec!["req", "-new"];
    csr.extend_from_slice(newkey);
    let subj = format!("/CN={name}");
    csr.extend_from_slice(&[
        "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr", "-subj", &subj,
    ]);
    openssl(dir, &csr);
    std::fs::write(
        dir.join("ext.cnf"),
        "basicConstraints = critical, CA:FALSE\n\
         keyUsage = critical, digitalSignature, nonRepudiation\n\
         extendedKeyUsage = critical, timeStamping\n\
         subjectKeyIdentifier = hash\n\
         authorityKeyIdentifier = keyid\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "tsa.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "tsa.crt",
            "-days",
            "30",
            "-extfile",
            "ext.cnf",
        ],
    );
    std::fs::write(dir.join("tsaserial"), "01\n").unwrap();
    std::fs::write(
        dir.join("tsa.cnf"),
        "oid_section = new_oids\n[ new_oids ]\ntsa_policy1 = 1.2.3.4.1\n\
         [ tsa ]\ndefault_tsa = tsa_config1\n[ tsa_config1 ]\ndir = .\n\
         serial = $dir/tsaserial\ncrypto_device = builtin\nsigner_cert = $dir/tsa.crt\n\
         certs = $dir/ca.crt\nsigner_key = $dir/tsa.key\nsigner_digest = sha256\n\
         default_policy = tsa_policy1\nother_policies = tsa_policy1\n\
         digests = sha256, sha384, sha512\naccuracy = secs:1\nordering = no\n\
         tsa_name = yes\ness_cert_id_chain = no\ness_cert_id_alg = sha256\n",
    )
    .unwrap();
}

/// The desk's test TSA (its files in `DIR/tsa-ec`) served on 127.0.0.1, and
/// an address where no TSA answers: (files, live URL, dead URL).
fn desk_tsa(dir: &Path) -> (PathBuf, String, String) {
    let ec = dir.join("tsa-ec");
    make_tsa(&ec, "ec", "Desk Test TSA");
    let tsa = serve_tsa(ec.clone());
    let dead = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/tsa", l.local_addr().unwrap())
    };
    (ec, tsa, dead)
}

/// An RFC 3161 endpoint on 127.0.0.1: each POST's body goes through
/// `openssl ts -reply` in `dir` (one at a time: it rewrites its serial).
fn serve_tsa(dir: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/tsa", listener.local_addr().unwrap());
    let lock = Arc::new(Mutex::new(()));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            let _one = lock.lock().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                let lower = line.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                continue;
            }
            let work = tempfile::tempdir().unwrap();
            let (q, r) = (work.path().join("q.tsq"), work.path().join("r.tsr"));
            std::fs::write(&q, &body).unwrap();
            let status = Command::new("openssl")
                .args(["ts", "-reply", "-config", "tsa.cnf", "-queryfile"])
                .arg(&q)
                .arg("-out")
                .arg(&r)
                .current_dir(&dir)
                .output()
                .unwrap();
            let reply = std::fs::read(&r).unwrap_or_default();
            let head = if status.status.success() {
                "HTTP/1.1 200 OK\r\nContent-Type: application/timestamp-reply"
            } else {
                "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain"
            };
            let _ = write!(
                stream,
                "{head}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                reply.len()
            );
            let _ = stream.write_all(&reply);
        }
    });
    url
}

/// The WACZ with `datapackage-digest.json`'s `signedData` edited by `edit`.
fn with_signed_data(wacz: &Path, out: &Path, edit: impl Fn(&mut Value)) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(wacz).unwrap()).unwrap();
    let mut writer = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name == "datapackage-digest.json" {
            let mut digest: Value = serde_json::from_slice(&bytes).unwrap();
            edit(&mut digest["signedData"]);
            bytes = serde_json::to_vec_pretty(&digest).unwrap();
        }
        writer.start_file(name, stored).unwrap();
        writer.write_all(&bytes).unwrap();
    }
    writer.finish().unwrap();
}

#[test]
fn exports_carry_a_timestamp_that_verify_checks_down_to_the_ca() {
    let dir = tempfile::tempdir().unwrap();
    let ec = dir.path().join("tsa-ec");
    let rsa = dir.path().join("tsa-rsa");
    let other = dir.path().join("tsa-other");
    make_tsa(&ec, "ec", "Desk Test TSA");
    make_tsa(&rsa, "rsa", "Wire Test TSA");
    make_tsa(&other, "ec", "Unrelated TSA");
    let ec_url = serve_tsa(ec.clone());
    let rsa_url = serve_tsa(rsa.clone());

    let server = TestServer::start_in_thread();
    server.set(
        "/world/talks",
        Response::html(wire::page(&wire::story_v1(), 1)),
    );
    let db = dir.path().join("lib.db");
    ok(redline(&db, &["clip", &server.url("/world/talks")]));

    // No TSA set: signed, not timestamped; and requiring a CA then fails.
    let plain = dir.path().join("plain.wacz");
    ok(redline(
        &db,
        &["export", "wacz", "1", "-o", plain.to_str().unwrap()],
    ));
    let (good, report) = verify(&plain, &[]);
    assert!(good, "{}", problems(&report));
    assert!(report["timestamp"].is_null());
    let ec_ca = ec.join("ca.crt");
    let (good, report) = verify(&plain, &["--tsa-ca", ec_ca.to_str().unwrap()]);
    assert!(!good);
    assert!(
        problems(&report).contains("timestamp: none"),
        "{}",
        problems(&report)
    );

    // The TSA setting is validated and kept in the library.
    let out = redline(&db, &["export", "tsa", "file:///etc/passwd"]);
    assert!(!out.status.success());
    ok(redline(&db, &["export", "tsa", &ec_url]));
    assert!(ok(redline(&db, &["export", "tsa"])).contains(&ec_url));

    let stamped = dir.path().join("stamped.wacz");
    let out = ok(redline(
        &db,
        &[
            "--json",
            "export",
            "wacz",
            "1",
            "-o",
            stamped.to_str().unwrap(),
        ],
    ));
    let written: Value = serde_json::from_str(&out).unwrap();
    let time = written["timestamped"]
        .as_str()
        .expect("a timestamp")
        .to_string();
    let (good, report) = verify(&stamped, &["--tsa-ca", ec_ca.to_str().unwrap()]);
    assert!(good, "{}", problems(&report));
    assert_eq!(report["timestamp"].as_str(), Some(time.as_str()));
    assert_eq!(report["timestampTrusted"], true);
    assert!(
        report["timestampAuthority"]
            .as_str()
            .unwrap()
            .contains("Desk Test TSA"),
        "{report}"
    );
    // The extra fields keep the package valid for the `wacz` validator.
    let validator = std::env::var_os("REDLINE_PYTOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/opt/redline-pytools/bin"))
        .join("wacz");
    assert!(
        validator.exists(),
        "run scripts/install-deps (wacz from PyPI)"
    );
    let out = Command::new(&validator)
        .args(["validate", "-f"])
        .arg(&stamped)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "wacz validate: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // Without a CA the token is still checked, the authority reported as unchecked.
    let (good, report) = verify(&stamped, &[]);
    assert!(good, "{}", problems(&report));
    assert_eq!(report["timestampTrusted"], false);

    // Another CA does not vouch for this TSA.
    let other_ca = other.join("ca.crt");
    let (good, report) = verify(&stamped, &["--tsa-ca", other_ca.to_str().unwrap()]);
    assert!(!good);
    assert!(
        problems(&report).contains("does not chain"),
        "{}",
        problems(&report)
    );

    // A genuine token, but over other bytes: the imprint gives it away.
    let tsq = dir.path().join("other.tsq");
    std::fs::write(dir.path().join("other.txt"), b"another export's signature").unwrap();
    openssl(
        dir.path(),
        &[
            "ts",
            "-query",
            "-data",
            "other.txt",
            "-sha256",
            "-cert",
            "-out",
            tsq.to_str().unwrap(),
        ],
    );
    let tsr = dir.path().join("other.tsr");
    openssl(
        &ec,
        &[
            "ts",
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            tsq.to_str().unwrap(),
            "-out",
            tsr.to_str().unwrap(),
        ],
    );
    let foreign = base64::engine::general_purpose::STANDARD.encode(std::fs::read(&tsr).unwrap());
    let swapped = dir.path().join("swapped.wacz");
    with_signed_data(&stamped, &swapped, |sd| {
        sd["timeSignature"] = foreign.clone().into()
    });
    let (good, report) = verify(&swapped, &[]);
    assert!(!good);
    assert!(
        problems(&report).contains("imprint mismatch"),
        "{}",
        problems(&report)
    );

    // One byte of the token changed: its time, its digest or its signature fails.
    let altered = dir.path().join("altered.wacz");
    with_signed_data(&stamped, &altered, |sd| {
        let mut der = base64::engine::general_purpose::STANDARD
            .decode(sd["timeSignature"].as_str().unwrap())
            .unwrap();
        // The GeneralizedTime of the TSTInfo: "20…Z" — move the year.
        let at = der
            .windows(3)
            .position(|w| w[0] == 0x18 && w[2] == b'2')
            .expect("a GeneralizedTime in the token");
        der[at + 3] ^= 0x01;
        sd["timeSignature"] = base64::engine::general_purpose::STANDARD.encode(der).into();
    });
    let (good, report) = verify(&altered, &[]);
    assert!(!good);
    assert!(
        problems(&report).contains("timestamp:"),
        "{}",
        problems(&report)
    );

    // An RSA authority (as most public TSAs are) verifies as well.
    ok(redline(&db, &["export", "tsa", &rsa_url]));
    let by_rsa = dir.path().join("rsa.wacz");
    ok(redline(
        &db,
        &["export", "wacz", "1", "-o", by_rsa.to_str().unwrap()],
    ));
    let rsa_ca = rsa.join("ca.crt");
    let (good, report) = verify(&by_rsa, &["--tsa-ca", rsa_ca.to_str().unwrap()]);
    assert!(good, "{}", problems(&report));
    assert!(report["timestampAuthority"]
        .as_str()
        .unwrap()
        .contains("Wire Test TSA"));

    // The TSA unreachable: no file, a named error; --no-timestamp still exports.
    let dead = TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}/tsa", dead.local_addr().unwrap());
    drop(dead);
    ok(redline(&db, &["export", "tsa", &dead_url]));
    let lost = dir.path().join("lost.wacz");
    let out = redline(&db, &["export", "wacz", "1", "-o", lost.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("timestamp"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!lost.exists());
    ok(redline(
        &db,
        &[
            "export",
            "wacz",
            "1",
            "--no-timestamp",
            "-o",
            lost.to_str().unwrap(),
        ],
    ));
    assert!(verify(&lost, &[]).0);
    ok(redline(&db, &["export", "tsa", "--off"]));
    assert!(ok(redline(&db, &["export", "tsa"])).contains("No time stamping authority"));
}

#[test]
fn captures_get_their_own_timestamps_afterwards_and_a_failing_tsa_loses_none() {
    let dir = tempfile::tempdir().unwrap();
    let (ec, tsa, dead) = desk_tsa(dir.path());
    let server = TestServer::start_in_thread();
    let v1 = wire::page(&wire::story_v1(), 1);
    let v2 = wire::page(&wire::story_v2(), 1);
    server.set("/world/talks", Response::html(v1));
    let db = dir.path().join("lib.db");
    let stamp = |args: &[&str]| -> Value {
        let mut all = vec!["--json", "export", "stamp"];
        all.extend_from_slice(args);
        json(&redline(&db, &all))
    };

    // Off by default: a capture made now is never stamped.
    ok(redline(&db, &["clip", &server.url("/world/talks")]));
    ok(redline(&db, &["export", "tsa", &dead]));
    let r = stamp(&["--on"]);
    assert_eq!(r["timestampCaptures"], true, "{r}");
    assert_eq!(
        (r["stamped"].clone(), r["pending"].clone()),
        (0.into(), 0.into()),
        "{r}"
    );

    // The TSA cannot be reached: the new capture is stored all the same,
    // and waits with its failure recorded.
    server.set("/world/talks", Response::html(v2.clone()));
    ok(redline(&db, &["check", "1"]));
    let r = stamp(&[]);
    assert_eq!(r["stamped"], 0, "{r}");
    assert_eq!(r["failed"], 1, "{r}");
    assert_eq!(r["pending"], 1, "{r}");
    assert!(r["error"].as_str().unwrap().contains(&dead), "{r}");
    let v = json(&redline(&db, &["--json", "versions", "1"]));
    assert_eq!(v["captures"].as_array().unwrap().len(), 2, "{v}");
    assert_eq!(v["versions"].as_array().unwrap().len(), 2, "{v}");

    // The TSA is back: the waiting capture is stamped, and so is the next
    // (an unchanged re-check, exported as a revisit).
    ok(redline(&db, &["export", "tsa", &tsa]));
    let r = stamp(&[]);
    assert_eq!(
        (r["stamped"].clone(), r["pending"].clone()),
        (1.into(), 0.into()),
        "{r}"
    );
    ok(redline(&db, &["check", "1"]));
    let r = stamp(&[]);
    assert_eq!(
        (r["stamped"].clone(), r["failed"].clone()),
        (1.into(), 0.into()),
        "{r}"
    );

    let wacz = dir.path().join("stamped.wacz");
    let written = json(&redline(
        &db,
        &[
            "--json",
            "export",
            "wacz",
            "1",
            "-o",
            wacz.to_str().unwrap(),
        ],
    ));
    assert_eq!(written["captureTimestamps"], 2, "{written}");
    let ca = ec.join("ca.crt");
    let (good, report) = verify(&wacz, &["--tsa-ca", ca.to_str().unwrap()]);
    assert!(good, "{}", problems(&report));
    assert_eq!(report["captureTimestamps"], 2, "{report}");
    // The tokens travel as plain WARC metadata records: the WACZ validator
    // and warcio read them like any other.
    run_tool(
        Command::new(pytool("wacz"))
            .args(["validate", "-f"])
            .arg(&wacz),
    );
    let mut warc = Vec::new();
    zip::ZipArchive::new(std::fs::File::open(&wacz).unwrap())
        .unwrap()
        .by_name("archive/data.warc.gz")
        .unwrap()
        .read_to_end(&mut warc)
        .unwrap();
    let warc_path = dir.path().join("data.warc.gz");
    std::fs::write(&warc_path, &warc).unwrap();
    warcio_check(&warc_path);

    // Turned off: new captures are not queued.
    let r = stamp(&["--off"]);
    assert_eq!(r["timestampCaptures"], false, "{r}");
    ok(redline(&db, &["check", "1"]));
    assert_eq!(stamp(&[])["stamped"], 0);

    // What verify relies on: a token is over one capture's digest only.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (a, b) = (
        redline::hash::sha256_hex(v2.as_bytes()),
        redline::hash::sha256_hex(b"another page"),
    );
    let bytes = |h: &str| {
        (0..h.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
            .collect::<Vec<u8>>()
    };
    let token = rt
        .block_on(redline::export::wacz::timestamp::obtain_digest(
            &tsa,
            &bytes(&a),
        ))
        .unwrap();
    use redline::export::wacz::timestamp::check_reply_digest;
    assert!(check_reply_digest(&token, &bytes(&a), None, &[]).is_ok());
    let wrong = check_reply_digest(&token, &bytes(&b), None, &[]).unwrap_err();
    assert!(wrong.contains("imprint mismatch"), "{wrong}");
}

/// The scheduler asks for waiting captures' tokens between checks, so a
/// watched story's captures are stamped without the reporter running
/// `export stamp`; a TSA that is down only delays them (backing off), and
/// never stops the checks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scheduler_stamps_waiting_captures_between_checks() {
    use chrono::{Duration, Utc};
    use redline::schedule::SimClock;

    let dir = tempfile::tempdir().unwrap();
    let (_, tsa, dead) = desk_tsa(dir.path());
    let server = TestServer::start().await;
    server.set(
        "/world/talks",
        Response::html(wire::page(&wire::story_v1(), 1)),
    );
    let (lib, nb) = common::watching::notebook().await;
    nb.set_timestamp_authority(Some(&dead)).await.unwrap();
    nb.set_timestamp_captures(true).await.unwrap();
    let clip = nb.clip_url(&server.url("/world/talks")).await.unwrap();
    nb.set_watched(&[clip.source_id], true).await.unwrap();
    let tokens = || async {
        let db = redline::Db::open(lib.path().join("library.db"))
            .await
            .unwrap();
        let row: (i64, i64) =
            sqlx::query_as("SELECT count(token), count(*) - count(token) FROM capture_timestamps")
                .fetch_one(db.pool())
                .await
                .unwrap();
        db.close().await;
        row
    };

    let start = Utc::now();
    let clock = SimClock::new(start);
    let mut s = nb
        .start_scheduler(
            Arc::new(clock.clone()),
            common::watching::scheduler_settings(Duration::seconds(30)),
        )
        .await
        .unwrap();
    s.run_until(Some(start + Duration::hours(1))).await.unwrap();
    let checks = s.report.story_checks;
    assert!(checks >= 4, "the checks went on: {checks}");
    let (stamped, waiting) = tokens().await;
    assert_eq!(stamped, 0);
    assert!(waiting >= 1, "every capture waits: {waiting}");
    // What the app's Verify pane shows.
    let status = nb.stamp_status().await.unwrap();
    assert!(status.timestamp_captures);
    assert_eq!(i64::from(status.waiting), waiting);
    assert!(
        status
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains(&dead),
        "{status:?}"
    );

    // The TSA is reachable again: within the back-off's hour, everything
    // waiting is stamped, including captures made meanwhile.
    nb.set_timestamp_authority(Some(&tsa)).await.unwrap();
    s.run_until(Some(start + Duration::hours(3))).await.unwrap();
    let (stamped, waiting) = tokens().await;
    assert!(stamped >= 5, "stamped {stamped}");
    assert!(
        waiting <= 1,
        "only a capture of the last minute may wait: {waiting}"
    );
    let status = nb.stamp_status().await.unwrap();
    assert_eq!(status.tsa.as_deref(), Some(tsa.as_str()));
    s.stop().await.unwrap();
}
