// The toolbar popup: says whether the page is in the library, clips it,
// files it in a project or under a tag. The work is done by the background's
// `actions`, reached by message.

import type { Actions, ActionMessage } from "./background.js";
import { api, type BrowserReply } from "./host.js";

type Result<K extends keyof Actions> = Awaited<ReturnType<Actions[K]>>;

function call<K extends keyof Actions>(action: K, ...args: Parameters<Actions[K]>): Promise<Result<K>> {
  const message: ActionMessage = { action, args };
  return api.runtime.sendMessage(message) as Promise<Result<K>>;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let sourceId: number | null = null;

/** What a clip did, in the reporter's words. */
function describe(reply: BrowserReply): { text: string; error: boolean } {
  if (reply.type === "error") return { text: reply.message, error: true };
  if (reply.type !== "clipped") return { text: "", error: false };
  sourceId = reply.sourceId;
  const what =
    reply.status === "new_source"
      ? `New source #${reply.sourceId}`
      : reply.status === "new_version"
        ? `New version #${reply.versionSeq} of source #${reply.sourceId}`
        : `Unchanged: source #${reply.sourceId} is at version #${reply.versionSeq}`;
  const lines = [`${what} — “${reply.title}”.`];
  if (reply.highlightId !== null) lines.push(`Selection highlighted (#${reply.highlightId}).`);
  if (reply.selectionError) lines.push(reply.selectionError.message);
  return { text: lines.join(" "), error: false };
}

function show(reply: BrowserReply) {
  const { text, error } = describe(reply);
  const out = $("result");
  out.textContent = text;
  out.className = error ? "error" : "";
  if (sourceId !== null) sourceKnown();
}

/** The source is in the library: offer to open it in the app and to file it. */
function sourceKnown() {
  $("open").hidden = false;
  void loadLists();
}

async function loadLists() {
  const lists = await call("lists");
  if (lists.type !== "lists") return;
  const select = $<HTMLSelectElement>("project");
  select.replaceChildren(
    ...lists.projects.map((p) => Object.assign(document.createElement("option"), { value: String(p.id), text: p.name })),
  );
  $("tags").replaceChildren(
    ...lists.tags.map((t) => Object.assign(document.createElement("option"), { value: t.name })),
  );
  $("add-project").toggleAttribute("disabled", lists.projects.length === 0);
  $("organise").hidden = false;
}

async function main() {
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined || !tab.url) return;
  const tabId = tab.id;
  const status = await call("status", tabId, tab.url);
  const page = status.page;
  if (page?.type === "page" && page.source) {
    const s = page.source;
    sourceId = s.sourceId;
    $("page").textContent =
      `In Redline as source #${s.sourceId}: ${s.versionCount} version(s)` +
      (s.watched ? ", watched" : "") +
      (s.changedSinceViewed ? ", changed since you last viewed it" : "");
    sourceKnown();
  } else if (page?.type === "error") {
    $("page").textContent = page.message;
    $("page").className = "error";
  } else {
    $("page").textContent = "Not in your Redline library yet.";
  }
  if (status.last) show(status.last);

  const site = new URL(tab.url).hostname;
  const auto = $<HTMLInputElement>("auto");
  auto.checked = status.autoCapture;
  auto.addEventListener("change", () => void call("setAutoCapture", site, auto.checked));

  $("clip").addEventListener("click", async () => {
    $("result").textContent = "Clipping…";
    show(await call("clip", tabId));
  });
  // The desktop entry registers redline:// with the system, which starts
  // the app (or hands the link to the running one) on the source's page.
  $("open").addEventListener("click", () => {
    if (sourceId !== null) void api.tabs.create({ url: `redline://source/${sourceId}` });
  });
  $("add-project").addEventListener("click", async () => {
    if (sourceId === null) return;
    const reply = await call("addToProject", sourceId, Number($<HTMLSelectElement>("project").value));
    $("result").textContent = reply.type === "error" ? reply.message : "Added to the project.";
  });
  $("add-tag").addEventListener("click", async () => {
    const tag = $<HTMLInputElement>("tag").value.trim();
    if (sourceId === null || !tag) return;
    const reply = await call("tag", sourceId, tag);
    $("result").textContent = reply.type === "error" ? reply.message : `Tagged “${tag}”.`;
  });
}

void main();
