// The bridge between the page (inpage.js) and the extension's background worker. It adds
// nothing to a request: the background takes the page's origin from the browser itself.
"use strict";
const TARGET_CONTENT = "warden-content";
const TARGET_PAGE = "warden-inpage";

window.addEventListener("message", (ev) => {
  if (ev.source !== window || !ev.data || ev.data.target !== TARGET_CONTENT) return;
  const { id, method, params } = ev.data;
  if (typeof id !== "number" || typeof method !== "string") return;
  chrome.runtime.sendMessage({ method, params }, (answer) => {
    if (chrome.runtime.lastError || !answer) {
      answer = { error: { code: 4900, message: "Warden is not reachable." } };
    }
    window.postMessage({ target: TARGET_PAGE, id, answer }, window.location.origin);
  });
});

// Warden's events (accountsChanged, chainChanged) for this page's origin, from the background.
chrome.runtime.onMessage.addListener((msg) => {
  if (!msg || typeof msg.wardenEvent !== "string" || msg.origin !== window.location.origin) return;
  window.postMessage(
    { target: TARGET_PAGE, event: msg.wardenEvent, data: msg.data },
    window.location.origin
  );
});
