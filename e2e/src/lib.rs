//! Drives the real Redline app (release build, UI embedded) through
//! `tauri-driver` and WebKitWebDriver, each session on a fresh temporary
//! library. Needs an X display (scripts/test-app runs the tests under
//! `xvfb-run`); see `AppSession::start`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

use redline::article::{Article, Block};
use redline::Db;

pub type Result<T, E = Box<dyn std::error::Error + Send + Sync>> = std::result::Result<T, E>;

/// How long to wait for the WebDriver session (the app starting) before failing.
pub const SESSION_TIMEOUT: Duration = Duration::from_secs(90);
/// Default wait for something to appear in the UI.
pub const UI_TIMEOUT: Duration = Duration::from_secs(30);
/// Pause before a screenshot so the last change has been painted.
const SHOT_SETTLE: Duration = Duration::from_millis(250);

/// The workspace root (the e2e crate sits in `<root>/e2e`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("e2e lives in the workspace")
        .to_path_buf()
}

/// The app binary to test: `REDLINE_APP_BIN`, else the release build in the target dir.
pub fn app_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("REDLINE_APP_BIN") {
        return PathBuf::from(p);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    target.join("release").join("redline-app")
}

/// Where screenshots go: `<root>/target/e2e-screenshots/`.
pub fn screenshot_dir() -> PathBuf {
    workspace_root().join("target").join("e2e-screenshots")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    let home_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|c| c.join("bin").join("tauri-driver"));
    match home_bin {
        Some(p) if p.exists() => p,
        _ => PathBuf::from("tauri-driver"),
    }
}

/// One running app with a WebDriver session on it, and its private library.
pub struct AppSession {
    pub client: Client,
    driver: DriverProcess,
    dir: tempfile::TempDir,
    name: String,
    shot: u32,
}

impl AppSession {
    /// Starts tauri-driver (which starts the app) on a fresh temporary
    /// library, data and cache directories, and waits for the UI to mount.
    pub async fn start(name: &str) -> Result<Self> {
        Self::start_seeded(name, 0).await
    }

    /// As [`AppSession::start`], on a library first seeded with `sources`
    /// sources (see [`seed_library`]).
    pub async fn start_seeded(name: &str, sources: usize) -> Result<Self> {
        Self::start_with(name, sources, &[]).await
    }

    /// As [`AppSession::start_seeded`], the app started with `args` on its
    /// command line (as the desktop entry passes a `redline://` link).
    pub async fn start_with(name: &str, sources: usize, args: &[&str]) -> Result<Self> {
        let bin = app_binary();
        if !bin.exists() {
            return Err(format!(
                "{} is missing: build the app first (scripts/test-app does)",
                bin.display()
            )
            .into());
        }
        if std::env::var_os("DISPLAY").is_none() {
            return Err("no X display: run the end-to-end tests under xvfb-run".into());
        }
        let dir = tempfile::tempdir()?;
        for sub in ["data", "cache", "config"] {
            std::fs::create_dir_all(dir.path().join(sub))?;
        }
        if sources > 0 {
            seed_library(&dir.path().join("redline.db"), sources).await?;
        }
        let port = free_port();
        let native_port = free_port();
        let log = std::fs::File::create(dir.path().join("tauri-driver.log"))?;
        let driver = Command::new(tauri_driver())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env("XDG_CACHE_HOME", dir.path().join("cache"))
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env("REDLINE_DB", dir.path().join("redline.db"))
            // Closing the window quits, as the session's end expects (with
            // watching on, the app would otherwise stay in the tray).
            .env("REDLINE_CLOSE_TO_TRAY", "0")
            // No desktop session bus: single-instance and notifications stay local.
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start tauri-driver: {e}"))?;
        let mut driver = DriverProcess {
            child: Some(driver),
            log: dir.path().join("tauri-driver.log"),
        };
        let client = match connect(port, &bin, args, &driver).await {
            Ok(c) => c,
            Err(e) => {
                driver.terminate();
                return Err(e);
            }
        };
        let session = AppSession {
            client,
            driver,
            dir,
            name: name.to_string(),
            shot: 0,
        };
        session.wait_testid("app", SESSION_TIMEOUT).await?;
        Ok(session)
    }

    /// The library file this session's app uses.
    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("redline.db")
    }

    /// A selector for `data-testid`.
    pub fn sel(testid: &str) -> String {
        format!("[data-testid=\"{testid}\"]")
    }

    /// Waits until an element matches the CSS selector.
    pub async fn wait_css(&self, css: &str, timeout: Duration) -> Result<Element> {
        let found = self
            .client
            .wait()
            .at_most(timeout)
            .every(Duration::from_millis(100))
            .for_element(Locator::Css(css))
            .await;
        match found {
            Ok(e) => Ok(e),
            Err(e) => {
                let _ = self
                    .save_screenshot(&format!("timeout-{}", sanitize(css)))
                    .await;
                Err(format!("{css} did not appear within {timeout:?}: {e}").into())
            }
        }
    }

    pub async fn wait_testid(&self, testid: &str, timeout: Duration) -> Result<Element> {
        self.wait_css(&Self::sel(testid), timeout).await
    }

    pub async fn testid(&self, testid: &str) -> Result<Element> {
        self.wait_testid(testid, UI_TIMEOUT).await
    }

    pub async fn all(&self, css: &str) -> Result<Vec<Element>> {
        Ok(self.client.find_all(Locator::Css(css)).await?)
    }

    pub async fn click(&self, testid: &str) -> Result<()> {
        self.testid(testid).await?.click().await?;
        Ok(())
    }

    /// Clips `url` through the Clip screen and waits (up to `timeout`, the
    /// fetch included) until the screen says it is done.
    pub async fn clip_url(&self, url: &str, timeout: Duration) -> Result<()> {
        self.click("clip-open").await?;
        self.testid("clip-input").await?.send_keys(url).await?;
        self.click("clip-button").await?;
        self.wait_css(
            "[data-testid=\"clip-status\"][data-state=\"done\"]",
            timeout,
        )
        .await?;
        Ok(())
    }

    /// Polls `check` (a JS expression returning true when ready) until it holds.
    pub async fn wait_js(&self, what: &str, expr: &str, timeout: Duration) -> Result<Value> {
        let deadline = Instant::now() + timeout;
        let script = format!("return ({expr});");
        loop {
            let v = self.client.execute(&script, vec![]).await?;
            let ready = match &v {
                Value::Bool(b) => *b,
                Value::Null => false,
                Value::String(s) => !s.is_empty(),
                Value::Array(a) => !a.is_empty(),
                _ => true,
            };
            if ready {
                return Ok(v);
            }
            if Instant::now() >= deadline {
                let _ = self
                    .save_screenshot(&format!("timeout-{}", sanitize(what)))
                    .await;
                return Err(format!("{what}: not true within {timeout:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    pub async fn js(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        Ok(self.client.execute(script, args).await?)
    }

    /// Saves a screenshot as `target/e2e-screenshots/<test>-<n>-<step>.png`.
    pub async fn screenshot(&mut self, step: &str) -> Result<PathBuf> {
        self.shot += 1;
        let name = format!("{:02}-{}", self.shot, step);
        self.save_screenshot(&name).await
    }

    /// Takes the picture from the X server, not from WebDriver: it is what
    /// the reporter sees, and WebKitWebDriver's own screenshot never answers
    /// when the app runs without accelerated compositing (as it does on
    /// Linux, see `src-tauri/src/main.rs`). The tests run one at a time on
    /// their own Xvfb screen, which the window fills.
    async fn save_screenshot(&self, step: &str) -> Result<PathBuf> {
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{}-{}.png", self.name, step));
        // Let the last change reach the screen (a frame or two).
        tokio::time::sleep(SHOT_SETTLE).await;
        let mut import = tokio::process::Command::new("import");
        import
            .args(["-silent", "-window", "root"])
            .arg(format!("png:{}", path.display()))
            .kill_on_drop(true);
        match tokio::time::timeout(Duration::from_secs(20), import.status()).await {
            Ok(Ok(s)) if s.success() => Ok(path),
            Ok(Ok(s)) => Err(format!("import (ImageMagick) failed: {s}").into()),
            Ok(Err(e)) => Err(format!("cannot run import (ImageMagick): {e}").into()),
            Err(_) => Err("import (ImageMagick) took over 20 s".into()),
        }
    }

    /// Ends the session and stops tauri-driver with SIGTERM (it then stops
    /// WebKitWebDriver and the app cleanly).
    pub async fn stop(mut self) -> Result<()> {
        let _ = tokio::time::timeout(Duration::from_secs(15), self.client.clone().close()).await;
        self.driver.terminate();
        Ok(())
    }
}

/// tauri-driver, stopped with SIGTERM (never SIGKILL) when the session ends or fails.
struct DriverProcess {
    child: Option<Child>,
    log: PathBuf,
}

impl DriverProcess {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn terminate(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            eprintln!("tauri-driver did not stop within 10 s of SIGTERM");
        }
    }
}

impl Drop for DriverProcess {
    fn drop(&mut self) {
        self.terminate();
    }
}

fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect::<String>()
        .trim_matches('_')
        .chars()
        .take(60)
        .collect()
}

fn tracing_note(msg: &str) {
    if std::env::var_os("REDLINE_E2E_VERBOSE").is_some() {
        eprintln!("{msg}");
    }
}

async fn connect(port: u16, bin: &Path, args: &[&str], driver: &DriverProcess) -> Result<Client> {
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("wry"));
    caps.insert(
        "tauri:options".into(),
        json!({ "application": bin.display().to_string(), "args": args }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + SESSION_TIMEOUT;
    loop {
        let attempt = tokio::time::timeout(
            Duration::from_secs(60),
            ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url),
        )
        .await;
        match attempt {
            Ok(Ok(client)) => return Ok(client),
            Ok(Err(e)) if Instant::now() < deadline => {
                // tauri-driver not listening yet.
                tracing_note(&format!("session not ready: {e}"));
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Ok(Err(e)) => {
                return Err(format!(
                    "no WebDriver session within {SESSION_TIMEOUT:?}: {e}; tauri-driver log: {}",
                    driver.log()
                )
                .into())
            }
            Err(_) => {
                return Err(format!(
                    "creating the WebDriver session hung; tauri-driver log: {}",
                    driver.log()
                )
                .into())
            }
        }
    }
}

/// Writes a library of `n` sources with one short multilingual version each
/// (in five outlets and languages), for measurements at scale.
pub async fn seed_library(path: &Path, n: usize) -> Result<()> {
    let db = Db::open(path).await?;
    let sites = [
        ("Pacific Ledger", "en"),
        ("Yonhap", "ko"),
        ("TASS", "ru"),
        ("Xinhua", "zh"),
        ("Al Jazeera", "ar"),
    ];
    let mut i = 0;
    while i < n {
        let mut tx = db.write().await?;
        for _ in 0..1000.min(n - i) {
            let (site, lang) = sites[i % sites.len()];
            let url = format!("https://news.example/{lang}/2026/11/{i}");
            let now = format!("2026-11-{:02}T{:02}:{:02}:00Z", 1 + i % 26, i % 24, i % 60);
            let id =
                redline::versions::insert_source(&mut tx, Some(&url), Some(&url), &now).await?;
            let article = Article {
                title: format!("Summit talks, day {}: ministers trade proposals on the fishing fund ({i})", i % 30),
                byline: Some("Hana Mori".into()),
                site_name: Some(site.into()),
                lang: Some(lang.into()),
                blocks: (0..6)
                    .map(|p| Block::paragraph(format!(
                        "Paragraph {p} of story {i}: delegates from Seoul and Tokyo met for a third day, \
                         officials said, as 30,000 fishermen waited for word on a $500 million fund."
                    )))
                    .collect(),
                ..Article::default()
            };
            let hash = redline::hash::sha256_hex(format!("{i}").as_bytes());
            redline::versions::insert_version(&mut tx, id, &article, &hash, &now).await?;
            i += 1;
        }
        tx.commit().await?;
    }
    db.close().await;
    Ok(())
}
