//! Redline's desktop shell: thin Tauri commands over the core library
//! (`redline`), the app's state, background tasks and plugins.
//!
//! The library is opened once at startup (`REDLINE_DB`, else the path shared
//! with the CLI) as the core's `Notebook`, managed as state; every command in
//! [`commands`] calls one of its use cases.

pub mod background;
pub mod commands;
pub mod error;
pub mod state;

use tauri::Manager;

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
        // First, so a second launch only focuses the running window.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.set_focus();
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .manage(notebook.clone())
        .setup(move |app| {
            background::start(app.handle().clone(), notebook);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::clip_url,
            commands::clip_text,
            commands::clip_file,
            commands::check_source,
            commands::get_source,
            commands::list_versions,
            commands::list_captures,
            commands::get_version,
            commands::get_captured_page,
            commands::reextract_source,
            commands::search,
            commands::list_sources,
            commands::count_sources,
            commands::list_sites,
            commands::list_languages,
            commands::set_watched,
            commands::set_archived,
            commands::mark_viewed,
            commands::list_projects,
            commands::create_project,
            commands::rename_project,
            commands::describe_project,
            commands::archive_projects,
            commands::project_delete_plan,
            commands::delete_project,
            commands::add_sources_to_project,
            commands::remove_sources_from_project,
            commands::add_notes_to_project,
            commands::remove_notes_from_project,
            commands::source_projects,
            commands::list_tags,
            commands::source_tags,
            commands::tag_sources,
            commands::untag_sources,
            commands::tag_notes,
            commands::untag_notes,
            commands::rename_tag,
            commands::delete_tag,
            commands::merge_tags,
            commands::export_sources,
            commands::export_bundle,
            commands::export_note,
            commands::backup_library,
            commands::list_notes,
            commands::get_note,
            commands::create_note,
            commands::save_note,
            commands::delete_note,
            commands::archive_note,
            commands::note_history,
            commands::restore_note,
            commands::render_note,
            commands::render_draft,
            commands::check_citations,
            commands::citation_markdown,
            commands::create_highlight,
            commands::list_highlights,
            commands::list_source_highlights,
            commands::list_all_highlights,
            commands::update_highlight,
            commands::delete_highlight,
            commands::list_quotes,
            commands::list_speakers,
            commands::compare_versions,
        ])
        .run(tauri::generate_context!())
        .expect("Redline could not start its window");
}
