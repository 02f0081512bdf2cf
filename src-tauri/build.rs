//! Declares the app's commands to Tauri, from their one definition: the
//! `#[tauri::command]` functions of `src/commands.rs` (read by
//! `src/command_table.rs`). Each becomes an `allow-<name>` permission; all of
//! them form the `app-commands` set that capabilities/default.json grants to
//! the main window (any other command is refused by Tauri's ACL); and
//! `$OUT_DIR/handler.rs` lists them for `generate_handler!` in `lib.rs`.

use std::path::PathBuf;

#[allow(dead_code)]
#[path = "src/command_table.rs"]
mod command_table;

fn main() {
    println!("cargo:rerun-if-changed=src/commands.rs");
    println!("cargo:rerun-if-changed=src/command_table.rs");
    let source = std::fs::read_to_string("src/commands.rs").expect("read src/commands.rs");
    let names: Vec<String> = command_table::read(&source)
        .into_iter()
        .map(|c| c.name)
        .collect();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));

    let handler: Vec<String> = names.iter().map(|n| format!("commands::{n}")).collect();
    let handler = format!("tauri::generate_handler![{}]\n", handler.join(", "));
    std::fs::write(out.join("handler.rs"), handler).expect("write handler.rs");

    let dir = out.join("app-permissions");
    std::fs::create_dir_all(&dir).expect("create app-permissions");
    let allowed: Vec<String> = names
        .iter()
        .map(|n| format!("  \"allow-{}\",\n", n.replace('_', "-")))
        .collect();
    let set = format!(
        "[[set]]\nidentifier = \"app-commands\"\n\
         description = \"Every command of the app (src-tauri/src/commands.rs).\"\n\
         permissions = [\n{}]\n",
        allowed.concat()
    );
    std::fs::write(dir.join("app-commands.toml"), set).expect("write app-commands.toml");

    // tauri-build keeps these for the life of the build script.
    let pattern: &'static str = Box::leak(format!("{}/*", dir.display()).into_boxed_str());
    let commands: Vec<&'static str> = names
        .into_iter()
        .map(|n| &*Box::leak(n.into_boxed_str()))
        .collect();
    let commands: &'static [&'static str] = Box::leak(commands.into_boxed_slice());
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(
            tauri_build::AppManifest::new()
                .commands(commands)
                .permissions_path_pattern(pattern),
        ),
    )
    .expect("tauri build script");
}
