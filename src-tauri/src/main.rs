// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // WebKitGTK's accelerated compositing costs ~80 MB in the web process and
    // a shader-cache build on first launch, measured under Xvfb with Mesa's
    // software GL (BENCHMARKS-app.md: idle PSS 356 → 275 MB with 10,000
    // sources); a reading and writing app gains nothing visible from it.
    // Set before GTK starts, while this is the only thread; a value already
    // in the environment is left as it is.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    redline_app::run();
}
