//! A private PostgreSQL 15 for the team tests (the core's and the
//! end-to-end ones): `initdb` into a temporary directory, a Unix socket
//! there, no TCP, `fsync=off`; stopped and removed on drop.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

/// A private PostgreSQL in a temporary directory, reached by a Unix socket
/// there; stopped and removed on drop. `initdb` refuses to run as root, so
/// as root the cluster belongs to `nobody`.
pub struct Postgres {
    dir: tempfile::TempDir,
    as_nobody: bool,
}

impl Postgres {
    pub fn start() -> Self {
        assert!(
            Path::new(PG_BIN).join("initdb").exists(),
            "PostgreSQL 15's server binaries are missing: run scripts/install-deps"
        );
        let dir = tempfile::Builder::new()
            .prefix("redline-pg")
            .tempdir_in("/tmp")
            .unwrap();
        let as_nobody = unsafe_is_root();
        if as_nobody {
            chown_nobody(dir.path());
        }
        let pg = Postgres { dir, as_nobody };
        let data = pg.dir.path().join("data");
        pg.run(
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-U",
                "redline",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        let opts = format!(
            "-k {} -c listen_addresses='' -c fsync=off -c max_connections=100",
            pg.dir.path().display()
        );
        let log = pg.dir.path().join("log");
        pg.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-o",
                &opts,
                "-l",
                log.to_str().unwrap(),
                "-w",
                "start",
            ],
        );
        pg
    }

    fn run(&self, bin: &str, args: &[&str]) {
        let path = Path::new(PG_BIN).join(bin);
        let mut cmd = if self.as_nobody {
            let mut c = Command::new("runuser");
            c.args(["-u", "nobody", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        let out = cmd.args(args).output().expect("run a PostgreSQL tool");
        assert!(
            out.status.success(),
            "{bin} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn url(&self) -> String {
        format!(
            "postgres://redline@localhost/postgres?host={}",
            self.dir.path().display()
        )
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let path = Path::new(PG_BIN).join("pg_ctl");
        let mut cmd = if self.as_nobody {
            let mut c = Command::new("runuser");
            c.args(["-u", "nobody", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        let _ = cmd
            .args(["-D", data.to_str().unwrap(), "-m", "fast", "-w", "stop"])
            .output();
    }
}

fn unsafe_is_root() -> bool {
    let out = Command::new("id").arg("-u").output().expect("id -u");
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

fn chown_nobody(path: &Path) {
    let out = Command::new("chown")
        .arg("nobody")
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success());
}
