// `sqlx::migrate!` embeds `migrations/` at compile time but does not tell
// cargo to watch it, so a new migration file alone would not rebuild the
// crate (the prefix-index migration was silently missing from a test build).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=migrations-pg");
}
