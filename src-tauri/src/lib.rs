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

use redline::autostart;
use redline::notebook::CloseAction;
use redline::Notebook;
use tauri::{DragDropEvent, Manager, WebviewEvent, WindowEvent};
use tauri_plugin_window_state::StateFlags;

use chosen::ChosenFiles;

pub use error::{ApiError, ApiResult};

/// Starts the app; returns when the reporter quits (closing the window may
/// only hide it, see [`tray`]). `--hidden` (the login autostart) starts
/// without showing the window when watching would keep Redline in the tray.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("REDLINE_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();

    let hidden = std::env::args().any(|a| a == autostart::HIDDEN_ARG);
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
            // A login's `--hidden` start finding Redline already running
            // leaves it as it is; any other launch brings the window back.
            if !argv.iter().any(|a| a == autostart::HIDDEN_ARG) {
                tray::show_main(app);
            }
            if let Some(link) = links::from_args(argv) {
                links::deliver(app, link);
            }
        }))
        // Not the window's visibility: a window hidden in the tray when the
        // reporter quit must not start hidden next time (the app decides
        // that, see `setup` below).
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(StateFlags::all() - StateFlags::VISIBLE)
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .manage(notebook.clone())
        .manage(ChosenFiles::default())
        .manage(links::PendingLink::default())
        // Files dropped on the window count as chosen (the page only gets
        // their paths after this has run, on the same event-loop turn).
        .on_window_event(|window, event| match event {
            WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) => {
                window
                    .state::<ChosenFiles>()
                    .remember(paths.iter().cloned());
            }
            // With a tray to come back through, the core decides whether
            // closing hides the window (watching goes on) or quits.
            WindowEvent::CloseRequested { api, .. }
                if window.label() == "main"
                    && window.try_state::<tray::Tray>().is_some_and(|t| t.present) =>
            {
                api.prevent_close();
                let (window, notebook) =
                    (window.clone(), window.state::<Notebook>().inner().clone());
                tauri::async_runtime::spawn(async move {
                    match notebook.close_action(true).await {
                        Ok(CloseAction::Hide) => {
                            let _ = window.hide();
                        }
                        Ok(CloseAction::Quit) => window.app_handle().exit(0),
                        Err(e) => {
                            tracing::warn!("closing: {e}");
                            window.app_handle().exit(0);
                        }
                    }
                });
            }
            _ => {}
        })
        .on_webview_event(|webview, event| {
            if let WebviewEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event {
                webview
                    .state::<ChosenFiles>()
                    .remember(paths.iter().cloned());
            }
        })
        .setup(move |app| {
            let installed = match tray::install(app.handle(), notebook.clone()) {
                Ok(()) => true,
                Err(e) => {
                    tracing::warn!("no tray icon: {e}");
                    false
                }
            };
            let present = installed && !tray::disabled_by_env();
            app.manage(tray::Tray { present });
            // The window starts hidden (tauri.conf.json): shown now, unless
            // started `--hidden` (at login) while closing would hide it anyway.
            if hidden && present {
                let (handle, nb) = (app.handle().clone(), notebook.clone());
                tauri::async_runtime::spawn(async move {
                    if !matches!(nb.close_action(true).await, Ok(CloseAction::Hide)) {
                        tray::show_main(&handle);
                    }
                });
            } else {
                tray::show_main(app.handle());
            }
            if let Some(link) = links::from_args(std::env::args()) {
                links::deliver(app.handle(), link);
            }
            background::start(app.handle().clone(), notebook);
            #[cfg(unix)]
            quit_on_signal(app.handle().clone());
            Ok(())
        })
        // Every #[tauri::command] in commands.rs, listed by build.rs.
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/handler.rs")))
        .run(tauri::generate_context!())
        .expect("Redline could not start its window");
}

/// Quits as the tray's Quit does when the session ends (SIGTERM at logout or
/// shutdown) or on Ctrl-C in a terminal: the window's size and place are
/// saved and WebKit's processes are stopped with the app, instead of the
/// default of dying at once and leaving them to write on after it.
#[cfg(unix)]
fn quit_on_signal(app: tauri::AppHandle) {
    use tokio::signal::unix::{signal, SignalKind};
    tauri::async_runtime::spawn(async move {
        let (Ok(mut term), Ok(mut int)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) else {
            tracing::warn!("no signal handlers: SIGTERM ends the app at once");
            return;
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
        app.exit(0);
    });
}
