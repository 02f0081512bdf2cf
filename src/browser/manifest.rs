//! Native messaging host manifests: the small JSON files that tell a browser
//! where the host program is and which extension may start it. Chromium and
//! Chrome pin the extension by origin (`allowed_origins`), Firefox by add-on
//! id (`allowed_extensions`); both ids are fixed in `extension/ids.json`,
//! which the extension's build reads too.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// The extension's fixed ids and the host's name, shared with the extension build.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtensionIds {
    /// The host's name in `chrome.runtime.connectNative(…)` and the manifest file name.
    pub host_name: String,
    /// Derived from the public key in the extension manifest's `key`.
    pub chromium_id: String,
    pub chromium_key: String,
    /// `browser_specific_settings.gecko.id`.
    pub gecko_id: String,
}

/// The ids this build was made with.
pub fn ids() -> ExtensionIds {
    serde_json::from_str(include_str!("../../extension/ids.json"))
        .expect("extension/ids.json is part of the source and parsed by a test")
}

/// A browser whose native messaging Redline sets up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Browser {
    Chromium,
    Chrome,
    Firefox,
}

impl Browser {
    pub const ALL: [Browser; 3] = [Browser::Chromium, Browser::Chrome, Browser::Firefox];

    pub fn name(self) -> &'static str {
        match self {
            Browser::Chromium => "Chromium",
            Browser::Chrome => "Google Chrome",
            Browser::Firefox => "Firefox",
        }
    }

    /// Where this browser looks for a user's host manifests. `home` is the
    /// user's home; `config` is `$XDG_CONFIG_HOME` if set (Chromium and
    /// Chrome honour it; Firefox always uses `~/.mozilla`).
    pub fn user_dir(self, home: &Path, config: Option<&Path>) -> PathBuf {
        let config = config
            .map(Path::to_path_buf)
            .unwrap_or_else(|| home.join(".config"));
        match self {
            Browser::Chromium => config.join("chromium/NativeMessagingHosts"),
            Browser::Chrome => config.join("google-chrome/NativeMessagingHosts"),
            Browser::Firefox => home.join(".mozilla/native-messaging-hosts"),
        }
    }

    /// Where this browser looks for host manifests installed for every user
    /// (the .deb puts them there).
    pub fn system_dir(self) -> &'static Path {
        Path::new(match self {
            Browser::Chromium => "/etc/chromium/native-messaging-hosts",
            Browser::Chrome => "/etc/opt/chrome/native-messaging-hosts",
            Browser::Firefox => "/usr/lib/mozilla/native-messaging-hosts",
        })
    }

    /// The host manifest for this browser, starting `host` (an absolute path
    /// to an executable; browsers pass it no arguments of ours).
    pub fn manifest(self, host: &Path) -> Result<String> {
        if !host.is_absolute() {
            return Err(Error::Invalid(format!(
                "the host path {} is not absolute (browsers require one)",
                host.display()
            )));
        }
        let path = host.to_str().ok_or_else(|| {
            Error::Invalid(format!("the host path {} is not UTF-8", host.display()))
        })?;
        let ids = ids();
        let mut m = serde_json::json!({
            "name": ids.host_name,
            "description": "Redline: clip pages from the browser into the library",
            "path": path,
            "type": "stdio",
        });
        match self {
            Browser::Chromium | Browser::Chrome => {
                m["allowed_origins"] =
                    serde_json::json!([format!("chrome-extension://{}/", ids.chromium_id)]);
            }
            Browser::Firefox => {
                m["allowed_extensions"] = serde_json::json!([ids.gecko_id]);
            }
        }
        serde_json::to_string_pretty(&m).map_err(|e| Error::Invalid(e.to_string()))
    }
}

/// The manifest's file name in a browser's host directory.
pub fn file_name() -> String {
    format!("{}.json", ids().host_name)
}

/// Writes the manifest for `browser` into `dir` (created if needed); returns its path.
pub fn install(browser: Browser, dir: &Path, host: &Path) -> Result<PathBuf> {
    let text = browser.manifest(host)?;
    let io = |p: &Path, e: std::io::Error| Error::Io {
        path: p.display().to_string(),
        reason: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let path = dir.join(file_name());
    std::fs::write(&path, text).map_err(|e| io(&path, e))?;
    Ok(path)
}

/// Removes the manifest from `dir`; returns its path if there was one.
pub fn uninstall(dir: &Path) -> Result<Option<PathBuf>> {
    let path = dir.join(file_name());
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(Some(path)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        }),
    }
}

/// The host program installed beside `exe` (the `redline` binary): both come
/// in one package and one `cargo build`.
pub fn host_beside(exe: &Path) -> PathBuf {
    exe.with_file_name(HOST_BINARY)
}

/// The host program's file name.
pub const HOST_BINARY: &str = "redline-browser-host";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chromium_id_is_the_one_its_key_gives() {
        use base64::Engine;
        use sha2::Digest;
        let ids = ids();
        let der = base64::engine::general_purpose::STANDARD
            .decode(&ids.chromium_key)
            .unwrap();
        let hash = sha2::Sha256::digest(&der);
        let id: String = hash[..16]
            .iter()
            .flat_map(|b| [b >> 4, b & 0xf])
            .map(|n| (b'a' + n) as char)
            .collect();
        assert_eq!(id, ids.chromium_id);
    }
}
