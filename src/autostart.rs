//! "Start Redline at login": the XDG autostart entry
//! (`$XDG_CONFIG_HOME/autostart/redline.desktop`, else `~/.config/…`) that a
//! Linux desktop session reads when the reporter logs in. It starts the app
//! with `--hidden`, so the watch scheduler runs in the tray without a window.
//!
//! The file itself is the setting: it lives per user and machine (the library
//! may be shared or moved), and the reporter or the desktop's own settings
//! may remove it; reading it back is the only honest answer to "is it on?".
//!
//! Written here rather than through `tauri-plugin-autostart` so the entry's
//! content (the `--hidden` flag, the library it opens, the quoting of odd
//! paths) is ours to test, without a window or a desktop session.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The entry's file name inside the autostart folder.
pub const FILE_NAME: &str = "redline.desktop";

/// The argument that starts the app without showing its window.
pub const HIDDEN_ARG: &str = "--hidden";

/// One user's autostart folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Autostart {
    dir: PathBuf,
}

impl Autostart {
    /// The current user's autostart folder, from `XDG_CONFIG_HOME` (when it
    /// is an absolute path, as the spec requires) or `$HOME/.config`. None
    /// where XDG autostart is not how a session starts programs (Windows,
    /// macOS) or no home is known.
    pub fn for_user() -> Option<Self> {
        if !cfg!(all(unix, not(target_os = "macos"))) {
            return None;
        }
        Self::from_env(
            std::env::var_os("XDG_CONFIG_HOME"),
            std::env::var_os("HOME"),
        )
    }

    /// [`Autostart::for_user`] from the two variables' values.
    pub fn from_env(xdg_config_home: Option<OsString>, home: Option<OsString>) -> Option<Self> {
        let config = xdg_config_home
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| {
                home.map(PathBuf::from)
                    .filter(|p| p.is_absolute())
                    .map(|h| h.join(".config"))
            })?;
        Some(Self::in_config_dir(&config))
    }

    /// The autostart folder of the XDG config folder `config`.
    pub fn in_config_dir(config: &Path) -> Self {
        Autostart {
            dir: config.join("autostart"),
        }
    }

    /// Where the entry is (or would be) written.
    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE_NAME)
    }

    /// Whether the session will start Redline at login: the entry exists and
    /// is not switched off (`Hidden=true`, or GNOME's own switch).
    pub fn enabled(&self) -> bool {
        let Ok(text) = std::fs::read_to_string(self.path()) else {
            return false;
        };
        !text.lines().map(str::trim).any(|l| {
            l.eq_ignore_ascii_case("Hidden=true")
                || l.eq_ignore_ascii_case("X-GNOME-Autostart-enabled=false")
        })
    }

    /// Writes the entry: start `app` hidden at login, on `library` when the
    /// app was told one (`REDLINE_DB`), else on the default library.
    pub fn enable(&self, app: &Path, library: Option<&Path>) -> Result<()> {
        let text = desktop_entry(app, library)?;
        let io = |e: std::io::Error| Error::Io {
            path: self.path().display().to_string(),
            reason: e.to_string(),
        };
        std::fs::create_dir_all(&self.dir).map_err(io)?;
        // Written beside and renamed: a session starting meanwhile never
        // reads half an entry.
        let tmp = self.dir.join(format!(".{FILE_NAME}.tmp"));
        std::fs::write(&tmp, text).map_err(io)?;
        std::fs::rename(&tmp, self.path()).map_err(io)
    }

    /// Removes the entry (nothing to do when there is none).
    pub fn disable(&self) -> Result<()> {
        match std::fs::remove_file(self.path()) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::Io {
                path: self.path().display().to_string(),
                reason: e.to_string(),
            }),
            _ => Ok(()),
        }
    }

    /// [`Autostart::enable`] or [`Autostart::disable`].
    pub fn set(&self, on: bool, app: &Path, library: Option<&Path>) -> Result<()> {
        if on {
            self.enable(app, library)
        } else {
            self.disable()
        }
    }
}

/// The autostart entry's text (Desktop Entry Specification 1.5).
pub fn desktop_entry(app: &Path, library: Option<&Path>) -> Result<String> {
    let mut args = Vec::new();
    if let Some(lib) = library {
        args.push("env".to_string());
        args.push(format!("REDLINE_DB={}", text_of(lib)?));
    }
    args.push(text_of(app)?);
    args.push(HIDDEN_ARG.to_string());
    let exec: Vec<String> = args.iter().map(|a| exec_arg(a)).collect();
    Ok(format!(
        "[Desktop Entry]\n\
         Type=Application\n\
         Name=Redline\n\
         Comment=Keeps watching your stories from the tray\n\
         Exec={}\n\
         Icon=redline-app\n\
         Terminal=false\n\
         X-GNOME-Autostart-enabled=true\n",
        escape_value(&exec.join(" "))
    ))
}

/// A path as text an entry can hold: UTF-8 and on one line.
fn text_of(path: &Path) -> Result<String> {
    match path.to_str() {
        Some(s) if !s.contains(['\n', '\r']) => Ok(s.to_string()),
        _ => Err(Error::Invalid(format!(
            "{} cannot be written into an autostart entry (not UTF-8 or on several lines)",
            path.display()
        ))),
    }
}

/// One argument of `Exec`: `%` doubled (field codes), and quoted when it
/// holds a reserved character, with `"`, `` ` ``, `$` and `\` escaped inside.
fn exec_arg(arg: &str) -> String {
    let arg = arg.replace('%', "%%");
    let reserved = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '"' | '\''
                    | '\\'
                    | '>'
                    | '<'
                    | '~'
                    | '|'
                    | '&'
                    | ';'
                    | '$'
                    | '*'
                    | '?'
                    | '#'
                    | '('
                    | ')'
                    | '`'
            )
    };
    if !arg.is_empty() && !arg.contains(reserved) {
        return arg;
    }
    let mut out = String::from('"');
    for c in arg.chars() {
        if matches!(c, '"' | '`' | '$' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A string value of a desktop entry: backslashes are themselves escaped
/// (on top of `Exec`'s own quoting, as the spec layers them).
fn escape_value(v: &str) -> String {
    v.replace('\\', "\\\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enabling_writes_an_entry_that_starts_the_app_hidden() {
        let config = tempfile::tempdir().unwrap();
        let auto = Autostart::in_config_dir(config.path());
        assert!(!auto.enabled());
        auto.enable(Path::new("/usr/bin/redline-app"), None)
            .unwrap();
        let path = config.path().join("autostart").join("redline.desktop");
        assert_eq!(auto.path(), path);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("[Desktop Entry]\n"), "{text}");
        assert!(text.contains("\nType=Application\n"), "{text}");
        assert!(
            text.contains("\nExec=/usr/bin/redline-app --hidden\n"),
            "{text}"
        );
        assert!(auto.enabled());
        // No temporary file left beside it.
        let names: Vec<_> = std::fs::read_dir(config.path().join("autostart"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("redline.desktop")]);

        auto.disable().unwrap();
        assert!(!path.exists());
        assert!(!auto.enabled());
        // Disabling twice is not an error.
        auto.disable().unwrap();
    }

    #[test]
    fn the_library_and_odd_paths_are_quoted_as_the_spec_says() {
        let text = desktop_entry(
            Path::new("/opt/Red Line/redline-app"),
            Some(Path::new("/home/ana/Reporting 100%/$beat/redline.db")),
        )
        .unwrap();
        let exec = text.lines().find(|l| l.starts_with("Exec=")).unwrap();
        assert_eq!(
            exec,
            r#"Exec=env "REDLINE_DB=/home/ana/Reporting 100%%/\\$beat/redline.db" "/opt/Red Line/redline-app" --hidden"#
        );
        assert!(desktop_entry(Path::new("/tmp/a\nb"), None).is_err());
    }

    #[test]
    fn an_entry_switched_off_by_the_desktop_reads_as_off() {
        let config = tempfile::tempdir().unwrap();
        let auto = Autostart::in_config_dir(config.path());
        auto.enable(Path::new("/usr/bin/redline-app"), None)
            .unwrap();
        let mut text = std::fs::read_to_string(auto.path()).unwrap();
        text = text.replace(
            "X-GNOME-Autostart-enabled=true",
            "X-GNOME-Autostart-enabled=false",
        );
        std::fs::write(auto.path(), text).unwrap();
        assert!(!auto.enabled());
    }

    #[test]
    fn the_folder_follows_xdg_config_home() {
        // The variables' values, not the process's environment (tests run in parallel).
        let xdg = tempfile::tempdir().unwrap();
        let auto = Autostart::from_env(
            Some(xdg.path().as_os_str().to_owned()),
            Some("/home/ana".into()),
        )
        .unwrap();
        assert_eq!(auto.path(), xdg.path().join("autostart/redline.desktop"));
        auto.enable(Path::new("/usr/bin/redline-app"), None)
            .unwrap();
        assert!(xdg.path().join("autostart/redline.desktop").is_file());
        // Unset or relative (the spec says to ignore it): the home's .config.
        for xdg in [None, Some("config".into())] {
            let auto = Autostart::from_env(xdg, Some("/home/ana".into())).unwrap();
            assert_eq!(
                auto.path(),
                Path::new("/home/ana/.config/autostart/redline.desktop")
            );
        }
        assert_eq!(Autostart::from_env(None, None), None);
    }
}
