// The extension's background: clip the page as the browser rendered it,
// keep the badge, capture watched sources on visit. The popup, the context
// menu and the keyboard command all call the same `actions`.

import { api, ask, type BrowserReply } from "./host.js";

/** What a clip takes from the page. */
interface Page {
  dom: string;
  url: string;
  title: string;
  selection: string;
  /** Main-thread time the serialisation took in the page (Performance API), ms. */
  costMs: number;
}

/**
 * Runs in the page (the extension's isolated world, so page scripts cannot
 * replace it): one serialisation of the DOM as rendered, after scripts ran.
 * With `quietMs` (capture on visit, at page load) it first waits until the
 * page has made no DOM change for that long (at most 5 s): many sites render
 * their story after the load event. Waiting costs no main-thread time; the
 * one serialisation is the work (the budget: 50 ms).
 */
async function serialise(quietMs: number): Promise<Page> {
  if (quietMs > 0) {
    await new Promise<void>((done) => {
      let timer = setTimeout(finish, quietMs);
      const cap = setTimeout(finish, 5000);
      const observer = new MutationObserver(() => {
        clearTimeout(timer);
        timer = setTimeout(finish, quietMs);
      });
      function finish() {
        observer.disconnect();
        clearTimeout(timer);
        clearTimeout(cap);
        done();
      }
      observer.observe(document, { subtree: true, childList: true, characterData: true });
    });
  }
  const start = performance.now();
  const dom = document.documentElement.outerHTML;
  const selection = getSelection()?.toString() ?? "";
  return { dom, url: location.href, title: document.title, selection, costMs: performance.now() - start };
}

/** What the last serialisation cost the page (BENCHMARKS.md reads it). */
let lastCostMs: number | null = null;

/** Which browser this is, as the capture's provenance records it. */
async function browserInfo(): Promise<{ name: string; version: string }> {
  const firefox = api.runtime as { getBrowserInfo?: () => Promise<{ name: string; version: string }> };
  if (firefox.getBrowserInfo) {
    return firefox.getBrowserInfo();
  }
  const version = /(?:Chrome|Chromium)\/([\d.]+)/.exec(navigator.userAgent)?.[1] ?? "unknown";
  const brands = (navigator as { userAgentData?: { brands: { brand: string }[] } }).userAgentData?.brands ?? [];
  const name = brands.some((b) => b.brand === "Google Chrome") ? "Chrome" : "Chromium";
  return { name, version };
}

const AUTO_OFF_KEY = "autoCaptureOff";

/** Capture on visit is on unless the reporter switched it off for this site. */
async function autoCaptureOn(url: string): Promise<boolean> {
  const stored = await api.storage.local.get(AUTO_OFF_KEY);
  const off = (stored[AUTO_OFF_KEY] as string[] | undefined) ?? [];
  return !off.includes(new URL(url).hostname);
}

async function setAutoCapture(site: string, on: boolean): Promise<void> {
  const stored = await api.storage.local.get(AUTO_OFF_KEY);
  const off = new Set((stored[AUTO_OFF_KEY] as string[] | undefined) ?? []);
  if (on) off.delete(site);
  else off.add(site);
  await api.storage.local.set({ [AUTO_OFF_KEY]: [...off] });
}

function isWebPage(url: string | undefined): url is string {
  return !!url && /^https?:\/\//.test(url);
}

/** Asks the host about the page and shows the answer on the toolbar button. */
async function refreshBadge(tabId: number, url: string): Promise<BrowserReply | null> {
  if (!isWebPage(url)) {
    await api.action.setBadgeText({ tabId, text: "" });
    return null;
  }
  const reply = await ask({ type: "lookup", url });
  const source = reply.type === "page" ? reply.source : null;
  if (!source) {
    await api.action.setBadgeText({ tabId, text: "" });
    await api.action.setTitle({ tabId, title: "Clip this page to Redline" });
    return reply;
  }
  const changed = source.changedSinceViewed;
  await api.action.setBadgeText({ tabId, text: `${source.versionCount}${changed ? "•" : ""}` });
  await api.action.setBadgeBackgroundColor({ tabId, color: changed ? "#b3261e" : "#4a4a4a" });
  const parts = [`In Redline: ${source.versionCount} version(s)`];
  if (source.watched) parts.push("watched");
  if (changed) parts.push("changed since you last viewed it");
  await api.action.setTitle({ tabId, title: parts.join(", ") });
  return reply;
}

/** How long a page must be still before capture on visit serialises it. */
const VISIT_QUIET_MS = 700;

/**
 * Clips a tab as rendered. Capture on visit (`visit: true`) leaves the
 * selection out and waits for the page to stop rendering.
 */
async function clip(tabId: number, options: { visit?: boolean } = {}): Promise<BrowserReply> {
  const [injection] = await api.scripting.executeScript({
    target: { tabId },
    func: serialise,
    args: [options.visit ? VISIT_QUIET_MS : 0],
  });
  const page = injection?.result as Page | undefined;
  if (!page || !isWebPage(page.url)) {
    return { type: "error", code: "not_a_web_page", message: "Only http and https pages can be clipped." };
  }
  lastCostMs = page.costMs;
  const info = await browserInfo();
  const selection = options.visit ? "" : page.selection.trim();
  const reply = await ask({
    type: "clip",
    url: page.url,
    dom: page.dom,
    title: page.title,
    selection: selection || undefined,
    browser: info.name,
    browserVersion: info.version,
    extensionVersion: api.runtime.getManifest().version,
    capturedAt: new Date().toISOString(),
  });
  await api.storage.session.set({ [`last:${tabId}`]: reply });
  await refreshBadge(tabId, page.url);
  return reply;
}

/** On a finished page load: badge, and a capture if the source is watched. */
async function visit(tabId: number, url: string): Promise<BrowserReply | null> {
  const reply = await refreshBadge(tabId, url);
  if (reply?.type === "page" && reply.source?.watched && (await autoCaptureOn(url))) {
    return clip(tabId, { visit: true });
  }
  return reply;
}

/** Everything the popup (by message), the menu, the command and the tests call. */
export const actions = {
  clip,
  visit,
  status: async (tabId: number, url: string) => ({
    page: await refreshBadge(tabId, url),
    autoCapture: isWebPage(url) ? await autoCaptureOn(url) : false,
    last: ((await api.storage.session.get(`last:${tabId}`))[`last:${tabId}`] as BrowserReply | undefined) ?? null,
  }),
  lists: () => ask({ type: "lists" }),
  addToProject: (sourceId: number, projectId: number) => ask({ type: "add_to_project", sourceId, projectId }),
  tag: (sourceId: number, tag: string) => ask({ type: "tag", sourceId, tag }),
  setAutoCapture,
  lastCost: async () => lastCostMs,
};
export type Actions = typeof actions;
/** A message from the popup: an action's name and its arguments. */
export interface ActionMessage {
  action: keyof Actions;
  args: unknown[];
}

// The Chromium test drives the service worker through this, as the popup does.
(globalThis as { redline?: Actions }).redline = actions;

api.runtime.onMessage.addListener((message: ActionMessage, sender, respond) => {
  // Only our own pages (the popup, or popup.html opened in a tab) may ask;
  // a page's content never can (we register no content scripts anyway).
  if (sender.id !== api.runtime.id || !sender.url?.startsWith(api.runtime.getURL(""))) return false;
  const run = actions[message.action] as (...args: unknown[]) => Promise<unknown>;
  if (!run) return false;
  run(...message.args).then(respond, (e: unknown) =>
    respond({ type: "error", code: "extension", message: String(e) }),
  );
  return true;
});

const MENU_PAGE = "redline-clip-page";
const MENU_SELECTION = "redline-clip-selection";

api.runtime.onInstalled.addListener(() => {
  api.contextMenus.create({ id: MENU_PAGE, title: "Clip this page to Redline", contexts: ["page"] });
  api.contextMenus.create({
    id: MENU_SELECTION,
    title: "Clip selection to Redline as a highlight",
    contexts: ["selection"],
  });
});

api.contextMenus.onClicked.addListener((info, tab) => {
  if (tab?.id === undefined) return;
  // Both items send the selection, if any: the page item appears when there is none.
  if (info.menuItemId === MENU_PAGE || info.menuItemId === MENU_SELECTION) void clip(tab.id);
});

api.commands.onCommand.addListener(async (command) => {
  if (command !== "clip-page") return;
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  if (tab?.id !== undefined) await clip(tab.id);
});

api.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (change.status === "complete" && isWebPage(tab.url)) void visit(tabId, tab.url);
});
