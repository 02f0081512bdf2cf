// Assembles the compiled extension for each browser family from one source:
// dist/chromium (MV3 service worker, fixed id by the manifest `key`) and
// dist/firefox (MV3 background script, fixed gecko id), plus a .zip and .xpi.
// Run after `tsc -p .` (npm run build does both).
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const ids = JSON.parse(readFileSync(join(here, "ids.json"), "utf8"));
const base = JSON.parse(readFileSync(join(here, "manifest.base.json"), "utf8"));
const version = JSON.parse(readFileSync(join(here, "package.json"), "utf8")).version;

// One source for the host's name: the Rust manifests and the extension must agree.
const hostTs = readFileSync(join(here, "src/host.ts"), "utf8");
if (!hostTs.includes(`HOST_NAME = "${ids.hostName}"`)) {
  throw new Error(`src/host.ts HOST_NAME is not ${ids.hostName} (extension/ids.json)`);
}

const flavours = {
  chromium: {
    ...base,
    version,
    key: ids.chromiumKey,
    background: { service_worker: "background.js", type: "module" },
  },
  firefox: {
    ...base,
    version,
    background: { scripts: ["background.js"], type: "module" },
    browser_specific_settings: { gecko: { id: ids.geckoId, strict_min_version: "115.0" } },
  },
};

for (const [name, manifest] of Object.entries(flavours)) {
  const out = join(here, "dist", name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(join(here, "build/extension/src"), out, { recursive: true });
  cpSync(join(here, "static"), out, { recursive: true });
  writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  const archive = join(here, "dist", `redline-clipper-${name}.${name === "firefox" ? "xpi" : "zip"}`);
  rmSync(archive, { force: true });
  // -X: no extra attributes, so the archive depends only on the files.
  execFileSync("zip", ["-qrX", archive, "."], { cwd: out });
}
console.log(`built extension ${version}: dist/chromium, dist/firefox`);
