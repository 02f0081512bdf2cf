//! The tray icon: open the window, pause or resume watching (the same
//! library-wide pause as `redline watch pause`), quit. While it is there,
//! closing the window may keep Redline running in it (the core decides:
//! [`redline::notebook::CloseAction`]).

use redline::Notebook;
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

/// Whether this process has a tray icon to come back through (managed as
/// state once [`install`] has run). `REDLINE_CLOSE_TO_TRAY=0` makes the app
/// act as if it had none: closing the window always quits (the end-to-end
/// tests end their sessions by closing the window).
#[derive(Clone, Copy, Debug)]
pub struct Tray {
    pub present: bool,
}

/// Whether the environment forbids staying in the tray.
pub fn disabled_by_env() -> bool {
    std::env::var("REDLINE_CLOSE_TO_TRAY")
        .is_ok_and(|v| matches!(v.trim(), "0" | "off" | "false" | "no"))
}

/// Shows the main window and brings it forward.
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
    }
}

/// Puts Redline's icon in the tray. Its pause item follows the library's
/// setting, whoever changes it (this menu, the Feeds pane, or `redline
/// watch pause` in a terminal).
pub fn install<R: Runtime>(app: &AppHandle<R>, notebook: Notebook) -> tauri::Result<()> {
    let open = MenuItem::with_id(app, "open", "Open Redline", true, None::<&str>)?;
    let pause = CheckMenuItem::with_id(app, "pause", "Pause watching", true, false, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit Redline", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&open, &pause, &separator, &quit])?;

    let (item, nb) = (pause.clone(), notebook.clone());
    tauri::async_runtime::spawn(async move {
        let followed = nb
            .follow_watching_paused(|paused| {
                let _ = item.set_checked(paused);
            })
            .await;
        if let Err(e) = followed {
            tracing::warn!("the tray stopped following the watching pause: {e}");
        }
    });

    let mut tray = TrayIconBuilder::with_id("main")
        .tooltip("Redline")
        .menu(&menu)
        .on_menu_event(move |app, event| match event.id().as_ref() {
            "open" => show_main(app),
            "pause" => {
                // The item has toggled itself: its state is the reporter's choice.
                let paused = pause.is_checked().unwrap_or(false);
                let nb = notebook.clone();
                tauri::async_runtime::spawn(async move {
                    if let Err(e) = nb.set_watching_paused(paused).await {
                        tracing::warn!("cannot pause watching: {e}");
                    }
                });
            }
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    Ok(())
}
