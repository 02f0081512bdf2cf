//! The tray icon: open the window, pause or resume watching (the same
//! library-wide pause as `redline watch pause`), quit.

use redline::Notebook;
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

/// Puts Redline's icon in the tray. Its pause item starts from the
/// library's setting.
pub fn install<R: Runtime>(app: &AppHandle<R>, notebook: Notebook) -> tauri::Result<()> {
    let open = MenuItem::with_id(app, "open", "Open Redline", true, None::<&str>)?;
    let pause = CheckMenuItem::with_id(app, "pause", "Pause watching", true, false, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit Redline", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&open, &pause, &separator, &quit])?;

    let (item, nb) = (pause.clone(), notebook.clone());
    tauri::async_runtime::spawn(async move {
        if let Ok(paused) = nb.watching_paused().await {
            let _ = item.set_checked(paused);
        }
    });

    let mut tray = TrayIconBuilder::with_id("main")
        .tooltip("Redline")
        .menu(&menu)
        .on_menu_event(move |app, event| match event.id().as_ref() {
            "open" => {
                if let Some(w) = app.get_webview_window("main") {
                    let _ = w.show();
                    let _ = w.unminimize();
                    let _ = w.set_focus();
                }
            }
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
