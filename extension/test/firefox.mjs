// The same extension package in Debian's firefox-esr: the .xpi installed as a
// temporary add-on (WebDriver BiDi, built into Firefox, through
// puppeteer-core: no geckodriver, no browser download), the host installed
// by `redline browser install --browser firefox` into a temporary HOME. A watched page
// whose article arrives by JavaScript is visited; capture on visit sends it
// and the real CLI finds the script-rendered text as version 2, method browser.
//
//   REDLINE_BIN=…/target/debug node test/firefox.mjs   (after npm run build)

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import puppeteer from "puppeteer-core";

const here = dirname(fileURLToPath(import.meta.url));
const xpi = resolve(here, "../dist/redline-clipper-firefox.xpi");
const ids = JSON.parse(readFileSync(resolve(here, "../ids.json"), "utf8"));
const bin = resolve(
  process.env.REDLINE_BIN ?? join(process.env.CARGO_TARGET_DIR ?? resolve(here, "../../target"), "debug"),
);
const started = Date.now();
const tmp = mkdtempSync(join(tmpdir(), "redline-firefox-"));
const library = join(tmp, "library.db");
const run = promisify(execFile);
const redline = async (args) =>
  JSON.parse((await run(join(bin, "redline"), ["--db", library, "--json", ...args])).stdout);

const site = createServer((req, res) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><html lang="de"><head><meta charset="utf-8">
<title>Hafenchef tritt nach Prüfbericht zurück | Hafenkurier</title>
<script>addEventListener("load", () => setTimeout(() => {
  for (const t of [
    "Der Chef der Hafenbehörde, Daniel Okafor, ist am Dienstag zurückgetreten, zwei Tage nachdem ein externer Prüfbericht unberechnete Liegegebühren von 4,2 Millionen Euro festgestellt hatte.",
    "„Ich übernehme die Verantwortung für die Versäumnisse“, sagte Okafor in einer Erklärung am Abend.",
    "Die Prüfer hatten 11.480 Rechnungen durchgesehen; 312 Schiffe lagen ohne erfasste Gebühr am Kai.",
  ]) { const p = document.createElement("p"); p.textContent = t; document.getElementById("story").append(p); }
  document.body.dataset.rendered = "yes";
}, 50));</script></head>
<body><nav><a href="/">Start</a> <a href="/abo">Abo</a></nav>
<article><h1>Hafenchef tritt nach Prüfbericht zurück</h1><p>Von Amira Haddad</p><div id="story"></div></article>
</body></html>`);
});
await new Promise((ok) => site.listen(0, "127.0.0.1", ok));
const url = `http://127.0.0.1:${site.address().port}/lokales/hafenchef-tritt-zurueck`;

const wrapper = join(tmp, "host.sh");
writeFileSync(wrapper, `#!/bin/sh\nREDLINE_DB='${library}' exec '${join(bin, "redline-browser-host")}' "$@"\n`);
chmodSync(wrapper, 0o755);
const env = { ...process.env, HOME: tmp };
await run(join(bin, "redline"), ["browser", "install", "--browser", "firefox", "--host", wrapper], { env });

const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath: process.env.FIREFOX ?? "/usr/bin/firefox-esr",
  headless: true,
  env,
});
try {
  const id = await browser.installExtension(xpi);
  assert.equal(id, ids.geckoId);
  // WebDriver BiDi may not open the popup page (moz-extension:) in a tab, so
  // the capture is started the way no click is needed: capture on visit. The
  // library first knows the page by a plain fetch (no script-rendered text),
  // the reporter watches it, then visits it in Firefox.
  const fetched = JSON.parse((await run(join(bin, "redline"), ["--db", library, "--json", "clip", url])).stdout);
  const source = fetched.sourceId;
  assert.doesNotMatch((await redline(["show", String(source)])).text, /312 Schiffe/);
  await redline(["watch", String(source)]);
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForSelector("body[data-rendered=yes]");
  const deadline = Date.now() + 20000;
  let timeline;
  do {
    await new Promise((ok) => setTimeout(ok, 200));
    timeline = await redline(["versions", String(source), "--captures"]);
  } while (timeline.versions.length < 2 && Date.now() < deadline);
  assert.equal(timeline.versions.length, 2, "capture on visit made version 2");
  assert.deepEqual(
    timeline.captures.map((c) => c.method),
    ["fetch", "browser"],
  );
  const shown = await redline(["show", String(source)]);
  assert.match(shown.text, /312 Schiffe lagen ohne erfasste Gebühr/);
  console.log(`firefox scenario passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await browser.close();
  site.close();
  rmSync(tmp, { recursive: true, force: true });
}
