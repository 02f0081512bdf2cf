// The browser scenario in Debian's Chromium, end to end: the built
// extension loaded unpacked, the real host (installed by `redline browser
// install` into the temporary profile), a loopback news site whose article
// arrives by JavaScript after load, a temporary library checked with the
// real `redline` CLI.
//
//   REDLINE_BIN=…/target/debug node test/chromium.mjs   (after npm run build)

import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
const started = Date.now();
const tmp = mkdtempSync(join(tmpdir(), "redline-chromium-"));
const library = join(tmp, "library.db");

/** The real CLI over the test library; `--json` output parsed. Asynchronous:
 * the loopback site runs in this process and must answer `redline clip`. */
async function redline(args, { json = true, db = library } = {}) {
  const { stdout } = await promisify(execFile)(
    join(bin, "redline"),
    ["--db", db, ...(json ? ["--json"] : []), ...args],
    { encoding: "utf8" },
  );
  return json ? JSON.parse(stdout) : stdout;
}

// ---- the loopback site: the served HTML has an empty story; render.js fills it.
let revision = 1;
const paragraphs = () => [
  "The Harbour Port Authority's chief executive, Daniel Okafor, resigned on Tuesday after an external audit found €4.2m in unbilled berthing fees.",
  "“I take responsibility for the failings the auditors describe,” Mr Okafor said in a statement released at 6pm.",
  "The audit, commissioned by the city council in March, reviewed 11,480 invoices and found that 312 vessels had berthed without a recorded charge.",
  ...(revision >= 2
    ? ["Update, 8.40pm: the authority's deputy, Ines Moreau, will lead it until a successor is appointed."]
    : []),
  "Councillor Rosa Lindqvist, who chairs the finance committee, said the full report would be published on Friday.",
];
const site = createServer((req, res) => {
  if (req.url === "/render.js") {
    res.writeHead(200, { "content-type": "text/javascript" });
    // After load, as a news site's client renders its story from an API.
    res.end(`addEventListener("load", async () => {
      const story = await (await fetch("/api/story")).json();
      const root = document.getElementById("story");
      for (const text of story.paragraphs) {
        const p = document.createElement("p"); p.textContent = text; root.append(p);
      }
      document.body.dataset.rendered = "yes";
    });`);
  } else if (req.url === "/api/story") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ paragraphs: paragraphs() }));
  } else if (req.url === "/news/port-authority-chief-resigns") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Port authority chief resigns after audit | Harbour Gazette</title>
<script src="/render.js"></script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/subscribe">Subscribe</a></nav>
<main><article><h1>Port authority chief resigns after audit</h1>
<p class="byline">By Amira Haddad, Transport Correspondent</p>
<p>Harbour Gazette readers can follow the council's response live on our site.</p>
<div id="story"></div></article></main>
<footer>© 2026 Harbour Gazette</footer></body></html>`);
  } else {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => site.listen(0, "127.0.0.1", ok));
const url = `http://127.0.0.1:${site.address().port}/news/port-authority-chief-resigns`;

// ---- the host, installed as a reporter would, into the temporary profile.
const config = join(tmp, "config");
const profile = join(config, "chromium");
const wrapper = join(tmp, "host.sh");
writeFileSync(
  wrapper,
  `#!/bin/sh\nREDLINE_DB='${library}' exec '${join(bin, "redline-browser-host")}' "$@"\n`,
);
chmodSync(wrapper, 0o755);
execFileSync(join(bin, "redline"), ["browser", "install", "--browser", "chromium", "--host", wrapper], {
  env: { ...process.env, HOME: tmp, XDG_CONFIG_HOME: config },
});

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: false,
  args: ["--headless=new", `--disable-extensions-except=${dist}`, `--load-extension=${dist}`],
});
try {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
  assert.match(worker.url(), /^chrome-extension:\/\/kcdlnldlmlekhghelocfiijmckgpofki\//, "the fixed id");
  const ext = (fn, ...args) => worker.evaluate(fn, args);

  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector("body[data-rendered=yes]");
  const tabId = await ext(async ([u]) => (await chrome.tabs.query({ url: u }))[0].id, url);

  // Clip: the text that only exists after JavaScript is in the library.
  const first = await ext(([id]) => globalThis.redline.clip(id), tabId);
  assert.equal(first.type, "clipped", JSON.stringify(first));
  assert.equal(first.status, "new_source");
  const source = first.sourceId;
  const shown = await redline(["show", String(source)]);
  assert.match(JSON.stringify(shown), /312 vessels had berthed/);
  const timeline = await redline(["versions", String(source), "--captures"]);
  assert.equal(timeline.captures[0].method, "browser");

  // A scripted fetch of the same page does not see that text.
  const fetched = join(tmp, "fetched.db");
  await redline(["clip", url], { db: fetched });
  const plain = await redline(["show", "1"], { db: fetched });
  assert.doesNotMatch(JSON.stringify(plain), /312 vessels/);
  assert.match(JSON.stringify(plain), /Port authority chief resigns/);

  // Select a passage, clip the selection: it becomes a highlight.
  await page.evaluate(() => {
    const p = [...document.querySelectorAll("#story p")].find((e) => e.textContent.includes("I take responsibility"));
    getSelection().selectAllChildren(p);
  });
  const selected = await ext(([id]) => globalThis.redline.clip(id), tabId);
  assert.equal(selected.status, "unchanged", JSON.stringify(selected));
  assert.ok(selected.highlightId, JSON.stringify(selected));
  const highlights = await redline(["highlight", "list", "--source", String(source)]);
  assert.match(JSON.stringify(highlights), /I take responsibility for the failings/);

  // Watch it; the site publishes a revision; the reporter revisits: capture on visit.
  await redline(["watch", String(source)]);
  revision = 2;
  await page.goto(url);
  await page.waitForSelector("body[data-rendered=yes]");
  const deadline = Date.now() + 15000;
  let versions;
  do {
    await new Promise((ok) => setTimeout(ok, 200));
    versions = await redline(["versions", String(source), "--captures"]);
  } while (versions.versions.length < 2 && Date.now() < deadline);
  assert.equal(versions.versions.length, 2, "a new version from the visit");
  assert.ok(versions.captures.every((c) => c.method === "browser"));
  const diff = await redline(["diff", String(source)], { json: false });
  assert.match(diff, /Ines Moreau/);

  // The badge says so: two versions.
  const badge = await ext(([id]) => chrome.action.getBadgeText({ tabId: id }), tabId);
  assert.match(badge, /^2/);
  console.log(`chromium scenario passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await context.close();
  site.close();
  rmSync(tmp, { recursive: true, force: true });
}
