//! Measures the source list at scale in the real app (figures go into
//! BENCHMARKS-app.md): how long a library of N sources takes to fill the list
//! once the window is up, and how smoothly the list scrolls.
//!
//! Scrolling is driven inside the page: each animation frame moves the list
//! by a fixed step (a brisk trackpad fling), and the gaps between frames are
//! recorded with `performance.now()`. At 60 Hz a smooth frame is ~16.7 ms;
//! every gap over 50 ms is a visible stutter. Then the list jumps to its end
//! and must show rows there.
//!
//! Needs tauri-driver and an X server, like the end-to-end tests:
//! `xvfb-run -a -s "-screen 0 1280x800x24" cargo run --release -p redline-e2e --bin measure-scroll -- --sources 100000`

use std::time::{Duration, Instant};

use redline_e2e::{AppSession, Result};
use serde_json::Value;

/// Pixels per frame: ~7,200 px/s at 60 Hz, about 115 rows a second.
const STEP_PX: u32 = 120;
const FRAMES: u32 = 300;

const SCROLL_JS: &str = r#"
const [step, frames, done] = arguments;
const el = document.querySelector('[data-testid=list]');
const gaps = [];
let last = performance.now();
let n = 0;
function frame() {
  const now = performance.now();
  if (n > 0) gaps.push(now - last);
  last = now;
  el.scrollTop += step;
  if (++n <= frames) requestAnimationFrame(frame);
  else done({ gaps, top: el.scrollTop });
}
requestAnimationFrame(frame);
"#;

const JUMP_JS: &str = r#"
const [done] = arguments;
const el = document.querySelector('[data-testid=list]');
el.scrollTop = el.scrollHeight;
requestAnimationFrame(() => requestAnimationFrame(() => {
  const rows = el.querySelectorAll('[data-testid=source-row]');
  const box = el.getBoundingClientRect();
  const inView = [...rows].filter((r) => {
    const b = r.getBoundingClientRect();
    return b.bottom > box.top && b.top < box.bottom;
  });
  done({ inView: inView.length, atEnd: el.scrollTop + el.clientHeight >= el.scrollHeight - 1 });
}));
"#;

#[tokio::main]
async fn main() -> Result<()> {
    let mut sources = 100_000;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--sources" => sources = args.next().ok_or("--sources needs a value")?.parse()?,
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    let t = Instant::now();
    let app = AppSession::start_seeded("scroll", sources).await?;
    eprintln!(
        "seeded {sources} sources and started the app in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let result = measure(&app).await;
    app.stop().await?;
    result
}

async fn measure(app: &AppSession) -> Result<()> {
    let t = Instant::now();
    app.wait_js(
        "the list shows rows",
        "document.querySelectorAll('[data-testid=source-row]').length > 0",
        Duration::from_secs(120),
    )
    .await?;
    let filled = t.elapsed();
    // Let the facet menus and the sidebar's counts settle first.
    tokio::time::sleep(Duration::from_secs(2)).await;

    let out = app
        .client
        .execute_async(SCROLL_JS, vec![STEP_PX.into(), FRAMES.into()])
        .await?;
    let mut gaps: Vec<f64> = out["gaps"]
        .as_array()
        .ok_or("no frame gaps returned")?
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    let scrolled = out["top"].as_f64().unwrap_or(0.0);
    if gaps.is_empty() || scrolled <= 0.0 {
        return Err(format!("the list did not scroll: {out}").into());
    }
    gaps.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| gaps[((gaps.len() - 1) as f64 * p).round() as usize];
    let stutters = gaps.iter().filter(|g| **g > 50.0).count();

    let jump = app.client.execute_async(JUMP_JS, vec![]).await?;
    let in_view = jump["inView"].as_u64().unwrap_or(0);
    if in_view == 0 || jump["atEnd"] != Value::Bool(true) {
        return Err(format!("after a jump to the end the list shows no rows: {jump}").into());
    }

    println!(
        "sources list filled {:.2} s after the UI mounted; scrolled {:.0} px in {} frames: \
         frame gap p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms, {} over 50 ms; \
         jump to the end shows {} rows",
        filled.as_secs_f64(),
        scrolled,
        gaps.len(),
        pct(0.5),
        pct(0.95),
        gaps[gaps.len() - 1],
        stutters,
        in_view
    );
    Ok(())
}
