//! `redline upgrade-storage`.

use std::io::Write;
use std::ops::ControlFlow;

use redline::versions::upgrade::UpgradeStep;
use redline::{Error, Notebook};

use super::print_json;

/// Runs the upgrade, one progress line on stderr updated in place (JSON
/// mode prints only the report, on stdout).
pub async fn upgrade(nb: &Notebook, json: bool) -> Result<(), Error> {
    let report = nb
        .upgrade_storage(|p| {
            if !json {
                let what = match p.step {
                    UpgradeStep::Captures => "raw captures into blobs",
                    UpgradeStep::Versions => "version texts to layouts",
                };
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r{what}: {}/{}\x1b[K", p.done, p.total);
                if p.done == p.total {
                    let _ = writeln!(err);
                }
            }
            ControlFlow::Continue(())
        })
        .await?;
    if json {
        return print_json(&report);
    }
    println!(
        "{} capture(s) moved to shared blobs, {} version text(s) stored once",
        report.captures_moved, report.versions_rewritten
    );
    if report.rows_kept > 0 {
        println!(
            "{} row(s) kept as they were: their bytes or blocks do not match what they record \
             (`redline backup` names them)",
            report.rows_kept
        );
    }
    println!("The file keeps its size until `VACUUM`; new captures reuse the freed pages.");
    Ok(())
}
