// Costs of browser capture (issue 12; benchmarks, not timed tests):
//  1. the host round trip for a 2 MB page: clip message in, reply out, over
//     the real framed pipe to the real host binary (new source, unchanged,
//     changed), for two 2 MB pages: one whose article *is* the 1.8 MB (the
//     worst case: every byte is text to extract, diff and index) and one as
//     news sites serve them, a 1,400-word story in 2 MB of scripts, state
//     JSON, inline SVG, navigation and comments;
//  2. the main-thread time capture on visit adds to a 2 MB page in Chromium:
//     the extension's serialisation measured in the page with the
//     Performance API, and any long task (≥ 50 ms) the page saw meanwhile.
//
//   REDLINE_BIN=…/target/release node test/costs.mjs   (after npm run build;
//   HOST_ONLY=1 skips the Chromium part)

import { execFile, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, "../dist/chromium");
const bin = resolve(
  process.env.REDLINE_BIN ?? join(process.env.CARGO_TARGET_DIR ?? resolve(here, "../../target"), "debug"),
);
const runs = Number(process.env.RUNS ?? 7);
const tmp = mkdtempSync(join(tmpdir(), "redline-costs-"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;

/** A long news page: ~2 MB of article, captions, comments and page furniture. */
function page(revision) {
  const paras = [];
  for (let i = 0; paras.join("").length < 1_800_000; i++) {
    paras.push(
      `<p>Paragraph ${i}: the council's finance committee heard on Thursday that the port authority had ` +
        `left €${(i * 37) % 900}k in berthing fees unbilled in quarter ${i % 4 + 1}, according to the audit ` +
        `its chair, Rosa Lindqvist, presented. “We will publish every invoice,” she said.</p>`,
    );
  }
  if (revision > 1) paras.splice(3, 0, `<p>Update ${revision}: the deputy, Ines Moreau, now leads the authority.</p>`);
  const noise = Array.from({ length: 2000 }, (_, i) => `<li><a href="/tag/${i}">Related story ${i}</a></li>`).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>The port audit, in full | Harbour Gazette</title></head>
<body><nav><ul>${noise}</ul></nav><main><article><h1>The port audit, in full</h1>
<p class="byline">By Amira Haddad</p>${paras.join("\n")}</article></main><footer>© 2026 Harbour Gazette</footer></body></html>`;
}

/** A 2 MB page as a news site renders it: the story is ~1,400 words; the
 * rest is the framework's state blob, inline SVG icons, navigation, ad
 * slots and a comment thread. */
function heavyPage(revision) {
  const story = [];
  for (let i = 0; i < 24; i++) {
    story.push(
      `<p>The harbour board's audit, paragraph ${i}: inspectors found that berthing fees of €${(i * 37) % 900}k ` +
        `for quarter ${(i % 4) + 1} were never invoiced, and that two cranes bought in 2023 had not been insured. ` +
        `“We will publish every invoice,” the board's chair, Rosa Lindqvist, told reporters on Thursday.</p>`,
    );
  }
  if (revision > 1) story.splice(3, 0, `<p>Update ${revision}: the deputy, Ines Moreau, now leads the authority.</p>`);
  const state = JSON.stringify({
    props: {
      related: Array.from({ length: 2500 }, (_, i) => ({ id: i, slug: `story-${i}`, headline: `Related story ${i} on the port`, teaser: "x".repeat(460) })),
    },
  });
  const icon = `<svg viewBox="0 0 24 24" width="24" height="24"><path d="${"M12 2 L2 7 L12 12 L22 7 Z ".repeat(40)}"/></svg>`;
  const nav = Array.from({ length: 1500 }, (_, i) => `<li><a href="/section/${i}">${icon.slice(0, 300)}Section ${i}</a></li>`).join("");
  const comments = Array.from({ length: 300 }, (_, i) => `<li class="comment"><b>reader${i}</b> <p>Comment ${i}: the board should have acted sooner.</p></li>`).join("");
  const ads = Array.from({ length: 60 }, (_, i) => `<div class="ad-slot" id="ad-${i}" data-size="300x250"></div>`).join("");
  let html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Port audit finds unbilled fees | Harbour Gazette</title>
<script id="__STATE__" type="application/json">${state}</script></head>
<body><header>${icon}<nav><ul>${nav}</ul></nav></header>${ads}<main><article><h1>Port audit finds unbilled fees</h1>
<p class="byline">By Amira Haddad</p>${story.join("\n")}</article><section class="comments"><ul>${comments}</ul></section></main>
<footer>© 2026 Harbour Gazette</footer></body></html>`;
  return html;
}

// ---- 1. host round trip
async function hostRoundTrip(label, make) {
  const db = join(tmp, `roundtrip-${label}.db`);
  // STEMS=off measures a library with the stem index turned off (it is on
  // by default): the A/B of what stemming adds to a clip.
  if (process.env.STEMS === "off") {
    const cli = (...args) => promisify(execFile)(join(bin, "redline"), ["--db", db, ...args]);
    await cli("project", "new", "Bench"); // creates the library
    await cli("search", "--stems", "off");
  }
  const host = spawn(join(bin, "redline-browser-host"), [], {
    env: { ...process.env, REDLINE_DB: db },
    stdio: ["pipe", "pipe", "inherit"],
  });
  let buffered = Buffer.alloc(0);
  let waiting = null;
  host.stdout.on("data", (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    if (waiting && buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32LE(0)) {
      const n = buffered.readUInt32LE(0);
      const reply = JSON.parse(buffered.subarray(4, 4 + n).toString());
      buffered = buffered.subarray(4 + n);
      const done = waiting;
      waiting = null;
      done(reply);
    }
  });
  const ask = (message) =>
    new Promise((done) => {
      const body = Buffer.from(JSON.stringify(message));
      const len = Buffer.alloc(4);
      len.writeUInt32LE(body.length); // native order on x86-64
      waiting = done;
      host.stdin.write(Buffer.concat([len, body]));
    });
  const clip = (dom) => ({
    type: "clip",
    url: "https://harbourgazette.example/news/port-audit-in-full",
    dom,
    title: "The port audit, in full",
    browser: "Chromium",
    browserVersion: "bench",
    extensionVersion: "0.1.0",
    capturedAt: new Date().toISOString(),
  });
  // The host's CPU time (all its threads, ns precision from schedstat):
  // wall time on a busy machine includes waiting for a core; this does not.
  const cpu = () =>
    readdirSync(`/proc/${host.pid}/task`).reduce(
      (sum, t) => sum + Number(readFileSync(`/proc/${host.pid}/task/${t}/schedstat`, "utf8").split(" ")[0]) / 1e6,
      0,
    );
  const timed = async (dom) => {
    const t = performance.now();
    const c = cpu();
    const reply = await ask(clip(dom));
    if (reply.type !== "clipped") throw new Error(JSON.stringify(reply));
    return [performance.now() - t, cpu() - c];
  };
  const base = make(1);
  const size = Buffer.byteLength(JSON.stringify(clip(base)));
  const first = await timed(base);
  const unchanged = [];
  const changed = [];
  for (let i = 0; i < runs; i++) unchanged.push(await timed(base));
  for (let i = 0; i < runs; i++) changed.push(await timed(make(i + 2)));
  host.stdin.end();
  const wall = (xs) => ms(median(xs.map((x) => x[0])));
  const busy = (xs) => ms(median(xs.map((x) => x[1])));
  console.log(`host round trip, ${label}, ${(size / 1e6).toFixed(2)} MB message (median of ${runs}):`);
  console.log(`  wall: new source ${ms(first[0])}, unchanged ${wall(unchanged)}, new version ${wall(changed)}`);
  console.log(`  host CPU: new source ${ms(first[1])}, unchanged ${busy(unchanged)}, new version ${busy(changed)}`);
}

// ---- 2. main-thread cost of capture on visit in Chromium
async function visitCost() {
  let revision = 1;
  const site = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(page(revision));
  });
  await new Promise((ok) => site.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${site.address().port}/news/port-audit-in-full`;
  const library = join(tmp, "visit.db");
  const redline = async (args) =>
    JSON.parse((await promisify(execFile)(join(bin, "redline"), ["--db", library, "--json", ...args])).stdout);
  const config = join(tmp, "config");
  const wrapper = join(tmp, "host.sh");
  writeFileSync(wrapper, `#!/bin/sh\nREDLINE_DB='${library}' exec '${join(bin, "redline-browser-host")}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  await promisify(execFile)(join(bin, "redline"), ["browser", "install", "--browser", "chromium", "--host", wrapper], {
    env: { ...process.env, HOME: tmp, XDG_CONFIG_HOME: config },
  });
  const context = await chromium.launchPersistentContext(join(config, "chromium"), {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: false,
    args: ["--headless=new", `--disable-extensions-except=${dist}`, `--load-extension=${dist}`],
  });
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
    const ext = (fn, ...args) => worker.evaluate(fn, args);
    const tab = await context.newPage();
    // The page's own view of its main thread: every long task it saw.
    await tab.addInitScript(() => {
      globalThis.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) globalThis.longTasks.push([e.startTime, e.duration]);
      }).observe({ type: "longtask" });
    });
    await tab.goto(url);
    const tabId = await ext(async ([u]) => (await chrome.tabs.query({ url: u }))[0].id, url);
    const first = await ext(([id]) => globalThis.redline.clip(id), tabId);
    const afterLoad = () =>
      tab.evaluate(() => {
        const loaded = performance.getEntriesByType("navigation")[0].loadEventEnd;
        return Math.max(0, ...globalThis.longTasks.filter(([at]) => at >= loaded).map(([, d]) => d));
      });
    // Control: the same visits while the source is not watched (no capture).
    const control = [];
    for (let i = 0; i < runs; i++) {
      await tab.goto(url);
      await new Promise((ok) => setTimeout(ok, 1500));
      control.push(await afterLoad());
    }
    await redline(["watch", String(first.sourceId)]);
    const costs = [];
    const longest = [];
    for (let i = 0; i < runs; i++) {
      revision = i + 2;
      const before = (await redline(["versions", String(first.sourceId), "--captures"])).captures.length;
      await tab.goto(url);
      const deadline = Date.now() + 60000;
      let after = before;
      while (after === before && Date.now() < deadline) {
        await new Promise((ok) => setTimeout(ok, 100));
        after = (await redline(["versions", String(first.sourceId), "--captures"])).captures.length;
      }
      if (after === before) throw new Error("no capture on visit");
      costs.push(await ext(() => globalThis.redline.lastCost()));
      // Only after the load event: parsing a 2 MB page is the page's own cost.
      longest.push(await afterLoad());
    }
    const bytes = await tab.evaluate(() => document.documentElement.outerHTML.length);
    console.log(`capture on visit, ${(bytes / 1e6).toFixed(2)} MB DOM in Chromium (median of ${runs}):`);
    console.log(`  serialisation on the main thread ${ms(median(costs))} (max ${ms(Math.max(...costs))});`);
    console.log(`  longest task ≥ 50 ms after load (the capture's window) ${ms(median(longest))} (max ${ms(Math.max(...longest))})`);
    console.log(`  the same without capture (not watched): ${ms(median(control))} (max ${ms(Math.max(...control))})`);
  } finally {
    await context.close();
    site.close();
  }
}

try {
  await hostRoundTrip("a news page (1,400-word story in 2 MB of page)", heavyPage);
  await hostRoundTrip("the worst case (1.8 MB of article text)", page);
  if (!process.env.HOST_ONLY) await visitCost();
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
