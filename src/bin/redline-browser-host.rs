//! `redline-browser-host`: the program a browser starts for the Redline
//! extension (named in the host manifest; browsers pass it their own
//! arguments, which it ignores). Serves the library `REDLINE_DB` names, else
//! the app's.

use redline::notebook::{Notebook, Settings};

fn main() -> std::process::ExitCode {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("redline-browser-host: cannot start: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    rt.block_on(async {
        let path = std::env::var_os("REDLINE_DB")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(redline::db::default_path);
        let library = Notebook::open(path, Settings::default()).await;
        let served = redline::browser::host::run(&library).await;
        if let Ok(nb) = &library {
            nb.close().await;
        }
        match served {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("redline-browser-host: {e}");
                std::process::ExitCode::FAILURE
            }
        }
    })
}
