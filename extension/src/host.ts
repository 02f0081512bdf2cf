// Talking to the Redline host (native messaging: the browser starts
// `redline-browser-host` and pipes one JSON message each way; no port, no
// cookies). The message types are generated from the host's Rust types.

import type { BrowserRequest } from "../../ui/src/bindings/BrowserRequest";
import type { BrowserReply } from "../../ui/src/bindings/BrowserReply";

export type { BrowserRequest, BrowserReply };

/** The host's name in its manifest; build.mjs checks it equals extension/ids.json. */
export const HOST_NAME = "org.redline.browser_host";

/** `browser` in Firefox (promises), `chrome` in Chromium (promises in MV3). */
export const api: typeof chrome = (globalThis as { browser?: typeof chrome }).browser ?? chrome;

/** One request, one reply; a host that cannot be started becomes an error reply. */
export async function ask(request: BrowserRequest): Promise<BrowserReply> {
  try {
    return (await api.runtime.sendNativeMessage(HOST_NAME, request)) as BrowserReply;
  } catch (e) {
    return {
      type: "error",
      code: "host_unreachable",
      message:
        `Redline's browser host did not answer (${String(e)}). ` +
        "Install Redline, then run `redline browser install`.",
    };
  }
}
