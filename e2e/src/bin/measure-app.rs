//! Measures the release app the way a reporter meets it (figures go into
//! BENCHMARKS-app.md):
//!
//! - start to first paint: from spawning `redline-app` to the first screenshot
//!   of its window that shows the UI (more than a blank window's few colours);
//! - idle memory with a library of N sources: PSS summed over the app and
//!   every process it started (WebKit's web and network processes), read from
//!   `/proc/<pid>/smaps_rollup` after the UI has painted and sat idle.
//!
//! Run under an X server (`xvfb-run -a -s "-screen 0 1280x800x24" …`):
//! `cargo run --release -p redline-e2e --bin measure-app -- --sources 10000 --runs 5`

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use redline_e2e::Result;

struct Options {
    sources: usize,
    runs: usize,
    idle: Duration,
    app: PathBuf,
}

fn options() -> Result<Options> {
    let mut o = Options {
        sources: 10_000,
        runs: 5,
        idle: Duration::from_secs(10),
        app: redline_e2e::app_binary(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--sources" => o.sources = value()?.parse()?,
            "--runs" => o.runs = value()?.parse()?,
            "--idle-secs" => o.idle = Duration::from_secs(value()?.parse()?),
            "--app" => o.app = PathBuf::from(value()?),
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    Ok(o)
}

#[tokio::main]
async fn main() -> Result<()> {
    let o = options()?;
    if std::env::var_os("DISPLAY").is_none() {
        return Err("run me under an X server (xvfb-run)".into());
    }
    let dir = tempfile::tempdir()?;
    let db_path = dir.path().join("redline.db");
    let t = Instant::now();
    redline_e2e::seed_library(&db_path, o.sources).await?;
    eprintln!(
        "seeded {} sources in {:.1} s",
        o.sources,
        t.elapsed().as_secs_f64()
    );

    let mut paints = Vec::new();
    let mut pss = Vec::new();
    // One home for every run, as on a reporter's machine: run 0 is the first
    // launch ever (WebKit and Mesa build their caches), runs 1..=N are every
    // launch after that, and only those make the medians.
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home)?;
    let mut first_launch = 0.0;
    for run in 0..=o.runs {
        let start = Instant::now();
        let mut app = Command::new(&o.app)
            .env("REDLINE_DB", &db_path)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let painted = wait_for_paint(&mut app, start, Duration::from_secs(60));
        let painted = match painted {
            Ok(p) => p,
            Err(e) => {
                terminate(&mut app);
                return Err(e);
            }
        };
        tokio::time::sleep(o.idle).await;
        let parts = pss_tree_kib(app.id());
        let kib: u64 = parts.iter().map(|(_, k)| k).sum();
        terminate(&mut app);
        let by_process: Vec<String> = parts
            .iter()
            .filter(|(_, k)| *k > 0)
            .map(|(n, k)| format!("{n} {:.1}", *k as f64 / 1024.0))
            .collect();
        eprintln!(
            "run {}{}: first paint {:.0} ms, idle PSS {:.1} MiB ({})",
            run,
            if run == 0 {
                " (first launch, empty caches)"
            } else {
                ""
            },
            painted.as_secs_f64() * 1000.0,
            kib as f64 / 1024.0,
            by_process.join(", ")
        );
        if run == 0 {
            first_launch = painted.as_secs_f64() * 1000.0;
        } else {
            paints.push(painted.as_secs_f64() * 1000.0);
            pss.push(kib as f64 / 1024.0);
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    println!(
        "sources={} runs={} first_launch_paint_ms={:.0} first_paint_ms median={:.0} min={:.0} max={:.0} idle_pss_mib median={:.1} min={:.1} max={:.1}",
        o.sources,
        o.runs,
        first_launch,
        median(&mut paints.clone()),
        paints.iter().cloned().fold(f64::INFINITY, f64::min),
        paints.iter().cloned().fold(0.0, f64::max),
        median(&mut pss.clone()),
        pss.iter().cloned().fold(f64::INFINITY, f64::min),
        pss.iter().cloned().fold(0.0, f64::max),
    );
    Ok(())
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Time from `start` to the first screenshot of a "Redline" window showing the UI.
fn wait_for_paint(app: &mut Child, start: Instant, timeout: Duration) -> Result<Duration> {
    let mut window: Option<String> = None;
    while start.elapsed() < timeout {
        if let Some(status) = app.try_wait()? {
            return Err(format!("the app exited early: {status}").into());
        }
        match &window {
            None => window = find_window("Redline"),
            Some(id) => {
                if colours(id)? > 16 {
                    return Ok(start.elapsed());
                }
            }
        }
        // Each screenshot costs ~0.15 s of CPU; at the lowest priority and
        // with a pause, the poller leaves the app (2 cores here) the CPU.
        std::thread::sleep(Duration::from_millis(40));
    }
    Err("no painted Redline window within the timeout".into())
}

fn find_window(name: &str) -> Option<String> {
    let out = Command::new("xwininfo")
        .args(["-root", "-tree"])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let needle = format!("\"{name}\"");
    text.lines()
        .find(|l| l.contains(&needle))
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
}

/// Distinct colours in a screenshot of the window: a blank or half-made window has a handful.
fn colours(window: &str) -> Result<u64> {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "nice -n 19 import -silent -window {window} -depth 8 miff:- 2>/dev/null \
             | nice -n 19 convert miff:- -format %k info: 2>/dev/null"
        ))
        .output()?;
    Ok(String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0))
}

/// PSS (KiB) of `pid` and each of its descendants, by process name.
fn pss_tree_kib(pid: u32) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut todo = vec![pid];
    while let Some(p) = todo.pop() {
        let name = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default();
        out.push((name.trim().to_string(), pss_kib(p)));
        todo.extend(children(p));
    }
    out
}

fn pss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_string))
        })
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn children(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in entries.flatten() {
        let Some(child) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{child}/stat")) else {
            continue;
        };
        // The command name (2nd field) may hold spaces; ppid is 2 fields after its ')'.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if ppid == Some(pid) {
            out.push(child);
        }
    }
    out
}

fn terminate(app: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &app.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = app.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!("the app did not stop within 10 s of SIGTERM");
}
