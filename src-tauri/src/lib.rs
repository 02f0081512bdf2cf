//! Redline's desktop shell: thin Tauri commands over the core library
//! (`redline`), the app's state, background tasks and plugins.
//!
//! The library is opened once at startup (`REDLINE_DB`, else the path shared
//! with the CLI) as the core's `Notebook`, managed as state; every command in
//! [`commands`] calls one of its use cases.

pub mod background;
pub mod chosen;
pub mod command_table;
pub mod commands;
pub mod dialogs;
pub mod error;
pub mod links;
pub mod state;
pub mod tray;

use tauri::{DragDropEvent, Manager, WebviewEvent, WindowEvent};

use chosen::ChosenFiles;

pub use error::{ApiError, ApiResult};

/// Starts the app; returns when the last window closes.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("REDLINE_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();

    let path = state::library_path();
    let notebook = match tauri::async_runtime::block_on(state::open(&path)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("redline-app: {}", e.message);
            std::process::exit(1);
        }
    };

    tauri::Builder::default()
        // First, so a second launch only focuses the running window (and
        // hands over a `redline://` link it was started with).
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.show();
                let _ = w.unminimize();
                let _ = w.set_focus();
            }
            if let Some(link) = links::from_args(argv) {
                links::deliver(app, link);
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .manage(notebook.clone())
        .manage(ChosenFiles::default())
        .manage(links::PendingLink::default())
        // Files dropped on the window count as chosen (the page only gets
        // their paths after this has run, on the same event-loop turn).
        .on_window_event(|window, event| {
            if let WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event {
                window
                    .state::<ChosenFiles>()
                    .remember(paths.iter().cloned());
            }
        })
        .on_webview_event(|webview, event| {
            if let WebviewEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event {
                webview
                    .state::<ChosenFiles>()
                    .remember(paths.iter().cloned());
            }
        })
        .setup(move |app| {
            if let Err(e) = tray::install(app.handle(), notebook.clone()) {
                tracing::warn!("no tray icon: {e}");
            }
            if let Some(link) = links::from_args(std::env::args()) {
                links::deliver(app.handle(), link);
            }
            background::start(app.handle().clone(), notebook);
            Ok(())
        })
        // Every #[tauri::command] in commands.rs, listed by build.rs.
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/handler.rs")))
        .run(tauri::generate_context!())
        .expect("Redline could not start its window");
}
