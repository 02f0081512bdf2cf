//! End to end: fetch a news page from a loopback server, decode, extract,
//! fingerprint and store it (a new version each time) in a SQLite file.

#[path = "../tests/common/server.rs"]
mod server;
#[path = "../tests/common/wire.rs"]
mod wire;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use redline::clip::{ClipInput, Clipper};
use redline::fetch::FetchLimits;
use redline::Db;
use server::{Response, TestServer};

fn clip_from_loopback(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (server, clipper) = rt.block_on(async {
        let server = TestServer::start().await;
        let db = Db::open(dir.path().join("bench.db")).await.unwrap();
        (server, Clipper::new(db, FetchLimits::default()).unwrap())
    });
    // Every request serves a different revision, so every clip stores a version.
    let n = Arc::new(AtomicUsize::new(0));
    let counter = n.clone();
    server.set_handler("/story", move |_| {
        let i = counter.fetch_add(1, Ordering::Relaxed);
        let mut story = wire::story_v1();
        story.title = format!("{} (rev {i})", story.title);
        Response::html(wire::page(&story, i as u32))
    });
    let url = server.url("/story");
    c.bench_function("clip: loopback page to new version", |b| {
        b.to_async(&rt)
            .iter(|| async { clipper.clip(ClipInput::Url(url.clone())).await.unwrap() })
    });
}

criterion_group!(benches, clip_from_loopback);
criterion_main!(benches);
